#!/bin/bash
# t015: the two Python-order hazards, each on a real interpreter:
# - cross-thread (what mod_wsgi's daemon/event modes do): an embedding program uses the seed
#   extension on a request thread, which ends; then main calls Py_Finalize (interposed, through
#   the PLT), and the Python atexit callback constructs tls_obj anew on the main thread (tls_reg
#   late=pyfin) and crashes on it; the report's crash names that late construction as its cause;
# - the mirror: Debian's python3 with an extension whose thread_local destructor calls the Python
#   C API; it runs after the interpreter was finalized (state D) and crashes; the report has the
#   python-after-finalize finding and the crash caused by it.
# Both die by SIGSEGV with and without the shim.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
ext=$(build_pyext seedext seedext.cc)
build_pyext pyholder pyholder.cc >/dev/null
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
build embed embed.c -- -I"$inc" -lpython3.11 -pthread
export PYTHONPATH=$ext:$ROOT/tests/apps

plain embed "$BIN/embed"; PLAIN_RC=$RC
traced embed "$BIN/embed"; TRACED_RC=$RC
same_outcome embed
[ $RC = 139 ] || fail "embed: expected death by SIGSEGV, got $RC"
main=$(pids embed '^tlstrace$')
req=$(awk -v m="$main" '$1 == m && $4 == "thread_start" { print $2 }' "$W/embed.norm")
expect_order embed "$main" \
	"^$req I tls_reg [0-9]+ .* tls_obj 0x0 16 -$" "^$req I tls_dtor " \
	"^$main I py_fin Py_Finalize$" \
	"^$main A tls_reg [0-9]+ .* tls_obj 0x0 16 pyfin$" \
	"^$main A crash 11 "
$REPORT --json "$W/embed.trace" >"$W/embed.json"; [ $? = 1 ] || fail "embed: report found nothing"
$PY - "$W/embed.json" <<'PYEOF' || fail "embed: report"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
late = [x for x in f if x["kind"] == "construct-during-teardown"]
assert late and late[0]["tls"]["symbol"] == "tls_obj" and "Py_Finalize" in late[0]["message"], late
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "construct-during-teardown", crash
PYEOF

plain holder $PY "$ROOT/tests/apps/holder_main.py"; PLAIN_RC=$RC
traced holder $PY "$ROOT/tests/apps/holder_main.py"; TRACED_RC=$RC
same_outcome holder
[ $RC = 139 ] || fail "holder: expected death by SIGSEGV, got $RC"
main=$(pids holder '^tlstrace$')
expect_order holder "$main" "^$main I tls_reg [0-9]+ .* held " "^$main D main_return 0$" "^$main D tls_dtor " "^$main D crash 11 "
$REPORT --json "$W/holder.trace" >"$W/holder.json"; [ $? = 1 ] || fail "holder: report found nothing"
$PY - "$W/holder.json" <<'PYEOF' || fail "holder: report"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
order = next(x for x in f if x["kind"] == "python-after-finalize")
assert "called into Python" in order["message"] and "after Python was finalized" in order["message"], order
assert "TLS destructor of held" in order["phase"], order
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "python-after-finalize"
assert any(fr["function"] and "Holder" in fr["function"] for fr in crash["backtrace"]), crash["backtrace"]
PYEOF

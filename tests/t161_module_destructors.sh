#!/bin/bash
# t161: module destructors traced. moddtor_main dlopens libmoddtor.so (moddtor_lib.cc) and returns
# from main. "join": the library's destructor function (run by _dl_fini) stops and joins its
# worker thread: exit 0 as without the shim; the trace has dl_fini ... cxa_fin of the library, the
# worker ending in between, and the report says so ("thread N ended ... during destructor
# functions of libmoddtor.so"). "crash": the destructor function reads the static registry, which
# its static destructor (run by exit() before _dl_fini) cleared: SIGSEGV with and without the
# shim; the crash's phase names the destructor function, and its root cause names both it and the
# static destructor, with the rule (static destructors first, then destructor functions).
. "$(dirname "$0")/lib.sh"
build moddtor_main moddtor_main.c
mkdir -p "$BIN/moddtor"
LIB=$BIN/moddtor/libmoddtor.so
if [ ! -e "$LIB" ] || [ "$ROOT/tests/src/moddtor_lib.cc" -nt "$LIB" ]; then
	g++ -g -O2 -Wall -fPIC -shared -o "$LIB" "$ROOT/tests/src/moddtor_lib.cc" -lpthread || fail "cannot build $LIB"
fi
plain_and_traced join "$BIN/moddtor_main" join "$LIB"
[ $RC = 0 ] || fail "join: exit status $RC"
main=$(pids join '^tlstrace$' | head -1)
expect_order join "$main" "^$main . main_return 0" "^$main . dl_fini$" "^$main . cxa_fin libmoddtor.so\\+0x[0-9a-f]+$" \
	"^$main . cxa_fin_end libmoddtor.so\\+0x" "^$main . dl_fini_end$" "^$main . exit_done"
# the worker ended after _dl_fini began, before the library's __cxa_finalize
id=$(awk '$5 == "mod" && $NF ~ /libmoddtor/ { print $6 }' "$W/join.trace")
awk -v m="$main" -v id="$id" '$2 == m && $5 == "dl_fini" { b = $3 } $2 == m && $5 == "cxa_fin" && $6 ~ "^" id "\\+" { c = $3 }
	$2 != m && $5 == "thread_exit" { x = $3 } $2 != m && $5 == "thread_quiet" { x = $3 + $8 }
	END { exit !(b && c && x && b <= x && x <= c) }' "$W/join.trace" || fail "join: the worker did not end inside the window"
"$REPORT" "$W/join.trace" >"$W/join.report" 2>&1
grep -Eq "module destructors \(_dl_fini\)  \[[0-9.]+ ms\]; thread [0-9]+ ended \+[0-9.]+ ms in, during destructor functions of libmoddtor.so" "$W/join.report" ||
	{ cat "$W/join.report"; fail "join: the report does not say the worker ended in libmoddtor.so's destructor functions"; }

plain_and_traced crash "$BIN/moddtor_main" crash "$LIB"
[ $RC = 139 ] || fail "crash: exit status $RC, expected death by SIGSEGV"
f=$W/crash.report
"$REPORT" "$W/crash.trace" >"$f" 2>&1
grep -q "phase: *main returned 0 > module destructors (_dl_fini) > destructor function pool_shutdown() (libmoddtor.so)" "$f" ||
	{ cat "$f"; fail "crash: phase"; }
grep -q "root cause: the destructor function pool_shutdown() (libmoddtor.so), run by _dl_fini at the end of exit(), failed [0-9.]* ms after the static destructor Registry::~Registry() of registry ran; most likely, .* uses registry: exit() runs the atexit handlers and static destructors first" "$f" ||
	fail "crash: root cause: $(grep -m1 'root cause' "$f")"
grep -q "fix: *do not use registry (a static object with a destructor) from a destructor function" "$f" || fail "crash: fix"
"$REPORT" --json "$W/crash.trace" >"$W/crash.json" 2>/dev/null
$PY - "$W/crash.json" <<'PYEOF' || fail "crash: JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
c = next(x for x in f if x["kind"] == "crash")
assert c["phase"].endswith("destructor function pool_shutdown() (libmoddtor.so)"), c["phase"]
assert "Registry::~Registry()" in c["root_cause"], c["root_cause"]
PYEOF
exit 0

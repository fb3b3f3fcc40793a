#!/bin/bash
# t026: the seed app under gunicorn (Debian's python3-gunicorn on /usr/bin/python3):
# - sync worker, stopped with SIGTERM and with SIGINT: requests run on the worker's main thread;
#   it finalizes Python (the state column) before exit and its TLS destructors, like python3: the
#   atexit callback sees the live object, no finding, the arbiter exits 0;
# - gthread worker: requests run on pool threads, the Python atexit callback on the main thread,
#   where tls_obj is constructed during Py_FinalizeEx (seen on the stack: python3 does not let
#   Py_* be interposed) and crashes: construct-during-teardown, then the crash caused by it, both
#   with the Python traceback of the atexit callback.
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn not installed"
ext='seedext\.cpython-[^ ]*\.so'
worker_of() { awk '$4 == "tls_reg" && $11 == "tls_obj" { print $1; exit }' "$W/$1.norm"; }

for sig in TERM INT; do
	gunicorn_run sync$sig $sig sync
	[ $RC = 0 ] || fail "sync/$sig: gunicorn exited $RC"
	w=$(worker_of sync$sig)
	[ -n "$w" ] || fail "sync/$sig: no worker used tls_obj"
	expect_order sync$sig "$w" \
		"^$w I tls_reg [0-9]+ .* tls_obj 0x0 16 -$" \
		"^$w D main_return 0$" \
		"^$w D tls_dtor [0-9]+ 0x[0-9a-f]+ $ext" "^$w D exit_done$"
	expect_no_line sync$sig " (uad|crash|pyfin) "
	grep -q "at_exit: [1-9]" "$W/sync$sig.log" || fail "sync/$sig: the atexit callback did not see the live object"
	expect_no_findings sync$sig "sync/$sig (every process)"
done

gunicorn_run gthread TERM gthread --threads 2
[ $RC = 0 ] || fail "gthread: gunicorn exited $RC"
w=$(worker_of gthread)
expect_order gthread "$w" \
	"^[0-9]+ I tls_reg [0-9]+ .* tls_obj 0x0 16 -$" \
	"^$w A tls_reg [0-9]+ .* tls_obj 0x0 16 pyfin$" \
	"^$w A crash 11 1 0x0 $ext\\+0x" \
	"^$w A crash_phase .* pyfin=1 "
$REPORT --json "$W/gthread.trace" >"$W/gthread.json"; [ $? = 1 ] || fail "gthread: report found nothing"
$PY - "$W/gthread.json" <<'PYEOF' || fail "gthread: report"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "construct-during-teardown", crash
# the late construction and the crash carry the Python traceback: the atexit callback
for x in (f[crash["caused_by"]], crash):
    assert any("seed_app.py" in l and "at_exit" in l for l in x["python_traceback"] or []), x
assert f[crash["caused_by"]]["python_callback"].startswith("seed_app.at_exit (seed_app.py:"), f[crash["caused_by"]]
assert "Py_FinalizeEx" in crash["phase"], crash["phase"]
PYEOF

#!/bin/bash
# t272: a Python SIGHUP handler that never returns (issue 15). SIGHUP is often a reload (gunicorn's
# arbiter, a daemon re-reading its configuration), not a teardown; a handler of it that sleeps or
# waits on a lock the interrupted code holds hangs the process all the same. Python's C-level
# handler only marks the signal; the watcher follows the main thread into the Python handler as
# it does for SIGTERM, its lines saying handler_hup (no teardown). Before, only a C handler of
# SIGHUP was watched: no snapshot. A handler that returns (a reload): no hang lines. The verdict
# names the Python handler (on_hup, file:line), not CPython's C-level one.
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/pyh.py" <<'PYEOF'
import signal, sys, threading, time
mode = sys.argv[1]
lock = threading.Lock()
done = []
def on_hup(sig, frame):
    if mode == "lock":
        lock.acquire()
    elif mode == "sleep":
        time.sleep(3600)
    else:
        done.append(sig)
lock.acquire()
signal.signal(signal.SIGHUP, on_hup)
print("ready", flush=True)
while not done:
    time.sleep(0.02)
print("reloaded", flush=True)
PYEOF
SIG=HUP # (py_handler_run's signal)
for m in sleep lock; do
	py_handler_run $m
	py_handler_hang_checks $m handler_hup on_hup
	grep -q ' sig_handler 1 ' "$W/$m.trace" || fail "$m: no handler line"
	grep -q "the SIGHUP handler .*has not returned" "$W/$m.txt" || fail "$m: the hang is not the SIGHUP handler's"
	# named as the Python handler, where it is in it (was: CPython's C-level one, python3+0x...)
	grep -A1 "^verdict" "$W/$m.txt" | grep -q "the Python SIGHUP handler on_hup (pyh.py:[0-9]*) has not returned" ||
		fail "$m: verdict: $(grep -A1 '^verdict' "$W/$m.txt")"
	! grep -q "teardown began (SIGHUP" "$W/$m.txt" || fail "$m: SIGHUP counted as a teardown"
done
py_handler_run reload
[ $RC = 0 ] || fail "reload: status $RC: $(cat "$W/reload.err")"
grep -q "reloaded" "$W/reload.out" || fail "reload: output $(cat "$W/reload.out")"
! grep -Eq ' hang_arm | hang ' "$W/reload.trace" || fail "reload: hang lines for a handler that returned"
exit 0

#!/bin/bash
# t282: a Python SIGTERM handler that only sets a flag and returns, then a hang in the main code
# that acts on the flag (issue 15, U7 F8): a Lock acquired twice, a join of a thread that never
# ends. The shim arms the watchdog as `hang_arm handler_py` (the main thread blocked on a lock
# soon after the arrival, with no frame of the code that runs Python's handlers on its stack).
# The report says the handler is not where it stopped (it returned, or had not yet run), where
# the main thread blocks after it, on what (a Python lock, whose holder is not known; a join and
# the joined thread, where it is: t296) and a fix for that
# wait; never that the handler "did not return", "never returned" or that the process "neither
# ends", and its phase is not "in the SIGTERM handler". (Before: "the SIGTERM handler that ran at its arrival (...) did not return: ...; the
# process neither ends nor goes back to its work", phase "in the SIGTERM handler: ...".)
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/pyh.py" <<'PYEOF'
import signal, sys, threading, time
mode = sys.argv[1]
flag = []
def on_term(sig, frame):
    flag.append(sig)
def forever():
    while True:
        time.sleep(0.05)
if mode == "join":
    t = threading.Thread(target=forever, name="worker")
    t.start()
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while not flag:
    signal.pause()
if mode == "lock":
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()
else:
    t.join()
PYEOF
for m in lock join; do
	py_handler_run $m
	[ $RC = 137 ] || fail "$m: status $RC: $(cat "$W/$m.err")"
	grep -q ' hang_arm handler_py ' "$W/$m.trace" || fail "$m: $(grep ' hang_arm ' "$W/$m.trace")"
	grep -q ' hang_end 1' "$W/$m.trace" || fail "$m: no snapshot"
	! grep -Eq "did not return|never returned|neither ends|phase: +in the SIGTERM handler" "$W/$m.txt" ||
		fail "$m: $(grep -E 'did not return|never returned|neither ends|phase:' "$W/$m.txt" | head -4)"
	grep -q "root cause: the SIGTERM handler is not where the process stopped: the main thread was not in its Python handler when it blocked (no frame of the code that runs Python's signal handlers on its stack), so that handler returned, or had not yet run; the main thread blocks after it: thread [0-9]* (python3), at \"[^\"]*pyh.py\", line [0-9]* in <module>, " "$W/$m.txt" ||
		fail "$m: $(grep -A4 'error hang' "$W/$m.txt" | grep 'root cause')"
	grep -Eq "phase: +after the SIGTERM handler: the main thread blocked on a Python lock outside Python's handler \\(it returned, or had not yet run\\), at \"" "$W/$m.txt" ||
		fail "$m: $(grep 'phase:' "$W/$m.txt")"
	grep -q "fix: .*give the wait a timeout (lock.acquire(timeout=...), thread.join(timeout=...)" "$W/$m.txt" || fail "$m: the fix"
	# (the lock and the joined thread named by the shim's hang_pylock line since t296-t298)
	grep -Eq "^      thread [0-9]+ \\(python3\\) \\[began the teardown\\] state S, in futex, .*; waits on (lock threading.Lock 0x[0-9a-f]+ \\(0x[0-9a-f]+\\) held by whoever acquired it \\(a threading.Lock has no owner: not known\\)|the join of thread [0-9]+ \"worker\" \\(python3\\), which is at \"[^\"]*pyh.py\", line [0-9]+ in forever)$" "$W/$m.txt" ||
		fail "$m: the thread line: $(grep 'began the teardown' "$W/$m.txt")"
done
grep -Eq "in <module>, waiting on a Python lock \\(a sem_wait on the futex word 0x[0-9a-f]+: threading.Lock, .*\\), whose holder is not known \\(a Python lock records no owner\\);" "$W/lock.txt" ||
	fail "lock: $(grep 'root cause' "$W/lock.txt")"
grep -Eq "in <module>, joining thread [0-9]+ \"worker\" \\(python3\\), which is at \"[^\"]*pyh.py\", line [0-9]+ in forever \\(Thread.join: .*\\), which has not ended; the process's shutdown" "$W/join.txt" ||
	fail "join: $(grep 'root cause' "$W/join.txt")"
exit 0

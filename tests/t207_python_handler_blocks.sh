#!/bin/bash
# t207: a Python handler of SIGTERM that blocks (issue 15): signal.signal(SIGTERM, h) where h
# takes a lock the interrupted main code holds, or joins a thread that never ends. Python's
# C-level handler returns at once; h runs later on the main thread, in normal context. When h
# blocks in a lock's wait (sem_wait with Python's signal-running functions on the stack), the
# watchdog starts, timed from the arrival: its snapshot has the Python traceback in h, and the
# report says the teardown began at SIGTERM's arrival and the Python handler never returned.
# A Python handler that only sets a flag (the program then ends normally): no hang lines.
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/pyh.py" <<'PYEOF'
import signal, sys, threading, time
mode = sys.argv[1]
lock = threading.Lock()
stop = threading.Event()
done = []
def forever():
    threading.Event().wait()
def on_term(sig, frame):
    if mode == "lock":
        lock.acquire()
    elif mode == "join":
        t = threading.Thread(target=forever, name="never-ends", daemon=True)
        t.start()
        t.join()
    else:
        done.append(sig)
lock.acquire()
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while not done:
    time.sleep(0.02)
print("handled", done, flush=True)
PYEOF
for m in lock join; do
	py_handler_run $m
	[ $RC = 137 ] || fail "$m: status $RC"
	grep -q ' sig_arrive 15 ' "$W/$m.trace" || fail "$m: no arrival line"
	grep -Eq ' hang_arm handler(_py)? 300$' "$W/$m.trace" || fail "$m: no hang_arm handler"
	[ "$(grep -c ' hang [0-9]' "$W/$m.trace")" -ge 2 ] || fail "$m: $(grep -c ' hang [0-9]' "$W/$m.trace") snapshots"
	hang_times "$W/$m.trace" sig_arrive hang_arm $H >"$W/$m.times" || fail "$m: snapshots not timed from the arrival: $(cat "$W/$m.times")"
	grep -Eq "was still in its teardown [0-9.]* s after it began \\(SIGTERM.s arrival( from process [0-9]+ \\([^)]*\\))?(; its Python handler (on_term at [^ ]*:[0-9]+ )?never returned| at Python.s handler; the main thread blocked soon after), thread [0-9]*\\)" "$W/$m.txt" ||
		{ grep -A3 "error hang" "$W/$m.txt"; fail "$m: the hang finding does not name the arrival"; }
	grep -q 'File ".*pyh.py", line [0-9]* in on_term' "$W/$m.txt" || { cat "$W/$m.txt"; fail "$m: no Python frame of the handler"; }
done
grep -q "joins" "$W/join.txt" || grep -q "never-ends" "$W/join.txt" || fail "join: the thread joined is not named"
py_handler_run flag
[ $RC = 0 ] || fail "flag: status $RC: $(cat "$W/flag.err")"
grep -q "handled \[15\]" "$W/flag.out" || fail "flag: output $(cat "$W/flag.out")"
! grep -Eq ' hang_arm handler| hang ' "$W/flag.trace" || fail "flag: hang lines for a handler that returned"
exit 0

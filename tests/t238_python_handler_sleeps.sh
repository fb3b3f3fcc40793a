#!/bin/bash
# t238: a Python handler of SIGTERM that blocks elsewhere than a lock's sem_wait (issue 15):
# time.sleep(100) (clock_nanosleep: a call a signal would cut short), a socket's recv (recvfrom:
# restarts), select.select with a 100 s timeout (pselect6), Event.wait(100) (a futex wait with a
# timeout). At the arrival at Python's C-level handler the handler watcher is made for the main
# thread and outlives that handler; at each deadline it looks for a return address into the code
# that runs Python's handlers (PyErr_CheckSignals) on the main thread's stack: there, the
# snapshot, timed from the arrival, with the Python traceback in on_term: taken in the main thread
# by the watcher's signal where its call restarts (recv; futex: Python retries EINTR, PEP 475),
# else by the watcher from outside (sleep, select). The main code waits in signal.pause(), so the
# handler runs from PyErr_CheckSignals. A handler that returns (flag): no hang lines, exit 0.
# (Before: no snapshot for any of these.)
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/pyh.py" <<'PYEOF'
import select, signal, socket, sys, threading
mode = sys.argv[1]
a, b = socket.socketpair()
done = []
def on_term(sig, frame):
    if mode == "sleep":
        import time
        time.sleep(100)
    elif mode == "recv":
        a.recv(10)
    elif mode == "select":
        select.select([a], [], [], 100)
    elif mode == "event":
        threading.Event().wait(100)
    else:
        done.append(sig)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while not done:
    signal.pause()
print("handled", done, flush=True)
PYEOF
for m in sleep recv select event; do
	py_handler_run $m
	[ $RC = 137 ] || fail "$m: status $RC"
	n=$(grep -c ' hang [0-9]' "$W/$m.trace")
	[ "$n" -ge 2 ] || fail "$m: $n snapshots"
	hang_times "$W/$m.trace" sig_arrive hang_arm $H >"$W/$m.times" || fail "$m: snapshot times: $(cat "$W/$m.times")"
	grep -Eq "SIGTERM's arrival( from process [0-9]+ \([^)]*\))?; its Python handler on_term at pyh.py:[0-9]* never returned" "$W/$m.txt" || { grep -A3 "error hang" "$W/$m.txt"; fail "$m: the finding"; }
	grep -Eq "File \"[^\"]*pyh.py\", line [0-9]+ in on_term" "$W/$m.txt" || { sed -n '/error hang/,$p' "$W/$m.txt"; fail "$m: no Python traceback in on_term"; }
done
grep -Eq "\\[began the teardown\\] state S, in clock_nanosleep" "$W/sleep.txt" || fail "sleep: the call is not named"
grep -q "frames found by a scan of its stack" "$W/sleep.txt" || fail "sleep: not seen from outside"
py_handler_run flag
[ $RC = 0 ] || fail "flag: status $RC"
grep -q "handled \[15\]" "$W/flag.out" || fail "flag: output $(cat "$W/flag.out")"
! grep -Eq ' hang(_arm)? ' "$W/flag.trace" || fail "flag: hang lines"
exit 0

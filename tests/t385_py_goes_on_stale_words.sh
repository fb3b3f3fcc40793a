#!/bin/bash
# t385: a python3 program that goes on running after its Python SIGTERM handler returned, its loop
# computing values that lie in Py_FinalizeEx's code (python3 is not position-independent: its
# code at 0x4xxxxx-0x6xxxxx is where an ordinary counter goes in a second). The handler watcher
# looks at its deadlines whether the running main thread is in python3's own Py_FinalizeEx; a word
# scan of the stack found those values in dead slots and wrote hang snapshots of a program that
# was in no teardown (t359's goes_on case failed 1 run in 8; this loop, 5 runs of 5 before). Now
# the frames unwound from the interrupted context decide, where the walk reaches main's caller:
# no snapshot. A loop in an atexit callback still gets them (t359). No event marks "no snapshot":
# SIGKILL after 4x H + 0.3 s (a busy machine can only hide a false snapshot then, never fail the
# case).
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/goes_on.py" <<'X'
import ctypes, signal, time
addr = ctypes.cast(ctypes.pythonapi.Py_FinalizeEx, ctypes.c_void_p).value
stop = False
def on_term(s, f):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while not stop:
    time.sleep(0.05)
vals = [addr + 20 + k for k in range(200)]
while True:
    for v in vals:
        x = v + 1
        y = x * 1
X
for run in 1 2 3; do
	bg_ready goes_on$run $PY "$W/goes_on.py"
	kill -TERM $PID
	wait_for $PID 30 "the arrival of SIGTERM" has_lines "$W/goes_on$run.trace" 1 ' sig_arrive 15 '
	sleep "$(awk -v h=$H 'BEGIN { print 4 * h / 1000 + 0.3 }')"
	kill_report goes_on$run
	[ $RC = 137 ] || fail "run $run: status $RC (137: the SIGKILL)"
	grep -q ' hang_arm \| hang ' "$W/goes_on$run.trace" &&
		fail "run $run: a snapshot of a program that went on: $(grep ' hang' "$W/goes_on$run.trace" | head -5)"
done
exit 0

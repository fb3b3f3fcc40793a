#!/bin/bash
# t359: python3 (3.11) whose Python SIGTERM handler sets a flag and returns; main leaves its loop
# and calls sys.exit(); an atexit callback then spins in pure Python, calling nothing the shim
# interposes (gunicorn's graceful stop, issue 15, SPIN12). The handler watcher made at the
# arrival outlives the handler's return: at its deadlines (H, 2H, 4H from the arrival) it finds
# python3's own Py_FinalizeEx on the main thread's stack (by its signal: the thread runs) and
# writes the snapshots (`hang_arm py_fin_stack`, `hang N MS py_fin_stack`), which the report's
# hang finding names the callback and its line from; its timeline says where Py_FinalizeEx was
# seen, and its phase the atexit callbacks (PYDEL13). Before: the arrival was the trace's last
# line, and the report said no teardown followed.
# A program that goes on running after its handler (no exit) gets no snapshot, and dies only of
# the SIGKILL that ends it (no signal of the watcher's kills it). SIGKILL after the snapshots
# (waited for as lines of the trace, no sleep), as a supervisor's would. A handler that puts
# SIG_DFL back: a second SIGTERM during the watch ends the watcher and gets the snapshot at the
# kill (kill_snap ... py_fin_stack), the process dying of it (143). One killed right after the
# arrival: the report's unfinished finding hedges (python3's Py_FinalizeEx writes no line).
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/spin_term.py" <<'X'
import atexit, signal, sys, time
stop = False
def on_term(s, f):
    global stop
    stop = True
    if sys.argv[1:] == ["dfl"]:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
def spin():
    n = 0
    while True:
        n += 1
if sys.argv[1:] != ["goes_on"]:
    atexit.register(spin)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while not stop:
    time.sleep(0.05)
if sys.argv[1:] == ["goes_on"]:
    n = 0
    while True:
        n += 1
sys.exit(0)
X
bg_ready spin $PY "$W/spin_term.py"
kill -TERM $PID
wait_for $PID 60 "3 complete snapshots" has_lines "$W/spin.trace" 3 ' hang_end '
kill_report spin
[ $RC = 137 ] || fail "status $RC (137: the SIGKILL that ended it)"
grep -Eq " A hang_arm py_fin_stack $H$" "$W/spin.trace" || fail "no hang_arm py_fin_stack: $(grep -v ' mod ' "$W/spin.trace")"
for r in 1 2 3; do
	grep -Eq " A hang $r [0-9]+ py_fin_stack $PID$" "$W/spin.trace" || fail "no snapshot $r of py_fin_stack: $(grep ' hang ' "$W/spin.trace")"
done
hang_times "$W/spin.trace" sig_arrive hang_arm $H >"$W/spin.times" || fail "snapshot times: $(cat "$W/spin.times")"
grep -Eq " hang_py $PID %20%20File%20\"[^ ]*/spin_term.py\",%20line%20(10|11)%20in%20spin$" "$W/spin.trace" ||
	fail "no traceback of spin in the snapshots: $(grep ' hang_py ' "$W/spin.trace")"
grep -A1 "^\[[0-9]*\] error hang" "$W/spin.txt" | tail -1 |
	grep -Eq "inside the atexit callback spin_term\.spin \(spin_term\.py:1[01]\): snapshot 3 of the hang watchdog" ||
	fail "hang finding: $(grep -A1 'error hang' "$W/spin.txt")"
# the hang finding's phase: the part of Py_FinalizeEx the traceback shows, the atexit callbacks (PYDEL13)
grep -A2 "error hang" "$W/spin.txt" | grep -q "^    phase: *Py_FinalizeEx (threading shutdown, Python atexit callbacks) > the Python atexit callbacks$" ||
	fail "phase: $(grep -A2 'error hang' "$W/spin.txt")"
# the timeline and the unfinished finding say where Py_FinalizeEx was seen, not "at a blocking wait"
grep -q "seen at .*blocking wait" "$W/spin.txt" && fail "a blocking wait named: $(grep 'blocking wait' "$W/spin.txt")"
grep -Eq "Py_FinalizeEx, seen on the main thread's stack after the SIGTERM handler returned: hang watchdog armed, looks at $H ms, x2, x4 after the signal's arrival" "$W/spin.txt" ||
	fail "timeline: $(sed -n '/^process/,/^findings/p' "$W/spin.txt")"
grep -q "no teardown step followed" "$W/spin.txt" && fail "no teardown claimed: $(grep -m1 'no teardown' "$W/spin.txt")"
# SIG_DFL put back by the handler: the second SIGTERM, once the watcher has written a snapshot
second_term_run dfl $PY "$W/spin_term.py" dfl
[ $RC = 143 ] || fail "dfl: status $RC (143: SIGTERM)"
grep -Eq " A kill_snap 15 -1 py_fin_stack $PID$" "$W/dfl.trace" || fail "dfl: no kill_snap: $(grep -v ' mod ' "$W/dfl.trace")"
grep -q " kill_snap_end 15$" "$W/dfl.trace" || fail "dfl: no kill_snap_end"
# a program that goes on after its handler: no snapshot, no death but the SIGKILL (no event to
# wait for: after the last deadline and as long again as a safety margin, 8H)
bg_ready goes_on $PY "$W/spin_term.py" goes_on
kill -TERM $PID
sleep "$(awk -v h=$H 'BEGIN { print 8 * h / 1000 }')"
running $PID || { wait $PID; fail "goes_on: ended ($?) before the SIGKILL"; }
kill_report goes_on
[ $RC = 137 ] || fail "goes_on: status $RC"
! grep -Eq " hang(_arm)? " "$W/goes_on.trace" || fail "goes_on: a snapshot: $(grep ' hang' "$W/goes_on.trace")"
# killed right after the arrival, before the watcher's first look: the trace's last line is the
# arrival, and the report cannot know whether python3's own Py_FinalizeEx had begun (it writes no
# line): it says so, not "no teardown step followed" (nor its fix alone)
H=60000 bg_ready early $PY "$W/spin_term.py" # (no look before the kill, however slow the machine)
kill -TERM $PID
wait_for $PID 30 "the arrival's line" has_lines "$W/early.trace" 1 ' sig_arrive 15 '
kill_report early
[ $RC = 137 ] || fail "early: status $RC"
grep -q "but the trace shows no teardown step after it (python3's own Py_FinalizeEx, which sys.exit() or main's return runs, writes none" "$W/early.txt" ||
	fail "early: $(grep -m1 'unfinished' "$W/early.txt")"
grep -q "no teardown step followed" "$W/early.txt" && fail "early: no teardown claimed"
grep -q "fix: make the Python handler end the process (sys.exit(), or make main leave its loop and return), and if it did, look at what runs after it" "$W/early.txt" ||
	fail "early: fix: $(grep -m1 'fix:' "$W/early.txt")"
exit 0

#!/bin/bash
# t471: a pure-Python spin in a teardown, then a SIGKILL with no signal before it (timeout -s KILL,
# as a supervisor's): python3's join of a non-daemon thread that loops in `while True:` making no
# system call (tests/apps/spin_thread.py). The hang watchdog's snapshot shows that thread running
# with its Python traceback; the hang finding says it was running (busy: state R, in no system
# call) where it is, not only "which is at", and its root cause that the join waits on a loop that
# does not end, not "if that thread waits for something an atexit callback would do" (HANG17:
# before, a spinning thread read like a waiting one).
. "$(dirname "$0")/lib.sh"
traced s timeout -s KILL 5 $PY "$ROOT/tests/apps/spin_thread.py"
[ $RC = 137 ] || fail "status $RC (137: SIGKILL from timeout)"
"$REPORT" --color=never "$W/s.trace" >"$W/s.txt" 2>&1
hang=$(grep -A4 "^\[[0-9]*\] error hang" "$W/s.txt")
[ -n "$hang" ] || fail "no hang finding: $(sed -n '/^findings/,$p' "$W/s.txt")"
echo "$hang" | grep -q "waiting on the join of thread [0-9]* \"spinner\" (python3), which is at \"[^\"]*spin_thread.py\", line 10 in spin, running there (busy: state R, in no system call)" ||
	fail "message: $hang"
echo "$hang" | grep -q "root cause: .*so the join never returns, as that thread is busy in a loop that does not end (it was running, not waiting on anything" ||
	fail "root cause: $hang"
echo "$hang" | grep -q "if that thread waits for something" && fail "root cause as for a waiting thread: $hang"
grep -Eq "^ +thread [0-9]+ \"spinner\" \(python3\) state R, in no system call \(running\)" "$W/s.txt" || fail "the snapshot's thread line"
sed -n "/thread [0-9]* \"spinner\" (python3) state R/,/^$/p" "$W/s.txt" | grep -q "File \"[^\"]*spin_thread.py\", line 10 in spin" || fail "the spinner's Python traceback"
exit 0

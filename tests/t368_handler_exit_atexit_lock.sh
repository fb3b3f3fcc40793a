#!/bin/bash
# t368: a SIGTERM handler that calls exit() (not async-signal-safe: it runs the atexit handlers),
# whose atexit handler locks a mutex the code the signal interrupted holds (issue 15):
# handler_hang's exitlock, SIGKILL once two snapshots are complete. The teardown began at the
# arrival (hang_arm signal: the handler went on to end the process); the hang finding names the
# program's handler (on_term), the exit() it called and its atexit handler (save_state) with
# their lines, the mutex main holds, a self-deadlock, and the fix: only async-signal-safe work,
# _exit() not exit(). Before: "waits for the mutex m, which it holds itself: a non-recursive mutex
# locked again by its owner never becomes free", with a teardown's fix.
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
handler_hang_run exitlock
[ $RC = 137 ] || fail "exitlock: status $RC"
grep -q ' hang_arm signal 300$' "$W/exitlock.trace" || fail "exitlock: no hang_arm signal"
awk '/^\[[0-9]+\] error hang/ { on = 1 } on' "$W/exitlock.txt" >"$W/exitlock.hang"
grep -Eq "root cause: thread [0-9]+ waits for the mutex m \\(0x[0-9a-f]+\\), which it holds itself: it is in the program's SIGTERM handler on_term \\(handler_hang\\.c:[0-9]+\\), which calls exit\\(\\), whose atexit handler save_state \\(handler_hang\\.c:[0-9]+\\) calls pthread_mutex_lock, .*the code the signal interrupted on that thread \\(.*called from main \\(handler_hang\\.c:[0-9]+\\)\\) had locked it before the signal arrived.*a self-deadlock" "$W/exitlock.hang" ||
	{ grep 'root cause' "$W/exitlock.hang"; fail "exitlock: the handler's exit and its atexit handler are not named"; }
grep -Eq "^    fix:        a signal handler must end the process or return at once, doing only async-signal-safe work \\(signal-safety\\(7\\)\\): on_term \\(handler_hang\\.c:[0-9]+\\) calls exit\\(\\) \\(which runs the atexit handler save_state \\(handler_hang\\.c:[0-9]+\\)\\), which is not async-signal-safe.*_exit\\(\\), not exit\\(\\)" "$W/exitlock.hang" ||
	{ grep 'fix:' "$W/exitlock.hang"; fail "exitlock: the fix is not the handler's"; }
exit 0

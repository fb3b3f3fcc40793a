#!/bin/bash
# t253: a C termination handler that never returns in a multi-threaded process whose other thread
# may take the signal (issue 15): no watcher at the arrival (the clone would widen the window in
# which a second SIGTERM runs the handler on the other thread: t122), but one put off to the first
# point where it widens nothing: the handler sets SIGTERM to SIG_IGN, then locks the mutex main
# holds (mtign: Apache's just_die begins so); the handler installs itself again, the SysV idiom,
# then locks it (mtrearm: any new action of the signal is such a point: the program decided what
# a second one does); the handler joins a thread that never ends (join: the join waits with the
# deadline first, the watcher after it). Each: snapshots timed from the arrival, with the
# handler's frames; SIGKILL after 3x TLSTRACE_HANG_MS=300. (No such point: t235; a handler that
# blocks first: t257, t258.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
for m in mtign mtrearm join; do
	handler_hang_run $m
	handler_hang_checks $m
done
grep -Eq "#[0-9]+ +(__)?pthread_(clock)?join" "$W/join.hang" || { cat "$W/join.hang"; fail "join: no pthread_join frame"; }
grep -q "waits on join" "$W/join.hang" || fail "join: the join is not named"
exit 0

#!/bin/bash
# t235: a termination handler that never returns in a multi-threaded process (issue 15): the
# handler watcher is made there too (docs/design.md, "A termination handler that never returns").
# A C program with a second thread (in pause(), SIGTERM not blocked) whose SIGTERM handler locks a
# mutex the interrupted main thread holds (mtmutex); one whose handler joins a thread that waits
# forever (join); one whose SIGTERM is taken by the second thread because main blocks it
# (thread). SIGTERM, then SIGKILL after 3x TLSTRACE_HANG_MS=300: snapshots timed from the
# arrival, the handler's frames above the interrupted code's, the other thread described too,
# and the join named with the joined thread. (Before the watcher was made with other threads
# alive, these got no snapshot.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
handler_hang_run mtmutex
handler_hang_checks mtmutex
grep -q "root cause: thread [0-9]* waits for the mutex m (0x[0-9a-f]*), which it holds itself" "$W/mtmutex.txt" ||
	{ grep -A4 "error hang" "$W/mtmutex.txt"; fail "mtmutex: the self-deadlock is not named"; }
grep -Eq "#[0-9]+ +pause_forever\\+0x[0-9a-f]+ \\(handler_hang.c:[0-9]+\\)" "$W/mtmutex.hang" || fail "mtmutex: the other thread's frames"
grep -Eq "snapshot [0-9] of the hang watchdog, 2 threads" "$W/mtmutex.hang" || fail "mtmutex: not 2 threads"
handler_hang_run join
handler_hang_checks join on_term
grep -Eq "root cause: thread [0-9]+ joins thread [0-9]+ \\(handler_hang, started at wait_forever\\)" "$W/join.txt" ||
	{ grep -A4 "error hang" "$W/join.txt"; fail "join: the join is not named"; }
handler_hang_run thread
handler_hang_checks thread on_term pause_forever
exit 0

#!/bin/bash
# t237: a termination handler asleep for good in a call a signal would cut short (pause(), a
# 100 s nanosleep): the watcher does not signal it (that would end the sleep early: t206) and
# writes the snapshot itself (issue 15): the thread's state and system call from /proc (the
# report names the call), frames from a scan of its stack through the handler into main. SIGKILL
# ends it as without the shim. (Before: no snapshot.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
handler_hang_scanned pause nap
grep -Eq "thread [0-9]+ \\(handler_hang\\) \\[began the teardown\\] state S, in pause" "$W/pause.hang" || { cat "$W/pause.hang"; fail "pause: the call is not named"; }
grep -Eq "thread [0-9]+ \\(handler_hang\\) \\[began the teardown\\] state S, in (clock_)?nanosleep" "$W/nap.hang" || { cat "$W/nap.hang"; fail "nap: the call is not named"; }
exit 0

#!/bin/bash
# t252: a termination handler that waits forever in sigsuspend (or ppoll) with a mask that
# unblocks the signal (issue 15): the wait's temporary mask made the watcher take the handler for
# ended (its check: the arrived signal unblocked again); now a thread in such a wait below the frame
# the handler was called from is still in it: snapshots timed from the arrival, the handler's
# frames found by a scan (a signal would cut the wait short). A handler that siglongjmps out to a
# main loop waiting in sigsuspend is over: no snapshot (jump). SIGKILL once two snapshots are
# complete, or (jump: none expected) after 3x TLSTRACE_HANG_MS.
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
handler_hang_scanned suspend ppoll
grep -q "in rt_sigsuspend" "$W/suspend.hang" || fail "suspend: not seen in rt_sigsuspend"
HH_SNAPS=0 handler_hang_run jump
[ $RC = 137 ] || fail "jump: status $RC"
! grep -q ' hang [0-9]' "$W/jump.trace" || fail "jump: a snapshot of a handler that was over"
exit 0

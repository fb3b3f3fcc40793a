#!/bin/bash
# t281: what a parent's WNOHANG polls of a child were, in the trace's own counts (issue 15, U7
# F12). A run of empty polls of one child (why `signal`) counts its polls and says when the last
# was (wait_poll's POLLS and LAST fields): one poll, then a pause() in which SIGTERM (default
# action) arrives reads "one empty poll, N ms before a termination signal arrived", never "empty
# polls for N ms" nor "still polling at its end"; three polls 10 ms apart: "3 empty polls over N
# ms, the last M ms before ...". An atexit handler that polls once and then blocks in a read: the
# hang is that read (the thread is not said to wait on the child), and the unfinished finding
# says when its first poll was, not that it polled all the while.
# (Before: "polling waitpid (WNOHANG) ... for 400 ms", "empty polls for 400 ms", "[still polling
# at its end]", and the hang's root cause "is polling waitpid (WNOHANG) ... for 1.2 s".)
. "$(dirname "$0")/lib.sh"
build poll_child poll_child.c
for m in once thrice; do
	signal_while_polling $m TERM -s 34 "$BIN/poll_child" $m # (in pause(): its polls are done)
	[ $RC = 143 ] || fail "$m: status $RC"
	c=$(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$m.out")
	n=$([ $m = once ] && echo 1 || echo 3)
	grep -Eq " wait_poll waitpid $c 0x1 signal - [0-9]+ $n [0-9]+$" "$W/$m.trace" || fail "$m: $(grep ' wait_poll ' "$W/$m.trace")"
	! grep -Eq "still polling|empty polls for|polling waitpid \\(WNOHANG\\) for its child $c \\(poll_child\\) for " "$W/$m.txt" ||
		fail "$m: $(grep -E 'still polling|empty polls for|WNOHANG' "$W/$m.txt")"
done
grep -Eq "thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child [0-9]+ \\(poll_child\\): one empty poll, [0-9]+ ms before a termination signal arrived, which" "$W/once.txt" ||
	fail "once: $(grep -E 'WNOHANG' "$W/once.txt")"
grep -Eq "waitpid\\(WNOHANG\\): polling for child [0-9]+, one empty poll, [0-9]+ ms before a termination signal arrived  \\[no later wait call of this thread ended it\\]" "$W/once.txt" ||
	fail "once: timeline: $(grep -E 'WNOHANG' "$W/once.txt")"
grep -Eq "was polling waitpid \\(WNOHANG\\) for its child [0-9]+ \\(poll_child\\): 3 empty polls over [0-9]+ ms, the last [0-9]+ ms before a termination signal arrived, which" "$W/thrice.txt" ||
	fail "thrice: $(grep -E 'WNOHANG' "$W/thrice.txt")"

# teardown_once: the hang watchdog's first snapshot, then SIGKILL
H=200
signal_while_polling tdown KILL -t " hang_end 1" env TLSTRACE_HANG_MS=$H "$BIN/poll_child" teardown_once
grep -q ' hang_end 1' "$W/tdown.trace" || fail "tdown: no snapshot"
grep -Eq "root cause: the atexit handler poll_once_then_read \\(poll_child.c:[0-9]+\\) in poll_child does not return: thread [0-9]+ \\(poll_child\\), sleeping in read;" "$W/tdown.txt" ||
	fail "tdown: $(grep -A3 'error hang' "$W/tdown.txt" | grep 'root cause')"
! grep -Eq "in read,.*waits on child|is polling waitpid" "$W/tdown.txt" || fail "tdown: $(grep -E 'waits on child|is polling' "$W/tdown.txt")"
grep -q "waitpid(WNOHANG): polling for child [0-9]*, in its teardown (its first empty poll; later ones are not recorded)" "$W/tdown.txt" ||
	fail "tdown: timeline: $(grep 'WNOHANG' "$W/tdown.txt")"
grep -Eq "was polling waitpid \\(WNOHANG\\) for its child [0-9]+ \\(poll_child\\) in its teardown, from [0-9.]+ m?s before \\(its first empty poll; later polls are not recorded\\)" "$W/tdown.txt" ||
	fail "tdown: unfinished: $(grep 'WNOHANG' "$W/tdown.txt")"
exit 0

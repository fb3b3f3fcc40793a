#!/bin/bash
# t087: wait, waitpid (also with a NULL status), wait3, wait4 and waitid (WNOWAIT, then the reap)
# write one `reap` line per child that ended: exit status or signal; a WNOHANG poll that finds
# nothing and a call failing with ECHILD write nothing; the program sees the same statuses.
. "$(dirname "$0")/lib.sh"
build signals signals.c -- -pthread
plain_and_traced wait "$BIN/signals" wait
grep -q "^no child: -1 ECHILD$" "$W/wait.out" || fail "errno after the wrapper"
P=$(pids wait '^tlstrace$')
expect_order wait "$P" "reap waitpid [0-9]+ exit 3 0 0$" "kill kill 15 " "reap wait [0-9]+ signal 15 0 0$" \
	"reap waitpid [0-9]+ exit 4 0 0$" "reap wait3 [0-9]+ exit 5 0 0$" "kill kill 9 " "reap wait4 [0-9]+ signal 9 0 0$" \
	"reap waitid [0-9]+ exit 6 0 1$" "reap waitid [0-9]+ exit 6 0 0$"
[ "$(count_lines wait " reap ")" = 7 ] || fail "expected 7 reap lines, got $(count_lines wait " reap ")"
$REPORT --color=never "$W/wait.trace" >"$W/report.txt" 2>&1
grep -Eq "waitpid: child [0-9]+ exited with status 3" "$W/report.txt" || { cat "$W/report.txt"; fail "timeline: reap"; }
grep -Eq "wait4: child [0-9]+ was killed by SIGKILL" "$W/report.txt" || fail "timeline: reap by signal"
# the children's own traces stop early (pause, killed): their outcome is the parent's word
# (its parent's SIGKILL alone, then its reap: a stop, no finding, as SIGTERM's, since FIX13a)
grep -Eq "^process [0-9]+ signals \\(forked from $P\\): killed by SIGKILL, sent by its parent $P \\(signals\\), which reaped it: a stop" "$W/report.txt" ||
	fail "the child killed by SIGKILL: $(grep '^process' "$W/report.txt")"
grep -Eq "^process [0-9]+ signals \\(forked from $P\\): exit status 4$" "$W/report.txt" || fail "the child that called exit(4)"
exit 0

#!/bin/bash
# t086: kill, killpg's kin, tgkill, pthread_kill, raise and sigqueue each write one `kill` line
# (sender, target, signal): to itself before the call, with the disposition met (a handler here);
# to a child after it, with the result; a failing kill keeps its -1/ESRCH for the program and the
# line says so; kill(pid, 0) probes write nothing. The program's output and status are unchanged.
. "$(dirname "$0")/lib.sh"
build signals signals.c -- -pthread
plain_and_traced send "$BIN/signals" send
grep -q "^kill(999999999) = -1 errno ESRCH$" "$W/send.out" || fail "kill's result or errno changed: $(cat "$W/send.out")"
P=$(pids send '^tlstrace$')
for re in "kill raise 10 $P $P - - fn 0 signals\\+0x" "kill kill 12 $P - - - fn 0 signals\\+0x" \
	"kill tgkill 10 $P $P - - fn 0 signals\\+0x" "kill pthread_kill 12 $P $P - - fn 0 signals\\+0x" \
	"kill sigqueue 10 $P - - - fn 0 signals\\+0x" "kill kill 10 [0-9]+ - 0 0 - - signals\\+0x" \
	"kill sigqueue 10 [0-9]+ - 0 0 - - signals\\+0x" "kill kill 15 999999999 - -1 3 - - signals\\+0x"; do
	expect_line send "^$P $P - $re"
done
expect_no_line send " kill [a-z_]+ 0 "
[ "$(count_lines send " kill ")" = 9 ] || fail "expected 9 kill lines, got $(count_lines send " kill ")"
$REPORT --color=never "$W/send.trace" >"$W/report.txt" 2>&1
grep -Eq "kill\\(SIGUSR1\\) to [0-9]+ from (main|send_all)" "$W/report.txt" || { cat "$W/report.txt"; fail "timeline: the kill to the child"; }
grep -q "kill(SIGTERM) to 999999999 from .* (failed)" "$W/report.txt" || fail "timeline: the failed kill"
exit 0

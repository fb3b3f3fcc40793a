#!/bin/bash
# t144: a termination signal's arrival line is written after the program's handler has run, not
# before it: writing it first delayed the handler by the line's cost (tens of microseconds, the
# sender's name from /proc), and a server's second SIGTERM then found the first handler not done
# (t122: Apache's child crashed instead of hanging). The program's handler reads the trace and
# finds no sig_arrive line yet. The line is still written, with the arrival's time: after the
# handler returns, before the line of an exit() the handler calls, after a siglongjmp out of it
# (at the process's next line), and for a signal taken inside another's handler.
. "$(dirname "$0")/lib.sh"
build arrival_order arrival_order.c
for m in inhandler sender exit longjmp nested; do
	# without the shim the program prints the same text (the count is 0 there: no trace)
	plain_and_traced "$m" "$BIN/arrival_order" "$m"
	[ "$m" = exit ] && { [ "$RC" = 3 ] || fail "exit: status $RC"; }
	grep -q "arrivals written when the handler ran: 0;" "$W/$m.out" ||
		{ cat "$W/$m.out"; fail "$m: the arrival line was written before the handler ran"; }
done
pid() { awk '$4 == "tlstrace" { print $1; exit }' "$W/$1.norm"; }
# each arrival has its line, with the handler, `fn`, and the time it arrived (before what followed)
expect_line inhandler ' sig_arrive 10 0 [0-9]+ [0-9]+ arrival_order\+0x[0-9a-f]+ fn -$'
c=$(awk '$4 == "forked" { print $1; exit }' "$W/sender.norm")
expect_line sender " sig_arrive 10 0 $c [0-9]+ arrival_order\+0x[0-9a-f]+ fn arrival_order$"
expect_order exit "$(pid exit)" ' sig_arrive 10 .* fn ' ' exit 3'
grep -q ' sig_arrive 10 ' "$W/longjmp.norm" || fail "longjmp: no arrival line"
[ "$(count_lines nested ' sig_arrive (10|12) ')" = 2 ] || { grep sig_arrive "$W/nested.norm"; fail "nested: two arrivals"; }
# the times are the arrivals' (raw trace: field 3 is ns): SIGUSR1 before SIGUSR2, both before exit
awk '$5 == "sig_arrive" { t[$6] = $3 } $5 == "main_return" { e = $3 }
	END { exit !(t[10] && t[12] && t[10] < t[12] && t[12] <= e) }' "$W/nested.trace" ||
	{ grep -E "sig_arrive|main_return" "$W/nested.trace"; fail "nested: times"; }
awk '$5 == "sig_arrive" { a = $3 } $5 == "exit" { e = $3 } END { exit !(a && e && a <= e) }' "$W/exit.trace" ||
	{ grep -E "sig_arrive| exit " "$W/exit.trace"; fail "exit: the arrival's time"; }

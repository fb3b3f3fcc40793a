#!/bin/bash
# t138: the threads_alive line's count is the number of threads it lists (up to 48): threads that
# ended without the shim seeing it (a raw exit system call) are neither counted nor listed, and
# threads starting and ending while the line is made do not make the two disagree (a new user saw
# "4 other threads alive" followed by 5 under mod_wsgi); the report's words say the same number.
. "$(dirname "$0")/lib.sh"
build threads_count threads_count.c -- -pthread
check() { # NAME: every threads_alive line of NAME.trace lists as many threads as it counts
	awk '$5 == "threads_alive" { n = $7; k = (NF - 7) / 3; if (n != k && !(n > 48 && k == 48)) { print; bad = 1 } } END { exit bad }' \
		"$W/$1.trace" || fail "$1: count and list disagree"
	grep -q " threads_alive " "$W/$1.trace" || fail "$1: no threads_alive line"
}
traced quiet "$BIN/threads_count" 3
[ $RC = 0 ] || fail "quiet: status $RC"
check quiet
grep -q " threads_alive exit 3 " "$W/quiet.trace" || fail "quiet: $(grep threads_alive "$W/quiet.trace")"
$REPORT --no-symbols "$W/quiet.trace" 2>/dev/null | grep -q " 3 other threads alive at exit(): [0-9]* ([^)]*), [0-9]* ([^)]*), [0-9]* ([^)]*)$" ||
	fail "report words: $($REPORT --no-symbols "$W/quiet.trace" 2>/dev/null | grep -i 'threads alive')"
for i in 1 2 3 4 5; do
	traced busy$i "$BIN/threads_count" 5 churn
	check busy$i
done
traced many "$BIN/threads_count" 60
check many
grep -q " threads_alive exit 60 " "$W/many.trace" || fail "many: $(grep -o 'threads_alive exit [0-9]*' "$W/many.trace")"
exit 0

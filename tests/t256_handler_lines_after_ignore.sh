#!/bin/bash
# t256: what a termination handler installs is written after the handler, not between its calls.
# Apache's just_die first sets SIGHUP, then SIGTERM, to SIG_IGN; until the second call a second
# SIGTERM runs it again on another thread (t122). Writing SIGHUP's sig_handler line there (and
# the kept arrival's before it: the sender's name from /proc, two writes) kept that window open
# ~40 us longer in a fork child (bench/run race). The lines are kept and written later, in the
# order of their times, with the handler's thread: before the exit() the handler calls, or,
# while the handler waits in pause(), before the exit() of another thread.
. "$(dirname "$0")/lib.sh"
build arrival_order arrival_order.c -- -lpthread
for m in ignore ignore_thread; do
	plain_and_traced "$m" "$BIN/arrival_order" "$m"
	grep -q "SIG_IGN lines written in the handler: 0 0;" "$W/$m.out" ||
		{ cat "$W/$m.out"; fail "$m: a SIG_IGN line was written inside the handler"; }
	# all three lines, arrival first, on the handler's thread, before the exit
	awk -v m="$m" '$5 == "sig_arrive" && $6 == 10 { a = $3; at = $2 }
		$5 == "sig_handler" && $6 == 1 && $7 == "0x1" { h = $3; ht = $2 }
		$5 == "sig_handler" && $6 == 15 && $7 == "0x1" { t = $3; tt = $2 }
		$5 == "exit" && !e { e = $3; et = $2 }
		END { if (!(a && h && t && e)) { print m ": missing lines"; exit 1 }
		      if (!(a <= h && h <= t && t <= e)) { print m ": times out of order"; exit 1 }
		      if (at != ht || ht != tt) { print m ": not the handler thread"; exit 1 }
		      if (m == "ignore_thread" && et == at) { print m ": exit on the handler thread"; exit 1 } }' \
		"$W/$m.trace" || { grep -E "sig_arrive|sig_handler|exit" "$W/$m.trace"; fail "$m: the kept lines"; }
done
[ "$RC" = 4 ] || fail "ignore_thread: status $RC, not 4"

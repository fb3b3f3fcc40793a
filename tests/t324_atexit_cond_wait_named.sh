#!/bin/bash
# t324: a C atexit handler blocked in pthread_cond_wait (tests/src/atexit_cond.c: wait_done on
# done_cond, FIX10b P4): the root cause names the handler, the condition variable it waits on
# (the snapshot's futex word done_cond+0x28) and, when the snapshot shows no other thread, that
# none is alive to signal it; the fix is the atexit handler's, with the condition wait's bound.
# With another thread alive ("thread": one in pause) the root cause does not say none is.
# Before: "the thread that began the teardown, thread N (atexit_cond), waiting on a futex in
# futex, did not get further; ..." and fix "see what the snapshot's threads wait for".
# TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build atexit_cond atexit_cond.c -- -O1 -pthread
H=300
for m in alone thread; do
	bg_ready $m "$BIN/atexit_cond" $m
	wait_for $PID 60 "2 complete snapshots of $m" has_lines "$W/$m.trace" 2 ' hang_end '
	kill_report $m
	[ $RC = 137 ] || fail "$m: status $RC"
	root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "root cause:")
	echo "$root" | grep -Eq "root cause: the atexit handler wait_done \(atexit_cond\.c:[0-9]+\) in atexit_cond does not return: thread [0-9]+ \(atexit_cond\), waiting on the condition variable done_cond in pthread_cond_wait \(the futex word done_cond\+0x[0-9a-f]+ \(0x[0-9a-f]+\)\)" ||
		fail "$m: root cause: $root"
	case $m in
	alone) echo "$root" | grep -q "no other thread is alive to signal it" || fail "$m: root cause: $root" ;;
	thread) ! echo "$root" | grep -q "no other thread is alive" || fail "$m: root cause: $root" ;;
	esac
	sed -n '/^verdict/,/^$/p' "$W/$m.txt" | grep -A1 ": hang: " | grep -q "fix: an atexit handler must return promptly" ||
		fail "$m: verdict: $(grep -A2 '^verdict' "$W/$m.txt")"
	grep -q "fix: .*(a condition wait: pthread_cond_timedwait with a deadline" "$W/$m.txt" || fail "$m: fix: $(grep 'fix:' "$W/$m.txt")"
done
exit 0

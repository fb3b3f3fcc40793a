#!/bin/bash
# t377: a teardown that waits in a wait cycle among the snapshot's threads is named a deadlock:
# the cycle, each edge ("joins", "waits on the mutex NAME held by") and the fix that breaks that
# kind of cycle (tests/src/teardown_deadlock.c): an atexit handler that joins a thread waiting on
# a mutex the joiner holds (release the lock before the join), two threads taking two mutexes in
# opposite orders (one order), a join of a thread that joins back (only one side joins). Before
# (FRESH13 item 3): "thread N joins thread M (..., started at io_loop), waiting on a mutex in
# futex, which has not ended" and "tell the thread to stop before joining it". TLSTRACE_HANG_MS
# 300; SIGKILL once two snapshots are in the trace. (A thread's "started at ROUTINE" is said where
# the trace has its start: one that blocks at once may have none written.)
. "$(dirname "$0")/lib.sh"
build teardown_deadlock teardown_deadlock.c -- -O1 -pthread
H=300
for m in join_lock lock_order join_join; do
	hung_run $m "$BIN/teardown_deadlock" $m
	root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "root cause:")
	fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "fix:")
	case $m in
	join_lock)
		re="a deadlock \(a wait cycle of 2 threads: .*\): thread [0-9]+ \(teardown_deadlo\) joins thread [0-9]+ \(teardown_deadlo(, started at io_loop)?\), which waits on the mutex conn_lock \(0x[0-9a-f]+\) held by thread [0-9]+$"
		fre="fix: +break the deadlock: release conn_lock before the join \(a lock the joined thread needs\): thread [0-9]+ holds it while it joins thread [0-9]+, which waits for it" ;;
	lock_order)
		re="a deadlock \(a wait cycle of 2 threads: .*\): thread [0-9]+ \(teardown_deadlo\) waits on the mutex log_lock \(0x[0-9a-f]+\) held by thread [0-9]+ \(teardown_deadlo(, started at flusher)?\), which waits on the mutex cache_lock \(0x[0-9a-f]+\) held by thread [0-9]+$"
		fre="fix: +break the deadlock: take the locks in one order in every thread \(thread [0-9]+ takes cache_lock, then log_lock; thread [0-9]+ takes log_lock, then cache_lock" ;;
	join_join)
		re="root cause: thread [0-9]+ \(teardown_deadlo\) joins thread [0-9]+ \(teardown_deadlo(, started at join_b)?\); that thread is in a deadlock \(a wait cycle of 2 threads: .*\): thread [0-9]+ joins thread [0-9]+ \(teardown_deadlo(, started at join_a)?\), which joins thread [0-9]+$"
		fre="fix: +break the deadlock: a thread must not join a thread that joins it" ;;
	esac
	echo "$root" | grep -Eq "$re" || fail "$m: root cause: $root"
	echo "$fix" | grep -Eq "$fre" || fail "$m: fix: $fix"
	# the verdict's hang line shows the fix's first clause: the deadlock
	sed -n '/^verdict/,/^$/p' "$W/$m.txt" | grep -A1 ": hang: " | grep -q "fix: break the deadlock: " ||
		fail "$m: verdict: $(sed -n '/^verdict/,/^$/p' "$W/$m.txt")"
done
exit 0

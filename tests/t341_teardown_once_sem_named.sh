#!/bin/bash
# t341: a teardown step waiting on a pthread_once whose init routine another thread runs, and a
# join of a thread waiting on a semaphore (tests/src/teardown_once.c): the root cause names the
# glibc call and object each thread waits in, and the thread running the init routine. once:
# "the atexit handler config_at_exit ... does not return: thread N (teardown_once), waiting in
# pthread_once on config_once (0x...) for its init routine to return, which thread M (worker)
# runs, waiting on the semaphore go_sem in sem_wait", and the fix says pthread_once has no
# deadline; join_sem: "joins thread M (worker, started at sem_waiter), waiting on the semaphore
# go_sem in sem_wait". Before (ATK11): once: "the thread that began the teardown, thread N
# (teardown_once), waiting on a futex in futex, did not get further", fix "see what the
# snapshot's threads wait for"; join_sem: "..., waiting on a futex in futex, which has not ended".
# TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build teardown_once teardown_once.c -- -O1 -pthread
H=300
for m in once join_sem; do
	bg_ready $m "$BIN/teardown_once" $m
	# the worker in its futex wait: the second snapshot's line for it says so
	wait_for $PID 60 "2 complete snapshots of $m" has_lines "$W/$m.trace" 2 ' hang_end '
	kill_report $m
	[ $RC = 137 ] || fail "$m: status $RC"
	main=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/$m.trace")
	worker=$(awk '$5 == "hang_thread" && $8 == "worker" { print $6; exit }' "$W/$m.trace")
	root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "root cause:")
	case $m in
	once) re="root cause: the atexit handler config_at_exit \(teardown_once\.c:[0-9]+\) in teardown_once does not return: thread $main \(teardown_once\), waiting in pthread_once on config_once \(0x[0-9a-f]+\) for its init routine to return, which thread $worker \(worker\) runs, waiting on the semaphore go_sem in sem_wait \(the futex word go_sem \(0x[0-9a-f]+\)\); exit\(\) runs the atexit handlers" ;;
	join_sem) re="root cause: thread $main joins thread $worker \(worker, started at sem_waiter\), waiting on the semaphore go_sem in sem_wait \(the futex word go_sem \(0x[0-9a-f]+\)\), which has not ended" ;;
	esac
	echo "$root" | grep -Eq "$re" || fail "$m: $root"
	[ $m = join_sem ] || grep -A5 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep -q "fix: .*(pthread_once has none: it waits for as long as the init routine runs" ||
		fail "$m: $(grep -A5 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep 'fix:')"
done
# killed by SIGTERM with the default action while an atexit handler waits on a semaphore (the
# snapshot at the signal): the killed finding names the wait as the hang does, not "in futex"
# (FRESH11)
build atexit_sem_wait atexit_sem_wait.c -- -O1 -pthread
bg_ready semk "$BIN/atexit_sem_wait"
# (once the handler waits: its atexit_run line is written before it runs, and a SIGTERM between
# that line and its sem_wait finds it "running (no system call)")
wait_for $PID 30 "semk in its atexit handler" has_lines "$W/semk.trace" 1 ' atexit_run '
wait_for $PID 30 "semk's sem_wait (futex)" in_syscall $PID 202
kill -TERM $PID
wait $PID
RC=$?
[ $RC = 143 ] || fail "semk: status $RC"
"$REPORT" --color=never "$W/semk.trace" >"$W/semk.txt" 2>&1
m=$(grep -m1 '^    process [0-9]* (atexit_sem_wait) was killed by SIGTERM' "$W/semk.txt")
echo "$m" | grep -q "killed in the atexit handler wait_done (atexit_sem_wait.c:[0-9]*) in atexit_sem_wait, waiting on the semaphore done_sem in sem_wait" ||
	fail "semk: $m"
exit 0


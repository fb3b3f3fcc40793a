#!/bin/bash
# t287: the default action the shim puts back when a fault it reports ends the process is the
# program's own record, exactly (issue 14; stop 27 SIG9). It was SIG_DFL through glibc's
# sigaction, which adds SA_RESTORER and glibc's restorer (and drops the program's flags and
# mask): read back where the fault does not recur. Here the program queues SIGSEGV (never set:
# flags 0, no restorer) and SIGBUS (SIG_DFL set with SA_RESTART and a mask) to itself with a
# fault's si_code (rt_tgsigqueueinfo). Without the shim it dies by the first. Under the shim the
# report is made and, as nothing faults again, the program went on (stop 27, before
# crash.c's requeue_to_self) and read both actions; now the signal, delivered on the return
# from a system call, is queued again with its siginfo and ends the process as it would have.
# And the signal the default action is re-sent as reaches this thread: a fork child that raises
# SIGTERM in its pthread_atfork child handler (before the shim's fork wrapper knows the child's
# pid) lived on under the shim, the signal sent to its parent's thread id (tgkill: ESRCH); found
# by review/run-all.sh, where a multiprocessing pool's worker killed just after its fork hung
# the pool (1 run in ~20).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build sigexact sigexact.c -- -ldl -pthread
"$BIN/sigexact" fakefault >"$W/plain.out" 2>&1
prc=$?
[ $prc = 139 ] || fail "without the shim: status $prc, expected death by SIGSEGV (139)"
traced t "$BIN/sigexact" fakefault
expect_line t " crash 11 1 0x10 "
! grep -q '^lived$' "$W/t.out" || fail "under the shim the program lived on after a SIGSEGV it queued to itself (status $RC)"
[ $RC = $prc ] || fail "status $RC under the shim, $prc without"
"$BIN/sigexact" atforkterm >"$W/atfork.plain" 2>&1 || fail "atforkterm: status $? without the shim"
traced atfork "$BIN/sigexact" atforkterm
diff "$W/atfork.plain" "$W/atfork.out" || fail "atforkterm: the fork child ended otherwise"
grep -q "^child signal 15$" "$W/atfork.out" || fail "atforkterm: $(cat "$W/atfork.out")"
exit 0

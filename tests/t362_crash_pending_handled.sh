#!/bin/bash
# t362: a crash signal at its default action pending with a signal the program handles (issue 14,
# as 57e40ae for the termination signals, t140's termsig pending): without the shim the kernel
# takes the crash signal first and the process dies of it, the handler never runs. Under the
# shim its crash handler was delivered first and the program's handler nested on it ran before
# it, and printed. "abort": a child's kill -ABRT and our own SIGUSR1, both pending, unblocked;
# "segv": SIGHUP and SIGUSR1 pending, unblocked with the stack pointer on a PROT_NONE page, so
# the kernel fails SIGHUP's frame and forces a real SIGSEGV (si_code SI_KERNEL) with SIGUSR1
# still pending. Both: the same status and output as without the shim, and the crash reported.
# "synckill": a handled SIGSEGV sent by kill and a SIGABRT, both pending: the kernel takes the
# synchronous SIGSEGV first, then dies of SIGABRT before the handler runs, with the shim as
# without (its crash handler leaves the synchronous signals unblocked).
. "$(dirname "$0")/lib.sh"
ulimit -S -c 0
build crashpend crashpend.c
for m in abort segv synckill; do
	plain_and_traced "$m" "$BIN/crashpend" $m
	[ -s "$W/$m.out" ] && { cat "$W/$m.out"; fail "$m: the program's handler ran"; }
	want=134 # (SIGABRT; SIGSEGV for segv: the death the mode means, without the shim too)
	[ $m = segv ] && want=139
	[ "$PLAIN_RC" = $want ] || fail "$m: status $PLAIN_RC without the shim ($want expected)"
done
expect_line abort " crash 6 0 0x[0-9a-f]+ "
expect_line abort " crash_end default$"
expect_no_line abort " sig_arrive 10 "
expect_line segv " crash 11 128 0x0 "
expect_line segv " crash_end default$"
expect_no_line segv " sig_arrive 10 "
expect_line synckill " crash 6 0 0x[0-9a-f]+ "
exit 0

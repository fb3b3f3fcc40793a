#!/bin/bash
# t394: a signal at the program's default action, which the program blocks and lets in only for
# the duration of sigsuspend, ppoll, pselect or epoll_pwait (their own mask), ends the process in
# that call, as without the shim (issue 14, hostile14). The shim's handler re-sends the signal
# blocked for its return; sigreturn puts back the frame's mask, which in these calls is the one
# from before the call (the kernel's saved_sigmask), with the signal blocked: the call returned
# EINTR and the process lived on ("returned -1 (Interrupted system call)", exit 3, against death
# by SIGTERM). Termination signals (signals.c term_default_handler) and a crash signal sent by
# another process (crash.c crash_handler: kill -QUIT, kill -ABRT).
. "$(dirname "$0")/lib.sh"
ulimit -S -c 0
build suspend_death suspend_death.c
for sig in 15 1 2 10 3 6; do
	for call in sigsuspend ppoll pselect epoll_pwait; do
		m=${call}_$sig
		plain_and_traced "$m" "$BIN/suspend_death" $sig $call
		[ "$PLAIN_RC" = $((128 + sig)) ] || fail "$m: status $PLAIN_RC without the shim ($((128 + sig)) expected)"
	done
done
expect_line sigsuspend_15 " sig_arrive 15 "
exit 0

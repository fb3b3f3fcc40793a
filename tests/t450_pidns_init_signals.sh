#!/bin/bash
# t450: the init (pid 1) of a pid namespace, a container's init, sent termination and crash
# signals whose action is the default (docker stop's SIGTERM, kill -INT, kill -SEGV): the kernel
# drops them (SIGNAL_UNKILLABLE, Linux kernel/signal.c sig_task_ignored), so nothing happens
# (HOSTILE16). Under the shim they reached its handlers: a sleep cut short (EINTR), a read
# interrupted, a crash report on stderr for each crash signal. Three ways to become pid 1: the
# child of unshare(CLONE_NEWPID) + fork (the shim's fork), a program exec'd there (its start), and
# the child of glibc's clone(CLONE_NEWPID) running a function of the program (the shim's clone).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (unshare CLONE_NEWPID)"
build pidns_init_signals pidns_init_signals.c
for m in fork exec clone; do
	plain_and_traced $m "$BIN/pidns_init_signals" $m
	[ $RC = 77 ] && skip "$(cat "$W/$m.out")"
	grep -qx "termination signals: nanosleep 0" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
	grep -qx "crash signals: read 1" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
	grep -qx "init exit 0" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
	[ ! -s "$W/$m.err" ] || fail "$m: stderr: $(head -3 "$W/$m.err")"
done
echo ok

#!/bin/bash
# t409: a program that sandboxes itself with an allowlist, a seccomp filter that kills the process
# on any system call but those it makes itself (OpenSSH's preauth sandbox kind; HOSTILE15). Under
# the shim it died by SIGSYS at its exit (the hang watchdog's thread: getuid, prlimit64, then
# pthread_create's rt_sigaction, mmap, mprotect, clone3), and a sandboxed worker whose SIGTERM
# handler counts and returns died by SIGSYS at the signal (the handler watcher's getuid and
# clone, the handler's return asking sigaltstack, the exit asking rt_sigprocmask). Now the shim
# makes no thread in a process that put in a filter of its own and asks the kernel nothing there:
# the outcome is the program's, and the trace says once that the watchdog was not started.
. "$(dirname "$0")/lib.sh"
build seccomp_allowlist seccomp_allowlist.c
for how in exit return selfterm; do
	plain_and_traced $how "$BIN/seccomp_allowlist" $how
	[ "$PLAIN_RC" = 3 ] || fail "$how: the program exits $PLAIN_RC without the shim (expected 3)"
	grep -q '^sum 100000$' "$W/$how.out" || fail "$how: no sum line"
	expect_line $how " note hang%20watchdog%20not%20started:%20the%20program's%20seccomp%20filter%20refuses%20[a-z_0-9]*$"
done
grep -qx 'terms 1' "$W/selfterm.out" || fail "selfterm: the handler did not count the signal"
plain_and_traced worker "$BIN/seccomp_allowlist" worker
[ "$PLAIN_RC" = 0 ] || fail "worker: the program exits $PLAIN_RC without the shim"
grep -qx 'worker exit 5' "$W/worker.out" || { cat "$W/worker.out"; fail "worker: not 'worker exit 5'"; }
grep -qx 'worker: read -1 EINTR terms 1' "$W/worker.out" || { cat "$W/worker.out"; fail "worker: its read was not cut by the signal it counted"; }
echo ok

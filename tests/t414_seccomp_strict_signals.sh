#!/bin/bash
# t414: a process in seccomp's strict mode (read, write, _exit, sigreturn only; rdtsc faults on
# x86) ends by a signal as without the shim (HOSTILE15). The shim's handlers ran in it: a SIGTERM
# whose handler only writes killed it by SIGSEGV (the vDSO clock's rdtsc), a SIGTERM at its
# default action or a fault by SIGKILL (the re-send, the report's system calls). Now the shim
# gives every signal it owns back to the program and goes off before strict mode begins.
. "$(dirname "$0")/lib.sh"
build seccomp_strict_signals seccomp_strict_signals.c
for m in handler default segv; do
	plain_and_traced $m "$BIN/seccomp_strict_signals" $m
	case $m in handler) want="child exit 5" ;; default) want="child killed by signal 15" ;; segv) want="child killed by signal 11" ;; esac
	grep -qx "$want" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
done
grep -qx handler "$W/handler.out" || fail "handler: the program's handler did not run"
expect_line handler " note seccomp%20strict%20mode:%20tracing%20off"
echo ok

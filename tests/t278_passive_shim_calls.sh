#!/bin/bash
# t278: a passive shim (a set-uid program: AT_SECURE; TLSTRACE_DISABLE=1; a trace it cannot
# open) changes nothing of what the interposed calls do (issue 14: no program may behave
# differently). Found while t276 ran with TLSTRACE_DISABLE=1: a passive shim has no module
# table, and its siglongjmp, longjmp, _longjmp and __longjmp_chk called through NULL (SIGSEGV:
# every longjmp of a set-uid program under a global preload), and sigtimedwait, sigwaitinfo and
# sigwait failed with ENOSYS. They now find the real function as the real-function table does.
. "$(dirname "$0")/lib.sh"
build passive_calls passive_calls.c -- -D_FORTIFY_SOURCE=2
nm "$BIN/passive_calls" | grep -q __longjmp_chk || fail "the premise: no __longjmp_chk in the test program"
"$BIN/passive_calls" >"$W/plain.out" 2>&1 || fail "status $? without the shim"
run() { # NAME ENV...: the program under the shim with ENV, its output compared
	local name=$1
	shift
	env "$@" LD_PRELOAD="$SHIM" "$BIN/passive_calls" >"$W/$name.out" 2>&1
	local rc=$?
	[ $rc = 0 ] || { cat "$W/$name.out"; fail "$name: status $rc under the shim"; }
	diff "$W/plain.out" "$W/$name.out" || fail "$name: output differs"
}
run disabled TLSTRACE_DISABLE=1
run no-trace TLSTRACE_FILE=/nonexistent/dir/trace
run active TLSTRACE_FILE="$W/active.trace"
# (AT_SECURE takes the same path as TLSTRACE_DISABLE=1 in shim_init; a set-uid program is not
# tried: the loader preloads no path with a slash into one, only /etc/ld.so.preload would do)
exit 0

#!/bin/bash
# t165: TLSTRACE_WATCH=hw and auto never change the program's outcome. Where hardware breakpoints
# do not fire (this project's VMs: perf_event_open opens, the count stays 0), nothing is watched
# and a `watch off` line says why: static_tls (an atexit handler reads through a pointer its
# destroyed thread_local held) ends with exit 0 as without the shim, where the old fallback to
# poison made it die by SIGSEGV. watch_fds: the descriptor the program's next open() gets, and
# SIGTRAP's disposition as the program reads it, are the same with and without the shim (the
# breakpoints' descriptors, where they fire, are moved above the program's range).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build static_tls static_tls.cc
build watch_fds watch_fds.cc -- -pthread
for mode in hw auto; do
	TLSTRACE_WATCH=$mode plain_and_traced $mode-tls "$BIN/static_tls"
	[ $RC = 0 ] || fail "$mode: exit status $RC, expected 0 as without the shim"
	if grep -q " watch hw " "$W/$mode-tls.trace"; then
		note "$mode: hardware breakpoints fire on this machine"
		expect_line $mode-tls " poison_hit [0-9]+ 0x[0-9a-f]+ conn "
	else
		expect_line $mode-tls " watch off "
		expect_no_line $mode-tls " (poison|poison_hit) "
	fi
	TLSTRACE_WATCH=$mode plain_and_traced $mode-fds "$BIN/watch_fds"
	[ $RC = 0 ] || fail "$mode: watch_fds exit status $RC"
	grep -q "^fd 3 sigtrap default$" "$W/$mode-fds.out" || fail "$mode: watch_fds printed: $(cat "$W/$mode-fds.out")"
done
exit 0

#!/bin/bash
# t141: blocked and ignored termination signals: what a new program inherited (`sig_inherit`),
# a thread's start mask and each change of the blocked termination set by sigprocmask or
# pthread_sigmask (`sig_mask`, only at a change). A SIGTERM that never arrives because the child
# inherited it blocked or ignored, or because every thread blocks it, is a signal-handler finding
# naming why, and a fix for who blocked it (its own threads, or its parent); the program's
# outcome is unchanged.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build termsig termsig.c -- -pthread
for m in blockchild ignchild threadblock sigwait; do
	plain_and_traced "$m" "$BIN/termsig" $m
done
expect_line blockchild " sig_inherit 0x8000 0x0$"
expect_line blockchild " sig_mask sigprocmask 0x8000 termsig\\+0x"
expect_line blockchild " sig_mask sigprocmask 0x0 termsig\\+0x"
expect_line ignchild " sig_inherit 0x0 0x800[048c]$"
expect_line threadblock " sig_mask pthread_sigmask 0x8000 termsig\\+0x"
# a thread created by a thread that blocks TERM starts with it blocked: sigwait's sender is a
# fork child, which keeps the mask: no line there (a fork is not a new thread)
[ "$(count_lines threadblock ' sig_mask ')" = 2 ] || fail "threadblock: two mask changes expected"
expect_no_line ignchild " sig_mask "
for m in blockchild ignchild threadblock; do
	$REPORT --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	grep -Eq "(warning|error) signal-handler .*" "$W/$m.txt" || { cat "$W/$m.txt"; fail "$m: no signal-handler finding"; }
	grep -Eq "the SIGTERM that process [0-9]+ \\(termsig\\) sent to process [0-9]+ \\(termsig\\) never arrived: it ran on until the SIGKILL" "$W/$m.txt" ||
		{ cat "$W/$m.txt"; fail "$m: the message"; }
done
grep -q "inherited it blocked from the parent" "$W/blockchild.txt" || fail "blockchild: why"
grep -q "inherited SIG_IGN for it from its parent" "$W/ignchild.txt" || fail "ignchild: why"
for f in main blocker; do
	grep -Eq "root cause: SIGTERM blocked: .*thread [0-9]+ blocked it with pthread_sigmask\\(\\) from $f" "$W/threadblock.txt" ||
		{ grep root "$W/threadblock.txt"; fail "threadblock: why ($f)"; }
done
# the program's own threads blocked it (no parent did): the fix is theirs, not "the parent should
# unblock SIGTERM in the child before exec" (HANG14); the inherited case keeps that one
grep -Eq "fix: +every thread of the process blocks SIGTERM .*block it only around short sections" "$W/threadblock.txt" ||
	fail "threadblock: fix: $(grep -A4 'signal-handler' "$W/threadblock.txt" | grep 'fix:')"
grep -q "the parent should unblock" "$W/threadblock.txt" && fail "threadblock: the inherited case's fix"
grep -Eq "fix: +a process must start with the termination signals unblocked" "$W/blockchild.txt" ||
	fail "blockchild: fix: $(grep -A4 'signal-handler' "$W/blockchild.txt" | grep 'fix:')"
# inherited SIG_IGN: its own fix, not the blocked threads' (before, "every thread of the process
# blocks SIGTERM" under a root cause that said it was ignored)
grep -Eq "fix: +a process must start with the termination signals at their default: whatever started it set SIG_IGN for SIGTERM" "$W/ignchild.txt" ||
	fail "ignchild: fix: $(grep -A4 'signal-handler' "$W/ignchild.txt" | grep 'fix:')"
# one verdict line per process: the SIGKILL after the lost SIGTERM is said by the signal-handler
# finding's line ("it ran on until the SIGKILL"), not by a second killed line (groups.c lost_stops)
for m in blockchild ignchild threadblock; do
	n=$(sed -n '/^verdict/,/^$/p' "$W/$m.txt" | grep -c '^  [0-9]* process')
	[ "$n" = 1 ] || fail "$m: $n verdict lines: $(sed -n '/^verdict/,/^$/p' "$W/$m.txt")"
done
$REPORT --color=never "$W/sigwait.trace" >"$W/sigwait.txt" 2>&1
! grep -q "never arrived" "$W/sigwait.txt" || fail "sigwait: a signal taken by sigwaitinfo reported as never arrived"
exit 0

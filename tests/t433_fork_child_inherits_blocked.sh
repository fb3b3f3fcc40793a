#!/bin/bash
# t433: a child made by fork alone (no exec) while its parent's thread blocks SIGTERM starts with it
# blocked (fork copies the mask); the parent's SIGTERM stays pending and its SIGKILL 200 ms later
# ends it. The child writes no mask line of its own (sig_inherit is an exec'd program's), so the
# report had only the killed finding, whose fix said "see the signal-handler findings", of which
# there were none (FRESH15b item 2). Now: a signal-handler finding for the child naming the
# parent's thread that blocked it (sigprocmask in signals.c's fork_blocked) and the fork, with a fix
# about the forked child; its killed finding's pointer is then true. The same trace without the
# parent's mask line (the mask not known): no signal-handler finding, and the killed finding's fix
# stands alone (no pointer to findings that are not there).
. "$(dirname "$0")/lib.sh"
build signals signals.c -- -pthread
traced run "$BIN/signals" forkblocked
[ "$RC" = 0 ] && grep -q "^child: signal 9$" "$W/run.out" || fail "status $RC: $(cat "$W/run.out" "$W/run.err")"
$REPORT --color=never "$W/run.trace" >"$W/run.txt" 2>&1
f=$W/run.txt
child=$(sed -n 's/^process \([0-9]*\) signals (forked from [0-9]*): killed by SIGKILL.*/\1/p' "$f")
[ -n "$child" ] || { cat "$f"; fail "no child killed by SIGKILL"; }
grep -A4 "^\[[0-9]*\] error signal-handler  process $child " "$f" | grep -q "root cause: SIGTERM blocked: this process was forked without an exec by its parent [0-9]* (signals): thread [0-9]* blocked it with sigprocmask() from [a-z_]*.* (signals.c:[0-9][^)]*) in signals and forked it; fork copies the forking thread's signal mask" ||
	{ cat "$f"; fail "no signal-handler finding naming the parent's mask"; }
grep -A5 "^\[[0-9]*\] error signal-handler  process $child " "$f" | grep -q "fix: *a child made by fork alone starts with its parent's thread's signal mask: unblock SIGTERM in the child right after fork" ||
	fail "signal-handler fix: $(grep -A5 'error signal-handler' "$f" | grep fix:)"
sed -n '/^verdict/,/^$/p' "$f" | grep -q "signal-handler: the SIGTERM that process [0-9]* (signals) sent to process $child (signals) never arrived" ||
	fail "verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
# without the parent's mask line
grep -v " sig_mask " "$W/run.trace" >"$W/nomask.trace"
$REPORT --color=never "$W/nomask.trace" >"$W/nomask.txt" 2>&1
! grep -q "signal-handler" "$W/nomask.txt" || fail "nomask: $(grep -n 'signal-handler' "$W/nomask.txt")"
kfix=$(grep -A5 "^\[[0-9]*\] error killed  process $child " "$W/nomask.txt" | grep "fix:")
echo "$kfix" | grep -q "it was ignored or blocked, and the trace does not show where (a child made by fork starts with its parent's thread's signal mask" ||
	fail "nomask: killed fix: $kfix"
exit 0

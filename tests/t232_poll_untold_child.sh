#!/bin/bash
# t232: a C parent polling one child it never signalled (waitpid(child, WNOHANG) + usleep, issue
# 15), killed by a supervisor: once its run of empty polls has lasted TLSTRACE_HANG_MS (200 here)
# the shim writes one wait_poll line, WHY `long` (then the run's length, polls, last poll), and the report
# says "polling waitpid (WNOHANG) for its child N (poll_child): N empty polls over M ms"; the same through
# waitid(P_PID). A SIGTERM (default action) before that writes it, WHY `signal`, before the
# arrival. A stop signal sent during the run: the line names it (kill). No line: polls of any
# child (uWSGI's master), polls 300 ms apart (each a new run); two children polled in turn: one
# line; a child that ends and is reaped closes its run (nothing said polling, same status).
. "$(dirname "$0")/lib.sh"
build poll_child poll_child.c
polls() { grep -c " wait_poll " "$W/$1.trace"; }
kid() { sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$1.out" | sed -n "${2:-1}p"; }

# run_poll NAME MODE SIGNAL [-t ERE|-s NR]... [ENV...]: poll_child MODE signalled while it polls,
# once what the case needs is there, or (none given: no line expected) 0.4 s after it began (lib.sh)
run_poll() {
	local name=$1 mode=$2 sig=$3
	shift 3
	signal_while_polling "$name" "$sig" "$@" "$BIN/poll_child" "$mode"
}

run_poll pid untold KILL -t " wait_poll " TLSTRACE_HANG_MS=200
c=$(kid pid)
one_poll pid 137 "waitpid $c 0x1 long - (2[0-9][0-9]|[3-9][0-9][0-9]|[0-9]{4,}) [0-9]+ [0-9]+" # (at least 200 ms)
grep -Eq "thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $c \\(poll_child\\): [0-9]+ empty polls over [0-9]+ ms \\(none counted after them\\), which has no end in its trace" "$W/pid.txt" ||
	fail "pid: $(grep -A4 'warning unfinished' "$W/pid.txt" | head -8)"
grep -Eq "waitpid\\(WNOHANG\\): polling for child $c, [0-9]+ empty polls over [0-9]+ ms \\(none counted after them\\)  \\[no later wait call of this thread ended it\\]" "$W/pid.txt" ||
	fail "pid: timeline: $(grep 'polling' "$W/pid.txt")"

run_poll waitid untold_waitid KILL -t " wait_poll " TLSTRACE_HANG_MS=200
c=$(kid waitid)
grep -Eq " wait_poll waitid $c 0x5 long - [0-9]+ [0-9]+ [0-9]+$" "$W/waitid.trace" || fail "waitid: $(grep -E 'wait_' "$W/waitid.trace")"

run_poll term untold TERM -s 230 # (asleep between two polls: one is done)
c=$(kid term)
one_poll term 143 "waitpid $c 0x1 signal - [0-9]+ [0-9]+ [0-9]+"
tail -2 "$W/term.trace" | head -1 | grep -Eq " wait_poll waitpid $c 0x1 signal - [0-9]+ [0-9]+ [0-9]+$" || fail "term: $(tail -3 "$W/term.trace")"
grep -Eq "was killed by SIGTERM, .*; thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $c \\(poll_child\\): ([0-9]+ empty polls over [0-9]+ ms, the last|one empty poll,) [0-9]+ ms before a termination signal arrived, which" "$W/term.txt" ||
	fail "term: $(grep -A2 'error killed' "$W/term.txt")"

# no line: any child; polls 300 ms apart; two children polled in turn: one line
run_poll any untold_any KILL TLSTRACE_HANG_MS=200
[ "$(polls any)" = 0 ] || fail "any: $(grep wait_poll "$W/any.trace")"
run_poll rare rare KILL TLSTRACE_HANG_MS=200
[ "$(polls rare)" = 0 ] || fail "rare: $(grep wait_poll "$W/rare.trace")"
run_poll two two KILL -t " wait_poll " TLSTRACE_HANG_MS=200
[ "$(polls two)" = 1 ] || fail "two: $(polls two) wait_poll lines, expected 1"

# a stop signal sent during a run: the episode's line names it (kill), not the run (long)
run_poll runkill runkill KILL -t " wait_poll " TLSTRACE_HANG_MS=200
c=$(kid runkill)
one_poll runkill 137 "waitpid $c 0x1 kill $c:15"

# a child that ends: its run closed by the reap, nothing said polling, same status
"$BIN/poll_child" ends >"$W/ends.plain" 2>&1; a=$?
rm -f "$W/ends.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ends.trace TLSTRACE_HANG_MS=200 "$BIN/poll_child" ends >"$W/ends.out" 2>&1; b=$?
[ $a = 0 ] && [ $b = 0 ] || fail "ends: status $b with the shim, $a without"
grep -q " wait_poll waitpid [0-9]* 0x1 long " "$W/ends.trace" || fail "ends: no wait_poll line after 0.6 s of polls"
"$REPORT" --color=never "$W/ends.trace" >"$W/ends.txt"
! grep -Eq "no later wait call of this thread ended it|was polling" "$W/ends.txt" || fail "ends: a finished poll named: $(grep -E 'polling' "$W/ends.txt")"
exit 0

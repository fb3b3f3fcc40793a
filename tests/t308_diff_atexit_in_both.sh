#!/bin/bash
# t308: --diff shows an atexit handler that ran in both traces as one step, not as "only in B":
# run A exits (its handler returns, with nothing shown inside it), run B is SIGKILLed by pid while
# its handler sleeps; B's handler is the same step, said to have not returned, A's to have
# returned after its time (not "-", which reads as "only in A"); B's end is "trace ends" (no end
# in its trace), against A's "process ends". A handler that returned quietly in both stays out of
# the diff, as before.
. "$(dirname "$0")/lib.sh"
build atexit_tls_sleep atexit_tls_sleep.cc
traced exits "$BIN/atexit_tls_sleep" 0
[ $RC = 0 ] || fail "atexit_tls_sleep 0 exited $RC"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/killed.trace "$BIN/atexit_tls_sleep" 60 >/dev/null 2>&1 &
pid=$!
in_handler() { grep -Eq "^$pid $pid [0-9]+ . atexit_run " "$W/killed.trace" 2>/dev/null; }
wait_for $pid 30 "atexit_run line of the sleeping handler" in_handler
kill -KILL $pid
wait $pid 2>/dev/null
"$REPORT" --color=never --diff "$W/exits.trace" "$W/killed.trace" >"$W/d1.txt"
grep -Eq '^    atexit handler flush_handler\(\)  \[A: returned after [0-9.]+ m?s; B: did not return\]$' "$W/d1.txt" ||
	fail "the handler both ran, as one step, A's saying it returned: $(cat "$W/d1.txt")"
grep -q '^  [-+] atexit handler' "$W/d1.txt" && fail "a handler shown as a difference: $(cat "$W/d1.txt")"
grep -q '\[A: -;' "$W/d1.txt" && fail "A's side said as \"-\" (reads as \"only in A\"): $(cat "$W/d1.txt")"
# B's end is a step too (its trace has none: SIGKILL from an untraced shell), not nothing
grep -q '^  - process ends$' "$W/d1.txt" || fail "A's end: $(cat "$W/d1.txt")"
grep -q '^  + trace ends  \[unfinished: killed by a signal the shim cannot see, or still running\]$' "$W/d1.txt" ||
	fail "B's end, no step: $(cat "$W/d1.txt")"
"$REPORT" --color=never --diff "$W/exits.trace" "$W/exits.trace" >"$W/d2.txt"
[ $? = 0 ] || fail "a trace against itself differs: $(cat "$W/d2.txt")"
grep -q 'atexit handler' "$W/d2.txt" && fail "a quiet handler in both is shown: $(cat "$W/d2.txt")"
exit 0

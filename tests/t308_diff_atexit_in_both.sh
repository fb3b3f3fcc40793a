#!/bin/bash
# t308: --diff shows an atexit handler that ran in both traces as one step, not as "only in B":
# run A exits (its handler returns, with nothing shown inside it), run B is SIGKILLed by pid while
# its handler sleeps; B's handler is the same step, said to have not returned, A's to have
# returned after its time (not "-", which reads as "only in A"); B's end is "trace ends" (no end
# in its trace), against A's "process ends". A handler that returned quietly in both stays out of
# the diff, as before. A C++ static object's destructor is named "static destructor", as the
# timeline names it; and one whose only line inside it is the shim's (the hang watchdog armed in the
# first teardown step) is quiet: two clean runs of a C++ program show no step of it (FRESH16).
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

cat >"$W/sd.cc" <<'CC'
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
struct Flusher { ~Flusher() { std::printf("flushed\n"); if (std::getenv("SD_SLEEP")) sleep(60); } } flusher;
struct Cache { ~Cache() { std::printf("cache\n"); } } cache;
int main() { return 0; }
CC
g++ -O0 -g -o "$W/sd" "$W/sd.cc" || fail "build sd"
for n in 1 2; do LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/sd$n.trace "$W/sd" >/dev/null || fail "sd $n"; done
"$REPORT" --color=never --diff "$W/sd1.trace" "$W/sd2.trace" >"$W/d3.txt"
[ $? = 0 ] || fail "two clean runs differ: $(cat "$W/d3.txt")"
grep -q 'destructor\|atexit handler' "$W/d3.txt" && fail "two clean runs: a quiet destructor shown: $(cat "$W/d3.txt")"
SD_SLEEP=1 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/sdk.trace "$W/sd" >/dev/null 2>&1 &
pid=$!
in_dtor() { grep -Eq "^$pid $pid [0-9]+ . atexit_run .* 0\+0x" "$W/sdk.trace" 2>/dev/null && sleep 0.2; }
wait_for $pid 30 "atexit_run line of the sleeping destructor" in_dtor
kill -KILL $pid
wait $pid 2>/dev/null
"$REPORT" --color=never --diff "$W/sd1.trace" "$W/sdk.trace" >"$W/d4.txt"
grep -Eq '^    static destructor Flusher::~Flusher\(\)  \[A: returned after [0-9.]+ m?s; B: did not return\]$' "$W/d4.txt" ||
	fail "the static destructor: $(cat "$W/d4.txt")"
exit 0

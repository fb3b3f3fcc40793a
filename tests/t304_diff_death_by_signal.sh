#!/bin/bash
# t304: --diff shows a death by a signal as a step ("dies by SIGKILL", with its sender), as it
# shows an exit's end: a process SIGKILLed (no line of its own: known from its parent's reap)
# against one that exits; a SIGSEGV crash's death too, after its crash step.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
command -v timeout >/dev/null || skip "no timeout(1)"
build fault_order fault_order.c
# (timeout -s KILL kills its own process group too, itself included: run in a subshell)
{ ( LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/killed.trace exec timeout -s KILL 0.2 sleep 10 ); } 2>/dev/null
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/exits.trace timeout 5 sleep 0.01 || fail "sleep 0.01 under timeout failed"
"$REPORT" --color=never --diff "$W/killed.trace" "$W/exits.trace" >"$W/d1.txt"
[ $? = 1 ] || fail "diff status, expected 1: $(cat "$W/d1.txt")"
grep -Eq '^  - dies by SIGKILL  \[sent by process [0-9]+\]$' "$W/d1.txt" || fail "no death step: $(cat "$W/d1.txt")"
grep -q '^  + process ends$' "$W/d1.txt" || fail "no end step of the exit: $(cat "$W/d1.txt")"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/segv.trace "$BIN/fault_order" jump 2>/dev/null
"$REPORT" --color=never --diff "$W/segv.trace" "$W/exits.trace" >"$W/d2.txt"
grep -A1 '^  - crash SIGSEGV' "$W/d2.txt" | grep -q '^  - dies by SIGSEGV  \[its own\]$' || fail "SIGSEGV: $(cat "$W/d2.txt")"
# the same death on both sides: one step, in both
"$REPORT" --color=never --diff "$W/killed.trace" "$W/killed.trace" >"$W/d3.txt"
grep -Eq '^    dies by SIGKILL' "$W/d3.txt" || fail "same death: $(cat "$W/d3.txt")"
exit 0

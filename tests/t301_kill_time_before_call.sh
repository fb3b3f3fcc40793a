#!/bin/bash
# t301: a kill line about another process carries the time before the call (it is written when
# the call returns, and the target may take the signal, and die, before that): with a kill()
# that returns 30 ms after sending (slowkill.so, preloaded after the shim), the parent's kill line
# is still before its child's arrival line, and the killed finding's time is the child's death
# (its arrival with the default action), not after it. The report does the same for a trace whose
# kill line is late (an older shim's: the kill line's time moved 30 ms on).
. "$(dirname "$0")/lib.sh"
build fault_order fault_order.c
build slowkill.so slowkill.c -- -shared -fPIC
rm -f "$W/term.trace"
LD_PRELOAD="$SHIM $BIN/slowkill.so" TLSTRACE_FILE=$W/term.trace "$BIN/fault_order" term >"$W/term.out" 2>&1 ||
	fail "fault_order term: status $?"
kt=$(awk '$5 == "kill" && $7 == 15 { print $3 }' "$W/term.trace")
at=$(awk '$5 == "sig_arrive" && $6 == 15 { print $3 }' "$W/term.trace")
[ -n "$kt" ] && [ -n "$at" ] || fail "no kill or arrival line: $(grep -v ' mod ' "$W/term.trace")"
[ "$kt" -lt "$at" ] || fail "the kill line ($kt) is not before the arrival it caused ($at)"
# the killed finding at the death: +N ms from the child's timeline start, well under the 30 ms
check() {
	"$REPORT" --color=never "$W/$1" >"$W/$1.txt"
	local ms
	ms=$(grep -E '^\[[0-9]+\] error killed ' "$W/$1.txt" | sed -n 's/.* at +\([0-9]*\)\.[0-9]* ms .*/\1/p')
	[ -n "$ms" ] || fail "$1: no killed finding: $(cat "$W/$1.txt")"
	[ "$ms" -lt 25 ] || fail "$1: the killed finding at +$ms ms, after the death: $(grep -A2 'error killed' "$W/$1.txt")"
	grep -A1 'error killed' "$W/$1.txt" | grep -q -- '-[0-9.]* ms\|-[0-9.]* s ' && fail "$1: a negative time: $(grep -A2 'error killed' "$W/$1.txt")"
	return 0
}
check term.trace
awk '$5 == "kill" { $3 = sprintf("%.0f", $3 + 30000000) } 1' "$W/term.trace" >"$W/late.trace"
check late.trace
exit 0

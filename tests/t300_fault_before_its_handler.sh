#!/bin/bash
# t300: a fault whose handler ends the process (crash_end chain: the crash lines are written at
# the handler's _exit) is placed at the fault's time: its crash line's last field (when the
# signal arrived); so in the timeline the SIGSEGV comes before the kill(SIGTERM) its handler
# sent, the reap and the _exit, and the crash finding's time is the fault's.
. "$(dirname "$0")/lib.sh"
build fault_order fault_order.c
traced chain "$BIN/fault_order" chain
[ "$RC" = 3 ] || fail "exit status $RC, expected 3 (the handler's _exit)"
crash=$(grep " crash " "$W/chain.trace")
kill=$(grep " kill kill 15 " "$W/chain.trace")
[ -n "$crash" ] && [ -n "$kill" ] || fail "no crash or kill line: $(grep -v ' mod ' "$W/chain.trace")"
grep -q " crash_end chain" "$W/chain.trace" || fail "not a chain: $(grep crash_end "$W/chain.trace")"
# the crash line: sig code addr ip sp at, at (the arrival) before the kill line's time
at=$(echo "$crash" | awk '{ print $11 }')
kt=$(echo "$kill" | awk '{ print $3 }')
[ -n "$at" ] && [ "$at" -lt "$kt" ] || fail "crash line without the arrival before the kill ($kt): $crash"
"$REPORT" --color=never "$W/chain.trace" >"$W/chain.txt"
tl=$(sed -n '/^process [0-9]* fault_order: exit status 3/,/^$/p' "$W/chain.txt")
echo "$tl" | grep -E '!! SIGSEGV|kill\(SIGTERM\)|waitpid|_exit\(3\)' | sed 's/.*ms  *[0-9]*  *//' >"$W/order.txt"
printf '%s\n' '!! SIGSEGV' 'kill(SIGTERM)' 'waitpid' '_exit(3)' >"$W/want.txt"
paste -d'|' "$W/want.txt" "$W/order.txt" | while IFS='|' read -r w g; do
	case "$g" in "$w"*) ;; *) fail "timeline order: expected $w, got $g: $tl" ;; esac
done || exit 1
[ "$(wc -l <"$W/order.txt")" = 4 ] || fail "timeline: $tl"
echo "$tl" | grep -q '+0.000 ms .*!! SIGSEGV' || fail "the fault is not the timeline's first step: $tl"
grep -A1 '^\[[0-9]*\] error crash' "$W/chain.txt" | head -1 | grep -q 'at +0.000 ms' ||
	fail "the crash finding's time: $(grep '^\[[0-9]*\] error crash' "$W/chain.txt")"
exit 0

#!/bin/bash
# t386: a fork child of a teardown the hang watchdog already watched (its first snapshots written)
# that then has a teardown of its own gets its own watchdog whole: its hang_arm line and its
# snapshots from round 1. The rounds written, the held lines' touch and the hang_arm line are the
# parent's teardown's (watchdog.c, since the thread could be made again after a park): a child
# that kept them wrote no hang_arm and only round 3.
. "$(dirname "$0")/lib.sh"
build fork_child_teardown fork_child_teardown.c
rm -f "$W/t.trace"
TLSTRACE_HANG_MS=150 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$BIN/fork_child_teardown" 500 >"$W/out" 2>&1 || fail "status $?"
grep -q "^child exited 3$" "$W/out" || fail "$(cat "$W/out")"
parent=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/t.trace")
child=$(awk '$5 == "forked" { print $1; exit }' "$W/t.trace")
[ -n "$child" ] || fail "no forked line"
for p in $parent $child; do
	awk -v p=$p '$1 == p && $5 == "hang_arm"' "$W/t.trace" | grep -q . || fail "process $p: no hang_arm line: $(grep ' hang' "$W/t.trace")"
	for r in 1 2; do
		awk -v p=$p -v r=$r '$1 == p && $5 == "hang" && $6 == r' "$W/t.trace" | grep -q . ||
			fail "process $p: no snapshot $r: $(grep ' hang' "$W/t.trace")"
	done
done
exit 0

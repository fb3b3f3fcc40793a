#!/bin/bash
# t349: a child killed by its parent's killpg() (its own process group) during its teardown: the
# killed finding names the call and its site ("with killpg() from main+0x.. (killpg_child.c:N)"),
# tied by the arrival line's sender pid, as a kill aimed at its pid is (ATK11: "sent by process
# N (traced)" alone, the killpg line in the timeline only; and "after its last traced line").
. "$(dirname "$0")/lib.sh"
build killpg_child killpg_child.c -- -O1
plain_and_traced kpg "$BIN/killpg_child"
[ $RC = 0 ] && grep -qx "child 15" "$W/kpg.out" || fail "status $RC: $(cat "$W/kpg.out")"
"$REPORT" --color=never "$W/kpg.trace" >"$W/kpg.txt" 2>&1
m=$(grep -m1 '^    process [0-9]* (killpg_child) was killed by SIGTERM' "$W/kpg.txt")
echo "$m" | grep -Eq "sent by process [0-9]+ \(killpg_child, traced; uid [0-9]+\) with killpg\(\) from main\+0x[0-9a-f]+ \(killpg_child\.c:[0-9]+\) in killpg_child, taken by thread [0-9]+ with the default action, [0-9.]+ m?s after its teardown began" ||
	fail "killed: $m"
! echo "$m" | grep -q "after its last traced line" || fail "after its last traced line: $m"
echo ok

#!/bin/bash
# t440: a group kill reaches every member of the group, not only its leader (HANG16 1): a traced
# parent stops with killpg() a group of three children it does not lead, the first child its
# leader, the other two members (setpgid by each child and by the parent, as a shell does for a
# job; and by the parent alone), each hung in an atexit handler. SIGKILL has no arrival line, so
# only the group each process was in (the shim's `pgrp` lines: at its start and at setpgid, setpgrp,
# setsid) ties the members to the killpg: every child's killed finding names the parent and its
# killpg() (before: the members' said "sent by a process the traces do not cover"). SIGTERM too.
. "$(dirname "$0")/lib.sh"
build pgrp_kill pgrp_kill.c -- -O1
# check NAME SIG: each of the three children's killed finding names the sender and its call
check() {
	local n=$1 sig=$2 kids f
	kids=$(awk '$5 == "forked" { print $1 }' "$W/$n.trace" | sort -u)
	[ "$(echo "$kids" | wc -w)" = 3 ] || fail "$n: children: $kids"
	for k in $kids; do
		awk -v k="$k" '$5 == "pgrp" && $6 == k' "$W/$n.trace" | grep -q . || fail "$n: no pgrp line for $k"
		f=$(grep -m1 "^    process $k (pgrp_kill) was killed by $sig" "$W/$n.txt")
		echo "$f" | grep -Eq "sent by process [0-9]+ \(pgrp_kill, (its parent|traced; uid [0-9]+)\) with killpg\(\) from main\+0x[0-9a-f]+ \(pgrp_kill\.c:[0-9]+\)" ||
			fail "$n: child $k: $f"
	done
	! grep -q "traces do not cover" "$W/$n.txt" || fail "$n: a sender not found: $(grep 'traces do not cover' "$W/$n.txt")"
}
for mode in both parent; do
	for sig in KILL TERM; do
		n=$mode-$sig
		plain_and_traced "$n" "$BIN/pgrp_kill" $sig $mode
		[ $RC = 0 ] && [ "$(cat "$W/$n.out")" = "$(printf 'child %d %d\n' 0 $(kill -l $sig) 1 $(kill -l $sig) 2 $(kill -l $sig))" ] ||
			fail "$n: status $RC: $(cat "$W/$n.out")"
		"$REPORT" --color=never "$W/$n.trace" >"$W/$n.txt" 2>&1
		check "$n" SIG$sig
	done
done
# timeout(1) -s KILL signals its command, then its own group (kill of 0), which the command is in:
# the command died of the first, aimed at its pid, which the finding names (not the group's, which
# came after it)
build atexit_sleep atexit_sleep.c
rm -f "$W/to.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/to.trace timeout -s KILL 0.5 "$BIN/atexit_sleep" >/dev/null
v=$(awk '$5 == "tlstrace" && $8 ~ /atexit_sleep$/ { print $1 }' "$W/to.trace")
off=$(awk -v v="$v" '$5 == "kill" && $8 == v { sub(/^[^+]*\+/, "", $NF); print $NF; exit }' "$W/to.trace")
[ -n "$v" ] && [ -n "$off" ] || fail "timeout: no kill of $v: $(grep ' kill ' "$W/to.trace")"
"$REPORT" --color=never "$W/to.trace" >"$W/to.txt" 2>&1
f=$(grep -m1 "^    process $v (atexit_sleep) was killed by SIGKILL" "$W/to.txt")
echo "$f" | grep -q "with kill() from [^ ]*+$off," || fail "timeout: not the kill aimed at its pid ($off): $f"
# the start line: the group and session as the kernel has them (ps's pgid and sid)
rm -f "$W/s.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/s.trace sh -c 'ps -o pgid=,sid= -p $$' >"$W/s.out"
read -r pgid sid <"$W/s.out"
grep -Eq "^[0-9]+ [0-9]+ [0-9]+ . pgrp [0-9]+ $pgid $sid start\$" "$W/s.trace" || fail "start line: ps says $pgid $sid: $(grep ' pgrp ' "$W/s.trace")"
echo ok

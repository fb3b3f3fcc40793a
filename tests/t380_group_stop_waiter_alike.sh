#!/bin/bash
# t380: a group stop (kill -TERM -PGID) of `setsid bash -c 'srv & srv drain & wait'` treats the
# waiting bash alike whether the sender is traced or not: no finding, and its header says the
# same SIGTERM reached its children N (group_srv) and M (group_srv), for which it was waiting, in
# one stop of their process group (one killed by it while running, one that drained and exited
# 0). Before (FRESH13 m5): sent from an untraced shell (this test's), an error "killed" finding
# for the bash with "what kept it there is the child's (see that child's findings)", findings
# the children do not have; sent by its traced parent bash (kill -TERM -- -PGID: killpg), none.
# tests/src/group_srv.c; each stop once both servers printed "ready" and the bash waits.
. "$(dirname "$0")/lib.sh"
build group_srv group_srv.c
SRV=$BIN/group_srv
# srv_gone NAME: every group_srv of $W/NAME.trace has ended (its pid is not running)
srv_gone() {
	local p
	for p in $(awk '$5 == "tlstrace" && $NF ~ /group_srv( drain)?$/ { print $1 }' "$W/$1.trace"; awk '$5 == "tlstrace" && $(NF-1) ~ /group_srv$/ { print $1 }' "$W/$1.trace"); do
		! running "$p" || return 1
	done
}
# check NAME: no finding; the waiting bash's header
check() {
	"$REPORT" --color=never "$W/$1.trace" >"$W/$1.txt" 2>&1
	[ "$(grep -c '^\[[0-9]*\] ' "$W/$1.txt")" = 0 ] || fail "$1: findings: $(grep -A1 '^\[[0-9]*\] ' "$W/$1.txt")"
	h=$(grep -E '^process [0-9]+ bash: killed by SIGTERM' "$W/$1.txt")
	echo "$h" | grep -Eq "the same SIGTERM reached its children [0-9]+ \(group_srv\) and [0-9]+ \(group_srv\), for which it was waiting in wait[a-z0-9]*: one stop of their process group, before any teardown of its own; they ended in it" ||
		fail "$1: the waiting bash's header: $h"
	grep -q '^drained$' "$W/$1.out" || fail "$1: the drain did not run: $(cat "$W/$1.out")"
}

# the stop from this (untraced) shell
rm -f "$W/u.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/u.trace setsid bash -c "$SRV & $SRV drain & wait" >"$W/u.out" 2>&1 &
P=$!
wait_for $P 30 "both servers ready" has_lines "$W/u.out" 2 '^ready$'
wait_for $P 30 "the bash's wait" has_lines "$W/u.trace" 1 "^$P .* wait_begin "
kill -TERM -- -"$(ps -o pgid= -p $P | tr -d ' ')"
wait $P
[ $? = 143 ] || fail "u: status"
wait_for - 30 "the servers' end" srv_gone u
check u

# the same stop from its traced parent bash
rm -f "$W/t.trace"
export SRV W
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace bash -c '
	setsid bash -c "$SRV & $SRV drain & wait" >"$W/t.out" 2>&1 &
	p=$!
	n=0
	until [ "$(grep -c "^ready$" "$W/t.out")" = 2 ] && grep -q "^$p .* wait_begin " "$W/t.trace"; do
		n=$((n + 1)); [ $n -lt 1500 ] || exit 9 # (a safety net: 30 s)
		sleep 0.02
	done
	kill -TERM -- -$p
	wait' >"$W/t.sh.out" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 143 ] || fail "t: status $rc: $(cat "$W/t.sh.out")"
wait_for - 30 "the servers' end" srv_gone t
check t
exit 0

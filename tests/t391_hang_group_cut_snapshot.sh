#!/bin/bash
# t391: hang findings that differ only in a later snapshot the kill cut short are one group, and a
# hang message's time is that of the snapshot it names (FIX13 P7, FRESH13b): a master SIGTERMs 2
# workers whose teardowns deadlock (an atexit join of a thread that waits for a mutex the joiner
# holds) and SIGKILLs them later. Where the second worker's watchdog began snapshot 3 just before
# its SIGKILL, the verdict had 3 lines (the hang split: "; snapshot 3 (at 2.0 s) was cut short by
# the process's end ...") and said "2.0 s after it began ...: snapshot 2" (snapshot 2 was taken at
# 1.0 s). That race is made sure of here: the trace's snapshots 3 and later are taken out (the
# master's kill waits for the test to see both workers' snapshot 2), and one worker gets a
# snapshot 3 line just before its kill, as the race writes it (its "at 2000 ms" is the schedule's, its
# time the kill's: the timeline shows it at about 1 s).
. "$(dirname "$0")/lib.sh"
build hang_workers_go hang_workers_go.c -- -pthread
GO=$W/go
T=$W/t.trace
(exec env LD_PRELOAD=$SHIM TLSTRACE_HANG_MS=500 TLSTRACE_FILE=$T "$BIN/hang_workers_go" "$GO") &
PID=$!
trap 'kill -KILL $PID 2>/dev/null' EXIT
n=0
until [ "$(grep -c ' - hang 2 [0-9]* signal ' "$T" 2>/dev/null)" -ge 2 ]; do
	sleep 0.05
	n=$((n + 1))
	[ $n -lt 600 ] || fail "no snapshot 2 of both workers: $(grep ' hang ' "$T")"
done
touch "$GO"
wait $PID
RC=$?
trap - EXIT
[ "$RC" = 0 ] || fail "status $RC"
# the workers: the pids of the snapshot 2 lines; the first gets a cut snapshot 3
W1=$(awk '$5 == "hang" && $6 == 2 { print $1; exit }' "$T")
awk -v w1="$W1" '
	$5 == "hang" && $6 >= 3 { drop[$1 " " $2] = 1 }
	$5 == "hang" && $6 == 2 && $1 == w1 { wd = $2 }
	($1 " " $2) in drop { next }
	$5 == "kill" && $7 == 9 && $8 == w1 && !done { printf "%s %s %.0f - hang 3 2000 signal %s\n", w1, wd, $3 - 1000, w1; done = 1 }
	{ print }' "$T" >"$W/cut.trace"
grep -q " - hang 3 2000 signal $W1$" "$W/cut.trace" || fail "no cut snapshot made: $(grep -E ' hang |kill kill 9' "$W/cut.trace")"
"$REPORT" --color=never "$W/cut.trace" >"$W/cut.txt" 2>&1
sed -n '/^verdict/,/^$/p' "$W/cut.txt" >"$W/verdict.txt"
grep -q "was cut short by the process's end" "$W/cut.txt" || fail "no cut snapshot said: $(cat "$W/verdict.txt")"
# one verdict line: the hang's, grouped, ending with the SIGKILL (no snapshot at it: the killed
# line would say less; it stays in the findings)
[ "$(grep -c '^  [0-9]' "$W/verdict.txt")" = 1 ] || fail "not 1 verdict line: $(cat "$W/verdict.txt")"
grep -Eq "^  2 processes \(hang_workers_go, forked\): hang: .*; it was then killed by SIGKILL from process [0-9]+ \(hang_workers_go\) [0-9.]+ s after its teardown began$" "$W/verdict.txt" || fail "hang not grouped: $(cat "$W/verdict.txt")"
[ "$(grep -c '^\[[0-9]*\] error killed ' "$W/cut.txt")" = 2 ] || fail "killed findings: $(grep '^\[[0-9]*\] ' "$W/cut.txt")"
grep -Eq "process $W1 \(hang_workers_go\) was still in its teardown 1\.0 s after it began .*: snapshot 2 of the hang watchdog" "$W/cut.txt" ||
	fail "the time is not snapshot 2's: $(grep "process $W1 (hang_workers_go) was still" "$W/cut.txt")"
grep -q "snapshot 3 (at 2.0 s) was cut short" "$W/cut.txt" || fail "the cut one's time: $(grep 'cut short' "$W/cut.txt")"
exit 0

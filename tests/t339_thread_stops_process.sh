#!/bin/bash
# t339: a thread of the process sends SIGTERM (default action) to the main thread, hung in an
# atexit handler, with pthread_kill or tgkill (tests/src/thread_stops_process.c): the killed
# finding names the sending thread and the thread that took it; no exit-while-running finding
# (the sender did not fail: it stopped the process). Before (ATK11): "exit-while-running: thread
# N (running stopper) was still running while thread M ran exit(), and failed in stopper ..."
# and "which it sent itself (pthread_kill from stopper...)", root cause "the process raised
# SIGTERM itself ... before the call returned".
. "$(dirname "$0")/lib.sh"
build thread_stops_process thread_stops_process.c -- -O1 -pthread
for m in pthread_kill tgkill; do
	export TLSTRACE_HANG_MS=0
	plain_and_traced $m "$BIN/thread_stops_process" $m
	[ $RC = 143 ] || fail "$m: status $RC"
	"$REPORT" "$W/$m.trace" >"$W/$m.txt" 2>&1
	"$REPORT" --json "$W/$m.trace" >"$W/$m.json" 2>&1
	! grep -q "exit-while-running" "$W/$m.txt" || fail "$m: $(grep -A3 'exit-while-running' "$W/$m.txt" | head -8)"
	grep -Eq "killed by SIGTERM, sent by its own thread [0-9]+ with $m\(\) from stopper\+0x[0-9a-f]+ \(thread_stops_process\.c:[0-9]+\) in thread_stops_process, taken by thread [0-9]+ with the default action" "$W/$m.txt" ||
		fail "$m: $(grep -m1 'killed by' "$W/$m.txt")"
	grep -Eq "root cause: thread [0-9]+ sent SIGTERM to thread [0-9]+ with $m\(\), which met the default action there" "$W/$m.txt" ||
		fail "$m: $(grep -A3 '\] error killed' "$W/$m.txt" | grep 'root cause')"
	grep -q '"kind": *"exit-while-running"' "$W/$m.json" && fail "$m: exit-while-running in --json"
	grep -q '"kind": *"killed"' "$W/$m.json" || fail "$m: no killed finding in --json"
	# the finding is the thread's that took the signal (its arrival line's), not the sender's,
	# also with no snapshot (before: "error killed  process N thread SENDER")
	taker=$(grep -m1 -Eo "taken by thread [0-9]+ with the default action" "$W/$m.txt" | grep -Eo "[0-9]+")
	grep -Eq "^\\[[0-9]+\\] error killed  process [0-9]+ thread $taker at " "$W/$m.txt" ||
		fail "$m: the finding's thread: $(grep 'error killed' "$W/$m.txt")"
done
# with the watchdog on (its default), the snapshot at the signal lists the threads, and the thread
# that took the signal is marked so, not the sending thread (FRESH11: the C pthread_kill case's
# list had no "[took the signal]": the finding's thread was the sender's line's; e8e40f1 took the
# snapshot's, this check fails before it)
unset TLSTRACE_HANG_MS
for m in pthread_kill tgkill; do
	traced snap_$m "$BIN/thread_stops_process" $m
	[ $RC = 143 ] || fail "snap_$m: status $RC"
	"$REPORT" --color=never "$W/snap_$m.trace" >"$W/snap_$m.txt" 2>&1
	taker=$(grep -m1 -Eo "taken by thread [0-9]+ with the default action" "$W/snap_$m.txt" | grep -Eo "[0-9]+")
	[ -n "$taker" ] || fail "snap_$m: $(grep -m1 'killed by' "$W/snap_$m.txt")"
	grep -Eq "^      thread $taker \\([^)]*\\) \\[took the signal\\] " "$W/snap_$m.txt" ||
		fail "snap_$m: the taker $taker not marked: $(grep '^      thread ' "$W/snap_$m.txt")"
	[ "$(grep -c '\[took the signal\]' "$W/snap_$m.txt")" = 1 ] || fail "snap_$m: $(grep '^      thread ' "$W/snap_$m.txt")"
done
exit 0

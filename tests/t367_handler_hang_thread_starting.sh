#!/bin/bash
# t367: a SIGTERM that arrives while a thread made with it blocked has not yet started (issue 15):
# the thread cannot take the signal (glibc's start_thread runs with every signal blocked until it
# sets the creator's mask, which blocks SIGTERM), so the handler watcher is made at the arrival as
# where every other thread blocks it (t250). Before, any thread made and not yet started counted
# as one that may take the signal: the watcher was put off, and a handler that locks a mutex main
# holds got no snapshot. handler_hang's mtstart: main prints "ready", starts a worker with SIGTERM
# blocked and raises SIGTERM at once; the process is kept on one CPU (taskset) so that the worker
# runs only once main blocks in the handler. Each run: snapshots (SIGKILL once two are complete; a
# safety net of 60 s) with the handler's and main's frames; at least one run must have had its
# arrival before the worker's start line (else the case proves nothing: it says so and skips).
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
early=0
for i in 1 2 3; do
	m=mtstart
	bg_ready run$i "${pin[@]}" "$BIN/handler_hang" $m
	wait_for $PID 60 "2 complete snapshots of run $i" has_lines "$W/run$i.trace" 2 ' hang_end '
	kill_report run$i
	[ $RC = 137 ] || fail "run $i: status $RC"
	grep -q ' hang_arm handler 300$' "$W/run$i.trace" || fail "run $i: no hang_arm handler"
	awk '/^\[[0-9]+\] error hang/ { on = 1 } on' "$W/run$i.txt" >"$W/run$i.hang"
	grep -Eq "#[0-9]+ +on_term\\+0x[0-9a-f]+ \\(handler_hang.c:[0-9]+\\)" "$W/run$i.hang" || { cat "$W/run$i.hang"; fail "run $i: no handler frame"; }
	grep -Eq "#[0-9]+ +main\\+0x[0-9a-f]+ \\(handler_hang.c:[0-9]+\\)" "$W/run$i.hang" || { cat "$W/run$i.hang"; fail "run $i: no frame of main"; }
	# the arrival's time against the worker's start (its sig_mask thread line, written as it starts)
	awk '$5 == "sig_arrive" && !a { a = $3 } $5 == "sig_mask" && $6 == "thread" && !s { s = $3 } END { exit !(a && s && a < s) }' \
		"$W/run$i.trace" && early=$((early + 1))
done
[ $early -gt 0 ] || skip "the worker started before the arrival in every run: the race was not met"
note "$early of 3 runs: SIGTERM arrived before the worker started"
exit 0

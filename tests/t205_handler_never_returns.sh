#!/bin/bash
# t205: a termination handler that never returns (issue 15): a single-threaded C program's
# SIGTERM handler locks a mutex the code it interrupted holds (a deadlock on itself; also in an
# SA_SIGINFO|SA_NODEFER handler), or spins; the test sends SIGTERM, then SIGKILL after 3x
# TLSTRACE_HANG_MS=300. (A process with other threads gets no watcher, docs/design.md: its
# handler joining a thread, or taken by a second thread, ends as before, with no snapshot.) The trace has the
# arrival line and the watchdog's snapshots, timed from the arrival; the handler's thread's
# backtrace runs through the handler into what it waits on; the report says the teardown began
# at SIGTERM's arrival and the handler never returned. A handler whose mask blocks every signal
# (sa_mask from sigfillset) gets no snapshot (the watcher's signal cannot reach it; documented)
# and still ends as without the shim.
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
# run_hh MODE: start, SIGTERM once it is ready, SIGKILL after 3x H if still alive; RC its status
run_hh() {
	local m=$1 pid i
	rm -f "$W/$m.trace" "$W/$m.out"
	TLSTRACE_HANG_MS=$H LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$BIN/handler_hang" "$m" >"$W/$m.out" 2>"$W/$m.err" &
	pid=$!
	for i in $(seq 250); do grep -q ready "$W/$m.out" && break; sleep 0.02; done
	kill -TERM $pid
	sleep "$(awk -v h=$H 'BEGIN { print 3 * h / 1000 + 0.15 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid
	RC=$?
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	"$REPORT" --json "$W/$m.trace" >"$W/$m.json" 2>/dev/null
}
for m in mutex nodefer busy; do
	run_hh $m
	[ $RC = 137 ] || fail "$m: status $RC, not SIGKILL's"
	grep -q ' sig_arrive 15 0 [0-9]* [0-9]* 0+0x[0-9a-f]* fn ' "$W/$m.trace" || fail "$m: no arrival line"
	grep -q ' hang_arm handler 300$' "$W/$m.trace" || fail "$m: no hang_arm handler"
	n=$(grep -c ' hang [0-9]' "$W/$m.trace")
	[ "$n" -ge 2 ] || fail "$m: $n snapshots"
	# timed from the arrival: the first at 300 ms (the watcher's clock), the second at 600
	awk '$5 == "hang" { print $7 }' "$W/$m.trace" | awk 'NR==1 && ($1 < 300 || $1 > 550) || NR==2 && ($1 < 600 || $1 > 850) { bad=1 } END { exit bad }' ||
		fail "$m: snapshot times $(awk '$5 == "hang" { print $7 }' "$W/$m.trace" | tr '\n' ' ')"
	grep -Eq "was still in its teardown [0-9.]+ s after it began \(SIGTERM's arrival; its handler on_term(_info)? never returned, thread [0-9]+\)" "$W/$m.txt" ||
		{ grep -A3 "error hang" "$W/$m.txt"; fail "$m: the hang finding does not name the arrival and the handler"; }
	# the handler's thread: its backtrace goes through on_term, below what it waits in
	awk '/^\[[0-9]+\] error hang/ { on = 1 } on' "$W/$m.txt" >"$W/$m.hang"
	grep -Eq "#[0-9]+ +on_term(_info)?\\+0x[0-9a-f]+ \\(handler_hang.c:[0-9]+\\)" "$W/$m.hang" || { cat "$W/$m.hang"; fail "$m: no handler frame"; }
	[ $m = thread ] && interrupted=pause_forever || interrupted=main
	grep -Eq "#[0-9]+ +$interrupted\\+0x[0-9a-f]+ \\(handler_hang.c:[0-9]+\\)" "$W/$m.hang" || fail "$m: no frame of the interrupted $interrupted"
done
grep -q "root cause: thread [0-9]* waits for the mutex m (0x[0-9a-f]*), which it holds itself" "$W/mutex.txt" ||
	{ grep -A4 "error hang" "$W/mutex.txt"; fail "mutex: the self-deadlock is not named"; }
grep -Eq "#[0-9]+ +(__)?pthread_mutex_lock" "$W/mutex.hang" || fail "mutex: no pthread_mutex_lock frame"
$PY - "$W/mutex.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"][0]
me = [t for t in hang["threads"] if t["tid"] == hang["tid"]][0]
assert me["waits_on"]["kind"] == "mutex" and me["waits_on"]["holder"] == me["tid"], me
assert "SIGTERM" in hang["message"] and "on_term never returned" in hang["message"], hang["message"]
PYEOF
# sa_mask full, or other threads alive: no snapshot, nothing else changes (SIGKILL ends it)
for m in fill join thread; do
	run_hh $m
	[ $RC = 137 ] || fail "$m: status $RC"
	! grep -q ' hang ' "$W/$m.trace" || fail "$m: a snapshot"
done
exit 0

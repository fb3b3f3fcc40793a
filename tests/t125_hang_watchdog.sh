#!/bin/bash
# t125: the hang watchdog on teardowns that are slow and then end (tests/src/slow_teardown, exit
# status 7 unless the program saw a change): snapshots at 1x, 2x and 4x TLSTRACE_HANG_MS and no
# more; a mutex's owner (alive) and a join's target named with their start routines; threads in
# nanosleep or poll not signalled (the program checks its sleeps were not cut short); threads that
# block all signals not signalled; TLSTRACE_HANG_MS=0: no watchdog thread, no hang lines; a
# teardown that ends before the first snapshot writes none.
. "$(dirname "$0")/lib.sh"
build slow_teardown slow_teardown.c -- -pthread
run_st() { # MODE HANG_MS
	rm -f "$W/$1.trace"
	TLSTRACE_HANG_MS=$2 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$1.trace "$BIN/slow_teardown" $1 2>"$W/$1.err"
	local rc=$?
	[ $rc = 7 ] || fail "$1: exit $rc: $(cat "$W/$1.err")"
	"$REPORT" --color=never "$W/$1.trace" >"$W/$1.txt" 2>&1
	"$REPORT" --json "$W/$1.trace" >"$W/$1.json" 2>/dev/null
}
run_st mutex 50
[ "$(grep -c ' hang [0-9]' "$W/mutex.trace")" = 3 ] || fail "mutex: $(grep -c ' hang [0-9]' "$W/mutex.trace") snapshots, not 3"
# (at 50, 100 and 200 ms or later, counted from main's return: lib.sh hang_times; no upper bound
# in ms, which a busy machine would break)
hang_times "$W/mutex.trace" main_return hang_arm 50 >"$W/mutex.times" || fail "snapshot times: $(cat "$W/mutex.times")"
grep -q "root cause: the atexit handler slow_exit (slow_teardown.c:[0-9]*) in slow_teardown, on thread [0-9]*, waits for the mutex m (0x[0-9a-f]*) held by thread [0-9]* (slow_teardown, started at lock_holder)" "$W/mutex.txt" ||
	fail "mutex: $(grep -A4 'hang ' "$W/mutex.txt")"
grep -Eq "^\\[1\\] warning hang " "$W/mutex.txt" || fail "mutex: a teardown that ended is a warning"
grep -Eq "#[0-9]+ +slow_exit\\+0x[0-9a-f]+ \\(slow_teardown.c:[0-9]+\\)" "$W/mutex.txt" || fail "mutex: no native frame of the exiting thread"
run_st join 50
# (the joined thread sleeps in a loop: a snapshot on a busy machine may find it between two sleeps)
grep -Eq "root cause: thread [0-9]* joins thread [0-9]* \(slow_teardown, started at sleeper400\), (sleeping in clock_nanosleep|running in no system call \(running\))" "$W/join.txt" ||
	fail "join: $(grep -A4 'hang ' "$W/join.txt")"
run_st sleepers 50
# (not signalled: their frames from a scan of their stacks, t237)
grep -q "(frames found by a scan of its stack, as it could not be interrupted" "$W/sleepers.txt" || fail "sleepers: a sleeper signalled"
grep -Eq "thread [0-9]+ \\(slow_teardown\\) state S, in read, wchan [a-z_]*pipe_read" "$W/sleepers.txt" || fail "sleepers: the reader"
[ "$(awk '$5 == "hang_bt" && NF > 7' "$W/sleepers.trace" | wc -l)" -ge 6 ] || fail "sleepers: too few backtraces taken"
run_st blocked 50
grep -q "the thread blocks the signals that would take it" "$W/blocked.txt" || fail "blocked: a thread blocking every signal was signalled"
# off, and a teardown shorter than the delay
run_st sleepers 0
! grep -Eq " hang_arm | hang " "$W/sleepers.trace" || fail "TLSTRACE_HANG_MS=0 armed the watchdog"
grep -q " config .* hang=0" "$W/sleepers.trace" || fail "config line"
# a teardown that runs no code of the program's (/bin/true) makes no watchdog thread; one that
# does (a destructor function) makes it before that code runs, timed from main's return
rm -f "$W/quick.trace" "$W/quickcode.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/quick.trace /bin/true || fail "/bin/true"
! grep -Eq " hang_arm | hang " "$W/quick.trace" || fail "/bin/true: the watchdog armed"
build held_dtor held_dtor.c -- -pie -fPIE -Wno-array-bounds -lpthread
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/quickcode.trace "$BIN/held_dtor" quiet || fail "held_dtor"
grep -Eq " hang_arm (main_return|exit) 2000" "$W/quickcode.trace" || fail "no hang_arm at main's return"
! grep -q " hang [0-9]" "$W/quickcode.trace" || fail "a snapshot of a quick exit"
$PY - "$W/mutex.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"][0]
me = [t for t in hang["threads"] if t["tid"] == hang["tid"]][0]
w = me["waits_on"]
assert w["kind"] == "mutex" and w["object"] == "m" and w["holder_in_process"], w
assert any(t["tid"] == w["holder"] for t in hang["threads"]), hang["threads"]
PYEOF
exit 0

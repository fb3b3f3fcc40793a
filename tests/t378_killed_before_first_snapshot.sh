#!/bin/bash
# t378: a process killed in its teardown before the hang watchdog's first snapshot says so: its
# killed finding's message says that no snapshot was taken because the kill came N into its
# teardown, before TLSTRACE_HANG_MS (its config line's value), and names the threads alive when
# the teardown began (its threads_alive line) as the likely waiters; its fix begins with setting
# TLSTRACE_HANG_MS below the supervisor's grace period (timeout -k's, where timeout sent it).
# Before (FRESH13 item 4): "fix: SIGKILL is what a supervisor sends ... find what its teardown
# waited on in its phase", with no word of the watchdog. And (FRESH13 m4) the killed findings of
# two workers that differ only in the kill's call site within one function (two kill() lines of
# main) are one group, one verdict line: before, one line each.
# tests/src/workers_killed_early.c (a master that SIGKILLs its workers once their atexit
# handlers run: no timing), TLSTRACE_HANG_MS=60000; and a python3 whose non-daemon thread
# "consumer" keeps Py_FinalizeEx waiting, stopped by timeout -k under the shim once its trace
# shows the teardown (the test's SIGTERM to timeout ends it: timeout passes it on, then kills).
# And one SIGKILLed by this (untraced) shell in its atexit handler (tests/src/atexit_spin.c): its
# unfinished finding says that it ended (or its trace was read) less than TLSTRACE_HANG_MS into its
# teardown, names its threads alive then, and its fix says to set TLSTRACE_HANG_MS below the time
# it is given.
. "$(dirname "$0")/lib.sh"
build workers_killed_early workers_killed_early.c -- -O1 -pthread
build atexit_spin atexit_spin.c -- -O1 -pthread
rm -f "$W/c.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/c.trace TLSTRACE_HANG_MS=60000 timeout 60 "$BIN/workers_killed_early" >"$W/c.out" 2>"$W/c.err"
[ $? = 0 ] && grep -q done "$W/c.out" || fail "workers_killed_early: $(cat "$W/c.err")"
"$REPORT" --color=never "$W/c.trace" >"$W/c.txt" 2>&1
verdict=$(sed -n '/^verdict/,/^$/p' "$W/c.txt")
[ "$(echo "$verdict" | grep -c ': killed: ')" = 1 ] || fail "c: killed verdict lines: $verdict"
echo "$verdict" | grep -Eq "^  2 processes \(workers_killed_early, forked\): killed: " || fail "c: verdict: $verdict"
EARLY="no snapshot of its threads was taken: the kill came [0-9.]+ m?s into its teardown, before the hang watchdog's first snapshot at TLSTRACE_HANG_MS \(60000 ms, its config line\)"
grep -A1 "^\[[0-9]*\] error killed" "$W/c.txt" | grep "^    process" >"$W/c.killed"
[ "$(wc -l <"$W/c.killed")" = 2 ] || fail "c: killed findings: $(cat "$W/c.killed")"
while read -r m; do
	echo "$m" | grep -Eq "$EARLY; the threads alive at exit\(\), when its teardown began, are the likely waiters \(.*\): [0-9]+ \(io_loop\)$" ||
		fail "c: message: $m"
done <"$W/c.killed"
grep -A5 "^\[[0-9]*\] error killed" "$W/c.txt" | grep "^    fix:" | grep -Evq "fix: +to see what its threads wait on, set TLSTRACE_HANG_MS below the supervisor's grace period \(the time the sender gives it before the kill(; here TLSTRACE_HANG_MS=[0-9]+ would do)?\) \(no snapshot was taken because the kill came before TLSTRACE_HANG_MS, 60000 ms\); " &&
	fail "c: fix: $(grep -A5 '^\[[0-9]*\] error killed' "$W/c.txt" | grep '^    fix:')"

# python3 in Py_FinalizeEx joining "consumer", killed by timeout -k 1 (traced) at once
cat >"$W/consumer.py" <<'PY'
import queue, signal, threading, time
stop = False
def on_term(s, f):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
q = queue.Queue()
def consume():
    while True:
        print(q.get())
threading.Thread(target=consume, name="consumer").start()
print("ready", flush=True)
while not stop:
    time.sleep(0.05)
PY
rm -f "$W/py.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/py.trace TLSTRACE_HANG_MS=60000 timeout -k 1 120 $PY "$W/consumer.py" >"$W/py.out" 2>"$W/py.err" &
PID=$!
wait_for $PID 30 "ready from consumer.py" has_lines "$W/py.out" 1 ready
kill -TERM $PID
wait $PID
RC=$?
[ $RC = 124 ] || [ $RC = 137 ] || fail "py: status $RC"
"$REPORT" --color=never "$W/py.trace" >"$W/py.txt" 2>&1
m=$(grep -A1 "^\[[0-9]*\] error killed" "$W/py.txt" | tail -1)
echo "$m" | grep -Eq "$EARLY; the threads alive at Py_FinalizeEx, when its teardown began, are the likely waiters \(Python joins its non-daemon threads there\): [0-9]+ \"consumer\"$" ||
	fail "py: message: $m"
grep -A5 "^\[[0-9]*\] error killed" "$W/py.txt" | grep -Eq "^    fix: +to see what its threads wait on, set TLSTRACE_HANG_MS below the supervisor's grace period \(timeout -k's DURATION, the time between its first signal and the SIGKILL; here TLSTRACE_HANG_MS=[0-9]+ would do\)" ||
	fail "py: fix: $(grep -A5 '^\[[0-9]*\] error killed' "$W/py.txt" | grep '^    fix:')"

ready_then_kill un KILL "$SHIM" "$BIN/atexit_spin"
[ $RC = 137 ] || fail "un: status $RC"
m=$(grep -A1 "^\[[0-9]*\] warning unfinished" "$W/un.txt" | tail -1)
echo "$m" | grep -Eq "; no snapshot of its threads was taken: it ended \(or its trace was read\) less than TLSTRACE_HANG_MS into its teardown, before the hang watchdog's first snapshot at TLSTRACE_HANG_MS \(60000 ms, its config line\); the threads alive at exit\(\), when its teardown began, are the likely waiters \(.*\): [0-9]+ \(holder\)(, [0-9]+ \(writer\))?$" ||
	fail "un: message: $m"
grep -A5 "^\[[0-9]*\] warning unfinished" "$W/un.txt" | grep '^    fix:' | grep -q "; to see what its threads waited on, set TLSTRACE_HANG_MS below the time it is given before it is killed" ||
	fail "un: fix: $(grep -A5 '^\[[0-9]*\] warning unfinished' "$W/un.txt" | grep '^    fix:')"
exit 0

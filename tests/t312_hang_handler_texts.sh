#!/bin/bash
# t312: the hang finding's texts say what the snapshot shows, no more:
# - a Python SIGTERM handler (on_term, tests/src/py_term_sleeps.py) that sleeps: the root cause
#   says the Python-level handler on_term (file:line) did not return (CPython's C-level one only
#   marked the signal), and the verdict names it; before: "the SIGTERM handler that ran at its arrival (CPython's C-level
#   signal handler ..., which only marks the signal ...) did not return", no name in the verdict;
# - a C atexit handler (flush_log, tests/src/atexit_mutex.c) blocked on a mutex a thread holds
#   while it sleeps in pause(): the root cause names the handler, and the fix says what the
#   holder does (holds log_lock while sleeping in pause), not "a thread that waits for the
#   teardown";
# - a Python atexit callback (stop_all) joining a daemon thread that never ends: the root cause
#   names the callback, the fix says join with a timeout or tell the thread to stop first, and
#   does not say "daemon thread" as a remedy.
# TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build atexit_mutex atexit_mutex.c -- -pthread -O1
H=300
root() { grep -A4 "^\[[0-9]*\] error hang" "$1" | grep "root cause:"; }
fix() { grep -A5 "^\[[0-9]*\] error hang" "$1" | grep "^    fix:"; }
two_snapshots() { wait_for $PID 60 "2 complete snapshots of $1" has_lines "$W/$1.trace" 2 ' hang_end '; }

bg_ready pyterm $PY "$ROOT/tests/src/py_term_sleeps.py"
kill -TERM $PID
two_snapshots pyterm
kill_report pyterm
[ $RC = 137 ] || fail "pyterm: status $RC"
root "$W/pyterm.txt" | grep -q "root cause: the Python-level SIGTERM handler (given to signal.signal) on_term (py_term_sleeps.py:7) did not return: thread [0-9]* (python3), at \"[^\"]*py_term_sleeps.py\", line 7 in on_term, asleep in clock_nanosleep (time.sleep); CPython's C-level handler only marked the signal" ||
	fail "pyterm: root cause: $(root "$W/pyterm.txt")"
! root "$W/pyterm.txt" | grep -q "handler that ran at its arrival" || fail "pyterm: the C-level handler said not to return"
grep -A1 "^verdict" "$W/pyterm.txt" | grep -Eq "\(SIGTERM's arrival( from process [0-9]+ \([^)]*\))?; its Python handler on_term at py_term_sleeps.py:7 never returned, thread [0-9]*\)" ||
	fail "pyterm: verdict: $(grep -A1 '^verdict' "$W/pyterm.txt")"

bg_ready mutex "$BIN/atexit_mutex"
two_snapshots mutex
kill_report mutex
[ $RC = 137 ] || fail "mutex: status $RC"
root "$W/mutex.txt" | grep -q "root cause: the atexit handler flush_log (atexit_mutex.c:1[34]) in atexit_mutex, on thread [0-9]*, waits for the mutex log_lock (0x[0-9a-f]*) held by thread [0-9]* (atexit_mutex, started at holder), sleeping in pause: that thread does not wait for the teardown" ||
	fail "mutex: root cause: $(root "$W/mutex.txt")"
fix "$W/mutex.txt" | grep -q "fix: *thread [0-9]* holds log_lock while it is sleeping in pause, and nothing makes it unlock it" || fail "mutex: fix: $(fix "$W/mutex.txt")"
! fix "$W/mutex.txt" | grep -q "waits for the teardown" || fail "mutex: fix: $(fix "$W/mutex.txt")"

cat >"$W/pyjoin.py" <<'PYEOF'
import atexit, threading
never = threading.Event()
worker = threading.Thread(target=never.wait, name="worker", daemon=True)
def stop_all():
    worker.join()
atexit.register(stop_all)
worker.start()
print("ready", flush=True)
PYEOF
bg_ready pyjoin $PY "$W/pyjoin.py"
two_snapshots pyjoin
kill_report pyjoin
[ $RC = 137 ] || fail "pyjoin: status $RC"
root "$W/pyjoin.txt" | grep -q "root cause: an atexit callback (\"[^\"]*pyjoin.py\", line 5 in stop_all) joins thread [0-9]* \"worker\" (python3), .* so that thread is a daemon thread (or one started after that join)" ||
	fail "pyjoin: root cause: $(root "$W/pyjoin.txt")"
fix "$W/pyjoin.txt" | grep -q "fix: *join with a timeout (thread.join(timeout=...)) and return when it passes (not in a loop that joins again), or tell the thread to stop first" ||
	fail "pyjoin: fix: $(fix "$W/pyjoin.txt")"
! fix "$W/pyjoin.txt" | grep -q "daemon" || fail "pyjoin: the fix suggests a daemon thread: $(fix "$W/pyjoin.txt")"
exit 0

#!/bin/bash
# t344: python3's shutdown stuck in concurrent.futures' exit hook, joining a ThreadPoolExecutor
# worker whose task waits for an event nobody sets (tests/src/py_executor_stuck.py): the root
# cause says concurrent.futures joins its workers (_python_exit, threading._register_atexit) and
# names the worker and its task's frame (fetch_forever); the fix is to make the task return, not
# to make the worker a daemon thread. Before (ATK11): "Python joins every non-daemon thread ...
# make thread N ("fetcher_0") a daemon thread (threading.Thread(daemon=True)), or stop it from a
# shutdown hook ... threading._register_atexit", which is where the join already is.
# TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
H=300
bg_ready ex $PY "$ROOT/tests/src/py_executor_stuck.py"
wait_for $PID 60 "2 complete snapshots" has_lines "$W/ex.trace" 2 ' hang_end '
kill_report ex
[ $RC = 137 ] || fail "status $RC"
f=$(grep -A5 "^\[[0-9]*\] error hang" "$W/ex.txt")
echo "$f" | grep -Eq "root cause: concurrent.futures joins the worker threads of its executors at shutdown \(its _python_exit, registered with threading._register_atexit: .*\), and a worker ends only when its running task returns: thread [0-9]+ \"fetcher_0\" .*, a worker of a ThreadPoolExecutor, in the task at File \".*py_executor_stuck\.py\", line [0-9]+ in fetch_forever, has not returned" ||
	fail "root cause: $f"
echo "$f" | grep -q "fix: *make the task return: give what it waits for a timeout" || fail "fix: $f"
! grep -q "a daemon thread (threading.Thread(daemon=True))" "$W/ex.txt" || fail "daemon advice: $(grep 'daemon=True' "$W/ex.txt")"
exit 0

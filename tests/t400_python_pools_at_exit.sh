#!/bin/bash
# t400: Python's process pools at exit, two ways.
# pool: a multiprocessing pool's workers, left running when a supervisor's SIGTERM kills their
# parent in pool.join(), are orphaned: no traced process reaps them, though their parent is
# traced. Their unfinished finding's fix said "trace its parent too (the supervisor under
# LD_PRELOAD ...)", which was done; it says now that the parent ended (killed by SIGTERM) without
# waiting for them, and how to stop them with it. The test kills the workers (SIGKILL, by pid:
# unseen by the shim) once the supervisor has reaped their parent.
# executor: a ProcessPoolExecutor's worker is stuck in a task when the main code ends:
# concurrent.futures' exit hook (process.py _python_exit, run by threading._shutdown) joins the
# executor's manager thread, which waits for the task. The hang's root cause said "Python joins
# every non-daemon thread ...: thread N "Thread-1" ..." and its fix "make thread N ("Thread-1") a
# daemon thread", a thread of concurrent.futures' own; now it names the manager thread, the worker
# process still running and a fix for the task. The supervisor sends SIGTERM once the trace has a
# snapshot (TLSTRACE_HANG_MS 300); the test kills the worker (by pid).
. "$(dirname "$0")/lib.sh"
# kill_workers: SIGKILL to each pid of $W/pids (the pool's workers), waited for (10 s each at the
# most); sets pids
kill_workers() {
	pids=$(cat "$W/pids" 2>/dev/null)
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	for p in $pids; do
		for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
}
cat >"$W/sup.py" <<'PY'
import os, signal, sys, time
pidfile = sys.argv[1]
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, sys.argv[2], pidfile])
for _ in range(600):  # the two workers in their task (a safety bound: 60 s)
    if os.path.exists(pidfile) and len(open(pidfile).read().split()) == 2:
        break
    time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
PY
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$PY" "$W/sup.py" "$W/pids" "$ROOT/tests/apps/pool_orphans.py" >"$W/out" 2>&1
rc=$?
kill_workers
[ $rc = 0 ] || fail "supervisor: status $rc: $(cat "$W/out")"
[ "$(echo $pids | wc -w)" = 2 ] || fail "workers' pids: '$pids'"
"$REPORT" "$W/t.trace" >"$W/report" 2>&1 || true
for p in $pids; do
	grep -q "^\[[0-9]*\] warning unfinished  process $p " "$W/report" || fail "worker $p: no unfinished finding: $(cat "$W/report")"
done
n=$(grep -c "^    fix: *it was orphaned: its parent [0-9]* (python3) ended (killed by SIGTERM) without waiting for it" "$W/report")
[ "$n" = 2 ] || fail "orphaned fix: $n times, not 2: $(cat "$W/report")"
grep -q "trace its parent too" "$W/report" && fail "still 'trace its parent too': $(cat "$W/report")"
rm -f "$W/pids"
cat >"$W/sup2.py" <<'PY'
import os, signal, sys, time
pidfile, trace = sys.argv[1], sys.argv[3]
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, sys.argv[2], pidfile])
for _ in range(600):  # a snapshot of the main's teardown (a safety bound: 60 s)
    if os.path.exists(trace) and " hang_end " in open(trace).read():
        break
    time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
PY
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ex.trace "$PY" "$W/sup2.py" "$W/pids" "$ROOT/tests/apps/executor_at_exit.py" "$W/ex.trace" >"$W/ex.out" 2>&1
rc=$?
kill_workers
[ $rc = 0 ] || fail "executor: supervisor: status $rc: $(cat "$W/ex.out")"
[ "$(echo $pids | wc -w)" = 1 ] || fail "executor: worker's pid: '$pids'"
"$REPORT" --color=never "$W/ex.trace" >"$W/ex.txt" 2>&1
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/ex.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: concurrent.futures waits at shutdown for each ProcessPoolExecutor's manager thread .*: thread [0-9]+ [^,]*, at .*, the executor's manager thread, still waits for a result; worker processes still running \(forked by this process, not reaped\): $pids \(python3\); so the join never returns" ||
	fail "executor: root cause: $root"
grep -q "a daemon thread (threading.Thread(daemon=True))" "$W/ex.txt" && fail "executor: the daemon fix: $(grep -n 'daemon=True' "$W/ex.txt")"
exit 0

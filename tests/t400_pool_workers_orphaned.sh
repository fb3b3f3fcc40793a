#!/bin/bash
# t400: a multiprocessing pool's workers, left running when a supervisor's SIGTERM kills their
# parent in pool.join(), are orphaned: no traced process reaps them, though their parent is
# traced. Their unfinished finding's fix said "trace its parent too (the supervisor under
# LD_PRELOAD ...)", which was done; it says now that the parent ended (killed by SIGTERM) without
# waiting for them, and how to stop them with it. The test kills the workers (SIGKILL, by pid:
# unseen by the shim) once the supervisor has reaped their parent.
. "$(dirname "$0")/lib.sh"
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
pids=$(cat "$W/pids" 2>/dev/null)
for p in $pids; do kill -KILL "$p" 2>/dev/null; done
for p in $pids; do
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
[ $rc = 0 ] || fail "supervisor: status $rc: $(cat "$W/out")"
[ "$(echo $pids | wc -w)" = 2 ] || fail "workers' pids: '$pids'"
"$REPORT" "$W/t.trace" >"$W/report" 2>&1 || true
for p in $pids; do
	grep -q "^\[[0-9]*\] warning unfinished  process $p " "$W/report" || fail "worker $p: no unfinished finding: $(cat "$W/report")"
done
n=$(grep -c "^    fix: *it was orphaned: its parent [0-9]* (python3) ended (killed by SIGTERM) without waiting for it" "$W/report")
[ "$n" = 2 ] || fail "orphaned fix: $n times, not 2: $(cat "$W/report")"
grep -q "trace its parent too" "$W/report" && fail "still 'trace its parent too': $(cat "$W/report")"
exit 0

#!/bin/bash
# t404: an atexit callback that waits on a threading.Event nothing sets (Event.wait, no timeout;
# the process's only thread), under python3. threading's Condition.wait acquires a new Lock twice,
# the second time to block until notify() releases it: no re-entry is at fault and no thread keeps
# the lock. The hang's root cause said "it is the process's only thread: the lock was acquired
# earlier by this thread (a threading.Lock is not re-entrant) or by a thread that ended without
# releasing it" and its fix "a threading.Lock is not re-entrant ... use a threading.RLock"
# (mod_wsgi's Py_Finalize, with Apache's threads in the snapshot: "a lock the teardown needs must
# not be kept by a thread that does not end"); now: the atexit callback waits in Condition.wait
# for a notify that has not come, and Python joined the non-daemon threads before it. The same
# branch serves mod_wsgi's and uWSGI's Py_Finalize (not run here: Apache needs root).
# TLSTRACE_HANG_MS 300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
cat >"$W/app.py" <<'PY'
import atexit, threading
flushed = threading.Event()
def wait_flushed():
    flushed.wait()
atexit.register(wait_flushed)
print("ready", flush=True)
PY
H=300
hung_run ev "$PY" "$W/app.py"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/ev.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: the atexit callback app.wait_flushed \(app.py:4\), on thread [0-9]+ \(python3\), waits in threading's Condition.wait \(an Event's wait and a queue's get wait there too\) until another thread notifies it .*: the wait is for a notify that has not come; Python runs the atexit callbacks after it joined the non-daemon threads, so only daemon threads can still notify it, and no other Python thread is left: it never returns$" ||
	fail "root cause: $root"
fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/ev.txt" | grep "fix:")
echo "$fix" | grep -q "fix: *a shutdown callback must not wait for other threads' work without a bound: give the wait a deadline" || fail "fix: $fix"
grep -q "not re-entrant" "$W/ev.txt" && fail "re-entry said: $(grep -n 're-entrant' "$W/ev.txt")"

# queue.Queue.join given to atexit.register, its consumer dead of an exception with an item taken
# and no task_done() (HANG15): the root cause said it waits "until another thread notifies it
# (Event.set, Condition.notify, Queue.put)"; put() does not wake a join, task_done() does
cat >"$W/qapp.py" <<'PY'
import atexit, queue, threading
q = queue.Queue()
def consume():
    while True:
        if q.get() == 3:
            raise RuntimeError("bad item")
        q.task_done()
t = threading.Thread(target=consume, name="consumer", daemon=True)
t.start()
for i in range(5):
    q.put(i)
t.join()
atexit.register(q.join)
print("ready", flush=True)
PY
hung_run qj "$PY" "$W/qapp.py"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/qj.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: thread [0-9]+ \(python3\), in the atexit callback queue.Queue.join \(a queue's join given to atexit.register\), waits in queue.Queue.join until task_done\(\) has been called once for every item put .*; no other Python thread is left, so it never returns" ||
	fail "queue join: root cause: $root"
echo "$root" | grep -q "Queue.put" && fail "queue join: put named as its waker: $root"
fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/qj.txt" | grep "fix:")
echo "$fix" | grep -q "fix: *call task_done() once for every item taken with get(), in a finally block" || fail "queue join: fix: $fix"
exit 0

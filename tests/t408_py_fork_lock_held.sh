#!/bin/bash
# t408: h6's kind in Python: a thread holds a threading.Lock while the main thread forks; the
# child's atexit callback takes that lock and waits for ever (fork copies the lock's state, not the
# thread that held it). The child's hang names the fork and the parent's other thread, with h6's
# fix in Python's terms (os.register_at_fork, threads after the fork, exec, os._exit); before,
# "a threading.Lock is not re-entrant ... use a threading.RLock" (FRESH14b P2): nothing re-entered.
# Then the same under uWSGI without --lazy-apps (below).
. "$(dirname "$0")/lib.sh"
cat >"$W/forklock.py" <<'PY'
import atexit, os, threading, time
lock = threading.Lock()
def holder():
    with lock:
        while True:
            time.sleep(1)
threading.Thread(target=holder, name="holder", daemon=True).start()
time.sleep(0.2)
def close_db():
    with lock:
        pass
atexit.register(close_db)
pid = os.fork()
if pid == 0:
    raise SystemExit(0)
os.waitpid(pid, 0)
PY
rm -f "$W/fl.trace"
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/fl.trace $PY "$W/forklock.py" >"$W/fl.out" 2>&1 &
P=$!
wait_for $P 30 "the child's fork line" has_lines "$W/fl.trace" 1 " forked $P\$"
C=$(awk -v p=$P '$5 == "forked" && $6 == p { print $1; exit }' "$W/fl.trace")
trap 'kill -KILL $C $P 2>/dev/null' EXIT
wait_for $P 30 "the child's first snapshot" has_lines "$W/fl.trace" 1 "^$C .* hang_end 1\$"
kill -KILL "$C" "$P"
wait $P 2>/dev/null
"$REPORT" --color=never "$W/fl.trace" >"$W/fl.txt" 2>&1
grep -A5 "error hang  process $C " "$W/fl.txt" | grep -Eq "root cause: .* waits on a threading.Lock .* in a process forked from process $P while its parent had 1 other thread at the fork: thread [0-9]+" ||
	fail "root cause: $(grep -A5 "error hang  process $C " "$W/fl.txt")"
grep -A6 "error hang  process $C " "$W/fl.txt" | grep -Eq "fix: +do not fork while other threads may hold locks the child uses: take the lock around the fork \(os.register_at_fork" ||
	fail "fix: $(grep -A6 "error hang  process $C " "$W/fl.txt" | grep 'fix:')"
! grep -q "not re-entrant" "$W/fl.txt" || fail "the re-entrant words: $(grep 'not re-entrant' "$W/fl.txt")"
trap - EXIT
# under uWSGI without --lazy-apps (tests/apps/fork_lock_app.py: the app's thread starts in the
# master): the fix in uWSGI's terms and the thread by its Python name, which the master's trace
# has only after the fork (FRESH17: os.register_at_fork only, and "thread N (started at
# libpython3.11.so.1.0+0x...)"). The worker may be forked while the thread does not hold the
# lock: then its exit is clean and the case is not met.
TLSTRACE_HANG_MS=300 UAPP=fork_lock_app uwsgi_start uw --enable-threads --worker-reload-mercy 2
uwsgi_get
uwsgi_stop INT
"$REPORT" --color=never "$W/uw.trace" >"$W/uw.txt" 2>&1
if ! grep -q "error hang" "$W/uw.txt"; then
	note "uWSGI: the worker was forked while the lock was free (no hang): not checked"
	exit 0
fi
h=$(grep -A6 "error hang  process" "$W/uw.txt")
echo "$h" | grep -Eq "fix: +under uWSGI, load the app in each worker after its fork \(--lazy-apps\) or start such threads from a postfork hook" ||
	fail "uWSGI fix: $(echo "$h" | grep 'fix:')"
echo "$h" | grep -Eq "its parent had 1 other thread at the fork: thread [0-9]+ \(refresher, started at " ||
	fail "uWSGI: the thread's name: $(echo "$h" | grep 'root cause:')"
exit 0

#!/bin/bash
# t408: h6's kind in Python: a thread holds a threading.Lock while the main thread forks; the
# child's atexit callback takes that lock and waits for ever (fork copies the lock's state, not the
# thread that held it). The child's hang names the fork and the parent's other thread, with h6's
# fix in Python's terms (os.register_at_fork, threads after the fork, exec, os._exit); before,
# "a threading.Lock is not re-entrant ... use a threading.RLock" (FRESH14b P2): nothing re-entered.
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
exit 0

#!/bin/bash
# t296: a Python thread that joins names the joined thread (issue 15; shim/python.c py_lock_wait,
# hang_pylock lines): an atexit callback joining a daemon thread that never ends (Thread.join on
# its _tstate_lock), and h1's shape (threading._shutdown joining non-daemon thread "poller" that
# waits on an Event the atexit callback would set). The trace's holder, the JSON waits_on holder
# and the report's thread line ("waits on the join of thread T "name" (python3), or (name) on 3.14, which is at
# FILE:LINE") give the joined thread's real tid; h1's root cause and fix name it. A join chain
# (non-daemon "waiter" joins daemon "forever", which never ends): the fix says to join "forever"
# with a timeout or tell it to stop.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/lib/pylock.sh"
APP='"[^"]*py_lock_waits.py"'
pylock_run join_atexit
pylock_traced join_atexit "$MAIN" join "$WORKER"
grep -q "thread $MAIN (python3) \[began the teardown\] .*; waits on the join of thread $WORKER $(pyname forever), which is at $APP, line [0-9]* in forever\$" "$W/join_atexit.txt" ||
	fail "join_atexit: the thread line: $(grep "thread $MAIN (python3) \[" "$W/join_atexit.txt")"
# (an atexit callback's join of a daemon thread: the callback named, t312)
grep -q "root cause: an atexit callback ($APP, line [0-9]* in stop_worker) joins thread $WORKER $(pyname forever), at $APP, line [0-9]* in forever, which has not ended (Thread.join" "$W/join_atexit.txt" ||
	fail "join_atexit: root cause: $(grep 'root cause' "$W/join_atexit.txt")"
# the joined thread itself waits on a Lock (its Event's): no owner
grep -q "thread $WORKER $(pyname forever) state S.*; waits on lock threading.Lock 0x[0-9a-f]* (0x[0-9a-f]*) held by whoever acquired it (a threading.Lock has no owner: not known)" "$W/join_atexit.txt" ||
	fail "join_atexit: the worker's line: $(grep "thread $WORKER " "$W/join_atexit.txt" | head -2)"
pylock_waits join_atexit "$MAIN" join "$WORKER"
pylock_waits join_atexit "$WORKER" lock ""

pylock_run h1
pylock_traced h1 "$MAIN" join "$WORKER"
grep -q "root cause: Python joins every non-daemon thread (threading._shutdown, in Py_FinalizeEx) before it runs the atexit callbacks; a non-daemon thread is still running: thread $WORKER $(pyname poller), at $APP, line [0-9]* in forever, the thread the join waits for" "$W/h1.txt" ||
	fail "h1: root cause: $(grep 'root cause' "$W/h1.txt")"
grep -q "fix: *make thread $WORKER (\"poller\") a daemon thread (threading.Thread(daemon=True))" "$W/h1.txt" || fail "h1: fix: $(grep 'fix:' "$W/h1.txt")"
grep -q "; waits on the join of thread $WORKER $(pyname poller), which is at $APP, line [0-9]* in forever\$" "$W/h1.txt" || fail "h1: the main thread's line"
pylock_waits h1 "$MAIN" join "$WORKER"

# a join chain: threading._shutdown joins non-daemon "waiter", which joins daemon "forever", which
# never ends: the fix (in the verdict too) says to bound or stop the inner join, naming "forever"
pylock_run join_chain
pylock_traced join_chain "$MAIN" join "$WAITER"
v=$(sed -n '/^verdict/,/^$/p' "$W/join_chain.txt")
echo "$v" | grep -q "fix: make thread $WAITER (\"waiter\") a daemon thread (threading.Thread(daemon=True)), or make it end before the join: it joins thread $WORKER (\"forever\"), which does not end, so join \"forever\" with a timeout (Thread.join(timeout=...)) or tell \"forever\" to stop" ||
	fail "join_chain: the verdict's fix: $v"
pylock_waits join_chain "$WAITER" join "$WORKER"
exit 0

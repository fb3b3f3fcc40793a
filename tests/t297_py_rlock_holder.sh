#!/bin/bash
# t297: a Python thread blocked on a threading.RLock during teardown names its owner (issue 15;
# rlock_owner, a thread ident, matched to a thread state): non-daemon thread "waiter" blocked on
# an RLock daemon thread "holder" keeps, joined by threading._shutdown (the root cause names the
# joined thread and the RLock's holder); an atexit callback blocked on such an RLock (the root
# cause names the holder). The JSON waits_on holder is the holder's real tid.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/lib/pylock.sh"
APP='"[^"]*py_lock_waits.py"'
pylock_run rlock_shutdown
pylock_traced rlock_shutdown "$WAITER" rlock "$HOLDER"
grep -q "thread $WAITER $(pyname waiter) state S.*; waits on rlock threading.RLock 0x[0-9a-f]* (0x[0-9a-f]*) held by thread $HOLDER $(pyname holder), which is at $APP, line [0-9]* in keep\$" "$W/rlock_shutdown.txt" ||
	fail "rlock_shutdown: the waiter's line: $(grep "thread $WAITER " "$W/rlock_shutdown.txt" | head -2)"
grep -q "root cause: Python joins every non-daemon thread .*: thread $WAITER $(pyname waiter), at $APP, line [0-9]* in wait_for_lock, the thread the join waits for; it waits for the threading.RLock 0x[0-9a-f]*, held by thread $HOLDER $(pyname holder)" "$W/rlock_shutdown.txt" ||
	fail "rlock_shutdown: root cause: $(grep 'root cause' "$W/rlock_shutdown.txt")"
pylock_waits rlock_shutdown "$WAITER" rlock "$HOLDER"
pylock_waits rlock_shutdown "$MAIN" join "$WAITER"

pylock_run rlock_atexit
pylock_traced rlock_atexit "$MAIN" rlock "$HOLDER"
grep -q "root cause: thread $MAIN waits for the threading.RLock 0x[0-9a-f]* (0x[0-9a-f]*), held by thread $HOLDER $(pyname holder), at $APP, line [0-9]* in keep" "$W/rlock_atexit.txt" ||
	fail "rlock_atexit: root cause: $(grep 'root cause' "$W/rlock_atexit.txt")"
pylock_waits rlock_atexit "$MAIN" rlock "$HOLDER"
exit 0

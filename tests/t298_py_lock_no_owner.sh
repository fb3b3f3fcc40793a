#!/bin/bash
# t298: a Python thread blocked on a plain threading.Lock during teardown (an atexit callback
# acquiring a Lock a daemon thread acquired): the report says a Lock has no owner rather than
# guessing one (issue 15): the thread line, the root cause, and the JSON waits_on (kind lock,
# holder null), though one other thread is there to blame.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/lib/pylock.sh"
pylock_run lock_atexit
pylock_traced lock_atexit "$MAIN" lock -
grep -q "thread $MAIN (python3) \[began the teardown\] .*; waits on lock threading.Lock 0x[0-9a-f]* (0x[0-9a-f]*) held by whoever acquired it (a threading.Lock has no owner: not known)\$" "$W/lock_atexit.txt" ||
	fail "the main thread's line: $(grep "thread $MAIN (python3) \[" "$W/lock_atexit.txt")"
grep -q "root cause: the thread that began the teardown, thread $MAIN (python3), .*, waits on a threading.Lock 0x[0-9a-f]* (0x[0-9a-f]*), and a threading.Lock has no owner: whoever acquired it holds it, and the snapshot cannot say who" "$W/lock_atexit.txt" ||
	fail "root cause: $(grep 'root cause' "$W/lock_atexit.txt")"
! grep "root cause" "$W/lock_atexit.txt" | grep -q "held by thread $HOLDER" || fail "a guessed holder"
pylock_waits lock_atexit "$MAIN" lock ""
exit 0

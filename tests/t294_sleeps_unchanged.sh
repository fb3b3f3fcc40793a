#!/bin/bash
# t294: the sleep, poll and timed-wait wrappers (shim/sleeps.c) change nothing a caller sees
# (issue 15, PY9): tests/src/sleeps_calls.c makes each call where a wrapper could differ (errors:
# the return value and errno, errno left alone by a call that returns its error or succeeds;
# zero and short timeouts; EINTR from a handler with the time left; data ready; each call acting
# on a pending deferred cancellation) and prints what it saw, and the lines must be the same
# without and with the shim: as a C program, and from python3's main thread through ctypes in its
# main code and in an atexit callback (the wrappers' Python path, py_fin_blocking, which there
# begins the teardown: a hang_arm py_fin_stack line; none in a run whose waits are all in the
# main code, before any teardown: its watchdog is main's return's).
. "$(dirname "$0")/lib.sh"
calls_unchanged sleeps_calls 50 "cancel at sleep" -pthread
grep -q "c cancel at sem_clockwait rc=1" "$W/c.plain" || { cat "$W/c.plain"; fail "the program's own check: no cancellation"; }
exit 0

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
build sleeps_calls sleeps_calls.c -- -DMAIN -pthread
gcc -g -O2 -Wall -fPIC -shared -pthread -o "$W/libsleeps_calls.so" "$ROOT/tests/src/sleeps_calls.c" || fail "cannot build the library"
"$BIN/sleeps_calls" >"$W/c.plain" 2>&1 || fail "plain run: status $?"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/c.trace "$BIN/sleeps_calls" >"$W/c.shim" 2>&1 || fail "traced run: status $?"
[ "$(wc -l <"$W/c.plain")" -ge 50 ] || { cat "$W/c.plain"; fail "too few lines"; }
grep -q "c cancel at sem_clockwait rc=1" "$W/c.plain" || { cat "$W/c.plain"; fail "the program's own check: no cancellation"; }
diff "$W/c.plain" "$W/c.shim" >"$W/c.diff" || { cat "$W/c.diff"; fail "the C program saw something else under the shim"; }
cat >"$W/calls.py" <<'PYEOF'
import atexit, ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.sleeps_calls(b"main")
if sys.argv[2] == "atexit":
    atexit.register(lambda: lib.sleeps_calls(b"atexit"))
PYEOF
for m in atexit main; do
	$PY "$W/calls.py" "$W/libsleeps_calls.so" $m >"$W/py-$m.plain" 2>&1 || fail "python3 $m, plain: status $?"
	TLSTRACE_HANG_MS=60000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/py-$m.trace $PY "$W/calls.py" "$W/libsleeps_calls.so" $m \
		>"$W/py-$m.shim" 2>&1 || fail "python3 $m, traced: status $?"
	diff "$W/py-$m.plain" "$W/py-$m.shim" >"$W/py-$m.diff" || { cat "$W/py-$m.diff"; fail "python3 $m saw something else under the shim"; }
done
grep -q "^atexit cancel at sleep rc=1" "$W/py-atexit.plain" || fail "python3: the atexit callback's calls did not all run"
grep -q " hang_arm py_fin_stack 60000$" "$W/py-atexit.trace" || fail "python3: the atexit callback's waits did not begin the teardown"
! grep -q " hang_arm py_fin_stack \| threads_alive py_fin_stack " "$W/py-main.trace" ||
	fail "python3: a wait in the main code began a teardown: $(grep ' py_fin_stack ' "$W/py-main.trace")"
exit 0

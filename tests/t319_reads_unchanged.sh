#!/bin/bash
# t319: the read, receive, accept, connect, signal-wait and lock-wait wrappers (shim/reads.c;
# signals.c's sigtimedwait, sigwaitinfo and waitpid, which now ask python.c too) change nothing a
# caller sees (issue 15, PY10): tests/src/reads_calls.c makes each call where a wrapper could
# differ (errors: the return value and errno, errno left alone by a call that succeeds; data
# ready; a descriptor that does not block; EINTR from a handler without SA_RESTART; each
# cancellation point acting on a pending deferred cancellation) and prints what it saw, and the
# lines must be the same without and with the shim: as a C program (built with
# _FILE_OFFSET_BITS=64: fcntl64, as python3 calls it), and from python3's main thread through
# ctypes in its main code and in an atexit callback (the wrappers' Python path,
# py_fin_blocking_fd, which there begins the teardown at the first call that may block: a
# hang_arm py_fin_stack line; none in a run whose calls are all in the main code).
. "$(dirname "$0")/lib.sh"
build reads_calls reads_calls.c -- -DMAIN -D_FILE_OFFSET_BITS=64 -pthread
gcc -g -O2 -Wall -fPIC -shared -pthread -D_FILE_OFFSET_BITS=64 -o "$W/libreads_calls.so" "$ROOT/tests/src/reads_calls.c" ||
	fail "cannot build the library"
nm -D "$BIN/reads_calls" | grep -q " U fcntl64" || fail "the program does not call fcntl64"
"$BIN/reads_calls" >"$W/c.plain" 2>&1 || fail "plain run: status $?"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/c.trace "$BIN/reads_calls" >"$W/c.shim" 2>&1 || fail "traced run: status $?"
[ "$(wc -l <"$W/c.plain")" -ge 60 ] || { cat "$W/c.plain"; fail "too few lines"; }
grep -q "c cancel at fcntl F_OFD_SETLKW rc=1" "$W/c.plain" || { cat "$W/c.plain"; fail "the program's own check: no cancellation"; }
grep -q "c read eintr rc=-1 errno=EINTR" "$W/c.plain" || { cat "$W/c.plain"; fail "the program's own check: no EINTR"; }
diff "$W/c.plain" "$W/c.shim" >"$W/c.diff" || { cat "$W/c.diff"; fail "the C program saw something else under the shim"; }
cat >"$W/calls.py" <<'PYEOF'
import atexit, ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.reads_calls(b"main")
if sys.argv[2] == "atexit":
    atexit.register(lambda: lib.reads_calls(b"atexit"))
PYEOF
for m in atexit main; do
	$PY "$W/calls.py" "$W/libreads_calls.so" $m >"$W/py-$m.plain" 2>&1 || fail "python3 $m, plain: status $?"
	TLSTRACE_HANG_MS=60000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/py-$m.trace $PY "$W/calls.py" "$W/libreads_calls.so" $m \
		>"$W/py-$m.shim" 2>&1 || fail "python3 $m, traced: status $?"
	diff "$W/py-$m.plain" "$W/py-$m.shim" >"$W/py-$m.diff" || { cat "$W/py-$m.diff"; fail "python3 $m saw something else under the shim"; }
done
grep -q "^atexit cancel at fcntl F_OFD_SETLKW rc=1" "$W/py-atexit.plain" || fail "python3: the atexit callback's calls did not all run"
grep -q " hang_arm py_fin_stack 60000$" "$W/py-atexit.trace" || fail "python3: the atexit callback's calls did not begin the teardown"
! grep -q " hang_arm py_fin_stack \| threads_alive py_fin_stack " "$W/py-main.trace" ||
	fail "python3: a call in the main code began a teardown: $(grep ' py_fin_stack ' "$W/py-main.trace")"
exit 0

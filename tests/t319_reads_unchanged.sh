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
calls_unchanged reads_calls 60 "cancel at fcntl F_OFD_SETLKW" -D_FILE_OFFSET_BITS=64 -pthread
nm -D "$BIN/reads_calls" | grep -q " U fcntl64" || fail "the program does not call fcntl64"
grep -q "c cancel at fcntl F_OFD_SETLKW rc=1" "$W/c.plain" || { cat "$W/c.plain"; fail "the program's own check: no cancellation"; }
grep -q "c read eintr rc=-1 errno=EINTR" "$W/c.plain" || { cat "$W/c.plain"; fail "the program's own check: no EINTR"; }
exit 0

#!/bin/bash
# t420: python3's atexit runs logging.shutdown, which waits for a StreamHandler's lock (an RLock)
# that a daemon thread holds while its emit writes to stdout, a pipe whose reader never reads
# (tests/apps/log_pipe_full.py) (HANG15). The hang's root cause named the holder at its line,
# with the generic fix "hold it only around the work it guards ..., never across a wait", which
# logging's own lock, held around each emit by design, cannot follow. Now it says that the
# holder keeps the lock while it is blocked in write to a full pipe whose reader does not read,
# what logging does with that lock at exit, and a fix about the stream's reader and logging's
# QueueHandler. TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace. The reader:
# a fifo opened by a sleep that never reads it.
. "$(dirname "$0")/lib.sh"
unread_pipe_run KILL 2 $PY "$ROOT/tests/apps/log_pipe_full.py"
[ $RC = 137 ] || fail "status $RC: $(cat "$W/err")"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/report" | grep "root cause:")
echo "$root" | grep -Eq "root cause: thread $PID waits for the threading.RLock .* held by thread [0-9]+ \"chatter\" \(python3\), .*; that thread does not wait for the teardown, it keeps the RLock while it is sleeping in write: a full pipe, whose reader does not read it \(logging holds a handler's lock while its emit writes a record; logging.shutdown" ||
	fail "root cause: $root"
fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/report" | grep "fix:")
echo "$fix" | grep -q "fix: *a logging handler's stream must not block: .*QueueHandler" || fail "fix: $fix"
exit 0

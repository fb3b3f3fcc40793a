#!/bin/bash
# t473: a C SIGTERM handler that calls printf blocks on stdout's lock, which another thread holds
# (tests/src/handler_otherlock.c; HANG17 item 3's variant where the holder is another thread, t366
# being the same thread's). The hang finding names the holder as for any lock, and now also the
# handler and its call that is not async-signal-safe, with the signal-safety(7) fix (before: the
# generic "do not sleep, wait or take locks in it", no handler or call named).
. "$(dirname "$0")/lib.sh"
build handler_otherlock handler_otherlock.c -- -pthread -O1
H=300
bg_ready o "$BIN/handler_otherlock"
kill -TERM $PID
wait_for $PID 60 "2 complete snapshots" has_lines "$W/o.trace" 2 ' hang_end '
kill_report o
[ $RC = 137 ] || fail "status $RC (137: the test's SIGKILL)"
keeper=$(awk '$5 == "hang_thread" && $6 != $1 { print $6; exit }' "$W/o.trace")
hang=$(grep -A4 "^\[[0-9]*\] error hang" "$W/o.txt")
echo "$hang" | grep -Eq "root cause: thread $PID waits for the stream lock of stdout \(0x[0-9a-f]*\) held by thread $keeper \(handler_otherlo[a-z]*, started at holder\), .*inside a signal handler: .*; the handler on_term \(handler_otherlock.c:[0-9]*\) calls (puts|printf), which is not async-signal-safe \(signal-safety\(7\)\)" ||
	fail "root cause: $hang"
echo "$hang" | grep -q "fix: *a signal handler must do only async-signal-safe work (signal-safety(7)): .*volatile sig_atomic_t flag.*self-pipe.*_exit()" ||
	fail "fix: $hang"
exit 0

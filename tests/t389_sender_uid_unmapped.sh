#!/bin/bash
# t389: a signal's sender uid, as the receiver's user namespace sees it (the kernel maps si_uid
# there, kernel/signal.c): a process that entered a new user namespace (no uid map) sees every
# sender as the overflow uid 65534, and the report says so ("uid 65534: the overflow uid, unmapped
# in the receiver's user namespace"); it read as if the sender ran as uid 65534.
. "$(dirname "$0")/lib.sh"
build atexit_userns_pause atexit_userns_pause.c
rm -f "$W/t.trace" "$W/out"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$BIN/atexit_userns_pause" >"$W/out" 2>&1 &
PID=$!
wait_for $PID 30 "ready" has_lines "$W/out" 1 "ready|unshare failed" || { kill -KILL $PID; wait $PID; fail "ended before it was ready"; }
if grep -q "unshare failed" "$W/out"; then
	wait $PID
	skip "unshare(CLONE_NEWUSER) not permitted here"
fi
kill -TERM $PID
wait $PID
RC=$?
[ $RC = 143 ] || fail "status $RC"
"$REPORT" "$W/t.trace" >"$W/report" 2>&1 || true
grep -q "not traced; uid 65534: the overflow uid, unmapped in the receiver's user namespace" "$W/report" ||
	fail "uid words: $(grep -m1 "sent by" "$W/report")"
exit 0

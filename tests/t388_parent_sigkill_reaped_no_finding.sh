#!/bin/bash
# t388: a child that a traced parent sends SIGKILL and then reaps, before the child's teardown
# began, is no finding, as with SIGTERM (README, killed: "SIGKILL or a termination signal ... from a
# traced parent that reaped the process before its teardown began"); it was an error whose fix
# said "nothing of this process's to mend".
. "$(dirname "$0")/lib.sh"
build atexit_kill_reap_child atexit_kill_reap_child.c
for sig in 9 15; do
	rm -f "$W/t.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$BIN/atexit_kill_reap_child" $sig >"$W/out" 2>&1 || fail "signal $sig: status $?"
	"$REPORT" "$W/t.trace" >"$W/report" 2>&1 || true
	grep -q "^0 findings" "$W/report" || fail "signal $sig: findings: $(cat "$W/report")"
	grep -q "which reaped it: a stop, " "$W/report" ||
		fail "signal $sig: no header words: $(cat "$W/report")"
done
exit 0

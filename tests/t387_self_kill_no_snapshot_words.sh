#!/bin/bash
# t387: a process that kills itself (an atexit handler's kill(getpid(), SIGKILL)) is told to see
# why its call raised the signal, not to set TLSTRACE_HANG_MS below a supervisor's grace period,
# and its verdict has no "no snapshot of its threads" clause: no supervisor, and its own call is
# the cause (the words once came from the kill-before-the-first-snapshot check).
. "$(dirname "$0")/lib.sh"
build atexit_self_sigkill atexit_self_sigkill.c
rm -f "$W/t.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$BIN/atexit_self_sigkill" >"$W/out" 2>&1
st=$?
[ $st = 137 ] || fail "status $st: $(cat "$W/out")"
"$REPORT" "$W/t.trace" >"$W/report" 2>&1 || true
grep -q "which it sent itself" "$W/report" || fail "no self-sent words: $(cat "$W/report")"
grep -q "see why .* raised SIGKILL" "$W/report" || fail "no 'see why' fix: $(cat "$W/report")"
! grep -qi "no snapshot\|grace period" "$W/report" || fail "snapshot/grace words: $(grep -i "no snapshot\|grace" "$W/report")"
exit 0

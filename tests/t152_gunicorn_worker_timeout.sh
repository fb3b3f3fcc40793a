#!/bin/bash
# t152: gunicorn's worker timeout (Debian's python3-gunicorn): a worker stuck in a request for
# longer than --timeout 2 is sent SIGABRT by the arbiter ("WORKER TIMEOUT"); gunicorn's own
# handler in the worker takes it and the worker exits 1, unless the arbiter's next round (up to a
# second later) finds it still there and sends SIGKILL (gunicorn's murder_workers; it happens
# with or without the shim). The report: the arbiter's kill(SIGABRT) to that worker in its
# timeline; the worker's exit status 1, or its death by that SIGKILL from the arbiter; and no
# crash: a SIGABRT sent by kill is a received signal, not a fault of the program's.
# cwait: the request is in a C call that never returns (tests/apps/cwait_app.py, tests/src/cwait.c),
# so gunicorn's Python handler for SIGABRT never runs and the arbiter's next check sends SIGKILL:
# a killed finding whose fix names gunicorn's worker timeout and the call that does not return to
# Python (HANG14: before, no finding: "a stop, before any teardown of its own", as if the SIGKILL
# had come with no gentler signal before it).
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn missing"
gunicorn_timed_out gt --timeout 2 # (the worker replaced: the first one was reaped)
f=$W/gt.txt
wpid=$WPID
grep -Eq "^ +\\+[0-9.]+ ms +$GPID +kill\\(SIGABRT\\) to $wpid from " "$f" || fail "no kill(SIGABRT) in the arbiter's timeline"
# the handler it ran is gunicorn's, named (its install written: SIGABRT's slot in shim/signals.c;
# before, "ran the handler python3+0x..." only)
grep -Eq "^ +\\+[0-9.]+ ms +$wpid +SIGABRT arrived from pid $GPID .*ran the Python handler gunicorn\\.workers\\.base\\.Worker\\.handle_abort \\(set at base\\.py:[0-9]+\\)" "$f" ||
	fail "the SIGABRT's handler: $(grep 'SIGABRT arrived' "$f")"
grep -Eq "^process $wpid python3 \\(forked from $GPID\\): (exit status 1|killed by SIGKILL)" "$f" || fail "worker outcome: $(grep "^process $wpid" "$f")"
if grep -Eq "^process $wpid .*killed by SIGKILL" "$f"; then
	grep -Eq "process $wpid \\(gunicorn \\(python3\\)\\) was killed by SIGKILL, sent by process $GPID \\(gunicorn \\(python3\\), its parent\\)" "$f" ||
		fail "killed finding: $(grep -A3 'error killed' "$f")"
	note "the arbiter's SIGKILL came before the worker's exit"
fi
! grep -Eq "error crash .*process $wpid" "$f" || fail "the SIGABRT reported as a crash"
$PY - "$W/gt.json" "$wpid" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
w = [p for p in doc["processes"] if p["pid"] == int(sys.argv[2])][0]
assert (w["exit"] == 1 and w["signal"] is None or w["signal"] == 9) and not w["crashed"], w
assert not [f for f in doc["findings"] if f["pid"] == w["pid"] and f["kind"] == "crash"], doc["findings"]
PYEOF
build libcwait.so cwait.c -- -shared -fPIC
export CWAIT_LIB=$BIN/libcwait.so
GAPP=cwait_app gunicorn_timed_out cw --timeout 2
wpid=$WPID
grep -Eq "^process $wpid python3 \(forked from $GPID\): killed by SIGKILL" "$W/cw.txt" || fail "cwait: worker outcome: $(grep "^process $wpid" "$W/cw.txt")"
fix=$(grep -A4 "^\[[0-9]*\] error killed  process $wpid " "$W/cw.txt" | grep "fix:")
echo "$fix" | grep -q "fix: *the SIGABRT before it was gunicorn's worker timeout .*Worker.handle_abort.*does not return to Python.*--timeout" ||
	fail "cwait: fix: $fix"
# (HANG17) where the request was when the SIGABRT arrived (the shim's sig_where lines): the app's
# frame and the extension's C function under the libc call it waits in
root=$(grep -A4 "^\[[0-9]*\] error killed  process $wpid " "$W/cw.txt" | grep "root cause:")
echo "$root" | grep -q "when the arbiter's SIGABRT arrived, the request was at cwait_app.py:[0-9]* in application, inside the C call .*, called from cwait_forever (cwait.c:[0-9]*) in libcwait.so" ||
	fail "cwait: root cause: $root"
exit 0

#!/bin/bash
# t120: field case h6 (tests/cases/h6_fork_lock_held): the main thread forks while thread
# "flusher" holds log_lock; the child's exit(0) runs log_close, which blocks on that mutex forever;
# timeout's SIGTERM ends both after 5 s. The hang watchdog (default 2 s) snapshots the child:
# the report's hang finding names the mutex (log_lock), its owner (a tid that is not a thread of
# the child: the parent's flusher), the phase (exit(0) > atexit handler log_close), the native
# stack through log_close, and the fix; the outcome is not "exit status 0". The child's killed
# finding (the snapshot at SIGTERM) names that owner the same way; the parent's killed root cause
# is a sentence, not fields.
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/h6_fork_lock_held
"$C/run" "$ROOT" "$W/h6" >"$W/h6.txt" 2>&1 || { cat "$W/h6.txt"; fail "run failed"; }
f=$W/h6.txt
grep -q "^without the shim: parent did not finish" "$f" || fail "plain run: $(grep '^without' "$f")"
grep -q "^with the shim: *parent did not finish" "$f" || fail "traced run: $(grep '^with the' "$f")"
grep -Eq "^\\[[0-9]+\\] error hang " "$f" || { cat "$f"; fail "no hang finding"; }
grep -Eq "root cause: thread [0-9]+ waits for the mutex log_lock \\(0x[0-9a-f]+\\), owned by thread [0-9]+, which is not a thread of this process \\(it was forked from process [0-9]+, where that thread ran flusher\\)" "$f" ||
	fail "hang root cause: $(grep -A4 'error hang' "$f")"
grep -A3 "error hang" "$f" | grep -q "phase: *exit(0) > atexit handler log_close" || fail "hang phase: $(grep -A3 'error hang' "$f")"
grep -q "pthread_atfork" "$f" || fail "no fix"
grep -Eq "#[0-9]+ +log_close\\+0x[0-9a-f]+ \\(repro.c:[0-9]+\\) in repro" "$f" || fail "no native frame in log_close"
grep -Eq "waits on mutex log_lock .* held by thread [0-9]+, not a thread of this process: a thread of its parent, started at flusher" "$f" ||
	fail "thread line: $(grep 'waits on' "$f")"
# the child's killed verdict names the mutex's owner as the hang does: not a thread of the child
# (FRESH12: "waiting on log_lock held by thread 14867", a thread that is not there)
v=$(grep -E "^  1 process \\(repro, forked\\): killed: " "$f")
[ -n "$v" ] || fail "no killed verdict for the child"
echo "$v" | grep -Eq "waiting on log_lock held by thread [0-9]+, not a thread of this process: a thread of its parent, started at flusher, which fork did not copy" ||
	fail "killed verdict: $v"
! grep -Eq "^process [0-9]+ repro \\(forked.*exit status" "$f" || fail "the child shows an exit status it did not have"
# the parent's killed root cause is a sentence (FRESH17b item 5: "SIGTERM ended the process in:
# running (at its last recorded event); signals sent to it (a traced sender's kill, or its own
# arrival line): ...")
grep -q "root cause: SIGTERM ended the process while it was running, before any teardown step. Signals sent to it: SIGTERM arrived from process [0-9]* (timeout" "$f" ||
	fail "the parent's killed root cause: $(grep 'root cause: SIGTERM' "$f")"
! grep -q "in: running\|(a traced sender's kill, or its own arrival line)" "$f" || fail "the template's words: $(grep -m1 'in: running\|a traced sender' "$f")"
$PY - "$W/h6/report.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"]
assert len(hang) == 1, [f["kind"] for f in doc["findings"]]
th = hang[0]["threads"]
me = [t for t in th if t["tid"] == hang[0]["tid"]][0]
w = me["waits_on"]
assert w["kind"] == "mutex" and w["object"] == "log_lock" and w["holder"] and not w["holder_in_process"], w
assert any(fr["function"] == "log_close" for fr in me["backtrace"]), me["backtrace"]
PYEOF
# (the parent's timeline names the fork and its child: FRESH16)
grep -Eq "fork\(\) made child [0-9]+, which has only the calling thread; 1 other thread was alive then: [0-9]+ \(flusher" "$f" ||
	fail "threads alive at fork: $(grep 'alive' "$f")"
exit 0

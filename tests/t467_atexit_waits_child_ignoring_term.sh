#!/bin/bash
# t467: a python3 service's atexit callback terminate()s its worker and waits for it with no
# timeout; the worker ignores SIGTERM (signal.signal(SIGTERM, SIG_IGN) in its python3 -c code), so
# the service hangs in its teardown until its supervisor's SIGKILL (FRESH17 item 2). The report's
# findings agree and link: the hang's fix names the child that never got its SIGTERM and why (its
# own trace: SIG_IGN at <string>:1), with a bounded wait and a kill (Popen.wait(timeout=N),
# Popen.kill()); the child's signal-handler fix is not the advice for a library's handler (the
# main code set it); the child's unfinished finding says its traced parent was waiting for it
# when the parent's trace ended, not "trace its parent too". One verdict line: the child's two
# findings follow from the hang.
. "$(dirname "$0")/lib.sh"
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace $PY "$ROOT/tests/apps/stop_worker_ignores.py" >"$W/out" 2>&1 &
pid=$!
wait_for $pid 30 "serving" grep -q serving "$W/out" || fail "did not start: $(cat "$W/out")"
child=$(head -1 "$W/out")
# the worker has set SIG_IGN (its sig_handler line), or its SIGTERM would end it
wait_for $pid 30 "the worker's SIG_IGN" grep -Eq "^$child [0-9]+ [0-9]+ [A-Za-z-] sig_handler 15 0x1 " "$W/t.trace" ||
	{ kill -KILL $pid $child; fail "no SIG_IGN line: $(grep "^$child " "$W/t.trace" | grep sig_handler)"; }
kill -TERM $pid
wait_for $pid 30 "a hang snapshot" grep -q " hang_end " "$W/t.trace" || { kill -KILL $pid $child; fail "no snapshot"; }
kill -KILL $pid
wait $pid 2>/dev/null
kill -KILL "$child"
while kill -0 "$child" 2>/dev/null; do sleep 0.05; done
"$REPORT" --color=never "$W/t.trace" >"$W/t.txt" 2>&1
f=$W/t.txt
hfix=$(grep -A5 "^\[[0-9]*\] error hang  process $pid " "$f" | grep "fix:")
echo "$hfix" | grep -q "fix: *the child $child never got the SIGTERM it was sent (it ignores SIGTERM: signal.signal(SIGTERM, SIG_IGN) at <string>:1 .*Popen.wait(timeout=N)), then SIGKILL it (Popen.kill())" ||
	fail "hang fix: $hfix"
sfix=$(grep -A5 "signal-handler  process $child " "$f" | grep "fix:")
echo "$sfix" | grep -q "fix: *a process that ignores SIGTERM can be stopped only by SIGKILL, with no cleanup: handle SIGTERM instead" ||
	fail "signal-handler fix: $sfix"
! echo "$sfix" | grep -q "a library must not" || fail "library advice for the main code's handler: $sfix"
ufix=$(grep -A5 "unfinished  process $child " "$f" | grep "fix:")
echo "$ufix" | grep -q "fix: *its parent $pid (python3) is traced and was waiting for it (waitpid) when the parent's own trace ended" ||
	fail "child's unfinished fix: $ufix"
# one cause, one verdict line (FRESH17b item 3: the hang, the child's signal-handler and its
# unfinished were three): the child's two follow from the hang, in text and in JSON's caused_by
v=$(sed -n '/^verdict/,/^$/p' "$f")
[ "$(echo "$v" | grep -c '^  [0-9]* process')" = 1 ] && echo "$v" | grep -q "^  1 process (python3): hang: " || fail "verdict: $v"
h=$(grep -o "^\[[0-9]*\] error hang  process $pid " "$f" | grep -o '[0-9]*' | head -1)
for k in signal-handler unfinished; do
	grep -A6 "^\[[0-9]*\] warning $k  process $child " "$f" | grep -q "^    follows: *finding \[$h\]" ||
		fail "the child's $k does not follow from the hang [$h]: $(grep -A6 "warning $k  process $child " "$f")"
done
"$REPORT" --json "$W/t.trace" >"$W/t.json" 2>/dev/null
$PY - "$W/t.json" "$pid" "$child" <<'PYEOF' || fail "JSON caused_by"
import json, sys
fs = json.load(open(sys.argv[1]))["findings"]
pid, child = int(sys.argv[2]), int(sys.argv[3])
hang = [i for i, f in enumerate(fs) if f["kind"] == "hang" and f["pid"] == pid]
assert len(hang) == 1, fs
for f in fs:
    if f["pid"] == child:
        assert f["caused_by"] == hang[0], (f["kind"], f["caused_by"], hang)
PYEOF
exit 0

#!/bin/bash
# t466: a trace read while its process still runs (FRESH17: `tlstrace-report live.trace` of a
# python3 in time.sleep said "unfinished ... fix: trace its parent too" and exited 1): the
# process is "still running", no finding, exit status 0, JSON "running": true; once it is gone
# the same trace is unfinished again. A pid alive that runs another program is not taken for it;
# one whose program file was replaced since it started (an upgrade) is.
. "$(dirname "$0")/lib.sh"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/live.trace $PY -c 'import time; time.sleep(60)' &
pid=$!
wait_for $pid 20 "its trace" test -s "$W/live.trace" || fail "no trace"
sleep 0.3
"$REPORT" --color=never "$W/live.trace" >"$W/live.txt" 2>&1
rc=$?
"$REPORT" --json "$W/live.trace" >"$W/live.json" 2>/dev/null
kill -KILL $pid
wait $pid 2>/dev/null
[ $rc = 0 ] || fail "exit status $rc: $(cat "$W/live.txt")"
grep -q "^process $pid python3: still running: pid $pid is alive as this report is made, and its trace has no end yet" "$W/live.txt" ||
	fail "outcome: $(grep "^process" "$W/live.txt")"
grep -q "^0 findings" "$W/live.txt" || fail "findings: $(cat "$W/live.txt")"
$PY - "$W/live.json" "$pid" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
p = [p for p in doc["processes"] if p["pid"] == int(sys.argv[2])][0]
assert p["running"] is True and p["unfinished"] is False, p
assert not doc["findings"], doc["findings"]
PYEOF
# gone now: unfinished (nothing tells how it ended)
"$REPORT" --color=never "$W/live.trace" >"$W/dead.txt" 2>&1
grep -q "^process $pid python3: unfinished" "$W/dead.txt" || fail "after its end: $(grep "^process" "$W/dead.txt")"
# the same pid number alive with another program: a trace rewritten to name this shell's pid
# (alive, bash) as a python3 process is not "running"
sed "s/^$pid $pid /$$ $$ /" "$W/live.trace" >"$W/other.trace"
"$REPORT" --color=never "$W/other.trace" >"$W/other.txt" 2>&1
grep -q "^process $$ python3: unfinished" "$W/other.txt" || fail "another program's pid: $(grep "^process" "$W/other.txt")"
# its program file replaced while it runs (a package upgrade renames the new file over it:
# /proc/PID/exe reads "PATH (deleted)"): still running
cp /bin/sleep "$W/svc"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/svc.trace "$W/svc" 60 &
pid=$!
wait_for $pid 20 "its trace" test -s "$W/svc.trace" || fail "no trace of svc"
cp /bin/sleep "$W/svc.new" && mv "$W/svc.new" "$W/svc"
"$REPORT" --color=never "$W/svc.trace" >"$W/svc.txt" 2>&1
rc=$?
kill -KILL $pid
wait $pid 2>/dev/null
[ $rc = 0 ] && grep -q "^process $pid svc: still running" "$W/svc.txt" ||
	fail "program file replaced (exit $rc): $(grep "^process" "$W/svc.txt")"
exit 0

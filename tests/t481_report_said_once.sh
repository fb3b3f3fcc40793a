#!/bin/bash
# t481: what two findings of one process share is printed once (REPORT17 item 2): a hang's
# thread stacks, shown again by the killed finding of the same process when nothing moved
# between the snapshot and the signal, are printed in the hang finding, and the killed finding's
# threads refer to it ("(its stacks: as in finding [N])", their state lines kept); a crash's
# backtrace and fix, which the exit-while-running finding explaining it shares, are printed in
# the first and referred to from the second. JSON keeps the full data in each finding.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
# (h1 of the field cases: a non-daemon thread waits for an atexit callback: the process hangs in
# Py_FinalizeEx until timeout's SIGTERM, after the watchdog's snapshots)
cat >repro.py <<'PY'
import atexit, threading
cond = threading.Condition()
stopping = False
def background():
    with cond:
        while not stopping:
            cond.wait()
def stop_background():
    global stopping
    with cond:
        stopping = True
        cond.notify_all()
worker = threading.Thread(target=background, name="poller")
worker.start()
atexit.register(stop_background)
print("ready", flush=True)
PY
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/h.trace TLSTRACE_HANG_MS=500 timeout 60 $PY repro.py >h.out 2>&1 &
BG=$!
# (the SIGTERM once the watchdog's last snapshot (x4) is complete: its hang_end lines)
wait_for $BG 30 "the last snapshot" has_lines h.trace 3 ' hang_end' || fail "ended: $(cat h.out)"
# (not at once: a thread still leaving the shim's snapshot handler is caught there by a scan, its
# stacks then not the hang's; h1 had 0.6 s between them)
sleep 0.5
timeout_expire $BG
wait $BG
$REPORT --no-symbols --color=never h.trace >h.txt 2>&1
$REPORT --no-symbols --json h.trace >h.json 2>&1
k=$(sed -n 's/^\[\([0-9]*\)\] error killed .*/\1/p' h.txt)
g=$(sed -n 's/^\[\([0-9]*\)\] error hang .*/\1/p' h.txt)
[ -n "$k" ] && [ -n "$g" ] || { cat h.txt; fail "no killed and hang findings"; }
grep -q "kill_snap_end" h.trace || fail "no snapshot at the signal"
# (the thread that took the signal: its stacks from the signal's context are the hang's; another
# thread's may differ, as a process-directed SIGTERM it took too waits inside the shim for the
# first thread's snapshot: docs/trace-format.md sig_arrive)
grep -A1 "^      thread [0-9].* \[took the signal\]" h.txt | grep -q "^          (its stacks: as in finding \[$g\])" || { sed -n '/^findings/,$p' h.txt; fail "no reference to the hang finding"; }
$PY - h.json <<'PY' || fail "JSON: a finding's threads lost their stacks"
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    for t in f.get("threads", []):
        assert t.get("backtrace"), (f["kind"], t["tid"])
PY
# a crash and the exit-while-running finding that explains it (c7 of the field cases)
$REPORT --no-symbols --color=never "$ROOT/tests/golden/exit_while_running.trace" >e.txt 2>&1
[ "$(grep -c '^    backtrace:$' e.txt)" = 1 ] && grep -q '^    backtrace:  as in finding \[1\]$' e.txt ||
	{ sed -n '/^findings/,$p' e.txt; fail "exit-while-running: the backtrace printed twice"; }
grep -q '^    fix:        as in finding \[1\]$' e.txt || { grep fix: e.txt; fail "exit-while-running: the fix said twice"; }
echo PASS

#!/bin/bash
# t121: field case h1 (tests/cases/h1_atexit_waits_nondaemon_thread): a non-daemon thread waits
# for an atexit callback, but Python joins non-daemon threads first; timeout's SIGTERM ends it at
# 5 s (killed by it, from timeout's pid, seen at its arrival). In /usr/bin/python3 Py_FinalizeEx is not interposed: the watchdog starts at the main
# thread's first blocking wait with Py_FinalizeEx on its stack. The hang finding: the phase
# (Py_FinalizeEx, threading shutdown), the waiting thread at repro.py line 12 in background, the
# main thread in threading._shutdown, the thread named "poller" (its threading.Thread's name, read
# by the shim), root cause (join before atexit callbacks) and fix (daemon), the join's thread named.
. "$(dirname "$0")/lib.sh"
field_case h1 h1_atexit_waits_nondaemon_thread
# the thread's name: read by the shim on 3.11, the OS thread's on 3.14+, not known on 3.13
POLLER='\("poller" \)\{0,1\}(python3[^)]*)'
$PY -c 'import sys; sys.exit(sys.version_info[:2] == (3, 13))' && POLLER='\("poller" (python3[^)]*)\|(poller[^)]*)\)'
f=$F
field_outcome "did not finish" "did not finish"
grep -q "teardown began (Py_FinalizeEx, seen at a blocking wait)" "$f" || fail "no teardown start in the timeline"
grep -Eq "^\\[[0-9]+\\] error hang " "$f" || { cat "$f"; fail "no hang finding"; }
grep -A2 "error hang" "$f" | grep -q "still in its teardown [0-9.]* s after it began (Py_FinalizeEx" || fail "hang message"
grep -q "root cause: Python joins every non-daemon thread (threading._shutdown, in Py_FinalizeEx) before it runs the atexit callbacks; a non-daemon thread is still running: thread [0-9]* $POLLER, at \"[^\"]*repro.py\", line 12 in background" "$f" ||
	fail "hang root cause: $(grep -A4 'error hang' "$f")"
grep -q "daemon=True" "$f" || fail "no fix"
# the join's thread named (the shim's hang_pylock line: the thread state holding the lock the
# join waits on), in the main thread's line and the fix (t296)
grep -q "; waits on the join of thread [0-9]* $POLLER, which is at \"[^\"]*repro.py\", line 12 in background" "$f" ||
	fail "the joined thread: $(grep 'began the teardown' "$f")"
grep -q "fix: *make thread [0-9]* (\"poller\") a daemon thread" "$f" || fail "the fix names the thread: $(grep 'fix:' "$f")"
grep -q 'File "/usr/lib/python3.[0-9]*/threading.py", line [0-9]* in _shutdown' "$f" || fail "main thread's Python stack"
# (a build whose Py_FinalizeEx is a jump to the static _Py_Finalize, as trixie's 3.13.5-2+deb13u5 and sid's 3.14,
# shows that frame as "_Py_Finalize (Py_FinalizeEx's body)": the report follows the jump)
grep -Eq "#[0-9]+ +_?Py_Finalize(Ex|\\.constprop\\.0| \\(Py_FinalizeEx's body\\))?\\+0x[0-9a-f]+( \\([^)]*\\))? in python3" "$f" ||
	fail "main thread's native stack: $(grep -B2 -A2 'Py_RunMain+' "$f")"
! grep -q "exit status" <(grep '^process' "$f") || fail "an exit status the process did not have"
# the SIGTERM's arrival (default action): killed by it, from timeout's pid (not traced: its name
# read by the shim at the arrival), seconds after the teardown began
grep -Eq "^process [0-9]+ python3: killed by SIGTERM" "$f" || fail "outcome: $(grep '^process' "$f")"
grep -Eq "was killed by SIGTERM, sent by process [0-9]+ \\(timeout, not traced; uid [0-9]+\\), taken by thread [0-9]+ with the default action, [0-9.]+ s after its teardown began" "$f" ||
	fail "killed finding: $(grep 'was killed by' "$f")"
# the phase it was killed in: Py_FinalizeEx's join, not "running" (the arrival, on the signal's
# stack, read "initialized": the report keeps the finalization that had begun)
grep -q "SIGTERM ended the process in: Py_FinalizeEx (threading shutdown" "$f" ||
	fail "killed phase: $(grep 'ended the process in' "$f")"
! grep -q "phase: *running" "$f" || fail "a finding in phase running: $(grep -B3 'phase: *running' "$f")"
# timeout(1) sends SIGTERM to the child and to its group: two arrivals of one send close
# together are said once, with their count (FRESH17b item 2: listed twice, word for word)
sent=$(grep -o "Signals sent to it: .*" "$f" | head -1)
[ "$(echo "$sent" | grep -o "SIGTERM arrived from process" | wc -l)" -le 1 ] ||
	fail "the same send listed twice: $sent"
# the snapshot at the kill: a join is named as one, with the joined thread where it is, not as a
# lock it holds (FRESH12: "waiting on join held by thread N"); where the main thread took the
# signal (timeout's group SIGTERM may be taken by the poller)
! grep -q "waiting on join held by" "$f" || fail "killed: $(grep -o 'killed in .*waiting on join held by[^(]*' "$f" | head -1)"
if grep -q "killed in threading._shutdown" "$f"; then
	grep -q "killed in threading._shutdown, joining the non-daemon threads (before the atexit callbacks), waiting on the join of thread [0-9]* $POLLER, which is at \"[^\"]*repro.py\", line 12 in background" "$f" ||
		fail "killed: $(grep -o 'killed in threading._shutdown.*' "$f" | head -1)"
fi
$PY - "$W/h1/report.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"]
assert len(hang) == 1, [f["kind"] for f in doc["findings"]]
th = hang[0]["threads"]
assert len(th) == 2, th
poller = [t for t in th if t["tid"] != hang[0]["tid"]][0]
assert any("line 12 in background" in l for l in poller["python_traceback"]), poller
assert poller["backtrace"], poller
assert sys.version_info[:2] != (3, 11) or poller["python_name"] == "poller", poller
PYEOF
exit 0

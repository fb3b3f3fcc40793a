#!/bin/bash
# t392: a killed finding and its hang finding say their times from one origin where python3's own
# Py_FinalizeEx was found by the handler watcher after the Python handler returned (FIX13 P8,
# FRESH13b's pydel2.py): a SIGTERM handler sets a flag, the main loop then calls sys.exit(), and
# an object's __del__ loops at the exit. The hang finding counts from SIGTERM's arrival; the
# killed one said "2.419 s after its teardown began" (from the line that found Py_FinalizeEx,
# 0.5 s or more after the arrival) and its fix "(the hang finding: 2.3 s after it began, snapshot
# 3)", as if the kill came 0.1 s after the snapshot. Now both say "after SIGTERM's arrival", and
# the killed one when the teardown was found. The sender is a traced bash: SIGTERM once the
# program is ready, SIGKILL once the trace has the watchdog's first snapshot (no timing assumed).
. "$(dirname "$0")/lib.sh"
py_flag_del_app
py_flag_del_run 300 snap
[ "$(cat "$W/rc")" = 137 ] || fail "status $(cat "$W/rc") (137: the SIGKILL)"
grep -q " hang_arm py_fin_late " "$W/t.trace" || fail "no py_fin_late arm: $(grep ' hang' "$W/t.trace")"
"$REPORT" --color=never "$W/t.trace" >"$W/t.txt" 2>&1
sed -n '/^verdict/,/^$/p' "$W/t.txt" >"$W/verdict.txt"
# (the findings: the verdict says both on the hang's line, which ends with the kill)
grep -Eq "killed by SIGKILL, sent by process [0-9]+ \(bash, its parent\) with kill\(\) from [^,]*, [0-9.]+ (ms|s) after SIGTERM's arrival \(python3's own Py_FinalizeEx[^;]*; found [0-9.]+ (ms|s) after the arrival\)" "$W/t.txt" ||
	fail "killed: $(grep 'killed by SIGKILL' "$W/t.txt")"
grep -q "after its teardown began" "$W/t.txt" && fail "the teardown's start said: $(grep 'after its teardown began' "$W/t.txt")"
grep -Eq "fix: +it was killed while its teardown hung \(the hang finding: [0-9.]+ s after SIGTERM's arrival, snapshot [0-9]+\)" "$W/t.txt" ||
	fail "killed fix: $(grep 'fix: *it was killed' "$W/t.txt")"
grep -Eq "hang: process [0-9]+ \(python3\) was still in its teardown [0-9.]+ s after SIGTERM's arrival .*; it was then killed by SIGKILL from process [0-9]+ \(bash\) [0-9.]+ s after SIGTERM's arrival$" "$W/verdict.txt" ||
	fail "hang: $(grep 'hang:' "$W/verdict.txt")"
[ "$(grep -c '^  [0-9]' "$W/verdict.txt")" = 1 ] || fail "not 1 verdict line: $(cat "$W/verdict.txt")"
exit 0

#!/bin/bash
# t081: the crash handler's Python traceback under the installed python3 (3.11: the interpreter's
# _Py_DumpTraceback; 3.13/3.14, when t083/t084 run this case: read by the shim through
# _Py_DebugOffsets, which those export instead): a SIGSEGV two Python calls deep
# (tests/apps/py_crash.py) gives crash_py lines "File ..., line N in f" that agree, frame for
# frame, with what CPython's own faulthandler prints first (its handler runs, then re-raises with
# the default action, and the shim reports the fault it was given), in the trace and on stderr.
# The process still dies by SIGSEGV, as without the shim.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
app=$ROOT/tests/apps/py_crash.py
plain run $PY -X faulthandler "$app"; PLAIN_RC=$RC
traced run $PY -X faulthandler "$app"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 139 ] || fail "expected death by SIGSEGV, got $RC"
main=$(pids run '^tlstrace$')
f='%20%20File%20"'
expect_order run "$main" "^$main I crash 11 " \
	"^$main I crash_py Stack%20\\(most%20recent%20call%20first\\):$" \
	"^$main I crash_py ${f}[^ ]*/ctypes/__init__\\.py\",%20line%20[0-9]+%20in%20string_at$" \
	"^$main I crash_py ${f}$app\",%20line%207%20in%20crash_here$" \
	"^$main I crash_py ${f}$app\",%20line%2011%20in%20outer$" \
	"^$main I crash_py ${f}$app\",%20line%2014%20in%20<module>$" \
	"^$main I crash_end "
# the same frames as faulthandler's (its section of stderr follows "Fatal Python error")
awk '$4 == "crash_py" { s = $5; gsub(/%20/, " ", s); if (s ~ /^  File/) print s }' "$W/run.norm" >"$W/ours.txt"
# (the shim's own report follows it: faulthandler's handler runs first and re-raises)
awk '/^Fatal Python error/ { on = 1 } on && /^tlstrace: / { exit } on && /^  File/ { print } on && /^$/ && n++ { exit }' "$W/run.err" >"$W/theirs.txt"
[ -s "$W/theirs.txt" ] || { cat "$W/run.err"; fail "no faulthandler traceback on stderr to compare with"; }
diff "$W/theirs.txt" "$W/ours.txt" || fail "crash_py differs from faulthandler's traceback"
grep -q "^tlstrace: Python traceback of this thread:" "$W/run.err" || fail "no Python traceback on stderr"
grep -q "^tlstrace: Stack (most recent call first):" "$W/run.err" || fail "the Python traceback's lines lack the tlstrace: prefix"
# every line of the shim's report carries its prefix (a filter on it leaves none behind)
awk '/^tlstrace: / { on = 1 } on && !/^tlstrace: / { print; bad = 1 } END { exit bad }' "$W/run.err" ||
	fail "lines of the shim's crash report without the tlstrace: prefix"
# the report carries it
$REPORT --json "$W/run.trace" >"$W/report.json"; [ $? = 1 ] || fail "report: expected findings"
$PY - "$W/report.json" <<'PYEOF' || fail "report: python_traceback"
import json, sys
crash = next(f for f in json.load(open(sys.argv[1]))["findings"] if f["kind"] == "crash")
tb = crash["python_traceback"]
assert tb and tb[-1].endswith("line 14 in <module>") and "in crash_here" in tb[-3], tb
PYEOF

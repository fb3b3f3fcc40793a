#!/bin/bash
# t136: a directory of traces with stray files in it (notes, an empty file, a trace from a newer
# format): the files that are not traces are skipped with a warning on stderr, and the exit
# status follows the findings (1), not 2; the header counts the traces read. 2 only when nothing
# in the directory is a trace. A non-trace file named on the command line is still an error (2).
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
mkdir -p "$W/d" "$W/none" "$W/clean"
cp "$G/uwsgi_seed.trace" "$W/d/a.trace"
echo "some notes" >"$W/d/README"
: >"$W/d/empty.trace"
printf '\x7fELF\0\0binary' >"$W/d/core"
$REPORT --no-symbols --color=never "$W/d" >"$W/d.out" 2>"$W/d.err"; rc=$?
[ $rc = 1 ] || { cat "$W/d.err"; fail "one trace with findings plus stray files: status $rc, expected 1"; }
grep -q "^verdict" "$W/d.out" || fail "no report on stdout"
head -1 "$W/d.out" | grep -q "^tlstrace-report: 1 file, " || fail "header: $(head -1 "$W/d.out")"
for f in README empty.trace core; do
	grep -q "$W/d/$f: skipped: not a trace" "$W/d.err" || fail "no warning for $f: $(cat "$W/d.err")"
done
$REPORT -q --no-symbols "$W/d" >/dev/null 2>"$W/q.err"; rc=$?
[ $rc = 1 ] && [ ! -s "$W/q.err" ] || fail "-q: status $rc, $(cat "$W/q.err")"
$REPORT --no-symbols --json "$W/d" 2>/dev/null | $PY -c '
import json, sys
j = json.load(sys.stdin)
assert j["input"]["unreadable"] is False, j["input"]
' || fail "JSON: the input is marked unreadable"
# a directory whose only trace is clean: 0
cp "$G/python3_seed.trace" "$W/clean/p.trace" 2>/dev/null || skip "no python3_seed golden"
echo x >"$W/clean/x"
$REPORT --no-symbols "$W/clean" >/dev/null 2>&1; rc=$?
exp=$($REPORT --no-symbols "$G/python3_seed.trace" >/dev/null 2>&1; echo $?)
[ $rc = "$exp" ] || fail "clean trace plus a stray file: status $rc, the trace alone $exp"
# nothing in it is a trace: 2, nothing on stdout
echo x >"$W/none/x"; : >"$W/none/y"
$REPORT "$W/none" >"$W/n.out" 2>/dev/null; rc=$?
[ $rc = 2 ] && [ ! -s "$W/n.out" ] || fail "a directory with no trace: status $rc"
# a file named on the command line that is not a trace: still 2
$REPORT --no-symbols "$W/d/README" "$W/d/a.trace" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "a named non-trace: status $rc"
exit 0

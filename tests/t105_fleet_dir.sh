#!/bin/bash
# t105: a directory of traces from a fleet (here two uWSGI hosts: the 1-worker and the 4-worker
# golden runs) is read as all the files in it, merged and grouped: one use-after-destroy group
# of 5 processes across both, and one verdict line for it; an empty directory is still refused.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
mkdir -p "$W/fleet/.hidden" "$W/empty"
cp "$G/uwsgi_seed.trace" "$W/fleet/host-a.trace"
cp "$G/uwsgi_4workers.trace" "$W/fleet/host-b.trace"
$REPORT --no-symbols --color=never "$W/fleet" >"$W/f.txt"; rc=$?
[ $rc = 1 ] || fail "fleet: status $rc"
head -1 "$W/f.txt" | grep -q "^tlstrace-report: 2 files, 7 processes" || fail "fleet: $(head -1 "$W/f.txt")"
[ "$(grep -c '^  [0-9]* process' "$W/f.txt")" = 1 ] || { head -8 "$W/f.txt"; fail "fleet: not one verdict line"; }
grep -q "^  5 processes (uwsgi-core, forked) crashed at exit" "$W/f.txt" || { head -4 "$W/f.txt"; fail "fleet: verdict"; }
$REPORT --no-symbols --json "$W/fleet" | $PY -c '
import json, sys
g = {x["kind"]: x for x in json.load(sys.stdin)["groups"]}
assert g["use-after-destroy"]["count"] == 5 and len(g["use-after-destroy"]["pids"]) == 5, g
' || fail "fleet: JSON groups"
$REPORT "$W/empty" >"$W/e.out" 2>"$W/e.err"; rc=$?
[ $rc = 2 ] && [ ! -s "$W/e.out" ] && grep -q "is a directory with no file in it" "$W/e.err" || fail "empty directory: status $rc"

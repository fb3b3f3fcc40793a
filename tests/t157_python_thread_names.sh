#!/bin/bash
# t157: the hang snapshot and the threads alive at exit() name a Python thread by its
# threading.Thread's name ("poller"), whatever the Python: 3.11 and 3.13 read it from the
# interpreter's memory (the thread's outermost frame, threading's _bootstrap, its self._name;
# 3.13 through _Py_DebugOffsets), 3.14 names the OS thread (its comm, where not the process's). The app is t150's
# (tests/apps/gil_held_at_exit.py: exit()'s handler waits for the GIL that "poller" holds).
# Run on the host (3.11) and by t156 in Debian 13's chroot (3.13).
. "$(dirname "$0")/lib.sh"
export TLSTRACE_HANG_MS=500
plain_and_traced gil timeout 20 $PY "$ROOT/tests/apps/gil_held_at_exit.py" 2
[ "$RC" = 0 ] || fail "exit status $RC: $(cat "$W/gil.err")"
"$REPORT" --color=never "$W/gil.trace" >"$W/gil.txt" 2>&1
"$REPORT" --json "$W/gil.trace" >"$W/gil.json" 2>/dev/null
note "$($PY -c 'import sys; print(sys.version.split()[0])')"
grep -Eq "^ +thread [0-9]+ (\"poller\" \\((python3[^)]*|poller)\\)|\\(poller\\))" "$W/gil.txt" ||
	fail "the snapshot does not name thread poller: $(grep -E '^ +thread [0-9]+ ' "$W/gil.txt")"
grep -Eq "1 other thread alive at exit\\(\\): [0-9]+ (\"poller\"|\\(poller)" "$W/gil.txt" ||
	fail "threads alive at exit: $(grep 'alive at exit' "$W/gil.txt")"
$PY - "$W/gil.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"][0]
names = [(t.get("python_name"), t.get("name")) for t in hang["threads"]]
assert any("poller" in (p or "") or "poller" in (n or "") for p, n in names), names
if sys.version_info[:2] in ((3, 11), (3, 13)):
    assert any(p == "poller" for p, n in names), names
PYEOF
exit 0

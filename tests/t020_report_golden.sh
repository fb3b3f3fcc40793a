#!/bin/bash
# t020: tlstrace-report on traces recorded from the real scenarios (tests/golden/*.trace):
# text and --json output equal the expected files (--no-symbols: independent of the binaries on
# this machine), the exit status says whether there were findings; every JSON document has the
# documented fields; --chrome writes Trace Event JSON with named processes and threads, duration
# events for Py_Finalize, atexit handlers and TLS destructors, instant events for findings;
# --diff of the python3 and uWSGI runs of the same app names the order that differs; several
# traces are merged; --pid selects one process.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
cd "$G"
for t in *.trace; do
	n=${t%.trace}
	$REPORT --no-symbols --color=never "$t" >"$W/$n.txt" 2>"$W/$n.stderr"; rc=$?
	want=1; grep -q "^0 findings" "$n.txt" && want=0
	[ $rc = $want ] || fail "$n: exit status $rc, expected $want"
	diff -u "$n.txt" "$W/$n.txt" || fail "$n: text output differs from $n.txt"
	diff -u "$n.stderr" "$W/$n.stderr" || fail "$n: warnings differ"
	$REPORT --no-symbols --json "$t" >"$W/$n.json" 2>/dev/null
	cmp -s "$n.json" "$W/$n.json" || { diff <($PY -m json.tool "$n.json") <($PY -m json.tool "$W/$n.json") | head -40; fail "$n: JSON differs from $n.json"; }
done
$PY - "$W" "$G" <<'PYEOF' || fail "JSON schema"
import glob, json, os, sys
out = sys.argv[1]
proc_keys = {"pid", "ppid", "exe", "argv", "forked", "exit", "exit_via", "signal", "crashed", "ended", "unfinished", "running",
             "reaped_by", "killed_by", "time_origin_ns", "has_timeline"}
finding_keys = {"kind", "severity", "pid", "tid", "time_ns", "phase", "message", "root_cause", "fix", "tls",
                "destroyed_ns", "signal", "si_code", "fault_address", "count", "backtrace", "python_traceback",
                "python_callback", "caused_by", "threads"}
kinds = {"use-after-destroy", "crash", "construct-during-teardown", "order", "key-after-destroy", "killed", "unfinished",
         "signal-handler", "python-after-finalize", "destructor-after-unload", "exit-while-running",
         "hang"}
seen = set()
for path in glob.glob(os.path.join(out, "*.json")):
    doc = json.load(open(path))
    assert doc["version"] == 1, path
    for p in doc["processes"]:
        assert proc_keys <= set(p) <= proc_keys | {"quiet_threads", "dropped", "threads_alive", "stop"}, (path, set(p) ^ proc_keys)
        assert isinstance(p["pid"], int) and isinstance(p["exe"], str)
        assert p["exit"] is None or isinstance(p["exit"], int)
    for f in doc["findings"]:
        assert set(f) == finding_keys, (path, set(f) ^ finding_keys)
        assert f["kind"] in kinds and f["severity"] in ("error", "warning", "info"), f
        assert isinstance(f["message"], str) and f["message"] and f["root_cause"] and f["fix"], f
        if f["tls"] is not None:
            assert set(f["tls"]) == {"module", "symbol", "address"}, f["tls"]
        for fr in f["backtrace"]:
            assert set(fr) - {"unloaded"} == {"module", "offset", "function", "file", "line", "inlined_at"}, fr
            assert fr.get("unloaded", True) is True, fr
        if f["threads"] is not None:
            for t in f["threads"]:
                assert {"tid", "name", "state", "waits_on", "backtrace", "python_traceback"} <= set(t), t
        if f["caused_by"] is not None:
            assert 0 <= f["caused_by"] < len(doc["findings"])
        seen.add(f["kind"])
    # the verdict: one line per root cause, as the text report's (FRESH16: JSON had none); every
    # finding with findings at all is in one of its lines' groups or follows from one
    assert set(doc) == {"version", "files", "input", "processes", "findings", "verdict", "groups"}, set(doc)
    assert bool(doc["verdict"]) == bool(doc["findings"]), path
    text = open(path[:-5] + ".txt").read()
    for v in doc["verdict"]:
        assert set(v) == {"line", "fix", "group", "findings"}, v
        assert v["findings"] == doc["groups"][v["group"]]["findings"], v
        assert "  " + v["line"] + "\n      fix: " + v["fix"] + "\n" in text, (path, v["line"])
assert seen == kinds, seen
PYEOF

$REPORT --no-symbols --chrome "$W/trace-events.chrome" uwsgi_seed.trace >/dev/null
$PY - "$W/trace-events.chrome" <<'PYEOF' || fail "--chrome"
import json, sys
doc = json.load(open(sys.argv[1]))
ev = doc["traceEvents"]
meta = [e for e in ev if e["ph"] == "M"]
assert {e["name"] for e in meta} == {"process_name", "thread_name"}
x = [e for e in ev if e["ph"] == "X"]
names = [e["name"] for e in x]
assert "Py_Finalize" in names and "TLS destructor tls_obj" in names, names
assert any(n.startswith("atexit ") for n in names), names
assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in x)
inst = [e for e in ev if e["ph"] == "i" and e["cat"] == "finding"]
assert any(e["name"] == "use-after-destroy tls_obj" for e in inst), inst
assert any(e["name"].startswith("crash") for e in inst), inst
PYEOF

$REPORT --no-symbols --diff python3_seed.trace uwsgi_seed.trace >"$W/diff.txt"; rc=$?
[ $rc = 1 ] || fail "--diff: exit status $rc, expected 1 (differences)"
diff -u diff_python3_uwsgi.txt "$W/diff.txt" || fail "--diff output differs"
$REPORT --no-symbols --diff python3_seed.trace python3_seed.trace >/dev/null || fail "--diff of a trace with itself found differences"

$REPORT --no-symbols --color=never python3_seed.trace uwsgi_seed.trace >"$W/merged.txt"; rc=$?
[ $rc = 1 ] || fail "merged: exit status $rc"
grep -q "^tlstrace-report: 2 files, 3 processes" "$W/merged.txt" || fail "merged: $(head -1 "$W/merged.txt")"
worker=$(awk '$5 == "forked" { print $1; exit }' uwsgi_seed.trace)
$REPORT --no-symbols --color=never --pid "$worker" uwsgi_seed.trace >"$W/pid.txt"
[ "$(grep -c '^process ' "$W/pid.txt")" = 1 ] && grep -q "^process $worker " "$W/pid.txt" || fail "--pid did not select process $worker"

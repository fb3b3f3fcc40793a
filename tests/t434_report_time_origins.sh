#!/bin/bash
# t434: every time the report prints says or shares its origin (FRESH15b item 3: one report counted
# from its timeline's first line, the teardown's start and its trace's first line, unnamed). On
# every golden trace and t433's fork-only child (a process with no timeline): each finding's
# header says "in its timeline" (or "from its trace's first line" where the process has none),
# and its "at +N ms" is its JSON time_ns minus its process's time_origin_ns (documented:
# README, man/tlstrace-report.1); a root cause's list of signals names the same origin.
. "$(dirname "$0")/lib.sh"
build signals signals.c -- -pthread
traced fork "$BIN/signals" forkblocked
for t in "$ROOT"/tests/golden/*.trace "$W/fork.trace"; do
	n=$(basename "$t" .trace)
	$REPORT --no-symbols --color=never "$t" >"$W/$n.txt" 2>/dev/null
	$REPORT --no-symbols --json "$t" >"$W/$n.json" 2>/dev/null
	$PY - "$W/$n.txt" "$W/$n.json" <<'PYEOF' || fail "$n"
import json, re, sys
text = open(sys.argv[1]).read().split("\n")
doc = json.load(open(sys.argv[2]))
procs = {}
for p in doc["processes"]:
    assert isinstance(p["time_origin_ns"], int) and isinstance(p["has_timeline"], bool), p
    procs.setdefault(p["pid"], []).append(p)
heads = [l for l in text if re.match(r"^\[\d+\] ", l)]
assert len(heads) == len(doc["findings"]), (len(heads), len(doc["findings"]))
for h, f in zip(heads, doc["findings"]):
    m = re.search(r" at ([-+][0-9.]+) ms (in its timeline|from its trace's first line \(it has no timeline\))$", h)
    assert m, h
    # (a pid run by several programs, exec: the one whose origin fits)
    ok = [p for p in procs[f["pid"]] if abs((f["time_ns"] - p["time_origin_ns"]) / 1e6 - float(m.group(1))) < 0.0015
          and p["has_timeline"] == (m.group(2) == "in its timeline")]
    assert ok, (h, f["time_ns"], procs[f["pid"]])
    rc = f["root_cause"] or ""
    for o in re.findall(r"\(times from ([^,)]*)", rc):
        assert o in ("its timeline's first line", "its trace's first line",
                     "the first line that found python3's Py_FinalizeEx under way; its start is not in the trace"), (h, o)
        if o != "the first line that found python3's Py_FinalizeEx under way; its start is not in the trace":
            assert (o == "its timeline's first line") == (m.group(2) == "in its timeline"), (h, o)
PYEOF
done
grep -q "from its trace's first line (it has no timeline)" "$W/fork.txt" || fail "fork: no finding of a process without a timeline: $(grep '^\[' "$W/fork.txt")"
exit 0

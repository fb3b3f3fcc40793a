#!/bin/bash
# t263: a JSON finding's texts stand alone (issue 15): no words that point at the text report's
# layout ("the phase below", "the phase above", "the snapshot below", "its outcome below", "see
# the timeline"): a JSON reader has fields (phase, threads, the process's outcome), not places.
# Every golden trace and every fuzz corpus trace, each finding's message, root cause and fix.
. "$(dirname "$0")/lib.sh"
for t in "$ROOT"/tests/golden/*.trace "$ROOT"/tests/fuzz/corpus/*; do
	"$REPORT" --no-symbols --json "$t" 2>/dev/null
	echo
done >"$W/all.json"
$PY - "$W/all.json" <<'PYEOF' || fail "layout words in JSON findings"
import json, re, sys
bad, n = 0, 0
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    for f in json.loads(line)["findings"]:
        n += 1
        for k in ("message", "root_cause", "fix"):
            m = re.search(r"\b(below|above)\b|the timeline", f.get(k) or "")
            if m:
                bad += 1
                print("%s %s: ...%s..." % (f["kind"], k, (f[k])[max(0, m.start() - 60):m.end() + 30]))
print("%d findings, %d with layout words" % (n, bad))
sys.exit(1 if bad or n < 20 else 0)
PYEOF

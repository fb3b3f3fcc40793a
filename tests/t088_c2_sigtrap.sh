#!/bin/bash
# t088: field case c2 (tests/cases/c2_static_tls_sigtrap): a static destructor run by exit()
# raises SIGTRAP. The report says "killed by SIGTRAP" (never "exit status 0"), in the
# static destructor IntVec::~IntVec after main returned 0, raised by the process itself from prof_free.
# Mode abort (SIGABRT, the crash handler's signal): killed by SIGABRT. Outcomes as without the shim.
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/c2_static_tls_sigtrap
for mode in sigtrap abort; do
	"$C/run" "$ROOT" "$W/$mode" "$mode" >"$W/$mode.txt" 2>&1 || { cat "$W/$mode.txt"; fail "$mode: run failed"; }
	sig=SIGTRAP; [ $mode = abort ] && sig=SIGABRT
	grep -q "^without the shim: killed by $sig" "$W/$mode.txt" || fail "$mode: plain run: $(grep '^without' "$W/$mode.txt")"
	grep -q "^with the shim: *killed by $sig" "$W/$mode.txt" || fail "$mode: traced run: $(grep '^with the' "$W/$mode.txt")"
	grep -Eq "^process [0-9]+ prof: killed by $sig" "$W/$mode.txt" || { cat "$W/$mode.txt"; fail "$mode: the report's outcome"; }
	! grep -q "exit status 0" "$W/$mode.txt" || fail "$mode: exit status 0 in the report"
done
f=$W/sigtrap.txt
grep -Eq "^\\[[0-9]+\\] error killed " "$f" || fail "no killed finding"
grep -q "was killed by SIGTRAP, which it sent itself (raise from .*prof_free" "$f" || fail "sender: $(grep 'was killed' "$f")"
grep -q "phase: *main returned 0 > .*static destructor IntVec::~IntVec() of main::v" "$f" || fail "phase: $(grep 'phase:' "$f")"
$PY - "$W/sigtrap/report.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
p = doc["processes"][0]
assert p["exit"] is None and p["signal"] == 5 and p["killed_by"] == p["pid"], p
k = [f for f in doc["findings"] if f["kind"] == "killed"]
assert k and k[0]["signal"] == 5, doc["findings"]
PYEOF
exit 0

#!/bin/bash
# t130: field case c2 (tests/cases/c2_static_tls_sigtrap), the facts of its README line beyond
# t088's outcome: the killed finding names the executable's thread_local this_thread (static TLS,
# destroyed before the static destructor IntVec::~IntVec ran) as the likely cause, prof_free as
# the code that uses it, and how to confirm (TLSTRACE_WATCH=hw; poison, saying it changes the run);
# JSON carries the object. Mode
# poison: the run with TLSTRACE_WATCH=poison ends as the plain run does (killed by SIGTRAP), not
# in a hang on the poisoned mutex.
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/c2_static_tls_sigtrap
"$C/run" "$ROOT" "$W/sigtrap" sigtrap >"$W/sigtrap.txt" 2>&1 || { cat "$W/sigtrap.txt"; fail "run failed"; }
f=$W/sigtrap.txt
grep -q "^with the shim: *killed by SIGTRAP" "$f" || fail "outcome: $(grep '^with the' "$f")"
grep -q "root cause: the static destructor IntVec::~IntVec() of main::v, run by exit() after main returned, ran .* after this thread's thread_local this_thread (prof, static TLS: the executable's own) was destroyed, and .*prof_free(.*) in prof, in the same module, most likely uses it: a likely use after destruction" "$f" ||
	{ cat "$f"; fail "root cause"; }
grep -q "fix: .*to confirm, run again with TLSTRACE_WATCH=hw" "$f" || fail "fix: $(grep 'fix:' "$f")"
# the verdict's line says where it was killed and the likely cause, not only the signal and its
# raise (FRESH15b item 6)
sed -n '/^verdict/,/^$/p' "$f" | grep -q "killed: process [0-9]* (prof) was killed by SIGTRAP, which it sent itself (raise from .*prof_free.*; in the static destructor IntVec::~IntVec() of main::v, which ran after thread_local this_thread (prof) was destroyed: a likely use after destruction" ||
	fail "verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
# poison, where breakpoints do not fire, is offered with what it does to the run (issue 19)
grep -q "fix: .*TLSTRACE_WATCH=poison: .*that changes the run (a silent read becomes a crash; a lock word holding a pointer could block)" "$f" ||
	fail "fix does not say poison changes the run: $(grep 'fix:' "$f")"
$PY - "$W/sigtrap/report.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
k = [f for f in doc["findings"] if f["kind"] == "killed"]
assert k and k[0]["tls"] and k[0]["tls"]["symbol"] == "this_thread", k
assert "likely use after destruction" in k[0]["root_cause"], k[0]
PYEOF
"$C/run" "$ROOT" "$W/poison" poison >"$W/poison.txt" 2>&1 || { cat "$W/poison.txt"; fail "poison: run failed"; }
grep -q "^without the shim: killed by SIGTRAP" "$W/poison.txt" || fail "poison: plain run: $(grep '^without' "$W/poison.txt")"
grep -q "^with the shim: *killed by SIGTRAP" "$W/poison.txt" || fail "poison: traced run: $(grep '^with the' "$W/poison.txt")"
grep -q " poison 1 0x" "$W/poison/trace.log" || fail "poison: the object was not poisoned"
exit 0

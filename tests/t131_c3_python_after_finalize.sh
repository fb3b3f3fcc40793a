#!/bin/bash
# t131: field case c3 (tests/cases/c3_key_dtor_python_after_finalize): a native worker's pthread
# key destructor takes the GIL after python3 finalized the interpreter; the worker was ending
# because a static destructor, run by exit() after finalization, joined it: SIGSEGV, with and
# without the shim. The report has a python-after-finalize finding naming the key destructor
# tracer_thread_exit (poolext), the API it entered (PyGILState_Ensure, whose cold part has no
# symbol in python3, > PyThreadState_New), the time since
# finalization, the static destructor WorkerPool::~WorkerPool() the exiting thread was in, and
# the fix; the crash is caused by it (text and JSON).
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/c3_key_dtor_python_after_finalize
"$C/run" "$ROOT" "$W/c3" >"$W/c3.txt" 2>&1 || { cat "$W/c3.txt"; fail "run failed"; }
f=$W/c3.txt
grep -q "^without the shim: killed by SIGSEGV" "$f" || fail "plain run: $(grep '^without' "$f")"
grep -q "^with the shim: *killed by SIGSEGV" "$f" || fail "traced run: $(grep '^with the' "$f")"
grep -Eq "^\[[0-9]+\] error python-after-finalize " "$f" || { cat "$f"; fail "no python-after-finalize finding"; }
grep -Eq "tracer_thread_exit\(void\*\)\+0x[0-9a-f]+ \(poolext.cc:[0-9]+\) in poolext[^ ]* called into Python \(PyGILState_Ensure > PyThreadState_New\) in thread exit \(return\) > destructor of pthread key 1, at least [0-9.]+ ms after Python was finalized" "$f" ||
	fail "message: $(grep 'called into Python' "$f" | head -1)"
grep -q "was ending while thread [0-9]* was in main returned 0 > static destructor WorkerPool::~WorkerPool() of pool, which had not returned" "$f" ||
	fail "what made the step run: $(grep 'root cause' "$f")"
grep -q "fix: .*stop native threads before finalization.*Py_IsInitialized()" "$f" || fail "fix"
$PY - "$W/c3/report.json" <<'PYEOF' || fail "JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
p = next(x for x in f if x["kind"] == "python-after-finalize")
assert p["phase"] == "thread exit (return) > destructor of pthread key 1", p["phase"]
assert any(fr["function"] and "tracer_thread_exit" in fr["function"] for fr in p["backtrace"]), p["backtrace"]
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "python-after-finalize", crash
PYEOF
exit 0

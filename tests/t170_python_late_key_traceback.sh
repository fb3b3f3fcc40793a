#!/bin/bash
# t170: a late construction and a key used after its destructor carry the Python traceback of the
# code that made them, as a use-after-destroy does (t082), and the report names the Python
# function that made the call, under the installed python3 (3.11 here; 3.13/3.14 in t083/t084's
# chroots): tests/apps/py_late.py. A thread's pthread key destructor releases an object whose
# __del__ calls pthread_getspecific on a key whose destructor already ran (key_late, then
# key_late_py lines); an atexit callback constructs a thread_local on the main thread during
# Py_Finalize through a helper (tls_reg ... pyfin, then late_py lines), named in the report as
# the callback "via" the helper. Same outcome as without the shim.
. "$(dirname "$0")/lib.sh"
ext=$(build_pyext pylate pylate.cc)
export PYTHONPATH=$ext
app=$ROOT/tests/apps/py_late.py
plain run $PY "$app"; PLAIN_RC=$RC
traced run $PY "$app"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 0 ] || fail "python3 exited $RC"
main=$(pids run '^tlstrace$')
f='%20%20File%20"'
expect_order run "$main" "^[0-9]+ . key_late [0-9]+ get 0x0 " \
	"^[0-9]+ . key_late_py Stack%20\\(most%20recent%20call%20first\\):$" \
	"^[0-9]+ . key_late_py ${f}$app\",%20line%2024%20in%20ReadsKey.__del__$"
expect_order run "$main" "^$main A tls_reg [0-9]+ 0x[0-9a-f]+ .* late_obj 0x0 [0-9]+ pyfin$" \
	"^$main A late_py Stack%20\\(most%20recent%20call%20first\\):$" \
	"^$main A late_py ${f}$app\",%20line%2015%20in%20make_late$" \
	"^$main A late_py ${f}$app\",%20line%2019%20in%20at_exit_late$"
$REPORT --json "$W/run.trace" >"$W/report.json"; [ $? = 1 ] || fail "report: expected findings"
$PY - "$W/report.json" <<'PYEOF' || fail "report: Python tracebacks of the late construction and the key use"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
key = next(x for x in f if x["kind"] == "key-after-destroy")
assert key["python_traceback"] and key["python_traceback"][-1].endswith("line 24 in ReadsKey.__del__"), key
assert key["python_callback"] == "py_late.ReadsKey.__del__ (py_late.py:24)", key["python_callback"]
late = next(x for x in f if x["kind"] == "construct-during-teardown" and x["tls"]["symbol"] == "late_obj")
tb = late["python_traceback"]
assert tb and tb[1].endswith("line 15 in make_late") and tb[2].endswith("line 19 in at_exit_late"), tb
assert late["python_callback"] == "py_late.at_exit_late (py_late.py:19), via py_late.make_late (py_late.py:15)", \
    late["python_callback"]
PYEOF
$REPORT "$W/run.trace" >"$W/report.txt"
grep -q "^    Python callback: py_late.at_exit_late (py_late.py:19), via py_late.make_late (py_late.py:15)$" \
	"$W/report.txt" || fail "text report: the atexit callback of the late construction"
grep -q "^    Python callback: py_late.ReadsKey.__del__ (py_late.py:24)$" "$W/report.txt" ||
	fail "text report: the Python function of the key use"
grep -q "^  1 process (python3): construct-during-teardown: .* from the Python callback py_late.at_exit_late " \
	"$W/report.txt" || fail "text report: the verdict names the atexit callback"

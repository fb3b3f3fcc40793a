#!/bin/bash
# t082: a use-after-destroy carries the Python traceback of the code that made it (uad_py lines
# right after the uad line; python_traceback of the report's finding), under the installed python3
# (3.11 here; 3.13/3.14 in t083/t084's chroots): tests/apps/py_thread_uad.py reads seedext's
# tls_obj from a __del__ run by pyholder's thread_local destructor, after tls_obj's destructor,
# when a Python thread ends. The read then faults (the object's arena is unmapped): the crash has
# the same traceback. Same outcome as without the shim. Frames are named by their qualified names
# (co_qualname, 3.11 too: ReadsLate.__del__; PYDEL13).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
ext=$(build_pyext seedext seedext.cc)
build_pyext pyholder pyholder.cc >/dev/null
export PYTHONPATH=$ext
app=$ROOT/tests/apps/py_thread_uad.py
plain run $PY "$app"; PLAIN_RC=$RC
traced run $PY "$app"; TRACED_RC=$RC
same_outcome run
main=$(pids run '^tlstrace$')
uad=$(awk '$4 == "uad" && $9 == "tls_obj" { print $2; exit }' "$W/run.norm")
[ -n "$uad" ] || fail "no use-after-destroy of tls_obj"
f='%20%20File%20"'
expect_order run "$main" "^$uad . uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj " \
	"^$uad . uad_py Stack%20\\(most%20recent%20call%20first\\):$" \
	"^$uad . uad_py ${f}$app\",%20line%2015%20in%20read_destroyed$" \
	"^$uad . uad_py ${f}$app\",%20line%2020%20in%20ReadsLate.__del__$"
if [ "$RC" = 139 ]; then
	expect_order run "$main" "^$uad . crash 11 " "^$uad . crash_py ${f}$app\",%20line%2015%20in%20read_destroyed$"
else
	note "the read of the destroyed object did not fault here (exit $RC): the uad line is the only sign"
fi
$REPORT --json "$W/run.trace" >"$W/report.json"; [ $? = 1 ] || fail "report: expected findings"
$PY - "$W/report.json" <<'PYEOF' || fail "report: python_traceback of the use-after-destroy"
import json, sys
uad = next(f for f in json.load(open(sys.argv[1]))["findings"] if f["kind"] == "use-after-destroy")
tb = uad["python_traceback"]
assert tb and tb[1].endswith("line 15 in read_destroyed") and tb[2].endswith("line 20 in ReadsLate.__del__"), tb
PYEOF
$REPORT "$W/run.trace" >"$W/report.txt"
grep -q "line 15 in read_destroyed" "$W/report.txt" || fail "text report: no Python traceback"

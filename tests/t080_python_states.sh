#!/bin/bash
# t080: the PY column through the interpreter's life, under the installed python3 (3.11 on Debian
# 12; 3.13 and 3.14 when t083/t084 run this case in their chroots): a dlopen marks each phase
# (tests/apps/py_phases.py): I while running, A from a Python atexit callback, F from a __del__
# run while Py_FinalizeEx destroys the modules (it read D there on 3.11: "initialized" is cleared
# when "finalizing" is set), D after. python3 links libpython in: nothing of Py_* is interposed,
# the shim reads the interpreter's own state. Same outcome as without the shim.
. "$(dirname "$0")/lib.sh"
plain run $PY "$ROOT/tests/apps/py_phases.py"; PLAIN_RC=$RC
traced run $PY "$ROOT/tests/apps/py_phases.py"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 0 ] || fail "python3 exited $RC"
main=$(pids run '^tlstrace$')
phase() { echo "^$main $1 dlopen 0x[0-9a-f]+ /nonexistent/tlstrace-phase-$2\\.so$"; }
expect_order run "$main" "$(phase I main)" "$(phase A atexit)" "$(phase F finalize)" "^$main D main_return 0$" \
	"^$main D exit_done$"
# no state goes back: nothing after the first A reads I, nothing after the first F reads A or I
awk -v m="$main" '$1 != m { next } { s = $3 }
	s == "A" && seen["F"] || s == "I" && (seen["A"] || seen["F"]) || s == "F" && seen["D"] { print "state " s " after " (seen["D"] ? "D" : seen["F"] ? "F" : "A") ": " $0; bad = 1 }
	{ seen[s] = 1 } END { exit bad }' "$W/run.norm" || fail "the state went back"
note "$($PY -c 'import sys; print(sys.version.split()[0])'): I, A, F, D at the marks"

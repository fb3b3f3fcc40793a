#!/bin/bash
# t464: a C extension's tp_dealloc, run by the interpreter's own teardown, looks a module up in
# sys.modules and uses the NULL it gets (tests/src/finalize_lookup.cc: the object is in a cycle,
# freed by the last collection after sys.modules was emptied): SIGSEGV under python3 (its own
# Py_FinalizeEx, which the shim does not see) and under uWSGI (exit() > uwsgi_plugins_atexit >
# Py_Finalize). The report (FRESH17): a python-after-finalize finding whose root cause says the
# interpreter's teardown itself ran the destructor and lookups then give NULL, and whose fix is
# the destructor's (Py_IsFinalizing(), test the lookup, keep a reference from import), not "stop
# native threads" for an app with none, and no "?" where the time since finalization is not
# known (before: "..., ? after Python was finalizing began").
. "$(dirname "$0")/lib.sh"
ext=$(build_pyext finalize_lookup finalize_lookup.cc)
check() {
	local f=$1 what=$2
	grep -Eq "^\[[0-9]+\] error python-after-finalize " "$f" || { cat "$f"; fail "$what: no python-after-finalize finding"; }
	local msg root fix
	msg=$(grep -A1 "^\[[0-9]*\] error python-after-finalize" "$f" | tail -1)
	root=$(grep -A4 "^\[[0-9]*\] error python-after-finalize" "$f" | grep "root cause:")
	fix=$(grep -A4 "^\[[0-9]*\] error python-after-finalize" "$f" | grep "fix:")
	echo "$msg" | grep -q "obj_dealloc.* (finalize_lookup.cc:[0-9]*) in finalize_lookup[^ ]* called into Python (PyObject_GetAttrString)" ||
		fail "$what: message: $msg"
	! grep -q ", ? after" "$f" || fail "$what: a '?' for the time: $(grep -m1 ', ? after' "$f")"
	echo "$root" | grep -q "root cause: Py_Finalize[A-Za-z]* itself ran this code: its last garbage collections and its clearing of sys.modules .* a lookup of a module or a global gives NULL or None" ||
		fail "$what: root cause: $root"
	# (said once per process: a finding whose fix an earlier one has says "as in finding [N]")
	echo "$fix" | grep -Eq "fix: *(make the destructor safe at finalization: return early when Py_IsFinalizing\(\) .*test every lookup's result for NULL|as in finding \[[0-9]+\])" ||
		fail "$what: fix: $fix"
	grep -q "fix: *make the destructor safe at finalization: return early when Py_IsFinalizing() .*test every lookup's result for NULL" "$f" ||
		fail "$what: no finding has the fix: $(grep 'fix:' "$f")"
	! echo "$fix" | grep -q "stop native threads" || fail "$what: the threads fix: $fix"
}
# python3: its own Py_FinalizeEx
PYTHONPATH=$ext:$ROOT/tests/apps traced py $PY "$ROOT/tests/apps/finalize_lookup_app.py"
[ "$RC" = 139 ] || fail "python3: status $RC, not SIGSEGV: $(cat "$W/py.err")"
"$REPORT" --color=never "$W/py.trace" >"$W/py.txt" 2>&1
check "$W/py.txt" python3
grep -q "in Py_FinalizeEx (module teardown and garbage collection, after the atexit callbacks); then crashed with SIGSEGV" "$W/py.txt" ||
	fail "python3: verdict: $(sed -n 3p "$W/py.txt")"
# the shim's own crash lines on stderr name the step (before: "teardown: none (the process was
# running normally)")
grep -q "^tlstrace: teardown: Py_FinalizeEx (module teardown and garbage collection" "$W/py.err" ||
	fail "python3: the shim's crash lines: $(grep 'tlstrace: teardown' "$W/py.err")"
# a sub-interpreter's destruction (mod_wsgi's, at a child's exit): Py_EndInterpreter's own teardown
PC=/usr/bin/python3-config
gcc -g -O1 $($PC --includes) -o "$BIN/subinterp_end" "$ROOT/tests/src/subinterp_end.c" $($PC --ldflags --embed) ||
	fail "cannot build subinterp_end"
PYTHONPATH=$ext traced sub "$BIN/subinterp_end" lookup
[ "$RC" = 139 ] || fail "sub-interpreter: status $RC, not SIGSEGV: $(cat "$W/sub.err")"
grep -q "^tlstrace: teardown: Py_EndInterpreter (a sub-interpreter's destruction)" "$W/sub.err" ||
	fail "sub-interpreter: the shim's crash lines: $(grep 'tlstrace: teardown' "$W/sub.err")"
"$REPORT" --color=never "$W/sub.trace" >"$W/sub.txt" 2>&1
grep -Eq "^\[[0-9]+\] error python-after-finalize " "$W/sub.txt" || { cat "$W/sub.txt"; fail "sub-interpreter: no python-after-finalize finding"; }
grep -A4 "^\[[0-9]*\] error python-after-finalize" "$W/sub.txt" | grep -q "root cause: Py_EndInterpreter itself ran this code" ||
	fail "sub-interpreter: root cause: $(grep -A4 'error python-after-finalize' "$W/sub.txt" | grep 'root cause')"
grep -q "fix: *make the destructor safe when its interpreter is destroyed: test every lookup's result for NULL" "$W/sub.txt" ||
	fail "sub-interpreter: fix: $(grep -A4 'error python-after-finalize' "$W/sub.txt" | grep 'fix:')"
# uWSGI: exit() > uwsgi_plugins_atexit > Py_Finalize, whose py_fin line gives the time
PYTHONPATH=$ext UAPP=finalize_lookup_app uwsgi_run uw INT
"$REPORT" --color=never "$W/uw.trace" >"$W/uw.txt" 2>&1
check "$W/uw.txt" uWSGI
grep -Eq "in exit\([0-9]+\) > atexit handler uwsgi_plugins_atexit > Py_Finalize, [0-9.]+ ms after Python's finalization began \(Py_Finalize began on thread [0-9]+\)" "$W/uw.txt" ||
	fail "uWSGI: message: $(grep -m1 'called into Python' "$W/uw.txt")"
exit 0

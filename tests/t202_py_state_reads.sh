#!/bin/bash
# t202: under /usr/bin/python3 (3.11) the shim reads the interpreter's state in _PyRuntime, where
# Py_IsInitialized, _Py_IsFinalizing and PyInterpreterState_Head read it, instead of calling them:
# python3 itself never runs those functions, and each call faulted a page of its text at every
# run (issue 18; shim/python.c, py_runtime_311). Checked: the state letters of a run that installs
# handlers in each state (running, atexit, finalizing, after), and, with callgrind, that no call
# into those functions is made (before: all three were called).
. "$(dirname "$0")/lib.sh"
$PY -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || skip "python3 is not 3.11"

traced states $PY "$ROOT/tests/src/py_states.py"
[ $RC = 0 ] || fail "py_states.py exited $RC"
got=$(awk '$5 == "sig_handler" || $5 == "main_return" { print $4, $5, $6 }' "$W/states.trace" | tr '\n' ';')
want="n sig_handler 13;n sig_handler 2;I sig_handler 1;A sig_handler 15;F sig_handler 2;F sig_handler 10;D main_return 0;"
[ "$got" = "$want" ] || fail "state letters: got '$got', want '$want'"

command -v valgrind >/dev/null || { note "no valgrind: the calls not checked"; echo "ok"; exit 0; }
rm -f "$W/cg.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/cg.trace valgrind -q --tool=callgrind --trace-children=no \
	--callgrind-out-file="$W/callgrind.out" $PY "$ROOT/tests/src/py_states.py" >"$W/cg.log" 2>&1 || fail "under callgrind: $(cat "$W/cg.log")"
called=$(grep -oE '^c?fn=\([0-9]+\) (Py_IsInitialized|_Py_IsFinalizing|PyInterpreterState_Head)$' "$W/callgrind.out" | awk '{ print $2 }' | sort -u | tr '\n' ' ')
[ -z "$called" ] || fail "python3's state functions called: $called"
echo "ok"

#!/bin/bash
# t507: a python3 whose atexit callback spins in pure Python (no call the shim sees), ended by
# `timeout -s KILL` (issue 15's known gap: the shim sees no teardown). The report must not say
# plainly that it was killed before any teardown: python3's own Py_FinalizeEx writes no line
# until it blocks, so the process may have been in its atexit callbacks; said in its header.
# (Seeing the spin itself needs a hook at the start of python3's own Py_FinalizeEx: not done.)
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >spin.py <<'PY'
import atexit
def spin():
    while True:
        pass
atexit.register(spin)
print("up", flush=True)
PY
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/s.trace timeout -s KILL 2 $PY spin.py >s.out 2>&1
rc=$?
[ $rc = 137 ] || fail "spin: exit status $rc: $(cat s.out)"
"$REPORT" --color=never s.trace >s.txt 2>&1
grep -q "^process [0-9]* python3: killed by SIGKILL, .*before any teardown (none in its trace; but python3's own Py_FinalizeEx writes no line until it blocks, so it may have been in its atexit callbacks or later)" s.txt ||
	fail "spin: $(grep '^process' s.txt)"
exit 0

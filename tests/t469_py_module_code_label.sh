#!/bin/bash
# t469: a finding whose Python frame is a module's top level (python3 -c, the main script, an
# import) names it as "Python code:", not "Python callback:" (FRESH17b item 8: os.abort() in
# `python3 -c` read "Python callback: <string>.<module> (<string>:1)"); an atexit callback's
# frame keeps "Python callback:" (t170, t441).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/a.trace $PY -c 'import os; os.abort()' 2>/dev/null
"$REPORT" --color=never a.trace >a.txt 2>&1
grep -q "^    Python code: <string>.<module> (<string>:1)$" a.txt || fail "module level: $(grep 'Python c' a.txt)"
! grep -q "Python callback:" a.txt || fail "called a callback: $(grep 'Python callback:' a.txt)"
# the same abort from an atexit callback: a callback
cat >cb.py <<'PY'
import atexit, os
def on_exit():
    os.abort()
atexit.register(on_exit)
PY
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/cb.trace $PY cb.py 2>/dev/null
"$REPORT" --color=never cb.trace >cb.txt 2>&1
grep -q "^    Python callback: cb.on_exit (cb.py:3)$" cb.txt || fail "atexit callback: $(grep 'Python c' cb.txt)"
exit 0

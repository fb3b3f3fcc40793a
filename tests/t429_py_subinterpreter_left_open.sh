#!/bin/bash
# t429: a program leaves a sub-interpreter open with a non-daemon thread running in it (3.14's
# concurrent.interpreters; 3.13's _interpreters): at exit Python ends the sub-interpreters left
# open (Py_EndInterpreter, an internal call the shim does not see), which joins that thread and
# hangs. The hang snapshot names each thread state's interpreter (3.13+: the debug offsets'
# reader marks them as 3.11's dumper is marked: [sub-interpreter], not "main" for all), the phase
# says the sub-interpreters' end, and the fix is to stop the thread and close the interpreter (not
# "make it a daemon thread", which an isolated sub-interpreter refuses). 3.14 keeps the thread
# and names it; 3.13 ends it when it takes the GIL during finalization, and the join waits for a
# thread that is gone. Run on trixie and sid by t322; skipped where Python has neither module.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
$PY -c 'import _interpreters' 2>/dev/null || skip "no sub-interpreter module in $($PY -V) (3.13+)"
cat >si.py <<'PY'
code = """
import threading, time
def refresher():
    while True:
        time.sleep(0.05)
threading.Thread(target=refresher, name="refresher").start()
"""
try:
    from concurrent import interpreters
    interp = interpreters.create()  # (kept: an Interpreter no longer referenced is closed at once)
    interp.exec(code)
except ImportError:
    import _interpreters
    interp = _interpreters.create()
    _interpreters.run_string(interp, code)
print("started", flush=True)
PY
rm -f si.trace
env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/si.trace TLSTRACE_HANG_MS=300 $PY si.py >si.out 2>si.err &
P=$!
trap 'kill -KILL $P 2>/dev/null' EXIT
wait_for $P 60 "the first hang snapshot" has_lines si.trace 1 " hang_end 1\$"
kill -KILL $P
wait $P
"$REPORT" --color=never si.trace >si.txt 2>&1
f=$(grep -A5 '^\[[0-9]*\] error hang ' si.txt)
echo "$f" | grep -q "phase: .*> ending the sub-interpreters left open (Py_EndInterpreter, which joins each one's non-daemon threads)" ||
	fail "the phase: $f"
echo "$f" | grep -Eq "fix: +stop (thread [0-9]+ \\(\"refresher\"\\) and close its interpreter|the sub-interpreter's threads and close it) before the main code ends" ||
	fail "the fix: $f"
! echo "$f" | grep -q "daemon thread (threading.Thread(daemon=True))" || fail "a daemon thread advised: $f"
grep -q "(most recent call first): \\[sub-interpreter\\]" si.txt || fail "no thread state named as a sub-interpreter's: $(grep 'most recent call first' si.txt)"
if $PY -c 'from concurrent import interpreters' 2>/dev/null; then # (3.14: the thread is there)
	echo "$f" | grep -Eq "waiting on the join of thread [0-9]+ \\(refresher\\)" || fail "3.14: the join's thread: $f"
fi
exit 0

#!/bin/bash
# t283: a Python SIGTERM handler (signal.signal) runs while a Python atexit callback sleeps inside
# python3's own Py_FinalizeEx (issue 15, U7 F10). The arrival at CPython's C-level handler is a
# kept line, written after that handler returned, on the shim's signal stack (Python installs
# its handlers with SA_ONSTACK): its state letter is read from the stack the signal interrupted
# (term_trampoline keeps its stack pointer with the arrival; python.c py_state_interrupted), so
# it is A (Py_FinalizeEx on the main thread's stack), and the report's phase of the process,
# SIGKILLed later while the callback still sleeps, is Py_FinalizeEx, not "running". The same
# handler taking SIGTERM in the main code (a sleep before any teardown) still reads I. The
# program's outcome is unchanged: it prints "handled 15" and sleeps on (PEP 475).
# (Before: "I sig_arrive 15 ...", phase "running".)
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/pyh.py" <<'PYEOF'
import atexit, signal, sys, time
def on_term(sig, frame):
    print("handled", sig, flush=True)
def flush_metrics():
    print("ready", flush=True)
    time.sleep(100)
signal.signal(signal.SIGTERM, on_term)
if sys.argv[1] == "atexit":
    atexit.register(flush_metrics)
else:
    print("ready", flush=True)
    time.sleep(100)
PYEOF
for m in atexit main; do
	PYH_DONE="^handled 15$" py_handler_run $m
	[ $RC = 137 ] || fail "$m: status $RC: $(cat "$W/$m.err")"
	grep -q "^handled 15$" "$W/$m.out" || fail "$m: the handler did not run: $(cat "$W/$m.out")"
done
grep -Eq "^[0-9]+ [0-9]+ [0-9]+ A sig_arrive 15 .* fn " "$W/atexit.trace" ||
	{ grep sig_arrive "$W/atexit.trace"; fail "atexit: the arrival's state letter is not A"; }
grep -q "^    phase:      Py_FinalizeEx (threading shutdown, Python atexit callbacks)" "$W/atexit.txt" ||
	fail "atexit: $(grep phase: "$W/atexit.txt")"
! grep -q "phase: *running" "$W/atexit.txt" || fail "atexit: phase running"
grep -Eq "^[0-9]+ [0-9]+ [0-9]+ I sig_arrive 15 .* fn " "$W/main.trace" ||
	{ grep sig_arrive "$W/main.trace"; fail "main: the arrival's state letter is not I"; }
exit 0

#!/bin/bash
# t321: a Python SIGTERM handler that never returns is named (its function and where it is in
# it: on_term at py_term_in_function.py:LINE) in the hang finding's verdict and root cause when
# the code it interrupted is a function, not the module's top level (tests/src/
# py_term_in_function.py): main() -> loop() in time.sleep, the handler sleeping in a loop or in
# Event().wait(); a method (Worker.run); Thread.join; the handler blocked in a class's __init__
# that CPython called from C under it (the handler is on_term, not __init__ or cleanup). The
# shim writes which frame of the main thread's is the handler (hang_pyhandler: the eval loop
# entered below the C code that runs the handlers; 3.13 and 3.14 in t322). Before: "its Python handler never
# returned" and "the Python-level SIGTERM handler (given to signal.signal) did not return" with
# no name (the traceback alone could not tell the handler from a function main() called).
# TLSTRACE_HANG_MS=300; SIGTERM once it is ready, SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
H=300
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] == (3, 12))' || skip "the handler's frame is not found in 3.12"
root() { grep -A4 "^\[[0-9]*\] error hang" "$W/$1.txt" | grep "root cause:"; }
# MODE LINE: where in on_term the handler is. Thread.join only where it lets the handler run
# (3.11: the join's lock wait is cut short by the signal; 3.13+ join through the parking lot and
# run no handler until the join returns: nothing hangs in a handler there)
modes="loop:28 event:24 method:28 init:26 busy:28"
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] >= (3, 13))' && modes="$modes join:28"
for ml in $modes; do
	m=${ml%:*} line=${ml#*:}
	bg_ready $m $PY "$ROOT/tests/src/py_term_in_function.py" $m
	kill -TERM $PID
	wait_for $PID 60 "2 complete snapshots of $m" has_lines "$W/$m.trace" 2 ' hang_end '
	kill_report $m
	[ $RC = 137 ] || fail "$m: status $RC"
	grep -q " hang_pyhandler $PID [0-9]* [0-9]*$" "$W/$m.trace" || fail "$m: no hang_pyhandler line"
	grep -A1 "^verdict" "$W/$m.txt" | grep -Eq "\(SIGTERM's arrival( from process [0-9]+ \([^)]*\))?; its Python handler on_term at py_term_in_function.py:$line never returned, thread [0-9]*\)" ||
		fail "$m: verdict: $(grep -A1 '^verdict' "$W/$m.txt")"
	root $m | grep -q "root cause: the Python-level SIGTERM handler (given to signal.signal) on_term (py_term_in_function.py:$line) did not return: thread [0-9]* (python3), at " ||
		fail "$m: root cause: $(root $m)"
	# the finding's Python callback is the handler, not the function it interrupted (main, loop)
	grep -Eq "^    Python callback: py_term_in_function\.on_term \(py_term_in_function\.py:[0-9]+\)" "$W/$m.txt" ||
		fail "$m: $(grep 'Python callback:' "$W/$m.txt")"
done
exit 0

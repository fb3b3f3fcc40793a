#!/bin/bash
# t422: python3's timeline never goes back to "-- Python initialized --" once its finalization was
# seen. A thread that ends during threading._shutdown's join (it waits until the main thread is
# marked stopped, which _shutdown does first: Lib/threading.py, 3.11) writes its lines with the
# state it read on its own stack, I (the A state is read on the main thread only), and its
# records come after the main thread's in the trace (written when its buffer is); the report
# settles the states in time order (analyze.c settle_py_states). The thread ends once the trace
# has the shim's py_fin_stack line (the main thread seen blocked in Py_FinalizeEx's join).
# Before: "-- in Py_Finalize (thread joins, atexit callbacks) --", the thread's exit under
# "-- Python initialized --", then "-- Python finalized --".
. "$(dirname "$0")/lib.sh"
mkdir -p "$W"
traced run $PY -c '
import os, threading, time
def late():
    # until the shim saw the main thread blocked in Py_FinalizeEx (its py_fin_stack line; 30 s
    # at most, a safety net): the thread then ends inside the join
    for _ in range(3000):
        if not threading.main_thread().is_alive() and " py_fin_stack " in open(os.environ["TLSTRACE_FILE"]).read():
            break
        time.sleep(0.01)
threading.Thread(target=late).start()'
[ "$RC" = 0 ] || fail "python3 exited $RC"
main=$(pids run '^tlstrace$')
expect_line run "^$main $main A (threads_alive|hang_arm) py_fin_stack "
$REPORT "$W/run.trace" >"$W/run.report"
states=$(grep -E '^ +-- .* --$' "$W/run.report" | sed -E 's/^ +-- (.*) --$/\1/')
echo "$states" | grep -q "^in Py_Finalize" || { cat "$W/run.report"; fail "no Py_Finalize state in the timeline"; }
echo "$states" | sed -n '/^in Py_Finalize/,$p' | grep -q "^Python initialized$" &&
	{ cat "$W/run.report"; fail "the timeline goes back to Python initialized after Py_Finalize began"; }
# the thread's exit is shown inside the finalization
awk '/-- in Py_Finalize/ { f = 1 } /-- Python finalized --/ { f = 0 } f && /exits \(its function returned\)/ { ok = 1 } END { exit !ok }' \
	"$W/run.report" || { cat "$W/run.report"; fail "the thread's exit is not under Py_Finalize"; }
exit 0

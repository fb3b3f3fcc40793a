#!/bin/bash
# t323: python3's Py_FinalizeEx blocked in a callback's os.waitpid of a child that never ends
# (FIX10b P2): the hang's message, and the verdict's one line (the kill's, which ended the hang),
# name the callback as for every other blocking call ("inside the atexit callback
# awp.reap_children (awp.py:4)"), and the root cause does too:
# - an atexit.register callback;
# - a threading._register_atexit callback (run by threading._shutdown before its joins): the root
#   cause named no callback at all ("thread N is waiting in waitpid for its child M (sleep)").
# TLSTRACE_HANG_MS=300; SIGTERM to python3 (by pid) once the three snapshots are in the trace, then
# SIGKILL to the sleep child (by pid, printed by the callback).
# Before: the verdict said "(Py_FinalizeEx, thread N): snapshot ..." with no callback.
. "$(dirname "$0")/lib.sh"
H=300
for m in atexit thread_atexit; do
	case $m in
	atexit) reg=atexit.register CB="the atexit callback" ROOT_CB="an atexit callback" ;;
	thread_atexit) reg=threading._register_atexit CB="the threading._register_atexit callback"
		ROOT_CB="a threading._register_atexit callback" ;;
	esac
	cat >"$W/awp_$m.py" <<PYEOF
import atexit, os, subprocess, threading
def reap_children():
    p = subprocess.Popen(["sleep", "60"]); print("child", p.pid, flush=True)
    os.waitpid(p.pid, 0)
$reg(reap_children)
print("ready", flush=True)
PYEOF
	bg_ready $m $PY "$W/awp_$m.py"
	wait_for $PID 60 "3 complete snapshots of $m" has_lines "$W/$m.trace" 3 ' hang_end '
	kill -TERM $PID
	wait $PID
	RC=$?
	for c in $(sed -n 's/^child \([0-9]*\)$/\1/p' "$W/$m.out"); do kill -KILL "$c" 2>/dev/null; done
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	[ $RC = 143 ] || fail "$m: status $RC"
	grep -Eq "still in its teardown [0-9.]+ s after it began \(Py_FinalizeEx, thread [0-9]+\), inside $CB awp_$m\.reap_children \(awp_$m\.py:4\), waiting in wait4 for its child [0-9]+: snapshot" "$W/$m.txt" ||
		fail "$m: the hang's message: $(grep 'still in its teardown' "$W/$m.txt")"
	# one verdict line for python3: the kill (SIGTERM: a snapshot at the signal) that ended the
	# hang, naming the callback too; the hang's own line is said by it
	v=$(sed -n '/^verdict/,/^$/p' "$W/$m.txt" | grep "^  1 process (python3)")
	[ "$(echo "$v" | wc -l)" = 1 ] && echo "$v" | grep -q "killed in $CB awp_$m\.reap_children (awp_$m\.py:4)" ||
		fail "$m: verdict: $v"
	grep -Eq "root cause: $ROOT_CB \(\"[^\"]*awp_$m.py\", line 4 in reap_children\) does not return: thread [0-9]+ \(python3\), at \"[^\"]*awp_$m.py\", line 4 in reap_children, waiting in waitpid for its child [0-9]+ \(sleep\)" "$W/$m.txt" ||
		fail "$m: root cause: $(grep 'root cause:' "$W/$m.txt")"
done
exit 0

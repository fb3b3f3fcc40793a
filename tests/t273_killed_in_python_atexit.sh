#!/bin/bash
# t273: python3 killed by a termination signal's default action while a Python atexit callback
# runs outside any lock and any call the shim interposes (a metrics flush that spins in pure
# Python, waiting for a flag; a sleep or a poll now begins the teardown: t292; since PY10 a recv,
# which this case waited in before, too: t317) (issue 15: "which teardown step it was in"). /usr/bin/python3 calls its own Py_FinalizeEx, which the shim cannot
# interpose, and nothing it interposes ran: the arrival's line takes its state letter from the
# interrupted stack (A: Py_FinalizeEx on it), and the report says the process was killed during
# its teardown, in Py_FinalizeEx. Before: "before its teardown began", phase "running", and the
# fix "install a handler".
# With SIGKILL and no gentler signal first, no blocking wait, sleep, poll, read or arrival marks Py_FinalizeEx:
# the trace cannot tell whether teardown began. The report says so ("it may have begun"), never
# "before its teardown began", nor that it was killed outright with nothing to mend (this part
# failed on 01fede6).
. "$(dirname "$0")/lib.sh"
cat >"$W/ax.py" <<'PYEOF'
import atexit
sent = False
def flush_metrics():
    print("flushing", flush=True)
    while not sent:
        pass
atexit.register(flush_metrics)
print("ready", flush=True)
PYEOF
for s in TERM HUP KILL; do
	rm -f "$W/$s.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$s.trace TLSTRACE_HANG_MS=300 $PY "$W/ax.py" >"$W/$s.out" 2>&1 &
	pid=$!
	# (the kill once the callback runs: "flushing", not at a fixed delay after "ready")
	wait_for $pid 30 "the atexit callback's \"flushing\"" has_lines "$W/$s.out" 1 '^flushing$' || fail "$s: ended: $(cat "$W/$s.out")"
	kill -$s $pid
	wait $pid
	rc=$?
	[ $rc = $((128 + $(kill -l $s))) ] || { kill -KILL $pid 2>/dev/null; fail "$s: status $rc"; }
	f=$W/$s.txt
	if [ $s = KILL ]; then
		"$REPORT" --no-symbols --color=never "$W/$s.trace" >$f 2>&1
		grep -q "with no teardown step in its trace (python3 runs its own Py_FinalizeEx.*it may have begun)" $f ||
			{ cat $f; fail "KILL: the report does not say teardown may have begun"; }
		! grep -q "before its teardown began\|nothing of this process's to mend" $f || fail "KILL: a text the trace cannot know"
		continue
	fi
	grep -Eq "^[0-9]+ [0-9]+ [0-9]+ A sig_arrive $(kill -l $s) .* dfl " "$W/$s.trace" ||
		{ grep sig_arrive "$W/$s.trace"; fail "$s: the arrival's state letter is not A"; }
	"$REPORT" --no-symbols --color=never "$W/$s.trace" >$f 2>&1
	grep -q "was killed by SIG$s, .*during its teardown (python3's own Py_FinalizeEx" $f ||
		{ grep -A2 'error killed' $f; fail "$s: the kill is not placed in the teardown"; }
	grep -q "^    phase:      Py_FinalizeEx (threading shutdown, Python atexit callbacks)" $f || { grep phase: $f; fail "$s: phase"; }
	! grep -q "install one that shuts down\|before its teardown began" $f || fail "$s: a text that contradicts the trace"
done
exit 0

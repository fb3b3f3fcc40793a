#!/bin/bash
# t275: python3 killed by SIGKILL while a Python atexit callback sleeps (a metrics flush that
# waits on a socket), no gentler signal first (issue 15: "which teardown step it was in").
# /usr/bin/python3 runs its own Py_FinalizeEx, which the shim cannot interpose, and no blocking
# lock wait or signal arrival marks it: the trace cannot tell whether teardown began. The report
# says so ("it may have begun"), never "before its teardown began", and does not call it killed
# outright with nothing to mend. t273 is the same with SIGTERM/SIGHUP (an arrival line).
. "$(dirname "$0")/lib.sh"
cat >"$W/ax.py" <<'PYEOF'
import atexit, time
def flush_metrics():
    time.sleep(1000)
atexit.register(flush_metrics)
print("ready", flush=True)
PYEOF
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/k.trace TLSTRACE_HANG_MS=0 $PY "$W/ax.py" >"$W/k.out" 2>&1 &
pid=$!
for i in $(seq 250); do grep -q ready "$W/k.out" && break; sleep 0.02; done
sleep 0.3
kill -KILL $pid
wait $pid
rc=$?
[ $rc = 137 ] || fail "status $rc"
"$REPORT" --no-symbols --color=never "$W/k.trace" >"$W/k.txt" 2>&1
f=$W/k.txt
grep -q "with no teardown step in its trace (python3 runs its own Py_FinalizeEx.*it may have begun)" $f ||
	{ cat $f; fail "the report does not say teardown may have begun"; }
! grep -q "before its teardown began\|nothing of this process's to mend" $f || { cat $f; fail "a text that contradicts what the trace can know"; }
exit 0

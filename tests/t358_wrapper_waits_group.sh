#!/bin/bash
# t358: the tlstrace wrapper reads the trace once the other traced processes that its command's
# end took with it have closed it (at most 1 s more), not at the command's end (FRESH12: under
# timeout(1), whose SIGTERM goes to the command and then to its process group, the group's other
# processes wrote their arrival lines after the report had read the trace, 7 runs in 10: they
# were "unfinished", "killed by a signal the shim cannot see"). Here the group's other process,
# a python3 whose SIGTERM handler sleeps 0.3 s and exits 3, ends well after the command (sleep,
# killed at once): its end is in the wrapper's report, no "unfinished" finding.
. "$(dirname "$0")/lib.sh"
cd "$W"
cat >slow.py <<'PY'
import signal, sys, time
def on_term(signum, frame):
    time.sleep(0.3)
    sys.exit(3)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
time.sleep(60)
PY
# a process group of its own (setsid), SIGTERM to all of it as timeout(1) sends it
setsid "$ROOT/tlstrace" -o w.trace -f -- sh -c "$PY slow.py & exec sleep 60" >w.out 2>w.err &
wp=$!
wait_for $wp 30 "ready from slow.py" has_lines w.out 1 ready
kill -TERM -- -$wp
wait $wp
RC=$?
[ $RC = 143 ] || fail "the wrapper's status $RC (143: its command died of SIGTERM)"
grep -Eq "^[0-9]+ [0-9]+ [0-9]+ . exit 3$" w.trace || fail "no exit 3 of python3 in the trace: $(grep -v ' mod ' w.trace | tail -5)"
! grep -q "unfinished" w.err || fail "the report read the trace before python3 ended: $(grep -A2 unfinished w.err)"
exit 0

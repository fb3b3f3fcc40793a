#!/bin/bash
# t243: every path of the killed finding's fix says what the trace shows, never the contrary
# (issue 15; U5 saw "install a handler" for a process whose handler hung, and "find what its
# teardown waited on" for one that never began a teardown). Synthetic traces of a worker (pid 11)
# and its traced supervisor (pid 10), which reaps it:
#   hangterm  SIGTERM (default action) while its exit() hung (h1, h6): the hang's fix
#   handled   SIGTERM ran the worker's handler, no teardown followed, then SIGKILL: that handler
#   ignored   SIGTERM sent (no arrival: ignored or blocked), then SIGKILL: the gentler signal lost
#   outright  SIGKILL alone, before any teardown, from the parent that reaped it: no finding (a stop,
#             as SIGTERM's; it was an error whose fix said "nothing of this process's to mend", FIX13a)
#   teardown  SIGKILL alone, in an atexit handler: killed outright, no "after a gentler signal"
#   termdown  SIGTERM ran a handler that called exit(), SIGKILL in its atexit handler: "did not stop
#             in time after a gentler signal"
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
sup='10 10 1000 - tlstrace 2 1 /srv/sup sup
10 10 1000 - config signals=1 stderr=1 watch=off bt=16 hang=2000
10 10 2000 - fork 11
11 11 3000 - forked 10
11 11 4000 - sig_handler 15 0x2000 0x0 sigaction 0x2100'
mk() { printf '%s\n%s\n' "$sup" "$2" >"$1.trace"; $REPORT --no-symbols --color=never "$1.trace" >"$1.txt" 2>"$1.err"; }
mk hangterm '11 11 5000 - exit 0
11 11 6000 - hang_arm exit 2000
11 11 7000 - atexit_run 1 0x3000
11 12 2000006000 - hang 1 2000 exit 11
11 12 2000007000 - hang_thread 11 S sup futex_do_wait 202 mutex 0x5000 99
11 12 2000008000 - hang_end 1
10 10 2500000000 - kill kill 15 11 - 0 0 - - 0x1100
11 11 2500001000 - sig_arrive 15 0 10 0 0x0 dfl sup
10 10 2500002000 - reap waitpid 11 signal 15 0 0'
mk handled '10 10 1000000 - kill kill 15 11 - 0 0 - - 0x1100
11 11 1001000 - sig_arrive 15 0 10 0 0x2000 fn sup
10 10 3000000000 - kill kill 9 11 - 0 0 - - 0x1200
10 10 3000001000 - reap waitpid 11 signal 9 0 0'
mk ignored '10 10 1000000 - kill kill 15 11 - 0 0 - - 0x1100
10 10 3000000000 - kill kill 9 11 - 0 0 - - 0x1200
10 10 3000001000 - reap waitpid 11 signal 9 0 0'
mk outright '10 10 3000000000 - kill kill 9 11 - 0 0 - - 0x1200
10 10 3000001000 - reap waitpid 11 signal 9 0 0'
mk teardown '11 11 5000 - exit 0
11 11 7000 - atexit_run 1 0x3000
10 10 3000000000 - kill kill 9 11 - 0 0 - - 0x1200
10 10 3000001000 - reap waitpid 11 signal 9 0 0'
mk termdown '10 10 1000000 - kill kill 15 11 - 0 0 - - 0x1100
11 11 1001000 - sig_arrive 15 0 10 0 0x2000 fn sup
11 11 1002000 - exit 0
11 11 1003000 - atexit_run 1 0x3000
10 10 3000000000 - kill kill 9 11 - 0 0 - - 0x1200
10 10 3000001000 - reap waitpid 11 signal 9 0 0'
fix() { awk '/^\[[0-9]+\] error killed  process 11 / { k = 1 } k && sub(/^    fix: +/, "") { print; exit }' "$1.txt"; }
for c in hangterm handled ignored; do
	grep -q "error killed  process 11 " $c.txt || { cat $c.txt; fail "$c: no killed finding"; }
	! grep -q "install one that shuts down\|find what its teardown waited on" <(fix $c) ||
		fail "$c: a fix that contradicts the trace: $(fix $c)"
done
fix hangterm | grep -q "^it was killed while its teardown hung (the hang finding: 2.0 s after it began, snapshot 1): " ||
	fail "hangterm: $(fix hangterm)"
fix handled | grep -q "^the SIGTERM that arrived before it ran a handler that did not end the process (no exit or return from main followed; the handler: 0x2000)" ||
	fail "handled: $(fix handled)"
fix ignored | grep -q "^a gentler signal sent before the SIGKILL did not end it and no handler of its ran for it (no arrival line): it was ignored or blocked" ||
	fail "ignored: $(fix ignored)"
! grep -q "killed  process 11 " outright.txt || fail "outright: a finding: $(grep -A4 'killed  process 11' outright.txt)"
grep -q "^process 11 sup (forked from 10): killed by SIGKILL, sent by its parent 10 (sup), which reaped it: a stop, before any teardown of its own$" outright.txt ||
	fail "outright: header: $(grep '^process 11' outright.txt)"
# one time base in one finding: its header's (the timeline's first line: the SIGTERM's arrival) is
# its list of signals' too
grep -q "^\[[0-9]*\] error killed  process 11 thread 11 at +2998.999 ms in its timeline$" handled.txt || fail "handled: header: $(grep 'error killed' handled.txt)"
grep -q "SIGKILL (kill) from 10 (sup) at +2.999 s, .*(times from its timeline's first line, as this finding's time)" handled.txt ||
	fail "handled: the signals' times: $(grep -io 'signals sent to it.*' handled.txt)"
# SIGKILL during a teardown: "after a gentler signal" only where one is in the trace
fix teardown | grep -q "^SIGKILL came while its teardown (its phase) was under way, with no gentler signal before it (that the traces show): the sender killed it outright" ||
	fail "teardown: $(fix teardown)"
fix termdown | grep -q "^SIGKILL is what a supervisor sends when a process did not stop in time after a gentler signal: find what its teardown waited on" ||
	fail "termdown: $(fix termdown)"
exit 0

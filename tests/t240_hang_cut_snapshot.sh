#!/bin/bash
# t240: a hang snapshot cut short by the process's end (h3 lazy: the uWSGI master's SIGKILL came
# 17 ms after the worker's second snapshot began, leaving its hang line and no thread): the hang
# finding is built from the last complete snapshot (its threads, root cause and fix) and says the
# later one was cut, when, by what (the message's time is the complete one's, which it names: FIX13 P7); the timeline marks the cut one. Synthetic traces: a complete
# snapshot then one with one thread of two and no hang_end; a lone snapshot cut with no thread; a
# cut snapshot in a trace that has no end (a live process, not a death). The killed finding's fix
# is the hang's (the kill ended a teardown that hung).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
head='100 100 1000 - tlstrace 2 1 /usr/sbin/sup sup --workers 1
100 100 1000 - config signals=1 stderr=1 watch=off bt=16 hang=2000
100 100 2000 - fork 101
101 101 3000 - forked 100
101 102 4000 - thread_start 101 0x4000
100 100 10000000 - kill kill 1 101 - 0 0 - - 0x1000
101 101 10001000 - sig_arrive 1 0 100 0 0x2000 fn sup
101 101 10002000 - exit 17
101 101 10003000 - hang_arm exit 2000
101 101 10004000 - atexit_run 1 0x3000'
snap1='101 103 2010003000 - hang 1 2000 exit 101
101 103 2010004000 - hang_thread 101 S sup futex_do_wait 202 join 0x5000 102
101 103 2010005000 - hang_thread 102 S sup futex_do_wait 202 futex 0x6000 - listener
101 103 2010006000 - hang_end 1'
kill='100 100 4025745000 - kill kill 9 101 - 0 0 - - 0x1100
100 100 4026000000 - reap waitpid 101 signal 9 0 0
100 100 4027000000 - exit 0
100 100 4027100000 - exit_done'
printf '%s\n%s\n%s\n%s\n' "$head" "$snap1" '101 103 4010003000 - hang 2 4000 exit 101
101 103 4010004000 - hang_thread 101 S sup futex_do_wait 202 join 0x5000 102' "$kill" >cut.trace
printf '%s\n%s\n%s\n' "$head" '101 103 2010003000 - hang 1 2000 exit 101' "$kill" >lone.trace
printf '%s\n%s\n%s\n' "$head" "$snap1" '101 103 4010003000 - hang 2 4000 exit 101' >live.trace
# lines the trace's size bound dropped: the snapshot may be cut by that, not by a death
printf '%s\n%s\n%s\n%s\n' "$head" "$snap1" '101 103 4010003000 - hang 2 4000 exit 101
101 101 4020000000 - dropped 0 0 3 300' "$kill" >bound.trace
for t in cut lone live bound; do
	$REPORT --no-symbols --color=never $t.trace >$t.txt 2>$t.err
	$REPORT --no-symbols --json $t.trace >$t.json 2>/dev/null
done
f=cut.txt
grep -q "was still in its teardown 2.0 s after it began (SIGHUP's arrival from process 100 (sup), then exit(17), thread 101), waiting on the join of thread 102: snapshot 1 of the hang watchdog, 2 threads; snapshot 2 (at 4.0 s) was cut short by the process's end 15.742 ms after it began: the threads are snapshot 1's" $f ||
	{ cat $f; fail "cut: the hang finding is not snapshot 1's, or does not say snapshot 2 was cut"; }
grep -q "root cause: thread 101 joins thread 102 \"listener\"" $f || { cat $f; fail "cut: no root cause from snapshot 1"; }
grep -q "fix:        tell the thread to stop before joining it" $f || fail "cut: no fix"
grep -q "snapshot 2 (cut short: not complete)" $f || fail "cut: the timeline does not mark the cut snapshot"
grep -q "fix:        it was killed while its teardown hung (the hang finding: 2.0 s after it began, snapshot 1): tell the thread to stop" $f ||
	{ grep fix: $f; fail "cut: the killed finding's fix is not the hang's"; }
$PY - cut.json <<'PY' || fail "cut: json"
import json, sys
d = json.load(open(sys.argv[1]))
h = [f for f in d["findings"] if f["kind"] == "hang"]
assert len(h) == 1 and len(h[0]["threads"]) == 2, h
assert "snapshot 2 (at 4.0 s) was cut short" in h[0]["message"], h[0]["message"]
PY
grep -q "snapshot 1 of the hang watchdog, 0 threads; it was cut short by the process's end 2.016 s after it began: no thread was written" lone.txt ||
	{ grep -A3 'error hang' lone.txt; fail "lone: a cut snapshot alone does not say so"; }
grep -q "snapshot 1 of the hang watchdog, 2 threads; snapshot 2 (at 4.0 s) is not complete where its trace ends" live.txt ||
	{ grep -A3 'hang ' live.txt; fail "live: a snapshot not complete at the trace's end is called cut by a death"; }
grep -q "snapshot 1 of the hang watchdog, 2 threads; snapshot 2 (at 4.0 s) is not complete in the trace, which dropped or lost lines" bound.txt ||
	{ grep -A3 'hang ' bound.txt; fail "bound: a snapshot the size bound may have cut is said cut by the process's end"; }
exit 0

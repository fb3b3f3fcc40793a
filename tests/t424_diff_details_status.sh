#!/bin/bash
# t424: --diff exits 1 when the steps match but a step's details differ (an exit status: /bin/true
# and /bin/false, "exit begins [A: main returned 0; B: main returned 1]"), as README.md and
# tlstrace-report(1) say 1 means differences; 0 for two runs of the same program, whose details
# differ only in the ids of a run (a thread's tid, a sender's pid). Before: 0 for true and false.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W"
traced t1 /bin/true
traced t2 /bin/true
traced f /bin/false
$REPORT --diff "$W/t1.trace" "$W/f.trace" >"$W/tf.txt"; rc=$?
grep -q "exit begins  \[A: main returned 0; B: main returned 1\]" "$W/tf.txt" || { cat "$W/tf.txt"; fail "no exit detail"; }
[ $rc = 1 ] || { cat "$W/tf.txt"; fail "--diff true false: exit status $rc, expected 1 (the exit statuses differ)"; }
$REPORT --diff "$W/t1.trace" "$W/t2.trace" >"$W/tt.txt"; rc=$?
[ $rc = 0 ] || { cat "$W/tt.txt"; fail "--diff true true: exit status $rc, expected 0"; }
# the ids of a run are not compared: two runs of a program whose threads run TLS destructors
# ("TLS destructor of x  [A: thread 812; B: thread 907]")
build cxx_threads cxx_threads.cc -- -pthread
TLSTRACE_THREADS=all traced c1 "$BIN/cxx_threads"
TLSTRACE_THREADS=all traced c2 "$BIN/cxx_threads"
$REPORT --diff "$W/c1.trace" "$W/c2.trace" >"$W/cc.txt"; rc=$?
grep -Eq "\[A: thread [0-9]+; B: thread [0-9]+\]" "$W/cc.txt" || note "no thread's TLS destructor in both: $(grep -c 'TLS destructor' "$W/cc.txt")"
[ $rc = 0 ] || { cat "$W/cc.txt"; fail "--diff of two runs of cxx_threads: exit status $rc, expected 0"; }
exit 0

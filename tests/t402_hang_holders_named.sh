#!/bin/bash
# t402: a hang's root cause names the threads behind the wait, two ways.
# chain: a static destructor joins a thread that waits on a mutex a third thread keeps (while it
# waits on a condition nothing signals): the hang's root cause follows the chain to that third
# thread. Before: "thread N joins thread M (..., started at indexer(void*)), waiting on a mutex in
# futex, which has not ended", and the thread that keeps the mutex was named only in the thread
# list. Now: "...; it waits for the mutex index_lock (0x...), held by thread K (..., started at
# compactor(void*)), waiting on the condition variable resume ...". TLSTRACE_HANG_MS 300; SIGKILL
# once two snapshots are in the trace.
# term: exit()'s atexit handler holds a mutex and sleeps; a SIGTERM taken by another thread runs a
# handler that waits on that mutex: the root cause said only that the atexit handler does not
# return; now it adds that thread N took SIGTERM, whose handler on_term waits on the mutex
# state_lock held by the teardown's thread, so the signal cannot end the process.
. "$(dirname "$0")/lib.sh"
build static_dtor_join_chain static_dtor_join_chain.cc -- -O1 -g -pthread
H=300
hung_run chain "$BIN/static_dtor_join_chain"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/chain.txt" | grep "root cause:")
re="root cause: thread [0-9]+ joins thread [0-9]+ \(static_dtor_joi(, started at indexer\(void\*\))?\), .*which has not ended; it waits for the mutex index_lock \(0x[0-9a-f]+\), held by thread [0-9]+ \(static_dtor_joi(, started at compactor\(void\*\))?\), waiting on the condition variable resume "
echo "$root" | grep -Eq "$re" || fail "root cause: $root"
grep -q "static destructor Indexer::~Indexer() .* of the_indexer" "$W/chain.txt" ||
	grep -q "Indexer::~Indexer()" "$W/chain.txt" || fail "no static destructor: $(cat "$W/chain.txt")"
build atexit_lock_term_handler atexit_lock_term_handler.c -- -O1 -g -pthread
bg_ready term "$BIN/atexit_lock_term_handler"
kill -TERM $PID
wait_for $PID 60 "2 complete snapshots of term" has_lines "$W/term.trace" 2 ' hang_end '
kill_report term
[ $RC = 137 ] || fail "term: status $RC"
grep -q " sig_arrive 15 " "$W/term.trace" || fail "term: no arrival of SIGTERM"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/term.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: the atexit handler flush_state \(atexit_lock_term_handler.c:[0-9]+\) in atexit_lock_term_handler does not return: .*; thread [0-9]+ took SIGTERM, whose handler on_term[+0-9a-fx]* \(atexit_lock_term_handler.c:[0-9]+\) in atexit_lock_term_handler waits on the mutex state_lock \(0x[0-9a-f]+\) held by thread [0-9]+, which runs the teardown: that signal cannot end the process" ||
	fail "term: root cause: $root"
exit 0

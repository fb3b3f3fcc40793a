#!/bin/bash
# t402: a static destructor joins a thread that waits on a mutex a third thread keeps (while it
# waits on a condition nothing signals): the hang's root cause follows the chain to that third
# thread. Before: "thread N joins thread M (..., started at indexer(void*)), waiting on a mutex in
# futex, which has not ended", and the thread that keeps the mutex was named only in the thread
# list. Now: "...; it waits for the mutex index_lock (0x...), held by thread K (..., started at
# compactor(void*)), waiting on the condition variable resume ...". TLSTRACE_HANG_MS 300; SIGKILL
# once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build static_dtor_join_chain static_dtor_join_chain.cc -- -O1 -g -pthread
H=300
hung_run chain "$BIN/static_dtor_join_chain"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/chain.txt" | grep "root cause:")
re="root cause: thread [0-9]+ joins thread [0-9]+ \(static_dtor_joi(, started at indexer\(void\*\))?\), .*which has not ended; it waits for the mutex index_lock \(0x[0-9a-f]+\), held by thread [0-9]+ \(static_dtor_joi(, started at compactor\(void\*\))?\), waiting on the condition variable resume "
echo "$root" | grep -Eq "$re" || fail "root cause: $root"
grep -q "static destructor Indexer::~Indexer() .* of the_indexer" "$W/chain.txt" ||
	grep -q "Indexer::~Indexer()" "$W/chain.txt" || fail "no static destructor: $(cat "$W/chain.txt")"
exit 0

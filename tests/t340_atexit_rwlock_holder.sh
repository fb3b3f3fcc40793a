#!/bin/bash
# t340: an atexit handler blocked on a pthread_rwlock_t another thread keeps
# (tests/src/atexit_rwlock.c): the snapshot's hang_rwlock line names the lock and its writer, and
# the root cause says the handler waits for the rwlock table_lock held for writing by that thread
# (rd: the handler's rdlock, the writer asleep in pause; wr: the handler's wrlock, the writer
# waiting on a condition); readers: a wrlock behind a read lock, whose readers glibc does not
# record: "read-locked by 1 reader". --json: waits_on kind rwlock with its holder. Before
# (ATK11): "waits on futex table_lock+0x8", no holder, root cause "the thread that began the
# teardown ... waiting on a futex in futex, did not get further", fix "see what the snapshot's
# threads wait for". TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build atexit_rwlock atexit_rwlock.c -- -O1 -pthread
H=300
for m in rd wr readers; do
	hung_run $m "$BIN/atexit_rwlock" $m
	keeper=$(awk '$5 == "hang_thread" && $8 == "keeper" { print $6; exit }' "$W/$m.trace")
	off=0x$(nm "$BIN/atexit_rwlock" | awk '$3 == "table_lock" { print $1 }')
	main=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/$m.trace")
	base=$(awk '$5 == "mod" && $6 == 0 { print $7; exit }' "$W/$m.trace")
	[ -n "$keeper" ] || fail "$m: no keeper thread in the snapshot"
	# the lock's address: the executable's base (a PIE) plus table_lock's offset; its writer
	# (readers: none), its readers' count (1: the keeper's read lock; 1 too with a writer: the
	# handler's rdlock, registered before it waits; 0 for a writer that waits)
	read -r _ addr holder readers < <(awk -v t=$main '$5 == "hang_rwlock" && $6 == t { print $6, $7, $8, $9; exit }' "$W/$m.trace")
	[ -n "$addr" ] && [ $((addr - base)) = $((off)) ] || fail "$m: lock $addr, base $base, table_lock at $off"
	[ "$holder" = "$([ $m = readers ] && echo - || echo $keeper)" ] || fail "$m: holder $holder (keeper $keeper)"
	[ "$readers" = "$([ $m = wr ] && echo 0 || echo 1)" ] || fail "$m: readers $readers"
	root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "root cause:")
	case $m in
	rd) re="root cause: the atexit handler save_table \(atexit_rwlock\.c:[0-9]+\) in atexit_rwlock, on thread $main, waits for the rwlock table_lock \(0x[0-9a-f]+\) held for writing by thread $keeper \(keeper, started at keeper\), sleeping in pause" ;;
	wr) re="root cause: thread $main waits for the rwlock table_lock \(0x[0-9a-f]+\) held for writing by thread $keeper \(keeper, started at keeper\)" ;;
	readers) re="root cause: thread $main waits for the rwlock table_lock \(0x[0-9a-f]+\), read-locked by 1 reader \(a read lock records no owner\)" ;;
	esac
	echo "$root" | grep -Eq "$re" || fail "$m: $root"
	grep -Eq "thread $main \(atexit_rwlock\) \[began the teardown\] .*; waits on rwlock table_lock \(0x[0-9a-f]+\) held by " "$W/$m.txt" ||
		fail "$m: $(grep "thread $main (" "$W/$m.txt")"
	$PY - "$W/$m.json" "$main" "$keeper" $m <<'PY' || fail "$m: --json"
import json, sys
d = json.load(open(sys.argv[1]))
main, keeper, m = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
h = [f for f in d["findings"] if f["kind"] == "hang"][-1]
t = [t for t in h["threads"] if t["tid"] == main][0]["waits_on"]
assert t["kind"] == "rwlock", t
assert t["holder"] == (None if m == "readers" else keeper), t
PY
done
exit 0

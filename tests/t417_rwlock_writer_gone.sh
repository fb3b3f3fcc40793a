#!/bin/bash
# t417: an atexit handler blocked on a pthread_rwlock_t that a thread write-locked and then ended
# without unlocking (cancel: cancelled in pause with no cleanup handler; return: returned with it
# held; wr-: the handler's own wrlock) (HANG15). The shim wrote the writer as "-" (not a thread
# of this process) and the handler's own rdlock in the readers' count (glibc counts a reader
# before it waits), and the report said "read-locked by 1 reader (a read lock records no owner)",
# with a fix about read locks. Now hang_rwlock's fifth field gives the write phase's
# __cur_writer; the report says the lock is held for writing by that thread, started at
# keeper, which is gone, and the fix is about unlocking before a thread ends (cleanup handler,
# cancel state). TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build atexit_rwlock atexit_rwlock.c -- -O1 -pthread
H=300
for m in cancel return wr-cancel; do
	hung_run $m "$BIN/atexit_rwlock" $m
	main=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/$m.trace")
	gone=$(awk -v t=$main '$5 == "thread_start" && $2 != t { print $2; exit }' "$W/$m.trace")
	[ -n "$gone" ] || fail "$m: no thread_start line of the writer"
	read -r holder cur < <(awk -v t=$main '$5 == "hang_rwlock" && $6 == t { print $8, $10; exit }' "$W/$m.trace")
	[ "$holder" = - ] && [ "$cur" = "$gone" ] || fail "$m: hang_rwlock holder '$holder', __cur_writer '$cur' (the writer: $gone)"
	grep -q "read-locked\|a read lock records no owner" "$W/$m.txt" && fail "$m: read-lock words: $(grep -n 'read-lock' "$W/$m.txt")"
	root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "root cause:")
	echo "$root" | grep -Eq "root cause: thread $main waits for the rwlock table_lock \(0x[0-9a-f]+\), held by thread $gone \(started at keeper\), for writing: not a thread of this process any more \(it ended, or was cancelled, without unlocking it\)" ||
		fail "$m: root cause: $root"
	fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "fix:")
	echo "$fix" | grep -q "fix: *a thread must unlock what it holds before it ends: push a cleanup handler (pthread_cleanup_push with pthread_rwlock_unlock)" ||
		fail "$m: fix: $fix"
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
w = [t["waits_on"] for f in d["findings"] if f["kind"] == "hang" for t in f["threads"] if t.get("waits_on")]
sys.exit(not any(x.get("kind") == "rwlock" and x.get("holder") == int(sys.argv[2]) for x in w))' "$W/$m.json" "$gone" ||
		fail "$m: JSON waits_on: no rwlock held by $gone"
done
exit 0

#!/bin/bash
# t110: the trace stays within TLSTRACE_MAX_SIZE however many threads come and go (issue 18):
# 100,000 threads (two thread_locals with destructors and a pthread key each) under a 96 KiB
# bound, then the same in four processes sharing one file. The routine records of threads that
# ended cleanly are what is dropped; the header, the module map, the finding (the last thread
# constructs a thread_local in a key destructor) with its thread's lines, and the end of every
# process stay; the report says what each process dropped.
. "$(dirname "$0")/lib.sh"
build churn churn.cc -- -pthread
MAX=98304
for procs in 1 4; do
	name=bounded$procs
	rm -f "$W/$name.trace"
	TLSTRACE_MAX_SIZE=96K traced $name "$BIN/churn" $((100000 / procs)) late $procs
	[ $RC = 0 ] || fail "$name: exit $RC"
	size=$(stat -c %s "$W/$name.trace")
	note "$procs process(es), 100000 threads: trace of $size bytes (bound $MAX)"
	[ "$size" -le $MAX ] || fail "$name: the trace grew to $size bytes, past the bound of $MAX"
	np=$(pids $name '^tlstrace$|^forked$' | wc -l)
	[ "$np" = "$procs" ] || fail "$name: $np processes started in the trace, expected $procs"
	for p in $(pids $name '^tlstrace$|^forked$'); do
		grep -Eq "^$p [0-9]+ . exit_done" "$W/$name.norm" || fail "$name: process $p has no end (exit_done)"
		grep -Eq "^$p [0-9]+ . dropped [1-9]" "$W/$name.norm" || fail "$name: process $p says nothing of what it dropped"
	done
	[ "$(count_lines $name ' mod ')" -ge 5 ] || fail "$name: the module map is missing"
	[ "$(count_lines $name ' tls_reg .* dtors$')" = "$procs" ] || fail "$name: not every late registration is in the trace"
	"$REPORT" "$W/$name.trace" >"$W/$name.report" 2>"$W/$name.report.err"
	[ $? = 1 ] || fail "$name: the report did not exit 1 (findings)"
	[ "$(grep -c '^\[[0-9]*\] warning construct-during-teardown' "$W/$name.report")" = "$procs" ] || { cat "$W/$name.report"; fail "$name: findings missing from the report"; }
	[ "$(grep -c 'at its size bound (TLSTRACE_MAX_SIZE): this process dropped [1-9]' "$W/$name.report")" = "$procs" ] ||
		{ head -30 "$W/$name.report"; fail "$name: the report does not say what was dropped"; }
	grep -q 'phase:      thread exit (return) > 2 TLS destructors ran (all) > destructor of pthread key 0' "$W/$name.report" ||
		fail "$name: the finding lost its context (its thread's lines)"
	"$REPORT" --json "$W/$name.trace" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert all(p["ended"] and p["dropped"]["routine_lines"] > 0 for p in d["processes"]), d["processes"]' ||
		fail "$name: JSON: not every process ended or says what it dropped"
done
# no bound: nothing dropped (TLSTRACE_MAX_SIZE=0), and a bad value keeps the default
TLSTRACE_MAX_SIZE=0 traced unbounded "$BIN/churn" 3000
[ $(($(count_lines unbounded ' thread_quiet ') + $(count_lines unbounded ' thread_start '))) = 3000 ] ||
	fail "unbounded: not every thread in the trace"
expect_no_line unbounded ' dropped '
TLSTRACE_MAX_SIZE=lots traced badvalue "$BIN/churn" 10
expect_line badvalue " note bad%20setting:%20TLSTRACE_MAX_SIZE=lots"
echo ok

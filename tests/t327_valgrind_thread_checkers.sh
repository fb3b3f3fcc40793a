#!/bin/bash
# t327: valgrind's thread checkers on a race-free threaded program end as without the shim:
# helgrind and drd with --error-exitcode=99 exit 42 and report nothing. The shim's structures
# handed between threads with atomics (threads.c, arena.c), which neither tool models, are left
# out of their checking (checkers.h); before, every program that started a thread exited 99
# with "Possible data race" reports in threads.c. memcheck stays clean too.
# timeout: 400
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "valgrind not installed"
build checker_threads checker_threads.c -- -pthread
for tool in helgrind drd memcheck; do
	valgrind -q --tool=$tool --error-exitcode=99 "$BIN/checker_threads" >"$W/$tool.plain.out" 2>"$W/$tool.plain.err"
	rc0=$?
	[ "$rc0" = 42 ] && [ ! -s "$W/$tool.plain.err" ] || skip "$tool reports on the program without the shim (exit $rc0)"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$tool.trace valgrind -q --tool=$tool --error-exitcode=99 \
		"$BIN/checker_threads" >"$W/$tool.out" 2>"$W/$tool.err"
	rc=$?
	[ "$rc" = 42 ] || fail "$tool: exit $rc under the shim, 42 without: $(head -c 2000 "$W/$tool.err")"
	[ ! -s "$W/$tool.err" ] || fail "$tool reports under the shim: $(head -c 2000 "$W/$tool.err")"
	cmp -s "$W/$tool.plain.out" "$W/$tool.out" || fail "$tool: stdout differs"
	grep -q ' thread_start ' "$W/$tool.trace" || fail "$tool: no thread_start in the trace (was the shim loaded?)"
done
exit 0

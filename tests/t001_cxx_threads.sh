#!/bin/bash
# t001: C++ thread_locals in the main thread and two workers: registration, each destructor run
# (begin/end, reverse order of registration, after the thread's exit), thread end; main's after
# main returns; the symbol names of the objects; same exit status and output as without the shim.
. "$(dirname "$0")/lib.sh"
build cxx_threads cxx_threads.cc -- -pthread
plain run "$BIN/cxx_threads"; PLAIN_RC=$RC
TLSTRACE_THREADS=all traced run "$BIN/cxx_threads"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 3 ] || fail "exit status $RC, expected 3"

main=$(pids run '^tlstrace$')
expect_order run "$main" \
	"^$main . tls_reg [0-9]+ 0x[0-9a-f]+ cxx_threads\\+0x[0-9a-f]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ main_obj 0x0 [0-9]+ -$" \
	"^$main . main_return 3$" \
	"^$main . tls_dtor [0-9]+ " "^$main . tls_dtor_end " "exit_done"

workers=$(awk -v m="$main" '$1 == m && $4 == "thread_start" { print $2 }' "$W/run.norm")
[ "$(echo $workers | wc -w)" = 2 ] || fail "expected 2 thread_start lines, got: $workers"
for tid in $workers; do
	a=$(awk -v t="$tid" '$2 == t && $4 == "tls_reg" && $11 == "worker_a" { print $5 }' "$W/run.norm")
	b=$(awk -v t="$tid" '$2 == t && $4 == "tls_reg" && $11 == "worker_b" { print $5 }' "$W/run.norm")
	[ -n "$a" ] && [ -n "$b" ] || fail "thread $tid: no registration of worker_a/worker_b"
	expect_order run "$main" \
		"^$tid . thread_start $main cxx_threads\\+0x" \
		"^$tid . tls_reg $a .* worker_a " "^$tid . tls_reg $b .* worker_b " \
		"^$tid . thread_exit return$" \
		"^$tid . tls_dtor $b " "^$tid . tls_dtor_end $b$" \
		"^$tid . tls_dtor $a " "^$tid . tls_dtor_end $a$" \
		"^$tid . tls_dtors_done$"
done
# no Python in this process: the state column is '-' throughout
expect_no_line run "^$main [0-9]+ [^-] "

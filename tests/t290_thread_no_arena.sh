#!/bin/bash
# t290: nothing per thread the program did not ask for (issue 14): threads that never call malloc
# get no glibc malloc arena from the shim (the sentinel's registration, a calloc in glibc, came
# with every thread: an arena of 64 MiB of address space each, up to 8 per core), so a program
# under RLIMIT_AS 256 MiB makes about as many threads with the shim as without (U8: 250 -> 50
# before). A thread with no thread_local destructor still has its TLS destructors' end in the
# trace however it ends (return, pthread_exit, cancellation); one with a destructor still has the
# sentinel after it.
. "$(dirname "$0")/lib.sh"
build thread_arenas thread_arenas.c -- -pthread

plain_and_traced arenas "$BIN/thread_arenas" arenas
[ "$(cat "$W/arenas.plain.out")" = "arenas 1" ] || fail "without the shim: $(cat "$W/arenas.plain.out") (expected the main arena only)"

# (the shim's own mappings lower the count by a few: its trace buffers and record region)
plain rlimit "$BIN/thread_arenas" rlimit; PLAIN_RC=$RC
traced rlimit "$BIN/thread_arenas" rlimit; TRACED_RC=$RC
[ "$PLAIN_RC/$TRACED_RC" = 0/0 ] || fail "rlimit: exit status $TRACED_RC with the shim, $PLAIN_RC without"
without=$(awk '{ print $2 }' "$W/rlimit.plain.out")
with=$(awk '{ print $2 }' "$W/rlimit.out")
note "threads under RLIMIT_AS 256 MiB: $without without the shim, $with with it"
[ -n "$with" ] && [ -n "$without" ] && [ "$with" -ge $((without - 10)) ] ||
	fail "threads under RLIMIT_AS 256 MiB: $with with the shim, $without without"

plain_and_traced ends "$BIN/thread_arenas" ends
# every thread's lines, as they happen (TLSTRACE_THREADS=all: no summing up)
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ends_all.trace TLSTRACE_THREADS=all "$BIN/thread_arenas" ends >"$W/ends_all.out" 2>&1 ||
	fail "ends (TLSTRACE_THREADS=all) failed: $(cat "$W/ends_all.out")"
normalize ends_all
main=$(pids ends_all '^tlstrace$')
for routine in returns exits asleep registers; do
	code="thread_arenas+$(symoff "$BIN/thread_arenas" $routine)"
	tid=$(awk -v c="$code" '$4 == "thread_start" && $6 == c { print $2 }' "$W/ends_all.norm")
	[ -n "$tid" ] || fail "no thread_start of $routine ($code)"
	case $routine in
	returns) expect_order ends_all "$main" "^$tid . thread_exit return$" "^$tid . tls_dtors_done$" ;;
	exits) expect_order ends_all "$main" "^$tid . thread_exit pthread_exit$" "^$tid . tls_dtors_done$" ;;
	asleep) expect_order ends_all "$main" "^$tid . thread_start " "^$tid . tls_dtors_done$" ;;
	registers) expect_order ends_all "$main" "^$tid . tls_reg 1 " "^$tid . thread_exit return$" \
		"^$tid . tls_dtor_end 1$" "^$tid . tls_dtors_done$" ;;
	esac
	[ "$(count_lines ends_all "^$main $tid . tls_dtors_done$")" = 1 ] || fail "$routine: tls_dtors_done not once"
done
echo ok

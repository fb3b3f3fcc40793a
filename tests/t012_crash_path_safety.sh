#!/bin/bash
# t012: the crash path is async-signal-safe and bounded:
# - no malloc/free between the fault and the program's own handler (the program defines malloc
#   and counts), nor in the report the shim writes when that handler calls _exit, with libunwind
#   loaded, and with each fallback unwinder (before libunwind is
#   loaded: the process's libgcc_s if it has one, else frame pointers);
# - a fault inside the shim's handler (TLSTRACE_TEST_HANDLER_FAULT, a test hook) ends the process
#   promptly with the original signal (SIGABRT here), without looping.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build crashers_count crashers.c -- -O0 -pthread -DCOUNT_MALLOC
build crashers_gcc crashers.c -- -O0 -pthread -DCOUNT_MALLOC -Wl,--no-as-needed -lgcc_s
check() { # NAME BINARY UNWINDER [nokey]
	traced "$1" "$BIN/$2" nomalloc ${4:-}
	grep -q "allocations" "$W/$1.out" || { cat "$W/$1.out" "$W/$1.err"; fail "$1: the program's handler did not run"; }
	[ "$RC" = 0 ] || { cat "$W/$1.out"; fail "$1: the crash handler allocated memory"; }
	! grep -q "malloc after the handler" "$W/$1.out" || fail "$1: the crash report allocated memory"
	expect_line "$1" " crash_bt $3 "
	expect_line "$1" " crash_end chain$"
}
plain count "$BIN/crashers_count" nomalloc; [ $RC = 0 ] || fail "the counting program allocates by itself"
check libunwind crashers_count libunwind
check libgcc crashers_gcc libgcc nokey
check framepointer crashers_count framepointer nokey

build crashers crashers.c -- -O0 -pthread
start=$(date +%s)
TLSTRACE_TEST_HANDLER_FAULT=1 traced nested timeout -s KILL 20 "$BIN/crashers" abort
[ $RC = 134 ] || fail "a fault in the handler: expected death by SIGABRT (134), got $RC"
[ $(($(date +%s) - start)) -lt 10 ] || fail "a fault in the handler took too long to end"
expect_line nested " crash 6 "
expect_no_line nested " crash_end "

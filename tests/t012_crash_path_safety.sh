#!/bin/bash
# t012: the crash path is async-signal-safe and bounded:
# - no malloc/free between the fault and the program's own handler (the program defines malloc
#   and counts), nor in the report the shim writes when that handler calls _exit, with the
#   shim's unwinder (gcc's, linked in) warmed up and not (the crash its first use), in a program
#   that has libgcc_s too, with a call to address 0x10 (walked by gcc's unwinder from the return
#   address the call pushed: it reaches main), and with the frame-pointer fallback (a jump to
#   0x10 with no return address on the stack);
# - a fault inside the shim's handler (TLSTRACE_TEST_HANDLER_FAULT, a test hook) ends the process
#   promptly with the original signal (SIGABRT here), without looping.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build crashers_count crashers.c -- -O0 -pthread -DCOUNT_MALLOC
build crashers_gcc crashers.c -- -O0 -pthread -DCOUNT_MALLOC -Wl,--no-as-needed -lgcc_s
check() { # NAME BINARY UNWINDER MODE [nokey]
	traced "$1" "$BIN/$2" $4 ${5:-}
	grep -q "allocations" "$W/$1.out" || { cat "$W/$1.out" "$W/$1.err"; fail "$1: the program's handler did not run"; }
	[ "$RC" = 0 ] || { cat "$W/$1.out"; fail "$1: the crash handler allocated memory"; }
	! grep -q "malloc after the handler" "$W/$1.out" || fail "$1: the crash report allocated memory"
	expect_line "$1" " crash_bt $3 ${FRAMES:-.*$2\\+0x}"
	expect_line "$1" " crash_end chain$"
}
plain count "$BIN/crashers_count" nomalloc; [ $RC = 0 ] || fail "the counting program allocates by itself"
check warm crashers_count libgcc nomalloc
check cold crashers_count libgcc nomalloc nokey
check libgcc_s crashers_gcc libgcc nomalloc nokey
check badcall crashers_count libgcc badcall
check badcall_cold crashers_count libgcc badcall nokey
# (main's frame pointer: its return address, into the shim's start wrapper)
FRAMES='0x10 libtlstrace.so\+0x' check framepointer crashers_count framepointer badjump
FRAMES='0x10 libtlstrace.so\+0x' check framepointer_cold crashers_count framepointer badjump nokey
# the bad call's caller taken from the top of the stack: main
$REPORT "$W/badcall.trace" >"$W/badcall.report"
grep -A40 "error crash" "$W/badcall.report" | grep -q "#1 *main+" || { cat "$W/badcall.report"; fail "badcall: frame 1 is not main"; }

build crashers crashers.c -- -O0 -pthread
start=$(date +%s)
TLSTRACE_TEST_HANDLER_FAULT=1 traced nested timeout -s KILL 20 "$BIN/crashers" abort
[ $RC = 134 ] || fail "a fault in the handler: expected death by SIGABRT (134), got $RC"
[ $(($(date +%s) - start)) -lt 10 ] || fail "a fault in the handler took too long to end"
expect_line nested " crash 6 "
expect_no_line nested " crash_end "

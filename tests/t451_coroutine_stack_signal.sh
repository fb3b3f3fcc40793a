#!/bin/bash
# t451: termination and user signals taken at handlers of the program's while it runs a coroutine
# on a small stack of its own (ucontext: user-level threads, boost.context, Lua or libco coroutines):
# a 4096-byte stack holds the kernel's frame and the handler (~3 KiB), on the main thread and on a
# thread (HOSTILE16). Under the shim the arrival's lines ran there too, ~2 KiB more: the process
# died of SIGSEGV on the guard page below. They now run on a shim stack wherever the handler is
# not on the thread's own stack as the shim knows it (~800 bytes more remain: the trampoline
# and the handler watcher's bookkeeping).
. "$(dirname "$0")/lib.sh"
build coroutine_signal coroutine_signal.c -- -pthread
for m in main thread; do
	arg=; [ $m = thread ] && arg=thread
	plain_and_traced $m "$BIN/coroutine_signal" 4096 $arg
	[ $RC = 0 ] || fail "$m: exit $RC: $(head -3 "$W/$m.err")"
	grep -qx "hits 3" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
	used=$(sed -n 's/^used \([0-9]*\) of.*/\1/p' "$W/$m.err"); plain=$(sed -n 's/^used \([0-9]*\) of.*/\1/p' "$W/$m.plain.err")
	note "$m: $plain bytes of the coroutine's stack used without the shim, $used with"
	[ "$used" -le $((plain + 1024)) ] || fail "$m: $used bytes used with the shim, $plain without"
	expect_line $m " sig_arrive 15 "
	expect_line $m " sig_arrive 10 "
	expect_line $m " sig_arrive 1 "
done
echo ok

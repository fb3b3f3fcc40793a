#!/bin/bash
# t397: a handler installed with SA_ONSTACK while the program has no signal stack of its own runs,
# without the shim, on the main thread's stack; with it, on the shim's main-thread signal stack
# (the kernel takes the thread's, whoever set it). At 64 KiB, a handler that used 56 KiB or more
# died of SIGSEGV (HOSTILE14's onstack_noalt; issue 14: "a handler needing 256 KiB of stack
# works"); the shim's stack is now 512 KiB (crash.c ALTSTACK_SIZE). Handlers of 128 and 256 KiB,
# for signals the kernel runs directly and for the shim's trampolines: the same output and status.
. "$(dirname "$0")/lib.sh"
build onstack_no_altstack onstack_no_altstack.c
for k in 128 256; do
	plain p$k "$BIN/onstack_no_altstack" $k
	[ "$RC" = 0 ] || fail "$k KiB without the shim: status $RC"
	traced t$k "$BIN/onstack_no_altstack" $k
	[ "$RC" = 0 ] || fail "$k KiB with the shim: status $RC ($(cat "$W/t$k.out" | tr '\n' ' '))"
	[ "$(cat "$W/t$k.out")" = "$(cat "$W/p$k.plain.out")" ] || fail "$k KiB: '$(cat "$W/t$k.out")' with the shim"
done
exit 0

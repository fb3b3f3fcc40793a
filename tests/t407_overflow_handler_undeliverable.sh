#!/bin/bash
# t407: a program's SIGSEGV handler, installed with SA_ONSTACK or without, while it has no signal
# stack of its own, cannot run at a stack overflow of the main thread without the shim (no room
# for the signal frame: the kernel kills the process with SIGSEGV). With the shim the kernel
# delivered it on the shim's signal stack, and the handler caught the overflow (FRESH14b: exit 3
# where it died of SIGSEGV). Now the shim takes the default action for such a fault (crash.c
# overflow_undeliverable): the same death, with a crash report. Without SA_ONSTACK the kernel
# already found no room, as without the shim (the shim installs the program's flags).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build overflow_onstack overflow_onstack.c -- -O0 -Wno-infinite-recursion
for m in onstack plain; do
	plain p$m "$BIN/overflow_onstack" $m
	[ "$RC" = 139 ] || fail "$m without the shim: status $RC ($(cat "$W/p$m.plain.out"))"
	traced t$m "$BIN/overflow_onstack" $m
	[ "$RC" = 139 ] || fail "$m with the shim: status $RC ($(cat "$W/t$m.out"))"
	[ "$(cat "$W/t$m.out")" = start ] || fail "$m: output $(cat "$W/t$m.out")"
	# (SA_ONSTACK: the shim's handler ran, on its stack, and reports; without it the kernel
	# installs the program's flags and kills the process at the delivery, as without the shim)
	[ $m = plain ] && continue
	"$REPORT" --color=never "$W/t$m.trace" >"$W/t$m.txt" 2>&1
	grep -q "crash: SIGSEGV" "$W/t$m.txt" || fail "$m: no crash report: $(head -5 "$W/t$m.txt")"
done
exit 0

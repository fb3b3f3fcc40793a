#!/bin/bash
# t411: a handler of a termination or user signal installed with SA_ONSTACK on a small signal
# stack of the program's (HOSTILE15). The shim's trampoline wrote the signal's arrival (~1.8 KiB
# of frames: the sender's /proc read, the trace writer) on that stack, below the kernel's frame:
# a stack of 4096 bytes (MINSIGSTKSZ is 2048), where the kernel's frame takes ~3.3 KiB on a CPU
# with AVX-512 state, had ~1 KiB below it written, the program's own memory. Now that work runs
# on one of the shim's stacks. The stack here: what a delivery uses without the shim (probed)
# plus 1024 bytes; nothing below it may be written, with or without the shim.
. "$(dirname "$0")/lib.sh"
build sigstack_small sigstack_small.c -- -pthread
"$BIN/sigstack_small" probe >"$W/probe.out" || fail "probe: $(cat "$W/probe.out")"
used=$(awk '$1 == "used" { print $2 }' "$W/probe.out")
[ -n "$used" ] || fail "no probe: $(cat "$W/probe.out")"
size=$(( (used + 1024 + 15) / 16 * 16 ))
[ "$size" -ge 2048 ] || size=2048
note "a delivery uses $used bytes without the shim; stack of $size"
plain_and_traced small "$BIN/sigstack_small" $size
grep -q 'written below' "$W/small.plain.out" && fail "without the shim already: $(grep 'written below' "$W/small.plain.out" | head -3)"
grep -q 'written below' "$W/small.out" && { grep 'written below' "$W/small.out"; fail "memory below the program's signal stack written"; }
grep -qx 'handled 14' "$W/small.out" || fail "not every handler ran: $(tail -1 "$W/small.out")"
# Under memcheck the switch to the shim's stack and back made it take the program's signal stack
# for dead stack (46 errors at the program's own memset of it): none there. The program's own
# errors (that memset over its signal stack) are as many with and without the shim. SIGUSR1,
# SIGUSR2 and SIGPIPE only: a SIGTERM handler on a program's signal stack draws 2 errors of its
# own under the shim (the handler watcher; HOSTILE15, not fixed).
if command -v valgrind >/dev/null; then
	vg() { valgrind -q --error-exitcode=99 "$@" 2>&1 | grep -c '^==[0-9]*== Invalid'; }
	n0=$(vg "$BIN/sigstack_small" $size usr)
	n1=$(TLSTRACE_FILE=$W/vg.trace LD_PRELOAD=$SHIM vg "$BIN/sigstack_small" $size usr)
	note "valgrind: $n0 errors without the shim, $n1 with it"
	[ "$n0" = "$n1" ] || fail "valgrind: $n0 errors without the shim, $n1 with it"
fi
echo ok

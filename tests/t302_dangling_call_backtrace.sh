#!/bin/bash
# t302: a call to an address in no module (a dangling function pointer; c5's key destructor after
# dlclose) is unwound from the return address the call pushed ([sp]), with gcc's unwinder: frame 1
# the caller, then its callers, and no frame made up from a stale frame pointer (c5 showed
# "_nl_C_LC_CTYPE_tolower+0x200", libc's data, after the shim's frame).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build fault_order fault_order.c
traced jump "$BIN/fault_order" jump
[ "$RC" = 139 ] || fail "status $RC, expected 139 (SIGSEGV)"
bt=$(grep " crash_bt " "$W/jump.trace")
echo "$bt" | grep -q " crash_bt libgcc 0x[0-9a-f]* " || fail "not unwound by libgcc from [sp]: $bt"
"$REPORT" --color=never "$W/jump.trace" >"$W/jump.txt"
frames=$(sed -n '/^    backtrace:/,/^$/p' "$W/jump.txt")
echo "$frames" | grep -q '#1  call_dangling+0x[0-9a-f]* (fault_order.c:[0-9]*) in fault_order' || fail "frame 1: $frames"
echo "$frames" | grep -q '#2  main+0x[0-9a-f]* (fault_order.c:[0-9]*) in fault_order' || fail "frame 2: $frames"
echo "$frames" | grep -q '__libc_start_call_main' || fail "not unwound to the start: $frames"
# field case c5: the key destructor called after its library was unloaded
field_case c5 c5_dlclose_pending_key_dtor
frames=$(sed -n '/^\[[0-9]*\] error crash /,/^$/p' "$F" | sed -n '/backtrace:/,$p')
echo "$frames" | grep -q '_nl_C_LC_CTYPE' && fail "c5: a frame from libc's data: $frames"
echo "$frames" | grep -q 'start_thread' || fail "c5: not unwound to start_thread: $frames"
grep -q " crash_bt libgcc " "$W/c5/trace.log" || fail "c5: $(grep crash_bt "$W/c5/trace.log")"
exit 0

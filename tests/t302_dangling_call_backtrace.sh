#!/bin/bash
# t302: a call to an address in no module (a dangling function pointer; c5's key destructor after
# dlclose) is unwound from the return address the call pushed ([sp]), with gcc's unwinder: frame 1
# the caller, then its callers, and no frame made up from a stale frame pointer (c5 showed
# "_nl_C_LC_CTYPE_tolower+0x200", libc's data, after the shim's frame). The report, given such a
# frame-pointer backtrace (an older shim's: c5's trace with its crash_bt line made so, a frame in
# a data object of libc), ends the backtrace before that frame. The finding and the verdict say
# the pc is in no module and is the fault address (a bad function pointer), the fix naming frame 1.
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
# the finding says what the frames show: pc in no module, the fault address pc itself: a call
# through a bad function pointer, made by frame 1 (the verdict's fix names it; not "see the
# backtrace")
grep -Eq "^  1 process \(fault_order\): crash: SIGSEGV \(SEGV_MAPERR\) at (0x[0-9a-f]+) in \1, in no module \(pc is the fault address: a bad function pointer\)$" "$W/jump.txt" ||
	fail "the verdict: $(sed -n '/^verdict/,/^$/p' "$W/jump.txt")"
grep -q "^      fix: fix the function pointer call_dangling (fault_order.c:[0-9]*) calls or jumps through: it does not point at code" "$W/jump.txt" ||
	fail "the verdict's fix: $(sed -n '/^verdict/,/^$/p' "$W/jump.txt")"
grep -q "root cause: pc 0x[0-9a-f]* is in no module and is the fault address itself (the instruction fetch faulted): a call or jump through a bad function pointer .*, made by call_dangling (fault_order.c:[0-9]*) (the backtrace's frame #1)" "$W/jump.txt" ||
	fail "root cause: $(grep 'root cause' "$W/jump.txt")"
# field case c5: the key destructor called after its library was unloaded
field_case c5 c5_dlclose_pending_key_dtor
frames=$(sed -n '/^\[[0-9]*\] error crash /,/^$/p' "$F" | sed -n '/backtrace:/,$p')
echo "$frames" | grep -q '_nl_C_LC_CTYPE' && fail "c5: a frame from libc's data: $frames"
echo "$frames" | grep -q 'start_thread' || fail "c5: not unwound to start_thread: $frames"
grep -q " crash_bt libgcc " "$W/c5/trace.log" || fail "c5: $(grep crash_bt "$W/c5/trace.log")"
libc=$(awk '$5 == "mod" && $10 ~ /\/libc\.so\.6$/ { print $6; exit }' "$W/c5/trace.log")
data=$(nm -D --defined-only "$(awk '$5 == "mod" && $10 ~ /\/libc\.so\.6$/ { print $10; exit }' "$W/c5/trace.log")" |
	awk '$2 == "R" && $3 ~ /^_itoa_lower_digits@/ { print $1 }')
[ -n "$libc" ] && [ -n "$data" ] || fail "c5: no libc module or no _itoa_lower_digits in it"
awk -v d="$libc+0x$(printf '%x' $((0x$data + 8)))" '$5 == "crash_bt" { print $1, $2, $3, $4, "crash_bt framepointer", $7, $8, d; next } 1' \
	"$W/c5/trace.log" >"$W/c5_fp.trace"
"$REPORT" --color=never "$W/c5_fp.trace" >"$W/c5_fp.txt" 2>/dev/null
frames=$(sed -n '/^\[[0-9]*\] error crash /,/^$/p' "$W/c5_fp.txt" | sed -n '/backtrace:/,$p')
echo "$frames" | grep -q '_itoa_lower_digits' && fail "c5, frame pointers: a frame in libc's data shown: $frames"
echo "$frames" | grep -q '#1  \[tlstrace\]' || fail "c5, frame pointers: the frames before it: $frames"
exit 0

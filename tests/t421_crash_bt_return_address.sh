#!/bin/bash
# t421: the shim's crash backtrace on stderr names a caller frame by its return address - 1: main
# ends with the noreturn call to exit, so the address exit returns to is one past main's end
# (exit_main_tls.cc, -O2). And a symbol of size 0 (_init, in .init before .text) names only its
# own address, as glibc's dladdr does (elf/dl-addr.c DL_ADDR_SYM_MATCH), not every address above.
# Before: "#6 0x... exit_main_tls(_init+0xd5)". The faulting frame #0 is the fault's own address.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build exit_main_tls exit_main_tls.cc
mkdir -p "$W"
plain crash "$BIN/exit_main_tls"; PLAIN_RC=$RC
traced crash "$BIN/exit_main_tls"; TRACED_RC=$RC
same_outcome crash
[ $RC = 139 ] || fail "expected death by SIGSEGV (139), got $RC"
bt=$(grep '^tlstrace:   #' "$W/crash.err")
[ -n "$bt" ] || { cat "$W/crash.err"; fail "no backtrace on stderr"; }
echo "$bt" | grep -Eq '^tlstrace:   #0 0x[0-9a-f]+ exit_main_tls\(_Z6recordi\+0x[0-9a-f]+\)$' ||
	{ echo "$bt"; fail "frame #0 is not record(int)"; }
echo "$bt" | grep -Eq '^tlstrace:   #[0-9]+ 0x[0-9a-f]+ libtlstrace\.so\(exit\+0x[0-9a-f]+\)$' ||
	{ echo "$bt"; fail "no exit frame"; }
# the frame after exit's is main's, at an offset inside it (+1 from the call's last byte)
after=$(echo "$bt" | grep -A1 'libtlstrace\.so(exit+' | tail -1)
echo "$after" | grep -Eq '^tlstrace:   #[0-9]+ 0x[0-9a-f]+ exit_main_tls\(main\+0x[0-9a-f]+\)$' ||
	{ echo "$bt"; fail "the frame exit returns to is not named main: $after"; }
! echo "$bt" | grep -q '(_init+' || { echo "$bt"; fail "_init names an address above it"; }
# main's offset equals its size (one past the end: the call is its last instruction)
size=$(nm -S "$BIN/exit_main_tls" | awk '$4 == "main" { print $2 }')
off=$(echo "$after" | sed -E 's/.*main\+0x([0-9a-f]+)\)$/\1/')
[ -n "$size" ] && [ $((16#$size)) = $((16#$off)) ] || note "main+0x$off, main's size 0x$size"
# The crash happens in g_registry's destructor, a C++ static destructor (__cxa_atexit with the
# object): the shim's teardown line and, under TLSTRACE_WATCH=hw, the report's root cause call it
# a static destructor, as the phase does; before: "in atexit handler ..." and "the atexit handler
# Registry::~Registry() reads tl_cache". (The hw part is skipped where hardware breakpoints do
# not fire: the trace's watch line.)
grep -Eq '^tlstrace: teardown: exit\(0\) called by thread [0-9]+; in static destructor 0x[0-9a-f]+ exit_main_tls\(_ZN8RegistryD1Ev\+0x0\) \(registered with __cxa_atexit\)' "$W/crash.err" ||
	fail "the teardown line: $(grep '^tlstrace: teardown' "$W/crash.err")"
traced hw env TLSTRACE_WATCH=hw "$BIN/exit_main_tls"
if grep -q " watch hw " "$W/hw.trace"; then
	"$REPORT" --color=never "$W/hw.trace" >"$W/hw.txt" 2>&1
	grep -q "root cause: the static destructor Registry::~Registry() of g_registry (registered with __cxa_atexit) reads tl_cache, but exit() destroys the calling thread's thread_locals before it runs the atexit handlers and static destructors" "$W/hw.txt" ||
		fail "hw: root cause: $(grep 'root cause' "$W/hw.txt")"
	! grep -q "the atexit handler Registry" "$W/hw.txt" || fail "hw: called an atexit handler: $(grep 'the atexit handler' "$W/hw.txt")"
else
	note "hardware breakpoints do not fire here: the hw words not checked"
fi
exit 0

#!/bin/bash
# t047: reliability case 06 (tests/cases/reliability/06_libunwind_takes_fds): after its first
# thread_local with a destructor, or pthread key with a destructor, a program gets the same
# descriptor numbers as without the shim (libunwind, once loaded at that moment, kept a pipe at
# the lowest free descriptors: "open -> 5" instead of 3).
. "$(dirname "$0")/lib.sh"
reliability_case 06_libunwind_takes_fds
# the same with the unwinder set up at start (TLSTRACE_UNWIND=eager)
g++ -O1 -pthread -o "$W/fdnum" "$ROOT/tests/cases/reliability/06_libunwind_takes_fds/fdnum.cc" || fail "build"
for m in tls key; do
	want=$("$W/fdnum" $m)
	got=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/eager_$m.trace TLSTRACE_UNWIND=eager \
		"$W/fdnum" $m)
	[ "$got" = "$want" ] || fail "eager $m: '$got', without the shim '$want'"
done
echo ok

#!/bin/bash
# t008: the hooks reached from a library constructor that runs before main (and may run before the
# shim's own constructor): the trace still starts with its header, and the constructor's
# thread_local registration and atexit registration are recorded and run at exit.
. "$(dirname "$0")/lib.sh"
build libctor_lib.so ctor_lib.cc -- -shared -fPIC
build ctor_main ctor_main.c -- -L"$BIN" -lctor_lib -Wl,-rpath,"$BIN"
plain run "$BIN/ctor_main"; PLAIN_RC=$RC
traced run "$BIN/ctor_main"; TRACED_RC=$RC
same_outcome run
main=$(pids run '^tlstrace$')
[ "$(head -1 "$W/run.norm" | awk '{ print $4 }')" = tlstrace ] || fail "the first line is not the header"
expect_order run "$main" \
	"^$main . atexit_reg ([0-9]+) cxa libctor_lib\\.so\\+0x" \
	"^$main . tls_reg [0-9]+ 0x[0-9a-f]+ libctor_lib\\.so\\+0x[0-9a-f]+ .* ctor_tls 0x0 4 -$" \
	"^$main . main_return 0$" \
	"^$main . tls_dtor [0-9]+ " \
	"^$main . atexit_run [0-9]+ libctor_lib\\.so\\+0x"

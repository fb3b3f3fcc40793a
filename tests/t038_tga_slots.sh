#!/bin/bash
# t038: the dynamic-TLS check costs nothing until something can be found. A dlopen'd module's
# GOT slot for __tls_get_addr points at ld.so's function while no thread_local has been
# destroyed, and at the shim's checking entry after one was; without the shim it is ld.so's
# throughout.
. "$(dirname "$0")/lib.sh"
build tga_plugin.so tga_plugin.cc -- -shared -fPIC
build tga_slot tga_slot.c -- -pthread -ldl
plain slot "$BIN/tga_slot" "$BIN/tga_plugin.so"
[ $RC = 0 ] || { cat "$W/slot.plain.err"; fail "tga_slot exited $RC"; }
[ "$(cat "$W/slot.plain.out")" = "$(printf 'before ld-linux-x86-64.so.2\nafter ld-linux-x86-64.so.2')" ] ||
	fail "without the shim: $(tr '\n' ' ' <"$W/slot.plain.out")"
traced slot "$BIN/tga_slot" "$BIN/tga_plugin.so"
[ $RC = 0 ] || { cat "$W/slot.err"; fail "tga_slot exited $RC with the shim"; }
expect_line slot " tls_dtor "
[ "$(cat "$W/slot.out")" = "$(printf 'before ld-linux-x86-64.so.2\nafter libtlstrace.so')" ] ||
	fail "with the shim: $(tr '\n' ' ' <"$W/slot.out") (expected: before ld-linux-x86-64.so.2 after libtlstrace.so)"

#!/bin/bash
# t035: the dlopen wrapper keeps glibc's semantics: a plugin opened by bare name from a library is found
# through that library's DT_RPATH (glibc searches the caller's; the shim does not become the caller), and a module loaded after
# the shim started watching (a thread_local of another thread already destroyed) is still checked:
# its atexit handler's reads of its destroyed thread_locals are flagged.
. "$(dirname "$0")/lib.sh"
mkdir -p "$BIN/rpathdir"
g++ -g -O2 -shared -fPIC -o "$BIN/rpathdir/libplugin_atexit.so" "$ROOT/tests/src/plugin_atexit.cc" || fail "cannot build the plugin"
build librpath_loader.so rpath_loader.c -- -O0 -shared -fPIC -ldl -Wl,--disable-new-dtags,-rpath,"$BIN/rpathdir"
build dlopen_rpath dlopen_rpath.c -- -pthread -ldl -L"$BIN" -lrpath_loader -Wl,-rpath,"$BIN"
readelf -d "$BIN/librpath_loader.so" | grep -q "(RPATH)" || fail "no RPATH in the loader library"
plain run "$BIN/dlopen_rpath"; PLAIN_RC=$RC
traced run "$BIN/dlopen_rpath"; TRACED_RC=$RC
same_outcome run
[ $RC = 0 ] || { cat "$W/run.out"; fail "dlopen by name through the calling library's RPATH failed under the shim"; }
main=$(pids run '^tlstrace$')
expect_order run "$main" \
	"^[0-9]+ . dlopen 0x2 libplugin_atexit\\.so$" \
	"^$main . main_return 0$" \
	"^$main . atexit_run [0-9]+ libplugin_atexit\\.so\\+" \
	"^$main . uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ first_tls "

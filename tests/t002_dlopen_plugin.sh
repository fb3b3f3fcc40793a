#!/bin/bash
# t002: a dlopen'd C++ plugin: the dlopen, its module line (with TLS module id and build-id), its
# static destructor registered with the plugin's DSO handle and run at dlclose, its thread_local
# (dynamic TLS) registered and destroyed in the worker thread with the plugin's symbol name, the
# module's unload; same outcome as without the shim.
. "$(dirname "$0")/lib.sh"
build dlopen_host dlopen_host.c -- -pthread -ldl
build plugin.so plugin.cc -- -shared -fPIC
plain run "$BIN/dlopen_host" "$BIN/plugin.so"; PLAIN_RC=$RC
TLSTRACE_THREADS=all traced run "$BIN/dlopen_host" "$BIN/plugin.so"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 0 ] || fail "exit status $RC"

main=$(pids run '^tlstrace$')
pid_mod=$(awk '$4 == "mod" && $9 ~ /plugin\.so$/ { print $5 }' "$W/run.norm")
[ -n "$pid_mod" ] || fail "no mod line for plugin.so"
expect_line run "^$main $main . mod $pid_mod 0x[0-9a-f]+ [1-9][0-9]* [0-9a-f]{40} .*/plugin\\.so$"
dso=$(awk '$4 == "atexit_reg" && $7 ~ /^plugin\.so\+/ { print $9; exit }' "$W/run.norm")
[ -n "$dso" ] || fail "no atexit_reg for plugin.so's static destructor"
tid=$(awk -v m="$main" '$1 == m && $4 == "thread_start" { print $2 }' "$W/run.norm")
expect_order run "$main" \
	"^$main . dlopen 0x2 .*/plugin\\.so$" \
	"^$main . mod $pid_mod " \
	"^$main . atexit_reg ([0-9]+) cxa plugin\\.so\\+0x[0-9a-f]+ 0x[0-9a-f]+ $dso$" \
	"^$tid . thread_start $main " \
	"^$tid . tls_reg [0-9]+ 0x[0-9a-f]+ plugin\\.so\\+0x[0-9a-f]+ $dso $pid_mod 0x[0-9a-f]+ plugin_tls 0x0 [0-9]+ -$" \
	"^$tid . thread_exit return$" \
	"^$tid . tls_dtor [0-9]+ 0x[0-9a-f]+ plugin\\.so\\+" "^$tid . tls_dtor_end " \
	"^$tid . tls_dtors_done$" \
	"^$main . atexit_run [0-9]+ plugin\\.so\\+0x" "^$main . atexit_end " \
	"^$main . dlclose 0x[0-9a-f]+ 0 dlopen_host\\+0x[0-9a-f]+$" \
	"^$main . unmod $pid_mod$" \
	"^$main . main_return 0$"

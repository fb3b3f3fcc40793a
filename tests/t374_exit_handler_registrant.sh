#!/bin/bash
# t374: destructor-after-unload of an exit handler names its registrant by the registration's
# module handle (issue 15, FRESH13 item 2). The host registers a plugin's function with atexit()
# (its __dso_handle: the host's), then dlclose()s the plugin before exit. Before: "libexit_plugin.so
# registered this call with code in its own module ... fix: keep it loaded ..., or end the threads
# that hold its state before dlclose" (the function's module taken for the registrant; threads
# unrelated to an exit handler). Now: the host registered it; the fix is the registrant's (do not
# register the plugin's function from the host, or keep the plugin loaded until exit), never the
# threads'. With on_exit() (no module handle) the report says it does not know the registrant.
. "$(dirname "$0")/lib.sh"
build exit_plugin_host exit_plugin_host.c -- -O0 -ldl
[ "$ROOT/tests/src/exit_plugin.c" -nt "$BIN/libexit_plugin.so" ] &&
	{ gcc -g -O0 -fPIC -shared -o "$BIN/libexit_plugin.so" "$ROOT/tests/src/exit_plugin.c" || fail "cannot build the plugin"; }
cd "$W"
for m in atexit on_exit; do
	traced $m "$BIN/exit_plugin_host" "$BIN/libexit_plugin.so" $m
	[ $RC = 139 ] || fail "$m: status $RC (expected the handler's SIGSEGV: 139)"
	"$REPORT" --color=never $m.trace >$m.txt 2>&1
	f=$(grep -A5 '^\[[0-9]*\] error destructor-after-unload ' $m.txt)
	[ -n "$f" ] || fail "$m: no destructor-after-unload finding: $(grep '^\[' $m.txt)"
	root=$(echo "$f" | grep '^    root cause:') fix=$(echo "$f" | grep '^    fix:')
	echo "$fix" | grep -q "threads" && fail "$m: threads in an exit handler's fix: $fix"
	if [ $m = atexit ]; then
		echo "$root" | grep -q "root cause: exit_plugin_host registered plugin_cleanup+0x0 (exit_plugin.c:[0-9]*) in libexit_plugin.so as an exit handler (the registration's __dso_handle is exit_plugin_host's" ||
			fail "$m: root cause: $root"
		echo "$fix" | grep -q "fix: *do not register libexit_plugin.so's function as an exit handler from exit_plugin_host .*keep libexit_plugin.so loaded until exit: dlopen it with RTLD_NODELETE, or leave it loaded (no dlclose" ||
			fail "$m: fix: $fix"
	else
		echo "$root" | grep -q "the trace does not show which module registered it" || fail "$m: root cause: $root"
		echo "$fix" | grep -q "fix: *keep libexit_plugin.so loaded until exit" || fail "$m: fix: $fix"
	fi
done
exit 0

#!/bin/bash
# t313: a plugin used after dlclose unloaded it (tests/src/unloaded_host.c, unloaded_plug.c):
# call: the host calls plugin_cb through the pointer dlsym gave; data: it reads the plugin's table
# through a pointer the plugin returned. The report's crash is caused by a use-after-unload
# finding naming libplug.so, the function (plugin_cb) or object (plugin_table) from the file on
# disk, the dlclose and its caller (main in the host), the time since, the root cause and the fix;
# frame #0 of the call's crash is plugin_cb in libplug.so, not a bare address. frame: plugin_run
# calls back the host, which dlcloses the plugin and faults: frame 1 of the crash is in the
# unloaded plugin_run, and the process dies once, by SIGSEGV.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build unloaded_host unloaded_host.c -- -ldl
gcc -g -O2 -Wall -fPIC -shared -o "$BIN/libplug.so" "$ROOT/tests/src/unloaded_plug.c" || fail "cannot build libplug.so"
for mode in call data; do
	cd "$BIN" && traced $mode ./unloaded_host $mode ./libplug.so && cd "$ROOT"
	[ "$RC" = 139 ] || fail "$mode: status $RC, expected 139 (SIGSEGV)"
	grep -q " crash 11 " "$W/$mode.trace" || fail "$mode: no crash line"
	"$REPORT" --color=never "$W/$mode.trace" >"$W/$mode.txt" 2>/dev/null
	"$REPORT" --json "$W/$mode.trace" >"$W/$mode.json" 2>/dev/null
	grep -Eq "^\[[0-9]+\] error use-after-unload " "$W/$mode.txt" || { cat "$W/$mode.txt"; fail "$mode: no use-after-unload finding"; }
	grep -Eq "libplug.so was unloaded by dlclose\(0x[0-9a-f]+\) from main\+0x[0-9a-f]+ \(unloaded_host.c:[0-9]+\) in unloaded_host on thread [0-9]+ [0-9.]+ ms before" "$W/$mode.txt" ||
		fail "$mode: the dlclose: $(grep -m1 'was unloaded' "$W/$mode.txt")"
	grep -q "fix: .*unregister libplug.so's callbacks.*RTLD_NODELETE.*-z nodelete.*do not dlclose" "$W/$mode.txt" || fail "$mode: fix"
done
grep -Eq "a call into libplug.so after it was unloaded: the faulting code, plugin_cb\+0x0 \(unloaded_plug.c:[0-9]+\) in libplug.so" "$W/call.txt" ||
	fail "call: $(grep -m1 'use-after-unload' -A1 "$W/call.txt")"
# the crash's place named in its header and in the timeline's crash line
[ "$(grep -Ec "SIGSEGV \(SEGV_MAPERR\) at 0x[0-9a-f]+ in plugin_cb\+0x0 \(unloaded_plug.c:[0-9]+\) in libplug.so \(unloaded\)$" "$W/call.txt")" = 2 ] ||
	fail "call: the crash's place: $(grep SIGSEGV "$W/call.txt")"
grep -q "root cause: .*a pointer into an unloaded library: a callback, a vtable or a function pointer" "$W/call.txt" || fail "call: root cause"
frames=$(sed -n '/^\[[0-9]*\] error crash /,/^$/p' "$W/call.txt" | sed -n '/backtrace:/,$p')
echo "$frames" | grep -Eq '#0  plugin_cb\+0x0 \(unloaded_plug.c:[0-9]+\) in libplug.so \(unloaded\)$' || fail "call: frame 0: $frames"
grep -Eq "an access to libplug.so's memory after it was unloaded: the fault address 0x[0-9a-f]+ is plugin_table\+0x8 in libplug.so" "$W/data.txt" ||
	fail "data: $(grep -m1 'use-after-unload' -A1 "$W/data.txt")"
# frame: plugin_run's return address, in no module after the dlclose, is the crash's frame 1
# (the shim's unwinder faults reading the code there; its signal frame used to land over the
# crash's own on the signal stack: a clobbered context, nested reports in the shim's handler)
cd "$BIN" && traced frame ./unloaded_host frame ./libplug.so && cd "$ROOT"
[ "$RC" = 139 ] || fail "frame: status $RC, expected 139 (SIGSEGV)"
[ "$(grep -c " crash 11 " "$W/frame.trace")" = 1 ] || fail "frame: not one crash: $(grep ' crash' "$W/frame.trace")"
grep -Eq " crash_bt libgcc 0\+0x[0-9a-f]+ 0x[0-9a-f]+$" "$W/frame.trace" || fail "frame: $(grep crash_bt "$W/frame.trace")"
"$REPORT" --color=never "$W/frame.trace" >"$W/frame.txt" 2>/dev/null
grep -Eq "a crash with a frame of libplug.so still on the stack after it was unloaded: frame #1, plugin_run\\+0x[0-9a-f]+ \\(unloaded_plug.c:[0-9]+\\) in libplug.so" "$W/frame.txt" ||
	{ cat "$W/frame.txt"; fail "frame: no finding"; }
grep -q "root cause: libplug.so was unloaded while its own code was still running on this thread" "$W/frame.txt" || fail "frame: root cause"
frames=$(sed -n '/^\[[0-9]*\] error crash /,/^$/p' "$W/frame.txt" | sed -n '/backtrace:/,$p')
echo "$frames" | grep -Eq '#1  plugin_run\+0x[0-9a-f]+ \(unloaded_plug.c:[0-9]+\) in libplug.so \(unloaded\)$' || fail "frame: frame 1: $frames"
$PY - "$W/call.json" "$W/data.json" <<'PYEOF' || fail "JSON"
import json, sys
for path, func in zip(sys.argv[1:], ("plugin_cb", None)):
    f = json.load(open(path))["findings"]
    u = next(x for x in f if x["kind"] == "use-after-unload")
    crash = next(x for x in f if x["kind"] == "crash")
    assert f[crash["caused_by"]]["kind"] == "use-after-unload", crash
    assert "libplug.so" in crash["root_cause"], crash["root_cause"]
    if func:
        assert u["backtrace"][0]["function"] == func, u["backtrace"]
        assert crash["backtrace"][0]["function"] == func, crash["backtrace"]
        assert crash["backtrace"][0]["module"].endswith("/libplug.so"), crash["backtrace"]
        assert crash["backtrace"][0]["unloaded"] is True, crash["backtrace"]
        assert "unloaded" not in crash["backtrace"][-1], crash["backtrace"]
PYEOF
exit 0

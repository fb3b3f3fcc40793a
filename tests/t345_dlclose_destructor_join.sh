#!/bin/bash
# t345: a plugin unloaded by dlclose from an atexit handler, whose destructor joins its own
# thread, which waits on a condition nobody signals (tests/src/dlclose_join_host.c,
# dlclose_join_plug.c): the root cause names the join's place, the plugin's destructor run by
# dlclose ("thread N, in plugin_stop+0x... (dlclose_join_plug.c:N) in libdlclose_join_plug.so, a
# destructor of that module run by dlclose, joins thread M (plugloop, started at plugin_loop),
# waiting on the condition variable loop_cond in pthread_cond_wait"), and the fix is a library
# destructor's. Before (ATK11): "thread N joins thread M (plugloop, started at plugin_loop),
# waiting on a futex in futex, which has not ended", the step only "the atexit handler
# unload_plugins". TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build dlclose_join_host dlclose_join_host.c -- -O1 -ldl
build libdlclose_join_plug.so dlclose_join_plug.c -- -O1 -shared -fPIC -pthread
H=300
bg_ready dj "$BIN/dlclose_join_host" "$BIN/libdlclose_join_plug.so"
wait_for $PID 60 "2 complete snapshots" has_lines "$W/dj.trace" 2 ' hang_end '
kill_report dj
[ $RC = 137 ] || fail "status $RC"
main=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/dj.trace")
f=$(grep -A5 "^\[[0-9]*\] error hang" "$W/dj.txt")
echo "$f" | grep -Eq "root cause: thread $main, in plugin_stop\+0x[0-9a-f]+ \(dlclose_join_plug\.c:[0-9]+\) in libdlclose_join_plug\.so, a destructor of that module run by dlclose, joins thread [0-9]+ \(plugloop, started at plugin_loop\), waiting on the condition variable loop_cond in pthread_cond_wait" ||
	fail "root cause: $f"
echo "$f" | grep -q "fix: *a library's destructor must not join a thread that may not end" || fail "fix: $f"
exit 0

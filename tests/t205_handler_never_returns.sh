#!/bin/bash
# t205: a termination handler that never returns (issue 15): a single-threaded C program's
# SIGTERM handler locks a mutex the code it interrupted holds (a deadlock on itself; also in an
# SA_SIGINFO|SA_NODEFER handler), or spins; the test sends SIGTERM, then SIGKILL after 3x
# TLSTRACE_HANG_MS=300 (tests/lib.sh handler_hang_run). The trace has the
# arrival line and the watchdog's snapshots, timed from the arrival; the handler's thread's
# backtrace runs through the handler into what it waits on; the report says the teardown began
# at SIGTERM's arrival and the handler never returned. (Other threads: t235; a mask that blocks
# the watcher's signal: t236; a handler asleep: t237.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
for m in mutex nodefer busy; do
	handler_hang_run $m
	handler_hang_checks $m
done
grep -q "root cause: thread [0-9]* waits for the mutex m (0x[0-9a-f]*), which it holds itself" "$W/mutex.txt" ||
	{ grep -A4 "error hang" "$W/mutex.txt"; fail "mutex: the self-deadlock is not named"; }
grep -Eq "#[0-9]+ +(__)?pthread_mutex_lock" "$W/mutex.hang" || fail "mutex: no pthread_mutex_lock frame"
# the timeline's watcher line says when it looks, not that snapshots come then (a handler asleep
# in a call a signal cuts short is snapshotted up to an eighth of the interval later: t237)
grep -q "the termination handler has not returned: hang watchdog armed, looks at $H ms, x2, x4 after the signal's arrival" "$W/mutex.txt" ||
	fail "mutex: timeline: $(grep 'hang watchdog armed' "$W/mutex.txt")"
$PY - "$W/mutex.json" <<'PYEOF' || fail "JSON"
import json, re, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"][0]
me = [t for t in hang["threads"] if t["tid"] == hang["tid"]][0]
assert me["waits_on"]["kind"] == "mutex" and me["waits_on"]["holder"] == me["tid"], me
assert "SIGTERM" in hang["message"] and re.search(r"on_term at handler_hang\.c:\d+ in handler_hang never returned", hang["message"]), hang["message"]
PYEOF
# the signal frame's return address is glibc's restorer (__restore_rt, a symbol of size 0, no call
# before it): named, not left as libc.so.6+0x... with a hint to install a debug package
# (its name is in libc's .symtab: only where libc6-dbg's file for this build is installed)
bid=$(readelf -n "$(ldd "$BIN/handler_hang" | awk '/libc\.so\.6/ { print $3 }')" | awk '/Build ID/ { print $3 }')
if [ -n "$bid" ] && [ -f "/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug" ]; then
	grep -Eq "#[0-9]+ +__restore_rt\+0x0 in libc\.so\.6" "$W/mutex.txt" ||
		{ grep -A12 'error hang' "$W/mutex.txt"; fail "mutex: the restorer frame is not named"; }
else
	note "no debug file for libc (libc6-dbg): the restorer frame's name not checked"
fi
exit 0

#!/bin/bash
# t352: with TLSTRACE_HANG_MS=0 (the hang watchdog off, and with it the snapshot at a kill), a
# process killed or left unfinished in its teardown says that no snapshot of its threads was
# taken and why, in its finding's message (so in the verdict) and fix: before (FRESH11), a hang
# or a kill with no snapshot read as if nothing was there. A C atexit handler that loops
# (tests/src/atexit_spin.c) stopped by SIGTERM (killed) and by SIGKILL (unfinished: nothing
# traced sees it); a python3 atexit callback asleep (its Py_FinalizeEx seen at the sleep), stopped
# by SIGTERM; and the watchdog on (the kill's snapshot, no such words).
. "$(dirname "$0")/lib.sh"
build atexit_spin atexit_spin.c -- -O1 -pthread
ulimit -c 0
OFF="no snapshot of its threads was taken: the hang watchdog, and with it the snapshot at a kill, was off \\(TLSTRACE_HANG_MS=0\\)"
FIX="run it again with the hang watchdog on"
# stop NAME SIG HANG_MS CMD...: CMD under the shim; SIG once it printed "ready"; RC its status
stop() {
	local n=$1 sig=$2 ms=$3
	shift 3
	rm -f "$W/$n.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace TLSTRACE_HANG_MS=$ms "$@" >"$W/$n.out" 2>"$W/$n.err" &
	PID=$!
	wait_for $PID 30 "ready from $n" has_lines "$W/$n.out" 1 ready
	kill -"$sig" $PID
	wait $PID
	RC=$?
	"$REPORT" --color=never "$W/$n.trace" >"$W/$n.txt" 2>&1
}
# said NAME KIND: the KIND finding's message and fix, and the verdict, say the watchdog was off
said() {
	grep -A1 "^\\[[0-9]*\\] [a-z]* $2 " "$W/$1.txt" | tail -1 | grep -Eq "$OFF" ||
		fail "$1: message: $(grep -A1 "^\\[[0-9]*\\] [a-z]* $2 " "$W/$1.txt" | tail -1)"
	grep -E "^  1 process \\([a-z_0-9]+\\): $2: " "$W/$1.txt" | grep -Eq "$OFF" || fail "$1: verdict: $(sed -n 2,3p "$W/$1.txt")"
	grep -A5 "^\\[[0-9]*\\] [a-z]* $2 " "$W/$1.txt" | grep "^    fix:" | grep -q "$FIX" ||
		fail "$1: fix: $(grep -A5 "^\\[[0-9]*\\] [a-z]* $2 " "$W/$1.txt" | grep '^    fix:')"
}
stop off_term TERM 0 "$BIN/atexit_spin"
[ $RC = 143 ] || fail "off_term: status $RC"
said off_term killed
stop off_kill KILL 0 "$BIN/atexit_spin"
[ $RC = 137 ] || fail "off_kill: status $RC"
said off_kill unfinished
cat >"$W/sleepy.py" <<'PY'
import atexit, time
atexit.register(lambda: time.sleep(60))
print("ready", flush=True)
PY
stop py_off TERM 0 $PY "$W/sleepy.py"
[ $RC = 143 ] || fail "py_off: status $RC"
said py_off killed
# the watchdog on: the snapshot at the kill, and no such words
stop on_term TERM 60000 "$BIN/atexit_spin"
[ $RC = 143 ] || fail "on_term: status $RC"
grep -q "(the snapshot at the signal: 3 threads)" "$W/on_term.txt" || fail "on_term: $(sed -n 2,3p "$W/on_term.txt")"
! grep -q "TLSTRACE_HANG_MS=0\\|hang watchdog on" "$W/on_term.txt" || fail "on_term: $(grep 'TLSTRACE_HANG_MS=0' "$W/on_term.txt")"
exit 0

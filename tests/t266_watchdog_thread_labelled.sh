#!/bin/bash
# t266: the shim's own watchdog thread (the writer of the `hang` snapshot lines) is not one of the
# program's threads (issue 15): each timeline line it wrote says "[tlstrace watchdog]", a finding's
# message that names it says "(tlstrace watchdog)", and no finding is placed on it (the JSON tid,
# the text "process P thread T"); --chrome names its thread "tlstrace watchdog" and has its
# snapshots and the signal's arrival as instant events. Variants: a
# teardown that hangs in an atexit handler (the watchdog of exit/main's return), a SIGHUP handler
# that never returns (the handler watcher: tests/src/hup_hang.c), each SIGKILLed from outside
# (unfinished: the trace's last line is the watchdog's).
. "$(dirname "$0")/lib.sh"
cd "$W"
build hup_hang hup_hang.c
printf '#include <stdlib.h>\n#include <unistd.h>\n#include <stdio.h>\nstatic void h(void) { sleep(10); }\nint main(void) { atexit(h); printf("ready\\n"); fflush(stdout); return 0; }\n' >ath.c
gcc -o ath ath.c || fail "cannot build ath"
# run NAME SIG CMD...: CMD under the shim (TLSTRACE_HANG_MS 200), SIG once ready (none: -), SIGKILL
# once the watchdog's three snapshots (1x, 2x, 4x) are complete (wait_for, a safety net of 60 s):
# its last line is then the watchdog's hang_end (a kill at a fixed 0.9 s once cut the third short,
# in a CI run)
run() {
	local n=$1 sig=$2 pid
	shift 2
	TLSTRACE_HANG_MS=200 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace "$@" >"$n.out" 2>&1 &
	pid=$!
	wait_for $pid 30 "ready from $n" has_lines "$n.out" 1 ready || fail "$n: ended before it was ready"
	[ "$sig" = - ] || kill -"$sig" $pid
	wait_for $pid 60 "three complete snapshots of $n" has_lines "$W/$n.trace" 3 ' hang_end '
	kill -KILL $pid 2>/dev/null
	wait $pid
	"$REPORT" --no-symbols --color=never "$n.trace" >"$n.txt" 2>&1
	"$REPORT" --no-symbols --json "$n.trace" >"$n.json" 2>/dev/null
	wd=$(awk '$5 == "hang" { print $2; exit }' "$n.trace")
	[ -n "$wd" ] && [ "$wd" != "$(awk '{ print $1; exit }' "$n.trace")" ] || fail "$n: no snapshot from a watchdog thread"
	lines=$(grep -Ec "^ +\+[0-9.]+ ms  $wd " "$n.txt")
	[ "$lines" -ge 2 ] || { cat "$n.txt"; fail "$n: $lines timeline lines of the watchdog $wd"; }
	[ "$(grep -Ec "^ +\+[0-9.]+ ms  $wd .*  \[tlstrace watchdog\]$" "$n.txt")" = "$lines" ] ||
		{ grep -E "^ +\+[0-9.]+ ms  $wd " "$n.txt"; fail "$n: a watchdog line without its label"; }
	! grep -Eq "^\[[0-9]+\] .* thread $wd " "$n.txt" || { grep -E "^\[[0-9]+\]" "$n.txt"; fail "$n: a finding on the watchdog's thread"; }
	$PY -c 'import json,sys; sys.exit(any(f["tid"] == int(sys.argv[2]) for f in json.load(open(sys.argv[1]))["findings"]))' "$n.json" "$wd" ||
		fail "$n: a JSON finding's tid is the watchdog's"
	! grep -E "thread $wd\b" "$n.txt" | grep -v "thread $wd (tlstrace watchdog)" | grep -q . ||
		{ grep -E "thread $wd\b" "$n.txt"; fail "$n: thread $wd named without its label"; }
	grep -q "the last event is a hang snapshot's end on thread $wd (tlstrace watchdog)" "$n.txt" || { cat "$n.txt"; fail "$n: the unfinished finding"; }
	"$REPORT" --no-symbols --chrome - "$n.trace" 2>/dev/null | grep -q "\"tid\":$wd,\"name\":\"thread_name\",\"args\":{\"name\":\"tlstrace watchdog, thread $wd\"" ||
		fail "$n: the Chrome trace's thread name"
	# its snapshots, and the signal's arrival where one was sent, are instant events there too
	"$REPORT" --no-symbols --chrome - "$n.trace" 2>/dev/null | $PY -c '
import json, sys
names = [e.get("name", "") for e in json.load(sys.stdin)["traceEvents"] if e["ph"] == "i"]
for r in (1, 2, 3):
    assert any(x.startswith("hang snapshot %d after " % r) for x in names), names
assert sys.argv[1] == "-" or any(x.startswith("SIGHUP arrived from pid ") for x in names), names
' "$sig" || fail "$n: the Chrome trace lacks the snapshots or the arrival"
}
run exit - ./ath
run hup HUP "$BIN/hup_hang" 1
true

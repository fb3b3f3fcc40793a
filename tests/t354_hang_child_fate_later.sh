#!/bin/bash
# t354: a hang snapshot's thread that waits for a child names the child's fate as later than the
# snapshot when the child ended after it ("which was later killed by SIGTERM"), not as a fact
# known at the snapshot (FRESH11: "which was killed by SIGTERM" in a hang finding written a
# second before that kill). A python3 atexit callback waits for `sleep 60` (subprocess.run); the
# hang watchdog (300 ms) snapshots it; then timeout(1), sent SIGTERM, stops the group.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >prog.py <<'PY'
import atexit, subprocess
atexit.register(lambda: subprocess.run(["sleep", "60"]))
PY
rm -f h.trace
timeout 60 env TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/h.trace $PY prog.py >h.out 2>&1 &
TP=$!
trap 'kill -KILL -- -$TP 2>/dev/null' EXIT # (timeout leads a group of its own: what is left of it on a failure)
# (the first snapshot complete: its hang_end line)
wait_for $TP 30 "a hang snapshot" has_lines h.trace 1 ' hang_end 1$'
timeout_term $TP h.trace 2
"$REPORT" --color=never h.trace >h.txt 2>&1
grep -q "^\[[0-9]*\] error hang " h.txt || fail "no hang finding: $(grep '^\[' h.txt)"
rc=$(grep -A4 "^\[[0-9]*\] error hang " h.txt | grep "^    root cause:")
echo "$rc" | grep -Eq "waiting in waitpid for its child [0-9]+ \\(sleep\\) for [0-9.]+ m?s, which was later killed by SIGTERM" ||
	fail "hang root cause: $rc"
grep -A30 "^\[[0-9]*\] error hang " h.txt | grep -Eq "^      thread [0-9]+ .*waits on child: its child [0-9]+ \\(sleep\\) .*, which was later killed by SIGTERM" ||
	fail "hang thread line: $(grep -A30 '^\[[0-9]*\] error hang ' h.txt | grep '^      thread')"
exit 0

#!/bin/bash
# t353: timeout(1) stops its command by signalling it, then its whole process group; a child of
# the traced program in that group, running (a `sleep` that program waits for in its atexit
# callback), dies of the same SIGTERM as a bystander: its process header says so (the sender, the
# ancestor the same signal reached, the group stop), and it has no finding of its own; the
# program's killed finding is the one (FRESH11: an error finding "killed ... before its teardown
# began", fix "install a handler", for the sleep). A child in its own teardown when the group
# stop comes (an atexit callback asleep) keeps its killed finding: it was cut short.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >prog.py <<'PY'
import atexit, subprocess, sys
child = ["sleep", "60"] if sys.argv[1] == "sleep" else \
        [sys.executable, "-c", "import atexit, time; atexit.register(time.sleep, 60); print('up', flush=True)"]
atexit.register(lambda: subprocess.run(child))
PY
# run NAME MODE: prog.py under the shim under timeout (60 s: a safety net); timeout is sent
# SIGTERM once the child's trace has begun (and, for the Python child, it printed "up"), and
# passes it on to its command and its group as at its time limit (then dies of it: 143)
run() {
	local n=$1 m=$2 i
	rm -f "$n.trace" "$n.out"
	timeout 60 env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace $PY prog.py $m >"$n.out" 2>&1 &
	TP=$!
	trap 'kill -KILL -- -$TP 2>/dev/null' EXIT # (timeout leads a group of its own: what is left of it on a failure)
	want=" sleep 60\$"; [ $m = sleep ] || want=" -c import%20atexit"
	wait_for $TP 30 "the child's start" has_lines "$n.trace" 1 " tlstrace .*$want"
	[ $m = sleep ] || wait_for $TP 30 "the child's up" has_lines "$n.out" 1 '^up$'
	kill -TERM $TP
	wait $TP
	RC=$?
	# (the child's arrival line may be written a moment after the program's death: wait for it)
	for i in $(seq 200); do [ "$(grep -c ' sig_arrive 15 ' "$n.trace")" -ge 2 ] && break; sleep 0.05; done
	"$REPORT" --color=never "$n.trace" >"$n.txt" 2>&1
}
run by sleep
[ $RC = 143 ] || fail "by: status $RC"
grep -Eq "^process [0-9]+ sleep: killed by SIGTERM, sent by process [0-9]+ \(timeout, not traced; uid [0-9]+\); the same SIGTERM from it reached process [0-9]+ \(python3\), its parent, [0-9.]+ m?s (earlier|later): one stop of their process group \(timeout\(1\) signals its command, then its whole process group\); it was running, not in a teardown of its own: a bystander of that stop" by.txt ||
	fail "by: the sleep's header: $(grep '^process' by.txt)"
# (the stop is the sender's, not the ancestor's: "which is process N's" said it was, FIX13a)
grep -q "a bystander of that stop, with nothing of its own to mend" by.txt || fail "by: the bystander's words: $(grep '^process' by.txt)"
! grep -Eq "^    process [0-9]+ \(sleep\) was killed" by.txt || fail "by: a finding for the sleep: $(grep -A4 '(sleep) was killed' by.txt)"
grep -Eq "^    process [0-9]+ \(python3\) was killed by SIGTERM, sent by process [0-9]+ \(timeout" by.txt ||
	fail "by: the program's finding: $(grep -A1 'error killed' by.txt)"
[ "$(grep -c '^\[[0-9]*\] error killed ' by.txt)" = 1 ] || fail "by: $(grep '^\[[0-9]*\] ' by.txt)"
# the sender gone before the sleep's handler read its name (timeout exits once its command is
# reaped: under load the shim in the sleep reads "-", the CI run of e0aa096): the python3's
# arrival from the same pid names it
# (the sleep is found by its start line: the order of the two arrivals in the trace is the
# writers' order, the sleep's first under load: the CI run of b03e570 blanked the python3's)
S=$(awk '$5 == "tlstrace" && $NF == "60" && $(NF-1) == "sleep" { print $1; exit }' by.trace)
[ -n "$S" ] || fail "gone: the sleep's start line not found"
awk -v s="$S" '$5 == "sig_arrive" && $1 == s {$NF = "-"} 1' by.trace >gone.trace
[ "$(grep -c ' sig_arrive .* -$' gone.trace)" = 1 ] || fail "gone: the sleep's line not found: $(grep sig_arrive gone.trace)"
"$REPORT" --color=never gone.trace >gone.txt 2>&1
grep -Eq "^process [0-9]+ sleep: killed by SIGTERM, sent by process [0-9]+ \(timeout, not traced; uid [0-9]+\); .*\(timeout\(1\) signals its command" gone.txt ||
	fail "gone: the sleep's header: $(grep '^process' gone.txt)"
# and its timeline's arrival line (senders.c; FRESH14: the timeline read the line's own name only)
grep -Eq "^ +\+0\.000 ms +[0-9]+ +SIGTERM arrived from pid [0-9]+ \(timeout\), default action" gone.txt ||
	fail "gone: the sleep's timeline: $(grep 'SIGTERM arrived' gone.txt)"
# the same with the sleep's arrival (its last line) 3 s later, as for a signal it blocked until
# then: named by the
# same signal's other arrival within 10 s (FRESH14: "gone when it arrived", a 1 s window)
awk -v s="$S" '$1 == s && $5 == "sig_arrive" { $3 = sprintf("%.0f", $3 + 3000000000) } 1' gone.trace >late.trace
"$REPORT" --color=never late.trace >late.txt 2>&1
grep -Eq "^    process $S \(sleep\) was killed by SIGTERM, sent by process [0-9]+ \(timeout, not traced; uid [0-9]+\)" late.txt ||
	fail "late: the sleep's finding: $(grep "process $S (sleep) was killed" late.txt)"
run td teardown
[ $RC = 143 ] || fail "td: status $RC"
[ "$(grep -c '^\[[0-9]*\] error killed ' td.txt)" = 2 ] || fail "td: the child in its teardown lost its finding: $(grep '^\[[0-9]*\] \|^process' td.txt)"
! grep -q "a bystander of that stop" td.txt || fail "td: $(grep "a bystander of" td.txt)"
exit 0

#!/bin/bash
# t310: the hang finding of a teardown that sleeps says where it sleeps and in whose code. A C
# atexit handler (tests/src/atexit_sleep.c: wait_forever, line 6) sleeping in a loop: the root
# cause names the handler and its file:line. A snapshot whose hang_thread line says state S,
# wchan hrtimer_nanosleep and system call "running" (/proc's files read at different moments,
# the thread between two sleeps; the trace's lines changed so) says "asleep in
# hrtimer_nanosleep", not "no system call (running)", in the C case and in a Python atexit
# callback's (py_blocks_in_teardown.py sleep atexit). The Python callback's hang finding has its
# python_callback in the JSON (flush_metrics). Before: "the thread that began the teardown ...
# did not get further", "sleeping in no system call (running)" (also in the thread line: "state
# S, in no system call (running)"), python_callback null.
# TLSTRACE_HANG_MS=300, SIGKILL once two snapshots (C) or three (Python) are in the trace.
. "$(dirname "$0")/lib.sh"
build atexit_sleep atexit_sleep.c -- -O1
H=300
root() { grep -A4 "error hang" "$1" | grep "root cause:"; }

bg_ready c "$BIN/atexit_sleep"
wait_for $PID 60 "2 complete snapshots of atexit_sleep" has_lines "$W/c.trace" 2 ' hang_end '
kill_report c
# one verdict line: the hang's, ending with its trace (the SIGKILL from this untraced script is
# not seen); the unfinished finding stays in the findings (FRESH14: a hang and an unfinished line)
sed -n '/^verdict/,/^$/p' "$W/c.txt" >"$W/c.verdict"
[ "$(grep -c '^  [0-9]' "$W/c.verdict")" = 1 ] || fail "not 1 verdict line: $(cat "$W/c.verdict")"
# (the verdict leaves out the shim's aside on what the end may mean: the finding keeps it)
grep -q "^  1 process (atexit_sleep): hang: .*; its trace ends there$" "$W/c.verdict" ||
	fail "verdict: $(cat "$W/c.verdict")"
grep -q "; its trace ends there (it was then killed by a signal the shim cannot see, SIGKILL, or still runs: its unfinished finding)$" "$W/c.txt" ||
	fail "verdict: $(cat "$W/c.verdict")"
grep -Eq '^\[[0-9]+\] (warning|error) unfinished ' "$W/c.txt" || fail "no unfinished finding"
# the same trace with snapshot 1's header line only (the process ended as it began: a kill at
# TLSTRACE_HANG_MS): a fix that says so, not an empty one (FRESH14b)
awk '$5 ~ /^hang_(thread|bt|py|end|pylock|pyhandler|rwlock|stdio)$/ { next } $5 == "hang" && $6 > 1 { next } { print }' "$W/c.trace" >"$W/cut0.trace"
"$REPORT" --color=never "$W/cut0.trace" >"$W/cut0.txt" 2>&1
grep -A1 "^verdict" -A2 "$W/cut0.txt" | grep -q "fix: no thread was written before the process ended, as the snapshot began" ||
	fail "cut0: $(sed -n '/^verdict/,/^$/p' "$W/cut0.txt")"
[ $RC = 137 ] || fail "c: status $RC"
root "$W/c.txt" | grep -q "root cause: the atexit handler wait_forever (atexit_sleep.c:6) in atexit_sleep does not return: thread [0-9]* (atexit_sleep), sleeping in clock_nanosleep; exit() runs the atexit handlers" ||
	fail "c: root cause: $(root "$W/c.txt")"
grep -A5 "error hang" "$W/c.txt" | grep -q "fix: *an atexit handler must return promptly" || fail "c: fix: $(grep -A5 'error hang' "$W/c.txt")"

# the thread between two sleeps: state S, wchan hrtimer_nanosleep, no system call
sed -E 's/ hang_thread ([0-9]+) S (atexit_sleep|python3) hrtimer_nanosleep 230 / hang_thread \1 S \2 hrtimer_nanosleep running /' "$W/c.trace" >"$W/c-running.trace"
grep -q " hang_thread [0-9]* S atexit_sleep hrtimer_nanosleep running " "$W/c-running.trace" || fail "c: no hang_thread line in clock_nanosleep: $(grep hang_thread "$W/c.trace")"
"$REPORT" --color=never "$W/c-running.trace" >"$W/c-running.txt"
root "$W/c-running.txt" | grep -q "wait_forever (atexit_sleep.c:6) in atexit_sleep does not return: thread [0-9]* (atexit_sleep), asleep in hrtimer_nanosleep (a sleep" ||
	fail "c-running: root cause: $(root "$W/c-running.txt")"
grep -q "\[began the teardown\] state S, in no system call when its syscall file was read (running then, between two calls), wchan hrtimer_nanosleep" "$W/c-running.txt" ||
	fail "c-running: thread line: $(grep 'began the teardown\]' "$W/c-running.txt")"

py_teardown_block_run sleep atexit
py_teardown_block_checks sleep atexit
sed -E 's/ hang_thread ([0-9]+) S (atexit_sleep|python3) hrtimer_nanosleep 230 / hang_thread \1 S \2 hrtimer_nanosleep running /' "$W/sleep-atexit.trace" >"$W/py-running.trace"
grep -q " hang_thread [0-9]* S python3 hrtimer_nanosleep running " "$W/py-running.trace" || fail "py: no hang_thread line in clock_nanosleep"
"$REPORT" --color=never "$W/py-running.trace" >"$W/py-running.txt"
root "$W/py-running.txt" | grep -q "root cause: an atexit callback (\"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in flush_metrics) does not return: .* in one_wait\.<locals>\.<lambda>, asleep in hrtimer_nanosleep (a sleep" ||
	fail "py-running: root cause: $(root "$W/py-running.txt")"
$PY - "$W/sleep-atexit.json" <<'PYEOF' || fail "py: JSON"
import json, re, sys
d = json.load(open(sys.argv[1]))
h = [f for f in d["findings"] if f["kind"] == "hang"]
assert h, "no hang finding"
cb = h[0]["python_callback"]
assert cb and re.match(r"py_blocks_in_teardown\.flush_metrics \(py_blocks_in_teardown\.py:\d+\), via ", cb), cb
PYEOF
exit 0

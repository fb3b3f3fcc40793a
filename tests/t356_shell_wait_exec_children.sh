#!/bin/bash
# t356: a shell killed in its wait for any child, in timeout(1)'s stop of its process group, whose
# two children (one `sleep` in the background, one python3 in the foreground) each exec'd a
# program: its wait is said with each child once, by the program it runs ("2 traced children
# not reaped: N (sleep), M (python3)"; was "3 ..., first N (sh)": the forked record and the
# program it exec'd counted twice), and its fix says the children were bystanders of the same
# stop, with no findings (was "what kept it there is the child's (see that child's findings)",
# findings they do not have) (issue 15).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
rm -f sh.trace sh.out
timeout 60 env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/sh.trace \
	sh -c "sleep 60 & $PY -c 'import time; print(\"up\", flush=True); time.sleep(60)'" >sh.out 2>&1 &
TP=$!
trap 'kill -KILL -- -$TP 2>/dev/null' EXIT # (timeout leads a group of its own: what is left of it on a failure)
wait_for $TP 30 "the sleep's start" has_lines sh.trace 1 " tlstrace .* sleep 60$"
wait_for $TP 30 "python3's up" has_lines sh.out 1 '^up$'
wait_for $TP 30 "the shell's wait" has_lines sh.trace 1 " wait_begin wait"
timeout_term $TP sh.trace 3 # (the shell and its 2 children)
"$REPORT" --color=never sh.trace >sh.txt 2>&1
[ "$(grep -c '^\[[0-9]*\] error killed ' sh.txt)" = 1 ] || fail "findings: $(grep '^\[[0-9]*\] ' sh.txt)"
f=$(grep -A6 '^\[[0-9]*\] error killed ' sh.txt)
echo "$f" | grep -m1 '^    process ' | grep -Eq "^    process [0-9]+ \(sh\) was killed by SIGTERM.* was waiting in wait[0-9a-z]* for any child \(2 traced children not reaped: [0-9]+ \(sleep\), [0-9]+ \(python3\)\)" ||
	fail "message: $(echo "$f" | grep -m1 '^    process ')"
fix=$(echo "$f" | grep '^    fix:')
echo "$fix" | grep -Eq "fix: +SIGTERM came while thread [0-9]+ was blocked in wait[0-9a-z]* for any of its children, and the same SIGTERM ended those children, [0-9]+ \(sleep\) and [0-9]+ \(python3\), bystanders of one stop of their process group \(no findings of their own\): the stop was the group's" ||
	fail "fix: $fix"
! echo "$fix" | grep -q "see that child's findings" || fail "fix points at findings: $fix"
exit 0

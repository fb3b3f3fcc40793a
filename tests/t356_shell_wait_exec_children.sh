#!/bin/bash
# t356: a shell killed in its wait for any child, in timeout(1)'s stop of its process group, whose
# two children (one `sleep` in the background, one python3 in the foreground) each exec'd a
# program: its wait is said with each child once, by the program it runs ("2 traced children
# not reaped: N (sleep), M (python3)"; was "3 ..., first N (sh)": the forked record and the
# program it exec'd counted twice), and its fix says the children were bystanders of the same
# stop, with no findings (was "what kept it there is the child's (see that child's findings)",
# findings they do not have) (issue 15). Since FRESH13 m5 the shell itself has no finding either:
# its header says the stop reached its children N (sleep) and M (python3), each once.
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
# (since FRESH13 m5: a waiter whose children all ended in the group's stop has no finding, as
# when its traced parent sends the stop; its header names the children, each once, by program)
[ "$(grep -c '^\[[0-9]*\] ' sh.txt)" = 0 ] || fail "findings: $(grep '^\[[0-9]*\] ' sh.txt)"
h=$(grep -E '^process [0-9]+ sh: killed by SIGTERM' sh.txt)
echo "$h" | grep -Eq "the same SIGTERM reached its children [0-9]+ \(sleep\) and [0-9]+ \(python3\), for which it was waiting in wait[0-9a-z]*: one stop of their process group, before any teardown of its own" ||
	fail "the shell's header: $h"
exit 0

#!/bin/bash
# t211: Python's subprocess.Popen.wait(timeout=...) polls waitpid(pid, WNOHANG) and sleeps (issue
# 15). After terminate() to a child that ignores SIGTERM, the parent, killed by the test while it
# polls, is named "polling waitpid (WNOHANG) for its child N (python3.11) after sending it
# SIGTERM, which ignores SIGTERM (SIG_IGN)" (SIGKILL: unfinished; SIGTERM: killed, with how
# long); one wait_poll line for its many polls. A wait that timed out, then kill() and wait():
# closed by the reap, nothing said polling, same exit status as without the shim.
. "$(dirname "$0")/lib.sh"
app=$ROOT/tests/apps/popen_poll.py

# run_py NAME SIGNAL: the app signalled while it polls, once its first empty poll is written
# (lib.sh); C its child
run_py() {
	signal_while_polling "$1" "$2" -t " wait_poll " $PY "$app"
	C=$(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$1.out")
}

run_py kill KILL
[ $RC = 137 ] || fail "kill: status $RC"
grep -Eq " wait_poll waitpid $C 0x1 kill $C:15$" "$W/kill.trace" || fail "kill: $(grep -E 'wait_|kill ' "$W/kill.trace")"
[ "$(grep -c ' wait_poll ' "$W/kill.trace")" = 1 ] || fail "kill: $(grep -c ' wait_poll ' "$W/kill.trace") wait_poll lines"
grep -Eq "thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $C \\(python3[.0-9]*\\) after sending it SIGTERM, which ignores SIGTERM \\(SIG_IGN\\), and has no end in its trace" "$W/kill.txt" ||
	fail "kill: $(grep -B1 -A3 'warning unfinished' "$W/kill.txt" | head -20)"

run_py term TERM
[ $RC = 143 ] || fail "term: status $RC"
grep -Eq "was killed by SIGTERM, .*; thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $C \\(python3[.0-9]*\\) after sending it SIGTERM, from [0-9.]+ (ms|s) before \\(its first empty poll; later polls are not recorded\\), which" "$W/term.txt" ||
	fail "term: $(grep -A2 'error killed' "$W/term.txt")"

# a bounded wait, then kill() and a blocking wait: the poll closed by the reap
$PY "$app" gone >"$W/gone.plain" 2>&1; a=$?
rm -f "$W/gone.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/gone.trace $PY "$app" gone >"$W/gone.out" 2>&1; b=$?
[ $a = 0 ] && [ $b = 0 ] || fail "gone: status $b with the shim, $a without"
"$REPORT" --color=never "$W/gone.trace" >"$W/gone.txt"
grep -q " wait_poll " "$W/gone.trace" || fail "gone: no wait_poll line"
! grep -Eq "no later wait call of this thread ended it|was polling" "$W/gone.txt" || fail "gone: a finished poll named: $(grep -E 'polling' "$W/gone.txt")"
exit 0

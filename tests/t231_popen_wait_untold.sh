#!/bin/bash
# t231: Python's subprocess.Popen.wait(timeout=100) on a child it never signalled (a run of empty
# waitpid(pid, WNOHANG) polls with growing sleeps, issue 15), then the parent killed by a
# supervisor. SIGKILL after the run has lasted TLSTRACE_HANG_MS (200 here): one wait_poll line,
# WHY `long`, and the unfinished finding "was polling waitpid (WNOHANG) for its child N
# (python3.11): N empty polls over M ms"; SIGTERM (default action) before that: the line, WHY `signal`,
# and the killed finding says what it was doing; SIGTERM to a handler that raises SystemExit: the
# line written after the handler, the reap closes it, same status as without the shim.
. "$(dirname "$0")/lib.sh"
app=$ROOT/tests/apps/popen_poll.py
# run_py NAME SIGNAL [-t ERE|-s NR]... [ENV...]: the app polling its child untold, signalled once
# what the case needs is there (lib.sh); C its child
run_py() {
	signal_while_polling "$1" "$2" "${@:3}" $PY "$app" untold
	C=$(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$1.out")
}

run_py kill KILL -t " wait_poll " TLSTRACE_HANG_MS=200
one_poll kill 137 "waitpid $C 0x1 long - [0-9]+ [0-9]+ [0-9]+"
grep -Eq "thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $C \\(python3[.0-9]*\\): [0-9]+ empty polls over [0-9]+ ms \\(none counted after them\\), which has no end in its trace" "$W/kill.txt" ||
	fail "kill: $(grep -A4 'warning unfinished' "$W/kill.txt" | head -12)"

run_py term TERM -s 230 # (asleep between two polls: one is done)
one_poll term 143 "waitpid $C 0x1 signal - [0-9]+ [0-9]+ [0-9]+"
grep -Eq "was killed by SIGTERM, .*; thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $C \\(python3[.0-9]*\\): ([0-9]+ empty polls over [0-9]+ ms, the last|one empty poll,) [0-9]+ ms before a termination signal arrived, which" "$W/term.txt" ||
	fail "term: $(grep -A2 'error killed' "$W/term.txt")"

# a handler: SystemExit in wait(), Popen's __exit__-less path kills nothing; status as without the shim
handler='import runpy, signal, sys; signal.signal(signal.SIGTERM, lambda s, f: sys.exit(3)); sys.argv = [sys.argv[1], "untold"]; runpy.run_path(sys.argv[0], run_name="__main__")'
signal_while_polling plain TERM -s 230 env -u LD_PRELOAD $PY -c "$handler" "$app"
a=$RC
signal_while_polling handler TERM -s 230 $PY -c "$handler" "$app"
[ $a = 3 ] && [ $RC = 3 ] || fail "handler: status $RC with the shim, $a without"
C=$(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/handler.out")
grep -Eq " wait_poll waitpid $C 0x1 signal - [0-9]+ [0-9]+ [0-9]+$" "$W/handler.trace" || fail "handler: $(grep -E 'wait_|sig_arrive' "$W/handler.trace")"
exit 0

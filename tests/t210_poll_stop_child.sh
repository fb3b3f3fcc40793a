#!/bin/bash
# t210: a parent that polls for a child with WNOHANG (issue 15). A C parent SIGTERMs a child whose
# handler ignores it, then polls waitpid(child, WNOHANG) + usleep forever, and the test kills it:
# the shim writes one wait_poll line for the episode (not one per poll), and the report's
# finding for the parent says "polling waitpid (WNOHANG) for its child N (poll_child) ... after
# sending it SIGTERM, which ran its handler ignore for SIGTERM and went on". The same through waitpid(-1), waitid, wait4 and killpg; three children of
# which two obey (a line again after each reap, naming who is left); a parent polling in its
# own teardown (an atexit handler) named by the hang finding; 200 polls of a child not told to
# stop write nothing; the programs that end exit alike with and without the shim.
. "$(dirname "$0")/lib.sh"
build poll_child poll_child.c

# run_poll NAME MODE SIGNAL [-t ERE|-f FUNC]... [ENV...]: poll_child MODE signalled while it polls,
# once its trace has what the case needs (lib.sh)
run_poll() {
	local name=$1 mode=$2 sig=$3
	shift 3
	signal_while_polling "$name" "$sig" "$@" "$BIN/poll_child" "$mode"
}
# polls NAME: the number of wait_poll lines
polls() { grep -c " wait_poll " "$W/$1.trace"; }
kid() { sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$1.out" | sed -n "${2:-1}p"; }

# killed by SIGKILL (as a supervisor's mercy does): unfinished, and what it was doing
# stopped: the child's arrival at its handler written (it ignores SIGTERM), the first empty poll
stopped=(-t ' sig_arrive 15 ' -t ' wait_poll ')
run_poll forever forever KILL "${stopped[@]}"
[ $RC = 137 ] || fail "forever: status $RC"
c=$(kid forever)
grep -Eq " wait_poll waitpid $c 0x1 kill $c:15$" "$W/forever.trace" || fail "forever: no wait_poll line: $(grep -E 'wait|kill ' "$W/forever.trace")"
[ "$(polls forever)" = 1 ] || fail "forever: $(polls forever) wait_poll lines for about 40 polls, expected 1"
grep -Eq "^\\[[0-9]+\\] warning unfinished" "$W/forever.txt" || fail "forever: no unfinished finding"
grep -Eq "thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $c \\(poll_child\\) after sending it SIGTERM, which ran its handler ignore for SIGTERM and went on, and has no end in its trace" "$W/forever.txt" ||
	fail "forever: the finding does not name the poll: $(grep -A3 'unfinished' "$W/forever.txt")"
grep -Eq "waitpid\\(WNOHANG\\): polling for child $c, told to stop: $c \\(SIGTERM\\) \\(its first empty poll; later ones are not recorded\\)  \\[no later wait call of this thread ended it\\]" "$W/forever.txt" ||
	fail "forever: timeline: $(grep -i poll "$W/forever.txt")"

# killed by SIGTERM with the default action: killed, and for how long it polled
run_poll term forever TERM "${stopped[@]}"
[ $RC = 143 ] || fail "term: status $RC"
c=$(kid term)
grep -Eq "was killed by SIGTERM, .*; thread [0-9]+ was polling waitpid \\(WNOHANG\\) for its child $c \\(poll_child\\) after sending it SIGTERM, from [0-9.]+ (ms|s) before \\(its first empty poll; later polls are not recorded\\), which" "$W/term.txt" ||
	fail "term: $(grep -A2 'error killed' "$W/term.txt")"

# the other calls, and a group
for m in any waitid wait4 killpg; do
	run_poll $m $m KILL "${stopped[@]}"
	c=$(kid $m)
	[ "$(polls $m)" = 1 ] || fail "$m: $(polls $m) wait_poll lines, expected 1: $(grep wait_ "$W/$m.trace")"
	case $m in
	any|wait4) w=$([ $m = any ] && echo waitpid || echo wait4)
		grep -Eq "polling $w \\(WNOHANG\\) for any child after sending SIGTERM to its child $c \\(poll_child\\), which" "$W/$m.txt" ||
			fail "$m: $(grep -i polling "$W/$m.txt" | head -3)" ;;
	*) w=$([ $m = waitid ] && echo waitid || echo waitpid)
		grep -Eq "polling $w \\(WNOHANG\\) for its child $c \\(poll_child\\) after sending it SIGTERM, which" "$W/$m.txt" ||
			fail "$m: $(grep -i polling "$W/$m.txt" | head -3)" ;;
	esac
done

# three children, two obey: a line per episode, the last naming the one left
# three_reaped TRACE: both obeying children reaped, and the last poll line names one child
three_reaped() {
	awk '$5 == "reap" && / signal 15 / { r++ } $5 == "wait_poll" { last = $0 }
		END { exit !(r >= 2 && last ~ / kill [0-9]+:15$/) }' "$1"
}
run_poll three three KILL -f three_reaped -t ' sig_arrive 15 '
c=$(kid three 3)
# (one line per episode: 1 to 3, as the two reaps fall between polls)
n=$(polls three)
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "three: $n wait_poll lines, expected 1 to 3: $(grep -E 'wait_|reap' "$W/three.trace")"
[ "$(grep -c ' reap waitpid [0-9]* signal 15 ' "$W/three.trace")" = 2 ] || fail "three: reaps: $(grep reap "$W/three.trace")"
tail -1 <(grep " wait_poll " "$W/three.trace") | grep -Eq " kill $c:15$" || fail "three: the last poll line: $(grep wait_poll "$W/three.trace")"
grep -Eq "polling waitpid \\(WNOHANG\\) for any child after sending SIGTERM to its child $c \\(poll_child\\), which" "$W/three.txt" ||
	fail "three: $(grep -i polling "$W/three.txt")"

# polling in its own teardown (an atexit handler), no signal sent: the hang finding names it
run_poll teardown teardown TERM -t " wait_poll " -t " hang_end 1" TLSTRACE_HANG_MS=200
c=$(kid teardown)
grep -Eq " wait_poll waitpid $c 0x1 teardown -$" "$W/teardown.trace" || fail "teardown: $(grep wait_ "$W/teardown.trace")"
grep -Eq "root cause: thread [0-9]+ is polling waitpid \\(WNOHANG\\) for its child $c \\(poll_child\\) in its teardown, from [0-9.]+ (ms|s) before \\(its first empty poll; later polls are not recorded\\), which has no end" "$W/teardown.txt" ||
	fail "teardown: hang root cause: $(grep -A3 'error hang' "$W/teardown.txt")"
grep -Eq "waits on child: polling waitpid \\(WNOHANG\\) for its child $c" "$W/teardown.txt" || fail "teardown: snapshot thread line"

# nothing for polls of a child not told to stop; the programs that end, alike without the shim
for m in quiet bounded; do
	"$BIN/poll_child" $m >"$W/$m.plain" 2>&1; a=$?
	rm -f "$W/$m.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$BIN/poll_child" $m >"$W/$m.out" 2>&1; b=$?
	[ $a = $b ] || fail "$m: status $b with the shim, $a without"
	[ $m = quiet ] && [ $a != 0 ] && fail "quiet: status $a, expected 0"
	[ $m = bounded ] && [ $a != 3 ] && fail "bounded: status $a, expected 3 (its child died of SIGKILL)"
done
n=$(polls quiet)
[ "$n" -le 1 ] || fail "quiet: $n wait_poll lines: $(grep -E 'wait_|reap|kill ' "$W/quiet.trace")"
[ "$n" = 0 ] || awk '$5 == "wait_poll" { p = $1 } p && $1 == p && $5 != "wait_poll" { print; exit }' "$W/quiet.trace" | grep -q " reap waitpid " ||
	fail "quiet: the poll line is not closed by the reap"
# bounded: the SIGKILL opens a second episode (a new stop signal) unless the child is gone by the
# next poll; the reap closes it
n=$(polls bounded)
[ "$n" = 1 ] || [ "$n" = 2 ] || fail "bounded: $n wait_poll lines, expected 1 or 2: $(grep -E 'wait_|reap|kill ' "$W/bounded.trace")"
grep " wait_poll " "$W/bounded.trace" | head -1 | grep -Eq " kill [0-9]+:15$" || fail "bounded: the first line names SIGTERM"
[ "$n" = 1 ] || grep " wait_poll " "$W/bounded.trace" | tail -1 | grep -Eq " kill [0-9]+:9$" || fail "bounded: the second line names SIGKILL"
"$REPORT" --color=never "$W/bounded.trace" >"$W/bounded.txt"
! grep -q "no later wait call of this thread ended it" "$W/bounded.txt" || fail "bounded: a closed poll shown as still polling"
exit 0

#!/bin/bash
# t230: gunicorn's stop with a worker stuck in its teardown (Debian's python3-gunicorn 20.1,
# --graceful-timeout 3; issue 15). At SIGTERM the arbiter sends its worker SIGTERM, then sleeps
# in time.sleep(0.1) until the worker is gone or the timeout passed, reaping only in its SIGCHLD
# handler (no wait call, no poll while the worker hangs), then SIGKILLs it.
# - the arbiter killed by the test after its SIGTERM, before its graceful timeout (a supervisor's
#   own timeout; once its worker is where the case needs it, not at a fixed 1.5 s): its
#   unfinished finding says it had not reaped the child it told to stop, with no wait open, and
#   what became of the worker (its handler ran; hung in its own teardown: a non-daemon thread;
#   or went on: an atexit callback that never returns, not seen in python3);
# - the arbiter left alone: it exits 0; the worker killed by SIGKILL from the arbiter after its
#   teardown began, the hang finding names the thread; the worker's hang fix says the graceful
#   timeout it ran with (3 s), and the verdict names the worker and the arbiter as the killed
#   finding does ("gunicorn (python3)").
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn missing"

# worker_has TRACE GPID ERE: a line of the arbiter GPID's worker (its first forked child) matches ERE
worker_has() {
	awk -v g="$2" -v re="$3" '$5 == "forked" && $6 == g && !w { w = $1 } w && $1 == w && $0 ~ re { f = 1; exit } END { exit !f }' "$1" 2>/dev/null
}
# gstop NAME STUCK [BEFORE_KILL [BEFORE_END]]: gunicorn with the stuck app, one request, SIGTERM;
# then, given BEFORE_KILL (an ERE), SIGKILL to the arbiter once a line of its worker's matches it
# (without: let it finish); its worker still there killed once a line of it matches BEFORE_END
# (- or none: at once); sets GPID, WPID, RC; report in NAME.txt. HANG_MS: the watchdog's
# TLSTRACE_HANG_MS (default 2000, the shim's)
gstop() {
	local name=$1 stuck=$2 before_kill=${3:-} before_end=${4:--} port
	port=$(free_port)
	rm -f "$W/$name.trace"
	STUCK=$stuck TLSTRACE_HANG_MS=${HANG_MS:-2000} LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$name.trace $PY -m gunicorn --bind 127.0.0.1:$port --workers 1 \
		--graceful-timeout 3 --pythonpath "$ROOT/tests/apps" stuck_teardown_app:application >"$W/$name.log" 2>&1 </dev/null &
	GPID=$!
	wait_http $port 30 || { kill -9 $GPID; cat "$W/$name.log"; fail "$name: gunicorn did not come up"; }
	kill -TERM $GPID
	if [ -n "$before_kill" ]; then
		wait_for $GPID 30 "the worker's '$before_kill'" worker_has "$W/$name.trace" $GPID "$before_kill"
		# (and the arbiter's own kill line: the shim writes it once kill() returned, which may
		# be after the worker's arrival line; a SIGKILL before it lost it, once in ~7 runs)
		wait_for $GPID 30 "the arbiter's kill line" has_lines "$W/$name.trace" 1 "^$GPID .* kill kill 15 "
		kill -KILL $GPID
	fi
	wait $GPID
	RC=$?
	WPID=$(awk -v g=$GPID '$1 != g && $5 == "forked" && $6 == g { print $1; exit }' "$W/$name.trace")
	[ -n "$WPID" ] && [ "$before_end" != - ] &&
		wait_for $WPID 30 "the worker's '$before_end'" has_lines "$W/$name.trace" 1 "^$WPID .*$before_end"
	kill -9 $WPID 2>/dev/null
	[ -n "$WPID" ] || fail "$name: no worker in the trace"
	"$REPORT" --color=never "$W/$name.trace" >"$W/$name.txt" 2>&1
}
# (the worker's handler named: gunicorn's Worker.init_signals calls signal.siginterrupt after its
# signal.signal calls, which sets the same handler again; it was taken for a new Python handler
# with no name, "set at base.py:181 in Worker.init_signals", once the shim stopped reading a name
# from frames other than signal.py's; before that, "python3+0x678ec0")
told="it had not reaped the child it told to stop, and no wait call of its was open \\(a parent that sleeps and reaps on SIGCHLD, as gunicorn's arbiter until its graceful timeout, waits that way\\): SIGTERM to"

# (the worker hung in its teardown: the watchdog armed; its snapshot, at 2 s, before it is killed)
gstop thread thread ' hang_arm ' ' hang_end 1'
[ $RC = 137 ] || fail "thread: arbiter status $RC"
grep -Eq " kill kill 15 $WPID - 0 0 " "$W/thread.trace" || fail "thread: no SIGTERM to the worker"
grep -A4 "warning unfinished  process $GPID " "$W/thread.txt" | grep -Eq "$told $WPID \\(python3\\) at the end of its trace, which ran its Python handler gunicorn\\.workers\\.base\\.Worker\\.handle_exit \\(set at base\\.py:[0-9]+\\) for SIGTERM and went on, and hung in its own teardown \\(Py_FinalizeEx" ||
	fail "thread: the arbiter's finding: $(grep -A4 "warning unfinished  process $GPID " "$W/thread.txt")"
# the worker's hang fix says what gunicorn does with a worker still running (FRESH14: nothing of
# --graceful-timeout)
grep -A6 "error hang  process $WPID " "$W/thread.txt" | grep -q "fix: .*; under gunicorn the arbiter sends a worker still running --graceful-timeout (3 s in its command line) after its SIGTERM a SIGKILL" ||
	fail "thread: the worker's hang fix: $(grep -A6 "error hang  process $WPID " "$W/thread.txt" | grep 'fix:')"

# (the worker's handler ran: its arrival line is written after it)
gstop atexit atexit ' sig_arrive 15 '
grep -A4 "warning unfinished  process $GPID " "$W/atexit.txt" | grep -Eq "$told $WPID \\(python3\\) at the end of its trace, which ran its Python handler gunicorn\\.workers\\.base\\.Worker\\.handle_exit \\(set at base\\.py:[0-9]+\\) for SIGTERM and went on, and has no end in its trace" ||
	fail "atexit: the arbiter's finding: $(grep -A4 "warning unfinished  process $GPID " "$W/atexit.txt")"

# (the arbiter's SIGKILL comes at its graceful timeout, 3 s after its SIGTERM, a time of
# gunicorn's that no event of the test's can move: the watchdog at 300 ms, so that its first
# snapshot is complete 2.7 s before it, not 1 s as with the default 2 s, which a busy machine
# may not keep)
HANG_MS=300 gstop done thread
[ $RC = 0 ] || fail "done: arbiter status $RC"
grep -Eq "^process $WPID python3 \\(forked from $GPID\\): killed by SIGKILL" "$W/done.txt" || fail "done: worker: $(grep '^process' "$W/done.txt")"
grep -Eq "was killed by SIGKILL, sent by process $GPID \\(gunicorn \\(python3\\), its parent\\) with kill\\(\\).* after its teardown began \\(python3's own Py_FinalizeEx, seen at its first blocking wait: it began before\\)" "$W/done.txt" ||
	fail "done: killed finding: $(grep -A3 'error killed' "$W/done.txt")"
grep -q "a non-daemon thread is still running: thread [0-9]* \"never-ends\"" "$W/done.txt" || fail "done: hang finding"
# the hang's message (the verdict's line) names the worker and its sender as the killed finding
# does (FRESH15: "from process N (python3)" there, "(gunicorn (python3))" in the finding)
grep -A1 "^verdict" "$W/done.txt" | grep -Eq "process $WPID \(gunicorn \(python3\)\) was still in its teardown .*; it was then killed by SIGKILL from process $GPID \(gunicorn \(python3\)\) [0-9.]+ s after its teardown began$" ||
	fail "done: the verdict's names: $(grep -A1 '^verdict' "$W/done.txt")"
! grep -q "it had not reaped the child" "$W/done.txt" || fail "done: the arbiter that reaped its worker said it had not"
# (the watchdog later than the graceful timeout: the SIGKILL comes before its first snapshot,
# and the killed finding's fix names the grace period with the value it ran with)
HANG_MS=10000 gstop early thread
[ $RC = 0 ] || fail "early: arbiter status $RC"
grep -A6 "error killed  process $WPID " "$W/early.txt" | grep -q "fix: .*set TLSTRACE_HANG_MS below the supervisor's grace period (gunicorn's --graceful-timeout (3 s in its command line)" ||
	fail "early: the killed finding's fix: $(grep -A6 "error killed  process $WPID " "$W/early.txt" | grep 'fix:')"
exit 0

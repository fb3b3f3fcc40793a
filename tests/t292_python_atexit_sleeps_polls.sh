#!/bin/bash
# t292: python3's own Py_FinalizeEx (not interposable: an internal call of /usr/bin/python3)
# blocked in an atexit callback that waits in a loop that never ends, in each of: time.sleep
# (clock_nanosleep), select.select (select), select.poll (poll), selectors (epoll_wait),
# Event.wait(timeout), Lock.acquire(timeout=...) and Thread.join(timeout) (sem_clockwait)
# (issue 15, PY9; tests/src/py_blocks_in_teardown.py). shim/sleeps.c sees the main thread's first
# such call with Py_FinalizeEx on its stack and starts the hang watchdog (hang_arm py_fin_stack);
# with TLSTRACE_HANG_MS=300 its three snapshots come, and the process is SIGKILLed once they are
# in the trace. The report: a hang finding in Py_FinalizeEx naming the atexit callback
# (flush_metrics, its file:line), where it waits (its innermost frame) and on what, in Python's terms,
# and the fix (a bound; atexit runs after the non-daemon threads' join); a wait on a Python lock
# the shim names (Event.wait, Lock.acquire: a threading.Lock; Thread.join: the joined thread) gets
# that lock's rule (an Event's: a notify that has not come, t404). Before: no hang_arm, no snapshot, "unfinished" only (only a sem_wait with no
# timeout was seen).
. "$(dirname "$0")/lib.sh"
H=300
for k in sleep select poll epoll event lock join; do
	py_teardown_block_run $k atexit
	py_teardown_block_checks $k atexit
	f=$W/$k-atexit.txt
	grep -q "File \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in flush_metrics" "$f" || fail "$k: no frame of the callback"
	case $k in
	sleep) how='asleep in clock_nanosleep (time.sleep)' ;;
	select) how='polling in select (select.select)' ;;
	poll) how='polling in poll (select.poll)' ;;
	epoll) how='polling in epoll_wait (select.epoll, selectors)' ;;
	event) # threading's Condition.wait (an Event's): a notify that does not come, in an atexit
		# callback (named); before (t404): "waits on a threading.Lock ... has no owner"
		grep -q "root cause: the atexit callback py_blocks_in_teardown.flush_metrics (py_blocks_in_teardown.py:[0-9]*), via py_blocks_in_teardown.one_wait.<locals>.<lambda> (py_blocks_in_teardown.py:[0-9]*), on thread [0-9]* (python3), waits in threading's Condition.wait .*: the wait is for a notify that has not come; Python runs the atexit callbacks after it joined the non-daemon threads" "$f" ||
			fail "$k: root cause: $(grep -A4 'error hang' "$f")"
		grep -q "fix: *a shutdown callback must not wait for other threads' work without a bound: give the wait a deadline" "$f" || fail "$k: fix: $(grep -A5 'error hang' "$f" | grep fix:)"
		continue ;;
	lock) # a Python lock the shim names (hang_pylock): its rule, no owner to name
		grep -q "root cause: the thread that began the teardown, thread [0-9]* (python3), at \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in one_wait\.<locals>\.<lambda>, waits on a threading.Lock" "$f" ||
			fail "$k: root cause: $(grep -A4 'error hang' "$f")"
		continue ;;
	join) # the joined thread named (hang_pylock)
		# (3.14 names the thread as the OS does: (Thread-1 (wait)), unquoted)
		# (the callback that joins named: an atexit callback's join of a daemon thread, t312)
		grep -q "root cause: an atexit callback (\"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in flush_metrics) joins thread [0-9]* [^,]*Thread-1 (wait)" "$f" || fail "$k: root cause: $(grep -A4 'error hang' "$f")"
		continue ;;
	esac
	grep -q "root cause: an atexit callback (\"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in flush_metrics) does not return: thread [0-9]* (python3), at \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in one_wait\.<locals>\.<lambda>, $how" "$f" ||
		fail "$k: root cause: $(grep -A4 'error hang' "$f")"
	grep -q "fix: *an atexit callback that waits must have a bound" "$f" || fail "$k: fix: $(grep -A5 'error hang' "$f" | grep fix:)"
done
exit 0

#!/bin/bash
# t293: python3's own Py_FinalizeEx blocked inside threading._shutdown (issue 15, PY9): a
# callback registered with threading._register_atexit (run by _shutdown before it joins the
# non-daemon threads) waiting in a loop of time.sleep, select.select, Event.wait(timeout) or
# Lock.acquire(timeout=...): the watchdog starts at the main thread's first such call
# (shim/sleeps.c), and the hang is named as that callback (a wait on a Python lock the shim names:
# that lock's rule), not as a join of a non-daemon thread
# (there is none); before: no hang_arm and no snapshot. And the join itself: a non-daemon thread
# that sleeps or waits with a timeout in a loop, joined by _shutdown (a sem_wait with no
# timeout, seen before this change too): the root cause is still the join of that thread, named
# by its Python frame. Killed by pid once the three snapshots are in the trace. The hang
# finding's phase names the part of Py_FinalizeEx: a threading._register_atexit callback, or
# joining the non-daemon threads (PYDEL13).
. "$(dirname "$0")/lib.sh"
H=300
for k in sleep select event lock; do
	py_teardown_block_run $k thread_atexit
	py_teardown_block_checks $k thread_atexit
	f=$W/$k-thread_atexit.txt
	! grep -q "a non-daemon thread is still running" "$f" || fail "$k: blamed on a non-daemon thread"
	# the hang finding's phase: the part of Py_FinalizeEx the traceback shows (PYDEL13)
	grep -A2 "error hang" "$f" | grep -q "^    phase: *Py_FinalizeEx (threading shutdown, Python atexit callbacks) > a threading._register_atexit callback (threading._shutdown, before its join)$" ||
		fail "$k: phase: $(grep -A2 'error hang' "$f")"
	if [ $k = event ]; then # threading's Condition.wait: a notify that has not come (t404)
		grep -q "root cause: the threading._register_atexit callback py_blocks_in_teardown.flush_metrics (py_blocks_in_teardown.py:[0-9]*), via py_blocks_in_teardown.one_wait.<locals>.<lambda> (py_blocks_in_teardown.py:[0-9]*), on thread [0-9]* (python3), waits in threading's Condition.wait .*: the wait is for a notify that has not come; threading._shutdown runs such callbacks before it joins the non-daemon threads" "$f" ||
			fail "$k: root cause: $(grep -A4 'error hang' "$f")"
		continue
	fi
	if [ $k = lock ]; then # a Python lock the shim names (hang_pylock): its rule
		grep -q "root cause: the thread that began the teardown, thread [0-9]* (python3), at \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in one_wait\.<locals>\.<lambda>, waits on a threading.Lock" "$f" ||
			fail "$k: root cause: $(grep -A4 'error hang' "$f")"
		continue
	fi
	grep -q "root cause: a threading._register_atexit callback (\"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in flush_metrics) does not return: thread [0-9]* (python3), at \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in one_wait\.<locals>\.<lambda>" "$f" ||
		fail "$k: root cause: $(grep -A4 'error hang' "$f")"
	grep -q "fix: *a callback registered with threading._register_atexit must return promptly" "$f" ||
		fail "$k: fix: $(grep -A5 'error hang' "$f" | grep fix:)"
done
for k in sleep event; do
	py_teardown_block_run $k nondaemon
	[ $RC = 137 ] || fail "$k nondaemon: status $RC"
	f=$W/$k-nondaemon.txt
	grep -q "root cause: Python joins every non-daemon thread (threading._shutdown, in Py_FinalizeEx) before it runs the atexit callbacks; a non-daemon thread is still running: thread [0-9]* [^,]*, at \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in one_wait\.<locals>\.<lambda>" "$f" ||
		fail "$k nondaemon: root cause: $(grep -A4 'error hang' "$f")"
	grep -A2 "error hang" "$f" | grep -q "^    phase: *Py_FinalizeEx (threading shutdown, Python atexit callbacks) > joining the non-daemon threads (threading._shutdown)$" ||
		fail "$k nondaemon: phase: $(grep -A2 'error hang' "$f")"
done
exit 0

#!/bin/bash
# t318: python3's own Py_FinalizeEx blocked in an atexit callback that waits for a signal, a file
# lock or a child that never comes: signal.pause, signal.sigwaitinfo (SIGUSR1 blocked and never
# sent), fcntl.flock (LOCK_EX on a file another open file description of the process holds),
# fcntl.lockf (LOCK_EX: fcntl64 F_SETLKW, on a file a child holds), os.waitpid of a child that
# never ends (its wait_begin line's rule: the child, after the callback) (issue 15, PY10; tests/src/py_blocks_in_call.py). shim/reads.c (pause, flock,
# fcntl), signals.c (sigtimedwait, the wait family) see the main thread's call with Py_FinalizeEx
# on its stack and start the hang watchdog (hang_arm py_fin_stack); the report names the atexit
# callback, the waiting frame, the call in Python's terms, and the fix. Before: no hang_arm, no
# snapshot.
. "$(dirname "$0")/lib.sh"
H=300
for k in pause sigwaitinfo flock lockf waitpid; do
	case $k in
	pause) HOW='waiting for a signal in pause (signal.pause)' ;;
	sigwaitinfo) HOW='waiting for a signal in rt_sigtimedwait (signal.sigwaitinfo, sigtimedwait, sigwait)' ;;
	flock) HOW='waiting for a file lock in flock (fcntl.flock)' ;;
	lockf) HOW='waiting for a file lock in fcntl (fcntl.lockf, fcntl.fcntl F_SETLKW)' ;;
	waitpid) # the wait's own rule (diag_wait: the child's fate), the callback named first
		HOW='waiting in waitpid for its child [0-9]* (python3) for [0-9.]* s, which has no end in its trace'
		FIX='find why the child does not end' py_call_block $k
		continue ;;
	esac
	py_call_block $k
done
exit 0

#!/bin/bash
# t318: python3's own Py_FinalizeEx blocked in an atexit callback that waits for a signal, a file
# lock or a child that never comes: signal.pause, signal.sigwaitinfo (SIGUSR1 blocked and never
# sent), fcntl.flock (LOCK_EX on a file another open file description of the process holds),
# fcntl.lockf (LOCK_EX: fcntl64 F_SETLKW, on a file a child holds), os.waitpid of a child that
# never ends (its wait_begin line's rule: the child, after the callback) (issue 15, PY10; tests/src/py_blocks_in_call.py). shim/reads.c (pause, flock,
# fcntl), signals.c (sigtimedwait, the wait family) see the main thread's call with Py_FinalizeEx
# on its stack and start the hang watchdog (hang_arm py_fin_stack); the report names the atexit
# callback, the waiting frame, the call in Python's terms, and the fix. Before: no hang_arm, no
# snapshot. The file locks' waits name the file and the lock's holder (hang_filelock, HANG15).
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
# the file lock's file and holder (HANG15: hang_filelock, from /proc/locks; before, the wait only):
# flock's, another open file description of the process itself; lockf's, the child
grep -q "waiting for a file lock in flock (fcntl.flock) on $W/[^ ,]*, held by this process itself (an flock lock belongs to the open file, not the process" "$W/flock.txt" ||
	fail "flock: the lock's holder: $(grep 'root cause: an atexit' "$W/flock.txt")"
child=$(sed -n 's/^child \([0-9]*\)$/\1/p' "$W/lockf.out")
grep -q "waiting for a file lock in fcntl (fcntl.lockf, fcntl.fcntl F_SETLKW) on $W/[^ ,]*, held by process $child (python3)" "$W/lockf.txt" ||
	fail "lockf: the lock's holder (child $child): $(grep 'root cause: an atexit' "$W/lockf.txt")"
$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
l = [t.get("file_lock") for f in d["findings"] if f["kind"] == "hang" for t in f["threads"] if t.get("file_lock")]
sys.exit(not l or l[0]["call"] != "fcntl" or l[0]["holder_pid"] != int(sys.argv[2]))' "$W/lockf.json" "$child" ||
	fail "lockf: JSON file_lock"

# A SIGTERM whose Python handler runs while the callback waits (the handler only prints): the call
# returns EINTR to Python, which runs the handler and makes the call again (PEP 475; signal.pause
# returns instead, and the callback with it): the same outcome without and with the shim. Sent
# once the main thread blocks in the call (/proc: read 0, recvfrom 45, pause 34, flock 73); then
# either the process ends or it blocks in the call again.
outcome() { # outcome KIND PLAIN|SHIM NR: "ended STATUS" or "waits again", and the output
	local n=$1-$2 pid
	if [ $2 = shim ]; then
		TMPDIR=$W TLSTRACE_HANG_MS=60000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace $PY "$ROOT/tests/src/py_blocks_in_call.py" $1 handler >"$W/$n.out" 2>&1 &
	else
		TMPDIR=$W $PY "$ROOT/tests/src/py_blocks_in_call.py" $1 handler >"$W/$n.out" 2>&1 &
	fi
	pid=$!
	# (after "ready": python3's start reads its files too)
	wait_for $pid 30 "$n's ready" has_lines "$W/$n.out" 1 '^ready$'
	wait_for $pid 30 "$n blocked in its call" in_syscall $pid $3
	kill -TERM $pid
	wait_for $pid 30 "$n's handler" has_lines "$W/$n.out" 1 '^handled 15$'
	wait_for $pid 30 "$n's end or its next call" in_syscall $pid $3
	if running $pid; then
		echo "waits again" >>"$W/$n.out"
		kill -KILL $pid
		wait $pid
	else
		wait $pid
		echo "ended $?" >>"$W/$n.out"
	fi
}
for kn in read:0 recv:45 pause:34 flock:73; do
	k=${kn%:*}
	outcome $k plain ${kn#*:}
	outcome $k shim ${kn#*:}
	diff "$W/$k-plain.out" "$W/$k-shim.out" || fail "$k: a SIGTERM handled during the call: another outcome under the shim"
	note "$k, SIGTERM handled: $(tail -1 "$W/$k-plain.out")"
done
grep -q " hang_arm py_fin_stack 60000$" "$W/read-shim.trace" || fail "read-shim: the call did not begin the teardown"
exit 0

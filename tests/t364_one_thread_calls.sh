#!/bin/bash
# t364: calls Linux refuses in a process of more than one thread, made by a single-threaded
# program in its teardown (issue 14: the hang watchdog's thread must not make them fail, nor be
# counted). An atexit handler's unshare(CLONE_NEWUSER), the same through syscall(SYS_unshare),
# and setns into its own mount namespace: with the shim they succeed as without (before
# namespaces.c: EINVAL). The handler still counts the watchdog's thread (/proc/self/stat) before
# the call: documented (docs/design.md), and checked here so that a change of it is seen.
# A handler that goes on after its unshare still gets the watchdog's snapshots (its thread is
# made again after the call, from the same start). Python (3.12+ warns at os.fork when
# /proc/self/stat counts another thread; 3.11 does not, but counts alike): an atexit callback
# that forks after the watchdog began (threading._shutdown joined a thread) counts one thread
# right after the fork, as without the shim, and the snapshots go on after it (the thread made
# again at its next wait). t322 runs the Python part on 3.13 and 3.14, where the warning is.
. "$(dirname "$0")/lib.sh"
build one_thread_calls one_thread_calls.c
# (in a chroot, as t322 runs this, Linux refuses a new user namespace: EPERM, create_user_ns)
if [ "${TEST_INSTALLED:-0}" = 1 ] && ! unshare -U true 2>/dev/null; then
	note "no user namespace in this chroot: the C part is not run"
else
	for m in unshare rawunshare setns; do
		plain_and_traced $m "$BIN/one_thread_calls" $m
		[ $PLAIN_RC = 0 ] || fail "$m: status $PLAIN_RC without the shim"
		grep -q "^$m: ok$" "$W/$m.out" || fail "$m: $(cat "$W/$m.out") (without: $(cat "$W/$m.plain.out"))"
		expect_line $m ' - hang_arm main_return '
	done
	# the watchdog goes on after the call: snapshots at 200 and 400 ms of an 800 ms teardown
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/sleep.trace TLSTRACE_HANG_MS=200 "$BIN/one_thread_calls" sleep 800 count >"$W/sleep.out" 2>&1 ||
		fail "sleep: status $?"
	grep -q "^sleep: ok$" "$W/sleep.out" || fail "sleep: $(cat "$W/sleep.out")"
	grep -q "^threads before: 2$" "$W/sleep.out" || fail "sleep: the watchdog's thread not counted as documented: $(cat "$W/sleep.out")"
	for r in 1 2; do
		grep -Eq " - hang $r [0-9]+ main_return " "$W/sleep.trace" || fail "no snapshot $r after the unshare: $(grep ' hang' "$W/sleep.trace")"
	done
	[ "$(grep -c ' - hang_arm ' "$W/sleep.trace")" = 1 ] || fail "hang_arm more than once: $(grep ' hang_arm ' "$W/sleep.trace")"
fi

cat >"$W/fork_cb.py" <<'X'
import atexit, os, threading, time
def count():
    with open("/proc/self/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[17])
def cb():
    # (threading._shutdown's join returns before the joined thread's task has ended)
    for _ in range(1000):
        if not os.path.exists("/proc/self/task/%d" % t.native_id):
            break
        time.sleep(0.01)
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    n = count()
    os.waitpid(pid, 0)
    print("threads after the fork:", n, flush=True)
    time.sleep(0.8)
atexit.register(cb)
t = threading.Thread(target=time.sleep, args=(0.1,))
t.start()
X
export TLSTRACE_HANG_MS=200
plain_and_traced fork_cb $PY "$W/fork_cb.py"
grep -q "^threads after the fork: 1$" "$W/fork_cb.out" || fail "fork_cb: $(cat "$W/fork_cb.out")"
[ -s "$W/fork_cb.err" ] && fail "fork_cb wrote to stderr: $(cat "$W/fork_cb.err")"
grep -Eq " A hang_arm py_fin_stack " "$W/fork_cb.trace" || fail "fork_cb: no hang_arm py_fin_stack"
grep -Eq " A hang 2 [0-9]+ py_fin_stack " "$W/fork_cb.trace" || fail "fork_cb: no snapshot 2 after the fork: $(grep ' hang' "$W/fork_cb.trace")"
exit 0

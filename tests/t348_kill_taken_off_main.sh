#!/bin/bash
# t348: the snapshot at a kill names the Python code of the thread that took the signal, and calls
# it an atexit callback only on the main thread (FRESH11: in h1, timeout's second SIGTERM, to the
# group, was taken by the poller thread in 2 runs of 3, and the verdict said "killed in the atexit
# callback repro.background": the poller's own target, while the main thread joined it in
# threading._shutdown, before any callback). Here the main thread blocks SIGTERM before its end,
# so the non-daemon poller takes it; and a daemon thread's pthread_kill of the main thread in an
# atexit callback (the finding's line is the sender's: its thread was taken for the taker's).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >offmain.py <<'PY'
import signal, threading, time
started = threading.Event()
def background():
    started.set()
    while True:
        time.sleep(0.05)
threading.Thread(target=background, name="poller").start()
started.wait()
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
print("ready", flush=True)
PY
cat >ptk.py <<'PY'
import atexit, signal, threading, time
main_id = threading.get_ident()
started = threading.Event()
def drain():
    started.set()
    time.sleep(30)
def stopper():
    started.wait()
    time.sleep(0.3)
    signal.pthread_kill(main_id, signal.SIGTERM)
atexit.register(drain)
threading.Thread(target=stopper, daemon=True).start()
PY
rm -f offmain.trace
TLSTRACE_HANG_MS=5000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/offmain.trace $PY offmain.py >offmain.out 2>&1 &
pid=$!
wait_for $pid 30 "ready" has_lines offmain.out 1 '^ready$' || fail "offmain: $(cat offmain.out)"
# the SIGTERM once the main thread's teardown is in the trace (its join of the poller armed the
# watchdog), not at a fixed 0.3 s after "ready": a kill before it finds no teardown step ("it may
# have begun"); the poller is in background() before "ready" (started)
wait_for $pid 30 "offmain's teardown (its join of the poller)" has_lines offmain.trace 1 ' hang_arm py_fin_stack ' ||
	fail "offmain: ended: $(cat offmain.out)"
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 143 ] || fail "offmain: status $rc"
"$REPORT" --color=never offmain.trace >offmain.txt 2>&1
m=$(grep -m1 '^    process [0-9]* (python3) was killed by SIGTERM' offmain.txt)
echo "$m" | grep -q "killed in the Python code offmain.background (offmain.py:[0-9]*) on thread [0-9]* (not the main thread, which ran the teardown)" ||
	fail "offmain: $m"
! grep -q "atexit callback offmain.background" offmain.txt || fail "offmain: the poller's code called an atexit callback"

rm -f ptk.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ptk.trace timeout 30 $PY ptk.py >ptk.out 2>&1
rc=$?
[ $rc = 143 ] || fail "ptk: status $rc: $(cat ptk.out)"
"$REPORT" --color=never ptk.trace >ptk.txt 2>&1
m=$(grep -m1 '^    process [0-9]* (python3) was killed by SIGTERM' ptk.txt)
echo "$m" | grep -q "killed in the atexit callback ptk.drain (ptk.py:6)" || fail "ptk: $m"
echo ok

#!/bin/bash
# t270: a Python SIGTERM handler that never returns, run from the eval loop (issue 15). A signal
# that arrives while bytecode runs (not while a call such as time.sleep waits) is handled at the
# eval loop's pending-call check, which reaches the handlers through _PyErr_CheckSignalsTstate's
# exported 17-byte entry and a jump into the part GCC split off it (`.cold`, in Debian's
# python3.11): the watcher must know that part (its FDE in .eh_frame) to see the handler running.
# Before, it took the handler for returned: no snapshot in 1 of 4 runs of a program that printed
# "ready" and then computed (always, for a busy loop). Three ways: sleeping, blocking on a lock,
# and computing for ever; and one where the signal cuts a sleep short (the inlined path).
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/pyh.py" <<'PYEOF'
import signal, sys, threading, time
mode = sys.argv[1]
lock = threading.Lock()
def on_term(sig, frame):
    if mode.endswith("lock"):
        lock.acquire()
    elif mode.endswith("spin"):
        while True:
            pass
    else:
        while True:
            time.sleep(3600)
lock.acquire()
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
if mode.startswith("busy"):
    while True:
        pass
while True:
    time.sleep(1)
PYEOF
for m in busy-sleep busy-lock busy-spin idle-sleep; do
	py_handler_run $m
	py_handler_hang_checks $m 'handler(_py)?' on_term
	grep -q ' sig_arrive 15 ' "$W/$m.trace" || fail "$m: no arrival line"
done
exit 0

#!/bin/bash
# t441: a standard-library function given to atexit.register itself is named as the Python
# callback of a hang or a kill at exit, module and qualified name, as a program's own function is
# (HANG16 2): a queue's bound join (atexit.register(q.join), an item never task_done()), killed by
# timeout's SIGTERM: "killed in the atexit callback queue.Queue.join (queue.py:N)" (before: "in code
# the trace does not name"); logging's own shutdown (registered by logging on import) waiting for
# a handler's RLock a daemon thread keeps: "Python callback: logging.shutdown
# (logging/__init__.py:N)" and the phase "> the Python atexit callbacks" (before: neither).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >qj.py <<'PY'
import atexit, queue
q = queue.Queue()
q.put(1)
atexit.register(q.join)
PY
cat >lg.py <<'PY'
import logging, sys, threading, time
h = logging.StreamHandler(sys.stderr)
logging.getLogger().addHandler(h)
held = threading.Event()
def hold():
    h.acquire()
    held.set()
    time.sleep(100)
threading.Thread(target=hold, name="holder", daemon=True).start()
held.wait()
PY
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/qj.trace timeout -s TERM 2 $PY qj.py
rc=$?; [ $rc = 124 ] || fail "qj: status $rc"
"$REPORT" --color=never qj.trace >qj.txt 2>&1
k=$(grep -A3 '^\[[0-9]*\] error killed' qj.txt)
echo "$k" | grep -Eq "killed in the atexit callback queue\.Queue\.join \(queue\.py:[0-9]+\), waiting on a threading\.Lock" || fail "qj killed: $k"
grep -Eq "^    Python callback: queue\.Queue\.join \(queue\.py:[0-9]+\)" qj.txt || fail "qj: no Python callback line"
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/lg.trace timeout -s KILL 1.5 $PY lg.py 2>lg.err
rc=$?; [ $rc = 137 ] || fail "lg: status $rc"
"$REPORT" --color=never lg.trace >lg.txt 2>&1
f=$(sed -n '/^\[[0-9]*\] error hang/,/^    threads:/p' lg.txt)
echo "$f" | grep -q "phase: .*Py_FinalizeEx (threading shutdown, Python atexit callbacks) > the Python atexit callbacks" || fail "lg phase: $f"
grep -Eq "^    Python callback: logging\.shutdown \(logging/__init__\.py:[0-9]+\)" lg.txt || fail "lg: no Python callback: $f"
echo ok

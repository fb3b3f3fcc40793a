#!/bin/bash
# t406: a kill Python code made is placed by its Python frames, not by CPython's os.kill
# ("python3+0x66b4fa", HANG14): the shim writes the thread's traceback after the kill line
# (kill_py lines), and the report names the innermost frame outside the standard library
# (Popen.terminate's send_signal is subprocess.py's: the caller's frame says who stopped it).
. "$(dirname "$0")/lib.sh"
cat >"$W/stopper.py" <<'PY'
import subprocess
child = subprocess.Popen(["sleep", "30"])
def stop(p):
    p.terminate()
stop(child)
child.wait()
PY
traced ks $PY "$W/stopper.py"
[ "$RC" = 0 ] || fail "status $RC"
grep -q " kill_py .*stopper.py\",%20line%204%20in%20stop$" "$W/ks.trace" || fail "no kill_py lines: $(grep ' kill' "$W/ks.trace")"
"$REPORT" --color=never "$W/ks.trace" >"$W/ks.txt" 2>&1
grep -Eq "kill\\(SIGTERM\\) to [0-9]+ from stopper.py:4 in stop \\(Python\\)$" "$W/ks.txt" || fail "timeline: $(grep 'kill(' "$W/ks.txt")"
# a kill by a thread that runs the standard library only (concurrent.futures' manager thread,
# after a worker died): the first frame out of the innermost's package, not multiprocessing's
# Popen._send_signal (FRESH14b)
cat >"$W/pool.py" <<'PY'
import concurrent.futures, os, signal
def work():
    os.kill(os.getpid(), signal.SIGKILL)
with concurrent.futures.ProcessPoolExecutor(2) as ex:
    try:
        ex.submit(work).result()
    except Exception as e:
        print("broken", type(e).__name__)
PY
traced pool timeout 60 $PY "$W/pool.py"
[ "$RC" = 0 ] || fail "pool: status $RC"
"$REPORT" --color=never "$W/pool.trace" >"$W/pool.txt" 2>&1
grep -Eq "kill\(SIGTERM\) to [0-9]+ from process.py:[0-9]+ in _ExecutorManagerThread.terminate_broken \(Python\)$" "$W/pool.txt" ||
	fail "pool: $(grep 'kill(' "$W/pool.txt")"
exit 0

#!/bin/bash
# t315: python3 under a seccomp filter inherited across exec (t314's seccomp_exec: "debug" kills
# process_vm_readv, "service" allows systemd 252's @system-service): an atexit callback that
# prints and exits 3, and one that hangs (the watchdog's snapshot, with the Python traceback,
# then SIGKILL). The same outcome with and without the shim. Before the fix (2026-12-01): under
# "debug" both died by SIGSYS with the shim, the shim's reads of the interpreter's memory
# (python.c py_peek: process_vm_readv, which on Python 3.13+ runs at the process's first event,
# on 3.11 at its end) killed by the filter before their fallback to a pipe could run. Now the
# shim reads /proc/self/status's Seccomp line first and reads through the pipe under a filter.
# Debian 12's python3 (3.11) here; t316 runs this case in the trixie (3.13) and sid (3.14) chroots.
. "$(dirname "$0")/lib.sh"
build seccomp_exec seccomp_exec.c
H=300
cat >"$W/exit3.py" <<'PYEOF'
import atexit, sys
atexit.register(lambda: print("atexit", flush=True))
sys.exit(3)
PYEOF
cat >"$W/hang.py" <<'PYEOF'
import atexit, time
def flush_metrics():
    print("ready", flush=True)
    time.sleep(100)
atexit.register(flush_metrics)
PYEOF
note "$($PY --version)"
for f in debug service; do
	n=$f-exit3
	seccomp_outcome $f $n $PY "$W/exit3.py"
	[ $PLAIN_RC = 3 ] || fail "$n: status $PLAIN_RC without the shim"
	grep -Eq " exit_done( |$)" "$W/$n.trace" || fail "$n: no exit_done"
	n=$f-hang
	seccomp_hung $f $n $PY "$W/hang.py"
	# the Python traceback of the snapshot: the callback asleep
	grep -q " hang_py .*flush_metrics" "$W/$n.trace" || fail "$n: no traceback: $(grep hang_py "$W/$n.trace" | head -5)"
done
echo ok

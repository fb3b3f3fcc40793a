#!/bin/bash
# t239: the handler watcher made at a termination signal's arrival at Python's C-level handler
# lives up to TLSTRACE_HANG_MS after it; a program that survives the signal and forks meanwhile
# must not see it: Python 3.12+ counts the process's threads at os.fork (/proc/self/stat) and
# warns of a fork with threads. The shim's fork ends such a watcher first (watchdog.c,
# watchdog_before_fork). The program handles SIGTERM (returns), forks at once, and prints the
# number of threads /proc/self/stat gives in the parent after the fork and in the child: 1 and
# 1, as without the shim. (Before: 2 in the parent.)
. "$(dirname "$0")/lib.sh"
cat >"$W/pyfork.py" <<'PYEOF'
import os, signal
got = []
signal.signal(signal.SIGTERM, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGTERM)
while not got:
    signal.pause()
def threads():
    with open("/proc/self/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[17]
pid = os.fork()
if pid == 0:
    print("child threads", threads(), flush=True)
    os._exit(0)
n = threads()
os.waitpid(pid, 0)
print("parent threads", n, flush=True)
print("handled", got, flush=True)
PYEOF
TLSTRACE_HANG_MS=2000 plain_and_traced pyfork $PY "$W/pyfork.py"
[ $RC = 0 ] || fail "status $RC"
grep -q "^parent threads 1$" "$W/pyfork.out" || fail "the parent saw: $(cat "$W/pyfork.out")"
grep -q "^child threads 1$" "$W/pyfork.out" || fail "the child saw: $(cat "$W/pyfork.out")"
exit 0

#!/bin/bash
# t346: a traced parent SIGKILLs its fork child, which exec'd a program without the shim (the
# child's trace is its `forked` line alone: the shim does not wrap execve, and the new program
# writes nothing). The killed finding must not say the child was killed "before its teardown
# began" (the trace cannot tell: ATK11's `kills term_kill parent`, whose child was in its
# teardown): it says nothing of it was traced after its fork, and both readings.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >parent.py <<'PY'
import os, signal, sys, time
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.dup2(w, 1)
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    os.execve("/bin/sh", ["sh", "-c", "echo ready; exec sleep 60"], env)
os.close(w)
os.read(r, 6)
os.kill(pid, signal.SIGKILL)
print("child:", os.waitpid(pid, 0)[1])
PY
rm -f "$W/k.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/k.trace timeout 30 $PY parent.py >k.out 2>k.err
[ $? = 0 ] && grep -qx "child: 9" k.out || fail "parent: $(cat k.out k.err)"
"$REPORT" --color=never "$W/k.trace" >k.txt 2>&1
# (no finding since FIX13a: SIGKILL alone from the parent that reaped it is a stop, as SIGTERM is;
# the header hedges the same way the finding did)
! grep -q "killed  process" k.txt || fail "a killed finding: $(grep -A2 'killed  process' k.txt)"
f=$(grep '^process [0-9]* python3 (forked from' k.txt)
echo "$f" | grep -q "killed by SIGKILL, sent by its parent [0-9]* (python3), which reaped it: a stop, with nothing of it traced after its fork (before any teardown of its own, or after an exec into a program the shim was not loaded in)" ||
	fail "the child's header: $(grep '^process' k.txt)"
echo ok

#!/bin/bash
# t442: a plain threading.Lock records no owner, so the shim names none (t298); the report infers a
# likely holder from the snapshot's tracebacks and the program's source (HANG16 3): the atexit
# callback waits at `with LOCK:` while thread "flusher" has a frame inside the body of a `with LOCK:`
# of the same file; thread "idle" is named by nobody. The root cause and the waiter's thread line
# name flusher as the likely holder and say it is inferred (before: "the snapshot cannot say who").
# (3.14 names the thread "(flusher)", its OS name.) Two threads inside `with self.lock:` of two instances of one class, the waiter at the same
# statement (atexit.register(sink.close)): ambiguous, no holder named.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >wl.py <<'PY'
import atexit, sys, threading, time
LOCK = threading.Lock()
started = threading.Event()
def flusher():
    with LOCK:
        started.set()
        time.sleep(100)
def idle():
    time.sleep(100)
with open(sys.argv[1], "w") as out:
    for f in (flusher, idle):
        t = threading.Thread(target=f, name=f.__name__, daemon=True)
        t.start()
        started.wait()
        out.write("%s %d\n" % (f.__name__, t.native_id))
@atexit.register
def final_flush():
    with LOCK:
        pass
PY
cat >two.py <<'PY'
import atexit, threading, time
class Sink:
    def __init__(self):
        self.lock = threading.Lock()
        self.held = threading.Event()
    def run(self):
        with self.lock:
            self.held.set()
            time.sleep(100)
    def close(self):
        with self.lock:
            pass
sinks = [Sink(), Sink()]
for s in sinks:
    threading.Thread(target=s.run, daemon=True).start()
    s.held.wait()
atexit.register(sinks[0].close)
PY
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/wl.trace timeout -s KILL 1.5 $PY wl.py tids 2>wl.err
rc=$?; [ $rc = 137 ] || fail "wl: status $rc: $(cat wl.err)"
"$REPORT" --color=never wl.trace >wl.txt 2>&1
FLUSHER=$(awk '$1 == "flusher" { print $2 }' tids)
IDLE=$(awk '$1 == "idle" { print $2 }' tids)
[ -n "$FLUSHER" ] && [ -n "$IDLE" ] || fail "tids: $(cat tids)"
rc=$(grep -A3 '^\[[0-9]*\] error hang' wl.txt | grep 'root cause:')
echo "$rc" | grep -Eq "waits on a threading\.Lock 0x[0-9a-f]+ \(0x[0-9a-f]+\); a threading\.Lock has no owner, but the source names a likely holder: thread $FLUSHER (\"flusher\" \(python3\)|\(flusher\)), which is at \"$W/wl\.py\", line 7 in flusher \(inferred, not read: .* inside \`with LOCK:\` at line 5, and the waiting thread waits at line 18 " ||
	fail "wl root cause: $rc"
! echo "$rc" | grep -q "thread $IDLE" || fail "wl: idle named: $rc"
grep -Eq "waits on lock threading\.Lock 0x[0-9a-f]+ \(0x[0-9a-f]+\) held by whoever acquired it: likely thread $FLUSHER \(inferred, not read" wl.txt ||
	fail "wl thread line: $(grep 'waits on lock' wl.txt)"
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/two.trace timeout -s KILL 1.5 $PY two.py 2>two.err
rc=$?; [ $rc = 137 ] || fail "two: status $rc: $(cat two.err)"
"$REPORT" --color=never two.trace >two.txt 2>&1
grep -q "held by whoever acquired it (a threading.Lock has no owner: not known)" two.txt || fail "two: $(grep 'waits on lock' two.txt)"
! grep -q "likely holder\|likely thread" two.txt || fail "two: a holder named: $(grep -m1 'likely' two.txt)"
echo ok

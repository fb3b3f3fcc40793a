#!/bin/bash
# t483: a hang's finding and a stall's say where the signal that ended the wait came from in the
# same words (REPORT17 item 5: one helper, senders.c arrival_from_words): the sender by its
# program where it is traced ("SIGTERM from process N (kill) then interrupted the atexit
# callback"; the hang finding said "from process N" alone before), the terminal for a Ctrl-C
# (t379), gunicorn's arbiter for its SIGABRT (t419); a stall's as before (t426).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >callback.py <<'PY'
import atexit, signal, sys, threading, time
lock = threading.Lock()
held = threading.Event()
def hold():
    with lock:
        held.set()
        while True:
            time.sleep(0.1)
threading.Thread(target=hold, name="holder", daemon=True).start()
held.wait()
def on_term(signum, frame):
    sys.exit(5)
signal.signal(signal.SIGTERM, on_term)
def flush():
    with lock:
        pass
atexit.register(flush)
print("ready", flush=True)
PY
rm -f c.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/c.trace TLSTRACE_HANG_MS=300 $PY callback.py >c.out 2>&1 &
BG=$!
wait_for $BG 30 "a snapshot" has_lines c.trace 1 ' hang_end' || fail "ended: $(cat c.out)"
# (the sender traced, in the same trace: its program names it)
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/c.trace /bin/kill -TERM $BG || fail "kill"
wait $BG
$REPORT --color=never c.trace >c.txt 2>&1
f=$(grep -A1 "^\[[0-9]*\] [a-z]* hang " c.txt | grep '^    process')
echo "$f" | grep -Eq "; SIGTERM from process [0-9]+ \(kill\) then interrupted the atexit callback .*flush \(callback.py:[0-9]+\), [0-9.]+ m?s after the snapshot" ||
	{ cat c.txt; fail "the hang's end does not name the sender"; }
echo PASS

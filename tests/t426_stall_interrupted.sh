#!/bin/bash
# t426: a teardown that a termination signal interrupted before the hang watchdog's first
# snapshot, after which the process ended by itself (its handler took the signal): a warning
# `hang` finding that says how long the teardown had waited, what began it, who sent which
# signal and which handler ran, and that the fix is a lower TLSTRACE_HANG_MS. Before, no finding
# at all (FRESH16: `timeout -s INT 1.2 tlstrace -- python3 hang.py`, 0 findings). Cases: python3
# with an atexit callback that sleeps, SIGINT (CPython's default handler: KeyboardInterrupt); a C
# program whose atexit handler waits for its SIGTERM handler's flag; and a SIGTERM a moment after
# a teardown began (under 250 ms: no finding). Also: the timeline's step whose duration includes
# the start of the shim's hang watchdog thread says so, and its "teardown began" line is where the
# teardown began.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
H=60000
cat >py.py <<'PY'
import atexit, time
def wait_forever():
    print("ready", flush=True)
    while True:
        time.sleep(1)
atexit.register(wait_forever)
PY
cat >c.c <<'C'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }
static void drain(void) {
	printf("ready\n");
	fflush(stdout);
	while (!stop) { struct timespec ts = {0, 10000000}; nanosleep(&ts, NULL); }
}
int main(int argc, char **argv) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	atexit(drain);
	return 0;
}
C
gcc -O1 -g -o c c.c || fail "build"
run() { # NAME SIGNAL DELAY CMD...: SIGNAL DELAY s after "ready"; RC its status, the report in NAME.txt
	local n=$1 sig=$2 d=$3
	shift 3
	bg_ready "$n" "$@"
	sleep "$d"
	kill -"$sig" $PID
	wait $PID
	RC=$?
	"$REPORT" --color=never "$W/$n.trace" >"$n.txt" 2>&1
}
# (env: a background job of a shell without job control starts with SIGINT ignored, and CPython
# then keeps it so)
run py INT 0.5 env --default-signal=INT $PY py.py
[ $RC = 0 ] || fail "py: status $RC (CPython ends with 0 after a KeyboardInterrupt in an atexit callback)"
f=$(grep -A5 '^\[[0-9]*\] warning hang ' py.txt)
echo "$f" | grep -q "was still in its teardown [0-9.]* ms after it began (Py_FinalizeEx, seen at a blocking wait: joining the non-daemon threads or in an atexit callback) when SIGINT from process $$ (.*) arrived and ran CPython's handler (under Python's default SIGINT handler, a KeyboardInterrupt" ||
	fail "py: the message: $f"
echo "$f" | grep -q "the process then ended .* later with exit status 0. No snapshot: the hang watchdog's first comes at 60000 ms (TLSTRACE_HANG_MS)" || fail "py: the end: $f"
echo "$f" | grep -q "fix: *run it again with TLSTRACE_HANG_MS below [0-9.]* ms (e.g. TLSTRACE_HANG_MS=[0-9]*)" || fail "py: the fix: $f"
grep -q "^  1 process (python3): hang: " py.txt || fail "py: the verdict: $(sed -n 1,4p py.txt)"

run c TERM 0.5 ./c
[ $RC = 0 ] || fail "c: status $RC"
f=$(grep -A5 '^\[[0-9]*\] warning hang ' c.txt)
echo "$f" | grep -q "was still in its teardown [0-9.]* ms after it began (main returned) when SIGTERM from process $$ (.*) arrived and ran its handler, on_term in c; the process then ended" ||
	fail "c: the message: $f"
echo "$f" | grep -q "phase: *main returned 0 > atexit handler drain$" || fail "c: the phase: $f"
# the timeline's step that holds the start of the shim's watchdog thread says so (its duration
# includes it: FRESH16's static destructor of one printf at 3.380 ms)
grep -q "atexit handler drain (c)  \[[0-9.]* ms, with the start of the shim's hang watchdog thread\]" c.txt ||
	fail "c: the step's duration: $(grep 'atexit handler drain (c)' c.txt)"
# and its "teardown began" line comes where the teardown began, with that time, before the first
# step, where the messages' "after its teardown began" count from (FRESH16b P2)
grep -A1 "^ *+0.000 ms  [0-9]*  *main returned 0$" c.txt | tail -1 | grep -q "^ *+0.000 ms  [0-9]*  *teardown began (main returned): hang watchdog armed" ||
	fail "c: teardown began: $(sed -n '/^process/,/^$/p' c.txt)"

# a signal a moment after the teardown began says nothing of a wait
run quick TERM 0 ./c
[ $RC = 0 ] || fail "quick: status $RC"
grep -q "arrived from pid $$" quick.txt || { cat quick.txt; fail "quick: no arrival in the timeline"; }
! grep -q "warning hang" quick.txt || fail "quick: a stall finding for a signal $(grep -o 'teardown [0-9.]* ms' quick.txt) in: $(cat quick.txt)"
exit 0

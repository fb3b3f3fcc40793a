#!/bin/bash
# t379: Ctrl-C on a terminal (the kernel sends SIGINT to the foreground group, tests/lib/ctrlc.py
# types it on a pseudo-terminal) during a teardown that hangs. python3 joining a non-daemon thread
# in threading._shutdown (tests/src/py_qworker.py: its stop is an atexit callback, which runs
# after the join), and an atexit callback blocked on a threading.Lock a daemon thread holds: their
# hang findings say that SIGINT from the terminal interrupted the join / the callback and the
# process then ended, with the phase of the hang (Py_FinalizeEx's threading shutdown, its atexit
# callbacks), never "?" or the end's "main returned 0" (FRESH13 m2). A C atexit handler that loops, killed by Ctrl-C (its
# snapshot at the signal): its fix does not end with "give the process longer before the signal
# (the sender's timeout)": the kernel sent it (FRESH13 m3); nor, with the watchdog off, "why the
# sender did not give it longer". TLSTRACE_HANG_MS=300 (python3; Ctrl-C once one snapshot is
# complete), 60000 and 0 (C; Ctrl-C once its handler printed "ready").
. "$(dirname "$0")/lib.sh"
build atexit_spin atexit_spin.c -- -O1 -pthread
cat >"$W/callback.py" <<'PY'
import atexit, threading, time
lock = threading.Lock()
held = threading.Event()
def hold():
    with lock:
        held.set()
        while True:
            time.sleep(0.1)
threading.Thread(target=hold, name="holder", daemon=True).start()
held.wait()
def flush():
    with lock:
        pass
atexit.register(flush)
print("ready", flush=True)
PY
# ctrl_c NAME WHEN HANG_MS CMD...: CMD under the shim on a terminal, Ctrl-C at WHEN (ctrlc.py);
# its output and status in $W/NAME.out, the report in $W/NAME.txt
ctrl_c() {
	local n=$1 when=$2 ms=$3
	shift 3
	rm -f "$W/$n.trace"
	[ "$when" = ready ] || when=$when:$W/$n.trace
	$PY "$ROOT/tests/lib/ctrlc.py" "$when" env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace TLSTRACE_HANG_MS=$ms "$@" >"$W/$n.out" 2>&1 ||
		fail "$n: $(cat "$W/$n.out")"
	"$REPORT" --color=never "$W/$n.trace" >"$W/$n.txt" 2>&1
}
# hang_says NAME PHASE_ERE MESSAGE_ERE
hang_says() {
	local f
	f=$(grep -A3 "^\[[0-9]*\] [a-z]* hang " "$W/$1.txt")
	echo "$f" | grep '^    process' | grep -Eq -- "$3" || fail "$1: message: $(echo "$f" | grep '^    process')"
	echo "$f" | grep '^    phase:' | grep -Eq -- "^    phase: +$2$" || fail "$1: phase: $(echo "$f" | grep '^    phase:')"
	sed -n '/^verdict/,/^$/p' "$W/$1.txt" | grep ': hang: ' | grep -Eq -- "$3" || fail "$1: verdict: $(sed -n '/^verdict/,/^$/p' "$W/$1.txt")"
}
INT="SIGINT from the terminal \(Ctrl-C: the kernel sent it\) then interrupted"
END="and the process then ended with exit status [0-9]+$"
ctrl_c join snapshots:1 300 $PY "$ROOT/tests/src/py_qworker.py"
grep -q "status 0$" "$W/join.out" || fail "join: $(tail -3 "$W/join.out")"
hang_says join "Py_FinalizeEx \(threading shutdown, Python atexit callbacks\) > joining the non-daemon threads \(threading._shutdown\)" \
	"; $INT the join of thread [0-9]+ \(threading._shutdown's Thread.join\), [0-9.]+ m?s after the snapshot \(.*\), $END"
ctrl_c callback snapshots:1 300 $PY "$W/callback.py"
hang_says callback "Py_FinalizeEx \(threading shutdown, Python atexit callbacks\) > the Python atexit callbacks" \
	"; $INT the atexit callback .*flush \(callback.py:[0-9]+\), [0-9.]+ m?s after the snapshot \(.*\), $END"
! grep -q "phase: *?$" "$W/join.txt" "$W/callback.txt" || fail "a phase ?: $(grep 'phase: *?$' "$W/join.txt" "$W/callback.txt")"

ctrl_c spin ready 60000 "$BIN/atexit_spin"
grep -q "status -2$" "$W/spin.out" || fail "spin: $(tail -3 "$W/spin.out")"
fix=$(grep -A5 "^\[[0-9]*\] error killed " "$W/spin.txt" | grep '^    fix:')
echo "$fix" | grep -q "wait for it to end before interrupting it (the kernel sent the signal: a terminal's Ctrl-C" || fail "spin: fix: $fix"
! echo "$fix" | grep -q "the sender's timeout" || fail "spin: fix: $fix"
# the same with the watchdog off (no snapshot at the signal): the killed finding's own fix
ctrl_c spin0 ready 0 "$BIN/atexit_spin"
fix=$(grep -A5 "^\[[0-9]*\] error killed " "$W/spin0.txt" | grep '^    fix:')
echo "$fix" | grep -q "fix: *SIGINT came from the kernel (a terminal's Ctrl-C or Ctrl-\\\\) while its teardown (its phase) was under way: find what the teardown waited on there, or wait for it to end before interrupting it" ||
	fail "spin0: fix: $fix"
! echo "$fix" | grep -q "why the sender did not give it longer" || fail "spin0: fix: $fix"
exit 0

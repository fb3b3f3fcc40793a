#!/bin/bash
# t347: python3's own Py_FinalizeEx blocked after its atexit callbacks, in a __del__ method Python
# runs while the runtime finalizes (FIN11; ATK11's `pyhang del_subprocess`, REPORT.md item 3):
# tests/src/py_del_blocks.py subprocess (a module global's __del__ in Popen.wait for a child that
# never ends: the modules' teardown) and lock (a cycle's __del__ in Lock.acquire on a lock it
# holds: Py_FinalizeEx's garbage collection). Each runs under `timeout --preserve-status -k 5 2.5`,
# without and with the shim (TLSTRACE_HANG_MS=500): its status (143, death by timeout's SIGTERM)
# is the same. The trace: a hang_arm py_fin_late line (the main thread's first wait with the
# runtime finalizing began the teardown) and a complete snapshot. The report: a hang finding in
# Py_FinalizeEx's module teardown naming the __del__ by its class (co_qualname: the __del__ of Holder,
# PYDEL13), file:line, and its wait; the killed finding
# says when the teardown began; no line shows the token py_fin_late (t305). A busy machine that made no snapshot in 2.5 s gets a run of 10 s,
# then 30 s (no timing asserted). Before: no hang_arm, no hang finding ("with no teardown step in
# its trace ... it may have begun"). And spin (a __del__ looping with no call the shim sees): no
# watchdog, but the killed finding says it died during its teardown, past the atexit callbacks
# (its lines read F), in that phase; before: "with no teardown step in its trace".
# timeout: 300
. "$(dirname "$0")/lib.sh"
SRC=$ROOT/tests/src/py_del_blocks.py

# run KIND DUR [shim]: the program under timeout(1); RC its status. timeout leads a process group
# of its own (its pid): what is left of it (the Popen child) is killed by that group's id
run() {
	local n=$1 dur=$2 tp
	if [ -n "${3:-}" ]; then
		rm -f "$W/$n.trace"
		timeout --preserve-status -k 5 "$dur" env TLSTRACE_HANG_MS=500 TLSTRACE_FILE="$W/$n.trace" LD_PRELOAD="$SHIM" \
			$PY "$SRC" "$n" >"$W/$n.out" 2>"$W/$n.err" &
	else
		timeout --preserve-status -k 5 "$dur" $PY "$SRC" "$n" >"$W/$n.plain.out" 2>"$W/$n.plain.err" &
	fi
	tp=$!
	wait $tp
	RC=$?
	kill -KILL -- -$tp 2>/dev/null
}

for k in subprocess lock; do
	run $k 2.5
	PLAIN_RC=$RC
	[ $PLAIN_RC = 143 ] || fail "$k: without the shim: status $PLAIN_RC (not SIGTERM's 143): $(cat "$W/$k.plain.err")"
	for dur in 2.5 10 30; do
		run $k $dur shim
		grep -q " hang_arm py_fin_late 500$" "$W/$k.trace" ||
			{ grep -v " mod " "$W/$k.trace" | tail -20; fail "$k: no hang_arm py_fin_late (the __del__'s wait did not begin the teardown)"; }
		grep -q " hang_end 1$" "$W/$k.trace" && break
		note "$k: no complete snapshot in $dur s (a busy machine): again, longer"
	done
	TRACED_RC=$RC
	same_outcome $k
	"$REPORT" --color=never "$W/$k.trace" >"$W/$k.txt" 2>&1
	"$REPORT" --json "$W/$k.trace" >"$W/$k.json" 2>/dev/null
	grep -Eq "^\\[[0-9]+\\] error hang " "$W/$k.txt" || { cat "$W/$k.txt"; fail "$k: no hang finding"; }
	hang=$(grep -A5 "error hang" "$W/$k.txt")
	grep -q "still in its teardown [0-9.]* s after it began (Py_FinalizeEx's module teardown, thread [0-9]*), inside the __del__ of Holder, py_del_blocks.Holder.__del__ (py_del_blocks.py:[0-9]*)" <<<"$hang" ||
		fail "$k: hang message: $hang"
	grep -q "^    phase: *Py_FinalizeEx (module teardown and garbage collection, after the atexit callbacks)$" <<<"$hang" ||
		fail "$k: phase: $hang"
	case $k in
	subprocess) wait='thread [0-9]* is waiting in waitpid for its child [0-9]* (sleep) for [0-9.]* s' ;;
	lock) wait='thread [0-9]* (python3), at "[^"]*py_del_blocks.py", line [0-9]* in Holder.__del__, waits on a threading.Lock .*, and it is the process.s only thread: the lock was acquired earlier by this thread' ;;
	esac
	grep -q "root cause: the __del__ of Holder, py_del_blocks.Holder.__del__ (py_del_blocks.py:[0-9]*), does not return: Python ran it in Py_FinalizeEx after the atexit callbacks.*; .*$wait" <<<"$hang" ||
		fail "$k: root cause: $hang"
	grep -q "fix: *a __del__ method must not block or loop" <<<"$hang" || fail "$k: fix: $hang"
	! grep -qw py_fin_late "$W/$k.txt" || fail "$k: the trace's token shown: $(grep -w py_fin_late "$W/$k.txt")"
	grep -q "killed by SIGTERM, sent by process [0-9]* (timeout, not traced; uid [0-9]*), taken by thread [0-9]* with the default action, [0-9.]* m\?s after its teardown began (python3's own Py_FinalizeEx, in its module teardown after the atexit callbacks, seen at its first blocking wait there: it began before)" "$W/$k.txt" ||
		fail "$k: killed: $(grep -m1 -A1 'error killed' "$W/$k.txt")"
	$PY - "$W/$k.json" <<'PYEOF' || fail "$k: JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"]
assert len(hang) == 1, [f["kind"] for f in doc["findings"]]
assert hang[0]["phase"].startswith("Py_FinalizeEx (module teardown"), hang[0]["phase"]
assert "__del__" in hang[0]["root_cause"], hang[0]["root_cause"]
PYEOF
	[ $k = subprocess ] || continue
	# the snapshot at the kill of the thread in Popen.wait: a child wait is named by its call and
	# child, not "waiting on child held by thread N" (FRESH12); and where that snapshot saw the
	# thread running, its wait (open in the trace) is not said to go on (FRESH11: "was waiting
	# in waitpid ..." beside "running (no system call)"): the run's own trace with its taker's
	# line made R, as when wait4 had just returned as the signal came
	m=$(grep -m1 -A1 "^\\[[0-9]*\\] error killed" "$W/$k.txt" | tail -1)
	! grep -q "waiting on child held by" <<<"$m" || fail "$k: killed: $m"
	if grep -q " kill_snap " "$W/$k.trace"; then
		awk '$5 == "kill_snap" { snap = 1; tid = $9 } snap && $5 == "hang_thread" && $6 == tid { $7 = "R"; $9 = "-"; $10 = "running"; $11 = "-"; $12 = "-"; $13 = "-"; snap = 0 } { print }' \
			"$W/$k.trace" >"$W/$k.R.trace"
		"$REPORT" --color=never "$W/$k.R.trace" >"$W/$k.R.txt" 2>&1
		m=$(grep -m1 -A1 "^\\[[0-9]*\\] error killed" "$W/$k.R.txt" | tail -1)
		grep -q "killed in the Python code py_del_blocks.Holder.__del__ (py_del_blocks.py:[0-9]*) (after the atexit callbacks), running (no system call): its waitpid for its child, open in the trace, was not in the kernel then (it had returned, or was between two tries)" <<<"$m" ||
			fail "$k: killed, the taker running: $m"
	fi
done
# the spin: one run of 2.5 s (its claims need no snapshot)
run spin 2.5
PLAIN_RC=$RC
run spin 2.5 shim
TRACED_RC=$RC
[ $PLAIN_RC = 143 ] || fail "spin: without the shim: status $PLAIN_RC"
same_outcome spin
"$REPORT" --color=never "$W/spin.trace" >"$W/spin.txt" 2>&1
killed=$(grep -A2 "error killed" "$W/spin.txt")
grep -q "with the default action, during its teardown (python3's own Py_FinalizeEx had gone past its atexit callbacks" <<<"$killed" ||
	fail "spin: killed: $killed"
grep -q "^    phase: *Py_FinalizeEx (module teardown and garbage collection, after the atexit callbacks)$" <<<"$killed" ||
	fail "spin: phase: $killed"
exit 0

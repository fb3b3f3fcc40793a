#!/bin/bash
# t336: python3 (3.11) killed by SIGTERM while an atexit callback spins in pure Python (issue 15,
# SPIN11): the callback calls nothing the shim interposes, so no watchdog starts; the shim's
# handler of the default action sees python3's own Py_FinalizeEx on the interrupted stack and
# writes a snapshot of every thread (kill_snap ... kill_snap_end) before the signal takes its
# course. The process dies of SIGTERM (143) and prints the same with the shim as without it; the
# report's killed finding names the callback and its line ("killed in the atexit callback
# spin_atexit.spin (spin_atexit.py:5)") and lists the threads. Before: "killed by SIGTERM ...
# during Py_FinalizeEx" with no callback and no threads. A SIGTERM before the teardown (main
# still running) writes no snapshot. An embedding host (tests/src/embed_run.c: Py_FinalizeEx through
# its PLT, which the shim interposes) killed in the same callback: the snapshot counts from its
# Py_Finalize (`kill_snap 15 MS py_fin`), the finding names the callback.
. "$(dirname "$0")/lib.sh"
cat >"$W/spin_atexit.py" <<'X'
import atexit, sys
def spin():
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
atexit.register(spin)
if sys.argv[1:] == ["early"]:
    print("ready", flush=True)
    while True:
        pass
X
ready_then_kill plain TERM "" $PY "$W/spin_atexit.py"
PLAIN_RC=$RC
ready_then_kill spin TERM "$SHIM" $PY "$W/spin_atexit.py"
[ $RC = 143 ] && [ $PLAIN_RC = 143 ] || fail "status $RC with the shim, $PLAIN_RC without (143: SIGTERM)"
cmp -s "$W/plain.out" "$W/spin.out" || fail "stdout differs: $(diff "$W/plain.out" "$W/spin.out")"
"$REPORT" --json "$W/spin.trace" >"$W/spin.json" 2>/dev/null
grep -Eq " A kill_snap 15 -1 py_fin_stack $PID$" "$W/spin.trace" || fail "no kill_snap line: $(grep -v ' mod ' "$W/spin.trace")"
grep -q " kill_snap_end 15$" "$W/spin.trace" || fail "no kill_snap_end line"
grep -Eq " hang_py $PID %20%20File%20\"[^ ]*/spin_atexit.py\",%20line%20[56]%20in%20spin$" "$W/spin.trace" ||
	fail "no traceback of spin in the snapshot: $(grep ' hang_py ' "$W/spin.trace")"
killed_message spin "killed by SIGTERM.*; killed in the atexit callback spin_atexit\.spin \(spin_atexit\.py:[56]\), running \(no system call\) \(the snapshot at the signal: 1 thread\)"
grep -Eq "^      thread $PID \(python3\).* state R" "$W/spin.txt" || fail "threads: $(sed -n '/threads:/,$p' "$W/spin.txt")"
grep -Eq "File \"[^\"]*/spin_atexit.py\", line [56] in spin" "$W/spin.txt" || fail "no Python frame in the threads"
grep -q "unfinished" "$W/spin.txt" && fail "an unfinished finding: $(grep unfinished "$W/spin.txt")"
# the arrival's time counts from the line that found Py_FinalizeEx under way, not "the start of
# its teardown", which the verdict says is not in the trace (FRESH11)
grep -q "root cause: .*(times from the first line that found python3's Py_FinalizeEx under way; its start is not in the trace)" "$W/spin.txt" ||
	fail "the times' origin: $(grep -m1 'root cause' "$W/spin.txt")"
grep -q '"threads"' "$W/spin.json" || fail "no threads in the JSON"
# before the teardown: no snapshot
ready_then_kill early TERM "$SHIM" $PY "$W/spin_atexit.py" early
[ $RC = 143 ] || fail "early: status $RC"
! grep -q " kill_snap " "$W/early.trace" || fail "early: a snapshot outside the teardown: $(grep kill_snap "$W/early.trace")"
# an embedding host: Py_FinalizeEx interposed
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
build embed_run embed_run.c -- -I"$inc" -l"$($PY -c 'import sysconfig; print("python" + sysconfig.get_config_var("LDVERSION"))')"
ready_then_kill embed TERM "$SHIM" "$BIN/embed_run" "$(cat "$W/spin_atexit.py")"
[ $RC = 143 ] || fail "embed: status $RC"
grep -Eq " A kill_snap 15 [0-9]+ py_fin $PID$" "$W/embed.trace" || fail "embed: no kill_snap line: $(grep -v ' mod ' "$W/embed.trace")"
killed_message embed "after its teardown began \(Py_Finalize\); killed in the atexit callback <string>\.spin \(<string>:[56]\), running"
exit 0

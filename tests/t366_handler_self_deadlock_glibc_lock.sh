#!/bin/bash
# t366: a SIGTERM handler that is not async-signal-safe deadlocks on a lock the code it
# interrupted, on the same thread, holds (issue 15): tests/src/handler_selflock.c sends its main
# thread SIGTERM every 2 ms from a thread that blocks it (so the handler watcher is made at each
# arrival) until a handler does not return: in malloc (malloc's arena lock, an lll lock with no
# owner) or in fprintf to a fopen'd stream (its _IO_lock_t, whose recorded owner may lock it
# again: only a signal where the lock is taken but no owner recorded deadlocks). SIGKILL once
# two snapshots are complete (a safety net of 60 s; no timing assumed). The report's hang
# finding names the handler (on_term, handler_selflock.c:LINE), the lock (main_arena; the
# stream's lock from the new hang_stdio line, not a rwlock: before, the words after a fopen'd
# stream's lock read as a pthread_rwlock_t's with millions of readers), that the same thread
# holds it, taken by the interrupted call (inside malloc / stdio, called from main), and the
# async-signal-safe fix. The mutex a handler locks while main holds it (t205's): the same words.
. "$(dirname "$0")/lib.sh"
build handler_selflock handler_selflock.c -- -pthread -O1
build handler_hang handler_hang.c -- -pthread -O1
H=300
for m in malloc stdio; do
	# (its own thread sends the SIGTERMs: none from here)
	bg_ready $m "$BIN/handler_selflock" $m
	wait_for $PID 60 "2 complete snapshots of $m" has_lines "$W/$m.trace" 2 ' hang_end '
	kill_report $m
	[ $RC = 137 ] || fail "$m: status $RC"
	grep -q stuck "$W/$m.out" || fail "$m: the program did not say stuck"
	awk '/^\[[0-9]+\] error hang/ { on = 1 } on' "$W/$m.txt" >"$W/$m.hang"
	grep -Eq "#[0-9]+ +on_term\\+0x[0-9a-f]+ \\(handler_selflock.c:[0-9]+\\)" "$W/$m.hang" || { cat "$W/$m.hang"; fail "$m: no handler frame"; }
	grep -Eq "^    fix:        a signal handler must end the process or return at once, doing only async-signal-safe work \\(signal-safety\\(7\\)\\): on_term \\(handler_selflock\\.c:[0-9]+\\) calls (malloc|fprintf), which is not async-signal-safe.*volatile sig_atomic_t flag.*self-pipe.*_exit\\(\\), not exit\\(\\)" "$W/$m.hang" ||
		{ grep 'fix:' "$W/$m.hang"; fail "$m: the fix is not the async-signal-safe one"; }
done
grep -Eq "root cause: thread [0-9]+ waits for malloc's arena lock \\(main_arena \\(0x[0-9a-f]+\\)\\), which it holds itself: it is in the program's SIGTERM handler on_term \\(handler_selflock\\.c:[0-9]+\\), which calls malloc, in __libc_malloc .*, and the code the signal interrupted on that thread was itself inside malloc \\(.*called from main \\(handler_selflock\\.c:[0-9]+\\)\\).*a self-deadlock.*records no owner" "$W/malloc.hang" ||
	{ grep 'root cause' "$W/malloc.hang"; fail "malloc: the self-deadlock on malloc's lock is not named"; }
grep -q ' hang_stdio [0-9]* 0x[0-9a-f]* -$' "$W/stdio.trace" || fail "stdio: no hang_stdio line (with no owner recorded)"
! grep -q ' hang_rwlock ' "$W/stdio.trace" || fail "stdio: the stream's lock read as a rwlock"
grep -Eq "root cause: thread [0-9]+ waits for the stream lock of the stream at 0x[0-9a-f]+ \\(0x[0-9a-f]+\\), which it holds itself: it is in the program's SIGTERM handler on_term \\(handler_selflock\\.c:[0-9]+\\), which calls fprintf, .*itself inside stdio \\(.*called from main \\(handler_selflock\\.c:[0-9]+\\)\\), caught where the lock was taken but no owner recorded.*a self-deadlock" "$W/stdio.hang" ||
	{ grep 'root cause' "$W/stdio.hang"; fail "stdio: the self-deadlock on the stream's lock is not named"; }
$PY - "$W/stdio.json" <<'PYEOF' || fail "stdio: JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"][0]
me = [t for t in hang["threads"] if t["tid"] == hang["tid"]][0]
assert me["waits_on"]["kind"] == "stdio" and me["waits_on"]["holder"] is None, me["waits_on"]
assert "itself" in me["waits_on"]["holder_text"], me["waits_on"]
PYEOF
# a mutex main holds (t205's mutex mode): the handler and the interrupted code named the same way
handler_hang_run mutex
handler_hang_checks mutex
grep -Eq "root cause: thread [0-9]+ waits for the mutex m \\(0x[0-9a-f]+\\), which it holds itself: it is in the program's SIGTERM handler on_term \\(handler_hang\\.c:[0-9]+\\), which calls pthread_mutex_lock, in .*, and the code the signal interrupted on that thread \\(.*called from main \\(handler_hang\\.c:[0-9]+\\)\\) had locked it before the signal arrived" "$W/mutex.txt" ||
	{ grep 'root cause' "$W/mutex.txt"; fail "mutex: the handler's self-deadlock is not named"; }
exit 0

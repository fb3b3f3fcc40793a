#!/bin/bash
# t153: a parent blocked in a wait for a child that hangs (issue 15, h6). The shim writes a
# wait_begin line for a wait-family call that blocks (none for a WNOHANG poll or a wait that
# returns at once); the report's killed finding of the parent in h6 says "waiting in waitpid for
# its child N (repro), which hung in its own teardown (exit(0) > atexit handler log_close) and was
# (later) killed by SIGTERM" (later: its death came after the parent's, timeout signals the parent
# first), and its timeline shows the wait that did not return. A variant: the parent's
# own teardown (an atexit handler) waits for a hung worker: its hang finding names the child wait.
# Each wait family member (wait, waitpid, wait3, wait4, waitid, with and without a ready child,
# WNOHANG, ECHILD) returns what it returns without the shim.
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/h6_fork_lock_held
"$C/run" "$ROOT" "$W/h6" >"$W/h6.txt" 2>&1 || { cat "$W/h6.txt"; fail "run failed"; }
f=$W/h6.txt
grep -q "^with the shim: *parent did not finish" "$f" || fail "traced run: $(grep '^with the' "$f")"
grep -q " wait_begin waitpid [0-9]* 0x0$" "$W/h6/trace.log" || fail "no wait_begin line: $(grep wait "$W/h6/trace.log")"
grep -Eq "^\\[[0-9]+\\] error killed" "$f" || fail "no killed finding"
grep -Eq "was killed by SIGTERM, .*; thread [0-9]+ was waiting in waitpid for its child [0-9]+ \\(repro\\) for [0-9.]+ s, which hung in its own teardown \\(exit\\(0\\) > atexit handler log_close\\) and was (later )?killed by SIGTERM" "$f" ||
	fail "the parent's finding does not name its wait: $(grep -A1 'error killed' "$f")"
grep -Eq "waitpid: blocked waiting for child [0-9]+  \\[did not return\\]" "$f" || fail "timeline: no wait"
# its fix is the wait's, not "install a SIGTERM handler" (FRESH8, 2026-12-01)
grep -Eq "fix: +SIGTERM came while thread [0-9]+ was blocked in waitpid for its child [0-9]+: what kept it there is the child's" "$f" ||
	fail "the parent's fix: $(grep -A4 'error killed' "$f" | grep fix:)"

# the variant: a hang in the parent's teardown, waiting for a hung child
build wait_hung_child wait_hung_child.c -- -pthread
rm -f "$W/v.log"
# timeout's duration ends (timeout_expire) once both processes have a complete snapshot (was: a
# fixed 5 s, against the watchdog's first snapshot at 2 s)
snapped() { [ "$(awk '$5 == "hang_end" { p[$1] } END { print length(p) }' "$1" 2>/dev/null)" = 2 ]; }
(cd "$W" && exec timeout 60 env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/v.log" "$BIN/wait_hung_child") &
t=$!
wait_for $t 60 "a snapshot of both processes" snapped "$W/v.log"
timeout_expire $t
wait $t; rc=$?
[ $rc = 124 ] || fail "variant: status $rc, not 124 (timeout)"
"$REPORT" --color=never "$W/v.log" >"$W/v.txt"
grep -Eq "root cause: thread [0-9]+ is waiting in waitpid for its child [0-9]+ \\(wait_hung_child\\) for [0-9.]+ s, which hung in its own teardown \\(exit\\(0\\) > atexit handler child_exit\\)" "$W/v.txt" ||
	fail "variant: hang root cause: $(grep -A3 'error hang' "$W/v.txt")"
grep -Eq "waits on child: its child [0-9]+ \\(wait_hung_child\\)" "$W/v.txt" || fail "variant: snapshot thread line"
grep -Eq "root cause: thread [0-9]+ waits for the mutex m \\(0x[0-9a-f]+\\), which it holds itself" "$W/v.txt" || fail "variant: the child's self-deadlock: $(grep "mutex m" "$W/v.txt")"

# a wait that returned (its reap closes it) is not named when the process is killed later
build wait_then_sleep wait_then_sleep.c
rm -f "$W/s.log"
# (timeout's duration ends once the wait returned: its reap is written; was: a fixed 1 s)
(cd "$W" && exec timeout 60 env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/s.log" "$BIN/wait_then_sleep") &
t=$!
wait_for $t 30 "the reap" has_lines "$W/s.log" 1 " reap waitpid "
timeout_expire $t
wait $t
grep -q " wait_begin waitpid " "$W/s.log" && grep -q " reap waitpid " "$W/s.log" || fail "wait_then_sleep: $(grep -E 'wait|reap' "$W/s.log")"
"$REPORT" --color=never "$W/s.log" >"$W/s.txt"
grep -q "was killed by SIGTERM" "$W/s.txt" || fail "wait_then_sleep: no killed finding"
! grep -q "waiting in" "$W/s.txt" || fail "a wait that returned is named: $(grep 'waiting in' "$W/s.txt")"

# nothing changes for the program; one wait_begin per wait that blocked, nothing for the others
build wait_family wait_family.c
"$BIN/wait_family" >"$W/plain.out" 2>&1
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/w.log "$BIN/wait_family" >"$W/shim.out" 2>&1
diff "$W/plain.out" "$W/shim.out" || fail "the wait family returns other values under the shim"
grep -q "all 1" "$W/shim.out" || fail "wait_family: $(cat "$W/shim.out")"
n=$(grep -c " wait_begin " "$W/w.log")
[ "$n" = 5 ] || fail "wait_begin lines: $n, expected 5 (the waits that blocked): $(grep wait_ "$W/w.log")"
! grep -q " wait_end " "$W/w.log" || fail "a wait_end line for a wait that reaped"
exit 0

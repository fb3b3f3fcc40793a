#!/bin/bash
# t384: a task limit the hang watchdog's thread would take the last task of (issue 14: "nothing
# taken from the program"). In a cgroup whose pids.max is 2, an atexit handler of a
# single-threaded program forks a child, creates a thread, runs system(), vforks or popen()s (and a
# python3 atexit callback runs subprocess.run: _posixsubprocess's vfork): without the shim the
# one task more fits; with it, the watchdog's thread (made as the handler begins) took it, and
# the call failed with EAGAIN (system: the shell's 127; popen: ENOMEM, glibc's word for any spawn
# failure). Now the thread ends and the call is made again (threads.c fork_with_room,
# pthread_create, sigcompat.c system, vfork.S, spawn.c popen; watchdog_aside): the
# same output as without. nproc_room (RLIMIT_NPROC, t332) foresees only that limit, and not for
# root. cgroup v1 (/sys/fs/cgroup/pids) or v2 (a pids controller under /sys/fs/cgroup); skipped
# where neither can be made.
. "$(dirname "$0")/lib.sh"
build task_limit_atexit task_limit_atexit.c -- -pthread
[ "$(id -u)" = 0 ] || skip "needs root (a cgroup)"
CG=
for base in /sys/fs/cgroup/pids /sys/fs/cgroup; do
	[ -e "$base/cgroup.procs" ] || continue
	[ "$base" = /sys/fs/cgroup ] && ! grep -qw pids "$base/cgroup.subtree_control" 2>/dev/null && continue
	mkdir -p "$base/tlstrace_t384.$$" 2>/dev/null && [ -e "$base/tlstrace_t384.$$/pids.max" ] || { rmdir "$base/tlstrace_t384.$$" 2>/dev/null; continue; }
	CG=$base/tlstrace_t384.$$
	break
done
[ -n "$CG" ] || skip "no pids cgroup can be made here"
trap 'rmdir "$CG" 2>/dev/null' EXIT
echo 2 >"$CG/pids.max" || fail "cannot set pids.max"
# cg_idle: until the cgroup counts no task (the last run's exit is counted out a moment after its
# parent's wait returned: a run started before then lacks the one task more, with or without the
# shim)
cg_idle() {
	local i
	for i in $(seq 100); do [ "$(cat "$CG/pids.current" 2>/dev/null || echo 0)" = 0 ] && return 0; sleep 0.05; done
	fail "the cgroup still counts $(cat "$CG/pids.current") tasks"
}
# in_cg PRELOAD MODE: the program in the cgroup (the shell moves itself in, then execs it)
in_cg() { cg_idle; bash -c 'echo $$ >"$1/cgroup.procs" && exec env LD_PRELOAD="$2" TLSTRACE_FILE="$3" "$4" "$5"' - "$CG" "$1" "$W/$2.trace" "$BIN/task_limit_atexit" "$2"; }
# term_*: the same from a SIGTERM handler, where the handler watcher's thread (made at the
# arrival) took the task: it ends for the call (FRESH14: EAGAIN, ENOMEM, the shell's 127 before)
for m in fork thread system vfork popen spawn term_fork term_vfork term_popen term_system term_spawn; do
	plain=$(in_cg "" $m) || fail "$m: status $? without the shim"
	case $plain in
	"fork: child exited 4" | "thread: joined" | "system: 5 " | "vfork: child exited 6" | "popen: 0 7" | "spawn: child exited 8") ;;
	*) skip "$m without the shim: $plain (the limit does not hold as expected here)" ;;
	esac
	traced=$(in_cg "$SHIM" $m) || fail "$m: status $? with the shim"
	[ "$traced" = "$plain" ] || fail "$m: '$traced' with the shim, '$plain' without"
	case $m in
	term_*) grep -q ' note handler%20watcher%20ended:' "$W/$m.trace" || fail "$m: no note of the handler watcher's end (was it there?)" ;;
	*) grep -q ' hang_arm ' "$W/$m.trace" || fail "$m: no hang_arm: the watchdog's thread was not there to take the task" ;;
	esac
done
# python3: subprocess.run in an atexit callback, after a sleep (the watchdog's thread made by
# then). 3.11's _posixsubprocess vforks, and after a vfork that failed forks (bpo-47151): before
# vfork's retry, its child took the fork path (the fork's retry), not the vfork path it takes
# without the shim
py_cg() { cg_idle; bash -c 'echo $$ >"$1/cgroup.procs" && exec env LD_PRELOAD="$2" TLSTRACE_FILE="$3" "$4" -c "$5"' - "$CG" "$1" "$W/py.trace" "$PY" \
	'import atexit, subprocess, time; atexit.register(lambda: (time.sleep(0.05), print("py:", subprocess.run(["/bin/true"]).returncode)))'; }
plain=$(py_cg "" 2>&1) || fail "py: status $? without the shim"
[ "$plain" = "py: 0" ] || skip "py without the shim: $plain"
traced=$(py_cg "$SHIM" 2>&1) || fail "py: status $? with the shim: $traced"
[ "$traced" = "$plain" ] || fail "py: '$traced' with the shim, '$plain' without"
grep -q ' hang_arm ' "$W/py.trace" || fail "py: no hang_arm: the watchdog's thread was not there to take the task"
! grep -q ' fork [0-9]' "$W/py.trace" || fail "py: the vfork failed and _posixsubprocess forked instead, as it would not without the shim"
# python3 arms the watchdog at its first blocking wait, here subprocess.run's waitpid, while the
# child holds the last task: its thread is made once the child is reaped, and the sleep after it
# gets snapshots (FRESH14: "hang watchdog not started: pthread_create failed", none)
cg_idle
TLSTRACE_HANG_MS=200 bash -c 'echo $$ >"$1/cgroup.procs" && exec env LD_PRELOAD="$2" TLSTRACE_FILE="$3" "$4" -c "$5"' - "$CG" "$SHIM" "$W/pysleep.trace" "$PY" \
	'import atexit, subprocess, time; atexit.register(lambda: (subprocess.run(["/bin/true"]), time.sleep(0.7)))' || fail "pysleep: status $?"
grep -q ' note hang%20watchdog%20paused' "$W/pysleep.trace" || fail "pysleep: no pause noted: $(grep -v ' mod ' "$W/pysleep.trace")"
awk '$5 == "reap" { r = 1 } r && $5 == "hang" && $6 == 1 { ok = 1 } END { exit !ok }' "$W/pysleep.trace" ||
	fail "pysleep: no snapshot after the reap: $(grep -v ' mod ' "$W/pysleep.trace")"
# the thread ended for the fork is made again once the child is reaped (its task free again): a
# teardown that goes on after it still gets its snapshots (FRESH13b: none, the thread never
# made again, the timeline still saying it was armed)
export TLSTRACE_HANG_MS=200
traced=$(in_cg "$SHIM" fork_sleep) || fail "fork_sleep: status $?"
[ "$traced" = "fork: child exited 4" ] || fail "fork_sleep: $traced"
grep -q ' note hang%20watchdog%20paused' "$W/fork_sleep.trace" || fail "fork_sleep: no note of the pause: $(grep -v ' mod ' "$W/fork_sleep.trace")"
awk '$5 == "reap" { r = 1 } r && $5 == "hang" && $6 == 1 { ok = 1 } END { exit !ok }' "$W/fork_sleep.trace" ||
	fail "fork_sleep: no snapshot after the reap: $(grep -v ' mod ' "$W/fork_sleep.trace")"
exit 0

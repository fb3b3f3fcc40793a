#!/bin/bash
# t372: daemon() and forkpty(), which fork inside glibc (its internal __fork: misc/daemon.c,
# login/forkpty.c) and return in the child. Before (shim/daemon.c), the shim saw no fork: the
# child's lines carried its parent's pid (forkpty's child's _exit(3) read as the parent's, a
# daemon's crash as its parent's), and daemon's parent ended with no line. Now: a fork line in
# the parent, a forked line first in the child, each process's lines under its own pid, the
# parent of daemon ending with `_exit 0`; the program's outcome as without the shim (output,
# /dev/null for daemon(1, 0), the child's status through forkpty). A daemon still running when the
# trace is read: its unfinished finding says it is a daemon, not "trace its parent too" or "make
# its parent reap it" (FRESH13b, under the wrapper).
. "$(dirname "$0")/lib.sh"
build forks_inside forks_inside.c
P=$BIN/forks_inside

# forkpty: the child's _exit(3) is the child's
plain_and_traced forkpty "$P" forkpty
grep -q "^forkpty child exited 3$" "$W/forkpty.out" || fail "forkpty: $(cat "$W/forkpty.out")"
parent=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/forkpty.trace")
child=$(awk '$5 == "forked" { print $1; exit }' "$W/forkpty.trace")
[ -n "$child" ] && [ "$child" != "$parent" ] || fail "forkpty: no forked line: $(grep -v ' mod ' "$W/forkpty.trace")"
grep -q "^$parent $parent [0-9]* - fork $child$" "$W/forkpty.trace" || fail "forkpty: no fork line in the parent"
grep -q "^$child $child [0-9]* - _exit 3$" "$W/forkpty.trace" || fail "forkpty: the child's _exit not its own: $(grep -v ' mod ' "$W/forkpty.trace")"
grep -q "^$parent .* _exit " "$W/forkpty.trace" && fail "forkpty: an _exit in the parent: $(grep -v ' mod ' "$W/forkpty.trace")"
"$REPORT" --color=never "$W/forkpty.trace" >"$W/forkpty.txt" 2>&1
grep -q "^process $parent forks_inside: exit status 0$" "$W/forkpty.txt" || fail "forkpty report: $(cat "$W/forkpty.txt")"
grep -q "^process $child forks_inside (forked from $parent): exit status 3$" "$W/forkpty.txt" || fail "forkpty report: $(cat "$W/forkpty.txt")"

# daemon: the parent's _exit(0), the daemon's own lines (it outlives its parent: waited for by
# its output, then its trace's last line)
for m in daemon daemon_crash; do
	rm -f "$W/$m.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$P" $m >"$W/$m.out" 2>"$W/$m.err"
	[ $? = 0 ] || fail "$m: the parent's status $? (0: daemon's _exit(0))"
	wait_for - 30 "the daemon's end in $m" has_lines "$W/$m.trace" 1 ' (exit_done|crash|crash_end)( |$)'
	parent=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/$m.trace")
	child=$(awk '$5 == "forked" { print $1; exit }' "$W/$m.trace")
	[ -n "$child" ] && [ "$child" != "$parent" ] || fail "$m: no forked line: $(grep -v ' mod ' "$W/$m.trace")"
	grep -q "^$parent $parent [0-9]* - _exit 0$" "$W/$m.trace" || fail "$m: the parent's _exit(0) not written: $(grep -v ' mod ' "$W/$m.trace")"
	[ "$(awk -v p=$parent '$1 == p' "$W/$m.trace" | tail -1 | awk '{ print $5 }')" = _exit ] ||
		fail "$m: lines of the parent after its _exit: $(grep -v ' mod ' "$W/$m.trace")"
	[ $m = daemon ] || continue
	grep -q "^daemon $child$" "$W/daemon.out" || fail "daemon: $(cat "$W/daemon.out")"
	grep -q "^$child $child [0-9]* - main_return 5$" "$W/daemon.trace" || fail "daemon: main's return not the daemon's: $(grep -v ' mod ' "$W/daemon.trace")"
done
"$REPORT" --color=never "$W/daemon_crash.trace" >"$W/daemon_crash.txt" 2>&1
grep -q "^process $child forks_inside (forked from $parent): .*SIGSEGV" "$W/daemon_crash.txt" || fail "daemon_crash report: $(head -30 "$W/daemon_crash.txt")"
grep -q "^process $parent forks_inside: exit status 0$" "$W/daemon_crash.txt" || fail "daemon_crash report: $(head -30 "$W/daemon_crash.txt")"

# daemon(1, 0): the daemon's output in /dev/null, with the shim as without
for pre in "" "$SHIM"; do
	rm -f "$W/made"
	LD_PRELOAD=$pre TLSTRACE_FILE=$W/close.trace "$P" daemon_close "$W/made" >"$W/close.out" 2>&1 || fail "daemon_close: status $?"
	wait_for - 30 "the daemon's file" test -e "$W/made"
	[ -s "$W/close.out" ] && fail "daemon_close (preload '$pre'): output not in /dev/null: $(cat "$W/close.out")"
done
# a daemon still running: its fix
rm -f "$W/sleep.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/sleep.trace "$P" daemon_sleep >"$W/sleep.out" 2>&1 || fail "daemon_sleep: status $?"
wait_for - 30 "the daemon's forked line" has_lines "$W/sleep.trace" 1 ' forked '
child=$(awk '$5 == "forked" { print $1; exit }' "$W/sleep.trace")
"$REPORT" --color=never "$W/sleep.trace" >"$W/sleep.txt" 2>&1
kill -KILL "$child"
grep -q "fix: *it is a daemon: its parent forked it and ended at once" "$W/sleep.txt" || fail "daemon_sleep report: $(cat "$W/sleep.txt")"
exit 0

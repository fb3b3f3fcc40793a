#!/bin/bash
# t343: a SIGTERM a traced parent sent to a child that had set SIG_IGN for it itself
# (tests/src/child_ignores_term.c: signal(SIGTERM, SIG_IGN) in ignore_term, then the parent's
# SIGTERM and SIGKILL): a signal-handler finding says it never arrived, that the child's own
# ignore_term set SIG_IGN with signal() (the kernel discards it), and a fix for a program that
# ignores SIGTERM. Before (ATK11): nothing (the rule looked only at inherited masks and
# dispositions); the killed finding listed the SIGTERM as sent with no word that it was ignored.
# And a program that started with SIGTERM ignored (inherit_ign: the program it replaced by exec set
# SIG_IGN) or blocked (inherit_blocked: its parent's thread blocked it and forked it), killed by
# SIGKILL from outside (the test): a signal-handler finding says it started so, and where the
# traced parent or former program did it. Before: nothing of the kind.
. "$(dirname "$0")/lib.sh"
build child_ignores_term child_ignores_term.c -- -O0 -pthread
plain_and_traced ign "$BIN/child_ignores_term"
[ $RC = 0 ] && grep -qx "child: signal 9" "$W/ign.out" || fail "status $RC, $(cat "$W/ign.out")"
"$REPORT" --color=never "$W/ign.trace" >"$W/ign.txt" 2>&1
"$REPORT" --json "$W/ign.trace" >"$W/ign.json" 2>&1
f=$(grep -A4 "^\[[0-9]*\] error signal-handler" "$W/ign.txt")
echo "$f" | grep -Eq "^    phase: +running$" || fail "phase: $f"
echo "$f" | grep -Eq "the SIGTERM that process [0-9]+ \(child_ignores_term\) sent to process [0-9]+ \(child_ignores_term\) never arrived: it ran on until the SIGKILL" ||
	fail "message: $f"
echo "$f" | grep -Eq "root cause: it ignores SIGTERM: ignore_term\+0x[0-9a-f]+ \(child_ignores_term\.c:[0-9]+\) in child_ignores_term set SIG_IGN for it with signal\(\) on thread [0-9]+, [0-9.]+ s before the SIGTERM was sent; the kernel discards an ignored signal" ||
	fail "root cause: $f"
echo "$f" | grep -q "fix: *a process that ignores SIGTERM can be stopped only by SIGKILL" || fail "fix: $f"
$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); assert any(f["kind"] == "signal-handler" and "never arrived" in f["message"] for f in d["findings"])' "$W/ign.json" ||
	fail "--json"

# started with SIGTERM ignored / blocked; the test sends SIGKILL once it waits ("ready PID")
for m in inherit_ign inherit_blocked; do
	rm -f "$W/$m.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$BIN/child_ignores_term" $m >"$W/$m.out" 2>"$W/$m.err" &
	PID=$!
	wait_for $PID 30 "ready from $m" has_lines "$W/$m.out" 1 ready || fail "$m: ended before it was ready"
	read -r _ waiter <"$W/$m.out"
	kill -KILL "$waiter"
	wait $PID
	RC=$?
	case $m in
	inherit_ign) [ $RC = 137 ] || fail "$m: status $RC" ;;
	inherit_blocked) [ $RC = 0 ] && grep -qx "child: signal 9" "$W/$m.out" || fail "$m: status $RC, $(cat "$W/$m.out")" ;;
	esac
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	f=$(grep -A4 "^\[[0-9]*\] warning signal-handler" "$W/$m.txt")
	case $m in
	inherit_ign) re="process $waiter \(child_ignores_term\) started with SIGTERM ignored, inherited from the program that started it, and its trace has no end .*: a SIGTERM sent to it is discarded by the kernel"
		rc="root cause: it ignores SIGTERM: .*; the program it replaced by exec, child_ignores_term, set SIG_IGN for it with signal\(\) from ignore_term\+0x[0-9a-f]+ \(child_ignores_term\.c:[0-9]+\)" ;;
	inherit_blocked) re="process $waiter \(child_ignores_term\) started with SIGTERM blocked, inherited from the program that started it, and ended by SIGKILL: a SIGTERM sent to it stays pending, never delivered"
		rc="root cause: SIGTERM blocked: thread $waiter inherited it blocked from the parent \(the signal mask survives exec\); its parent $PID \(child_ignores_term\): thread [0-9]+ blocked it with pthread_sigmask\(\) from spawn_blocked\+0x[0-9a-f]+ \(child_ignores_term\.c:[0-9]+\) in child_ignores_term and forked it" ;;
	esac
	echo "$f" | grep -Eq "$re" || fail "$m: message: $f"
	echo "$f" | grep -Eq "$rc" || fail "$m: root cause: $f"
	# (its phase at its end, where it waited: "?" before FIX13a)
	echo "$f" | grep -Eq "^    phase: +running$" || fail "$m: phase: $f"
done
exit 0

#!/bin/bash
# t091: every fatal signal, not five: a program that raises SIG from an atexit handler after main
# returned 0 ends "killed by SIG" in the report (never "exit status 0"), with a killed (or, for the
# crash handler's signals, crash) finding, and ends as without the shim. A signal whose default
# action is to ignore (SIGCHLD, SIGWINCH) leaves exit status 0; a handled or blocked one too.
. "$(dirname "$0")/lib.sh"
build signals signals.c -- -pthread
ulimit -c 0
for sig in TRAP SYS XCPU XFSZ USR1 USR2 TERM INT HUP QUIT ALRM PIPE VTALRM PROF ABRT BUS 40 CHLD WINCH; do
	n=$sig; [[ $sig = [0-9]* ]] || n=$(kill -l "$sig")
	plain_and_traced "r$sig" "$BIN/signals" raise "$n"
	$REPORT --color=never "$W/r$sig.trace" >"$W/r$sig.txt" 2>&1
	head=$(grep '^process' "$W/r$sig.txt")
	case $sig in
	CHLD|WINCH) [ "$RC" = 0 ] && grep -q ": exit status 0$" <<<"$head" || fail "$sig: $head (status $RC)" ;;
	40) grep -q ": killed by SIGRTMIN+6$" <<<"$head" || fail "$sig: $head" ;;
	*) grep -q ": killed by SIG$sig\\b" <<<"$head" || fail "$sig: $head"
	   grep -Eq "^\\[[0-9]+\\] error (killed|crash) " "$W/r$sig.txt" || fail "$sig: no finding" ;;
	esac
done
exit 0

#!/bin/bash
# t193: what a program reads of its own state is as without the shim (what_it_sees.c): all
# PTHREAD_KEYS_MAX keys can be created; its signal mask in the main thread and in a thread, each
# blocking more; every disposition sigaction() returns; its sigaltstack. A thread with a 16 KiB
# stack takes signals with the program's handlers (50 SA_NODEFER SIGUSR1 with a 2 KiB frame, a
# fault the handler fixes, 3 faults left by siglongjmp); an SA_NODEFER|SA_RESETHAND handler
# faults itself: the second fault kills (status, stdout; stderr less the crash report's lines).
. "$(dirname "$0")/lib.sh"
build what_it_sees what_it_sees.c -- -O1 -pthread
ulimit -c 0
for m in state "small usr" "small fix" "small jmp" twice; do
	n=${m// /_}
	("$BIN/what_it_sees" $m >"$W/$n.plain" 2>"$W/$n.plain.err") 2>/dev/null
	a=$?
	(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace "$BIN/what_it_sees" $m >"$W/$n.shim" 2>"$W/$n.shim.err") 2>/dev/null
	b=$?
	[ $a = $b ] || fail "$m: exit $a without the shim, $b with it"
	cmp -s "$W/$n.plain" "$W/$n.shim" || fail "$m: stdout without the shim:
$(cat "$W/$n.plain")
with it:
$(cat "$W/$n.shim")"
	grep -v '^tlstrace: ' "$W/$n.shim.err" | cmp -s "$W/$n.plain.err" - || fail "$m: stderr differs"
	[ -s "$W/$n.trace" ] || fail "$m: no trace"
	note "$m: exit $a, $(tr '\n' ';' <"$W/$n.plain" | cut -c1-100)"
done
grep -q "keys created: 1024 of 1024" "$W/state.plain" || fail "state: not all keys created without the shim"
echo ok

#!/bin/bash
# t288: under TLSTRACE_WATCH a program that ignores SIGSEGV and SIGTRAP starts programs that
# ignore them too, as without the shim (issue 14; stop 27 SIG9). The shim's SIGSEGV handler stayed
# in the kernel under every watch mode (for poisoned pointers), and TLSTRACE_WATCH=hw's SIGTRAP
# handler (for breakpoints) stayed while the program ignored SIGTRAP: exec resets a handler to
# SIG_DFL where it keeps SIG_IGN, so what it ran started with both at their default. Now the
# kernel holds the program's SIG_IGN while it ignores them. The program ignores both once a
# thread's destructor ran (hw and auto decide then), reads every signal, then starts itself by
# fork+execv, vfork+execv, posix_spawn, system() and execl (after a failed execl) and each child
# reads every signal; all compared with the run without the shim, field by field. Then the same
# with both inherited ignored from the parent (trap '' SEGV TRAP) and never set by the program.
. "$(dirname "$0")/lib.sh"
build sigexact sigexact.c -- -ldl -pthread
"$BIN/sigexact" watchexec >"$W/plain" 2>&1 || fail "status $? without the shim"
[ "$(grep -c ' ' "$W/plain")" = $((7 * 64)) ] || fail "without the shim: $(tail -2 "$W/plain")"
for m in poison hw auto; do
	TLSTRACE_WATCH=$m traced $m "$BIN/sigexact" watchexec
	[ $RC = 0 ] || fail "$m: status $RC under the shim: $(tail -3 "$W/$m.err")"
	diff "$W/plain" "$W/$m.out" >"$W/$m.diff" ||
		{ head -20 "$W/$m.diff"; fail "$m: what the program or its children read differs ($(grep -c '^<' "$W/$m.diff") lines)"; }
	note "$m: $(grep -m1 -o ' watch [a-z]* ' "$W/$m.trace" || echo 'no watch line'), 448 lines the same"
done
for m in poison hw; do
	TLSTRACE_WATCH=$m read_alike inherited-$m "SEGV TRAP" "$BIN/sigexact" watchexec inherited
	grep -q '^parent 5 h=IGN flags=0 restorer=0 ' "$W/inherited-$m.plain" || fail "inherited: the premise: SIGTRAP not inherited ignored"
done
exit 0

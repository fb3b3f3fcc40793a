#!/bin/bash
# t413: valgrind --error-exitcode=99 reports nothing of the shim's for a program whose SIGTERM
# handler runs on a signal stack (SA_ONSTACK: the program's own, or the shim's where it has none)
# (issue 14; HOSTILE15). The handler watcher's clone, made from a handler on a signal stack, made
# memcheck take the main thread's own stack for dead once the handler returned: 19 "Invalid
# write/read" errors in main's printf (LD_BIND_NOW=1; 2 or none without it) and exit 99. Now no
# watcher is made there under Valgrind.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "no valgrind"
build onstack_term_printf onstack_term_printf.c
for how in own shims; do
	LD_BIND_NOW=1 valgrind -q --error-exitcode=99 "$BIN/onstack_term_printf" $how >"$W/$how.plain.out" 2>"$W/$how.plain.err"
	p=$?
	LD_BIND_NOW=1 TLSTRACE_FILE="$W/$how.trace" LD_PRELOAD=$SHIM valgrind -q --error-exitcode=99 "$BIN/onstack_term_printf" $how >"$W/$how.out" 2>"$W/$how.err"
	s=$?
	[ "$p" = 0 ] || fail "$how: exit $p under valgrind without the shim: $(head -5 "$W/$how.plain.err")"
	[ "$s" = 0 ] || fail "$how: exit $s under valgrind with the shim ($(grep -c 'Invalid' "$W/$how.err") errors): $(head -8 "$W/$how.err")"
	grep -qx 'handled 1' "$W/$how.out" || fail "$how: $(cat "$W/$how.out")"
done
echo ok

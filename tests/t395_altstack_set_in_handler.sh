#!/bin/bash
# t395: a handler of the program's on the main thread finds in its frame's uc_stack what it would
# without the shim (no stack: NULL, 0), and a signal stack the program sets from inside that
# handler stays after it returns (issue 14, hostile14). The kernel saves the thread's signal
# stack in uc_stack and installs it again at sigreturn: it was the shim's, so the handler read
# "uc_stack sp set size 65536", and the program's stack was replaced by the shim's at the return
# ("after the handler: own 0 size 0 flags 2", its SA_ONSTACK handlers ran on the shim's stack:
# "on the program's stack: 0"). Handlers the shim runs (termination and crash signals); the
# kernel runs the others itself and still shows them the shim's stack (docs/design.md).
. "$(dirname "$0")/lib.sh"
build altstack_in_handler altstack_in_handler.c
for s in 10 15 11 11f; do
	plain_and_traced "sig$s" "$BIN/altstack_in_handler" $s
	[ "$PLAIN_RC" = 0 ] || fail "sig$s: status $PLAIN_RC without the shim"
	grep -q "uc_stack sp NULL size 0 flags 0" "$W/sig$s.out" || { cat "$W/sig$s.out"; fail "sig$s: uc_stack"; }
	grep -q "on the program's stack: 1" "$W/sig$s.out" || { cat "$W/sig$s.out"; fail "sig$s: SA_ONSTACK"; }
done
exit 0

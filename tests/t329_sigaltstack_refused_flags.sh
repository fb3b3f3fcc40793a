#!/bin/bash
# t329: sigaltstack with SS_DISABLE among flags the kernel refuses (ss_flags 99, SS_DISABLE|
# SS_ONSTACK) fails with EINVAL under the shim as without it. The shim does not ask the kernel
# to drop its own stack there (crash.c sigaltstack), and returned 0 for them.
. "$(dirname "$0")/lib.sh"
build altstack_flags altstack_flags.c
plain flags "$BIN/altstack_flags"
[ "$RC" = 0 ] || fail "exit $RC without the shim"
grep -q 'flags 99.*: -1 errno 22' "$W/flags.plain.out" || fail "the kernel accepts flags 99 here: $(cat "$W/flags.plain.out")"
traced flags "$BIN/altstack_flags"
[ "$RC" = 0 ] || fail "exit $RC under the shim"
diff "$W/flags.plain.out" "$W/flags.out" >"$W/diff" || fail "sigaltstack's answers differ: $(cat "$W/diff")"
exit 0

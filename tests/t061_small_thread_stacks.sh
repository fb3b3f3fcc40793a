#!/bin/bash
# t061: reliability case 10: threads with 16-32 KiB stacks (plain, a thread_local with a
# destructor, a pthread key with a destructor) end as without the shim: the shim keeps no big
# frame on a program's thread stack and runs its deep work on stacks of its own.
. "$(dirname "$0")/lib.sh"
out=$("$ROOT/tests/cases/reliability/10_small_thread_stacks/run" "$ROOT" "$W" 2>&1)
echo "$out" | sed 's/^/# /'
[ "$(echo "$out" | tail -1)" = SAME ] || fail "case 10: $(echo "$out" | tail -1)"
echo ok

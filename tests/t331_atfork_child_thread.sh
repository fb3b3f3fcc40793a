#!/bin/bash
# t331: a thread started by a pthread_atfork child handler (as ThreadSanitizer's runtime starts
# its background thread in a fork child) runs its own routine with its own argument, and the
# thread the child starts next runs its own. The shim's child side of fork freed every start
# record the parent had taken, the handler's new thread's too, before it had read it: the next
# pthread_create took it over and both threads ran the second's routine (a clang TSan program
# that starts a thread in a fork child hung 1 run in 4). One CPU and SCHED_FIFO make the order
# certain (the first thread runs when the child waits).
. "$(dirname "$0")/lib.sh"
build atfork_thread atfork_thread.c -- -pthread
plain af "$BIN/atfork_thread"
[ "$RC" = 2 ] && skip "SCHED_FIFO or CPU affinity not allowed here"
[ "$RC" = 0 ] || fail "exit $RC without the shim"
sort "$W/af.plain.out" >"$W/want"
printf '%s\n' "thread from main" "thread from the atfork handler" >"$W/expect"
cmp -s "$W/want" "$W/expect" || fail "without the shim: $(cat "$W/af.plain.out")"
traced af "$BIN/atfork_thread"
[ "$RC" = 0 ] || fail "exit $RC under the shim"
sort "$W/af.out" >"$W/got"
cmp -s "$W/want" "$W/got" || fail "the threads ran: $(cat "$W/af.out")"
exit 0

#!/bin/bash
# t496: a C SIGTERM handler that is slow but not hung (30 ms of work; review's
# h15_setid_handler under load, HOSTILE18 item 4) must not find the shim's handler watcher among
# its threads: another thread that passed one of the shim's cold paths 10 ms after the arrival
# made the put-off watcher (watchdog.c, watchdog_put_off_take), which the handler then counted in
# /proc/self/task (3 tasks, 2 without the shim). Now another thread takes it only once the handler
# has run half of TLSTRACE_HANG_MS (the watcher still counts from the arrival). Ordering, not
# timing: the helper's cold path comes after the handler's 30 ms, its count after the helper's.
. "$(dirname "$0")/lib.sh"
build handler_slow_tasks handler_slow_tasks.c -- -pthread
plain_and_traced slow "$BIN/handler_slow_tasks"
[ "$RC" = 0 ] || fail "exit $RC"
[ "$(cat "$W/slow.plain.out")" = "tasks 2" ] || fail "without the shim: $(cat "$W/slow.plain.out")"
[ "$(cat "$W/slow.out")" = "tasks 2" ] || fail "the handler counted $(cat "$W/slow.out") (2 without the shim)"
# a handler that does hang is still watched when another thread takes it: t257
exit 0

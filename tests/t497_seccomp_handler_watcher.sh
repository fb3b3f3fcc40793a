#!/bin/bash
# t497: the termination handler's watcher (watchdog.c hw_make_one) under a seccomp filter of the
# program's own (HOSTILE18 item 3). Before: never made once any filter was in, whatever it
# allowed, and the trace did not say so: a SIGTERM handler that sleeps 1 s (past
# TLSTRACE_HANG_MS=300) in a sandboxed process got no snapshot. Now the shim runs the filter over
# the watcher's calls before it goes in (filter.c): one that kills only a call the shim does not
# make (nr 9999) gets the watcher and its two snapshots, with the handler's threads; one that
# kills clone (the watcher's raw clone) gets none and a note that names clone. The outcome is the
# program's in both (exit 4).
. "$(dirname "$0")/lib.sh"
build seccomp_own_filter seccomp_own_filter.c -- -pthread
P=$BIN/seccomp_own_filter
export TLSTRACE_HANG_MS=300
plain_and_traced allowing "$P" handler 9999
[ "$RC" = 4 ] || fail "allowing: exit $RC"
expect_line allowing " hang_arm handler 300$"
expect_line allowing " hang 2 [0-9]+ signal "
expect_line allowing " hang_thread [0-9]+ S .* hrtimer_nanosleep "
expect_no_line allowing "not%20watched"
plain_and_traced clone "$P" handler 56
[ "$RC" = 4 ] || fail "clone: exit $RC"
expect_line clone " note termination%20handler%20not%20watched:%20the%20program's%20seccomp%20filter%20refuses%20clone$"
expect_no_line clone " hang_arm handler "
echo ok

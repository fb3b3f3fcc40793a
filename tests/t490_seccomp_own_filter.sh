#!/bin/bash
# t490: a program's own seccomp filter, run by the shim before it goes in (shim/filter.c,
# HOSTILE17). The outcome is the program's, and the shim keeps what the filter allows:
#  - a filter that kills only ptrace: the hang watchdog runs (before: "not started: the
#    program's seccomp filter", no snapshot of an atexit handler sleeping 1 s), with its threads;
#  - one that kills clone3 (and so glibc's pthread_create): no watchdog, the note names clone3;
#  - one that kills getdents64: snapshots without the list of threads, a note says so;
#  - one that traps getpid (SIGSYS to the program's handler, a gVisor-style emulation): a default
#    SIGTERM killed the process by SIGSYS (the shim's re-raise called getpid with SIGSYS blocked);
#    now its signals go back to the program, and it dies of SIGTERM;
#  - one that kills write(2) above fd 2: the trace's first line killed it by SIGSYS; now tracing
#    is turned off before the filter goes in, the note says why.
. "$(dirname "$0")/lib.sh"
build seccomp_own_filter seccomp_own_filter.c -- -pthread
P=$BIN/seccomp_own_filter
export TLSTRACE_HANG_MS=300
plain_and_traced ptrace "$P" hang 101
[ "$PLAIN_RC" = 3 ] || fail "ptrace: exit $PLAIN_RC without the shim"
expect_line ptrace " hang 1 [0-9]+ main_return"
expect_line ptrace " hang_thread [0-9]+ S "
expect_no_line ptrace "watchdog%20not%20started"
plain_and_traced clone3 "$P" hang 435
expect_line clone3 " note hang%20watchdog%20not%20started:%20the%20program's%20seccomp%20filter%20refuses%20clone3$"
expect_no_line clone3 " hang 1 "
plain_and_traced getdents "$P" hang 217
expect_line getdents " note seccomp%20filter%20refuses%20getdents64:%20no%20/proc%20reads"
expect_no_line getdents " hang_thread "
plain_and_traced trapterm "$P" trapterm 39
[ "$PLAIN_RC" = 143 ] || fail "trapterm: status $PLAIN_RC without the shim (SIGTERM: 143)"
expect_line trapterm " note seccomp%20filter%20refuses%20getpid:%20the%20signals%20given%20back%20to%20the%20program$"
plain_and_traced killwrite "$P" killwrite
expect_line killwrite " note seccomp%20filter%20refuses%20write:%20tracing%20off"
echo ok

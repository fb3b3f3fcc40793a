#!/bin/bash
# t291: a program that sandboxes itself with seccomp (issue 14): a filter on the system calls that
# read the time, which the program itself reads through the vDSO. The shim's clock made the
# system call for a process's first 64 reads: the filter killed the program by SIGSYS (U8 item 5).
# Now the clock goes to the vDSO when the program installs a filter, through prctl or
# syscall(SYS_seccomp); a refused call (the filter's errno) also falls back on the vDSO. Nor does
# the shim read /proc in a sandboxed process (a filter killing openat: a SIGTERM from its child,
# whose sender the shim named from /proc/PID/comm, killed it by SIGSYS). The
# program's outcome is the same with and without the shim, and the lines after the filter have
# their times (not 0).
. "$(dirname "$0")/lib.sh"
build seccomp_clock seccomp_clock.c -- -pthread
for how in prctl seccomp errno signal; do
	plain_and_traced $how "$BIN/seccomp_clock" $how
	[ "$PLAIN_RC" = 3 ] || fail "$how: the program exits $PLAIN_RC without the shim (expected 3)"
	expect_line $how " thread_quiet | thread_start "
	# times (the raw trace's third column) after the header: none 0
	awk '$5 != "mod" && $5 != "tlstrace" && $5 != "config" { if ($3 == 0) { print "time 0: " $0; bad = 1 } }
		END { exit bad }' "$W/$how.trace" || fail "$how: a line without its time"
done
echo ok

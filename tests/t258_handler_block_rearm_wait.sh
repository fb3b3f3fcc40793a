#!/bin/bash
# t258: a C termination handler in a multi-threaded process (its worker may take the signal, so
# its watcher is put off from the arrival: t122) that installs itself again (the SysV idiom) and
# then waits in waitpid for a child that never exits (rearm_wait): the new action is a put-off
# point (the program decided that a second SIGTERM runs the handler again, for as long as it
# runs); the same without the new action (wait: a blocking wait in the handler makes the watcher
# before it blocks), and with SA_RESETHAND, the handler installing itself again with sigaction
# and then locking a mutex a worker holds (resethand). Each: snapshots timed from the arrival,
# the handler's frames, the wait named; SIGKILL after 3x TLSTRACE_HANG_MS=300.
. "$(dirname "$0")/lib.sh"
build handler_block handler_block.c -- -pthread -O1
HH_PROG=handler_block
H=300
for m in rearm_wait wait resethand; do
	handler_hang_run $m
	handler_hang_checks $m
done
for m in rearm_wait wait; do
	grep -Eq "#[0-9]+ +(__)?(waitpid|wait4)" "$W/$m.hang" || { cat "$W/$m.hang"; fail "$m: no waitpid frame"; }
done
exit 0

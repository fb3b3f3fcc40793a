#!/bin/bash
# t258: a C termination handler in a multi-threaded process (its worker may take the signal, so
# its watcher is put off from the arrival: t122) that reaches a put-off point before it blocks:
# it installs itself again (the SysV idiom), then waits in waitpid for a child that never exits
# (rearm_wait: the new action is the program's decision that a second SIGTERM runs the handler
# again, for as long as it runs); with SA_RESETHAND, it installs itself again with sigaction, then
# locks a mutex a worker holds (resethand); or, before any new action, it blocks in a call the
# shim interposes, whose watcher is made just before it blocks: waitpid for a child that never
# exits (wait), sem_wait on a semaphore no one posts (sem), sigwaitinfo for a signal no one sends
# (sigwait), sleep(100) (nap: interposed since stop 27, shim/sleeps.c; no snapshot before), a read
# of a pipe that never gets data (read: interposed since stop 28, shim/reads.c; no snapshot before).
# Each: snapshots timed from the arrival with the handler's frames; SIGKILL once two are complete
# (TLSTRACE_HANG_MS=300).
. "$(dirname "$0")/lib.sh"
build handler_block handler_block.c -- -pthread -O1
HH_PROG=handler_block
H=300
for m in rearm_wait resethand wait sem sigwait nap read; do
	handler_hang_run $m
	handler_hang_checks $m
done
for m in rearm_wait wait; do
	grep -Eq "#[0-9]+ +(__)?(waitpid|wait4)" "$W/$m.hang" || { cat "$W/$m.hang"; fail "$m: no waitpid frame"; }
done
exit 0

#!/bin/bash
# t259: a C termination handler in a multi-threaded process (its watcher put off from the
# arrival: t122) that blocks in another call the shim interposes, before any new action: sem_wait
# on a semaphore no one posts (sem), sigwaitinfo for a signal no one sends (sigwait). The watcher
# is made just before the call blocks; snapshots timed from the arrival with the handler's frames.
# SIGKILL after 3x TLSTRACE_HANG_MS=300.
. "$(dirname "$0")/lib.sh"
build handler_block handler_block.c -- -pthread -O1
HH_PROG=handler_block
H=300
for m in sem sigwait; do
	handler_hang_run $m
	handler_hang_checks $m
done
exit 0

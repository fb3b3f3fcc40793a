#!/bin/bash
# t412: a process whose stderr is a pipe its reader does not drain, full, dies of a fault or an
# abort as without the shim (HOSTILE15). The crash report's blocking write to stderr made it hang
# in its handler for as long as the reader did: a crash became a hang (a supervisor that waits
# for its child to exit never restarts it). Now a line goes to stderr only when fd 2 takes it
# within 100 ms, and none after one that did not. The parent's 30 s limit is a safety net.
. "$(dirname "$0")/lib.sh"
build stderr_full_crash stderr_full_crash.c
for m in segv abort term; do
	plain_and_traced $m "$BIN/stderr_full_crash" $m
	case $m in segv) sig=11 ;; abort) sig=6 ;; term) sig=15 ;; esac
	grep -qx "child died of signal $sig" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
done
# the crash line is still in the trace
expect_line segv " crash 11 "
echo ok

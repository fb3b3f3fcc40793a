#!/bin/bash
# t277: the real-time signals the hang watchdog borrows read back afterwards as without the shim
# (issue 14: the program's dispositions as it reads them). The watchdog takes a free one to
# interrupt the threads it snapshots at a teardown that hangs (capsig), and one for the handler
# watcher (a SIGTERM handler that has not returned); it put SIG_DFL back through glibc's
# sigaction, so the program then read SA_RESTORER and glibc's restorer on a signal it never set,
# and lost the SA_RESTART and mask of a SIG_DFL it had set. Now the action it found goes back
# exactly. The program waits at the hanging point for the snapshot's hang_end line (no timing).
# timeout: 300
. "$(dirname "$0")/lib.sh"
build sigtaken sigtaken.c
for m in exit handler; do
	for v in fresh set; do
		"$BIN/sigtaken" $m $v >"$W/$m-$v.plain" 2>&1
		[ $? = 0 ] || fail "$m $v: status without the shim"
		traced $m-$v env TLSTRACE_HANG_MS=100 "$BIN/sigtaken" $m $v
		[ $RC = 0 ] || fail "$m $v: status $RC under the shim: $(tail -3 "$W/$m-$v.err")"
		grep -q " hang_end " "$W/$m-$v.trace" || fail "$m $v: the premise: no watchdog snapshot"
		diff "$W/$m-$v.plain" "$W/$m-$v.out" >"$W/$m-$v.diff" ||
			{ cat "$W/$m-$v.diff"; fail "$m $v: what the program read after the watchdog differs"; }
	done
done
exit 0

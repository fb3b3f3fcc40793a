#!/bin/bash
# t250: a C termination handler that never returns in a multi-threaded process whose other
# threads all block the signal (issue 15): no second SIGTERM can run the handler on another
# thread, so the handler watcher is made at the arrival as in a single-threaded process
# (shim/signals.c counts the threads that block each signal). SIGTERM's handler on main locks a
# mutex main holds, with two workers started with SIGTERM blocked (mtblock: Apache's worker MPM,
# most C++ servers), one blocked by its attribute's sigmask (mtattr), one that blocks it itself
# (mtlate); the handler on a second thread while main blocks SIGTERM (thread). Each: killed by the
# test after 3x TLSTRACE_HANG_MS=300, snapshots timed from the arrival with the handler's frames
# above the interrupted function's. (A process whose other threads take the signal: t235.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
for m in mtblock mtattr mtlate; do
	handler_hang_run $m
	handler_hang_checks $m
	n=$(awk '$5 == "hang" { s = $6 } $5 == "hang_thread" && s == 1' "$W/$m.trace" | wc -l)
	want=$([ $m = mtblock ] && echo 3 || echo 2)
	[ "$n" = "$want" ] || fail "$m: $n threads in the first snapshot, not $want"
	# a lock taken in a signal handler: the handler's fix, not a teardown's
	grep -q "^    fix:        a signal handler must end the process or return at once" "$W/$m.hang" ||
		{ grep 'fix:' "$W/$m.hang"; fail "$m: the hang's fix is not a signal handler's"; }
done
handler_hang_run thread
handler_hang_checks thread on_term pause_forever
exit 0

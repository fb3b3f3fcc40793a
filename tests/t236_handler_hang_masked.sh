#!/bin/bash
# t236: a termination handler that never returns and blocks every signal (sa_mask from
# sigfillset: the watcher's real-time signal cannot reach it), single-threaded (fill; with a
# second thread there is no watcher: t235). The watcher writes the snapshot itself (issue 15): the handler's thread
# from /proc (its futex wait on the mutex it holds) and frames from a scan of its stack (hang_bt
# `scan`, labelled in the report), through the handler's signal frame into the interrupted
# main. Nothing else changes: SIGKILL ends it. (Before:
# no snapshot.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
handler_hang_scanned fill
for m in fill; do
	grep -q "root cause: thread [0-9]* waits for the mutex m (0x[0-9a-f]*), which it holds itself" "$W/$m.txt" ||
		{ grep -A4 "error hang" "$W/$m.txt"; fail "$m: the self-deadlock is not named"; }
done
exit 0

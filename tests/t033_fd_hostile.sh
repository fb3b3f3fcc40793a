#!/bin/bash
# t033: a program that closes every descriptor, or dup2s its own file over all of them (the
# trace's included): it ends as without the shim, its file holds only its own data (the shim never
# writes into a program's file: it checks the descriptor is still the trace before each write),
# and the shim reopens the trace and goes on (a note says so).
. "$(dirname "$0")/lib.sh"
build fd_hostile fd_hostile.c -- -pthread
for mode in closeall dup2; do
	plain $mode "$BIN/fd_hostile" $mode "$W/$mode.plain.data"; PLAIN_RC=$RC
	traced $mode "$BIN/fd_hostile" $mode "$W/$mode.data"; TRACED_RC=$RC
	same_outcome $mode
	[ $RC = 0 ] || fail "$mode: exit status $RC"
	[ "$(cat "$W/$mode.data")" = "program data" ] || { od -c "$W/$mode.data" | head; fail "$mode: the program's file was written into"; }
	main=$(pids $mode '^tlstrace$')
	expect_order $mode "$main" \
		"^[0-9]+ . note the%20program%20closed%20or%20replaced%20the%20trace%20descriptor" \
		"^[0-9]+ . (thread_start|thread_quiet) $main " \
		"^$main . main_return 0$" "^$main . exit_done$"
done

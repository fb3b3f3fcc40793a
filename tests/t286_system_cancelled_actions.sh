#!/bin/bash
# t286: a thread cancelled inside system() (issue 14; stop 27 SIG9). glibc's system() sets SIGINT
# and SIGQUIT ignored and back with its internal __sigaction, unseen by the shim, which therefore
# reads those two from the kernel once system() has run (sigcompat.c). It marked them only when
# system() returned: a thread cancelled in its waitpid (glibc's cleanup handler puts the actions
# back) never returned, so the program read SIGINT and SIGQUIT as never set (flags 0, no
# restorer) where without the shim it reads SA_RESTORER and glibc's restorer; another thread
# reading them while system() waits read SIG_DFL where glibc had SIG_IGN. Now marked at the call.
# Under parents that ignore nothing, and SIGINT and SIGQUIT (read from the kernel as they are).
. "$(dirname "$0")/lib.sh"
build sigexact sigexact.c -- -ldl -pthread
n=0
for ign in "" "INT QUIT"; do
	n=$((n + 1))
	read_alike $n "$ign" "$BIN/sigexact" cancel
	[ "$(grep -c '^cancelled ' "$W/$n.plain")" = 64 ] || fail "ignoring '$ign': the program did not run to its end"
done
exit 0

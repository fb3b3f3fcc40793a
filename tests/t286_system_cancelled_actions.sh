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
	pre=""
	[ -n "$ign" ] && pre="trap '' $ign;"
	bash -c "$pre exec \"\$0\" cancel" "$BIN/sigexact" >"$W/$n.plain" 2>&1
	prc=$?
	traced $n bash -c "$pre exec \"\$0\" cancel" "$BIN/sigexact"
	[ $prc = 0 ] || fail "ignoring '$ign': status $prc without the shim"
	[ $RC = 0 ] || fail "ignoring '$ign': status $RC under the shim: $(tail -3 "$W/$n.err")"
	[ "$(grep -c '^cancelled ' "$W/$n.plain")" = 64 ] || fail "ignoring '$ign': the program did not run to its end"
	diff "$W/$n.plain" "$W/$n.out" >"$W/$n.diff" ||
		{ cat "$W/$n.diff"; fail "ignoring '$ign': what the program read differs"; }
	note "ignoring '$ign': $(wc -l <"$W/$n.out") lines the same"
done
exit 0

#!/bin/bash
# t276: what sigaction(sig, NULL, &old) returns for every signal 1..64, field by field (handler,
# sa_flags, sa_restorer, the kernel's 64 mask bits), is what the program reads without the shim
# (issue 14: "no change of the program's signal mask or dispositions as it reads them"). At
# start, after system(), after its own installations, in a fork child, inside and after handlers
# (SA_RESETHAND, SA_NODEFER), after glibc's other signal functions, and in the program it execs;
# under a parent that ignores nothing, SIGTERM (nohup's kind), SIGINT/SIGHUP/SIGQUIT, or every
# owned signal and others. A hostile review found: an inherited SIG_IGN read back with
# SA_RESTORER and glibc's restorer (the shim's own install wrote them), and SIGINT/SIGQUIT
# after system() read back with flags 0 (glibc's internal __sigaction put them back unseen).
. "$(dirname "$0")/lib.sh"
build sigfields sigfields.c -- -ldl
n=0
for ign in "" "TERM" "INT HUP QUIT" "TERM INT HUP QUIT USR1 USR2 PIPE SEGV ABRT BUS FPE ILL ALRM"; do
	n=$((n + 1))
	read_alike $n "$ign" "$BIN/sigfields"
	[ "$(grep -c '^exec 64 ' "$W/$n.plain")" = 1 ] || fail "ignoring '$ign': the program did not run to its end"
done
# the shim there but passive, or its signal handling off: the same
for e in TLSTRACE_DISABLE=1 TLSTRACE_SIGNALS=0; do
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/off.trace env $e "$BIN/sigfields" >"$W/$e.out" 2>&1 || fail "$e: status $?"
	diff "$W/1.plain" "$W/$e.out" >"$W/$e.diff" || { head -20 "$W/$e.diff"; fail "$e: what the program read differs"; }
done
exit 0

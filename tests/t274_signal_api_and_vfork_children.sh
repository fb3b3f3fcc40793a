#!/bin/bash
# t274: glibc's other signal-action calls, and what a vfork child does (issue 14: "signal masks
# and dispositions as the program sees them"; the kind of reliability case 11). A hostile review
# found: sigset and sysv_signal returned the shim's own handler (glibc implements them with its
# internal __sigaction), and a program that restored that value crashed at the next signal;
# sigignore's SIG_IGN read back as the old handler; a vfork child's kill, abort and exit(4) were
# written as the parent's (the parent's report said "exit status 4"); a child of __vfork changed
# the parent's records (its SIGSEGV handler lost: exit 139 instead of 7).
. "$(dirname "$0")/lib.sh"
build sigapi sigapi.c
for m in api vfork; do
	"$BIN/sigapi" $m >"$W/$m.plain" 2>&1
	prc=$?
	traced $m "$BIN/sigapi" $m
	[ $RC = $prc ] || fail "$m: status $RC under the shim, $prc without: $(tail -3 "$W/$m.err")"
	diff "$W/$m.plain" "$W/$m.out" >"$W/$m.diff" || { head -20 "$W/$m.diff"; fail "$m: what the program read differs"; }
done
grep -q "sigset IGN returned h1" "$W/api.out" || fail "api: the test's own premise"
t=$W/vfork.trace
parent=$(awk '$5 == "tlstrace" { print $1; exit }' "$t")
! awk -v p=$parent '$1 == p && ($5 == "crash" || $5 == "exit" || ($5 == "kill" && $6 == "kill"))' "$t" | grep -q . ||
	{ grep -E " crash | exit | kill " "$t"; fail "vfork: a child's abort, exit or kill written as the parent's"; }
"$REPORT" --color=never "$t" >"$W/vfork.txt" 2>&1
! grep -Eq "^process $parent .*(exit status 4|SIGABRT)" "$W/vfork.txt" || { grep "^process" "$W/vfork.txt"; fail "vfork: the report gives the parent a child's end"; }
exit 0

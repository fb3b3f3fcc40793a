#!/bin/bash
# t373: a crash signal that timeout(1) passes on (issue 15, FRESH13 item 1): its command dies of
# SIGSEGV, SIGABRT or SIGFPE, and timeout raises the same signal itself to end as its child did
# (coreutils timeout.c: raise(WTERMSIG) after waitpid). Before, timeout's own raise (si_code
# SI_TKILL from its pid) was a crash finding of its own, first in the verdict ("crash: SIGSEGV
# sent (SI_TKILL) by raise() in timeout+0x2a76 / fix: see the backtrace"). Now it is passed on,
# as a termination signal raised again after a child died of it already was: no finding for
# timeout, its process header says so; the child's crash is the one crash finding. The shim's
# stderr gave timeout a crash report of its own too ("SIGSEGV (si_code -6) sent by pid N" and a
# backtrace); now one line says it was passed on (its wait reaped a child killed by it). A
# process whose last reaped child exited, raising the signal a child died of earlier, has a
# crash of its own ("after").
. "$(dirname "$0")/lib.sh"
build crash_child crash_child.c -- -O0
cd "$W"
for how in segv:SIGSEGV:139 abort:SIGABRT:134 fpe:SIGFPE:136; do
	m=${how%%:*} sig=${how#*:} rc=${how##*:}
	sig=${sig%%:*}
	traced $m timeout 30 "$BIN/crash_child" $m
	[ $RC = $rc ] || fail "$m: status $RC, expected $rc"
	"$REPORT" --color=never $m.trace >$m.txt 2>&1
	tpid=$(awk '$5 == "tlstrace" && $8 ~ /timeout$/ { print $1; exit }' $m.trace)
	grep -q "^process $tpid timeout: killed by $sig, raised again after its child [0-9]* was killed by it" $m.txt ||
		fail "$m: timeout's header: $(grep "^process $tpid " $m.txt)"
	[ "$(grep -c '^\[[0-9]*\] error crash ' $m.txt)" = 1 ] || fail "$m: crash findings: $(grep '^\[' $m.txt)"
	grep -q "^\[1\] error crash  process [0-9]* thread [0-9]* .*" $m.txt && ! grep -A1 '^\[1\] ' $m.txt | grep -q "process $tpid " ||
		fail "$m: the first finding is timeout's: $(grep -A1 '^\[1\] ' $m.txt)"
	grep -q "^  1 process (crash_child): crash: $sig" $m.txt || fail "$m: verdict: $(sed -n '/^verdict/,/^$/p' $m.txt)"
	! sed -n '/^verdict/,/^$/p' $m.txt | grep -q "(timeout)" || fail "$m: timeout in the verdict: $(sed -n '/^verdict/,/^$/p' $m.txt)"
	# the shim's stderr: one line for timeout's, no crash report (its reap of the child told it)
	grep -q "^tlstrace: process $tpid thread $tpid: $sig (si_code -6: SI_TKILL) raised by the process itself after a child of its died of it: passed on, not a crash$" $m.err ||
		fail "$m: stderr: $(cat $m.err)"
	[ "$(grep -c "^tlstrace: process " $m.err)" = 2 ] && [ "$(grep -c "^tlstrace: backtrace" $m.err)" = 1 ] ||
		fail "$m: stderr: $(cat $m.err)"
done
# its own abort() after a child that aborted and one that exited: its crash, on stderr too
traced after "$BIN/crash_child" after
[ $RC = 134 ] || fail "after: status $RC"
"$REPORT" --color=never after.trace >after.txt 2>&1
ppid=$(awk '$5 == "tlstrace" { print $1; exit }' after.trace)
grep -A1 '^\[[0-9]*\] error crash ' after.txt | grep -q "process $ppid " || fail "after: no crash finding of $ppid: $(grep -A1 '^\[' after.txt)"
grep -q "^tlstrace: process $ppid thread $ppid: SIGABRT (si_code -6: SI_TKILL) sent by pid $ppid" after.err || fail "after: stderr: $(cat after.err)"
exit 0

#!/bin/bash
# t251: a SIGHUP handler that never returns (a user's report, issue 15: tests/src/hup_hang.c, the
# handler sleeps forever): SIGHUP often means reload (Apache's graceful restart, gunicorn), not
# teardown, but a handler that has not returned in TLSTRACE_HANG_MS is a hang all the same. The
# watcher snapshots it (hang_arm handler_hup, timed from the arrival, the handler's frame found by
# a scan of its stack), and the report says "the SIGHUP handler h has not returned" without calling
# it a teardown. The same program handling SIGTERM instead still says teardown.
. "$(dirname "$0")/lib.sh"
H=300
# run NAME SIG: hup_hang_run (lib.sh) with H
run() {
	hup_hang_run "$1" "$2" $H
}
run hup 1
[ $RC = 137 ] || fail "hup: status $RC"
grep -q ' sig_arrive 1 0 [0-9]* [0-9]* 0+0x[0-9a-f]* fn ' "$W/hup.trace" || fail "hup: no arrival line"
grep -q ' hang_arm handler_hup 300$' "$W/hup.trace" || fail "hup: no hang_arm handler_hup"
n=$(grep -c ' hang [0-9]* [0-9]* handler_hup ' "$W/hup.trace")
[ "$n" -ge 2 ] || fail "hup: $n snapshots"
grep -Eq "hang: process [0-9]+ \(hup_hang\): the SIGHUP handler h \(hup_hang\.c:[0-9]+\) in hup_hang has not returned [0-9]+\.[0-9] s after the signal arrived" "$W/hup.txt" ||
	{ cat "$W/hup.txt"; fail "hup: the finding does not say the SIGHUP handler has not returned"; }
awk '/^\[[0-9]+\] error hang/ { on = 1 } on' "$W/hup.txt" >"$W/hup.hang"
grep -Eq "#[0-9]+ +h\+0x[0-9a-f]+ \(hup_hang.c:[0-9]+\)" "$W/hup.hang" || { cat "$W/hup.hang"; fail "hup: no handler frame"; }
! grep -Ei "teardown|shutdown" "$W/hup.hang" | grep -v "^ *fix:" || fail "hup: the hang is called a teardown"
grep -q "the SIGHUP handler has not returned" "$W/hup.txt" || fail "hup: the timeline"
grep -q "^    fix:        a signal handler must end the process or return at once" "$W/hup.hang" ||
	{ grep 'fix:' "$W/hup.hang"; fail "hup: the hang's fix is not a signal handler's"; }
run term 15
grep -q ' hang_arm handler 300$' "$W/term.trace" || fail "term: no hang_arm handler"
grep -Eq "was still in its teardown [0-9.]+ s after it began \(SIGTERM's arrival( from process [0-9]+ \([^)]*\))?; its handler h at hup_hang\.c:[0-9]+ in hup_hang never returned" "$W/term.txt" ||
	fail "term: not a teardown"
exit 0

#!/bin/bash
# t314: a seccomp filter inherited across exec, as systemd puts one on a service
# (SystemCallFilter=, no_new_privs; its action for a call outside the filter kills the process
# by SIGSYS: status 159), which the shim does not see being put in (issue 14). tests/src/seccomp_exec.c:
# "debug" forbids the debugging calls (systemd's @debug, and process_vm_readv/writev, in @debug
# in older systemd and refused by older container profiles), "service" allows only systemd
# 252's @system-service. Each program with and without the shim under each filter: the same
# outcome. Before the fix (2026-12-01), under the shim: the hang watchdog's stack scan
# (process_vm_readv) and TLSTRACE_WATCH=hw/auto's probe (perf_event_open) died by SIGSYS under
# "debug"; a crash at a call to a bad address (the unwinder's mincore), and the watch modes
# (perf_event_open; poison's mincore), under "service". Now the shim reads /proc/self/status's
# Seccomp line before such a call and, under a filter, reads its own memory through a pipe and
# tries no hardware breakpoint (the watch line says why).
. "$(dirname "$0")/lib.sh"
build seccomp_exec seccomp_exec.c
build seccomp_targets seccomp_targets.c
build static_tls static_tls.cc
H=300

for f in debug service; do
	seccomp_outcome $f $f-exit3 "$BIN/seccomp_targets" exit3
	[ $PLAIN_RC = 3 ] || fail "$f-exit3: status $PLAIN_RC"
	for c in badcall null; do
		seccomp_outcome $f $f-$c "$BIN/seccomp_targets" $c
		[ $PLAIN_RC = 139 ] || fail "$f-$c: status $PLAIN_RC"
		grep -q " crash_end default" "$W/$f-$c.trace" || fail "$f-$c: no crash report"
	done
	# the walk from the return address the call pushed (unwind.c, mapped_pointer): frames
	grep -Eq " crash_bt [a-z]+ 0x10 [0-9]" "$W/$f-badcall.trace" || fail "$f-badcall: $(grep crash_bt "$W/$f-badcall.trace")"
	seccomp_hung $f $f-hang "$BIN/seccomp_targets" hang
	# the main thread's stack, scanned from the watchdog (read_self): frames
	grep -Eq " hang_bt [0-9]+ scan [0-9]+\+0x[0-9a-f]+ [0-9]+\+0x[0-9a-f]+ [0-9]+\+0x" "$W/$f-hang.trace" ||
		fail "$f-hang: $(grep hang_bt "$W/$f-hang.trace")"
	for w in hw auto; do
		seccomp_outcome $f $f-watch-$w env TLSTRACE_WATCH=$w "$BIN/static_tls"
		[ $PLAIN_RC = 0 ] || fail "$f-watch-$w: status $PLAIN_RC"
		grep -q " watch off seccomp%20filter:%20perf_event_open%20not%20tried$" "$W/$f-watch-$w.trace" ||
			fail "$f-watch-$w: $(grep ' watch ' "$W/$f-watch-$w.trace")"
		# the report says nothing was watched (a run with no finding would read as clean)
		$REPORT "$W/$f-watch-$w.trace" >"$W/$f-watch-$w.txt" 2>&1
		grep -q "TLSTRACE_WATCH asked for a hardware watch, off here (seccomp filter: perf_event_open not tried): nothing was watched" \
			"$W/$f-watch-$w.txt" || fail "$f-watch-$w: the report does not say the watch was off"
	done
	# poison changes the program by design (a read through the stale pointer faults): SIGSEGV
	# and the report of it, as without a filter, never SIGSYS
	"$BIN/seccomp_exec" $f env LD_PRELOAD="$SHIM" TLSTRACE_WATCH=poison TLSTRACE_FILE="$W/$f-poison.trace" "$BIN/static_tls" >/dev/null 2>&1
	RC=$?
	[ $RC = 139 ] || fail "$f-poison: status $RC (139 without a filter)"
	grep -q " poison_hit " "$W/$f-poison.trace" || fail "$f-poison: no poison_hit"
done
# a likely use after destroy (c2's trace) from a run whose hardware watch was off under a filter:
# the fix does not tell to run again with TLSTRACE_WATCH=hw
awk 'NR == 2 { print; print $1 " " $2 " " $3 " - watch off seccomp%20filter:%20perf_event_open%20not%20tried"; next } { print }' \
	"$ROOT/tests/golden/static_tls_likely.trace" >"$W/likely-off.trace"
$REPORT --no-symbols "$W/likely-off.trace" >"$W/likely-off.txt" 2>&1
grep -q "fix: .*this run asked for a hardware watch (TLSTRACE_WATCH=hw or auto), but nothing was watched (its watch line: seccomp filter: perf_event_open not tried); run it where no seccomp filter refuses perf_event_open" "$W/likely-off.txt" ||
	fail "likely-off: fix: $(grep 'fix:' "$W/likely-off.txt")"
! grep -q "run again with TLSTRACE_WATCH=hw" "$W/likely-off.txt" || fail "likely-off: the fix still says to run with hw"
echo ok

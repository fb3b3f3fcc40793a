#!/bin/bash
# t011: the crash handler, on each way to die: the trace holds crash (signal, si_code, address),
# crash_phase, a backtrace from the signal frame (gcc's unwinder, linked into the shim) reaching main or the thread's
# function, crash_end; stderr carries the report; and the process ends exactly as without the
# shim (death by the same signal, or the program's own handler's exit status).
#   overflow: stack overflow, reported from the sigaltstack
#   thread:   a crash in a second thread (its tid in the trace)
#   abort:    SIGABRT
#   raise:    a sent SIGSEGV (si_code SI_TKILL), not a fault
#   own, signal: the program installs its SIGSEGV handler after start; the shim reports, then
#             calls it (it exits 42), and sigaction/signal report the program's handler back
#   ignored:  crash signals the program ignores stay ignored through exec; a sent one is ignored
#             and a fault still kills, as without the shim
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build crashers crashers.c -- -O0 -pthread
for mode in overflow thread abort raise own signal; do
	plain $mode "$BIN/crashers" $mode; PLAIN_RC=$RC
	traced $mode "$BIN/crashers" $mode; TRACED_RC=$RC
	same_outcome $mode
	case $mode in
	overflow | thread | raise) [ $RC = 139 ] || fail "$mode: expected death by SIGSEGV (139), got $RC" ;;
	abort) [ $RC = 134 ] || fail "$mode: expected death by SIGABRT (134), got $RC" ;;
	own | signal) [ $RC = 42 ] || fail "$mode: expected the program's handler to exit 42, got $RC" ;;
	esac
	pid=$(pids $mode '^tlstrace$')
	sig=11; [ $mode = abort ] && sig=6
	action=default; case $mode in own | signal) action=chain ;; esac
	tid=$pid
	if [ $mode = thread ]; then
		tid=$(awk -v p="$pid" '$1 == p && $4 == "thread_start" { print $2 }' "$W/$mode.norm")
		[ -n "$tid" ] && [ "$tid" != "$pid" ] || fail "thread: no second thread"
	fi
	expect_order $mode "$pid" \
		"^$tid . crash $sig -?[0-9]+ 0x[0-9a-f]+ " \
		"^$tid . crash_phase exit=- " \
		"^$tid . crash_bt libgcc .*crashers\\+0x" \
		"^$tid . crash_end $action$"
	grep -q "^tlstrace: process $pid thread $tid: $( [ $sig = 6 ] && echo SIGABRT || echo SIGSEGV) " "$W/$mode.err" || { cat "$W/$mode.err"; fail "$mode: no report on stderr"; }
	# the backtrace reaches main (or the thread's function) through the signal frame
	case $mode in
	thread) want=crash_thread ;;
	overflow) want=recurse ;;
	*) want=main ;;
	esac
	$REPORT --no-symbols "$W/$mode.trace" >/dev/null; [ $? = 1 ] || fail "$mode: the report found nothing"
	$REPORT "$W/$mode.trace" >"$W/$mode.report"
	grep -A40 "^\[[0-9]\] error crash" "$W/$mode.report" | grep -q "#[0-9]* *$want+" || { cat "$W/$mode.report"; fail "$mode: backtrace does not reach $want"; }
done
grep -q "si_code -6\|crash 11 -6 " "$W/raise.norm" || fail "raise: expected si_code SI_TKILL (-6)"
grep -q "^own handler: signal 11$" "$W/own.out" || fail "own: the program's handler did not run"

# A crash signal the program ignores stays ignored in what it runs through exec (the kernel keeps
# SIG_IGN across exec and resets handlers), as without the shim; so does one it inherited
# ignored. Printed: the actions python3 finds for SIGILL, SIGABRT, SIGSEGV (1 = SIG_IGN).
probe="import signal; print(*(int(signal.getsignal(s)) for s in (signal.SIGILL, signal.SIGABRT, signal.SIGSEGV)))"
for script in "trap '' ILL ABRT" "trap '' ILL ABRT; trap - ABRT" "trap '' SEGV; trap - SEGV; trap '' SEGV"; do
	want=$(bash -c "$script; exec $PY -c '$probe'")
	got=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ign.trace bash -c "$script; exec $PY -c '$probe'")
	[ "$got" = "$want" ] || fail "after bash's $script, exec'd python3 finds '$got', without the shim '$want'"
done
got=$(bash -c "trap '' ILL; LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ign.trace exec $PY -c '$probe'")
[ "$got" = "1 0 0" ] || fail "SIGILL ignored from the start: python3 finds '$got', expected '1 0 0'"
# while ignored, a sent signal is ignored and a fault still kills, both as without the shim
ignore="import os, signal, ctypes; signal.signal(signal.SIGSEGV, signal.SIG_IGN); os.kill(os.getpid(), signal.SIGSEGV); print('survived', flush=True); ctypes.string_at(0)"
plain ignored $PY -c "$ignore"; PLAIN_RC=$RC
traced ignored $PY -c "$ignore"; TRACED_RC=$RC
same_outcome ignored
[ $RC = 139 ] || fail "ignored: expected death by SIGSEGV (139), got $RC"
grep -q "^survived$" "$W/ignored.out" || fail "ignored: the sent SIGSEGV was not ignored"

#!/bin/bash
# t045: more programs that handle their own faults (tests/src/selfhandled.c, one kind per mode),
# each run with and without the shim: the same status and stdout, and the same stderr (less the
# crash report, where a fault ends the process). In the trace: a crash reported exactly when a
# fault ends the process (with the context of the fault the program's handler was given:
# si_code 2, not the re-raise; a handler that calls abort() gives two, SIGSEGV then SIGABRT),
# the deliveries to the program's handlers counted; no crash for the rest.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build selfhandled selfhandled.c -- -pthread
# mode:status:crash lines:crash_end action:sig_handled lines (sig=count,...)
cases=(
	resethand:139:1:default:11=1
	reraise:139:1:default:11=1
	refault:139:1:default:11=1
	resend:139:1:default:11=1
	exit:3:1:chain:11=1
	abort:134:2:default:11=1
	ownstack:0:0::11=5
	altquery:0:0::
	sigbus:0:0::7=3
	sigill:0:0::4=3
	nested:0:0::11=1,8=1
	mask:0:0::11=2
	actions:0:0::
	thread:0:0::11=400
	stale:0:0::11=1
	longjmp:0:0::11=1
	sent:5:0::6=1
	maps:0:0::
)
for c in "${cases[@]}"; do
	IFS=: read -r mode status crashes action counts <<<"$c"
	plain_and_traced $mode "$BIN/selfhandled" $mode
	[ $RC = $status ] || fail "$mode: status $RC, expected $status"
	grep -v '^tlstrace: ' "$W/$mode.err" >"$W/$mode.err-report"
	[ "$crashes" = 0 ] && cp "$W/$mode.err" "$W/$mode.err-report"
	cmp -s "$W/$mode.plain.err" "$W/$mode.err-report" || { diff "$W/$mode.plain.err" "$W/$mode.err"; fail "$mode: stderr differs"; }
	[ "$(count_lines $mode ' crash ')" = "$crashes" ] || { grep ' crash' "$W/$mode.norm"; fail "$mode: expected $crashes crash lines"; }
	if [ "$crashes" != 0 ]; then
		expect_line $mode " crash 11 2 "
		expect_line $mode " crash_end $action$"
	fi
	for kv in ${counts//,/ }; do
		expect_line $mode " sig_handled ${kv%=*} ${kv#*=}$"
	done
	[ -n "$counts" ] || expect_no_line $mode " sig_handled "
	note "$mode: $(head -c 200 "$W/$mode.out" | tr '\n' ';')"
done

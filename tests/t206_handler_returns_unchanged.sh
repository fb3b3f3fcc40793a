#!/bin/bash
# t206: the handler watcher (t205) changes nothing for handlers that return or that sleep: a
# SIGTERM handler sleeping 1 s (sleep(3): a nanosleep a signal would cut short) with
# TLSTRACE_HANG_MS=300 ends as without the shim (exit 0, the sleep not cut short, the same
# output; its snapshots are taken from outside, never by a signal to its thread); a handler that
# returns leaves no thread behind (the program
# counts its threads after the handler), installs no handler of a real-time signal and starts no
# timer (strace), and its trace has the same lines as with the watchdog off.
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
# run_self MODE NAME [shim]: the program signals itself from a child ("self"); RC, seconds in SECS
run_self() {
	local t0 t1
	t0=$(date +%s.%N)
	if [ $# -gt 2 ]; then
		TLSTRACE_HANG_MS=${HANG:-300} LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$2.trace "$BIN/handler_hang" "$1" self >"$W/$2.out" 2>"$W/$2.err"
	else
		"$BIN/handler_hang" "$1" self >"$W/$2.out" 2>"$W/$2.err"
	fi
	RC=$?
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}
run_self sleep sleep_plain
a_rc=$RC a_s=$SECS
run_self sleep sleep_shim shim
[ $a_rc = 0 ] && [ $RC = 0 ] || fail "sleep: status $a_rc without the shim, $RC with it: $(cat "$W/sleep_shim.out")"
cmp -s "$W/sleep_plain.out" "$W/sleep_shim.out" || fail "sleep: output differs: $(cat "$W/sleep_shim.out")"
# (not cut short: 1 s or more; no upper bound, which a busy machine breaks: before, within 0.5 s
# of the run without the shim)
awk -v b="$SECS" 'BEGIN { exit !(b >= 1.0) }' || fail "sleep: $a_s s without the shim, $SECS s with it"
# (a snapshot at 300 and 600 ms is the watcher's own, from outside: hang_bt scan, never signalled)
! grep -Eq ' hang_bt [0-9]+ (libgcc|framepointer|nostack|undelivered)' "$W/sleep_shim.trace" || fail "sleep: the handler asleep in nanosleep was signalled"
grep -q ' sig_arrive 15 .* fn ' "$W/sleep_shim.trace" || fail "sleep: no arrival line"
# a handler that returns: no thread left, and the trace's lines as with the watchdog off
for i in 1 2 3; do
	run_self return ret$i shim
	[ $RC = 0 ] || fail "return: status $RC: $(cat "$W/ret$i.out")"
done
HANG=0 run_self return ret_off shim
[ $RC = 0 ] || fail "return, watchdog off: status $RC"
# (the ordinary watchdog's hang_arm at main's return: stdio output left to write, with it on)
kinds() { awk '$5 != "mod" && !($5 == "hang_arm" && $6 == "main_return") { print $5 }' "$W/$1.trace" | sort | uniq -c; }
[ "$(kinds ret1)" = "$(kinds ret_off)" ] || { diff <(kinds ret_off) <(kinds ret1); fail "return: lines beyond the watchdog-off trace"; }
if command -v strace >/dev/null; then
	TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/st.trace strace -f -qq -o "$W/strace.txt" \
		-e trace=clone,clone3,exit,exit_group,rt_sigaction,timer_create,timer_settime "$BIN/handler_hang" return self >/dev/null 2>&1 ||
		fail "return under strace: status $?"
	# (the program's pid: its first line's; the last exit_group line may be another thread's, the
	# ordinary watchdog's made at main's return, or its forked child's)
	pid=$(awk 'NR == 1 { print $1 }' "$W/strace.txt")
	# the watcher: a clone(2) with CLONE_SETTLS (glibc makes threads with clone3), and the one
	# thread that ends with exit(2)
	grep -q "^$pid  *clone(child_stack=0x[0-9a-f]*, flags=CLONE_VM.*CLONE_SETTLS" "$W/strace.txt" ||
		{ cat "$W/strace.txt"; fail "strace: no watcher made at the arrival"; }
	w=$(awk '$2 ~ /^exit\(0/ { print $1 }' "$W/strace.txt" | tail -1)
	[ -n "$w" ] || { cat "$W/strace.txt"; fail "strace: the watcher never ended"; }
	# the watcher ended before the program went on to exit
	awk -v w="$w" -v p="$pid" '$1 == w && $2 ~ /^exit\(0/ { e = NR } $1 == p && $2 ~ /^exit_group/ { g = NR } END { exit !(e && g && e < g) }' "$W/strace.txt" ||
		{ cat "$W/strace.txt"; fail "strace: the watcher outlived the handler"; }
	# (SIGRT_0 and SIGRT_1, 32 and 33, are glibc's own, set at its first pthread_create)
	! grep -Eq "timer_(create|settime)|rt_sigaction\\(SIGRT_([2-9]|[1-3][0-9])," "$W/strace.txt" || fail "strace: a timer or a real-time handler"
else
	note "no strace: the system-call check skipped"
fi
exit 0

#!/bin/bash
# t112: the dl_fini / cxa_fin brackets of a process's end are written only when a line falls
# inside them (issue 18). /bin/true and a PIE program whose destructor does nothing write none;
# a crash, a hang snapshot, a signal's arrival, a fork, a thread's start and end inside the
# destructor function write dl_fini first (then, as before, every bracket after it), and the
# report reads as it did; a process SIGKILLed in _dl_fini shows the phase (the watchdog writes
# the held begin after 100 ms of teardown); a fork child never writes its parent's held begin.
. "$(dirname "$0")/lib.sh"
build held_dtor held_dtor.c -- -pie -fPIE -Wno-array-bounds -lpthread
P=$BIN/held_dtor
brackets='^[0-9]+ [0-9]+ . (dl_fini|dl_fini_end|cxa_fin|cxa_fin_end)( |$)'

traced true /bin/true
[ $RC = 0 ] || fail "/bin/true: exit $RC"
expect_no_line true "$brackets"
n=$(wc -l <"$W/true.trace")
note "/bin/true: $n lines"
[ "$n" -le 10 ] || { cat "$W/true.trace"; fail "/bin/true wrote $n lines (10 at most: header, config, 5 modules, main_return, hang_arm, exit_done)"; }

plain_and_traced quiet "$P" quiet
expect_no_line quiet "$brackets"

# a crash in the destructor function: dl_fini before it, the phase names it
plain_and_traced crash "$P" crash
[ $RC = 139 ] || fail "crash: exit status $RC"
main=$(pids crash '^tlstrace$')
expect_order crash "$main" "^$main . main_return 0" "^$main . dl_fini$" "^$main . crash 11 "
"$REPORT" "$W/crash.trace" >"$W/crash.rep" 2>&1
grep -q "phase: *main returned 0 > module destructors (_dl_fini) > destructor function dtor (held_dtor)" "$W/crash.rep" ||
	{ cat "$W/crash.rep"; fail "crash: phase"; }

# a hang snapshot (written by the watchdog thread) falls inside
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/hang.trace TLSTRACE_HANG_MS=300 "$P" hang >/dev/null 2>&1 || fail "hang: exit $?"
normalize hang
main=$(pids hang '^tlstrace$')
expect_order hang "$main" "^$main . dl_fini$" "^[0-9]+ . hang 1 " "^$main . cxa_fin " "^$main . cxa_fin_end " "^$main . dl_fini_end$"
[ "$(count_lines hang ' dl_fini$')" = 1 ] || fail "hang: dl_fini written $(count_lines hang ' dl_fini$') times"

# SIGKILL in the destructor function before any snapshot: the held begin went out at 100 ms (the
# kill once it is in the trace, not at a fixed 0.4 s after "sleeping")
rm -f "$W/kill.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/kill.trace "$P" sleep >"$W/kill.out" 2>&1 &
pid=$!
wait_for $pid 30 "the held dl_fini line" has_lines "$W/kill.trace" 1 ' dl_fini$' || fail "kill: ended: $(cat "$W/kill.out")"
kill -KILL $pid
wait $pid
normalize kill
expect_line kill ' dl_fini$'
"$REPORT" "$W/kill.trace" >"$W/kill.rep" 2>&1
grep -q "phase: *main returned 0 > module destructors (_dl_fini)" "$W/kill.rep" || { cat "$W/kill.rep"; fail "kill: phase"; }

# a signal the program handles, inside
plain_and_traced signal "$P" signal
main=$(pids signal '^tlstrace$')
expect_order signal "$main" "^$main . dl_fini$" "^$main . sig_arrive 10 " "^$main . dl_fini_end$"

# a thread made and joined inside
plain_and_traced thread "$P" thread
main=$(pids thread '^tlstrace$')
expect_order thread "$main" "^$main . dl_fini$" "^$main . cxa_fin " "^$main . dl_fini_end$"
expect_line thread "^$main [0-9]+ . thread_(quiet|start) "

# a fork inside: the parent's dl_fini once, under its pid; the child writes none of the parent's
plain_and_traced fork "$P" fork
main=$(pids fork '^tlstrace$')
child=$(pids fork '^forked$')
[ -n "$child" ] || fail "fork: no child"
expect_order fork "$main" "^$main . dl_fini$" "^$main . fork $child" "^$main . dl_fini_end$"
[ "$(count_lines fork ' dl_fini$')" = 1 ] || fail "fork: dl_fini written $(count_lines fork ' dl_fini$') times"
expect_no_line fork "^$child [0-9]+ . dl_fini"

for n in crash thread fork signal; do
	"$REPORT" "$W/$n.trace" >/dev/null 2>&1
	[ $? -le 1 ] || fail "$n: the report failed"
done
exit 0

#!/bin/bash
# t303: a kill a signal handler makes as its last call (a tail call: timeout(1)'s cleanup ends in
# kill(0, SIGCONT)) has glibc's signal return trampoline as its return address: the report says
# "from a signal handler", never "from __restore_rt". A handler the shim's trampoline runs (a
# SIGTERM handler of the program's) and whose last act is a kill has the trampoline as its return
# address: the report names the handler the arrival ran, not a frame of libtlstrace.so (FIX13a).
. "$(dirname "$0")/lib.sh"
command -v timeout >/dev/null || skip "no timeout(1)"
traced to timeout 0.3 sleep 10
[ "$RC" = 124 ] || fail "timeout: status $RC"
"$REPORT" --color=never "$W/to.trace" >"$W/to.txt"
grep -q "__restore_rt" "$W/to.txt" && fail "a site named __restore_rt: $(grep __restore_rt "$W/to.txt")"
grep -Eq "kill\(SIGCONT\) to 0 from a signal handler \(as its last call" "$W/to.txt" ||
	fail "kill(SIGCONT) to 0: $(grep 'kill(' "$W/to.txt")"
# the other kills keep their callers in timeout
grep -Eq "kill\(SIGTERM\) to [0-9]+ from timeout\+0x" "$W/to.txt" || fail "kill(SIGTERM): $(grep 'kill(' "$W/to.txt")"
build kill_tail_call kill_tail_call.c
objdump -d --no-show-raw-insn "$BIN/kill_tail_call" | awk '/<on_term>:/ { f = 1; next } f && /^$/ { exit } f' | grep -q "jmp .*<kill@plt>" ||
	skip "the compiler made no tail call of on_term's kill"
traced tc "$BIN/kill_tail_call"
[ "$RC" = 3 ] || fail "kill_tail_call: status $RC"
"$REPORT" --color=never "$W/tc.trace" >"$W/tc.txt"
grep -q "kill(.*libtlstrace" "$W/tc.txt" && fail "a site in the shim: $(grep "kill(.*libtlstrace" "$W/tc.txt")"
grep -Eq "kill\(SIGUSR2\) from the handler on_term \(kill_tail_call\) of SIGTERM \(as its last call, so its caller is the shim's handler trampoline\)" "$W/tc.txt" ||
	fail "kill(SIGUSR2): $(grep 'kill(' "$W/tc.txt")"
exit 0

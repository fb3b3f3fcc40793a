#!/bin/bash
# t303: a kill a signal handler makes as its last call (a tail call: timeout(1)'s cleanup ends in
# kill(0, SIGCONT)) has glibc's signal return trampoline as its return address: the report says
# "from a signal handler", never "from __restore_rt".
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
exit 0

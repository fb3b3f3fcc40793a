#!/bin/bash
# t399: dash (Debian's /bin/sh) running `cmd & cmd & wait`, stopped with its children by a
# SIGTERM to their process group: as for bash (whose wait builtin blocks in waitpid, a wait_begin
# line), one stop of their process group, no finding. dash's wait builtin waits in sigsuspend,
# which the shim does not see: the report took it for a process with no handler killed before its
# teardown (an error, "install a handler", FRESH14). A shell's children alive at the arrival stand
# for those its wait could return.
. "$(dirname "$0")/lib.sh"
[ -x /bin/dash ] || skip "no dash"
rm -f "$W/d.trace"
setsid env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/d.trace /bin/dash -c 'sleep 60 & sleep 60 & wait' </dev/null >/dev/null 2>&1 &
SP=$!
trap 'kill -KILL -- -$SP 2>/dev/null' EXIT # (setsid's child leads a group of its own: what is left of it on a failure)
wait_for $SP 30 "both sleeps" has_lines "$W/d.trace" 2 " tlstrace .* sleep 60\$"
kill -TERM -- -$SP
wait $SP
RC=$?
[ $RC = 143 ] || fail "dash: status $RC"
for i in $(seq 100); do [ "$(grep -c ' sig_arrive 15 ' "$W/d.trace")" -ge 3 ] && break; sleep 0.05; done
"$REPORT" --color=never "$W/d.trace" >"$W/d.txt" 2>&1
grep -q "^0 findings" "$W/d.txt" || fail "findings: $(grep '^\[[0-9]*\] ' "$W/d.txt")"
grep -Eq "^process $SP dash: killed by SIGTERM, sent by process [0-9]+ \\([^)]*\\); the same SIGTERM reached its children [0-9]+ \\(sleep\\) and [0-9]+ \\(sleep\\), for which it was waiting \\(a shell's wait builtin: dash waits in sigsuspend, which the trace does not show\\): one stop of their process group" "$W/d.txt" ||
	fail "header: $(grep "^process $SP " "$W/d.txt")"
exit 0

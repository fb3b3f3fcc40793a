#!/bin/bash
# t376: a killed finding names one thread as the one that took the signal, in its message
# ("taken by thread N") and in its thread list ("[took the signal]") (issue 15, FRESH13 item 7).
# A Python teardown hangs joining a non-daemon thread (py_qworker.py); timeout(1) sends SIGTERM to
# its command, then to its process group. When the second SIGTERM comes while the first is still
# in the shim's handler (its line and snapshot written with the signal blocked on that thread),
# another thread takes it and writes a second arrival line with the default action; that thread
# waits for the snapshot (0.2 s at the most) before its own re-send, so the thread that wrote the
# snapshot, the first, ended the process (shim/signals.c term_default_handler, shim/watchdog.c
# watchdog_kill_snapshot). Before: the message named the last arrival's thread, the thread list
# the snapshot's. The race, which a run may or may not have, is made here by adding the second
# arrival to a real trace where it has none (the other thread's, just after the first); without
# the snapshot the first arrival's thread is named.
. "$(dirname "$0")/lib.sh"
cd "$W"
rm -f run.trace
env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/run.trace" TLSTRACE_HANG_MS=300 timeout 60 $PY "$ROOT/tests/src/py_qworker.py" >run.out 2>&1 &
pid=$!
wait_for $pid 60 "a hang snapshot" has_lines run.trace 1 ' hang '
timeout_expire $pid
wait $pid
RC=$?
[ $RC = 124 ] || fail "status $RC (timeout's 124 expected)"
# taker TXT: the thread the killed finding's message names and the one its thread list marks
taker() {
	local said marked
	said=$(grep -m1 -A1 '^\[[0-9]*\] error killed ' "$1" | sed -n 's/.*, taken by thread \([0-9]*\) .*/\1/p')
	marked=$(sed -n 's/^      thread \([0-9]*\) .*\[took the signal\].*/\1/p' "$1")
	[ -n "$said" ] || fail "$1: no killed finding naming its taker: $(grep -A1 '^\[' "$1")"
	[ "$said" = "$marked" ] || fail "$1: the message names thread $said, the thread list marks '$marked'"
	echo "$said"
}
"$REPORT" --color=never run.trace >run.txt 2>&1
main=$(awk '$5 == "tlstrace" && $8 ~ /python3/ { print $1; exit }' run.trace)
[ -n "$main" ] || fail "no python3 process in the trace"
# (the kernel gives the first SIGTERM to either thread: both wait in futex)
snapper=$(awk -v p=$main '$1 == p && $5 == "kill_snap" { print $9; exit }' run.trace)
[ -n "$snapper" ] || fail "no snapshot at the signal: $(grep ' sig_arrive \| kill_snap' run.trace)"
[ "$(taker run.txt)" = "$snapper" ] || fail "run: taker $(taker run.txt), expected the snapshot's thread $snapper"
other=$(awk -v p=$main -v s=$snapper '$1 == p && $5 == "hang_thread" && $6 != s { print $6; exit }' run.trace)
[ -n "$other" ] || fail "no other thread in the snapshot"
$PY - run.trace two.trace nosnap.trace "$other" <<'PY'
import sys
lines = open(sys.argv[1]).readlines()
two, other = [], sys.argv[4]
# (the race may have come by itself: the other thread's own arrival line already there)
added = any(len(l.split()) > 10 and l.split()[1] == other and l.split()[4] == "sig_arrive" for l in lines)
for l in lines:
    two.append(l)
    f = l.split()
    if len(f) > 10 and f[4] == "sig_arrive" and f[10] == "dfl" and not added:  # (the same sender, 30 us later)
        two.append(f"{f[0]} {other} {int(f[2]) + 30000} I " + " ".join(f[4:]) + "\n")
        added = True
open(sys.argv[2], "w").writelines(two)
out, skip = [], False
for l in two:
    f = l.split()
    if len(f) > 4 and f[4] == "kill_snap":
        skip = True
    if not skip:
        out.append(l)
    if len(f) > 4 and f[4] == "kill_snap_end":
        skip = False
open(sys.argv[3], "w").writelines(out)
PY
[ "$(grep -c ' sig_arrive 15 .* dfl ' two.trace)" -ge 2 ] || fail "two.trace: $(grep ' sig_arrive ' two.trace)"
"$REPORT" --color=never two.trace >two.txt 2>&1
[ "$(taker two.txt)" = "$snapper" ] || fail "two arrivals: taker $(taker two.txt), expected the snapshot's thread $snapper"
# the timeline: the other arrival is not what the process died of
grep -Eq " $other +SIGTERM arrived from pid [0-9]+ \(timeout\), default action, the process already dying of its arrival on thread $snapper$" two.txt ||
	fail "two arrivals: timeline: $(grep 'SIGTERM arrived' two.txt)"
"$REPORT" --color=never nosnap.trace >nosnap.txt 2>&1
said=$(grep -m1 -A1 '^\[[0-9]*\] error killed ' nosnap.txt | sed -n 's/.*, taken by thread \([0-9]*\) .*/\1/p')
first=$(awk -v p=$main '$1 == p && $5 == "sig_arrive" && $11 == "dfl" { print $2; exit }' nosnap.trace)
[ "$said" = "$first" ] || fail "two arrivals, no snapshot: taken by thread '$said', expected the first arrival's $first"
exit 0

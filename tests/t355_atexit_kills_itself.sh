#!/bin/bash
# t355: a signal the process sent itself keeps its own fix ("see why SITE raised SIGTERM") when
# the hang watchdog's snapshot at the kill shows the thread that took it in an atexit handler,
# not the snapshot's "was still under way ... give the process longer before the signal (the
# sender's timeout)", which made the sender a victim of a timeout (issue 15). "self": the handler
# bye kill()s its process; its thread, running in the snapshot, is said to be in its own kill()
# (the signal taken on the call's way out), not "running (no system call)". "thread": another
# thread pthread_kill()s the main thread in its atexit handler spin_bye: the fix adds what the
# taker was in. "tkill": another thread kill()s the process, then spins: the main thread, in
# spin_bye, takes it; the sender's thread line, running, says its last traced call was that kill,
# and the fix is not a timeout's.
. "$(dirname "$0")/lib.sh"
build atexit_selfkill atexit_selfkill.c -- -O0 -pthread
cd "$W"

traced self timeout 30 "$BIN/atexit_selfkill" self
[ $RC = 143 ] || fail "self: status $RC"
"$REPORT" --color=never self.trace >self.txt 2>&1
f=$(grep -m1 -A12 '^\[[0-9]*\] error killed ' self.txt)
[ -n "$f" ] || fail "self: no killed finding: $(grep '^\[' self.txt)"
grep -q "snapshot of every thread as SIGTERM" self.txt || fail "self: no snapshot at the kill"
fix=$(echo "$f" | grep '^    fix:')
echo "$fix" | grep -q "fix: *see why bye+0x[0-9a-f]* (atexit_selfkill.c:[0-9]*) in atexit_selfkill raised SIGTERM in its phase$" ||
	fail "self: fix: $fix"
! grep -q "sender's timeout\|was still under way" self.txt || fail "self: a timeout's fix: $(grep "sender's timeout\|was still under way" self.txt)"
echo "$f" | grep -m1 '^    process ' | grep -q "killed in the atexit handler bye (atexit_selfkill.c:[0-9]*) in atexit_selfkill, in its own kill() call, which sent SIGTERM: the signal was taken on the call's way out of the kernel" ||
	fail "self: message: $(echo "$f" | grep -m1 '^    process ')"
grep -q "\[took the signal\] state R, in its own kill() call, which sent the signal" self.txt ||
	fail "self: taker's thread line: $(grep 'took the signal' self.txt)"
! grep "took the signal" self.txt | grep -q "no system call" || fail "self: taker said in no system call"

traced thread timeout 30 "$BIN/atexit_selfkill" thread
[ $RC = 143 ] || fail "thread: status $RC"
"$REPORT" --color=never thread.trace >thread.txt 2>&1
f=$(grep -m1 -A12 '^\[[0-9]*\] error killed ' thread.txt)
[ -n "$f" ] || fail "thread: no killed finding: $(grep '^\[' thread.txt)"
fix=$(echo "$f" | grep '^    fix:')
echo "$fix" | grep -Eq "fix: *see why stopper\+0x[0-9a-f]+ \(atexit_selfkill.c:[0-9]+\) in atexit_selfkill raised SIGTERM in its phase; when it came, thread [0-9]+ was in the atexit handler spin_bye \(atexit_selfkill.c:[0-9]+\) in atexit_selfkill, running \(no system call\)$" ||
	fail "thread: fix: $fix"
! grep -q "sender's timeout\|was still under way" thread.txt || fail "thread: a timeout's fix: $(grep "sender's timeout\|was still under way" thread.txt)"

traced tkill timeout 30 "$BIN/atexit_selfkill" tkill
[ $RC = 143 ] || fail "tkill: status $RC"
"$REPORT" --color=never tkill.trace >tkill.txt 2>&1
sender=$(awk '$5 == "kill" && $6 == "kill" { print $2; exit }' tkill.trace)
[ -n "$sender" ] || fail "tkill: no kill line"
# (its fix: the order family's, a thread that ran on through exit(), then what the taker was in)
! grep -q "sender's timeout\|was still under way" tkill.txt || fail "tkill: a timeout's fix: $(grep "sender's timeout\|was still under way" tkill.txt)"
line=$(grep "^      thread $sender " tkill.txt)
if echo "$line" | grep -q "took the signal"; then
	note "tkill: the sender took the signal itself (the main thread was not chosen): its line not checked"
else
	echo "$line" | grep -q "state R, in no system call (running), its last traced call its own kill(), which sent the signal thread [0-9]* took" ||
		fail "tkill: the sender's thread line: $line"
fi
echo ok

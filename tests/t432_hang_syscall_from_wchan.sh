#!/bin/bash
# t432: a hang snapshot's thread whose system call /proc did not give (its hang_thread line's `?`:
# /proc/TID/syscall not readable, as in Apache's children, which changed their user) but whose
# wchan it did: the report says what the wchan shows it sleeps in, never "a system call /proc
# does not show" next to that wchan (FRESH15b item 5: h5 daemon's "waiting on the join of thread
# N, sleeping in a system call /proc does not show" with "wchan do_epoll_wait" on its line).
# python3's main thread joins a non-daemon thread asleep in select.epoll's poll; the watchdog at
# 300 ms; SIGKILL once its first snapshot is complete. The trace's syscall field of that thread
# is then made `?`, as /proc gave it under Apache. Without a wchan, `?` still reads "/proc does
# not show".
. "$(dirname "$0")/lib.sh"
cd "$W"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/run.trace TLSTRACE_HANG_MS=300 $PY -c '
import select, threading
ep = select.epoll()
threading.Thread(target=lambda: ep.poll(), name="poller").start()' >run.out 2>&1 &
BG=$!
wait_for $BG 30 "hang snapshot" has_lines run.trace 1 " hang_end "
kill -KILL $BG
wait $BG 2>/dev/null
# the poller's line: its syscall field (5th after the type) made `?`
tid=$(awk '$5 == "hang_thread" && $NF == "poller" { print $6; exit }' run.trace)
[ -n "$tid" ] || { cat run.trace | grep hang_thread; fail "no hang_thread line of the poller"; }
wchan=$(awk -v t="$tid" '$5 == "hang_thread" && $6 == t { print $9; exit }' run.trace)
note "poller $tid, wchan $wchan"
[ -n "$wchan" ] && [ "$wchan" != 0 ] && [ "$wchan" != - ] || skip "no wchan for the poller (/proc/TID/wchan gives 0 here)"
awk -v t="$tid" '$5 == "hang_thread" && $6 == t { $10 = "?" } { print }' run.trace >q.trace
$REPORT --no-symbols --color=never q.trace >q.txt 2>&1
grep -q "does not show" q.txt && { grep -n "does not show" q.txt; fail "says /proc does not show the call next to its wchan"; }
grep -Eq "thread $tid \"poller\" \(python3\) state S, in an epoll_wait \(as its wchan $wchan says: /proc did not give the system call\)$" q.txt ||
	{ grep -n "thread $tid" q.txt; fail "the poller's thread line"; }
# no wchan either: /proc does not show it, and says so
awk -v t="$tid" '$5 == "hang_thread" && $6 == t { $9 = "0"; $10 = "?" } { print }' run.trace >n.trace
$REPORT --no-symbols --color=never n.trace >n.txt 2>&1
grep -q "thread $tid \"poller\" (python3) state S, in a system call /proc does not show, wchan 0" n.txt ||
	{ grep -n "thread $tid" n.txt; fail "without a wchan"; }
exit 0

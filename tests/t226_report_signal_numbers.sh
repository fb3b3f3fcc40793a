#!/bin/bash
# t226: signal numbers and exit statuses from a trace are shown as read, never narrowed (issue
# 14, the report on hostile traces): a crash by signal 300 is "killed by signal 300" in its
# process header and 300 in --json (it was a byte: SIGRTMIN+10), a child reaped "signal 300" the
# same, a kill of signal 270 is the sender of the reaped child's death by 270 (it matched none:
# SIGALRM), a crash by a signal the shim does not name shows its number; children folded by exit
# status show only 1 to 255 (300 was folded as 44); a number that does not fit an int (crash
# 4294967307, exit 4294967296: they showed as SIGSEGV and 0) skips its line with a warning, as a
# pid past 2^31 does; a polled child's signal past 63 tests no bit of a 64-bit set (undefined
# behaviour before; under the sanitizer report when make asan-report builds).
. "$(dirname "$0")/lib.sh"
cd "$W"
cat >narrow.trace <<'EOF'
1 1 1 - tlstrace 2 0 /sup sup
2 2 5 - tlstrace 2 1 /bin/w w
2 2 6 - exit 0
3 3 5 - tlstrace 2 1 /bin/w w
3 3 6 - exit 0
4 4 5 - tlstrace 2 1 /bin/v v
4 4 6 - exit 300
4 4 7 - exit_done
5 5 5 - tlstrace 2 1 /bin/v v
5 5 6 - exit 4294967296
5 5 7 - exit_done
6 6 5 - tlstrace 2 1 /bin/c c
6 6 6 - crash 4294967307 1 0x0 0x1234 0x0
6 6 7 - crash_end default
7 7 5 - tlstrace 2 1 /bin/d d
7 7 6 - crash 300 1 0x0 0x1234 0x0
7 7 7 - crash_end default
8 8 5 - tlstrace 2 1 /bin/u u
8 8 6 - crash 10 -6 0x0 0x1234 0x0
8 8 7 - crash_end default
1 1 10 - reap waitpid 2 signal 300 0 0
1 1 11 - kill kill 270 3 - 0 0 - - 0x1000
1 1 12 - reap waitpid 3 signal 270 0 0
1 1 13 - exit 0
1 1 14 - exit_done
EOF
"$REPORT" --no-symbols narrow.trace >narrow.txt 2>narrow.err
for want in "process 7 d: killed by signal 300" "process 2 w: killed by signal 300 (known from its parent's wait)" \
	"process 3 w: killed by signal 270 (sent by another process)" "process 4 v: exit status 300" \
	"    signal 300 (?) at 0x0 in 0x1234" "    SIGUSR1 sent (SI_TKILL) in 0x1234"; do
	grep -qxF "$want" narrow.txt || { cat narrow.txt; fail "no line: $want"; }
done
grep -q "was killed by signal 270, sent by process 1 (sup, its parent) with kill()" narrow.txt || fail "the kill of 270 is not the sender"
grep -q "narrow.trace:10: exit: status 4294967296 does not fit an int; skipped" narrow.err || { cat narrow.err; fail "no warning for exit 4294967296"; }
grep -q "narrow.trace:13: crash: signal 4294967307 does not fit an int; skipped" narrow.err || fail "no warning for crash 4294967307"
! grep -q "SIGSEGV\|SIGRTMIN\|SIGALRM" narrow.txt || { grep "SIGSEGV\|SIGRTMIN\|SIGALRM" narrow.txt; fail "a narrowed signal"; }
"$REPORT" --no-symbols --json narrow.trace 2>/dev/null | $PY -c '
import json, sys
d = json.load(sys.stdin)
p = {x["pid"]: x for x in d["processes"]}
assert p[7]["signal"] == 300 and p[2]["signal"] == 300 and p[3]["signal"] == 270, (p[7], p[2], p[3])
assert p[4]["exit"] == 300, p[4]
assert p[3]["killed_by"] is not None, p[3]' || fail "--json: the signals"
# children of one parent folded by status (8 or more): 1 to 255 only (300 was said as 44)
{
	echo "1 1 1 - tlstrace 2 0 /sup sup"
	for p in $(seq 2 21); do printf '%d %d 5 - forked 1\n%d %d 6 - exit %d\n%d %d 7 - exit_done\n' $p $p $p $p $((p > 11 ? 300 : 3)) $p $p; done
	echo "1 1 20 - exit 0"
	echo "1 1 21 - exit_done"
} >fold.trace
"$REPORT" --no-symbols fold.trace >fold.txt 2>&1
grep -q "children of 1 (sup) exited with status 3, nothing else" fold.txt || { cat fold.txt; fail "fold: the children of status 3"; }
! grep -q "exited with status.* 44" fold.txt || fail "fold: status 300 said as 44"
grep -qxF "process 12 sup (forked from 1): exit status 300" fold.txt || { cat fold.txt; fail "fold: the child of status 300 not shown as read"; }
# a polled child's signal 300 where the child inherited a blocked or ignored set
cat >shift.trace <<'EOF'
1 1 1 - tlstrace 2 0 /sup sup
3 3 5 - tlstrace 2 1 /bin/w w
3 3 6 - sig_inherit 0x0 0xffffffffffffffff
3 3 7 - exit 0
1 1 10 - kill kill 15 3 - 0 0 - - 0x1000
1 1 11 - wait_poll waitpid 3 0x1 kill 3:300
EOF
"$REPORT" --no-symbols shift.trace >shift.txt 2>&1
grep -q "after sending it signal 300, which was still in its own teardown" shift.txt || { cat shift.txt; fail "shift: the polled child"; }
if make -s -C "$ROOT" asan-report >/dev/null 2>&1; then
	for t in narrow shift fold; do
		UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=0 "$ROOT/build/asan/tlstrace-report" --no-symbols $t.trace >/dev/null 2>$t.san
		! grep -q "runtime error\|Sanitizer" $t.san || { head -5 $t.san; fail "$t.trace: sanitizer report"; }
	done
else
	note "no sanitizer report (make asan-report failed): its part skipped"
fi
true

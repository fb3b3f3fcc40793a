#!/bin/bash
# t267: what a process no longer keeps in its record (docs/report-memory.md, issue 14) is read
# back as before: its file, from where each file's processes start, also when a file of the
# directory named is skipped (warnings name the right file; a program exec'd by the same pid, its
# trace in another file, replaces it: no finding); its fate when it only killed itself (a bit:
# "which it sent itself", killed_by in --json; a parent's reap with another signal takes it back);
# the kill index (a target past an int names no process: process 2 is sent nothing); the
# registrations by number (the last of a number wins). The memory these records save is t059's
# and t220's bounds.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
rm -rf d && mkdir d
printf '5 5 1 - tlstrace 2 1 /bin/sh sh -c x\n5 5 2 - note in%%20sh\n' >d/a.trace
printf 'garbage, not a trace\n' >d/b.trace
printf '5 5 10 - tlstrace 2 1 /bin/x x\n5 5 11 - lost 3\n5 5 12 - exit 0\n5 5 13 - exit_done\n' >d/c.trace
"$REPORT" --no-symbols d >d.txt 2>d.err; rc=$?
[ $rc = 0 ] || fail "d: status $rc"
grep -qxF 'tlstrace-report: d/b.trace: skipped: not a trace' d.err || fail "d: b.trace not skipped"
grep -qxF 'tlstrace-report: d/a.trace:2: process 5: shim note: in sh' d.err || fail "d: the note's file"
grep -qxF 'tlstrace-report: d/c.trace:2: process 5: 3 trace lines lost before this one (the file could not be written)' d.err ||
	fail "d: the lost line's file"
grep -qxF '1 process only started and ended: sh, x (pid 5; sh exec'"'"'d x)' d.txt || fail "d: sh not replaced by x (exec, another file)"
grep -qxF '0 findings: 0 errors, 0 warnings' d.txt || fail "d: findings"

cat >k.trace <<'EOF'
1 1 1 - tlstrace 2 0 /x x
1 1 2 - mod 1 0x1000 1 - /lib/libx.so
1 1 10 - tls_reg 0 0x5000 1+0x10 0x0 1 0x0 objA 0x0 8 -
1 1 11 - tls_reg 0 0x5000 1+0x10 0x0 1 0x0 objB 0x0 8 -
1 1 12 - exit 0
1 1 13 - tls_dtor 0 0x5000 1+0x10
1 1 14 - tls_dtor_end 0
1 1 19 - kill kill 15 4294967298 - 0 0 - - 0x1000
1 1 20 - uad 0 0x5000 1 0x0 objB 100 1+0x20 gd
1 1 21 - kill raise 6 1 - - - dfl 0 0x1000
2 2 30 - tlstrace 2 1 /bin/w w
2 2 31 - note hi
9 9 3 - tlstrace 2 0 /sup sup
3 3 32 - tlstrace 2 9 /bin/a a
3 3 33 - kill raise 6 3 - - - dfl 0 0x1000
4 4 34 - tlstrace 2 9 /bin/a a
4 4 35 - kill raise 6 4 - - - dfl 0 0x1000
9 9 40 - reap waitpid 3 signal 9 0 0
9 9 41 - reap waitpid 4 signal 6 0 0
9 9 42 - exit 0
9 9 43 - exit_done
EOF
"$REPORT" --no-symbols k.trace >k.txt 2>/dev/null; rc=$?
[ $rc = 1 ] || fail "k.trace: status $rc"
grep -qxF '    thread 1 read thread_local objB of libx.so, 0.000 ms after its destructor ran, from libx.so+0x20' k.txt ||
	fail "k.trace: not the last registration of seq 0 (objB)"
grep -qxF '    process 1 (x) was killed by SIGABRT, which it sent itself (raise from 0x1000), 0.000 ms after its teardown began (exit)' k.txt ||
	fail "k.trace: process 1 killed itself"
grep -qxF '    process 4 (a) was killed by SIGABRT, which it sent itself (raise from 0x1000), before its teardown began' k.txt ||
	fail "k.trace: process 4 killed itself"
grep -q '^    process 3 (a) was killed by SIGKILL, sent by a process the traces do not cover' k.txt ||
	fail "k.trace: process 3 reaped with SIGKILL after its raise"
grep -A3 '^\[[0-9]*\] warning unfinished  process 2 ' k.txt | grep -qi 'signals sent to it' &&
	fail "k.trace: the kill to 4294967298 aimed at process 2"
"$REPORT" --no-symbols --json k.trace >k.json 2>/dev/null
$PY - <<'PY' || fail "k.trace --json"
import json
d = json.load(open("k.json"))
got = [(p["pid"], p["reaped_by"], p["killed_by"], p["signal"]) for p in d["processes"]]
assert got == [(1, None, 1, 6), (2, None, None, None), (9, None, None, None), (3, 9, None, 9), (4, 9, 4, 6)], got
PY
true

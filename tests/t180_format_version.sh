#!/bin/bash
# t180: the trace format's version (issue 14, case 19). The shim writes version 2, whose every
# process that got to its end says so (exit_done, _exit, quick_exit, a crash): a process without
# such a line is `unfinished`. A version-1 trace cannot show that end: its `exit N` is exit
# status N and nothing is `unfinished`. Variants: exit 0 and exit 3, main_return, a forked child
# (its version is its parent's), a process whose header was cut off (its file's version), a
# process with no exit line (outcome not recorded, no finding), both versions given together, a
# version-1 trace whose parent reaped the child by a signal, a version from the future (read as
# the newest known, with one warning: t262).
. "$(dirname "$0")/lib.sh"
cd "$W"
# report TRACE... : text to R.txt, JSON to R.json, status in RC
report() { "$REPORT" --no-symbols --color=never "$@" >R.txt 2>R.err; RC=$?; "$REPORT" --no-symbols --json "$@" >R.json 2>/dev/null; }
has() { grep -q -- "$1" R.txt || { cat R.txt; fail "$2: no \"$1\""; }; }
unfinished() { $PY -c 'import json,sys; print(sum(f["kind"] == "unfinished" for f in json.load(open("R.json"))["findings"]))'; }
hasnt() { ! grep -q -- "$1" R.txt || { cat R.txt; fail "$2: \"$1\""; }; }

# the shim's own header
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/true.trace /bin/true || fail "/bin/true under the shim"
v=$(head -1 true.trace | cut -d' ' -f5-6)
[ "$v" = "tlstrace 3" ] || fail "the shim's header says \"$v\", expected \"tlstrace 3\""
report true.trace
[ $RC = 0 ] || { cat R.txt; fail "/bin/true's trace: status $RC"; }
has "exit status 0" "/bin/true"

# the case: a header and `exit 0`, nothing after
for v in 1 2; do
	printf '10 10 100 - tlstrace %s 1 /bin/x x\n10 10 200 - exit 0\n' $v >v$v.trace
done
report v1.trace
[ $RC = 0 ] || { cat R.txt; fail "version 1, exit 0: status $RC, expected 0"; }
has "process 10 x: exit status 0" "version 1, exit 0"
has "^0 findings" "version 1, exit 0"
grep -q '"exit":0,"exit_via":"exit".*"unfinished":false' R.json || fail "version 1 JSON: $(cat R.json)"
report v2.trace
[ $RC = 1 ] || { cat R.txt; fail "version 2 without exit_done: status $RC, expected 1"; }
has "unfinished: its trace has no end" "version 2 without exit_done"
grep -q '"kind":"unfinished"' R.json || fail "version 2 JSON: no unfinished finding"
printf '10 10 300 - exit_done\n' >>v2.trace
report v2.trace
[ $RC = 0 ] || { cat R.txt; fail "version 2 with exit_done: status $RC"; }
has "exit status 0" "version 2 with exit_done"

# variants under version 1
cat >v1more.trace <<'EOF'
20 20 100 - tlstrace 1 1 /bin/p p
20 20 110 - fork 21
21 21 120 - forked 20
21 21 130 - main_return 3
22 22 140 - exit 0
20 20 150 - exit 7
23 23 160 - tlstrace 1 20 /bin/q q
23 23 170 - atexit_run 1 0x10
EOF
report v1more.trace
[ $RC = 0 ] || { cat R.txt; fail "version 1 variants: status $RC, expected 0"; }
has "process 20 p: exit status 7" "version 1 parent"
has "process 21 p (forked from 20): exit status 3" "version 1 forked child"
grep -q '"pid":22,[^}]*"exit":0,' R.json || fail "version 1 process without a header: $(cat R.json)"
has "process 23 q: outcome not recorded" "version 1 process without an exit line"
hasnt unfinished "version 1 variants"
# the same processes in a version-2 trace: each unfinished, the child and the headless one too
sed 's/ tlstrace 1 / tlstrace 2 /' v1more.trace >v2more.trace
report v2more.trace
[ $RC = 1 ] || fail "version 2 variants: status $RC"
[ "$(unfinished)" = 4 ] || { cat R.txt; fail "version 2 variants: not 4 unfinished"; }
# both together: only the version-2 file's processes are unfinished
report v1.trace v2more.trace
[ "$(unfinished)" = 4 ] || { cat R.txt; fail "versions 1 and 2 together"; }
grep -q '"pid":10,[^}]*"exit":0,' R.json || fail "versions 1 and 2 together: $(cat R.json)"
# a version-1 parent's reap line still tells how a child ended
cat >v1reap.trace <<'EOF'
30 30 100 - tlstrace 1 1 /bin/sup sup
31 31 110 - tlstrace 1 30 /bin/w w
30 30 120 - kill kill 15 31 - 0 0 - - 0x1000
30 30 130 - reap waitpid 31 signal 15 0 0
30 30 140 - exit 0
EOF
report v1reap.trace
has "process 31 w: killed by SIGTERM" "version 1 reap"
has "process 30 sup: exit status 0" "version 1 reap"
hasnt unfinished "version 1 reap"

# a version from the future is read as the newest this report knows, said once (t262)
sed '1s/ tlstrace 1 / tlstrace 9 /' v1.trace >v9.trace
report v9.trace
[ $RC = 1 ] || { cat R.txt R.err; fail "version 9: status $RC, expected 1 (read as version 3: unfinished)"; }
grep -q "format version 9 is newer than this report reads (1 to 3)" R.err || { cat R.err; fail "version 9: no warning"; }
true

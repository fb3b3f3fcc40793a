#!/bin/bash
# t262: the trace format's version 3 (issue 15): `wait_poll` lines got a third kind of why
# (`long`, `signal`, for a run of empty polls of one child) and an `ms` field in late version 2,
# unannounced: a version-2 report read such a line as a poll "in its teardown". The shim now
# writes version 3; this report reads a version-2 trace as before (why `teardown` in its teardown,
# a late version-2 `long` line by its length), a why it does not know as no claim (never "in
# its teardown"), and a version newer than its own for what it can, said once per file (a text
# `note:` line, the JSON `newer_format`), not refused. The trace: python3 polls a child with
# waitpid(WNOHANG) for 2.5 s (TLSTRACE_HANG_MS 2000).
. "$(dirname "$0")/lib.sh"
cd "$W"
cat >v3.trace <<'EOF'
20228 20228 65290540417010 - tlstrace 3 20224 /usr/bin/python3 /usr/bin/python3 poll.py
20228 20228 65290540417010 - config signals=1 stderr=1 watch=off bt=16 hang=2000
20228 20228 65290540417010 - mod 0 0x0 0 571d98e01096d5c1c32420d229a6731a0a50d2a0 /usr/bin/python3
20228 20228 65290540417010 n mod 1 0x7f4296b93000 0 b0af7178ba47aca58d16966d2c4d17c913589189 linux-vdso.so.1
20228 20228 65290540417010 n mod 2 0x7f4296a6b000 1 f7689c3492efdb911774d2e0904f552295deaa42 /usr/lib/libtlstrace.so
20228 20228 65290540417010 n mod 3 0x7f4296980000 0 d6e6f9e3af1243eed9bf5efd366dd015a9f22c13 /lib/x86_64-linux-gnu/libm.so.6
20228 20228 65290540417010 n mod 4 0x7f4296961000 0 1f95d5498d283b79505861523e20b3db2afdf518 /lib/x86_64-linux-gnu/libz.so.1
20228 20228 65290540417010 n mod 5 0x7f4296936000 0 a2f37366bc9782b9306773fd6318838fbae5ad5d /lib/x86_64-linux-gnu/libexpat.so.1
20228 20228 65290540417010 n mod 6 0x7f4296754000 2 93ac61ec5a8eb1396f9fbd350e3169a558528a40 /lib/x86_64-linux-gnu/libc.so.6
20228 20228 65290540417010 n mod 7 0x7f4296b95000 0 7ebc65e52f2bbea498b4040fa92f7238377aaba9 /lib64/ld-linux-x86-64.so.2
20228 20228 65290588558570 n sig_handler 13 0x1 0x8000000 sigaction+old 0+0x64cd2c
20228 20228 65290588741317 n sig_handler 2 0+0x678ec0 0x8000000 sigaction+old 0+0x64cd2c
20228 20228 65290607352411 I fork 20231
20231 20231 65290609240486 I forked 20228
20228 20228 65292625287565 I wait_poll waitpid 20231 0x1 long - 2008
20231 20231 65293113281977 I _exit 0
20228 20228 65293123978806 I reap waitpid 20231 exit 0 0 0
20228 20228 65293125008411 F sig_handler 2 0x0 0x8000000 sigaction+old 0+0x64cd2c
20228 20228 65293157345365 D main_return 0
20228 20228 65293157746737 D exit_done
EOF
# the shim's own header
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/true.trace /bin/true || fail "/bin/true under the shim"
v=$(head -1 true.trace | cut -d' ' -f5-6)
[ "$v" = "tlstrace 3" ] || fail "the shim's header says \"$v\", expected \"tlstrace 3\""

# as: VERSION WHY -> TRACE.trace with those, and T.txt (the parent's timeline), T.err, T.json, RC;
# the parent's trace cut after its poll (unfinished: its root cause names the poll)
as() {
	sed "1s/ tlstrace 3 / tlstrace $1 /; s/ wait_poll waitpid 20231 0x1 long - 2008/ wait_poll waitpid 20231 0x1 $2/" v3.trace >t.trace
	"$REPORT" --no-symbols --color=never --pid 20228 t.trace >T.txt 2>T.err; RC=$?
	grep -v " _exit \| reap \| main_return \| exit_done\| F sig_handler" t.trace >cut.trace
	"$REPORT" --no-symbols --json --pid 20228 cut.trace >T.json 2>/dev/null
	cause=$($PY -c 'import json; print([f["root_cause"] for f in json.load(open("T.json"))["findings"]][0])')
}
has() { grep -q -- "$1" T.txt || { cat T.txt T.err; fail "$2: no \"$1\""; }; }

# version 3 and a late version 2 (the same line): a run of empty polls, by its length
for v in 3 2; do
	as $v "long - 2008"
	[ $RC = 0 ] || { cat T.txt T.err; fail "version $v: status $RC"; }
	has "polling for child 20231, empty polls for 2008 ms" "version $v, why long"
	[ ! -s T.err ] || { cat T.err; fail "version $v: warnings"; }
	case $cause in *"in its teardown"*) fail "version $v, why long: \"in its teardown\": $cause" ;; esac
	case $cause in *"polling waitpid (WNOHANG) for its child 20231 (python3) for at least 2.008 s,"*) ;;
	*) fail "version $v, why long: root cause: $cause" ;; esac
done
# an early version 2 (why teardown): as before
as 2 "teardown -"
has "polling for child 20231, in its teardown" "version 2, why teardown"
case $cause in *"(python3) in its teardown,"*) ;; *) fail "version 2, why teardown: $cause" ;; esac
# a why this report does not know: shown as it is, no claim
as 3 "reload -"
has "polling for child 20231, why reload (not known to this report)" "why reload"
case $cause in *teardown*) fail "why reload read as teardown: $cause" ;; esac

# a newer version: read for what it can, said once per file, in the report too
as 7 "long - 2008"
sed -n '1,2p' t.trace | sed 's/^20228 20228 /20300 20300 /; s/ 20224 / 1 /' >>t.trace # (a second process of version 7)
"$REPORT" --no-symbols --color=never t.trace >T.txt 2>T.err; RC=$?
[ $RC = 1 ] || { cat T.txt T.err; fail "version 7: status $RC, expected 1 (20300 unfinished)"; }
[ "$(grep -c "format version 7 is newer than this report reads (1 to 3): read as version 3" T.err)" = 1 ] ||
	{ cat T.err; fail "version 7: not one warning"; }
has "^note: trace format version 7 is newer than this report reads (up to 3)" "version 7"
has "only started and ended: python3 (2) (pids 20228 20231)" "version 7"
"$REPORT" --no-symbols --json t.trace 2>/dev/null | grep -q '"newer_format":7}' || fail "version 7: JSON has no newer_format"
"$REPORT" --no-symbols --json v3.trace 2>/dev/null | grep -q 'newer_format' && fail "version 3: JSON has newer_format"
true

#!/bin/bash
# t103: less noise: a shell that runs id, stat, chmod and timeout (each started and ended, nothing
# else) and one program with a finding: the report shows the program and its shell (its parent),
# and the others as one summary line; --pid and --json still show every process. Timelines are
# in time order (below).
. "$(dirname "$0")/lib.sh"
build keys keys.c -- -pthread
cd "$W"
rm -f t.trace; touch f
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace /bin/sh -c "id >/dev/null; stat f >/dev/null; chmod 600 f; timeout 5 /bin/true; $BIN/keys >/dev/null" || fail "the shell failed"
sh -c "id; true" >/dev/null
$REPORT --no-symbols --color=never t.trace >t.txt; [ $? = 1 ] || fail "no findings"
line=$(grep "only started and ended" t.txt) || { cat t.txt; fail "no summary line"; }
for p in id stat chmod; do echo "$line" | grep -q "\b$p\b" || fail "$p not in: $line"; done
grep -q "^process [0-9]* keys" t.txt || fail "the program with a finding is not shown"
[ "$(grep -c '^process ' t.txt)" -le 3 ] || { cat t.txt; fail "quiet processes were not folded"; }
n=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["processes"]))' <($REPORT --no-symbols --json t.trace))
[ "$n" -ge 6 ] || fail "--json lost processes: $n"
idpid=$(echo "$line" | grep -o '(pids [0-9 .]*' | awk '{print $2}')
$REPORT --no-symbols --color=never --pid "$idpid" t.trace | grep -q "^process $idpid " || fail "--pid of a folded process does not show it"
# a timeline is in time order from its earliest event, never negative: the trace is in write
# order, and a thread's records can follow later ones of other threads (field: a thread that
# exited before the SIGTERM, at "-1354.769 ms"); moved to the end, the report is the same
G=$ROOT/tests/golden
{ grep -v '^16481 16482 ' "$G/cxx_threads.trace"; grep '^16481 16482 ' "$G/cxx_threads.trace"; } >"$W/late.trace"
$REPORT --no-symbols --color=never "$W/late.trace" >"$W/late.txt"
! grep -Eq '^ +-[0-9.]+ ms ' "$W/late.txt" || fail "a negative time: $(grep -E '^ +-[0-9.]+ ms ' "$W/late.txt" | head -1)"
diff -u "$G/cxx_threads.txt" "$W/late.txt" || fail "a thread's records written late change the timeline"
# a clean fork-heavy run: the children that exited with a status other than 0 (and did nothing
# else) are one line per parent and program, not a block each; the parent stays shown
build forkheavy forkheavy.c
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/fh.trace "$BIN/forkheavy" 60 || fail "forkheavy failed"
$REPORT --no-symbols --color=never "$W/fh.trace" >"$W/fh.txt"; rc=$?
[ $rc = 0 ] || fail "forkheavy: status $rc"
[ "$(grep -c '^process ' "$W/fh.txt")" -le 2 ] || { grep '^process ' "$W/fh.txt" | head; fail "forkheavy: children not folded"; }
fp=$(grep -o '^process [0-9]* forkheavy: exit status 0' "$W/fh.txt" | awk '{print $2}')
[ -n "$fp" ] || fail "forkheavy: the parent is not shown"
grep -Eq "^[0-9]+ children of $fp \\(forkheavy\\) exited with status 1, 2, 3, 4, 5, 6, nothing else" "$W/fh.txt" ||
	{ grep children "$W/fh.txt"; fail "forkheavy: no status line"; }
n=$(grep -o '^[0-9]* children of' "$W/fh.txt" | awk '{print $1}')
exp=$(awk '$5 == "reap" && $8 == "exit" && $9 != 0' "$W/fh.trace" | wc -l)
[ "$n" = "$exp" ] || fail "forkheavy: $n children said, $exp reaped with a status other than 0"
# a few children with a status (fewer than 8): not worth a line, shown
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/fh2.trace "$BIN/forkheavy" 12
$REPORT --no-symbols --color=never "$W/fh2.trace" | grep -q "^process [0-9]* forkheavy (forked from [0-9]*): exit status 1" ||
	fail "a lone child with a status other than 0 was folded"
exit 0

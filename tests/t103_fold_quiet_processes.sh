#!/bin/bash
# t103: less noise: a shell that runs id, stat, chmod and timeout (each started and ended, nothing
# else) and one program with a finding: the report shows the program and its shell (its parent),
# and the others as one summary line; --pid and --json still show every process.
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
idpid=$(echo "$line" | grep -o '(pids [0-9 .]*)' | awk '{print $2}')
$REPORT --no-symbols --color=never --pid "$idpid" t.trace | grep -q "^process $idpid " || fail "--pid of a folded process does not show it"

#!/bin/bash
# t265: a process its supervisor killed as it was told to, while it ran, before any teardown
# (issue 15: `tlstrace -- timeout -s KILL 1 sleep 10` gave sleep an error `killed` finding) is
# the outcome the user asked for: no finding above a warning, the process header and the JSON
# `stop` say so, "while running, before any teardown". Variants of timeout's command line: -s
# KILL, -sKILL, --signal=KILL, --signal 9, -v -s SIGKILL, no -s (SIGTERM), -s INT, -k (the SIGKILL
# after an ignored SIGTERM). A process the same supervisor SIGKILLs during its teardown (an atexit
# handler that sleeps) keeps its error, and so does a SIGKILL timeout was not told to send.
. "$(dirname "$0")/lib.sh"
cd "$W"
printf '#include <stdlib.h>\n#include <unistd.h>\nstatic void h(void) { sleep(10); }\nint main(void) { atexit(h); return 0; }\n' >ath.c
gcc -o ath ath.c || fail "cannot build ath"
# wrapped NAME CMD...: tlstrace -- CMD, its report (text) in NAME.txt and (JSON) NAME.json
wrapped() {
	local n=$1
	shift
	"$ROOT/tlstrace" -o "$n.trace" -f -- "$@" 2>/dev/null
	"$REPORT" --no-symbols --color=never "$n.trace" >"$n.txt" 2>&1
	"$REPORT" --no-symbols --json "$n.trace" >"$n.json" 2>/dev/null
}
# stop NAME PROG: PROG's process's JSON stop; worst NAME: the highest severity of a finding
stop() { $PY -c 'import json,sys; print([p.get("stop", "") for p in json.load(open(sys.argv[1]))["processes"] if p["exe"].endswith("/" + sys.argv[2]) and not p["forked"]][0])' "$1.json" "$2"; }
worst() { $PY -c 'import json,sys; s=[f["severity"] for f in json.load(open(sys.argv[1]))["findings"]]; print("error" if "error" in s else s[0] if s else "none")' "$1.json"; }
i=0
while IFS='|' read -r opts sig how; do
	i=$((i + 1))
	wrapped v$i timeout $opts sleep 10
	s=$(stop v$i sleep)
	case $s in "sent by its parent "[0-9]*" (timeout) as it was told to ($how): the stop asked for, while running, before any teardown"*) ;;
	*) cat v$i.txt; fail "timeout $opts: stop \"$s\"" ;; esac
	grep -Eq "^process [0-9]+ sleep: killed by $sig, sent by its parent [0-9]+ \(timeout\) as it was told to" v$i.txt ||
		{ cat v$i.txt; fail "timeout $opts: the header"; }
	w=$(worst v$i)
	[ "$w" != error ] || { cat v$i.txt; fail "timeout $opts: an error finding"; }
done <<'EOF2'
-s KILL 1|SIGKILL|timeout -s KILL
-sKILL 1|SIGKILL|timeout -s KILL
--signal=KILL 1|SIGKILL|timeout -s KILL
--signal 9 1|SIGKILL|timeout -s KILL
-v -s SIGKILL 1|SIGKILL|timeout -s KILL
0.5|SIGTERM|timeout's SIGTERM
-s INT 0.5|SIGINT|timeout -s INT
EOF2
# -k: sh ignores the SIGTERM, the SIGKILL 0.5 s later is what -k asked for
wrapped k timeout -k 0.5 0.5 sh -c 'trap "" TERM; sleep 10; true'
case $(stop k sh) in *"as it was told to (timeout -k: SIGKILL when the first signal did not end it)"*) ;;
*) cat k.txt; fail "timeout -k: $(stop k sh)" ;; esac
# killed during its teardown: still an error, in its atexit handler
wrapped td timeout -s KILL 1 ./ath
grep -Eq "^\[[0-9]+\] error killed  process" td.txt || { cat td.txt; fail "teardown: no error"; }
grep -q "phase: *main returned 0 > atexit handler ath+0x" td.txt || { cat td.txt; fail "teardown: phase"; }
[ -z "$(stop td ath)" ] || fail "teardown: a stop: $(stop td ath)"
# a SIGKILL timeout was not told to send (its command line says SIGTERM): the report's own words
printf '30 30 100 - tlstrace 3 1 /usr/bin/timeout timeout 5 w\n31 31 110 - tlstrace 3 30 /bin/w w\n30 30 120 - kill kill 9 31 - 0 0 - - 0x1000\n' >untold.trace
"$REPORT" --no-symbols --color=never untold.trace >untold.txt 2>&1
grep -Eq "^\[[0-9]+\] error killed  process 31" untold.txt || { cat untold.txt; fail "untold SIGKILL: no error"; }
true

#!/bin/bash
# t265: stops seen under the tlstrace wrapper (issue 15). 1. A process its supervisor killed as it was told to, while it ran, before any teardown
# (issue 15: `tlstrace -- timeout -s KILL 1 sleep 10` gave sleep an error `killed` finding) is
# the outcome the user asked for: no finding above a warning, the process header and the JSON
# `stop` say so, "while running, before any teardown". Variants of timeout's command line: -s
# KILL, -sKILL, --signal=KILL, --signal 9, -v -s SIGKILL, --foreground, no -s (SIGTERM), -s INT, -k (the SIGKILL
# after an ignored SIGTERM). A process the same supervisor SIGKILLs during its teardown (an atexit
# handler that sleeps) keeps its error, and so does a SIGKILL timeout was not told to send.
# 2. An unfinished process's fix under the wrapper never says "run it under the tlstrace wrapper"
# (it is): the command killed from outside (SIGKILL by this test) gets what the wrapper saw
# (status 137: SIGKILL, sent by no traced process), a child left running after the command
# ended gets "it was orphaned" and its parent's pid (sh forked it and ended); the same trace read
# without the wrapper keeps the advice to trace the parent.
. "$(dirname "$0")/lib.sh"
cd "$W"
printf '#include <stdlib.h>\n#include <unistd.h>\nstatic void h(void) { sleep(10); }\nint main(void) { atexit(h); return 0; }\n' >ath.c
gcc -o ath ath.c || fail "cannot build ath"
# wrapped NAME ERE CMD...: tlstrace -- CMD, CMD a timeout command given a long duration, which
# ends (timeout_expire) once the trace has a line matching ERE (its command is where the case
# needs it: not a fixed delay); its report (text) in NAME.txt and (JSON) NAME.json
wrapped() {
	local n=$1 ere=$2 wp t
	shift 2
	"$ROOT/tlstrace" -o "$n.trace" -f -- "$@" 2>/dev/null &
	wp=$!
	wait_for $wp 30 "$ere in $n.trace" has_lines "$n.trace" 1 "$ere" || fail "$n: ended: $(tail -3 "$n.trace")"
	t=$(started "$n.trace" timeout)
	[ -n "$t" ] || fail "$n: no timeout in the trace"
	timeout_expire "$t"
	wait $wp
	"$REPORT" --no-symbols --color=never "$n.trace" >"$n.txt" 2>&1
	"$REPORT" --no-symbols --json "$n.trace" >"$n.json" 2>/dev/null
}
# (the command's start line)
sleep_up=' tlstrace [0-9]+ [0-9]+ [^ ]*/sleep '

# stop NAME PROG: PROG's process's JSON stop; worst NAME: the highest severity of a finding
stop() { $PY -c 'import json,sys; print([p.get("stop", "") for p in json.load(open(sys.argv[1]))["processes"] if p["exe"].endswith("/" + sys.argv[2]) and not p["forked"]][0])' "$1.json" "$2"; }
worst() { $PY -c 'import json,sys; s=[f["severity"] for f in json.load(open(sys.argv[1]))["findings"]]; print("error" if "error" in s else s[0] if s else "none")' "$1.json"; }
i=0
while IFS='|' read -r opts sig how; do
	i=$((i + 1))
	wrapped v$i "$sleep_up" timeout $opts 60 sleep 60
	s=$(stop v$i sleep)
	case $s in "sent by its parent "[0-9]*" (timeout) as it was told to ($how): the stop asked for, while running, before any teardown"*) ;;
	*) cat v$i.txt; fail "timeout $opts: stop \"$s\"" ;; esac
	grep -Eq "^process [0-9]+ sleep: killed by $sig, sent by its parent [0-9]+ \(timeout\) as it was told to" v$i.txt ||
		{ cat v$i.txt; fail "timeout $opts: the header"; }
	w=$(worst v$i)
	[ "$w" != error ] || { cat v$i.txt; fail "timeout $opts: an error finding"; }
done <<'EOF2'
-s KILL|SIGKILL|timeout -s KILL
-sKILL|SIGKILL|timeout -s KILL
--signal=KILL|SIGKILL|timeout -s KILL
--signal 9|SIGKILL|timeout -s KILL
-v -s SIGKILL|SIGKILL|timeout -s KILL
--foreground --signal=KILL|SIGKILL|timeout -s KILL
|SIGTERM|timeout's SIGTERM
-s INT|SIGINT|timeout -s INT
EOF2
# -k: sh ignores the SIGTERM (sent once its trap is set), the SIGKILL 0.5 s later is what -k asked for
wrapped k ' sig_handler 15 0x1 ' timeout -k 0.5 60 sh -c 'trap "" TERM; sleep 60; true'
case $(stop k sh) in *"as it was told to (timeout -k: SIGKILL when the first signal did not end it)"*) ;;
*) cat k.txt; fail "timeout -k: $(stop k sh)" ;; esac
# killed during its teardown: still an error, in its atexit handler
wrapped td ' atexit_run ' timeout -s KILL 60 ./ath
grep -Eq "^\[[0-9]+\] error killed  process" td.txt || { cat td.txt; fail "teardown: no error"; }
grep -q "phase: *main returned 0 > atexit handler ath+0x" td.txt || { cat td.txt; fail "teardown: phase"; }
[ -z "$(stop td ath)" ] || fail "teardown: a stop: $(stop td ath)"
# a SIGKILL timeout was not told to send (its command line says SIGTERM): the report's own words
printf '30 30 100 - tlstrace 3 1 /usr/bin/timeout timeout 5 w\n31 31 110 - tlstrace 3 30 /bin/w w\n30 30 120 - kill kill 9 31 - 0 0 - - 0x1000\n' >untold.trace
"$REPORT" --no-symbols --color=never untold.trace >untold.txt 2>&1
grep -Eq "^\[[0-9]+\] error killed  process 31" untold.txt || { cat untold.txt; fail "untold SIGKILL: no error"; }

# the command SIGKILLed from outside (this test: the wrapper's own child, by its pid)
# (once its main runs: coreutils' sleep registers its atexit handler there; was: 0.2 s after the
# first line)
"$ROOT/tlstrace" -o k9.trace -f -- sleep 60 2>k9.err &
wp=$!
wait_for $wp 30 "sleep's main" has_lines k9.trace 1 ' atexit_reg ' || fail "k9: ended: $(cat k9.err)"
cmd=$(awk -v w=$wp '$5 == "tlstrace" && $7 == w { print $1; exit }' k9.trace)
[ -n "$cmd" ] && [ "$(ps -o ppid= -p "$cmd" | tr -d ' ')" = "$wp" ] || fail "k9: the command's pid"
kill -KILL "$cmd"
wait $wp
[ $? = 137 ] || fail "k9: the wrapper's status"
grep -q "fix: *this is the command the tlstrace wrapper ran and waited for: it got status 137, so it died by SIGKILL, which no traced process sent" k9.err ||
	{ cat k9.err; fail "k9: the fix does not say what the wrapper saw"; }
! grep -q "tlstrace wrapper):" k9.err || { cat k9.err; fail "k9: the fix says to use the wrapper"; }
# the same trace without the wrapper: trace its parent
"$REPORT" --no-symbols --color=never k9.trace >k9.txt 2>&1
grep -q "fix: *trace its parent too" k9.txt || { cat k9.txt; fail "k9 without the wrapper"; }
# a child the command left running
# (sleep 60, ended by this test: with 1.5 s, a slow report could find it gone; the command ends
# once the child's start line is in the trace, read with the shell's builtins: the wrapper's
# report right after it found the child not there yet, under load)
"$ROOT/tlstrace" -o left.trace -f -- sh -c 'sleep 60 & echo $! >left.pid
up() { while IFS= read -r l; do case $l in *" sleep 60") return 0 ;; esac; done <"$TLSTRACE_FILE"; return 1; }
i=0; until up || [ $i -gt 1200 ]; do sleep 0.05; i=$((i + 1)); done' 2>left.err
# (the sleep was forked by sh, which then ended: orphaned, its parent named, t428; before, "the
# tlstrace wrapper traced it, but waits only for its command ... its parent N did not wait")
grep -Eq "fix: *it was orphaned: its parent [0-9]+ \(sh\) ended \(exit status 0\) without waiting for it" left.err ||
	{ cat left.err; fail "left: the fix"; }
! grep -q "tlstrace wrapper):" left.err || { cat left.err; fail "left: the fix says to use the wrapper"; }
kill "$(cat left.pid)"
true

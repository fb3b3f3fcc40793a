#!/bin/bash
# t428: a child that a traced parent forked and that then execs (sh's background job: `sleep 30 &`)
# is the same process as the fork's image: when the parent ends without reaping it, the exec'd
# program's unfinished finding says it was orphaned, naming the parent that forked it, also where
# the exec came after the parent's end (its own start line then has ppid 1: FRESH15 P2, "its
# parent 1 did not wait for it", without the orphan's words).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
# run NAME SCRIPT: the wrapper on sh -c SCRIPT; the sleep it leaves is ended by pid afterwards
run() {
	local n=$1 s
	rm -f "$n.trace"
	"$ROOT/tlstrace" -k -o "$W/$n.trace" -- sh -c "$2" >"$n.txt" 2>&1 || fail "$n: status $?"
	s=$(awk '$5 == "tlstrace" && $(NF-1) == "sleep" && $NF == "30" { print $1; exit }' "$n.trace")
	[ -n "$s" ] && kill -KILL "$s" 2>/dev/null
	[ -n "$s" ] || fail "$n: no sleep in the trace: $(cat "$n.txt")"
	SLEEP=$s
	SH=$(awk '$5 == "tlstrace" { print $1; exit }' "$n.trace")
}
# (sh ends once the sleep's start line is in the trace, read with its builtins: the wrapper's
# report right after sh's end could find the sleep not started yet under load, as t265's)
run bg 'sleep 30 &
up() { while IFS= read -r l; do case $l in *" sleep 30") return 0 ;; esac; done <"$TLSTRACE_FILE"; return 1; }
i=0; until up || [ $i -gt 1200 ]; do sleep 0.05; i=$((i + 1)); done; echo started'
grep -Eq "^\[[0-9]+\] warning unfinished  process $SLEEP " bg.txt || fail "bg: no unfinished finding for the sleep: $(grep '^\[' bg.txt)"
grep -q "fix: *it was orphaned: its parent $SH (sh) ended (exit status 0) without waiting for it" bg.txt ||
	fail "bg: the fix: $(grep -A4 "unfinished  process $SLEEP " bg.txt | grep fix:)"
# the exec after the parent's end (sh has exited: the subshell waits for a file, then execs):
# the sleep's start line has ppid 1 or a subreaper's
rm -f late.trace late.go
env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/late.trace sh -c '(while [ ! -e late.go ]; do sleep 0.05; done; exec sleep 30) & echo started' >late.out
touch late.go
wait_for - 30 "the late sleep's start" has_lines late.trace 1 " tlstrace 3 [0-9]+ /usr/bin/sleep sleep 30\$"
SLEEP=$(awk '$5 == "tlstrace" && $(NF-1) == "sleep" && $NF == "30" { print $1; exit }' late.trace)
SH=$(awk '$5 == "tlstrace" { print $1; exit }' late.trace)
kill -KILL "$SLEEP"
awk -v s="$SLEEP" -v p="$SH" '$1 == s && $5 == "tlstrace" && $NF == "30" && $7 == p { bad = 1 } END { exit bad }' late.trace ||
	note "late: the sleep began before its parent ended (ppid $SH): the case is the first's again"
"$REPORT" --color=never late.trace >late.txt 2>&1
grep -q "fix: *it was orphaned: its parent $SH (sh) ended (exit status 0) without waiting for it" late.txt ||
	fail "late: the fix: $(grep -A4 "unfinished  process $SLEEP " late.txt | grep fix:)"
exit 0

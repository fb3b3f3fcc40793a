#!/bin/bash
# t050: the trace writer never raises SIGXFSZ: case 08 (three runs under `ulimit -f 1` sharing a
# trace), a limit lowered in main by setrlimit, prlimit or setrlimit64, with SIGXFSZ blocked (no
# signal left pending, one of the program's own kept), 40 children appending at once near the
# limit; lines that do not fit are dropped and counted, and once the limit is raised again the
# trace says how many (a `lost` line, shown in the report's process header).
. "$(dirname "$0")/lib.sh"
build fsize_limits fsize_limits.c -- -pthread
reliability_case 08

for args in "lower 1500 setrlimit" "lower 1500 prlimit" "lower 1500 setrlimit64" "blocked 1500" \
	"blocked 1500 raise" "fork 3000" "regain 1500"; do
	name=${args// /_}
	# shellcheck disable=SC2086
	plain "$name" "$BIN/fsize_limits" $args; PLAIN_RC=$RC
	# shellcheck disable=SC2086
	traced "$name" "$BIN/fsize_limits" $args; TRACED_RC=$RC
	same_outcome "$name"
done
size=$(stat -c %s "$W/lower_1500_setrlimit.trace")
[ "$size" -le 1500 ] || fail "the trace grew to $size bytes past the 1500-byte limit"
grep -q "^SIGXFSZ pending: no$" "$W/blocked_1500.out" || fail "a SIGXFSZ was left pending"
grep -q "^SIGXFSZ pending: yes$" "$W/blocked_1500_raise.out" || fail "the program's own SIGXFSZ was taken"
grep -q "^children killed by a signal: 0$" "$W/fork_3000.out" || fail "fork: $(cat "$W/fork_3000.out")"

# the lost lines are counted once the limit allows a line again
n=$(awk '$5 == "lost" { print $6 }' "$W/regain_1500.trace")
[ -n "$n" ] && [ "$n" -gt 0 ] || fail "no lost line after the limit was raised"
"$REPORT" --no-symbols "$W/regain_1500.trace" >"$W/regain.report" 2>"$W/regain.report.err"
grep -q "^process [0-9]* .*: exit status 6; $n trace lines lost$" "$W/regain.report" || { cat "$W/regain.report"; fail "the report does not show the $n lost lines"; }
grep -q "$n trace lines lost before this one" "$W/regain.report.err" || fail "no warning about the lost lines"
echo "ok"

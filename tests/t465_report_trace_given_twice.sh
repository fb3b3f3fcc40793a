#!/bin/bash
# t465: the same trace given twice (FRESH17: `tlstrace-report dl.trace dl2.trace`, a copy, said
# "2 files, 6 processes" and grouped each finding with its copy, "x2"): a file named twice, a
# copy, and a directory with a file also named are each read once, with a warning naming the
# file read; of a copy and a longer one (taken later) the longer is read. Distinct traces are
# still all read.
. "$(dirname "$0")/lib.sh"
g=$ROOT/tests/golden
a=$(ls "$g"/*.trace | head -1)
b=$(ls "$g"/*.trace | sed -n 2p)
once=$("$REPORT" --no-symbols --color=never "$a" 2>/dev/null | head -1)
cp "$a" "$W/copy.trace"
for args in "$a $a" "$a $W/copy.trace"; do
	out=$("$REPORT" --no-symbols --color=never $args 2>"$W/err")
	[ "$(echo "$out" | head -1)" = "$once" ] || fail "$args: $(echo "$out" | head -1), not: $once"
	grep -q "skipped: the same \(file\|trace\) as $a (given before it), which is read" "$W/err" || fail "$args: warning: $(cat "$W/err")"
	"$REPORT" --no-symbols --color=never -q $args >/dev/null 2>"$W/err2"
	[ ! -s "$W/err2" ] || fail "$args: -q still warned: $(cat "$W/err2")"
done
# a directory holding a copy, and the copy named too
mkdir "$W/dir" && cp "$a" "$W/dir/x.trace"
out=$("$REPORT" --no-symbols --color=never "$W/dir" "$W/dir/x.trace" 2>"$W/err")
[ "$(echo "$out" | head -1)" = "$once" ] || fail "directory and file: $(echo "$out" | head -1)"
# a longer copy (the same process's trace copied later) is the one read
cp "$a" "$W/longer.trace" && echo "$(head -1 "$a" | awk '{print $1, $2, $3 + 1000}') - note later" >>"$W/longer.trace"
"$REPORT" --no-symbols --color=never "$a" "$W/longer.trace" >/dev/null 2>"$W/err"
grep -q "$a: skipped: the same trace as $W/longer.trace (a bigger copy), which is read" "$W/err" || fail "longer: $(cat "$W/err")"
# two different traces: both read
n=$("$REPORT" --no-symbols --color=never "$a" "$b" 2>/dev/null | head -1)
echo "$n" | grep -q "^tlstrace-report: 2 files," || fail "two traces: $n"
exit 0

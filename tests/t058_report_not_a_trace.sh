#!/bin/bash
# t058: input that is not a trace exits 2 at once, without being read whole (reliability case 17),
# and a line longer than the format allows is never echoed whole (case 18). Variants: /dev/zero,
# /dev/urandom, a 2 GB sparse file, a 2 GB file of text lines that are not events, a header then a
# 200 MB line (stderr small, memory far below the line's size), a header then 20 MB without a
# newline, a first line longer than the limit that ends with a valid header, NUL bytes after a
# valid header (a trace: exit 0).
. "$(dirname "$0")/lib.sh"
for c in 17_report_garbage_exit0 18_report_note_echoed_whole; do
	out=$("$ROOT/tests/cases/reliability/$c/run" "$ROOT" "$W/$c" 2>&1)
	echo "$out" | tail -2 | sed 's/^/# /'
	[ "$(echo "$out" | tail -1)" = SAME ] || fail "case $c: $(echo "$out" | tail -1)"
done
cd "$W"
# EXPECTED-STATUS NAME ARGS...: within 5 s; EXPECTED-STATUS 2 (not a trace) or "trace" (0 or 1:
# read as a trace; its lone process may be an unfinished finding)
quick() {
	local want=$1 n=$2 rc; shift 2
	timeout -k 1 5 "$REPORT" "$@" >"$n.out" 2>"$n.err" </dev/null; rc=$?
	[ "$want" = trace ] && [ $rc -le 1 ] && want=$rc
	[ $rc = "$want" ] || { head -c 600 "$n.err"; fail "$n: status $rc, expected $want"; }
	[ "$(stat -c %s "$n.err")" -le 2048 ] || fail "$n: stderr $(stat -c %s "$n.err") bytes"
}
quick 2 zero /dev/zero
quick 2 urandom /dev/urandom
truncate -s 2G sparse && quick 2 sparse sparse && rm -f sparse
quick 2 text_pipe <(yes 'this is not a trace')
{ printf '1 1 1 - tlstrace 1 0 /x x\n'; head -c 20M /dev/zero | tr '\0' A; } >nonl.trace
quick trace nonl nonl.trace
grep -q "last line cut short" nonl.err || fail "nonl: no warning about the cut line"
{ head -c 5000 /dev/zero | tr '\0' 1; printf ' 1 1 - tlstrace 1 0 /x x\n'; } >longhead.trace
quick 2 longhead longhead.trace
{ printf '1 1 1 - tlstrace 1 0 /x x\n\0\0\0\n1 1 2 - exit 0\n'; } >nul_after.trace
quick trace nul_after nul_after.trace
grep -q "nul_after.trace:2: binary data" nul_after.err || fail "nul_after: no warning for line 2"
# a 200 MB note line, written through a pipe: stderr stays small, the report's memory too
/usr/bin/time -f %M -o big.rss "$REPORT" <( printf '1 1 1 - tlstrace 1 0 /x x\n1 1 2 - note '; head -c 200M /dev/zero | tr '\0' B; printf '\n1 1 3 - exit 0\n') >big.out 2>big.err
rc=$?; [ $rc -le 1 ] || fail "200 MB line: status $rc"
[ "$(stat -c %s big.err)" -le 5000 ] || fail "200 MB line: stderr $(stat -c %s big.err) bytes"
grep -q "line longer than 4096 bytes (209715[0-9]* bytes" big.err || { head -c 300 big.err; fail "200 MB line: not reported with its length"; }
rss=$(tail -1 big.rss)
note "200 MB line: max RSS $((rss / 1024)) MB"
[ "$rss" -le $((32 * 1024)) ] || fail "200 MB line: max RSS $((rss / 1024)) MB"
true

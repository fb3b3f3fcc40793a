#!/bin/bash
# t059: the report's memory stays near the size of what it keeps, not of the file
# (reliability case 19: 300000 processes of 2 lines, at most 4x + 32 MB). Variants: a trace shaped
# like a real one (bench/run's synthetic uWSGI-like trace, 300000 lines): max RSS at most 2x its
# size + 16 MB; one process with 100000 threads, each with a destructor left open: at most 6x +
# 16 MB and no time quadratic in the threads (30 s, text, --json and --chrome).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
$PY - "$ROOT/bench/run" <<'PY'
import sys
src = open(sys.argv[1]).read()
ns = {}
exec(src[src.index("def synthetic_trace"):src.index("def report():")], ns)
ns["synthetic_trace"]("bench.trace", 300000)
w = open("threads.trace", "w").write
w("1 1 1 - tlstrace 1 0 /x x\n")
for t in range(2, 100002):
    w("1 %d %d - thread_exit return\n1 %d %d - tls_dtor 1 0x0 0+0x1\n" % (t, t, t, t + 1))
w("1 1 999999 - exit 0\n")
PY
# TRACE FACTOR ARGS...: max RSS <= FACTOR x size + 16 MB, within 30 s
rss_check() {
	local t=$1 k=$2 size rss rc; shift 2
	size=$(stat -c %s "$t")
	timeout 30 /usr/bin/time -f %M -o rss "$REPORT" --no-symbols "$@" "$t" >/dev/null 2>err; rc=$?
	[ $rc -le 1 ] || { tail -3 err; fail "$t $*: status $rc"; }
	rss=$(( $(tail -1 rss) * 1024 ))
	note "$t $*: $((size >> 20)) MB, max RSS $((rss >> 20)) MB ($((rss * 100 / size))%)"
	[ $rss -le $((k * size + (16 << 20))) ] || fail "$t $*: max RSS $((rss >> 20)) MB for $((size >> 20)) MB"
}
rss_check bench.trace 2
rss_check bench.trace 2 --json
for o in "" --json "--chrome /dev/null"; do rss_check threads.trace 6 $o; done
# last: the case (its processes have no exit_done line)
out=$("$ROOT/tests/cases/reliability/19_report_memory/run" "$ROOT" "$W/case19" 2>&1)
echo "$out" | tail -2 | sed 's/^/# /'
[ "$(echo "$out" | tail -1)" = SAME ] || fail "case 19: $(echo "$out" | tail -1)"
true

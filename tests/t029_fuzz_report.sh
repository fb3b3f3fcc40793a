#!/bin/bash
# t029: a short libFuzzer run (20 s) of the report's parser, analysis and renderers (make
# fuzz-report: clang, ASan, UBSan) over a corpus of real traces (tests/golden), the inputs the
# fuzzer once failed on (tests/fuzz/corpus: a hang_thread with a holder and no kind of wait) and the bad inputs
# of t021: no crash, no sanitizer report, no timeout. `make fuzz` runs longer.
. "$(dirname "$0")/lib.sh"
command -v clang >/dev/null || skip "clang not installed"
make -s -C "$ROOT" fuzz-report >/dev/null 2>"$W/build.err" || { cat "$W/build.err"; fail "cannot build the fuzzer"; }
mkdir -p "$W/corpus"
cp "$ROOT"/tests/golden/*.trace "$ROOT"/tests/fuzz/corpus/* "$W/corpus/"
cp "$ROOT"/tests/out/t021_report_bad_input/*.trace "$W/corpus/" 2>/dev/null
cd "$W"
ASAN_OPTIONS=detect_leaks=0 timeout 120 "$ROOT/build/fuzz/fuzz_report" -max_total_time=20 -timeout=10 \
	-rss_limit_mb=2048 -artifact_prefix="$W/" corpus >fuzz.log 2>&1
rc=$?
grep -E "^Done [0-9]+ runs" fuzz.log || true
[ $rc = 0 ] || { grep -B5 -A30 "ERROR\|runtime error\|deadly signal\|timeout" fuzz.log | head -60; fail "the fuzzer found a problem (exit $rc); reproducer in $W/crash-*"; }

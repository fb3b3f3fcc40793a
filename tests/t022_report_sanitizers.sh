#!/bin/bash
# t022: tlstrace-report built with AddressSanitizer and UBSan (make asan-report) over every
# golden trace, with and without symbols, in every output mode, and over the bad inputs of t021:
# no sanitizer report. (Leak checking is off: the report frees nothing before it exits.)
. "$(dirname "$0")/lib.sh"
make -s -C "$ROOT" asan-report >/dev/null || fail "cannot build the sanitizer report"
A=$ROOT/build/asan/tlstrace-report
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:exitcode=99
G=$ROOT/tests/golden
check() { # ARGS...: any status but a sanitizer's (99) or a signal
	local rc
	"$A" "$@" >"$W/out" 2>"$W/err"; rc=$?
	if [ $rc = 99 ] || [ $rc -ge 128 ] || grep -q "Sanitizer\|runtime error" "$W/err"; then
		cat "$W/err" | head -30
		fail "sanitizer report for: $*"
	fi
}
for t in "$G"/*.trace; do
	check "$t"
	check --no-symbols "$t"
	check --json "$t"
	check --chrome "$W/c.json" --no-symbols "$t"
	check --all-frames --frames 3 --color=always "$t"
done
check --diff "$G/python3_seed.trace" "$G/uwsgi_seed.trace"
check "$G"/*.trace
# the inputs of the bad-input case, if it ran first
for t in "$ROOT"/tests/out/t021_report_bad_input/*.trace; do
	[ -e "$t" ] && check "$t"
done
check /dev/null
check "$ROOT/tests"

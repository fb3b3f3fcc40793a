#!/bin/bash
# t037: the Python state column when the shim is not preloaded. A preloaded shim reads the
# interpreter as not initialized until main (asking costs page faults at every start); one that a
# running program dlopens asks at once: its module lines after libpython's, written while Python
# runs, say I, and its last, after Py_Finalize, says D (written at all: no collecting of lines for
# a main that already ran).
. "$(dirname "$0")/lib.sh"
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
build late_shim late_shim.c -- -I"$inc" -lpython3.11 -ldl
rm -f "$W/late.trace"
TLSTRACE_FILE=$W/late.trace "$BIN/late_shim" "$SHIM" >"$W/late.out" 2>"$W/late.err"
RC=$?
[ $RC = 0 ] || { cat "$W/late.err"; fail "late_shim exited $RC"; }
[ -s "$W/late.trace" ] || fail "the dlopen'd shim wrote no trace"
normalize late
main=$(pids late '^tlstrace$')
expect_order late "$main" \
	"^$main . tlstrace " \
	"^$main . mod [0-9]+ .*/libpython3\\.11\\.so" \
	"^$main I mod [0-9]+ .*/libc\\.so\\.6$" \
	"^$main D exit_done$"
expect_no_line late "^$main [0-9]+ n "
# the timestamps are CLOCK_MONOTONIC (read through the vDSO): after the program's clock before
# the dlopen, and those of the lines written while main ran before its clock after Py_Finalize
{ read -r t0; read -r t1; } <"$W/late.out"
[ -n "$t0" ] && [ -n "$t1" ] || fail "late_shim printed no clock"
awk -v t0="$t0" -v t1="$t1" '$1 != "#" && NF > 3 {
	if ($3 + 0 < t0 + 0) { print "line before the dlopen: " $0; bad = 1 }
	if ($5 != "exit_done" && $3 + 0 > t1 + 0) { print "line after Py_Finalize returned: " $0; bad = 1 }
	n++ } END { exit bad || !n }' "$W/late.trace" || fail "trace timestamps outside the program's clock"

# and preloaded, Python's own program: not initialized through the start, dead at the end
traced pre $PY -c pass
[ $RC = 0 ] || fail "python3 -c pass exited $RC"
main=$(pids pre '^tlstrace$')
expect_order pre "$main" "^$main n mod [0-9]+ " "^$main D main_return 0$" "^$main D exit_done$"

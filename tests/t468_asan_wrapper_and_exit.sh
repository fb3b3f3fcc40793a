#!/bin/bash
# t468: AddressSanitizer programs (FRESH17b items 1 and 2).
# - The tlstrace wrapper with libasan in LD_PRELOAD (as the README says ASan requires): the
#   command is traced, the caller's LD_PRELOAD reaches the command only (before, the wrapper's
#   own mktemp ran under libasan, whose leak check made it exit 1: "no directory for the trace:
#   running the command untraced", and a /tmp/tlstrace.XXXXXX left behind; with -o, the report
#   ended with LeakSanitizer's output).
# - An ASan report's own exit (a direct exit_group, no exit()): the unfinished finding's fix says
#   the sanitizer ended it and where its report is, not "trace its parent too".
. "$(dirname "$0")/lib.sh"
asan=$(gcc -print-file-name=libasan.so)
[ -e "$asan" ] || skip "no libasan"
gcc -g -fsanitize=address -o "$BIN/asan_uaf" "$ROOT/tests/src/asan_uaf.c" || fail "cannot build asan_uaf"
tmp=$W/tmp && mkdir -p "$tmp"
TMPDIR=$tmp LD_PRELOAD=$asan "$ROOT/tlstrace" -- "$BIN/asan_uaf" >"$W/w.out" 2>"$W/w.err"
rc=$?
[ $rc = 1 ] || fail "wrapper: status $rc, not ASan's 1: $(tail -5 "$W/w.err")"
! grep -q "running the command untraced" "$W/w.err" || fail "untraced: $(grep untraced "$W/w.err")"
grep -q "^tlstrace-report: 1 file, 1 process" "$W/w.err" || fail "no report: $(tail -20 "$W/w.err")"
grep -q "ERROR: AddressSanitizer: heap-use-after-free" "$W/w.err" || fail "no ASan report: $(head "$W/w.err")"
! grep -q "LeakSanitizer" "$W/w.err" || fail "a sanitizer ran in the wrapper's tools: $(grep -A3 LeakSanitizer "$W/w.err")"
[ -z "$(ls -A "$tmp")" ] || fail "left in TMPDIR: $(ls -A "$tmp")"
# -o: the report after it, not LeakSanitizer's
LD_PRELOAD=$asan "$ROOT/tlstrace" -o "$W/o.trace" -- "$BIN/asan_uaf" >/dev/null 2>"$W/o.err"
! grep -q "LeakSanitizer" "$W/o.err" || fail "-o: LeakSanitizer in the report: $(grep -A3 LeakSanitizer "$W/o.err")"
# plain LD_PRELOAD (libasan first): the fix of the unfinished finding
LD_PRELOAD=$asan:$SHIM TLSTRACE_FILE=$W/p.trace "$BIN/asan_uaf" >/dev/null 2>&1
"$REPORT" --color=never "$W/p.trace" >"$W/p.txt" 2>&1
grep -A5 "warning unfinished" "$W/p.txt" | grep -q "fix: *libasan.so[.0-9]*, a sanitizer's runtime, is loaded: after it reports an error .* it ends the process with a direct exit the shim cannot see" ||
	fail "fix: $(grep -A5 'unfinished' "$W/p.txt" | grep 'fix:')"
exit 0

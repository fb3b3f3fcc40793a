#!/bin/bash
# t328: a sanitizer's backtrace through main goes on into glibc as without the shim. The shim's
# frame between glibc and main (exitfns.c main_trampoline) keeps a frame pointer, so
# LeakSanitizer's frame-pointer unwinder reads the same frames plus that one; before, it went
# on into the stack ("([stack]+0x...)") and its symbolizer wrote "error reading file" on stderr.
. "$(dirname "$0")/lib.sh"
ASAN=$(gcc -print-file-name=libasan.so)
[ -e "$ASAN" ] || skip "gcc's libasan not installed"
build leak_in_main_asan leak_in_main.c -- -fsanitize=address -fno-omit-frame-pointer
frames() { sed -n 's/^ *#[0-9][0-9]* 0x[0-9a-f]* in \([^ ]*\).*/\1/p; s/^ *#[0-9][0-9]* 0x[0-9a-f]*  *(\(.*\)).*/(\1)/p' "$1" | sed 's/+0x[0-9a-f]*)/)/'; }
ASAN_OPTIONS=detect_leaks=1 "$BIN/leak_in_main_asan" >"$W/plain.out" 2>"$W/plain.err"
rc0=$?
grep -q 'LeakSanitizer: detected memory leaks' "$W/plain.err" || skip "no leak report without the shim (exit $rc0; ptrace restricted?)"
ASAN_OPTIONS=detect_leaks=1 LD_PRELOAD=$ASAN:$SHIM TLSTRACE_FILE=$W/t.trace "$BIN/leak_in_main_asan" >"$W/shim.out" 2>"$W/shim.err"
rc=$?
[ "$rc" = "$rc0" ] || fail "exit $rc under the shim, $rc0 without"
cmp -s "$W/plain.out" "$W/shim.out" || fail "stdout differs"
frames "$W/plain.err" >"$W/plain.frames"
frames "$W/shim.err" | grep -v '^main_trampoline$' >"$W/shim.frames"
grep -q '^main$' "$W/plain.frames" || fail "no main in the report without the shim: $(cat "$W/plain.err")"
diff "$W/plain.frames" "$W/shim.frames" >"$W/frames.diff" ||
	fail "the report's frames (main_trampoline aside) differ: $(cat "$W/frames.diff")"
grep -qi 'error reading file\|\[stack\]' "$W/shim.err" && fail "the unwinder went into the stack: $(cat "$W/shim.err")"
[ -s "$W/t.trace" ] || fail "no trace"
exit 0

#!/bin/bash
# t014: a dlopen'd plugin touching its thread_locals during teardown: the destructor of first_tls
# reads second_tls (destroyed before it), and its atexit handler reads first_tls (general-dynamic
# lookup) and hidden_tls (local-dynamic lookup, decoded from the instruction after the call). Each
# is flagged once, with the right name, and the process runs on unchanged (output, status); the
# report explains each with the teardown step it happened in.
. "$(dirname "$0")/lib.sh"
build dlopen_main dlopen_main.c -- -ldl
build plugin_atexit.so plugin_atexit.cc -- -shared -fPIC -O2
plain run "$BIN/dlopen_main" "$BIN/plugin_atexit.so"; PLAIN_RC=$RC
traced run "$BIN/dlopen_main" "$BIN/plugin_atexit.so"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 0 ] || fail "exit status $RC"
main=$(pids run '^tlstrace$')
seq_of() { awk -v s="$1" '$4 == "tls_reg" && $11 == s { print $5; exit }' "$W/run.norm"; }
s1=$(seq_of first_tls) s2=$(seq_of second_tls) s3=$(seq_of _ZL10hidden_tls)
[ -n "$s1" ] && [ -n "$s2" ] && [ -n "$s3" ] || fail "registrations missing: '$s1' '$s2' '$s3'"
p='plugin_atexit\.so'
expect_order run "$main" \
	"^$main . main_return 0$" \
	"^$main . tls_dtor $s3 " "^$main . tls_dtor $s2 " \
	"^$main . tls_dtor $s1 " \
	"^$main . uad $s2 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ second_tls [0-9]+ $p\\+0x[0-9a-f]+ gd " \
	"^$main . tls_dtor_end $s1$" \
	"^$main . atexit_run [0-9]+ $p\\+0x" \
	"^$main . uad $s1 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ first_tls [0-9]+ $p\\+0x[0-9a-f]+ gd "
# the handler's two reads come in an order the compiler chooses
expect_order run "$main" "^$main . atexit_run [0-9]+ $p\\+0x" \
	"^$main . uad $s3 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ _ZL10hidden_tls [0-9]+ $p\\+0x[0-9a-f]+ ld "
[ "$(count_lines run " uad ")" = 3 ] || fail "expected exactly 3 uad lines"
# hidden_tls was read three times from one site: one uad line, then the count when the process ends
expect_order run "$main" "^$main . uad $s3 " "^$main . uad_count $s3 $p\\+0x[0-9a-f]+ 3$" "^$main . exit_done$"

$REPORT "$W/run.trace" >"$W/report.txt"; [ $? = 1 ] || fail "report: expected findings"
grep -q "root cause: the destructor of first_tls reads second_tls, which was destroyed before it" "$W/report.txt" || { cat "$W/report.txt"; fail "report: destructor-order cause"; }
grep -q "root cause: the atexit handler plugin_exit_handler() reads first_tls, but exit() destroys" "$W/report.txt" || { cat "$W/report.txt"; fail "report: atexit cause"; }
grep -q "read thread_local hidden_tls of plugin_atexit.so" "$W/report.txt" || { cat "$W/report.txt"; fail "report: hidden_tls"; }

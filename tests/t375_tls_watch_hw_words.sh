#!/bin/bash
# t375: the words of use-after-destroy findings (issue 15, FRESH13 items 6 and m1).
# "order": two dynamic thread_locals of one file, sess declared before reg, sess's destructor
# reads reg. g++ constructs a file's dynamic thread_locals together, in declaration order, at the
# first use of any (its __tls_init: checked with g++ 12 in the program's output, "sess built"
# first though touch() uses reg first). Before, the fix said "construct reg before sess (touch
# it first)", which does not reorder them; now: declare reg before sess (swap the
# declarations), or move it to another file.
# "hw": under TLSTRACE_WATCH=hw an atexit handler reads the executable's destroyed thread_local
# at two sites. Before: each finding said "poisoned value 0x..." (nothing was poisoned: the hit
# is a hardware watchpoint's, its address the object's), and the verdict printed the same line
# twice; now "read or written at 0x..., caught by a hardware watchpoint", and one verdict line
# "at 2 sites". Skipped where hardware breakpoints do not fire (the trace's watch line).
. "$(dirname "$0")/lib.sh"
[ "$ROOT/tests/src/tls_decl_order.cc" -nt "$BIN/libtls_decl_order.so" ] &&
	{ g++ -g -O0 -fPIC -shared -o "$BIN/libtls_decl_order.so" "$ROOT/tests/src/tls_decl_order.cc" || fail "cannot build the library"; }
build tls_decl_order_main tls_decl_order_main.c -- -O0 -L"$BIN" -ltls_decl_order -Wl,-rpath,"$BIN"
build tls_two_sites tls_two_sites.cc -- -O0
cd "$W"

traced order "$BIN/tls_decl_order_main"
[ $RC = 0 ] || fail "order: status $RC"
[ "$(head -1 order.out)" = "sess built" ] || fail "order: g++ built reg first here: $(cat order.out)"
"$REPORT" --color=never order.trace >order.txt 2>&1
fix=$(grep -A4 '^\[[0-9]*\] error use-after-destroy ' order.txt | grep '^    fix:')
[ -n "$fix" ] || fail "order: no use-after-destroy finding: $(grep '^\[' order.txt)"
echo "$fix" | grep -q "fix: *declare reg before sess (swap their declarations) so that it is constructed first and destroyed after: GCC constructs all of one file's dynamic thread_locals in declaration order at the first use of any of them" ||
	fail "order: fix: $fix"
echo "$fix" | grep -q "touch it first" && fail "order: fix: $fix"

traced hw env TLSTRACE_WATCH=hw "$BIN/tls_two_sites"
grep -q " watch hw " hw.trace || skip "hardware breakpoints do not fire here: $(grep ' watch ' hw.trace)"
[ $RC = 0 ] || fail "hw: status $RC"
"$REPORT" --color=never hw.trace >hw.txt 2>&1
[ "$(grep -c '^\[[0-9]*\] error use-after-destroy ' hw.txt)" = 2 ] || fail "hw: findings: $(grep '^\[' hw.txt)"
grep -q "poison" hw.txt && fail "hw: poison words: $(grep poison hw.txt)"
[ "$(grep -c "used thread_local tls_obj after its destructor ran (read or written at 0x[0-9a-f]*, caught by a hardware watchpoint), at on_exit_handler()+0x[0-9a-f]* (tls_two_sites.cc:1[45])" hw.txt)" = 2 ] ||
	fail "hw: messages: $(grep 'used thread_local' hw.txt)"
verdict=$(sed -n '/^verdict/,/^$/p' hw.txt)
[ "$(echo "$verdict" | grep -c '^  1 process')" = 1 ] || fail "hw: verdict: $verdict"
echo "$verdict" | grep -q "^  1 process (tls_two_sites) read thread_local tls_obj (tls_two_sites) after its destructor ran, at 2 sites$" ||
	fail "hw: verdict: $verdict"
exit 0

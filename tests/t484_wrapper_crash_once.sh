#!/bin/bash
# t484: under the tlstrace wrapper a crash is told once (REPORT17 item 6): the shim's crash report
# on stderr is one line (the crash line t139 reads, then "; the report follows when the command
# ends"), the wrapper's report says the rest; the program's own stderr is untouched. Plain
# LD_PRELOAD use keeps the whole block (tlstrace(1) TLSTRACE_STDERR), and so does the wrapper
# when TLSTRACE_STDERR=1 is set.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
mkdir -p "$W" && cd "$W"
cat >crash.c <<'C'
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "program: about to crash\n");
	fflush(stderr);
	volatile int *p = 0;
	return *p;
}
C
gcc -O0 -g -o crash crash.c || fail "build"
"$ROOT/tlstrace" -- ./crash >w.out 2>w.err
[ $? = 139 ] || fail "wrapper: status"
grep -qx "program: about to crash" w.err || fail "wrapper: the program's own stderr"
shim=$(sed -n '/^tlstrace-report:/q;/^tlstrace: /p' w.err)
[ "$(echo "$shim" | wc -l)" = 1 ] || { cat w.err; fail "wrapper: more than one line of the shim's crash report"; }
echo "$shim" | grep -Eq "^tlstrace: process [0-9]+ thread [0-9]+: SIGSEGV \(si_code 1: SEGV_MAPERR\) at 0x0, ip .*; the report follows when the command ends$" ||
	fail "wrapper: the line: $shim"
grep -q "^\[1\] error crash " w.err || { cat w.err; fail "wrapper: no report"; }
TLSTRACE_STDERR=1 "$ROOT/tlstrace" -- ./crash >/dev/null 2>w1.err
grep -q "^tlstrace: backtrace (" w1.err || { cat w1.err; fail "wrapper, TLSTRACE_STDERR=1: no whole block"; }
rm -f p.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/p.trace ./crash 2>p.err
grep -qx "program: about to crash" p.err || fail "plain: the program's own stderr"
grep -q "^tlstrace: backtrace (" p.err && ! grep -q "the report follows" p.err || { cat p.err; fail "plain: not the whole block"; }
echo PASS

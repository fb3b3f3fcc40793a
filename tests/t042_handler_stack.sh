#!/bin/bash
# t042: reliability case 02: a SIGSEGV handler without SA_ONSTACK that needs 32 to 256 KB of stack
# runs on the stack the kernel would give it without the shim (the main thread's), and returns;
# no crash report. And the shim's own signal stack of the main thread: mapped with a PROT_NONE
# guard below it, and not shown to the program (sigaltstack reads "none" at start).
. "$(dirname "$0")/lib.sh"
reliability_case 02
ls "$W"/case-02_main_altstack_no_guard/*.trace >/dev/null || fail "case 02 left no traces"
for t in "$W"/case-02_main_altstack_no_guard/*.trace; do
	! grep -q " crash " "$t" || fail "$(basename "$t"): a handled fault reported as a crash"
done
# the guard: the mapping right below the signal stack the kernel holds is PROT_NONE
cat >"$W/alt.c" <<'SRC'
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
	stack_t k, p;
	char line[512];
	unsigned long lo, hi, base;
	FILE *f;
	syscall(SYS_sigaltstack, NULL, &k); /* what the kernel holds */
	sigaltstack(NULL, &p);              /* what the program is shown */
	printf("program sees flags %d\n", p.ss_flags);
	if (k.ss_flags & SS_DISABLE) { puts("no signal stack"); return 0; }
	base = (unsigned long)k.ss_sp;
	f = fopen("/proc/self/maps", "r");
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && hi == base)
			printf("below: %.4s\n", strchr(line, ' ') + 1);
	return 0;
}
SRC
gcc -O1 -o "$W/alt" "$W/alt.c" || fail "cannot build alt.c"
plain alt "$W/alt"; PLAIN_RC=$RC
traced alt "$W/alt"; TRACED_RC=$RC
[ "$(head -1 "$W/alt.out")" = "$(head -1 "$W/alt.plain.out")" ] || fail "sigaltstack: the program sees '$(head -1 "$W/alt.out")', without the shim '$(head -1 "$W/alt.plain.out")'"
grep -q "^below: ---p$" "$W/alt.out" || { cat "$W/alt.out"; fail "no PROT_NONE guard right below the shim's signal stack"; }

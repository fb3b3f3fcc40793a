/* cold_parts.c - frames in code GCC splits off a function (f.cold, named only in .symtab, which a
 * stripped binary lacks) and in a static function reached by a tail jump (also unnamed, and not a
 * cold part). Built -O2 -fno-toplevel-reorder -rdynamic (the functions in .dynsym), then stripped. MODE=cold crashes in
 * report_error, called from process's cold part; MODE=tail crashes in a static helper jumped to from
 * api_tail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int *volatile null_ptr;
volatile int sink;

__attribute__((noinline, cold)) void report_error(int n)
{
	fprintf(stderr, "bad value %d\n", n);
	*null_ptr = n;
}

__asm__(".text\n.p2align 4\npadding_before: .fill 4096, 1, 0xcc\n");

__attribute__((noinline)) int step(int n)
{
	sink = n;
	return sink + 1;
}

/* n lives across the call to step: process keeps it in a callee-saved register, pushed in its
 * prologue, so its cold part starts inside that frame */
__attribute__((noinline)) int process(int n)
{
	int r = step(n);
	if (n < 0) {
		report_error(n);
		r = -n * 3 + sink;
	}
	return r + n;
}

__attribute__((noinline)) static int helper(int n)
{
	sink = n;
	*null_ptr = n;
	return sink * 2;
}

/* 4 KiB between the parts and the functions that jump to them: a 32-bit jump, as in a large binary */
__asm__(".text\n.p2align 4\npadding_between: .fill 4096, 1, 0xcc\n");

__attribute__((noinline)) int api_tail(int n) { return helper(n + sink); }

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "cold";
	if (!strcmp(mode, "cold"))
		return process(-argc);
	return api_tail(argc);
}

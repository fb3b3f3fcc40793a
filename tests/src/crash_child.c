/* crash_child.c - dies of a crash signal of its own (t373): segv (a null read: SIGSEGV,
 * SEGV_MAPERR), abort (SIGABRT), fpe (an integer division by zero: SIGFPE). A supervisor that
 * mirrors its child's death (timeout(1)) then raises the same signal itself. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	volatile int zero = 0, *null = 0;
	if (argc > 1 && !strcmp(argv[1], "abort"))
		abort();
	if (argc > 1 && !strcmp(argv[1], "fpe"))
		return 100 / zero; /* (not 1 / zero: GCC makes that a comparison) */
	return *null;
}

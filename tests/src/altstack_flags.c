/* altstack_flags.c - sigaltstack called with flags the kernel refuses, and with SS_DISABLE,
 * while the program has no signal stack of its own: each return value and errno (t329) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
static void try(const char *what, int flags)
{
	stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = flags}, old;
	errno = 0;
	int r = sigaltstack(&ss, NULL);
	printf("%s: %d errno %d", what, r, errno);
	sigaltstack(NULL, &old);
	printf(", then flags %d\n", old.ss_flags);
}
int main(void)
{
	try("flags 99 (SS_DISABLE among others)", 99);
	try("SS_DISABLE|SS_ONSTACK", SS_DISABLE | SS_ONSTACK);
	try("SS_DISABLE|1<<30", SS_DISABLE | (1 << 30));
	try("SS_DISABLE|SS_AUTODISARM", (int)(SS_DISABLE | (1U << 31)));
	try("SS_DISABLE", SS_DISABLE);
	return 0;
}

/* onstack_term_printf.c [own]: a SIGTERM handler installed with SA_ONSTACK that counts, raised
 * once, then printf from main; with "own" on a signal stack of the program's (64 KiB), else on
 * none of its own (the kernel takes the thread's: the shim's). Prints "handled 1" (t413). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t handled;
static void on_term(int sig)
{
	(void)sig;
	handled++;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {0};
	if (argc > 1 && !strcmp(argv[1], "own")) {
		stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536};
		if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0)
			return 2;
	}
	sa.sa_handler = on_term;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGTERM, &sa, NULL);
	raise(SIGTERM);
	printf("handled %d\n", (int)handled);
	return 0;
}

/* onstack_no_altstack.c - handlers installed with SA_ONSTACK while the program has no signal
 * stack of its own (t397): without one the kernel runs them on the interrupted stack, the main
 * thread's; each uses KIB KiB of stack (argv[1], default 256) for SIGWINCH, SIGALRM, SIGCHLD
 * (the kernel runs those directly), SIGUSR1, SIGTERM (the shim's trampolines) and SIGRTMIN+1.
 * Prints one line per signal; exit status 0. The handler writes a byte in each page of its
 * alloca from the top down, so a stack too small faults at its guard instead of writing past it. */
#define _GNU_SOURCE
#include <alloca.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t kib = 256;

static void big(int sig)
{
	volatile char *buf = alloca(kib * 1024);
	for (size_t i = kib * 1024; i > 0; i -= 4096)
		buf[i - 1] = 1;
	printf("signal %d: used %zu KiB\n", sig, kib);
}

int main(int argc, char **argv)
{
	int sigs[] = {SIGWINCH, SIGALRM, SIGCHLD, SIGUSR1, SIGTERM, SIGRTMIN + 1};
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1)
		kib = strtoul(argv[1], NULL, 10);
	for (int i = 0; i < 6; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = big;
		sa.sa_flags = SA_ONSTACK | SA_RESTART;
		sigaction(sigs[i], &sa, NULL);
		raise(sigs[i]);
	}
	return 0;
}

/* hostile14_onstack.c - SA_ONSTACK handlers using SZ bytes with no signal stack of the program (-DSZ=...) */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static char *main_hi;
static void big(int sig)
{
	volatile char buf[SZ];
	char here;
	memset((char *)buf, 1, sizeof buf);
	printf("sig %d: used SZ, on main stack %d\n", sig, &here < main_hi && &here > main_hi - (8 << 20));
}
int main(int argc, char **argv)
{
	char top; main_hi = &top + 4096;
	setvbuf(stdout, NULL, _IONBF, 0);
	int sigs[] = {SIGWINCH, SIGALRM, SIGCHLD, SIGUSR1, SIGTERM, SIGRTMIN + 1};
	for (int i = 0; i < 6; i++) {
		struct sigaction sa = {0};
		sa.sa_handler = big;
		sa.sa_flags = SA_ONSTACK | SA_RESTART;
		sigaction(sigs[i], &sa, NULL);
		raise(sigs[i]);
	}
	(void)argc; (void)argv;
	return 0;
}

/* inherit.c - what a program inherited across exec and then does with it: reads the disposition
 * and mask of SIGSEGV, SIGFPE, SIGBUS, SIGTERM, SIGINT; then faults (argv[1]: segv, fpe, none) */
#include <signal.h>
#include <stdio.h>
#include <string.h>
static volatile int zero, seven = 7;
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	int sigs[] = {SIGSEGV, SIGFPE, SIGBUS, SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGPIPE};
	sigset_t m; sigprocmask(SIG_SETMASK, 0, &m);
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction sa; sigaction(sigs[i], 0, &sa);
		printf("%d %s blocked %d\n", sigs[i], sa.sa_handler == SIG_IGN ? "IGN" : sa.sa_handler == SIG_DFL ? "DFL" : "handler", sigismember(&m, sigs[i]));
	}
	if (argc > 1 && !strcmp(argv[1], "segv")) *(volatile int *)0 = 1;
	if (argc > 1 && !strcmp(argv[1], "fpe")) printf("%d\n", seven / zero);
	if (argc > 1 && !strcmp(argv[1], "term")) raise(SIGTERM);
	printf("survived\n");
	return 0;
}

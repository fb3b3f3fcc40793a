/* hostile14_alt.c - uc_stack in handlers the kernel runs itself, and a signal stack set inside a handler */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
static char *own;
static void h_set(int sig, siginfo_t *si, void *u)
{
	ucontext_t *uc = u; (void)si;
	printf("in %d: uc_stack sp_null %d size %zu flags %d\n", sig, uc->uc_stack.ss_sp == NULL, uc->uc_stack.ss_size, uc->uc_stack.ss_flags);
	if (sig == SIGUSR1) {
		stack_t ss = {.ss_sp = own, .ss_size = 1 << 16};
		printf("sigaltstack in handler: %d\n", sigaltstack(&ss, NULL));
		stack_t q; sigaltstack(NULL, &q);
		printf("  read in handler: mine %d size %zu flags %d\n", q.ss_sp == own, q.ss_size, q.ss_flags);
	}
}
static void h_on(int sig)
{
	char here;
	printf("handler %d on own altstack %d\n", sig, &here >= own && &here < own + (1 << 16));
}
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	own = malloc(1 << 16);
	int s = argc > 1 ? atoi(argv[1]) : SIGUSR1;
	struct sigaction sa = {0};
	sa.sa_sigaction = h_set; sa.sa_flags = SA_SIGINFO;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGWINCH); raise(SIGALRM);
	(void)s;
	raise(SIGUSR1);
	stack_t q; sigaltstack(NULL, &q);
	printf("after: mine %d size %zu flags %d\n", q.ss_sp == own, q.ss_size, q.ss_flags);
	struct sigaction on = {0};
	on.sa_handler = h_on; on.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &on, NULL);
	sigaction(SIGTERM, &on, NULL);
	raise(SIGUSR2);
	raise(SIGTERM);
	return 0;
}

/* altstack_in_handler.c - what a handler of the program's finds in its frame's uc_stack on the
 * main thread, and a signal stack the program sets from inside a handler: after the handler
 * returns, sigaltstack reports it and an SA_ONSTACK handler runs on it. t395.
 * usage: altstack_in_handler SIG   (the handler's signal: 10 SIGUSR1, 15 SIGTERM, 11 SIGSEGV
 * raised, 11f SIGSEGV by a real fault that the handler skips) */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define OWN_SIZE (1 << 16)
static char *own;

static void set_in_handler(int sig, siginfo_t *si, void *u)
{
	ucontext_t *uc = u;
	stack_t ss = {.ss_sp = own, .ss_size = OWN_SIZE}, q;
	printf("handler %d: uc_stack sp %s size %zu flags %d\n", sig, uc->uc_stack.ss_sp ? "set" : "NULL",
	       uc->uc_stack.ss_size, uc->uc_stack.ss_flags);
	if (sig == SIGSEGV && si->si_code > 0)
		uc->uc_mcontext.gregs[REG_RIP] += 6; /* the 6-byte movl below */
	printf("sigaltstack in the handler: %d\n", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &q);
	printf("read in the handler: own %d size %zu flags %d\n", q.ss_sp == own, q.ss_size, q.ss_flags);
}

static void on_stack(int sig)
{
	char here;
	printf("SA_ONSTACK handler %d on the program's stack: %d\n", sig, &here >= own && &here < own + OWN_SIZE);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 2)
		return 2;
	int sig = atoi(argv[1]), fault = strchr(argv[1], 'f') != NULL;
	own = malloc(OWN_SIZE);
	struct sigaction sa = {0}, on = {0};
	sa.sa_sigaction = set_in_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
	if (fault)
		__asm__ volatile("xor %%eax,%%eax\n\t.byte 0xc7,0x00,0x01,0x00,0x00,0x00" ::: "rax", "memory");
	else
		raise(sig);
	stack_t q;
	sigaltstack(NULL, &q);
	printf("after the handler: own %d size %zu flags %d\n", q.ss_sp == own, q.ss_size, q.ss_flags);
	on.sa_handler = on_stack;
	on.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &on, NULL);
	sigaction(SIGHUP, &on, NULL);
	raise(SIGUSR2);
	raise(SIGHUP);
	return 0;
}

/* ucontext.c - coroutines: a SIGSEGV handler (a coroutine's guard page hit) leaves by
 * setcontext/swapcontext to the scheduler instead of returning or siglongjmp; then the program
 * goes on and exits 0 (argv[1]: exit, return, _exit) */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
static ucontext_t sched_ctx, co_ctx;
static char *guard;
static volatile int hits;
static void segv(int s, siginfo_t *si, void *uc)
{
	(void)s; (void)uc;
	if ((char *)si->si_addr >= guard && (char *)si->si_addr < guard + 4096) {
		hits++;
		setcontext(&sched_ctx); /* never returns: the coroutine is dropped */
	}
	abort();
}
static void co(void) { guard[10] = 1; }
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	static char altstk[65536];
	stack_t ss = {.ss_sp = altstk, .ss_size = sizeof altstk};
	sigaltstack(&ss, 0);
	struct sigaction sa = {0}; sa.sa_sigaction = segv; sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, 0);
	char *stk = mmap(0, 65536 + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	guard = stk; mprotect(guard, 4096, PROT_NONE);
	for (int i = 0; i < 3; i++) {
		volatile int back = 0;
		getcontext(&sched_ctx);
		if (back) continue;
		back = 1;
		getcontext(&co_ctx);
		co_ctx.uc_stack.ss_sp = stk + 4096; co_ctx.uc_stack.ss_size = 65536; co_ctx.uc_link = &sched_ctx;
		makecontext(&co_ctx, co, 0);
		swapcontext(&sched_ctx, &co_ctx);
	}
	printf("coroutine guard hits %d\n", hits);
	if (argc > 1 && !strcmp(argv[1], "_exit")) _exit(0);
	if (argc > 1 && !strcmp(argv[1], "exit")) exit(0);
	return 0;
}

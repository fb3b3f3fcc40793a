/* review/altstack.c MODE: handlers on the program's own small sigaltstack (SA_ONSTACK): the
 * kernel's minimum (_SC_MINSIGSTKSZ) plus EXTRA bytes; a SIGSEGV left by siglongjmp, a SIGUSR1
 * that returns, in main and in a thread, 200 times each */
#include "state.h"
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/auxv.h>
static __thread sigjmp_buf jb;
static volatile int hits;
static void h_segv(int s) { (void)s; hits++; siglongjmp(jb, 1); }
static void h_usr1(int s) { (void)s; hits++; }
static size_t extra;
static void run(void)
{
	size_t sz = getauxval(AT_MINSIGSTKSZ) + extra;
	stack_t ss = {.ss_sp = malloc(sz), .ss_size = sz};
	if (sigaltstack(&ss, NULL)) { printf("sigaltstack %zu refused\n", sz); return; }
	for (int i = 0; i < 200; i++) {
		if (sigsetjmp(jb, 1) == 0) *(volatile int *)(uintptr_t)8 = 0;
		raise(SIGUSR1);
	}
}
static void *thr(void *a) { run(); return a; }
int main(int argc, char **argv)
{
	extra = argc > 2 ? atoi(argv[2]) : 1024;
	struct sigaction sa = {0};
	sa.sa_flags = SA_ONSTACK;
	sa.sa_handler = h_segv; sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = h_usr1; sigaction(SIGUSR1, &sa, NULL);
	if (!strcmp(argv[1], "thread")) { pthread_t t; pthread_create(&t, NULL, thr, NULL); pthread_join(t, NULL); }
	else run();
	printf("%s: AT_MINSIGSTKSZ %lu + %zu: %d handler runs\n", argv[1], getauxval(AT_MINSIGSTKSZ), extra, hits);
	return 0;
}

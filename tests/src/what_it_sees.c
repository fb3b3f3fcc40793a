/* what_it_sees.c - what a program can read of its own state, which the shim must leave as it
 * would be without it (t193). Modes:
 *   state: creates pthread keys until it cannot (all PTHREAD_KEYS_MAX must succeed), prints its
 *          signal mask in the main thread and in a thread (each blocking other signals), every
 *          disposition it reads with sigaction(), and its sigaltstack;
 *   small MODE: a thread with a 16 KiB stack that takes signals with the program's handlers:
 *          usr (50 SIGUSR1, SA_NODEFER, a 2 KiB frame each), fix (a write fault the handler
 *          fixes with mprotect and returns), jmp (3 faults left with siglongjmp);
 *   twice: an SA_NODEFER|SA_RESETHAND SIGSEGV handler whose own fault then kills the process. */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void print_mask(const char *who)
{
	sigset_t m;
	unsigned long long v = 0;
	pthread_sigmask(SIG_BLOCK, NULL, &m);
	for (int i = 1; i < 65; i++)
		if (sigismember(&m, i))
			v |= 1ull << (i - 1);
	printf("%s: mask %llx\n", who, v);
}

static void *mask_thread(void *a)
{
	sigset_t b;
	print_mask("thread at start");
	sigemptyset(&b);
	sigaddset(&b, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &b, NULL);
	print_mask("thread after blocking SIGHUP");
	return a;
}

static void state(void)
{
	pthread_key_t k;
	int n = 0;
	sigset_t b;
	pthread_t t;
	struct sigaction sa;
	stack_t ss;
	while (pthread_key_create(&k, NULL) == 0)
		n++;
	printf("keys created: %d of %d\n", n, PTHREAD_KEYS_MAX);
	print_mask("main");
	sigemptyset(&b);
	sigaddset(&b, SIGUSR2);
	sigaddset(&b, SIGTERM);
	sigaddset(&b, SIGRTMIN + 3);
	pthread_sigmask(SIG_BLOCK, &b, NULL);
	print_mask("main after blocking");
	pthread_create(&t, NULL, mask_thread, NULL);
	pthread_join(t, NULL);
	for (int s = 1; s < 65; s++)
		if (sigaction(s, NULL, &sa) == 0 && (sa.sa_handler != SIG_DFL || sa.sa_flags))
			printf("signal %d: handler %s, flags %x\n", s, sa.sa_handler == SIG_IGN ? "SIG_IGN" : "set", sa.sa_flags);
	sigaltstack(NULL, &ss);
	printf("sigaltstack: flags %d, size %zu\n", ss.ss_flags, ss.ss_size);
}

static __thread sigjmp_buf jb;
static __thread volatile int got;
static char *page;
static const char *small_mode;
static void h_fix(int s, siginfo_t *si, void *uc) { (void)s; (void)si; (void)uc; mprotect(page, 4096, PROT_READ | PROT_WRITE); }
static void h_jmp(int s) { (void)s; siglongjmp(jb, 1); }
static void h_usr(int s)
{
	char b[2048];
	memset(b, s, sizeof b);
	got += b[7] == s;
}

static void *small_thread(void *a)
{
	if (!strcmp(small_mode, "usr")) {
		for (int i = 0; i < 50; i++)
			pthread_kill(pthread_self(), SIGUSR1);
		printf("usr: %d handled\n", got);
	} else if (!strcmp(small_mode, "fix")) {
		page[0] = 1;
		printf("fix: %d\n", page[0]);
	} else {
		int n = 0;
		for (int i = 0; i < 3; i++)
			if (!sigsetjmp(jb, 1))
				*(volatile int *)16 = 1;
			else
				n++;
		printf("jmp: %d\n", n);
	}
	return a;
}

static void small(const char *mode)
{
	struct sigaction sa;
	pthread_attr_t at;
	pthread_t t;
	small_mode = mode;
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&sa, 0, sizeof sa);
	if (!strcmp(mode, "usr")) {
		sa.sa_handler = h_usr;
		sa.sa_flags = SA_NODEFER;
		sigaction(SIGUSR1, &sa, NULL);
	} else if (!strcmp(mode, "fix")) {
		sa.sa_sigaction = h_fix;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
	} else {
		sa.sa_handler = h_jmp;
		sigaction(SIGSEGV, &sa, NULL);
	}
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 16384);
	if (pthread_create(&t, &at, small_thread, NULL) != 0) {
		puts("pthread_create failed");
		exit(3);
	}
	pthread_join(t, NULL);
}

static volatile int faults;
static void h_twice(int s)
{
	(void)s;
	printf("handler %d\n", ++faults);
	fflush(stdout);
	*(volatile int *)24 = 1; /* SA_RESETHAND: this one has the default action */
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "state";
	if (!strcmp(mode, "state"))
		state();
	else if (!strcmp(mode, "small") && argc > 2)
		small(argv[2]);
	else if (!strcmp(mode, "twice")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = h_twice;
		sa.sa_flags = SA_NODEFER | SA_RESETHAND;
		sigaction(SIGSEGV, &sa, NULL);
		*(volatile int *)16 = 1;
	}
	return 0;
}

/* hostile15_sigstack.c N: SA_ONSTACK handlers of SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGSEGV,
 * SIGABRT, SIGPIPE on a program's signal stack of AT_MINSIGSTKSZ + N bytes (ABS=1: N bytes), main and
 * a thread: the bytes each delivery used, and whether memory below the stack was written.
 * review/run-hostile15.sh */
/* how much of a program's signal stack a handler's delivery uses, and whether memory below it is touched */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>
static volatile int hits;
static void h(int s) { (void)s; hits++; }
static char *page;
static void hsegv(int s) { (void)s; mprotect(page, 4096, PROT_READ | PROT_WRITE); hits++; }
#define BELOW 65536
static void run(const char *tag, size_t extra)
{
	size_t min = getenv("ABS") ? 0 : getauxval(AT_MINSIGSTKSZ); if (!getenv("ABS") && min < 2048) min = 2048;
	size_t sz = min + extra;
	unsigned char *buf = malloc(BELOW + sz);
	memset(buf, 0xa5, BELOW + sz);
	stack_t ss = {.ss_sp = buf + BELOW, .ss_size = sz};
	if (sigaltstack(&ss, NULL)) { perror("sigaltstack"); return; }
	int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGSEGV, SIGABRT, SIGPIPE};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		memset(buf, 0xa5, BELOW + sz);
		struct sigaction sa = {0}; sa.sa_handler = sigs[i] == SIGSEGV ? hsegv : h; sa.sa_flags = SA_ONSTACK; sigaction(sigs[i], &sa, NULL);
		if (sigs[i] == SIGSEGV) { page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); *(volatile char *)page = 1; munmap(page, 4096); }
		else raise(sigs[i]);
		size_t low = 0; while (low < BELOW + sz && buf[low] == 0xa5) low++;
		long used = (long)(BELOW + sz) - (long)low;
		printf("%s sig %2d: stack %zu, used %ld%s\n", tag, sigs[i], sz, used, used > (long)sz ? " BELOW THE STACK" : "");
	}
	stack_t off = {.ss_flags = SS_DISABLE}; sigaltstack(&off, NULL);
	free(buf);
}
static void *th(void *a) { run("thread", (size_t)a); return NULL; }
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	size_t extra = argc > 1 ? atol(argv[1]) : 0;
	run("main", extra);
	pthread_t t; pthread_create(&t, NULL, th, (void *)extra); pthread_join(t, NULL);
	printf("hits %d\n", hits);
	return 0;
}

/* alloc.c - an allocator's hard moments: threads that malloc while main exits, fork from a
 * signal handler (async-signal-safe in POSIX.1-2008's list once), posix_spawn, realloc churn,
 * aligned_alloc, malloc_usable_size; exit status 5. */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
static void *churn(void *a)
{
	(void)a;
	for (;;) { void *p = malloc(64); p = realloc(p, 100000); free(p); void *q = aligned_alloc(4096, 8192); free(q); }
	return 0;
}
static volatile pid_t hp = -1;
static void h(int s) { (void)s; pid_t p = fork(); if (!p) _exit(6); hp = p; }
int main(void)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	signal(SIGUSR1, h);
	raise(SIGUSR1);
	int st; waitpid(hp, &st, 0); printf("fork in handler child %d\n", WEXITSTATUS(st));
	char *av[] = {"sh", "-c", "exit 7", 0}; pid_t p;
	posix_spawn(&p, "/bin/sh", 0, 0, av, environ); waitpid(p, &st, 0); printf("spawn %d\n", WEXITSTATUS(st));
	pthread_t t[4]; for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, churn, 0);
	usleep(20000);
	p = fork();
	if (!p) { void *x = malloc(1 << 20); printf("child malloc %d\n", x != 0); fflush(stdout); pthread_create(&t[0], 0, churn, 0); usleep(10000); exit(8); }
	waitpid(p, &st, 0); printf("fork child %d\n", WEXITSTATUS(st));
	exit(5);
}

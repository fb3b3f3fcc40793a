/* review/alloc.c MODE: fork/spawn shapes under a preloaded allocator (kind 04) */
#define _GNU_SOURCE
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
static __thread char *tl;
static void *work(void *a)
{
	for (int i = 0; i < 1000; i++) { free(tl); tl = malloc(16 + i); }
	char *p = strdup("x"); free(p);
	return a;
}
static void threads(int n)
{
	pthread_t t[8];
	for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
}
static int wait_child(pid_t p)
{
	int st;
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
int main(int argc, char **argv)
{
	const char *m = argv[1];
	if (!strcmp(m, "fork_threads")) {
		/* threads before the fork, busy in malloc while main forks; the child makes threads */
		pthread_t t[4];
		for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, NULL);
		pid_t p = fork();
		if (p == 0) { threads(4); _exit(3); }
		for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
		printf("child %d\n", wait_child(p));
	} else if (!strcmp(m, "fork_exit")) {
		/* the child exits with exit(), running atexit and TLS destructors under the allocator */
		work(NULL);
		pid_t p = fork();
		if (p == 0) { threads(2); exit(4); }
		printf("child %d\n", wait_child(p));
	} else if (!strcmp(m, "fork_fork")) {
		pid_t p = fork();
		if (p == 0) {
			pid_t q = fork();
			if (q == 0) { threads(2); _exit(6); }
			_exit(wait_child(q) + 1);
		}
		printf("child %d\n", wait_child(p));
	} else if (!strcmp(m, "spawn")) {
		pid_t p;
		char *av[] = {"/bin/sh", "-c", "exit 5", NULL};
		int e = posix_spawn(&p, "/bin/sh", NULL, NULL, av, environ);
		printf("spawn %d child %d\n", e, wait_child(p));
		char *av2[] = {"/nonexistent/x", NULL};
		e = posix_spawn(&p, "/nonexistent/x", NULL, NULL, av2, environ);
		printf("spawn missing -> %d\n", e);
	} else if (!strcmp(m, "system")) {
		int r = system("exit 7");
		printf("system %d\n", WEXITSTATUS(r));
	}
	return 0;
}

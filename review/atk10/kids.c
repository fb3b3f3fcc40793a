/* kids.c - exec and children: vfork+execve of a static binary, posix_spawn of it with a mask and
 * ignored signals, a thread forking while main exits, pthread_atfork handlers that malloc. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
static __thread void *blob;
static void pre(void) { blob = malloc(100000); }
static void parent(void) { free(blob); }
static void child(void) { free(blob); blob = malloc(10); }
static void *forker(void *a)
{
	(void)a;
	for (int i = 0; i < 20; i++) {
		pid_t p = fork();
		if (!p) { void *x = malloc(1000); free(x); _exit(i); }
		int st; waitpid(p, &st, 0);
		if (WEXITSTATUS(st) != i) printf("bad child %d\n", i);
	}
	return 0;
}
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	const char *st = argv[1];
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR2); sigprocmask(SIG_BLOCK, &m, 0);
	struct sigaction sa = {0}; sa.sa_handler = SIG_DFL; sigaction(SIGUSR1, &sa, 0);
	char *av[] = {(char *)st, 0};
	pid_t p = vfork();
	if (!p) { execve(st, av, environ); _exit(127); }
	int s; waitpid(p, &s, 0); printf("vfork+execve static: %d\n", WEXITSTATUS(s));
	posix_spawnattr_t at; posix_spawnattr_init(&at);
	sigset_t mm; sigemptyset(&mm); sigaddset(&mm, SIGTERM); posix_spawnattr_setsigmask(&at, &mm);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	posix_spawn(&p, st, 0, &at, av, environ); waitpid(p, &s, 0); printf("posix_spawn static: %d\n", WEXITSTATUS(s));
	pthread_atfork(pre, parent, child);
	pthread_t t[3]; for (int i = 0; i < 3; i++) pthread_create(&t[i], 0, forker, 0);
	for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
	pthread_create(&t[0], 0, forker, 0);
	printf("exit while a thread forks\n");
	exit(argc);
}

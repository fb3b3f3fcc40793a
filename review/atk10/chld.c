/* chld.c - SIGCHLD ignored or handled by a reaper while system(), wait() and popen() run; exit
 * from two threads at once; RLIMIT_NPROC as another user with a fork in an atexit handler */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int reaped;
static void reaper(int s) { (void)s; int e = errno; while (waitpid(-1, 0, WNOHANG) > 0) reaped++; errno = e; }
static void *exiter(void *a) { exit((int)(long)a); }
static void ae_fork(void)
{
	pid_t p = fork();
	if (p == 0) _exit(0);
	printf("atexit fork %s\n", p > 0 ? "ok" : strerror(errno)); fflush(stdout);
	if (p > 0) waitpid(p, 0, 0);
}
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	(void)argc;
	if (!strcmp(argv[1], "ign")) {
		signal(SIGCHLD, SIG_IGN);
		int r = system("exit 3"); printf("system %d errno %s\n", r, r < 0 ? strerror(errno) : "-");
		if (fork() == 0) _exit(4);
		errno = 0; r = wait(0); printf("wait %d %s\n", r, strerror(errno));
		FILE *f = popen("echo hi; exit 5", "r"); char b[16] = {0}; fgets(b, sizeof b, f);
		r = pclose(f); printf("popen %s pclose %d %s\n", strtok(b, "\n"), r, r < 0 ? strerror(errno) : "-");
	} else if (!strcmp(argv[1], "reaper")) {
		struct sigaction sa = {0}; sa.sa_handler = reaper; sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
		sigaction(SIGCHLD, &sa, 0);
		for (int i = 0; i < 5; i++) { int r = system("exit 3"); printf("system %d\n", r); }
		FILE *f = popen("exit 6", "r"); int r = pclose(f); printf("pclose %d %s\n", r, r < 0 ? strerror(errno) : "-");
		pid_t p = fork(); if (!p) _exit(1);
		while (!reaped) pause();
		printf("reaped %d\n", reaped > 0);
	} else if (!strcmp(argv[1], "exit2")) {
		pthread_t t; pthread_create(&t, 0, exiter, (void *)7L);
		exit(7);
	} else if (!strcmp(argv[1], "nproc")) {
		struct rlimit rl = {atoi(argv[2]), atoi(argv[2])};
		if (setgid(54321) || setuid(54321)) { perror("setuid"); return 2; }
		printf("setrlimit %d\n", setrlimit(RLIMIT_NPROC, &rl));
		atexit(ae_fork);
		pthread_t t; int e = pthread_create(&t, 0, (void *(*)(void *))pause, 0);
		printf("pthread_create %s\n", e ? strerror(e) : "ok");
		if (!e) { pthread_cancel(t); pthread_join(t, 0); }
		return 3;
	}
	return 0;
}

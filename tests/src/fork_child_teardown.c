/* fork_child_teardown.c - a teardown that forks after the hang watchdog's rounds began, whose
 * child then has a teardown of its own (t386). The parent's atexit handler sleeps MS ms (its
 * watchdog writes its first snapshots meanwhile), then forks; the child registers an atexit
 * handler that sleeps MS ms and calls exit(3) (its own teardown, its own watchdog); the parent
 * waits for it and prints its status. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ms;

static void nap(void)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void parent_handler(void)
{
	int st = 0;
	pid_t p;
	nap();
	p = fork();
	if (p == 0) {
		atexit(nap);
		exit(3);
	}
	waitpid(p, &st, 0);
	printf("child exited %d\n", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ms = argc > 1 ? atoi(argv[1]) : 500;
	atexit(parent_handler);
	return 0;
}

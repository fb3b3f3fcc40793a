/* atfork_thread.c - a pthread_atfork child handler that starts a thread (as ThreadSanitizer's
 * runtime starts its background thread in a fork child), then the child starts another one;
 * each thread prints the name it was given. One CPU and SCHED_FIFO where allowed, so that the
 * first thread runs only when the child waits for them (t331). Exit 0; 2 where the scheduling
 * cannot be set. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static pthread_t from_handler;
static int handler_started;
static void *say(void *name)
{
	printf("thread %s\n", (const char *)name);
	fflush(stdout);
	return NULL;
}
static void child_handler(void) { handler_started = pthread_create(&from_handler, NULL, say, "from the atfork handler") == 0; }
int main(void)
{
	cpu_set_t one;
	struct sched_param sp = {.sched_priority = 1};
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof one, &one) != 0 || sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
		return 2;
	pthread_atfork(NULL, NULL, child_handler);
	pid_t p = fork();
	if (p == 0) {
		pthread_t t;
		pthread_create(&t, NULL, say, "from main");
		pthread_join(t, NULL);
		if (handler_started)
			pthread_join(from_handler, NULL);
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* threads_count.c - threads alive at exit, some of which ended without the shim seeing it (a raw
 * exit system call) while others keep starting: the threads_alive line's count must be the
 * number of threads it lists (t138). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* ends the thread with the raw system call: no pthread exit, no TLS destructors */
static void *raw_exit(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 0);
	return NULL;
}

static void *starter(void *arg)
{
	pthread_t t;
	(void)arg;
	for (;;)
		if (pthread_create(&t, NULL, raw_exit, NULL) == 0)
			pthread_detach(t);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int i, n = argc > 1 ? atoi(argv[1]) : 3;
	for (i = 0; i < n; i++)
		pthread_create(&t, NULL, sleeper, NULL);
	for (i = 0; i < 3; i++) {
		pthread_create(&t, NULL, raw_exit, NULL);
		pthread_detach(t);
	}
	usleep(100000); /* the raw_exit threads are gone */
	if (argc > 2)
		pthread_create(&t, NULL, starter, NULL);
	usleep(20000);
	exit(0);
}

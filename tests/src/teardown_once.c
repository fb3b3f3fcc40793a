/* teardown_once.c (t341): teardown steps that wait on glibc objects other than a mutex. once: an
 * atexit handler calls pthread_once while a thread runs the init routine, which waits on a
 * semaphore nobody posts; join_sem: a destructor function (_dl_fini) joins a thread that waits
 * on that semaphore. The thread is in its wait before main returns (a flag, then its futex wait
 * seen by the snapshot); the runner kills the process. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sem_t go_sem;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static pthread_t worker;
static volatile int started;

static void load_config(void)
{
	started = 1;
	while (sem_wait(&go_sem) != 0)
		;
}
static void *once_runner(void *a)
{
	(void)a;
	pthread_once(&config_once, load_config);
	return NULL;
}
static void *sem_waiter(void *a)
{
	(void)a;
	load_config();
	return NULL;
}
static void config_at_exit(void) { pthread_once(&config_once, load_config); }
static int join_at_fini;
static void __attribute__((destructor)) stop_worker(void)
{
	if (join_at_fini)
		pthread_join(worker, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "once";
	sem_init(&go_sem, 0, 0);
	pthread_create(&worker, NULL, !strcmp(mode, "once") ? once_runner : sem_waiter, NULL);
	pthread_setname_np(worker, "worker");
	while (!started)
		usleep(1000);
	if (!strcmp(mode, "once"))
		atexit(config_at_exit);
	else
		join_at_fini = 1;
	printf("ready\n");
	fflush(stdout);
	return 0;
}

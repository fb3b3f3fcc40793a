/* rwlock_writer_gone.c (t417): a thread write-locks a pthread_rwlock_t and ends without unlocking
 * it (mode cancel: cancelled in pause, no cleanup handler; mode return: returns with it held);
 * then main's atexit handler takes the lock (a read lock; wr- modes: a write lock), which nobody
 * will ever unlock. The runner kills the process once the hang is seen. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_rwlock_t cfg_lock = PTHREAD_RWLOCK_INITIALIZER;
static sem_t taken;
static const char *mode;

static void *reloader(void *a)
{
	(void)a;
	pthread_rwlock_wrlock(&cfg_lock);
	sem_post(&taken);
	if (strstr(mode, "return"))
		return NULL;
	for (;;)
		pause(); /* a cancellation point, the lock held */
	return NULL;
}

static void save_config(void)
{
	if (!strncmp(mode, "wr", 2))
		pthread_rwlock_wrlock(&cfg_lock);
	else
		pthread_rwlock_rdlock(&cfg_lock);
	pthread_rwlock_unlock(&cfg_lock);
}

int main(int argc, char **argv)
{
	pthread_t t;
	mode = argc > 1 ? argv[1] : "cancel";
	sem_init(&taken, 0, 0);
	pthread_create(&t, NULL, reloader, NULL);
	pthread_setname_np(t, "reloader");
	while (sem_wait(&taken) != 0)
		;
	if (!strstr(mode, "return"))
		pthread_cancel(t);
	pthread_join(t, NULL);
	atexit(save_config);
	printf("ready\n");
	fflush(stdout);
	return 0;
}

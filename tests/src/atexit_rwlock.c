/* atexit_rwlock.c (t340, t417): an atexit handler blocks on a pthread_rwlock_t another thread keeps
 * (mode rd: the handler's rdlock, a writer asleep in pause; wr: the handler's wrlock, a writer
 * waiting on a condition nobody signals; readers: the handler's wrlock, a reader asleep). The
 * thread takes the lock before main returns (a semaphore says so); the runner kills the process.
 * Modes cancel, return, wr-cancel (t417): the writer ends without unlocking it before main returns
 * (cancelled in pause with no cleanup handler, or returning with it held), so the handler's lock
 * (wr-: a wrlock) waits for a thread that is gone. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;
static sem_t taken;
static const char *mode;

static void *keeper(void *a)
{
	(void)a;
	if (!strcmp(mode, "readers"))
		pthread_rwlock_rdlock(&table_lock);
	else
		pthread_rwlock_wrlock(&table_lock);
	sem_post(&taken);
	if (strstr(mode, "return"))
		return NULL;
	if (!strcmp(mode, "wr")) {
		pthread_mutex_lock(&idle_lock);
		for (;;)
			pthread_cond_wait(&idle_cond, &idle_lock);
	}
	for (;;)
		pause(); /* (cancel modes: a cancellation point, the lock held) */
	return NULL;
}

static void save_table(void)
{
	if (!strcmp(mode, "rd") || !strcmp(mode, "cancel") || !strcmp(mode, "return"))
		pthread_rwlock_rdlock(&table_lock);
	else
		pthread_rwlock_wrlock(&table_lock);
	pthread_rwlock_unlock(&table_lock);
}

int main(int argc, char **argv)
{
	pthread_t t;
	int gone;
	mode = argc > 1 ? argv[1] : "rd";
	gone = strstr(mode, "cancel") || strstr(mode, "return");
	sem_init(&taken, 0, 0);
	pthread_create(&t, NULL, keeper, NULL);
	pthread_setname_np(t, "keeper");
	while (sem_wait(&taken) != 0)
		;
	if (strstr(mode, "cancel"))
		pthread_cancel(t);
	if (gone)
		pthread_join(t, NULL);
	atexit(save_table);
	printf("ready\n");
	fflush(stdout);
	return 0;
}

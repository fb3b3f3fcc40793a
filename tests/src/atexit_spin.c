/* tests/src/atexit_spin.c: a C atexit handler (spin) that loops for ever, computing, while a
 * second thread (writer) is blocked on a mutex (log_lock) a third (holder) holds asleep in
 * pause() (t337). The handler prints "ready" once it runs; killed by SIGTERM there, the process
 * dies of it (status 143), with the shim as without it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t held;
static volatile unsigned long spins;

static void spin(void)
{
	puts("ready");
	fflush(stdout);
	for (;;)
		spins++;
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&log_lock);
	pthread_barrier_wait(&held);
	for (;;)
		pause();
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&log_lock); /* never: holder keeps it */
	pthread_mutex_unlock(&log_lock);
	return NULL;
}

int main(void)
{
	pthread_t t, w;
	pthread_barrier_init(&held, NULL, 2);
	atexit(spin);
	pthread_create(&t, NULL, holder, NULL);
	pthread_barrier_wait(&held);
	pthread_create(&w, NULL, writer, NULL);
	exit(0);
}

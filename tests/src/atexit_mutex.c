/* tests/src/atexit_mutex.c: a C atexit handler (flush_log) blocked on a mutex that another thread
 * holds while it sleeps in pause() (t312). Prints "ready" once the thread holds the mutex, then
 * calls exit(). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t held;

static void flush_log(void)
{
	pthread_mutex_lock(&log_lock);
	pthread_mutex_unlock(&log_lock);
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&log_lock);
	pthread_barrier_wait(&held);
	for (;;)
		pause();
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&held, NULL, 2);
	atexit(flush_log);
	pthread_create(&t, NULL, holder, NULL);
	pthread_barrier_wait(&held);
	puts("ready");
	fflush(stdout);
	exit(0);
}

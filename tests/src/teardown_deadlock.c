/* teardown_deadlock.c - a teardown that deadlocks, three ways (t377): MODE join_lock: main holds
 * conn_lock and its atexit handler joins a thread that waits for conn_lock; lock_order: main holds
 * cache_lock and its atexit handler locks log_lock, which a thread holds while it waits for
 * cache_lock; join_join: the atexit handler joins thread a, which joins b, which joins a. Prints
 * "ready" once the threads are in place, then returns from main. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER, log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t io, a, b;
static volatile int b_started;

static void *io_loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&conn_lock);
	pthread_mutex_unlock(&conn_lock);
	return NULL;
}
static void stop_io(void) { pthread_join(io, NULL); }

static void *flusher(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&log_lock);
	pthread_mutex_lock(&cache_lock);
	return NULL;
}
static void flush_all(void) { pthread_mutex_lock(&log_lock); }

static void *join_b(void *arg)
{
	(void)arg;
	while (!b_started)
		usleep(1000);
	pthread_join(b, NULL);
	return NULL;
}
static void *join_a(void *arg)
{
	(void)arg;
	pthread_join(a, NULL);
	return NULL;
}
static void stop_a(void) { pthread_join(a, NULL); }

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "join_lock";
	if (!strcmp(m, "join_lock")) {
		pthread_mutex_lock(&conn_lock);
		pthread_create(&io, NULL, io_loop, NULL);
		atexit(stop_io);
	} else if (!strcmp(m, "lock_order")) {
		pthread_mutex_lock(&cache_lock);
		pthread_create(&io, NULL, flusher, NULL);
		/* the thread holds log_lock before main's teardown asks for it (its trylock fails) */
		while (pthread_mutex_trylock(&log_lock) == 0) {
			pthread_mutex_unlock(&log_lock);
			usleep(1000);
		}
		atexit(flush_all);
	} else {
		pthread_create(&a, NULL, join_b, NULL);
		pthread_create(&b, NULL, join_a, NULL);
		b_started = 1;
		atexit(stop_a);
	}
	printf("ready\n");
	fflush(stdout);
	return 0;
}

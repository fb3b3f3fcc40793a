/* A destructor function (DT_FINI_ARRAY) whose last act is pthread_join: at -O2 a tail call
 * (jmp), so no frame of it is left under the join. The joined thread waits for a mutex main
 * took before it started and still holds when it returns: a deadlock in _dl_fini (t423). Prints "ready" before it returns. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t flusher;
static volatile int stopping;

static void *flush_loop(void *a)
{
	for (;;) {
		pthread_mutex_lock(&queue_lock);
		if (stopping)
			break;
		pthread_mutex_unlock(&queue_lock);
		usleep(1000);
	}
	pthread_mutex_unlock(&queue_lock);
	return a;
}

__attribute__((destructor)) static void stop_flusher(void)
{
	stopping = 1;
	pthread_join(flusher, NULL);
}

int main(void)
{
	pthread_mutex_lock(&queue_lock); /* (before the thread starts: it waits for it from its first lock) */
	pthread_create(&flusher, NULL, flush_loop, NULL);
	printf("ready\n");
	fflush(stdout);
	return 0;
}

/* tests/src/atexit_cond.c [thread]: a C atexit handler (wait_done) that never returns, blocked in
 * pthread_cond_wait on the condition done_cond that nothing signals (t324). With "thread", a
 * thread that sleeps forever is alive too (it could signal the condition; it does not). Prints
 * "ready" once the handler is registered (and the thread started), then returns from main. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static int done;

static void wait_done(void)
{
	pthread_mutex_lock(&done_lock);
	while (!done)
		pthread_cond_wait(&done_cond, &done_lock);
	pthread_mutex_unlock(&done_lock);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	if (argc > 1 && !strcmp(argv[1], "thread") && pthread_create(&t, NULL, sleeper, NULL) != 0)
		return 2;
	atexit(wait_done);
	puts("ready");
	fflush(stdout);
	return 0;
}

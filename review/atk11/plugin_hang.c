#define _GNU_SOURCE
/* review/atk11/plugin_hang.c: a module whose destructor, run by dlclose, joins its own thread,
 * which waits on a condition nobody signals. */
#include <pthread.h>
static pthread_mutex_t pl_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pl_cond = PTHREAD_COND_INITIALIZER;
static pthread_t pl_thread;
static void *pl_loop(void *a)
{
	(void)a;
	pthread_mutex_lock(&pl_lock);
	for (;;)
		pthread_cond_wait(&pl_cond, &pl_lock);
	return 0;
}
static void __attribute__((constructor)) pl_start(void)
{
	pthread_create(&pl_thread, 0, pl_loop, 0);
	pthread_setname_np(pl_thread, "plloop");
}
static void __attribute__((destructor)) pl_stop(void)
{
	pthread_join(pl_thread, 0);
}

/* dlclose_join_plug.c (t345): a plugin that starts a thread in its constructor and joins it in
 * its destructor; the thread waits on a condition nobody signals, so the join never returns. */
#define _GNU_SOURCE
#include <pthread.h>
static pthread_mutex_t loop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loop_cond = PTHREAD_COND_INITIALIZER;
static pthread_t loop_thread;
volatile int loop_started;
static void *plugin_loop(void *a)
{
	(void)a;
	pthread_mutex_lock(&loop_lock);
	loop_started = 1;
	for (;;)
		pthread_cond_wait(&loop_cond, &loop_lock);
	return 0;
}
static void __attribute__((constructor)) plugin_start(void)
{
	pthread_create(&loop_thread, 0, plugin_loop, 0);
	pthread_setname_np(loop_thread, "plugloop");
}
static void __attribute__((destructor)) plugin_stop(void) { pthread_join(loop_thread, 0); }

/* rust_unload_host.c - loads rust_unload's cdylib (argv[2]) with dlopen, calls rs_unload_<argv[1]>
 * ("tls" or "key") on a worker thread, dlcloses the library while the worker waits, then lets the
 * worker exit and joins it. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *lib;
static void (*use)(unsigned);
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int used, closed;

static void *worker(void *arg)
{
	use(7);
	pthread_mutex_lock(&mu);
	used = 1;
	pthread_cond_broadcast(&cv);
	while (!closed)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return arg;
}

int main(int argc, char **argv)
{
	char sym[64];
	pthread_t t;
	if (argc < 3)
		return 2;
	snprintf(sym, sizeof sym, "rs_unload_%s", argv[1]);
	if (!(lib = dlopen(argv[2], RTLD_NOW)) || !(use = (void (*)(unsigned))dlsym(lib, sym)))
		return 2;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&mu);
	while (!used)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	printf("dlclose %d\n", dlclose(lib));
	fflush(stdout);
	pthread_mutex_lock(&mu);
	closed = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(t, NULL);
	printf("joined\n");
	return 0;
}

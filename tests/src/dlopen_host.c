/* dlopen_host.c - loads the plugin given as argv[1], uses its thread_local in a worker thread,
 * joins it, unloads the plugin and returns 0. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static int (*touch)(void);

static void *worker(void *arg)
{
	(void)arg;
	printf("touch %d\n", touch());
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	void *h;
	if (argc < 2)
		return 2;
	h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	touch = (int (*)(void))dlsym(h, "plugin_touch");
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	fflush(stdout);
	printf("dlclose %d\n", dlclose(h));
	return 0;
}

/* dlopen_rpath.c - has a plugin dlopened by bare name from librpath_loader.so, whose DT_RPATH
 * (not this program's) leads to it: glibc searches the RPATH of the caller of dlopen, so the
 * shim's dlopen must keep the caller.
 * First a thread ends (its thread_local destroyed: the shim starts watching), then the plugin
 * (loaded after that) is used and its atexit handler reads its destroyed thread_local. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

void *load_plugin(void);
static long (*start)(void);
static void *first(void *arg)
{
	(void)arg;
	return load_plugin();
}

int main(void)
{
	pthread_t t;
	void *h;
	pthread_create(&t, NULL, first, NULL);
	pthread_join(t, &h);
	if (!h) {
		printf("dlopen by name failed: %s\n", dlerror());
		return 2;
	}
	start = (long (*)(void))dlsym(h, "plugin_start");
	printf("start %ld\n", start());
	return 0;
}

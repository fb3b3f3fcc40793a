/* tga_slot.c - where a dlopen'd module's __tls_get_addr GOT slot points: at ld.so's function
 * until a thread_local of the process has been destroyed, then (with the shim) at the shim's
 * checking entry. Prints "before FILE" and "after FILE", FILE the name of the module holding
 * the function the slot points at. argv[1]: the plugin (tga_plugin.cc). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int (*touch)(void);

static const char *holder(void *fn)
{
	Dl_info info;
	const char *slash;
	if (!dladdr(fn, &info) || !info.dli_fname)
		return "?";
	slash = strrchr(info.dli_fname, '/');
	return slash ? slash + 1 : info.dli_fname;
}

static void *worker(void *a)
{
	touch(); /* constructs the thread's object; the thread's end destroys it */
	return a;
}

int main(int argc, char **argv)
{
	void *h;
	void *(*slot)(void);
	pthread_t t;
	if (argc < 2 || !(h = dlopen(argv[1], RTLD_NOW))) {
		fprintf(stderr, "tga_slot: %s\n", argc < 2 ? "usage: tga_slot PLUGIN" : dlerror());
		return 2;
	}
	slot = (void *(*)(void))dlsym(h, "plugin_tga_slot");
	touch = (int (*)(void))dlsym(h, "plugin_touch");
	if (!slot || !touch) {
		fprintf(stderr, "tga_slot: %s\n", dlerror());
		return 2;
	}
	printf("before %s\n", holder(slot()));
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("after %s\n", holder(slot()));
	return 0;
}

/* dlopen_main.c - loads the plugin argv[1], calls its plugin_start() on the main thread, returns
 * 0 without unloading it: the plugin's thread_locals and atexit handlers run at exit. */
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
	long (*start)(void);
	if (!h) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 2;
	}
	start = (long (*)(void))dlsym(h, "plugin_start");
	printf("start %ld\n", start());
	return 0;
}

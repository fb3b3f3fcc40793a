/* dlclose_join_host.c (t345): a server loads a plugin (argv[1]) and unloads it at exit from an
 * atexit handler; the plugin's destructor joins its own thread, which never ends. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *plugin;
static void unload_plugins(void) { dlclose(plugin); }

int main(int argc, char **argv)
{
	volatile int *started;
	if (argc < 2 || !(plugin = dlopen(argv[1], RTLD_NOW)) || !(started = dlsym(plugin, "loop_started")))
		return 2;
	while (!*started)
		usleep(1000);
	atexit(unload_plugins);
	printf("ready\n");
	fflush(stdout);
	return 0;
}

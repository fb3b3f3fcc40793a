/* unloaded_host.c - uses a plugin after dlclose unloaded it (t313).
 * usage: unloaded_host MODE PLUGIN
 *   call   calls plugin_cb through the pointer dlsym gave, after dlclose: SIGSEGV at its address
 *   data   reads the plugin's table through the pointer it returned, after dlclose: SIGSEGV with
 *          the table's address
 *   frame  plugin_run calls back host_cb, which dlcloses the plugin and then faults (a write
 *          through a null pointer): SIGSEGV in host_cb, the plugin's frame still on the stack */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static void *plugin;
static int *volatile nowhere; /* NULL: a write through it faults */

__attribute__((noinline)) static void host_cb(void)
{
	dlclose(plugin);
	*nowhere = 1;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!(plugin = dlopen(argv[2], RTLD_NOW))) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	if (!strcmp(argv[1], "call")) {
		int (*volatile cb)(int) = (int (*)(int))dlsym(plugin, "plugin_cb");
		dlclose(plugin);
		return cb(1);
	}
	if (!strcmp(argv[1], "data")) {
		const volatile int *table = ((const int *(*)(void))dlsym(plugin, "plugin_data"))();
		dlclose(plugin);
		return table[2];
	}
	if (!strcmp(argv[1], "frame"))
		return ((int (*)(void (*)(void)))dlsym(plugin, "plugin_run"))(host_cb);
	return 2;
}

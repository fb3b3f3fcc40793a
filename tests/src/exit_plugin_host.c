/* exit_plugin_host.c - registers a plugin's function as an exit handler, then dlclose()s the
 * plugin before exit (t374): "atexit" by atexit() (its __dso_handle the host's), "on_exit" by
 * on_exit() (no module handle); the handler is called at exit at an address no longer mapped. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	void *h = dlopen(argv[1], RTLD_NOW), *fn;
	if (!h)
		return 2;
	fn = ((void *(*)(void))dlsym(h, "plugin_get_cleanup"))();
	if (argc > 2 && !strcmp(argv[2], "on_exit"))
		on_exit((void (*)(int, void *))fn, NULL); /* (x86-64: a void(void) function ignores the two) */
	else
		atexit((void (*)(void))fn);
	dlclose(h);
	return 0;
}

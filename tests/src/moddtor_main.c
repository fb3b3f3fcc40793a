/* moddtor_main.c - moddtor_lib's host: dlopens the library (argv[2]), as a plugin or a Python
 * extension is loaded; "join" starts its worker pool, "crash" adds a registry entry; then main
 * returns and exit() runs the library's destructors. The library's static destructors were
 * registered after _dl_fini (by its constructor, inside dlopen), so exit() runs them before the
 * library's destructor functions. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "join";
	void *lib = dlopen(argc > 2 ? argv[2] : "./libmoddtor.so", RTLD_NOW);
	void (*start)(void);
	void (*add)(const char *);
	if (!lib) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	start = (void (*)(void))dlsym(lib, "pool_start");
	add = (void (*)(const char *))dlsym(lib, "registry_add");
	if (!start || !add)
		return 2;
	if (!strcmp(mode, "join"))
		start();
	else
		add("first");
	printf("main returns\n");
	return 0;
}

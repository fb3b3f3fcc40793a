/* hostile15_dlm.c MODE [x]: a C++ plugin (thread_local, static object, atexit, a thread, a handler) by dlmopen(LM_ID_NEWLM), dlopen(RTLD_NODELETE) or dlopen, then dlclose; with x, exit(5). review/run-hostile15.sh */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *m = argc > 1 ? argv[1] : "nm";
	void *h;
	if (!strcmp(m, "newlm")) h = dlmopen(LM_ID_NEWLM, "./hostile15_plug.so", RTLD_NOW);
	else if (!strcmp(m, "nodelete")) h = dlopen("./hostile15_plug.so", RTLD_NOW | RTLD_NODELETE);
	else h = dlopen("./hostile15_plug.so", RTLD_NOW);
	if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
	int (*f)(int) = (int (*)(int))dlsym(h, "plug_run");
	printf("run %d\n", f(strcmp(m, "newlm") != 0));
	printf("dlclose %d\n", dlclose(h));
	if (argc > 2) exit(5);
	return 0;
}

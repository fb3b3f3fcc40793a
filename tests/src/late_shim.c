/* late_shim.c - embeds Python and loads the shim with dlopen (no LD_PRELOAD) while the interpreter
 * runs; the shim must ask the interpreter for its state at once (the "not initialized before main"
 * shortcut is for a preloaded shim only). argv[1]: the shim's path. Prints CLOCK_MONOTONIC in ns
 * before the dlopen and after Py_Finalize, for the test to bound the trace's timestamps. */
#include <Python.h>
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>

static unsigned long long mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

int main(int argc, char **argv)
{
	Py_Initialize();
	printf("%llu\n", mono_ns());
	if (argc < 2 || !dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL)) {
		fprintf(stderr, "late_shim: %s\n", argc < 2 ? "usage: late_shim SHIM" : dlerror());
		return 2;
	}
	Py_Finalize();
	printf("%llu\n", mono_ns());
	return 0;
}

/* dlclose_twice.c: dlopen a library twice and dlclose it twice: the first dlclose unloads nothing,
 * the second unloads it (t154). */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	void *a, *b;
	if (argc < 2 || !(a = dlopen(argv[1], RTLD_NOW)) || !(b = dlopen(argv[1], RTLD_NOW))) {
		fprintf(stderr, "dlopen failed\n");
		return 1;
	}
	dlclose(b);
	dlclose(a);
	return 0;
}

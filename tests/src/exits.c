/* exits.c - the other ways out, by argument: _exit(5), _Exit(6), quick_exit(7) (with an
 * at_quick_exit handler), on_exit handler then return 8, a thread ending with pthread_exit then
 * return 9; and "late": a dlopen'd module's thread_local (argv[2]) first used by an atexit handler
 * on the main thread, after main returned. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int (*late_touch)(void);
static void quick(void) { if (write(1, "quick handler\n", 14) < 0) _exit(3); } /* quick_exit flushes no stdio */
static void on(int status, void *arg) { printf("on_exit %d %s\n", status, (char *)arg); }
static void late(void) { printf("late %d\n", late_touch()); }
static void *ends(void *arg)
{
	pthread_exit(arg);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	fflush(stdout);
	if (!strcmp(m, "_exit"))
		_exit(5);
	if (!strcmp(m, "_Exit"))
		_Exit(6);
	if (!strcmp(m, "quick_exit")) {
		at_quick_exit(quick);
		quick_exit(7);
	}
	if (!strcmp(m, "on_exit")) {
		on_exit(on, "arg");
		return 8;
	}
	if (!strcmp(m, "pthread_exit")) {
		pthread_t t;
		pthread_create(&t, NULL, ends, NULL);
		pthread_join(t, NULL);
		return 9;
	}
	if (!strcmp(m, "late") && argc > 2) {
		void *h = dlopen(argv[2], RTLD_NOW);
		if (!h)
			return 2;
		late_touch = (int (*)(void))dlsym(h, "late_touch");
		atexit(late);
		return 10;
	}
	return 1;
}

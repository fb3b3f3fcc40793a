/* thread_arenas.c MODE: what threads that never call malloc cost the program (t290).
 *  arenas   16 threads alive at once (on a barrier), then joined; prints glibc's malloc arenas
 *           (malloc_info's <heap> elements): without the shim only the main thread's
 *  rlimit   under RLIMIT_AS 256 MiB, threads of 1 MiB stacks created until pthread_create fails
 *           (at most 1000, all left asleep): prints how many, rounded down to 10
 *  ends     one thread each that returns, calls pthread_exit, is cancelled (deferred, in pause),
 *           and one that registers a thread_local destructor (glibc's own entry point, as
 *           libstdc++ does) and returns; prints "ends ok" */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int __cxa_thread_atexit_impl(void (*dtor)(void *), void *obj, void *dso);
extern void *__dso_handle;

static pthread_barrier_t bar;
static void *at_barrier(void *a) { pthread_barrier_wait(&bar); return a; }
static void *asleep(void *a) { for (;;) pause(); return a; }
static void *returns(void *a) { return a; }
static void *exits(void *a) { pthread_exit(a); }
static __thread int tls_obj;
static void tls_dtor(void *p) { *(int *)p = 0; }
static void *registers(void *a)
{
	tls_obj = 1;
	__cxa_thread_atexit_impl(tls_dtor, &tls_obj, &__dso_handle);
	return a;
}

static int arenas(void)
{
	char *buf = NULL, *p;
	size_t len = 0;
	int n = 0;
	FILE *f = open_memstream(&buf, &len);
	malloc_info(0, f);
	fclose(f);
	for (p = buf; (p = strstr(p, "<heap nr=")); p++)
		n++;
	free(buf);
	return n;
}

int main(int argc, char **argv)
{
	pthread_t t[16];
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "arenas")) {
		pthread_barrier_init(&bar, NULL, 17);
		for (int i = 0; i < 16; i++)
			if (pthread_create(&t[i], NULL, at_barrier, NULL))
				return 1;
		pthread_barrier_wait(&bar);
		for (int i = 0; i < 16; i++)
			pthread_join(t[i], NULL);
		printf("arenas %d\n", arenas());
	} else if (!strcmp(argv[1], "rlimit")) {
		struct rlimit rl = {256 << 20, 256 << 20};
		pthread_attr_t at;
		pthread_t th;
		int n = 0;
		if (setrlimit(RLIMIT_AS, &rl))
			return 1;
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, 1 << 20);
		while (n < 1000 && pthread_create(&th, &at, asleep, NULL) == 0)
			n++;
		printf("threads %d\n", n / 10 * 10);
		fflush(stdout);
		_exit(0);
	} else if (!strcmp(argv[1], "ends")) {
		void *(*fn[])(void *) = {returns, exits, asleep, registers};
		for (int i = 0; i < 4; i++)
			if (pthread_create(&t[i], NULL, fn[i], NULL))
				return 1;
		pthread_cancel(t[2]);
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		printf("ends ok\n");
	}
	return 0;
}

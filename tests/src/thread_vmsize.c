/* thread_vmsize.c - VmSize (/proc/self/status, KiB) before and while 10 threads of a 1 MiB stack,
 * all started (a first barrier: each has run its start), wait at a second barrier (t393): prints
 * "per thread N KiB", the growth over 10. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_barrier_t started, done;
static void *wait_here(void *a)
{
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&done);
	return a;
}

static long vm_kib(void)
{
	FILE *p = fopen("/proc/self/status", "r");
	char l[256];
	long v = 0;
	while (p && fgets(l, sizeof l, p))
		if (!strncmp(l, "VmSize:", 7))
			sscanf(l + 7, "%ld", &v);
	if (p)
		fclose(p);
	return v;
}

int main(void)
{
	pthread_attr_t at;
	pthread_t t[10];
	long before = vm_kib(), during;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 1 << 20);
	pthread_barrier_init(&started, NULL, 11);
	pthread_barrier_init(&done, NULL, 11);
	for (int i = 0; i < 10; i++)
		pthread_create(&t[i], &at, wait_here, NULL);
	pthread_barrier_wait(&started);
	during = vm_kib();
	pthread_barrier_wait(&done);
	for (int i = 0; i < 10; i++)
		pthread_join(t[i], NULL);
	printf("per thread %ld KiB\n", (during - before) / 10);
	return 0;
}

/* review/vmsize.c: VmSize at main and per thread of 1 MiB stack (10 threads alive) */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static pthread_barrier_t b;
static void *f(void *a) { pthread_barrier_wait(&b); return a; }
static long vm(void) { FILE *p = fopen("/proc/self/status", "r"); char l[256]; long v = 0; while (fgets(l, sizeof l, p)) if (!strncmp(l, "VmSize:", 7)) sscanf(l + 7, "%ld", &v); fclose(p); return v; }
int main(void) {
	long a = vm();
	pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 1 << 20);
	pthread_barrier_init(&b, 0, 11);
	pthread_t t[10];
	for (int i = 0; i < 10; i++) pthread_create(&t[i], &at, f, 0);
	long c = vm();
	pthread_barrier_wait(&b);
	for (int i = 0; i < 10; i++) pthread_join(t[i], 0);
	printf("VmSize at main %ld KiB, per thread (1 MiB stack) %ld KiB\n", a, (c - a) / 10);
	return 0;
}

/* early_free.c - counts calls of free() on a thread before its start routine runs (t191): the
 * shim's trampoline must not free there, where the program's signals are unblocked and a handler
 * that mallocs would deadlock in a free the program never made. 100 threads start at once, more
 * than the shim's pool of start records: the main thread runs SCHED_FIFO, all on one CPU, so that
 * none starts before the last is created (else exit 77). The program's malloc family forwards to glibc's
 * __libc_* functions, so that its free() sees every call, the shim's too. Prints the count, and
 * the allocations made inside the main thread's pthread_create calls (the shim's spilled start
 * records came from malloc: a creating thread's first malloc gives it an arena, issue 14). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static __thread int started;   /* this thread is the main thread or runs its start routine */
static atomic_int early_frees;
static __thread int creating; /* inside pthread_create */
static int create_allocs;

void *malloc(size_t n) { create_allocs += creating; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { create_allocs += creating; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { create_allocs += creating; return __libc_realloc(p, n); }
void free(void *p)
{
	if (p && !started)
		atomic_fetch_add(&early_frees, 1);
	__libc_free(p);
}

#define N 100
static atomic_int running;

static void *worker(void *a)
{
	started = 1;
	atomic_fetch_add(&running, 1);
	return a;
}

int main(void)
{
	pthread_t t[N];
	pthread_attr_t at;
	struct sched_param sp = {.sched_priority = 1};
	cpu_set_t one;
	int before;
	started = 1;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof one, &one) != 0 || sched_setscheduler(0, SCHED_FIFO, &sp) != 0) {
		puts("cannot run SCHED_FIFO on one CPU");
		return 77;
	}
	/* the threads: SCHED_OTHER, on that CPU, so none runs while the main thread can */
	pthread_attr_init(&at);
	pthread_attr_setinheritsched(&at, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&at, SCHED_OTHER);
	sp.sched_priority = 0;
	pthread_attr_setschedparam(&at, &sp);
	pthread_attr_setaffinity_np(&at, sizeof one, &one);
	for (int i = 0; i < N; i++) {
		int rc;
		creating = 1;
		rc = pthread_create(&t[i], &at, worker, NULL);
		creating = 0;
		if (rc != 0)
			return 2;
	}
	before = atomic_load(&running);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	/* a second round: the first round's spilled records are reused (freed, before) */
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], &at, worker, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	if (before > N - 70) {
		printf("%d threads started before the last was created\n", before);
		return 77;
	}
	printf("early frees %d\n", atomic_load(&early_frees));
	printf("allocations in pthread_create %d\n", create_allocs);
	return 0;
}

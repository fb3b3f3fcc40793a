/* handler_slow_tasks.c - a SIGTERM handler that is slow, not hung (HOSTILE18 item 4: review's
 * h15_setid_handler under load): it spins 30 ms on the clock (no call the shim interposes), then
 * lets a helper thread, which does not block SIGTERM, pass one of the shim's cold paths (a 1 ms
 * nanosleep), waits for it to have done so, and counts /proc/self/task. Prints "tasks N" from
 * the handler (2 without the shim: main and the helper) and exits 0. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static atomic_int go, done;

static void *helper(void *a)
{
	(void)a;
	while (!atomic_load(&go))
		usleep(1000);
	struct timespec ms = {0, 1000000};
	nanosleep(&ms, NULL);
	atomic_store(&done, 1);
	for (;;)
		pause();
	return NULL;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void on_term(int s)
{
	(void)s;
	double t0 = now();
	while (now() - t0 < 0.030)
		;
	atomic_store(&go, 1);
	while (!atomic_load(&done))
		;
	int n = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	printf("tasks %d\n", n);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, helper, NULL);
	signal(SIGTERM, on_term);
	kill(getpid(), SIGTERM);
	fflush(stdout);
	return 0;
}

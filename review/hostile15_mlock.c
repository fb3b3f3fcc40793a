/* hostile15_mlock.c MB: mlockall(MCL_CURRENT|MCL_FUTURE), VmLck and VmRSS after it, a mapping of MB
 * MiB, a thread (run as nobody under ulimit -l). review/run-hostile15.sh */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
static void status(const char *tag)
{
	FILE *f = fopen("/proc/self/status", "r"); char l[256];
	while (fgets(l, sizeof l, f)) if (!strncmp(l, "VmLck", 5) || !strncmp(l, "VmRSS", 5)) printf("%s %s", tag, l);
	fclose(f);
}
static void *th(void *a) { (void)a; return NULL; }
static void at(void) { printf("atexit\n"); }
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct rlimit rl; getrlimit(RLIMIT_MEMLOCK, &rl);
	printf("memlock %ld\n", (long)rl.rlim_cur);
	int r = mlockall(MCL_CURRENT | MCL_FUTURE | (argc > 2 ? MCL_ONFAULT : 0));
	printf("mlockall %d %s\n", r, r ? strerrorname_np(errno) : ""); status("after");
	long mb = argc > 1 ? atol(argv[1]) : 0;
	void *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap %ld MiB %s\n", mb, p == MAP_FAILED ? strerrorname_np(errno) : "ok");
	pthread_t t; int e = pthread_create(&t, NULL, th, NULL); printf("pthread_create %d\n", e); if (!e) pthread_join(t, NULL);
	atexit(at);
	return 0;
}

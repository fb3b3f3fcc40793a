/* threadmaps.cc - how many memory mappings a process with many live threads has: N threads each
 * construct a thread_local with a destructor and set a pthread key with a destructor, then wait;
 * with all of them alive, main counts the lines of /proc/self/maps. Under vm.max_map_count, each
 * mapping a thread costs is a thread fewer.
 *   threadmaps N: prints "maps M" */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct S {
	long v = 1;
	~S() { v = 0; }
};
static thread_local S s;
static pthread_key_t key;
static pthread_barrier_t ready, done;

static void *work(void *)
{
	s.v++;
	pthread_setspecific(key, malloc(8));
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);
	return nullptr;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, maps = 0, c;
	pthread_t *t = (pthread_t *)calloc(n, sizeof *t);
	pthread_attr_t a;
	FILE *f;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	pthread_key_create(&key, free);
	pthread_barrier_init(&ready, nullptr, n + 1);
	pthread_barrier_init(&done, nullptr, n + 1);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], &a, work, nullptr)) {
			printf("create %d failed\n", i);
			return 3;
		}
	pthread_barrier_wait(&ready);
	f = fopen("/proc/self/maps", "r");
	while (f && (c = getc(f)) != EOF)
		maps += c == '\n';
	if (f)
		fclose(f);
	pthread_barrier_wait(&done);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], nullptr);
	printf("maps %d\n", maps);
	return 0;
}

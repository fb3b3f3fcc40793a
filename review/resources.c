/* review/resources.c MODE: what the program can count of what it has (issue 14: "nothing taken")
 *  maps     mappings added per thread: 64 threads alive (default and 64 KiB stacks)
 *  keys     pthread keys the program can still create (PTHREAD_KEYS_MAX 1024)
 *  threads  threads it can create under RLIMIT_AS 256 MiB (each 1 MiB stack) */
#include "state.h"
#include <pthread.h>
#include <errno.h>
#include <sys/resource.h>
static pthread_barrier_t bar;
static void *blk(void *a) { pthread_barrier_wait(&bar); return a; }
static void *sleeper(void *a) { pause(); return a; }
int main(int argc, char **argv)
{
	(void)argc;
	if (!strcmp(argv[1], "maps")) {
		for (int k = 0; k < 2; k++) {
			pthread_attr_t at; pthread_attr_init(&at);
			if (k) pthread_attr_setstacksize(&at, 65536);
			pthread_barrier_init(&bar, NULL, 65);
			int before = st_maps();
			pthread_t t[64];
			for (int i = 0; i < 64; i++) pthread_create(&t[i], &at, blk, NULL);
			int during = st_maps();
			pthread_barrier_wait(&bar);
			for (int i = 0; i < 64; i++) pthread_join(t[i], NULL);
			printf("%s stacks: %.2f mappings per thread\n", k ? "64 KiB" : "default", (during - before) / 64.0);
		}
	} else if (!strcmp(argv[1], "keys")) {
		int n = 0; pthread_key_t k;
		while (pthread_key_create(&k, NULL) == 0) n++;
		printf("keys left %d\n", n);
	} else if (!strcmp(argv[1], "threads")) {
		struct rlimit rl = {256 << 20, 256 << 20};
		setrlimit(RLIMIT_AS, &rl);
		pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 1 << 20);
		int n = 0; pthread_t t;
		while (n < 1000 && pthread_create(&t, &at, sleeper, NULL) == 0) n++;
		/* the count depends on what the shim maps: printed rounded to 10 */
		printf("threads under RLIMIT_AS 256 MiB: about %d\n", n / 10 * 10);
		fflush(stdout);
		_exit(0);
	}
	return 0;
}

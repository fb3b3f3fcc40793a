/* keys_until.c - trace lines on demand: N pthread key creations and deletions (a line each under
 * the shim), then, once the file FILE exists, M more; prints "done" and exits 42. For t284 (a
 * trace on a filesystem that fills and frees). Usage: keys_until N FILE M */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void destroy(void *p) { (void)p; }

static void keys(int n)
{
	pthread_key_t k;
	for (int i = 0; i < n; i++) {
		pthread_key_create(&k, destroy);
		pthread_key_delete(k);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	keys(atoi(argv[1]));
	for (int i = 0; i < 3000 && access(argv[2], F_OK) != 0; i++)
		usleep(10000);
	keys(atoi(argv[3]));
	puts("done");
	return 42;
}

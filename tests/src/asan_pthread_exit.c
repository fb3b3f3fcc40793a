/* asan_pthread_exit.c - built with -fsanitize=address: main starts a thread (which sets a pthread
 * key with a destructor) and ends with pthread_exit, so the process ends when the last thread
 * does, and ASan tears the main thread down from its own key destructor, LSan checks at exit.
 *   asan_pthread_exit clean|leak|exit: "leak" drops its only pointer to a block; "exit" joins
 *   the thread and calls exit(42) (t285 builds it with each sanitizer) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t key;
static void *volatile lost;

static __attribute__((noinline)) void drop(void) { lost = NULL; }

static void *work(void *arg)
{
	pthread_setspecific(key, malloc(16));
	printf("thread %s\n", (const char *)arg);
	fflush(stdout);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "clean";
	pthread_t t;
	pthread_key_create(&key, free);
	lost = malloc(10);
	if (!strcmp(mode, "leak"))
		drop();
	pthread_create(&t, NULL, work, (void *)mode);
	if (!strcmp(mode, "exit")) {
		pthread_join(t, NULL);
		printf("main calls exit(42)\n");
		exit(42);
	}
	printf("main exits\n");
	fflush(stdout);
	pthread_exit(NULL);
}

/* san.c - for sanitizers and valgrind: threads with keys, an atexit handler, fork, exit 42 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static pthread_key_t k;
static int shared;
static void kd(void *p) { free(p); }
static void ae(void) { printf("atexit shared %d\n", shared > 0); fflush(stdout); }
static void *th(void *a) { pthread_setspecific(k, malloc(16)); __atomic_add_fetch(&shared, 1, __ATOMIC_SEQ_CST); return a; }
int main(int argc, char **argv)
{
	(void)argv;
	pthread_key_create(&k, kd); atexit(ae);
	pthread_t t[4]; for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, th, 0);
	for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
	pid_t p = fork(); if (!p) { pthread_create(&t[0], 0, th, 0); pthread_join(t[0], 0); exit(3); }
	int st; waitpid(p, &st, 0); printf("child %d\n", WEXITSTATUS(st));
	if (argc > 2) { pthread_create(&t[0], 0, th, 0); pthread_exit(0); }
	if (argc > 1) { int *leak = malloc(40); leak[0] = 1; printf("%d\n", leak[argc]); } /* uninitialized read for MSan/memcheck */
	return 42;
}

/* checker_threads.c - threads with a key destructor, an atexit handler and a fork, each thread
 * joined; exit 42. Race-free: helgrind and drd report nothing on it without the shim (t327). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static pthread_key_t key;
static void key_dtor(void *p) { free(p); }
static void at_exit(void) { puts("atexit"); }
static void *work(void *a) { pthread_setspecific(key, malloc(16)); return a; }
int main(void)
{
	pthread_t t[4];
	pthread_key_create(&key, key_dtor);
	atexit(at_exit);
	for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, work, 0);
	for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
	pid_t p = fork();
	if (p == 0) { pthread_create(&t[0], 0, work, 0); pthread_join(t[0], 0); _exit(3); }
	int st;
	waitpid(p, &st, 0);
	printf("child %d\n", WEXITSTATUS(st));
	return 42;
}

/* wait_hung_child.c: the parent's atexit handler waits (waitpid, blocking) for a worker whose own
 * exit() blocks in an atexit handler on a mutex it holds itself: both hang until killed (t153). */
#include <stdlib.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/wait.h>
static pid_t worker;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void reap_worker(void) { int st; waitpid(worker, &st, 0); }
static void child_exit(void) { pthread_mutex_lock(&m); }
int main(void)
{
	worker = fork();
	if (worker == 0) {
		pthread_mutex_lock(&m);
		atexit(child_exit);
		exit(0);
	}
	atexit(reap_worker);
	return 0;
}

/* thread_stops_process.c (t339): a program's own watchdog thread stops the process while its
 * teardown hangs: main returns, its atexit handler posts a semaphore and waits forever; the
 * thread, woken by that post, sends SIGTERM (no handler: the default action) to the main thread
 * with pthread_kill (mode pthread_kill) or tgkill (mode tgkill). The process dies of SIGTERM. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sem_t in_teardown;
static pthread_t main_thread;
static pid_t main_tid;
static const char *mode;

static void *stopper(void *a)
{
	(void)a;
	while (sem_wait(&in_teardown) != 0)
		;
	if (!strcmp(mode, "tgkill"))
		tgkill(getpid(), main_tid, SIGTERM);
	else
		pthread_kill(main_thread, SIGTERM);
	return NULL;
}

static void stuck_flush(void)
{
	sem_post(&in_teardown);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	pthread_t t;
	mode = argc > 1 ? argv[1] : "pthread_kill";
	sem_init(&in_teardown, 0, 0);
	main_thread = pthread_self();
	main_tid = gettid();
	pthread_create(&t, NULL, stopper, NULL);
	atexit(stuck_flush);
	return 0;
}

/* handler_otherlock.c - a SIGTERM handler that is not async-signal-safe (printf) blocks on the lock
 * of stdout, which another thread holds (flockfile) while it sleeps in pause (t473: HANG17 item 3,
 * the variant where the holder is another thread). That thread blocks SIGTERM, so the main thread
 * takes it. Prints "ready" (with write, not stdio) once set up, then waits in pause. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile int locked;

static void *holder(void *a)
{
	sigset_t term;
	(void)a;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &term, NULL);
	flockfile(stdout);
	locked = 1;
	for (;;)
		pause();
	return NULL;
}

static void on_term(int sig)
{
	(void)sig;
	printf("stopping\n");
	fflush(stdout);
}

int main(void)
{
	pthread_t t;
	signal(SIGTERM, on_term);
	pthread_create(&t, NULL, holder, NULL);
	while (!locked)
		usleep(1000);
	if (write(1, "ready\n", 6) != 6)
		return 1;
	for (;;)
		pause();
}

/* atexit_lock_term_handler.c - the teardown holds a mutex a SIGTERM handler needs (t402): main
 * blocks SIGTERM after making a thread that leaves it unblocked, so that thread takes it; exit()'s
 * atexit handler locks state_lock, prints "ready" and sleeps (a flush that never ends); the
 * SIGTERM handler on_term, which the test sends then, waits on state_lock. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_term(int sig)
{
	(void)sig;
	pthread_mutex_lock(&state_lock);
	_exit(0);
}

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void flush_state(void)
{
	pthread_mutex_lock(&state_lock);
	write(1, "ready\n", 6);
	for (;;)
		sleep(1000);
}

int main(void)
{
	sigset_t s;
	pthread_t t;
	signal(SIGTERM, on_term);
	pthread_create(&t, NULL, idle, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	atexit(flush_state);
	exit(3);
}

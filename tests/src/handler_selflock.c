/* handler_selflock.c - a SIGTERM handler that is not async-signal-safe, whose signal lands inside
 * the same glibc call on the thread it interrupts (t366): the handler waits on a lock that thread
 * holds. A sender thread, started with SIGTERM blocked (so that only the main thread takes it,
 * and the shim's handler watcher is made at each arrival), sends SIGTERM to the main thread with
 * a raw tgkill every 2 ms until a handler has not returned for 20 ms, prints "stuck", and waits
 * in a raw pause. The main thread loops in the mode's call; its handler makes the same call:
 *   malloc  malloc and free of 3000-7000 bytes (past the tcache: malloc's arena lock, which glibc
 *           takes only once the process has a second thread)
 *   stdio   fprintf to a stream fopen made on /dev/null (its lock: recursive for its recorded
 *           owner, so only a signal between the lock's lll_lock and its store of the owner, or
 *           its unlock's clearing and lll_unlock, deadlocks: many signals may be needed)
 * Prints "ready" once set up. No timing is assumed: the test waits for the snapshots. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int entered, left;
static pid_t main_tid;
static const char *mode;
static FILE *devnull;

static void on_term(int sig)
{
	(void)sig;
	entered++;
	if (!strcmp(mode, "stdio")) {
		fprintf(devnull, "handler %d\n", entered);
	} else {
		char *volatile p = malloc(5000 + (size_t)entered);
		p[0] = 1;
		free(p);
	}
	left++;
}

/* a sleep the shim does not see (its sleep family's wrappers are cold paths of their own) */
static void raw_sleep_ms(long ms)
{
	struct timespec t = {0, ms * 1000000};
	syscall(SYS_nanosleep, &t, NULL);
}

static void *sender(void *unused)
{
	(void)unused;
	for (;;) {
		raw_sleep_ms(2);
		if (entered != left) {
			raw_sleep_ms(20);
			if (entered != left)
				break;
		}
		syscall(SYS_tgkill, getpid(), main_tid, SIGTERM);
	}
	if (write(1, "stuck\n", 6) != 6)
		_exit(9);
	for (;;)
		syscall(SYS_pause);
	return NULL;
}

int main(int argc, char **argv)
{
	sigset_t term, old;
	pthread_t t;
	mode = argc > 1 ? argv[1] : "malloc";
	main_tid = gettid();
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 9;
	signal(SIGTERM, on_term);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &term, &old);
	pthread_create(&t, NULL, sender, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	printf("ready\n");
	fflush(stdout);
	for (unsigned i = 0;; i++) {
		if (!strcmp(mode, "stdio")) {
			fprintf(devnull, "loop %u %d\n", i, 42);
		} else {
			char *volatile p = malloc(3000 + (i & 4095));
			p[0] = 1;
			free(p);
		}
	}
}

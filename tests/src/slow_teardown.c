/* slow_teardown.c - a teardown that takes longer than TLSTRACE_HANG_MS (run it with 50) and then
 * ends, with threads in every kind of wait while the hang watchdog takes its snapshots. It checks
 * that nothing the program can see changed: no sleep cut short, no read or wait interrupted, the
 * program's own real-time signal handler kept, every free real-time signal back to SIG_DFL, the
 * signal mask of each thread as it was. Exit status 7 when all is well, 9 when something changed
 * (the failing check on stderr).
 *   usage: slow_teardown MODE   (sleepers: threads waiting; mutex: the exit handler waits for a
 *   mutex a thread holds for 400 ms, then joins it; join: the exit handler joins a thread that
 *   sleeps 400 ms; blocked: the waiting threads block all signals). Under the shim with
 *   TLSTRACE_HANG_MS set, "400 ms" is until the watchdog's three snapshots are in the trace (at
 *   most 30 s): they must all see the wait however slow the machine. main returns once its
 *   threads have begun their waits (was: 20 ms). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int pipefd[2], quiet[2]; /* quiet: nobody ever writes to it */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int disturbed, stop, own_hits;
static const char *what = "";
static pthread_t holder;
static int block_all, join_first;
static volatile int started; /* threads about to wait (main returns once all are) */

/* until the trace (TLSTRACE_FILE) has a line holding what, where the hang watchdog is on
 * (TLSTRACE_HANG_MS set and not 0), sleeping in usleep between two looks (at most 30 s); else
 * 400 ms, as without the shim */
static void until_traced(const char *what)
{
	const char *t = getenv("TLSTRACE_FILE"), *h = getenv("TLSTRACE_HANG_MS");
	if (!t || !h || !strcmp(h, "0")) {
		usleep(400000);
		return;
	}
	for (int i = 0; i < 600; i++) {
		char line[4096];
		int seen = 0;
		FILE *f = fopen(t, "r");
		while (f && !seen && fgets(line, sizeof line, f))
			seen = strstr(line, what) != NULL;
		if (f)
			fclose(f);
		if (seen)
			return;
		usleep(50000);
	}
}

static void bad(const char *w) { disturbed = 1; what = w; }
static void own_handler(int sig) { (void)sig; own_hits++; }

static void maybe_block(void)
{
	sigset_t all;
	sigfillset(&all);
	if (block_all)
		pthread_sigmask(SIG_BLOCK, &all, NULL);
}

static void *sleeper(void *a)
{
	struct timespec ts = {1, 500000000}, rem;
	(void)a;
	maybe_block();
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	if (nanosleep(&ts, &rem) != 0)
		bad("nanosleep cut short");
	return NULL;
}

static void *poller(void *a)
{
	struct pollfd p = {quiet[0], POLLIN, 0};
	(void)a;
	maybe_block();
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	if (poll(&p, 1, 1500) != 0)
		bad("poll interrupted");
	return NULL;
}

static void *reader(void *a)
{
	char c;
	(void)a;
	maybe_block();
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	if (read(pipefd[0], &c, 1) != 1)
		bad("read interrupted");
	return NULL;
}

static void *waiter(void *a)
{
	(void)a;
	maybe_block();
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&cm);
	while (!stop)
		pthread_cond_wait(&cv, &cm);
	pthread_mutex_unlock(&cm);
	return NULL;
}

static void *spinner(void *a)
{
	volatile unsigned long n = 0;
	(void)a;
	maybe_block();
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (!stop)
		n++;
	return NULL;
}

static void *lock_holder(void *a)
{
	(void)a;
	pthread_mutex_lock(&m);
	started = 1;
	until_traced(" hang_end 3");
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *sleeper400(void *a)
{
	(void)a;
	started = 1;
	until_traced(" hang_end 3");
	return NULL;
}

static void check_signals(void)
{
	struct sigaction sa;
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++) {
		sigaction(s, NULL, &sa);
		if (s == SIGRTMAX) {
			if (sa.sa_handler != own_handler)
				bad("the program's SIGRTMAX handler replaced");
		} else if (sa.sa_handler != SIG_DFL) {
			bad("a real-time signal left with a handler");
		}
	}
}

static void slow_exit(void)
{
	struct timespec ts = {0, 600000000};
	sigset_t mask;
	/* mutex mode: held by lock_holder until 400 ms, the watchdog's snapshots (50, 100 and 200 ms)
	 * see this thread wait for it; then 600 ms more, the other modes' snapshots happen in here */
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	if (join_first) {
		pthread_join(holder, NULL);
		holder = 0;
	}
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		bad("the exiting thread's sleep interrupted");
	check_signals();
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	if (sigismember(&mask, SIGTERM) || sigismember(&mask, SIGRTMIN + 5))
		bad("the exiting thread's mask changed");
	if (own_hits)
		bad("the program's handler ran");
	if (holder)
		pthread_join(holder, NULL);
	if (write(pipefd[1], "x", 1) != 1)
		bad("write");
	stop = 1;
	pthread_mutex_lock(&cm);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cm);
	if (disturbed) {
		fprintf(stderr, "slow_teardown: %s\n", what);
		_exit(9);
	}
}

int main(int argc, char **argv)
{
	pthread_t t;
	const char *mode = argc > 1 ? argv[1] : "sleepers";
	block_all = !strcmp(mode, "blocked");
	if (pipe(pipefd) != 0 || pipe(quiet) != 0)
		return 2;
	signal(SIGRTMAX, own_handler);
	atexit(slow_exit);
	if (!strcmp(mode, "join")) {
		join_first = 1;
		pthread_create(&holder, NULL, sleeper400, NULL);
	} else if (!strcmp(mode, "mutex")) {
		pthread_create(&holder, NULL, lock_holder, NULL);
		while (!started) /* (the mutex held: was left to 20 ms) */
			usleep(1000);
	} else {
		void *(*fns[])(void *) = {sleeper, poller, reader, waiter, spinner};
		for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
			pthread_create(&t, NULL, fns[i], NULL);
			pthread_detach(t);
		}
		while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < (int)(sizeof fns / sizeof fns[0]))
			usleep(1000); /* (each at its wait: was left to 20 ms) */
	}
	return 7;
}

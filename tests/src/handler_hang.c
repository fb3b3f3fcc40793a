/* handler_hang.c - a program whose SIGTERM handler does not return, or returns late (t205-t207).
 * Prints "ready" once its handler is installed, then waits for the signal in pause(). With a
 * second argument "self" a child sends the SIGTERM (50 ms after the start) and, in the modes that
 * hang, a SIGKILL 1 s later (for the outcome table, t034). Exit 9 when the program saw something change.
 *   mutex   the handler locks a mutex the interrupted main thread holds: a deadlock on itself
 *   join    the handler joins a thread that waits forever on a condition
 *   sleep   the handler sleeps 1 s (sleep(3), a nanosleep a signal would cut short), prints
 *           what sleep returned and how long it took, and exits 0 (9 if the sleep was cut short)
 *   return  the handler sets a flag and returns; main prints the number of threads and exits 0
 *           (9 if a thread was left)
 *   fill    as mutex, with the handler's sa_mask full (the watcher's signal blocked in it)
 *   thread  as mutex, the signal taken by a second thread (main blocks SIGTERM)
 *   nodefer as mutex, the handler installed with SA_SIGINFO|SA_NODEFER
 *   busy    the handler spins in a loop (no system call)
 *   mtmutex as mutex, with a second thread alive (in pause(), SIGTERM not blocked)
 *   mtfill  as fill, with a second thread alive
 *   pause   the handler calls pause() forever (a call a signal would cut short)
 *   nap     the handler sleeps 100 s in nanosleep (the same)
 *   mtblock as mutex, with two worker threads alive that block SIGTERM (started with it
 *           blocked, as Apache's worker MPM and most C++ servers start theirs)
 *   mtattr  as mutex, with a worker started with SIGTERM blocked by its attribute's sigmask
 *   mtlate  as mutex, with a worker that blocks SIGTERM itself after it started
 *   mtign   as mtmutex, the handler setting SIGTERM to SIG_IGN first (Apache's just_die)
 *   mtrearm as mtmutex, the handler installing itself again first (the SysV idiom)
 *   suspend the handler waits forever in sigsuspend with an empty mask (SIGTERM unblocked while
 *           it waits)
 *   ppoll   the same in ppoll with an empty mask
 *   exitlock the handler calls exit(0), whose atexit handler (save_state) locks the mutex main
 *           holds (t368)
 *   mtstart as mutex, main starting a worker with SIGTERM blocked after "ready" and raising
 *           SIGTERM at once (the worker may not have run yet: t367)
 *   jump    the handler siglongjmps back to main, which then waits forever in sigsuspend with an
 *           empty mask (the handler is over: no hang) */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t waiter;
static const char *mode;
static volatile sig_atomic_t got;

static void *wait_forever(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&cm);
	for (;;)
		pthread_cond_wait(&cv, &cm);
	return NULL;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *pause_forever(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

static int late_blocked;
static sigjmp_buf back;

/* mtlate's worker: blocks SIGTERM in itself, tells main, then waits */
static void *block_then_pause(void *unused)
{
	sigset_t term;
	(void)unused;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &term, NULL);
	pthread_mutex_lock(&cm);
	late_blocked = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&cm);
	for (;;)
		pause();
	return NULL;
}

/* exitlock's atexit handler */
static void save_state(void)
{
	pthread_mutex_lock(&m);
}

static void on_term(int sig)
{
	if (!strcmp(mode, "mtign"))
		signal(sig, SIG_IGN);
	else if (!strcmp(mode, "mtrearm"))
		signal(sig, on_term);
	if (!strcmp(mode, "busy")) {
		for (volatile unsigned long i = 0;; i++)
			;
	} else if (!strcmp(mode, "pause")) {
		for (;;)
			pause();
	} else if (!strcmp(mode, "suspend") || !strcmp(mode, "ppoll")) {
		sigset_t none;
		sigemptyset(&none);
		for (;;)
			if (!strcmp(mode, "suspend"))
				sigsuspend(&none);
			else
				ppoll(NULL, 0, NULL, &none);
	} else if (!strcmp(mode, "jump")) {
		siglongjmp(back, 1);
	} else if (!strcmp(mode, "nap")) {
		struct timespec t = {100, 0};
		nanosleep(&t, NULL);
	} else if (!strcmp(mode, "mutex") || !strcmp(mode, "fill") || !strcmp(mode, "thread") || !strncmp(mode, "mt", 2)) {
		pthread_mutex_lock(&m);
	} else if (!strcmp(mode, "join")) {
		pthread_join(waiter, NULL);
	} else if (!strcmp(mode, "exitlock")) {
		exit(0);
	} else if (!strcmp(mode, "sleep")) {
		double t0 = now_s();
		unsigned left = sleep(1);
		int short_ = left || now_s() - t0 < 0.9;
		printf("sleep returned %u after %s 0.9 s\n", left, short_ ? "less than" : "at least");
		exit(short_ ? 9 : 0);
	} else {
		got = 1;
	}
}

static void on_term_info(int sig, siginfo_t *si, void *uc)
{
	(void)si, (void)uc;
	if (!strcmp(mode, "nodefer"))
		pthread_mutex_lock(&m);
	on_term(sig);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	mode = argc > 1 ? argv[1] : "mutex";
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	if (!strcmp(mode, "fill") || !strcmp(mode, "mtfill"))
		sigfillset(&sa.sa_mask);
	if (!strcmp(mode, "nodefer")) {
		sa.sa_sigaction = on_term_info;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	}
	sigaction(SIGTERM, &sa, NULL);
	if (!strcmp(mode, "exitlock"))
		atexit(save_state);
	if (!strcmp(mode, "join"))
		pthread_create(&waiter, NULL, wait_forever, NULL);
	if (!strcmp(mode, "mtmutex") || !strcmp(mode, "mtfill") || !strcmp(mode, "mtign") || !strcmp(mode, "mtrearm")) {
		pthread_t t;
		pthread_create(&t, NULL, pause_forever, NULL);
	}
	if (!strcmp(mode, "mtblock") || !strcmp(mode, "mtattr") || !strcmp(mode, "mtlate")) {
		sigset_t term, old;
		pthread_attr_t a;
		pthread_t t;
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		if (!strcmp(mode, "mtblock")) {
			pthread_sigmask(SIG_BLOCK, &term, &old);
			pthread_create(&t, NULL, pause_forever, NULL);
			pthread_create(&t, NULL, pause_forever, NULL);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		} else if (!strcmp(mode, "mtattr")) {
			pthread_attr_init(&a);
			pthread_attr_setsigmask_np(&a, &term);
			pthread_create(&t, &a, pause_forever, NULL);
			pthread_attr_destroy(&a);
		} else {
			pthread_mutex_lock(&cm);
			pthread_create(&t, NULL, block_then_pause, NULL);
			while (!late_blocked)
				pthread_cond_wait(&cv, &cm);
			pthread_mutex_unlock(&cm);
		}
	}
	if (!strcmp(mode, "thread")) {
		sigset_t term;
		pthread_t t;
		pthread_create(&t, NULL, pause_forever, NULL);
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &term, NULL);
	}
	pthread_mutex_lock(&m);
	if (!strcmp(mode, "jump") && sigsetjmp(back, 1)) {
		sigset_t none;
		sigemptyset(&none);
		for (;;)
			sigsuspend(&none);
	}
	printf("ready\n");
	fflush(stdout);
	if (!strcmp(mode, "mtstart")) {
		sigset_t term, old;
		pthread_t t;
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &term, &old);
		pthread_create(&t, NULL, pause_forever, NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		raise(SIGTERM);
	}
	if (argc > 2 && !strcmp(argv[2], "self") && fork() == 0) {
		struct timespec t = {0, 50000000}, k = {1, 0};
		nanosleep(&t, NULL);
		kill(getppid(), SIGTERM);
		if (strcmp(mode, "sleep") && strcmp(mode, "return")) {
			nanosleep(&k, NULL);
			kill(getppid(), SIGKILL);
		}
		_exit(0);
	}
	while (!got)
		pause();
	{
		char buf[4096];
		FILE *f = fopen("/proc/self/status", "r");
		int left = 0;
		while (f && fgets(buf, sizeof buf, f))
			if (!strncmp(buf, "Threads:", 8)) {
				printf("after the handler: %s", buf);
				left = atoi(buf + 8) != 1;
			}
		if (f)
			fclose(f);
		return left ? 9 : 0;
	}
}

/* handler_block.c - a multi-threaded program whose SIGTERM handler blocks before it sets the
 * signal's next action (t257, t258). Its workers do not block SIGTERM, so a second one could run
 * the handler on another thread: the shim's handler watcher is put off (watchdog.c). Prints
 * "ready" once set up, then waits in pause() for the signal, which the main thread takes.
 *   mutex       the handler locks a mutex a worker holds forever (the worker in pause())
 *   stdio       the handler prints to stdout, whose lock a worker holds forever (flockfile)
 *   rearm_wait  the handler installs itself again (the SysV idiom), then waits in waitpid for a
 *               child that never exits
 *   wait        the handler waits in waitpid for a child that never exits (no new action)
 *   resethand   SA_RESETHAND: the handler installs itself again with sigaction, then locks the
 *               mutex a worker holds
 *   sem         the handler waits in sem_wait on a semaphore no one posts
 *   sigwait     the handler waits in sigwaitinfo for a SIGUSR1 no one sends
 *   nap         the handler sleeps 100 s (sleep(): glibc's own nanosleep inside; sleep is
 *               interposed since stop 27, shim/sleeps.c)
 *   read        the handler reads a pipe whose write end stays open (read: interposed since
 *               stop 28, shim/reads.c)
 *   reaped      the handler kills its child and waits for it (a wait that returns soon), then
 *               returns; main prints the number of threads and exits 0 (9 if a thread was
 *               left: main and the worker are 2; 3 with +reap)
 *   jump        the handler siglongjmps back to main the first time; main sleeps 400 ms and
 *               raises SIGTERM again, whose handler locks a mutex a worker holds (the first
 *               handler's put-off record must not outlive its jump)
 *   brief       the handler sleeps 15 ms (its interposed nanosleep makes its watcher; another
 *               thread would after half of TLSTRACE_HANG_MS) and returns; then as reaped
 * A mode ending in "+churn" adds a thread that starts and joins a short-lived thread every 20 ms
 * (a thread per task); "+reap" one that polls waitpid(-1, WNOHANG) every 20 ms (a reaper); "+nap"
 * one that only sleeps 20 ms at a time (a timer loop: nanosleep, nothing else). With a
 * second argument "self" a child sends the SIGTERM (50 ms after "ready") and, in the modes that
 * hang, a SIGKILL 1 s later (for the outcome table, t034). These
 * block SIGTERM (so that the main thread takes it, not the one thread that runs the shim's code
 * then: the worker holding the lock is the one that may take a second SIGTERM). */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t ready_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int holding;
static char mode[64];
static pid_t child;
static sem_t never;
static int quiet[2]; /* read: a pipe whose write end stays open, nothing written */
static volatile sig_atomic_t handled, jumped;
static sigjmp_buf back;

static int is(const char *m_) { return !strcmp(mode, m_); }

static void held(void)
{
	pthread_mutex_lock(&ready_m);
	holding = 1;
	pthread_cond_signal(&ready_cv);
	pthread_mutex_unlock(&ready_m);
}

/* the worker: holds the mutex, or stdout's lock, forever */
static void *holder(void *unused)
{
	(void)unused;
	if (is("stdio"))
		flockfile(stdout);
	else
		pthread_mutex_lock(&m);
	held();
	for (;;)
		pause();
	return NULL;
}

static void nap_ms(long ms)
{
	struct timespec t = {ms / 1000, ms % 1000 * 1000000};
	nanosleep(&t, NULL);
}

static void *task(void *unused) { return unused; }

static void *churn(void *unused)
{
	(void)unused;
	for (;;) {
		pthread_t t;
		if (pthread_create(&t, NULL, task, NULL) == 0)
			pthread_join(t, NULL);
		nap_ms(20);
	}
	return NULL;
}

static void *napper(void *unused)
{
	(void)unused;
	for (;;)
		nap_ms(20);
	return NULL;
}

static void *reap(void *unused)
{
	(void)unused;
	for (;;) {
		waitpid(-1, NULL, WNOHANG);
		nap_ms(20);
	}
	return NULL;
}

static void on_term(int sig)
{
	if (is("jump") && !jumped++)
		siglongjmp(back, 1);
	if (is("stdio")) {
		printf("terminating\n");
	} else if (is("rearm_wait") || is("wait")) {
		if (is("rearm_wait"))
			signal(sig, on_term);
		waitpid(child, NULL, 0);
	} else if (is("resethand")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_term;
		sa.sa_flags = SA_RESETHAND;
		sigaction(sig, &sa, NULL);
		pthread_mutex_lock(&m);
	} else if (is("sem")) {
		while (sem_wait(&never) != 0)
			;
	} else if (is("nap")) {
		sleep(100);
	} else if (is("read")) {
		char b;
		while (read(quiet[0], &b, 1) != 0)
			;
	} else if (is("reaped")) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		handled = 1;
	} else if (is("brief")) {
		nap_ms(15);
		handled = 1;
	} else if (is("sigwait")) {
		sigset_t usr1;
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigwaitinfo(&usr1, NULL);
	} else {
		pthread_mutex_lock(&m);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t t;
	char *extra;
	snprintf(mode, sizeof mode, "%s", argc > 1 ? argv[1] : "mutex");
	extra = strchr(mode, '+');
	if (extra)
		*extra++ = '\0';
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	if (is("resethand"))
		sa.sa_flags = SA_RESETHAND;
	sigaction(SIGTERM, &sa, NULL);
	sem_init(&never, 0, 0);
	if (is("read") && pipe(quiet) != 0)
		return 1;
	if (is("sigwait")) {
		sigset_t usr1;
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* (in every thread made after) */
	}
	if (is("rearm_wait") || is("wait") || is("reaped")) {
		child = fork();
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
	}
	if (is("mutex") || is("stdio") || is("resethand") || is("jump")) {
		pthread_create(&t, NULL, holder, NULL);
		pthread_mutex_lock(&ready_m);
		while (!holding)
			pthread_cond_wait(&ready_cv, &ready_m);
		pthread_mutex_unlock(&ready_m);
	} else {
		pthread_create(&t, NULL, holder, NULL); /* a second thread all the same */
	}
	if (extra) {
		sigset_t term, old;
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &term, &old);
		pthread_create(&t, NULL, !strcmp(extra, "churn") ? churn : !strcmp(extra, "nap") ? napper : reap, NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (is("jump") && sigsetjmp(back, 1)) {
		nap_ms(400);
		raise(SIGTERM);
	}
	write(1, "ready\n", 6); /* (not stdio: a worker may hold its lock) */
	if (argc > 2 && !strcmp(argv[2], "self") && fork() == 0) {
		nap_ms(50);
		kill(getppid(), SIGTERM);
		if (!is("brief") && !is("reaped")) {
			nap_ms(1000);
			kill(getppid(), SIGKILL);
		}
		_exit(0);
	}
	while (!handled)
		pause();
	{
		char buf[4096];
		FILE *f = fopen("/proc/self/status", "r");
		int n = 0;
		while (f && fgets(buf, sizeof buf, f))
			if (!strncmp(buf, "Threads:", 8))
				n = atoi(buf + 8);
		printf("after the handler: %d threads\n", n);
		return n == (extra ? 3 : 2) ? 0 : 9;
	}
}

/* tests/src/atexit_spin.c: a C atexit handler (spin) that loops for ever, computing, while a
 * second thread (writer) is blocked on a mutex (log_lock) a third (holder) holds asleep in
 * pause() (t337). The handler prints "ready" once it runs and the writer waits; killed by SIGTERM there, the process
 * dies of it (status 143), with the shim as without it. With the argument "reraise", a SIGTERM
 * handler (on_term) restores the default action and raises the signal again (the idiom to die by
 * it after cleanup). With "now", a second atexit handler (term_now, run first) sends the process
 * SIGTERM at once, microseconds after exit() began: the shim's watchdog thread, made at exit(), has
 * not yet run then, and must not be listed as a thread of the program. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t held;
static volatile unsigned long spins;
static volatile pid_t writer_tid;

/* 1 once thread tid waits in a futex (/proc/self/task/TID/syscall: 202 on x86-64) */
static int in_futex(pid_t tid)
{
	char path[64], buf[32] = "";
	FILE *f;
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	fclose(f);
	return !strncmp(buf, "202 ", 4);
}

static void spin(void)
{
	while (!writer_tid || !in_futex(writer_tid)) /* (the writer blocked on log_lock first) */
		usleep(1000);
	puts("ready");
	fflush(stdout);
	for (;;)
		spins++;
}

static void term_now(void)
{
	kill(getpid(), SIGTERM);
}

static void *writer(void *arg)
{
	(void)arg;
	writer_tid = (pid_t)syscall(SYS_gettid);
	pthread_mutex_lock(&log_lock); /* never: holder keeps it */
	pthread_mutex_unlock(&log_lock);
	return NULL;
}

/* takes log_lock, starts writer, which blocks on it, and sleeps for ever */
static void *holder(void *arg)
{
	pthread_t w;
	(void)arg;
	pthread_mutex_lock(&log_lock);
	pthread_create(&w, NULL, writer, NULL);
	pthread_barrier_wait(&held);
	for (;;)
		pause();
	return NULL;
}

static void on_term(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	pthread_t t;
	if (argc > 1 && !strcmp(argv[1], "reraise"))
		signal(SIGTERM, on_term);
	pthread_barrier_init(&held, NULL, 2);
	atexit(spin);
	pthread_create(&t, NULL, holder, NULL);
	pthread_barrier_wait(&held);
	if (argc > 1 && !strcmp(argv[1], "now"))
		atexit(term_now);
	exit(0);
}

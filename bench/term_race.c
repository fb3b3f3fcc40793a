/* term_race.c - how long a fresh fork child takes to reach its SIGTERM handler, and how often a
 * second SIGTERM then runs the handler on another thread (bench/run's `race` row).
 *
 * Apache's prefork parent stops a child with a killpg and then a kill, 0.1-1.4 ms apart; the
 * child's handler (just_die) first sets SIGTERM to SIG_IGN. Until it has, the second SIGTERM goes
 * to another thread when the main thread blocks it (in the handler) or has a signal pending and
 * is not running (Linux's complete_signal, kernel/signal.c), and that thread runs the handler too.
 * Whatever the shim does before the program's handler widens that window (t122).
 *
 *   term_race N GAP_US   N children: fork+exec of this program with two threads (the second in
 *                        pause), SIGTERM, GAP_US us of spinning, SIGTERM again; the children
 *                        get LD_PRELOAD=$TERM_RACE_PRELOAD where that is set (not the parent:
 *                        its kill would be traced too)
 * Prints one line: `children N gap US to_handler_us P10 MEDIAN in_handler_us P10 MEDIAN wrong_thread K`:
 * to_handler the time from the parent's first kill to the handler's first instruction,
 * in_handler from there to the return of its signal(SIGTERM, SIG_IGN) (CLOCK_MONOTONIC, through
 * a shared memfd; the 10th percentile says more than the median on a loaded machine). With the
 * shim that return also waits for the handler watcher, made there after SIG_IGN took effect
 * (shim/watchdog.c, put off): that part widens no window; wrong_thread is the figure that counts. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
	long entered_ns, ignored_ns; /* CLOCK_MONOTONIC, written by the child's handler */
};

static pid_t main_tid;
static struct shared *sh;

static long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void on_term(int sig)
{
	long t = now_ns();
	struct timespec d = {0, 5000000};
	(void)sig;
	if (syscall(SYS_gettid) != main_tid)
		_exit(7); /* the second SIGTERM ran the handler on the other thread */
	sh->entered_ns = t;
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	sh->ignored_ns = now_ns();
	nanosleep(&d, NULL); /* alive when the second SIGTERM comes */
	_exit(0);
}

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int child(void)
{
	pthread_t t;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED, 4, 0);
	if (sh == MAP_FAILED)
		return 98;
	main_tid = (pid_t)syscall(SYS_gettid);
	signal(SIGTERM, on_term);
	pthread_create(&t, NULL, idle, NULL);
	if (write(3, "r", 1) != 1)
		return 97;
	close(3);
	for (;;)
		pause();
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n, gap, i, wrong = 0, got = 0, mfd;
	long *to_h, *to_i;
	struct shared *s;
	if (argc == 2 && !strcmp(argv[1], "child"))
		return child();
	if (argc != 3 || (n = atoi(argv[1])) <= 0 || (gap = atoi(argv[2])) < 0) {
		fprintf(stderr, "usage: term_race N GAP_US\n");
		return 2;
	}
	mfd = memfd_create("term_race", 0);
	if (mfd < 0 || ftruncate(mfd, sizeof *s) != 0 || dup2(mfd, 4) != 4) {
		perror("term_race: memfd");
		return 2;
	}
	s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED, 4, 0);
	to_h = calloc((size_t)n, sizeof *to_h);
	to_i = calloc((size_t)n, sizeof *to_i);
	if (s == MAP_FAILED || !to_h || !to_i)
		return 2;
	for (i = 0; i < n; i++) {
		int p[2], st;
		char b;
		long t0;
		pid_t c;
		if (pipe(p) != 0)
			return 2;
		memset(s, 0, sizeof *s);
		c = fork();
		if (c == 0) {
			char *args[] = {argv[0], "child", NULL};
			const char *pre = getenv("TERM_RACE_PRELOAD");
			if (pre && *pre)
				setenv("LD_PRELOAD", pre, 1);
			dup2(p[1], 3);
			execv("/proc/self/exe", args);
			_exit(99);
		}
		close(p[1]);
		if (read(p[0], &b, 1) != 1)
			return 2;
		close(p[0]);
		t0 = now_ns();
		kill(c, SIGTERM);
		while (now_ns() - t0 < gap * 1000L)
			;
		kill(c, SIGTERM);
		waitpid(c, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 7)
			wrong++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && s->entered_ns) {
			to_h[got] = s->entered_ns - t0;
			to_i[got++] = s->ignored_ns - s->entered_ns;
		}
	}
	qsort(to_h, (size_t)got, sizeof *to_h, cmp_long);
	qsort(to_i, (size_t)got, sizeof *to_i, cmp_long);
	if (!got)
		return 1;
	printf("children %d gap %d to_handler_us %.1f %.1f in_handler_us %.1f %.1f wrong_thread %d\n", n, gap,
	       to_h[got / 10] / 1000.0, to_h[got / 2] / 1000.0, to_i[got / 10] / 1000.0, to_i[got / 2] / 1000.0,
	       wrong);
	return 0;
}

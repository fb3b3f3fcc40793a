/* fsize_limits.c - a program that lives under a finite RLIMIT_FSIZE, for t050: whatever it does,
 * it never writes a file, so without the shim it never gets SIGXFSZ.
 *   fsize_limits lower BYTES setrlimit|prlimit|setrlimit64   lower the limit in main, then make
 *       trace lines (threads, an atexit handler); exit 5
 *   fsize_limits blocked BYTES [raise]   the same with SIGXFSZ blocked; prints whether one is
 *       pending at the end (with raise, it sends itself one first: it must still be pending)
 *   fsize_limits fork BYTES   40 children at once, each making lines, under the limit; prints how
 *       many died by a signal
 *   fsize_limits regain BYTES   lower the limit, make lines, raise it back to infinity, make lines
 *       again (the trace then says how many were lost); exit 6
 *   fsize_limits full FILE   (t054, on a full filesystem) removes FILE, then makes lines; exit 8 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void *run(void *a) { return a; }
static void key_dtor(void *v) { (void)v; }
static void bye(void) { puts("atexit ran"); }

/* n threads (their lines come from them) and n keys (theirs from the calling thread) */
static void lines(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_t t;
		pthread_key_t k;
		if (pthread_create(&t, NULL, run, NULL) == 0)
			pthread_join(t, NULL);
		if (pthread_key_create(&k, key_dtor) == 0)
			pthread_key_delete(k);
	}
}

static void set_fsize(rlim_t bytes, const char *how)
{
	struct rlimit rl = {bytes, RLIM_INFINITY};
	int r;
	if (!strcmp(how, "prlimit"))
		r = prlimit(0, RLIMIT_FSIZE, &rl, NULL);
	else if (!strcmp(how, "setrlimit64"))
		r = setrlimit64(RLIMIT_FSIZE, (const struct rlimit64 *)&rl);
	else
		r = setrlimit(RLIMIT_FSIZE, &rl);
	if (r != 0)
		perror("set limit");
}

int main(int argc, char **argv)
{
	rlim_t bytes = argc > 2 ? strtoull(argv[2], NULL, 10) : 1024;
	if (argc < 2)
		return 2;
	atexit(bye);
	if (!strcmp(argv[1], "lower")) {
		set_fsize(bytes, argc > 3 ? argv[3] : "setrlimit");
		lines(20);
		puts("lower done");
		return 5;
	}
	if (!strcmp(argv[1], "blocked")) {
		sigset_t set, pending;
		sigemptyset(&set);
		sigaddset(&set, SIGXFSZ);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (argc > 3)
			raise(SIGXFSZ);
		set_fsize(bytes, "setrlimit");
		lines(20);
		sigpending(&pending);
		printf("SIGXFSZ pending: %s\n", sigismember(&pending, SIGXFSZ) ? "yes" : "no");
		sigprocmask(SIG_SETMASK, NULL, &set);
		printf("SIGXFSZ blocked: %s\n", sigismember(&set, SIGXFSZ) ? "yes" : "no");
		return 0;
	}
	if (!strcmp(argv[1], "fork")) {
		int killed = 0, st;
		set_fsize(bytes, "setrlimit");
		for (int i = 0; i < 40; i++)
			if (fork() == 0) {
				lines(3);
				_exit(0);
			}
		while (wait(&st) > 0)
			killed += WIFSIGNALED(st);
		printf("children killed by a signal: %d\n", killed);
		return 0;
	}
	if (!strcmp(argv[1], "full") && argc > 2) {
		unlink(argv[2]);
		lines(5);
		puts("full done");
		return 8;
	}
	if (!strcmp(argv[1], "regain")) {
		set_fsize(bytes, "setrlimit");
		lines(10);
		set_fsize(RLIM_INFINITY, "setrlimit");
		lines(2);
		puts("regain done");
		return 6;
	}
	return 2;
}

/* held_dtor.c - a program whose destructor function (run by _dl_fini at the end of exit) does
 * MODE, for t112: the empty dl_fini/cxa_fin brackets are not written, any line inside one writes
 * its begin first.
 *   usage: held_dtor MODE   (quiet: nothing; crash: SIGSEGV; hang: sleeps until its trace
 *   (TLSTRACE_FILE) has the watchdog's first complete snapshot (run with TLSTRACE_HANG_MS=300;
 *   was: a fixed 1 s, which a busy machine's watchdog may not keep; 60 s a safety net), 1 s
 *   without a trace; sleep: sleeps 5 s (for a SIGKILL from outside); fork: forks a child
 *   that returns from the destructor too, and waits for it; thread: creates and joins a thread;
 *   signal: raises SIGUSR1, which it handles) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *mode = "quiet";

static void *nothing(void *a) { return a; }

/* whether file f holds s (its first 1 MiB) */
static int file_has(const char *f, const char *s)
{
	static char buf[1 << 20];
	ssize_t n = 0, r;
	int fd = open(f, O_RDONLY);
	if (fd < 0)
		return 0;
	while (n < (ssize_t)sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return strstr(buf, s) != NULL;
}
static void on_usr1(int sig) { (void)sig; }

__attribute__((destructor)) static void dtor(void)
{
	if (!strcmp(mode, "crash")) {
		*(volatile int *)16 = 1;
	} else if (!strcmp(mode, "hang")) {
		const char *f = getenv("TLSTRACE_FILE");
		if (!f)
			usleep(1000000);
		for (int i = 0; f && i < 6000 && !file_has(f, " hang_end 1\n"); i++)
			usleep(10000);
	} else if (!strcmp(mode, "sleep")) {
		printf("sleeping\n");
		fflush(stdout);
		sleep(5);
	} else if (!strcmp(mode, "fork")) {
		pid_t pid = fork();
		if (pid > 0)
			waitpid(pid, NULL, 0);
	} else if (!strcmp(mode, "thread")) {
		pthread_t t;
		if (pthread_create(&t, NULL, nothing, NULL) == 0)
			pthread_join(t, NULL);
	} else if (!strcmp(mode, "signal")) {
		signal(SIGUSR1, on_usr1);
		raise(SIGUSR1);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		mode = argv[1];
	return 0;
}

/* held_dtor.c - a program whose destructor function (run by _dl_fini at the end of exit) does
 * MODE, for t112: the empty dl_fini/cxa_fin brackets are not written, any line inside one writes
 * its begin first.
 *   usage: held_dtor MODE   (quiet: nothing; crash: SIGSEGV; hang: sleeps 1 s (run with
 *   TLSTRACE_HANG_MS=300); sleep: sleeps 5 s (for a SIGKILL from outside); fork: forks a child
 *   that returns from the destructor too, and waits for it; thread: creates and joins a thread;
 *   signal: raises SIGUSR1, which it handles) */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *mode = "quiet";

static void *nothing(void *a) { return a; }
static void on_usr1(int sig) { (void)sig; }

__attribute__((destructor)) static void dtor(void)
{
	if (!strcmp(mode, "crash")) {
		*(volatile int *)16 = 1;
	} else if (!strcmp(mode, "hang")) {
		usleep(1000000);
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

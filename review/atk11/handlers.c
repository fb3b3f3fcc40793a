/* review/atk11/handlers.c MODE: termination handlers replaced, inherited ignored or blocked,
 * re-raised (ATK11). Each prints "ready" once it waits for the runner's signals. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void server_term(int s)
{
	(void)s;
	exit(0); /* the server's clean shutdown */
}
static void term_cleanup(int s)
{
	static const char m[] = "cleanup\n";
	write(1, m, sizeof m - 1);
	raise(s); /* SA_RESETHAND: the default action now */
}
static void ready(void)
{
	printf("ready\n");
	fflush(stdout);
}
static void stuck(void)
{
	for (;;)
		pause();
}
static void *spawner(void *a)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* this thread blocks SIGTERM; its child inherits it */
	pid_t c = fork();
	if (c == 0) {
		execl("/proc/self/exe", "handlers", "child", (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	return a;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (!strcmp(m, "lib_replaces")) {
		sa.sa_handler = server_term;
		sigaction(SIGTERM, &sa, NULL);
		if (!dlopen(argv[2], RTLD_NOW)) /* its constructor installs its own SIGTERM handler */
			return 2;
		ready();
		stuck();
	} else if (!strcmp(m, "ign_exec")) {
		signal(SIGTERM, SIG_IGN);
		execl("/proc/self/exe", "handlers", "child", (char *)NULL);
		return 127;
	} else if (!strcmp(m, "child")) {
		atexit(stuck);
		ready();
		return 0; /* teardown: stuck; SIGTERM ignored or blocked as inherited */
	} else if (!strcmp(m, "blocked_exec")) {
		pthread_t t;
		pthread_create(&t, NULL, spawner, NULL);
		pthread_join(t, NULL);
		return 0;
	} else if (!strcmp(m, "resethand")) {
		sa.sa_handler = term_cleanup;
		sa.sa_flags = SA_RESETHAND;
		sigaction(SIGTERM, &sa, NULL);
		ready();
		stuck();
	}
	return 2;
}

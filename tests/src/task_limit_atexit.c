/* task_limit_atexit.c - an atexit handler that makes one task more, run where only one more fits
 * (t384: a cgroup's pids.max of 2): by mode, fork (the child _exit(4)s; waited for), thread
 * (pthread_create, joined), system ("exit 5"), vfork (the child _exit(6)s), popen ("echo 7",
 * read) or spawn (posix_spawn of sh -c "exit 8", waited for); fork_sleep: fork, then a sleep of 700 ms once
 * the child is reaped (a teardown the watchdog should still watch); term_MODE: MODE from a
 * SIGTERM handler the program raises, which then exits. Prints what the call returned; exit
 * status 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static const char *mode;
static void *nothing(void *a) { return a; }

static void act(const char *mode)
{
	if (!strcmp(mode, "fork") || !strcmp(mode, "fork_sleep")) {
		int st = 0;
		pid_t p = fork();
		if (p == 0)
			_exit(4);
		if (p < 0) {
			printf("fork: %s\n", strerror(errno));
			return;
		}
		waitpid(p, &st, 0);
		printf("fork: child exited %d\n", WEXITSTATUS(st));
		if (!strcmp(mode, "fork_sleep"))
			usleep(700000);
	} else if (!strcmp(mode, "thread")) {
		pthread_t t;
		int rc = pthread_create(&t, NULL, nothing, NULL);
		if (rc) {
			printf("thread: %s\n", strerror(rc));
			return;
		}
		pthread_join(t, NULL);
		printf("thread: joined\n");
	} else if (!strcmp(mode, "vfork")) {
		int st = 0;
		pid_t p = vfork();
		if (p == 0)
			_exit(6);
		if (p < 0) {
			printf("vfork: %s\n", strerror(errno));
			return;
		}
		waitpid(p, &st, 0);
		printf("vfork: child exited %d\n", WEXITSTATUS(st));
	} else if (!strcmp(mode, "spawn")) {
		int st = 0, rc;
		pid_t p;
		char *av[] = {"sh", "-c", "exit 8", NULL};
		rc = posix_spawn(&p, "/bin/sh", NULL, NULL, av, environ);
		if (rc) {
			printf("spawn: %s\n", strerror(rc));
			return;
		}
		waitpid(p, &st, 0);
		printf("spawn: child exited %d\n", WEXITSTATUS(st));
	} else if (!strcmp(mode, "popen")) {
		char line[16] = "";
		FILE *f = popen("echo 7", "r");
		if (!f) {
			printf("popen: %s\n", strerror(errno));
			return;
		}
		if (!fgets(line, sizeof line, f))
			line[0] = 0;
		printf("popen: %d %s", WEXITSTATUS(pclose(f)), line);
	} else {
		int st = system("exit 5");
		printf("system: %d %s\n", st == -1 ? -1 : WEXITSTATUS(st), st == -1 ? strerror(errno) : "");
	}
}

static void at_exit(void) { act(mode); }

/* term_MODE: the same from a SIGTERM handler (a C handler: the shim's handler watcher runs while
 * it does), which then calls exit(0) */
static void on_term(int sig)
{
	(void)sig;
	act(mode + 5);
	exit(0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	mode = argc > 1 ? argv[1] : "fork";
	if (!strncmp(mode, "term_", 5)) {
		signal(SIGTERM, on_term);
		raise(SIGTERM);
		return 1;
	}
	atexit(at_exit);
	return 0;
}

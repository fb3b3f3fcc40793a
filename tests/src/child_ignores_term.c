/* child_ignores_term.c (t343): SIGTERM kept from a process by SIG_IGN or a blocked mask.
 * (no argument) a child sets SIG_IGN for SIGTERM itself (signal()), says so on a pipe and waits;
 * its parent sends it SIGTERM, which the kernel discards, then SIGKILL, and reaps it, and prints
 * how it ended. inherit_ign: the program sets SIG_IGN for SIGTERM and execs itself (mode wait);
 * inherit_blocked: a thread blocks SIGTERM, forks, and the child execs the program (mode wait),
 * which the thread then waits for. wait: prints "ready PID" and pauses until it is killed. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void ignore_term(void) { signal(SIGTERM, SIG_IGN); }

static void *spawn_blocked(void *self)
{
	sigset_t set;
	int st;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		execl((const char *)self, "child_ignores_term", "wait", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	printf("child: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return NULL;
}

int main(int argc, char **argv)
{
	int p[2], st;
	char c;
	pid_t pid;
	if (argc > 1 && !strcmp(argv[1], "wait")) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	if (argc > 1 && !strcmp(argv[1], "inherit_ign")) {
		ignore_term();
		execl("/proc/self/exe", "child_ignores_term", "wait", (char *)NULL);
		return 127;
	}
	if (argc > 1 && !strcmp(argv[1], "inherit_blocked")) {
		pthread_t t;
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n <= 0)
			return 2;
		self[n] = 0;
		setvbuf(stdout, NULL, _IOLBF, 0);
		pthread_create(&t, NULL, spawn_blocked, self);
		pthread_join(t, NULL);
		return 0;
	}
	if (pipe(p))
		return 2;
	pid = fork();
	if (pid == 0) {
		ignore_term();
		if (write(p[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	if (read(p[0], &c, 1) != 1)
		return 2;
	kill(pid, SIGTERM);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("child: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return 0;
}

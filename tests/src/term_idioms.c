/* term_idioms.c - the ways a program ends on SIGTERM (t137): its handler sets a flag and main
 * exits later (flag), its handler calls exit (exit_in_handler), the standard re-raise idiom
 * after cleanup: in the handler with SIG_DFL restored (reraise_in), with SA_RESETHAND
 * (resethand), or from main after the handler returned (reraise_after); the default action
 * (dfl). The SIGTERM comes from the parent (a fork: "child" modes) or from itself ("self"). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *mode;
static volatile sig_atomic_t got;

static void handler(int sig)
{
	static const char m[] = "cleanup\n";
	if (write(1, m, sizeof m - 1) < 0)
		_exit(9);
	got = 1;
	if (!strcmp(mode, "exit_in_handler"))
		exit(3);
	if (!strcmp(mode, "reraise_in")) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	if (!strcmp(mode, "resethand"))
		raise(sig);
}

static void bye(void) { puts("atexit ran"); }

static int victim(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	if (!strcmp(mode, "resethand"))
		sa.sa_flags = SA_RESETHAND;
	sigset_t term, old;
	atexit(bye);
	if (strcmp(mode, "dfl"))
		sigaction(SIGTERM, &sa, NULL);
	/* SIGTERM blocked from before "ready" to the wait, which unblocks it (sigsuspend): a SIGTERM
	 * between the test of got and a pause() would be a lost wake-up, pause() for ever (a run of
	 * t137 timed out so, stop 28: the program's race, not the shim's) */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	printf("ready\n");
	fflush(stdout);
	while (!got)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	usleep(10000); /* main's own work after the handler returned */
	if (!strcmp(mode, "reraise_after")) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
	}
	exit(3);
}

int main(int argc, char **argv)
{
	int status, p[2];
	pid_t c;
	char b;
	mode = argc > 1 ? argv[1] : "flag";
	if (argc > 2 && !strcmp(argv[2], "self")) {
		if (fork() == 0) {
			kill(getppid(), SIGTERM);
			_exit(0);
		}
		return victim();
	}
	if (pipe(p) != 0)
		return 9;
	c = fork();
	if (c == 0) {
		dup2(p[1], 1);
		return victim();
	}
	close(p[1]);
	if (read(p[0], &b, 1) != 1) /* "ready" */
		return 9;
	kill(c, SIGTERM);
	waitpid(c, &status, 0);
	printf("child %s %d\n", WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 0;
}

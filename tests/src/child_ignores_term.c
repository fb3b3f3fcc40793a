/* child_ignores_term.c (t343): a child sets SIG_IGN for SIGTERM itself (signal()), says so on a
 * pipe and waits; its parent sends it SIGTERM, which the kernel discards, then SIGKILL, and reaps
 * it. The parent prints how the child ended. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void ignore_term(void) { signal(SIGTERM, SIG_IGN); }

int main(void)
{
	int p[2], st;
	char c;
	pid_t pid;
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

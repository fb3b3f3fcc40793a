/* fork_blocked_term: the parent blocks SIGTERM with sigprocmask, forks a child that does not exec
 * (fork copies the mask: the child starts with SIGTERM blocked) and waits in pause(); the parent
 * sends it SIGTERM, 300 ms later SIGKILL, and reaps it (t433). */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	sigset_t s;
	int st;
	pid_t c;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	usleep(200000);
	kill(c, SIGTERM);
	usleep(300000);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("child %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return 0;
}

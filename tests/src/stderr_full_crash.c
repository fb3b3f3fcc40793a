/* stderr_full_crash.c MODE: a child whose stderr is a pipe its reader does not drain (a stalled
 * log collector, a parent that reads its child's stderr only after waiting for it) fills that pipe
 * to the brim, then dies: segv (a null write), abort, term (SIGTERM at SIG_DFL raised). The
 * parent waits for it (at most 30 s, then SIGKILL: a safety net) and prints how it ended (t412).
 * Without the shim: "child died of signal 11" (6, 15). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int p[2], st = 0, cap;
	pid_t c, r = 0;
	if (argc < 2 || pipe(p) != 0)
		return 2;
	cap = fcntl(p[1], F_GETPIPE_SZ);
	c = fork();
	if (c == 0) {
		char *b = malloc(cap);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		memset(b, 'x', cap);
		/* filled without blocking, then blocking again as stderr is */
		fcntl(2, F_SETFL, fcntl(2, F_GETFL) | O_NONBLOCK);
		while (write(2, b, cap) > 0)
			;
		while (write(2, b, 1) > 0)
			;
		fcntl(2, F_SETFL, fcntl(2, F_GETFL) & ~O_NONBLOCK);
		if (!strcmp(argv[1], "abort"))
			abort();
		if (!strcmp(argv[1], "term"))
			raise(SIGTERM);
		*(volatile int *)0 = 1;
		_exit(0);
	}
	close(p[1]);
	for (int i = 0; i < 3000 && (r = waitpid(c, &st, WNOHANG)) == 0; i++)
		usleep(10000);
	if (r == 0) {
		printf("child still running after 30 s: killed\n");
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
	} else {
		printf("child died of signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	}
	close(p[0]);
	return 0;
}

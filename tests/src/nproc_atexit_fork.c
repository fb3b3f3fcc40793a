/* nproc_atexit_fork.c UID [hup]: as user UID (from root), with RLIMIT_NPROC 2 (this process
 * and one more), an atexit handler (and with "hup" first a SIGHUP handler, as a reload would)
 * forks a child that exits 5 and prints what the fork gave; exit 3 (t332). Exit 2 when the user
 * cannot be taken. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
static void fork_at_exit(void)
{
	int st = 0;
	pid_t p = fork();
	if (p == 0)
		_exit(5);
	if (p > 0)
		waitpid(p, &st, 0);
	printf("atexit fork: %s\n", p > 0 ? "child exited" : strerror(errno));
	fflush(stdout);
}
static void hup(int sig)
{
	(void)sig;
	fork_at_exit();
}
int main(int argc, char **argv)
{
	uid_t uid = argc > 1 ? (uid_t)atol(argv[1]) : 0;
	struct rlimit rl = {2, 2};
	if (setgid(uid) != 0 || setuid(uid) != 0 || setrlimit(RLIMIT_NPROC, &rl) != 0)
		return 2;
	atexit(fork_at_exit);
	if (argc > 2) {
		/* a SIGHUP handler that forks (a reload) */
		signal(SIGHUP, hup);
		raise(SIGHUP);
	}
	puts("main returns");
	return 3;
}

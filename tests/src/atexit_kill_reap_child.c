/* atexit_kill_reap_child SIG: forks a child that pause()s; the parent's atexit handler sends it SIG
 * (a number) and reaps it (t388) */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;
static int sig;

static void h(void)
{
	kill(child, sig);
	waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
	sig = argc > 1 ? atoi(argv[1]) : SIGKILL;
	child = fork();
	if (child == 0)
		for (;;)
			pause();
	usleep(100000);
	atexit(h);
	return 0;
}

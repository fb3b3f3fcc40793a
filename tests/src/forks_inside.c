/* forks_inside.c - glibc functions that fork inside and return in the child (t372):
 *   daemon        daemon(1, 1); the daemon prints "daemon PID", then returns 5 from main
 *   daemon_close  daemon(1, 0): its output goes to /dev/null; it creates FILE (argv[2]) and ends
 *   daemon_crash  daemon(1, 1); the daemon dies of SIGSEGV (a null pointer's write)
 *   daemon_sleep  daemon(1, 1); the daemon sleeps 30 s (the test reads the trace meanwhile), returns 5
 *   forkpty       forkpty(); the child _exit(3)s; the parent prints its status and returns 0
 * The first process (daemon's parent) ends inside daemon() with _exit(0). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(m, "forkpty")) {
		int master, st;
		pid_t p = forkpty(&master, NULL, NULL, NULL);
		if (p < 0)
			return 1;
		if (p == 0)
			_exit(3);
		waitpid(p, &st, 0);
		printf("forkpty child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return 0;
	}
	if (daemon(1, strcmp(m, "daemon_close") ? 1 : 0) != 0)
		return 1;
	if (!strcmp(m, "daemon_close")) {
		printf("to /dev/null\n");
		close(open(argv[2], O_WRONLY | O_CREAT, 0600));
		return 0;
	}
	if (!strcmp(m, "daemon_crash"))
		*(volatile int *)0 = 1;
	if (!strcmp(m, "daemon_sleep"))
		sleep(30);
	printf("daemon %d\n", getpid());
	return 5;
}

/* start_storm.c - t279: children that inherit SIGHUP ignored (as under nohup) exec a program,
 * each sent SIGHUP in a loop by this parent from its fork until it is reaped. Without the shim
 * none dies of it. Usage: start_storm N PRELOAD PROGRAM [ARG...] (PRELOAD: LD_PRELOAD for the
 * children only, "" for none); prints how many of N died by a signal.
 * Every child is reaped here (its pid waited for). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n, died = 0;
	if (argc < 4)
		return 2;
	n = atoi(argv[1]);
	signal(SIGHUP, SIG_IGN);
	for (int i = 0; i < n; i++) {
		int st;
		pid_t p = fork();
		if (p < 0)
			return 3;
		if (p == 0) {
			if (*argv[2])
				setenv("LD_PRELOAD", argv[2], 1);
			execv(argv[3], argv + 3);
			_exit(127);
		}
		for (;;) {
			kill(p, SIGHUP);
			if (waitpid(p, &st, WNOHANG) == p)
				break;
		}
		if (WIFSIGNALED(st))
			died++;
		else if (WEXITSTATUS(st) != 0)
			return 4;
	}
	printf("%d of %d died by a signal\n", died, n);
	return 0;
}

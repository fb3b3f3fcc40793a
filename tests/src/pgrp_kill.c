/* pgrp_kill.c - a parent stops a process group it does not lead: three children, the first the
 * group's leader (setpgid(0, 0)), the other two members (setpgid(0, leader)); the parent moves each
 * too, as a shell does for a job (both sides, so neither races the other); with argv[2] "parent"
 * only the parent does, before it lets them go on. Each child calls exit(0) and its atexit handler
 * blocks in pause() (a teardown that hangs). Once all three are in it, the parent sends the group
 * argv[1] ("KILL" or "TERM") with killpg(leader), reaps the three and prints "child I SIG" (the
 * signal each died by, 0 if it exited). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int ready[2], go[2];

static void hang(void)
{
	char c = 'r';
	if (write(ready[1], &c, 1) != 1)
		_exit(3);
	pause();
}

int main(int argc, char **argv)
{
	int sig = argc > 1 && !strcmp(argv[1], "TERM") ? SIGTERM : SIGKILL;
	int own = !(argc > 2 && !strcmp(argv[2], "parent"));
	pid_t kids[3], leader = 0;
	char c = 'g';
	if (pipe(ready) || pipe(go))
		return 2;
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			if (own && setpgid(0, i ? leader : 0))
				_exit(4);
			if (!own && read(go[0], &c, 1) != 1)
				_exit(5);
			atexit(hang);
			exit(0);
		}
		/* (EACCES once it exec'd, not here; its own call may come first: the same group) */
		if (setpgid(pid, i ? leader : pid) && !own)
			return 2;
		if (!own && write(go[1], &c, 1) != 1)
			return 2;
		kids[i] = pid;
		if (!i)
			leader = pid;
	}
	for (int i = 0; i < 3; i++)
		if (read(ready[0], &c, 1) != 1)
			return 2;
	usleep(300000);
	if (killpg(leader, sig))
		return 2;
	for (int i = 0; i < 3; i++) {
		int st;
		if (waitpid(kids[i], &st, 0) != kids[i])
			return 2;
		printf("child %d %d\n", i, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	}
	return 0;
}

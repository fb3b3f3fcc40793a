/* suspend_death.c - a signal at its default action, blocked by the program and let in only by
 * the mask a call takes for its duration (sigsuspend, ppoll, pselect, epoll_pwait): the kernel
 * ends the process in the call. t394.
 * usage: suspend_death SIG CALL   (CALL: sigsuspend ppoll pselect epoll_pwait)
 * A child sends SIG (kill) and is reaped before the call, so SIG is pending when the call lets it
 * in. Prints "returned ..." and exits 3 only if the process lived on. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int sig = atoi(argv[1]);
	const char *call = argv[2];
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, sig);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t c = fork();
	if (c == 0) {
		kill(getppid(), sig);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	int p[2], r = 0;
	if (pipe(p) != 0)
		return 2;
	if (!strcmp(call, "sigsuspend")) {
		r = sigsuspend(&old);
	} else if (!strcmp(call, "ppoll")) {
		struct pollfd pf = {p[0], POLLIN, 0};
		r = ppoll(&pf, 1, NULL, &old);
	} else if (!strcmp(call, "pselect")) {
		fd_set s;
		FD_ZERO(&s);
		FD_SET(p[0], &s);
		r = pselect(p[0] + 1, &s, NULL, NULL, NULL, &old);
	} else if (!strcmp(call, "epoll_pwait")) {
		int ep = epoll_create1(0);
		struct epoll_event ev = {.events = EPOLLIN}, out;
		epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
		r = epoll_pwait(ep, &out, 1, -1, &old);
	} else {
		return 2;
	}
	printf("returned %d (%s)\n", r, strerror(errno));
	return 3;
}

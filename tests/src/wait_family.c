/* wait_family.c: each wait-family call with a child ready, a child not yet ended (it blocks),
 * WNOHANG, no child at all; prints what each returned, the same with and without the shim (t153).
 * Exactly 5 of the calls block. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_wait.h"

/* a child that ends with code (-1: SIGKILL), at once or (later) only once its parent blocks in a
 * wait call: the call that should block does, however slow the machine (was: 100 ms later) */
static pid_t child(int code, int later)
{
	pid_t c = fork();
	if (c == 0) {
		if (later)
			until_in_syscall(getppid(), NR_WAIT4, NR_WAITID);
		if (code < 0)
			kill(getpid(), SIGKILL);
		_exit(code);
	}
	return c;
}

int main(void)
{
	int st = -1, ok = 1, r;
	siginfo_t si;
	struct rusage ru;
	pid_t c = child(3, 0);
	until_ended(c); /* (was: 100 ms) */
	r = waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 3; /* ready: does not block */
	printf("waitpid ready %d\n", r), ok &= r;
	c = child(4, 1);
	r = wait(&st) == c && WEXITSTATUS(st) == 4;
	printf("wait %d\n", r), ok &= r;
	c = child(5, 1);
	r = wait4(c, &st, 0, &ru) == c && WEXITSTATUS(st) == 5 && ru.ru_utime.tv_sec >= 0;
	printf("wait4 %d\n", r), ok &= r;
	c = child(6, 1);
	r = waitid(P_PID, (id_t)c, &si, WEXITED) == 0 && si.si_status == 6 && si.si_pid == c;
	printf("waitid %d\n", r), ok &= r;
	c = child(-1, 1);
	r = waitid(P_ALL, 0, NULL, WEXITED) == 0;
	printf("waitid NULL %d\n", r), ok &= r;
	errno = 0;
	r = waitpid(-1, &st, 0) == -1 && errno == ECHILD;
	printf("no child %d\n", r), ok &= r;
	c = child(7, 1);
	st = 12345;
	r = waitpid(c, &st, WNOHANG) == 0 && st == 12345;
	printf("wnohang %d\n", r), ok &= r;
	r = wait3(&st, 0, NULL) == c && WEXITSTATUS(st) == 7;
	printf("wait3 %d\n", r), ok &= r;
	printf("all %d\n", ok);
	return 0;
}

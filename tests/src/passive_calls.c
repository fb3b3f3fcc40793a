/* passive_calls.c - t278: calls the shim interposes, made in a process where the shim stays
 * passive (set-uid, TLSTRACE_DISABLE=1, a trace it cannot open): siglongjmp, longjmp, _longjmp,
 * __longjmp_chk (built with _FORTIFY_SOURCE), sigtimedwait, sigwaitinfo, sigwait, system,
 * signal and sigaction. Each prints its result; the output must be what it is without the shim. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sigjmp_buf senv;
static jmp_buf env;

static void on_usr2(int s)
{
	(void)s;
	siglongjmp(senv, 2); /* out of a handler */
}

int main(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec t = {5, 0};
	int sig = 0, r;
	if (sigsetjmp(senv, 1) == 0)
		siglongjmp(senv, 1);
	printf("siglongjmp ok\n");
	if (setjmp(env) == 0)
		longjmp(env, 1); /* __longjmp_chk under _FORTIFY_SOURCE */
	printf("longjmp ok\n");
	if (_setjmp(env) == 0)
		_longjmp(env, 1);
	printf("_longjmp ok\n");
	signal(SIGUSR2, on_usr2);
	if (sigsetjmp(senv, 1) == 0)
		raise(SIGUSR2);
	printf("siglongjmp from a handler ok\n");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	r = sigtimedwait(&set, &si, &t);
	printf("sigtimedwait %d %s\n", r, r < 0 ? strerror(errno) : "");
	raise(SIGUSR1);
	r = sigwaitinfo(&set, &si);
	printf("sigwaitinfo %d %s\n", r, r < 0 ? strerror(errno) : "");
	raise(SIGUSR1);
	r = sigwait(&set, &sig);
	printf("sigwait %d %d\n", r, sig);
	printf("system %d\n", system("exit 3"));
	printf("signal %s\n", signal(SIGTERM, SIG_IGN) == SIG_DFL ? "DFL" : "?");
	return 0;
}

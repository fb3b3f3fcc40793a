/* sigapi.c (t274): glibc's other signal-action calls, and vfork children that exit, abort or
 * kill. "api": signal, sysv_signal, bsd_signal, sigset, sigignore, siginterrupt, sighold and
 * sigrelse, with every action read back and printed (the output must not change under the
 * shim), and an action restored from what sigset returned, then the signal raised (under the old
 * shim that value was the shim's own handler: a crash). "vfork": children made by vfork and
 * __vfork that kill their parent, abort, or call exit(4): the parent's handlers run as without
 * the shim, and none of it is recorded as the parent's. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* (sigset, sighold...: the calls tested) */
extern pid_t __vfork(void);
extern void (*bsd_signal(int, void (*)(int)))(int);
static volatile sig_atomic_t got[65];
static void h1(int s) { got[s]++; }
static void h2(int s) { got[s] += 10; }

static const char *name(void (*h)(int))
{
	return h == SIG_DFL ? "DFL" : h == SIG_IGN ? "IGN" : h == h1 ? "h1" : h == h2 ? "h2" : h == SIG_ERR ? "ERR" : "other";
}
static void show(const char *what, int sig)
{
	struct sigaction a;
	sigaction(sig, NULL, &a);
	printf("%-28s %2d %-5s flags %#x mask %#lx\n", what, sig, name(a.sa_handler), (unsigned)a.sa_flags & ~0x04000000u,
	       *(unsigned long *)&a.sa_mask & 0xffffffffffffffffUL);
}

static int api(void)
{
	int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGQUIT};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		int s = sigs[i];
		void (*old)(int);
		signal(s, h1);
		show("signal h1", s);
		old = sigset(s, SIG_IGN);
		printf("sigset IGN returned %s\n", name(old));
		show("after sigset IGN", s);
		signal(s, old); /* restored from what sigset returned */
		show("signal(old)", s);
		old = sysv_signal(s, h2);
		printf("sysv_signal returned %s\n", name(old));
		show("after sysv_signal h2", s);
		old = bsd_signal(s, h1);
		printf("bsd_signal returned %s\n", name(old));
		sigignore(s);
		show("after sigignore", s);
		siginterrupt(s, 1);
		signal(s, h1);
		show("siginterrupt 1, signal h1", s);
		siginterrupt(s, 0);
		show("siginterrupt 0", s);
		sighold(s);
		raise(s);
		printf("held: got %d\n", got[s]);
		sigrelse(s);
		printf("released: got %d\n", got[s]);
	}
	return 0;
}

static int vforks(void)
{
	int st;
	pid_t p;
	signal(SIGUSR1, h1);
	signal(SIGSEGV, h2);
	if ((p = vfork()) == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	waitpid(p, &st, 0);
	if ((p = __vfork()) == 0) {
		signal(SIGSEGV, SIG_DFL);
		signal(SIGUSR1, SIG_IGN);
		abort();
	}
	waitpid(p, &st, 0);
	printf("abort child: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	if ((p = vfork()) == 0)
		exit(4);
	waitpid(p, &st, 0);
	printf("exit child: %d\n", WEXITSTATUS(st));
	raise(SIGUSR1);
	show("parent SIGUSR1", SIGUSR1);
	show("parent SIGSEGV", SIGSEGV);
	printf("got USR1 %d\n", got[SIGUSR1]);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return argc > 1 && !strcmp(argv[1], "vfork") ? vforks() : api();
}

/* sigfields.c - t276: every signal's action as sigaction(sig, NULL, &old) reports it, field by
 * field (handler, sa_flags, sa_restorer, the kernel's 64 mask bits), at several points of a
 * program's life: at start, after its own installations (set, set back from the saved struct),
 * after system(), in a fork child, in and after handlers (SA_RESETHAND, SA_NODEFER), after
 * sigset/sigignore/siginterrupt/sysv_signal and signal(), and in the program it execs. Printed
 * one line per signal; run with and without the shim (under parents that ignore signals) and
 * the outputs compared: they must be the same, byte for byte. */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* sigset, sigignore, ...: tried on purpose */
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sigdump.h"

static void h1(int s) { (void)s; }
static void h2(int s, siginfo_t *si, void *uc) { (void)s, (void)si, (void)uc; }
/* inside the handler: its own signal's action (SA_RESETHAND: reset already) and the mask */
static void h3(int s, siginfo_t *si, void *uc)
{
	sigset_t cur;
	uint64_t m;
	(void)si, (void)uc;
	dump_one("inhandler", s);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	memcpy(&m, &cur, sizeof m);
	printf("inhandler %d blocked=%llx\n", s, (unsigned long long)m);
}

/* a real fault's handler: what it reads, then out by siglongjmp */
static sigjmp_buf fault_env;
static void h4(int s, siginfo_t *si, void *uc)
{
	h3(s, si, uc);
	siglongjmp(fault_env, 1);
}

/* the program's handlers by name, for sigdump.h's lines */
static const char *handler_name(void *p)
{
	return p == (void *)h1 ? "h1" : p == (void *)h2 ? "h2" : p == (void *)h3 ? "h3" : p == (void *)h4 ? "h4" : NULL;
}

static void set(int sig, void *h, int flags, int masksig)
{
	struct sigaction a, old;
	memset(&a, 0, sizeof a);
	sigemptyset(&a.sa_mask);
	if (masksig)
		sigaddset(&a.sa_mask, masksig);
	if (flags & SA_SIGINFO)
		a.sa_sigaction = (void (*)(int, siginfo_t *, void *))h;
	else
		a.sa_handler = (sighandler_t)h;
	a.sa_flags = flags;
	/* (the old action that the same call returns, too) */
	memset(&old, 0xab, sizeof old);
	if (sigaction(sig, &a, &old) == 0)
		show("old", sig, &old);
}

int main(int argc, char **argv)
{
	struct sigaction saved[65];
	sigdump_name = handler_name;
	if (argc > 1) { /* exec'd by the run below: what the kernel handed over */
		dump(argv[1]);
		return 0;
	}
	dump("start");

	/* system() sets SIGINT and SIGQUIT ignored and back with glibc's internal __sigaction */
	if (system("true") != 0)
		return 2;
	dump("system");

	/* the program's own: handlers, SIG_IGN, SIG_DFL with flags, on owned and other signals */
	for (int sig = 1; sig <= 64; sig++)
		sigaction(sig, NULL, &saved[sig]);
	set(SIGTERM, h1, SA_RESTART | SA_ONSTACK, SIGHUP);
	set(SIGHUP, SIG_IGN, SA_NODEFER, 0);
	set(SIGUSR1, h2, SA_SIGINFO | SA_RESETHAND, SIGUSR2);
	set(SIGSEGV, h2, SA_SIGINFO | SA_ONSTACK | SA_NODEFER, SIGINT);
	set(SIGABRT, SIG_DFL, SA_RESTART, SIGTERM);
	set(SIGPIPE, SIG_IGN, 0, 0);
	set(SIGALRM, h1, 0, 0);
	set(SIGFPE, h2, SA_SIGINFO | SA_RESETHAND, 0);
	/* flag bits the kernel does not know (it clears them: Linux 5.11, SA_UNSUPPORTED) */
	set(SIGILL, h1, SA_RESTART | 0x400 | 0x800000, 0);
	set(SIGINT, SIG_DFL, SA_ONSTACK | 0x400 | 0x800000, SIGQUIT);
	dump("set");

	/* SA_RESETHAND: the kernel resets the handler on delivery */
	raise(SIGUSR1);
	raise(SIGFPE);
	dump("resethand");
	set(SIGUSR2, h3, SA_SIGINFO | SA_RESETHAND, SIGHUP);
	set(SIGQUIT, h3, SA_SIGINFO | SA_NODEFER, SIGALRM);
	set(SIGBUS, h3, SA_SIGINFO, SIGTERM);
	raise(SIGUSR2);
	raise(SIGQUIT);
	raise(SIGBUS);
	dump("inhandlers");
	/* a real fault, SA_RESETHAND: inside the handler and after the jump out */
	set(SIGSEGV, h4, SA_SIGINFO | SA_RESETHAND | SA_NODEFER, SIGUSR1);
	if (sigsetjmp(fault_env, 1) == 0)
		*(volatile int *)0 = 1;
	set(SIGFPE, h4, SA_SIGINFO, SIGUSR2);
	if (sigsetjmp(fault_env, 1) == 0) {
		volatile int seven = 7, zero = 0; /* (1 / x: gcc compares instead of dividing) */
		printf("%d\n", seven / zero);
	}
	dump("afterfaults");

	/* glibc's other signal functions */
	sigset(SIGHUP, h1);
	sigset(SIGPIPE, SIG_HOLD);
	sigignore(SIGUSR2);
	siginterrupt(SIGTERM, 1);
	sysv_signal(SIGILL, h1);
	siginterrupt(SIGCHLD, 1); /* (a signal the shim does not own: glibc's signal reads _sigintr) */
	signal(SIGCHLD, h1);
	siginterrupt(SIGWINCH, 1);
	siginterrupt(SIGWINCH, 0);
	signal(SIGWINCH, h1);
	dump("sigapi");
	sigrelse(SIGPIPE);

	/* a fork child reads what its parent has */
	pid_t pid = fork();
	if (pid == 0) {
		dump("child");
		set(SIGQUIT, h1, 0, 0);
		set(SIGTERM, SIG_DFL, 0, 0);
		dump("childset");
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 3;

	/* and everything set back from the structs saved at the start */
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != 32 && sig != 33)
			sigaction(sig, &saved[sig], NULL);
	dump("restored");

	if (system("true") != 0)
		return 2;
	dump("system2");

	signal(SIGINT, h1);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGSEGV, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	dump("signal");

	/* what an exec'd program finds (ignored, handled and default actions as set here) */
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	return 4;
}

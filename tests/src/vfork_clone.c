/* vfork_clone.c (t271): a child made by vfork() or clone(CLONE_VM|CLONE_VFORK) sets SIGTERM to
 * SIG_IGN and SIGSEGV to SIG_DFL before it ends: the parent's handlers stay as it installed them,
 * and run. Then two SIG_IGN calls between getpgrp markers: strace counts their system calls. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile sig_atomic_t got;
static void on_term(int s) { (void)s; got = 1; }
static void on_segv(int s) { (void)s; _exit(3); }
static int child(void *a)
{
	(void)a;
	signal(SIGTERM, SIG_IGN);
	signal(SIGSEGV, SIG_DFL);
	_exit(0);
}
int main(int argc, char **argv)
{
	static char stack[64 << 10];
	struct sigaction old;
	int st;
	pid_t p;
	signal(SIGTERM, on_term);
	signal(SIGSEGV, on_segv);
	if (argc > 1 && !strcmp(argv[1], "clone")) {
		p = clone(child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	} else if ((p = vfork()) == 0) {
		signal(SIGTERM, SIG_IGN);
		signal(SIGSEGV, SIG_DFL);
		_exit(0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return 10;
	sigaction(SIGTERM, NULL, &old);
	if (old.sa_handler != on_term)
		return 11;
	raise(SIGTERM);
	if (!got)
		return 12;
	/* markers around two SIG_IGN calls (strace: the system calls between them) */
	syscall(SYS_getpgrp);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	syscall(SYS_getpgrp);
	sigaction(SIGSEGV, NULL, &old);
	if (old.sa_handler != on_segv)
		return 13;
	printf("ok\n");
	return 0;
}

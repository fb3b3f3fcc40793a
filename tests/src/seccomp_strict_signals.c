/* seccomp_strict_signals.c MODE: a forked child enters seccomp's strict mode (read, write, _exit
 * and sigreturn only) and blocks in read; its parent sends it SIGTERM and prints how it ended
 * (t414).
 *  handler  a SIGTERM handler (no SA_RESTART) that writes "handler"; the read fails, the child
 *           writes "read cut" and ends with SYS_exit 5
 *  default  SIGTERM at its default action: the child dies of it
 *  segv     the child writes through a null pointer after the read: it dies of SIGSEGV
 * Without the shim: "child exit 5", "child killed by signal 15", "child killed by signal 11". */
#define _GNU_SOURCE
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_wait.h"

static volatile sig_atomic_t got;
static void on_term(int sig)
{
	(void)sig;
	got = 1;
	write(1, "handler\n", 8);
}

int main(int argc, char **argv)
{
	int p[2], q[2], st;
	char b;
	const char *m = argc > 1 ? argv[1] : "handler";
	if (pipe(p) || pipe(q))
		return 2;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = {0};
		if (!strcmp(m, "handler")) {
			sa.sa_handler = on_term;
			sigaction(SIGTERM, &sa, NULL);
		}
		close(p[1]);
		close(q[0]);
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0)
			syscall(SYS_exit, 2);
		write(q[1], "r", 1);
		ssize_t r = read(p[0], &b, 1);
		write(1, r < 0 ? "read cut\n" : "read ok\n", r < 0 ? 9 : 8);
		if (!strcmp(m, "segv"))
			*(volatile int *)0 = 1;
		syscall(SYS_exit, got ? 5 : 6);
	}
	close(p[0]);
	close(q[1]);
	if (read(q[0], &b, 1) != 1)
		return 2;
	if (!strcmp(m, "segv")) {
		close(p[1]); /* (the read returns 0: then the fault) */
	} else {
		/* (the child in its read: the signal cuts it, or a handler run before leaves it blocked) */
		until_in_syscall(c, 0, -1); /* read(2) */
		kill(c, SIGTERM);
	}
	waitpid(c, &st, 0);
	print_end("child", st);
	return 0;
}

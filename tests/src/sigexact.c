/* sigexact.c - t286-t288: signal actions as the program reads them (sigaction(sig, NULL, &old):
 * handler, sa_flags, sa_restorer, the kernel's 64 mask bits) where the shim's own steps used to
 * show (issue 14). One line per signal, the same with and without the shim. Usage:
 *   sigexact cancel     a thread cancelled inside system(): read while it waits and after
 *   sigexact fakefault  SIGSEGV and SIGBUS queued to itself with a fault's si_code: what it reads
 *                       after, if it lives (without the shim it dies at the first)
 *   sigexact watchexec [inherited]
 *                       SIGSEGV and SIGTRAP ignored (after a thread's destructor ran: the
 *                       TLSTRACE_WATCH decision; "inherited": not set, as the parent left
 *                       them), then what a program it starts finds: by execv after fork,
 *                       after vfork, by posix_spawn, by system, by execl
 *   sigexact atforkterm a fork child raises SIGTERM (default action) in its pthread_atfork
 *                       child handler: how it ends
 *   sigexact dump LABEL every signal (what a started program finds) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sigdump.h"

extern char **environ;

/* ---- cancel ---- */

static char cancel_cmd[128];
static void *in_system(void *arg)
{
	(void)arg;
	system(cancel_cmd); /* (cancelled inside: never returns) */
	return NULL;
}

static int cancel(void)
{
	int ready[2], hold[2];
	char c;
	pthread_t t;
	void *res;
	if (pipe(ready) != 0 || pipe(hold) != 0)
		return 2;
	/* the shell says it runs, then waits on a pipe nobody writes: the thread waits in waitpid */
	snprintf(cancel_cmd, sizeof cancel_cmd, "echo r >&%d; read x <&%d", ready[1], hold[0]);
	dump("start");
	if (pthread_create(&t, NULL, in_system, NULL) != 0)
		return 2;
	if (read(ready[0], &c, 1) != 1)
		return 2;
	dump_one("during", SIGINT);
	dump_one("during", SIGQUIT);
	pthread_cancel(t); /* glibc's cleanup kills the shell and puts SIGINT and SIGQUIT back */
	if (pthread_join(t, &res) != 0 || res != PTHREAD_CANCELED)
		return 3;
	dump("cancelled");
	return 0;
}

/* ---- fakefault ---- */

static int fakefault(void)
{
	struct sigaction a;
	siginfo_t si;
	memset(&a, 0, sizeof a);
	a.sa_handler = SIG_DFL;
	a.sa_flags = SA_RESTART;
	sigemptyset(&a.sa_mask);
	sigaddset(&a.sa_mask, SIGUSR1);
	sigaction(SIGBUS, &a, NULL); /* (SIGSEGV never set: flags 0, no restorer) */
	dump("before");
	memset(&si, 0, sizeof si);
	si.si_signo = SIGSEGV;
	si.si_code = SEGV_MAPERR;
	si.si_addr = (void *)0x10;
	syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGSEGV, &si);
	si.si_signo = SIGBUS;
	si.si_code = BUS_ADRERR;
	syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGBUS, &si);
	printf("lived\n");
	dump("after");
	return 0;
}

/* ---- atforkterm ---- */

static void atfork_child(void) { raise(SIGTERM); }

static int atforkterm(void)
{
	int st;
	pid_t pid;
	pthread_atfork(NULL, NULL, atfork_child);
	if ((pid = fork()) == 0) {
		printf("child lived\n");
		fflush(stdout);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	printf("child %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return 0;
}

/* ---- watchexec ---- */

extern int __cxa_thread_atexit_impl(void (*)(void *), void *, void *);
extern void *__dso_handle;
static _Thread_local long obj[4];
static void obj_dtor(void *p) { ((long *)p)[0] = 0; }
static void *worker(void *arg)
{
	(void)arg;
	obj[1]++;
	__cxa_thread_atexit_impl(obj_dtor, obj, &__dso_handle);
	return NULL;
}

static int watchexec(const char *self, int set)
{
	pthread_t t;
	pid_t pid;
	int st;
	char cmd[4200];
	char *args[] = {(char *)self, "dump", NULL, NULL};
	if (pthread_create(&t, NULL, worker, NULL) != 0 || pthread_join(t, NULL) != 0)
		return 2;
	if (set) {
		signal(SIGSEGV, SIG_IGN);
		signal(SIGTRAP, SIG_IGN);
	}
	dump("parent");
	args[2] = "fork";
	if ((pid = fork()) == 0) {
		execv(self, args);
		_exit(4);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		return 3;
	args[2] = "vfork";
	if ((pid = vfork()) == 0) {
		execv(self, args);
		_exit(4);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		return 3;
	args[2] = "spawn";
	if (posix_spawn(&pid, self, NULL, NULL, args, environ) != 0 || waitpid(pid, &st, 0) != pid || st != 0)
		return 3;
	snprintf(cmd, sizeof cmd, "exec '%s' dump system", self);
	if (system(cmd) != 0)
		return 3;
	/* a failed exec first: the parent's own actions unchanged after it */
	execl("/nonexistent/sigexact", "x", (char *)NULL);
	dump("failedexec");
	execl(self, self, "dump", "execl", (char *)NULL);
	return 4;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "dump")) {
		dump(argv[2]);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "cancel"))
		return cancel();
	if (argc > 1 && !strcmp(argv[1], "fakefault"))
		return fakefault();
	if (argc > 1 && !strcmp(argv[1], "atforkterm"))
		return atforkterm();
	if (argc > 1 && !strcmp(argv[1], "watchexec")) {
		static char self[4096]; /* (the file itself: a shell's /proc/self/exe is the shell) */
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n <= 0)
			return 2;
		return watchexec(self, !(argc > 2 && !strcmp(argv[2], "inherited")));
	}
	return 2;
}

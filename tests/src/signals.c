/* signals.c - signal provenance under the shim (t086-t090). Modes:
 *   send       every sending call: kill, killpg, tgkill, pthread_kill, raise, sigqueue, to itself
 *              (handled) and to a child; kill(.., 0) probes; a failing kill (ESRCH, errno kept)
 *   wait       children ended every way, reaped by wait, waitpid (NULL status too), wait3, wait4,
 *              waitid (WNOWAIT first); a WNOHANG poll that finds nothing
 *   supervise  a child (this program again, mode stuck, with TLSTRACE_FILE=$2 if given) hangs in
 *              an atexit handler with SIGTERM ignored; the parent sends SIGTERM, then SIGKILL,
 *              and reaps it
 *   forkblocked  SIGTERM blocked with sigprocmask, then a child made by fork alone (no exec: it starts
 *              with the mask) that waits in pause(); SIGTERM to it, then SIGKILL, reaped (t433)
 *   raise SIG  raise(SIG) from an atexit handler after main returned 0 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "proc_wait.h"
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr(int sig) { got += sig; }

static void msleep(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static pid_t child_pausing(void)
{
	pid_t c = fork();
	if (c == 0) {
		signal(SIGUSR1, on_usr);
		for (;;)
			pause();
	}
	until_in_syscall(c, NR_PAUSE, -1); /* its handler set (was: 50 ms) */
	return c;
}

static int send_all(void)
{
	union sigval v = {.sival_int = 7};
	pid_t c;
	int rc, e;
	signal(SIGUSR1, on_usr);
	signal(SIGUSR2, on_usr);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR2);
	tgkill(getpid(), (pid_t)syscall(SYS_gettid), SIGUSR1);
	pthread_kill(pthread_self(), SIGUSR2);
	sigqueue(getpid(), SIGUSR1, v);
	kill(getpid(), 0); /* a probe: no line */
	c = child_pausing();
	kill(c, 0);
	kill(c, SIGUSR1);
	sigqueue(c, SIGUSR1, v);
	errno = 0;
	rc = kill(999999999, SIGTERM);
	e = errno;
	printf("kill(999999999) = %d errno %s\n", rc, e == ESRCH ? "ESRCH" : strerror(e));
	kill(c, SIGTERM);
	waitpid(c, NULL, 0);
	printf("handled %d\n", (int)got);
	return 0;
}

static int wait_all(void)
{
	siginfo_t si;
	int st = 0, n = 0;
	pid_t c, r;
	c = fork();
	if (c == 0)
		_exit(3);
	while ((r = waitpid(c, &st, WNOHANG)) == 0) /* polls: no line */
		n++;
	printf("waitpid WNOHANG: %d exited %d\n", r == c, WEXITSTATUS(st));
	c = child_pausing();
	kill(c, SIGTERM);
	r = wait(&st);
	printf("wait: %d signal %d\n", r == c, WTERMSIG(st));
	c = fork();
	if (c == 0)
		exit(4);
	r = waitpid(c, NULL, 0);
	printf("waitpid NULL: %d\n", r == c);
	c = fork();
	if (c == 0)
		_exit(5);
	r = wait3(&st, 0, NULL);
	printf("wait3: %d exited %d\n", r == c, WEXITSTATUS(st));
	c = child_pausing();
	kill(c, SIGKILL);
	r = wait4(c, &st, 0, NULL);
	printf("wait4: %d signal %d\n", r == c, WTERMSIG(st));
	c = fork();
	if (c == 0)
		_exit(6);
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT);
	printf("waitid WNOWAIT: %d %d\n", si.si_pid == c, si.si_status);
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)c, &si, WEXITED);
	printf("waitid: %d %d\n", si.si_pid == c, si.si_status);
	errno = 0;
	r = waitpid(-1, &st, WNOHANG);
	printf("no child: %d %s\n", (int)r, errno == ECHILD ? "ECHILD" : "?");
	return 0;
}

static void stuck_handler(void)
{
	for (;;)
		pause();
}

/* SIGTERM to child c, SIGKILL 200 ms later, reaped; how it ended on stdout (inlined: the kills'
 * site is its caller's, as t090 names it) */
static inline __attribute__((always_inline)) int stop_child(pid_t c)
{
	int st = 0;
	kill(c, SIGTERM);
	msleep(200);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("child: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return 0;
}

static int fork_blocked(void)
{
	sigset_t s;
	pid_t c;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	until_in_syscall(c, NR_PAUSE, -1);
	return stop_child(c);
}

static int supervise(const char *self, const char *child_trace)
{
	pid_t c = fork();
	if (c == 0) {
		if (child_trace)
			setenv("TLSTRACE_FILE", child_trace, 1);
		execl(self, self, "stuck", (char *)NULL);
		_exit(127);
	}
	until_in_syscall(c, NR_PAUSE, -1); /* in its atexit handler (was: 200 ms) */
	return stop_child(c);
}

static int raise_sig;
static void raise_handler(void)
{
	raise(raise_sig);
	got = 1; /* not a tail call: the raise line names this function */
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "send"))
		return send_all();
	if (argc > 1 && !strcmp(argv[1], "wait"))
		return wait_all();
	if (argc > 1 && !strcmp(argv[1], "supervise"))
		return supervise(argv[0], argc > 2 ? argv[2] : NULL);
	if (argc > 1 && !strcmp(argv[1], "forkblocked"))
		return fork_blocked();
	if (argc > 1 && !strcmp(argv[1], "stuck")) {
		signal(SIGTERM, SIG_IGN);
		atexit(stuck_handler);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "raise")) {
		raise_sig = atoi(argv[2]);
		atexit(raise_handler);
		return 0;
	}
	fprintf(stderr, "usage: signals send|wait|supervise [CHILD_TRACE]|forkblocked|raise SIG\n");
	return 2;
}

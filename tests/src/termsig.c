/* termsig.c - termination signals arriving from another process, for t140/t141 and the outcome
 * table (t034): each mode forks a sender (so siginfo names another pid), then ends by what the
 * signal does. Exit 9 when the program saw something it would not see without the shim.
 *   dfl SIG        SIG_DFL: a child sends SIG (TERM, QUIT, INT, HUP, USR1, USR2, PIPE, ABRT,
 *                  SEGV by kill)
 *   pipe           SIGPIPE from the kernel: a write to a pipe with no reader
 *   resethand      a handler with SA_RESETHAND|SA_SIGINFO: the first TERM runs it (it reads
 *                  SIG_DFL back, and the sender's pid), the second kills
 *   sigwait        TERM blocked and taken with sigwaitinfo: exit 5
 *   signalfd       TERM blocked and read from a signalfd: exit 6
 *   ign            TERM ignored, then exec of "ign2": it inherited SIG_IGN, the kill does nothing:
 *                  exit 7 (SigIgn has the bit, SigCgt not)
 *   abort          a handler for SIGABRT; a child sends SIGABRT: the handler _exits 8
 *   blockchild     TERM blocked, a child execs "sleeper" (inherits it blocked); TERM, then
 *                  SIGKILL; exit 0 when the child died by SIGKILL
 *   ignchild       the same with TERM ignored
 *   threadblock    a thread blocks TERM with pthread_sigmask and the main thread too; the TERM
 *                  never arrives; then SIGKILL from the child ends it
 *   sleeper        pause()
 *   pending        TERM at SIG_DFL and CHLD, with a handler of the program's that prints, both
 *                  blocked until both are pending (the sender's TERM, then its end): unblocked, the
 *                  kernel takes the lower, TERM, and the process dies of it; the handler never
 *                  runs (before: under the shim it ran first, and printed) */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_wait.h"

static pid_t sender;
static volatile sig_atomic_t got;

static int signum(const char *s)
{
	static const struct { const char *n; int s; } t[] = {{"TERM", SIGTERM}, {"QUIT", SIGQUIT}, {"INT", SIGINT},
		{"HUP", SIGHUP}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ABRT", SIGABRT},
		{"SEGV", SIGSEGV}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(s, t[i].n))
			return t[i].s;
	return SIGTERM;
}

/* parent -> sender: past its fork (sender set); on_term -> sender: the handler ran */
static int go[2] = {-1, -1};

/* a child that sends sig to the parent n times, each once the parent says go (first: its fork
 * returned, so sender is set; then: on_term ran), then (kill9) SIGKILL 300 ms later (was: 100 ms
 * apart: a slow fork return read sender 0 in the handler; a second TERM could come before the
 * first's handler ran) */
static void send_from_child(int sig, int n, int kill9)
{
	pid_t parent = getpid();
	char c = 0;
	if (pipe(go) != 0)
		_exit(2);
	sender = fork();
	if (sender == 0) {
		for (int i = 0; i < n; i++) {
			if (read(go[0], &c, 1) != 1)
				_exit(1);
			kill(parent, sig);
		}
		if (kill9) {
			usleep(300000);
			kill(parent, SIGKILL);
		}
		_exit(0);
	}
	(void)!write(go[1], &c, 1);
}

static void on_term(int sig, siginfo_t *si, void *uc)
{
	struct sigaction now;
	(void)uc;
	sigaction(sig, NULL, &now);
	if (now.sa_handler != SIG_DFL || si->si_pid != sender)
		_exit(9);
	got = 1;
	(void)!write(go[1], "", 1); /* (the sender's next: async-signal-safe) */
}

static void on_abrt(int sig) { (void)sig; _exit(8); }
static void on_chld(int sig) { (void)sig; (void)!write(1, "SIGCHLD handler ran\n", 20); }

static int status_has(const char *field, int sig)
{
	char line[256];
	unsigned long long v = 0;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, field, strlen(field)))
			v = strtoull(line + strlen(field) + 1, NULL, 16);
	if (f)
		fclose(f);
	return (int)(v >> (sig - 1) & 1);
}

static volatile sig_atomic_t blocker_blocks; /* set once blocker's mask holds TERM */

static void *blocker(void *arg)
{
	sigset_t s;
	(void)arg;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	blocker_blocks = 1;
	for (;;)
		pause();
	return NULL;
}

static int child_end(const char *self, int block)
{
	sigset_t s;
	pid_t c;
	int st;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	if (block)
		sigprocmask(SIG_BLOCK, &s, NULL);
	else
		signal(SIGTERM, SIG_IGN);
	c = fork();
	if (c == 0) {
		execl(self, self, "sleeper", (char *)NULL);
		_exit(127);
	}
	if (block)
		sigprocmask(SIG_UNBLOCK, &s, NULL);
	else
		signal(SIGTERM, SIG_DFL);
	until_in_syscall(c, NR_PAUSE, -1); /* the sleeper runs, exec done (was: 200 ms) */
	kill(c, SIGTERM);
	usleep(300000);
	kill(c, SIGKILL);
	if (waitpid(c, &st, 0) != c)
		return 9;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 9;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "dfl";
	struct sigaction sa;
	sigset_t s;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	if (!strcmp(m, "dfl")) {
		struct sigaction cur;
		int sig = signum(argc > 2 ? argv[2] : "TERM");
		signal(sig, SIG_DFL); /* a background shell job starts with SIGINT and SIGQUIT ignored */
		if (sigaction(sig, NULL, &cur) != 0 || cur.sa_handler != SIG_DFL)
			return 9;
		send_from_child(sig, 1, 0);
		for (;;)
			pause();
	}
	if (!strcmp(m, "pending")) {
		sigset_t both, p;
		sa.sa_handler = on_chld;
		sigaction(SIGCHLD, &sa, NULL);
		signal(SIGTERM, SIG_DFL);
		sigemptyset(&both);
		sigaddset(&both, SIGTERM);
		sigaddset(&both, SIGCHLD);
		sigprocmask(SIG_BLOCK, &both, NULL);
		send_from_child(SIGTERM, 1, 0);
		for (int i = 0; i < 60000; i++) { /* (until both are pending; 60 s a safety net) */
			if (sigpending(&p) == 0 && sigismember(&p, SIGTERM) && sigismember(&p, SIGCHLD))
				break;
			usleep(1000);
		}
		sigprocmask(SIG_UNBLOCK, &both, NULL);
		return 9;
	}
	if (!strcmp(m, "pipe")) {
		int p[2];
		if (pipe(p) != 0)
			return 2;
		close(p[0]);
		if (write(p[1], "x", 1) < 0)
			return errno == EPIPE ? 9 : 3;
		return 9;
	}
	if (!strcmp(m, "resethand")) {
		struct sigaction cur;
		sa.sa_sigaction = on_term;
		sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
		sigaction(SIGTERM, &sa, NULL);
		if (sigaction(SIGTERM, NULL, &cur) != 0 || cur.sa_sigaction != on_term ||
		    !(cur.sa_flags & SA_RESETHAND) || !(cur.sa_flags & SA_SIGINFO))
			return 9;
		send_from_child(SIGTERM, 2, 0);
		for (;;)
			pause();
	}
	if (!strcmp(m, "sigwait")) {
		siginfo_t si;
		sigprocmask(SIG_BLOCK, &s, NULL);
		send_from_child(SIGTERM, 1, 0);
		if (sigwaitinfo(&s, &si) != SIGTERM || si.si_pid != sender)
			return 9;
		return 5;
	}
	if (!strcmp(m, "signalfd")) {
		struct signalfd_siginfo fi;
		int fd;
		sigprocmask(SIG_BLOCK, &s, NULL);
		fd = signalfd(-1, &s, 0);
		send_from_child(SIGTERM, 1, 0);
		if (fd < 0 || read(fd, &fi, sizeof fi) != sizeof fi || fi.ssi_signo != SIGTERM || (pid_t)fi.ssi_pid != sender)
			return 9;
		return 6;
	}
	if (!strcmp(m, "ign")) {
		signal(SIGTERM, SIG_IGN);
		execl(argv[0], argv[0], "ign2", (char *)NULL);
		return 2;
	}
	if (!strcmp(m, "ign2")) {
		struct sigaction cur;
		if (sigaction(SIGTERM, NULL, &cur) != 0 || cur.sa_handler != SIG_IGN || !status_has("SigIgn:", SIGTERM) ||
		    status_has("SigCgt:", SIGTERM))
			return 9;
		send_from_child(SIGTERM, 1, 0);
		usleep(400000);
		return 7;
	}
	if (!strcmp(m, "abort")) {
		signal(SIGABRT, on_abrt);
		send_from_child(SIGABRT, 1, 0);
		for (;;)
			pause();
	}
	if (!strcmp(m, "blockchild") || !strcmp(m, "ignchild"))
		return child_end(argv[0], !strcmp(m, "blockchild"));
	if (!strcmp(m, "threadblock")) {
		pthread_t t;
		pthread_create(&t, NULL, blocker, NULL);
		pthread_sigmask(SIG_BLOCK, &s, NULL);
		while (!blocker_blocks) /* (the TERM only once both block it: was left to 100 ms) */
			proc_nap();
		send_from_child(SIGTERM, 1, 1);
		for (;;)
			pause();
	}
	if (!strcmp(m, "sleeper")) {
		for (;;)
			pause();
	}
	return 2;
}

/* review/handmask.c: what a handler reads while it runs (mask, its own sigaction, whether on
 * the altstack, errno kept), for signals the shim catches at the kernel and others; flags 0,
 * SA_NODEFER, SA_RESETHAND, SA_ONSTACK (with an altstack of the program's), from raise() and
 * from another thread's pthread_kill */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static char line[512];
static void h(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	sigset_t m; sigprocmask(SIG_SETMASK, NULL, &m);
	struct sigaction sa; sigaction(s, NULL, &sa);
	stack_t ss; sigaltstack(NULL, &ss);
	int n = snprintf(line, sizeof line, "sig %d code %d mask", s, si->si_code);
	for (int i = 1; i <= 64; i++) if (sigismember(&m, i)) n += snprintf(line + n, sizeof line - n, " %d", i);
	snprintf(line + n, sizeof line - n, " | now %s flags %#x onstack %d errno %d",
		 sa.sa_handler == SIG_DFL ? "DFL" : "FN", (unsigned)sa.sa_flags, !!(ss.ss_flags & SS_ONSTACK), errno);
	errno = 99;
}
static int target;
static void *killer(void *a) { pthread_kill(*(pthread_t *)a, target); return NULL; }
int main(void)
{
	stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16};
	sigaltstack(&ss, NULL);
	int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGCHLD, SIGWINCH, SIGABRT, SIGRTMIN + 2};
	int flags[] = {0, SA_NODEFER, SA_RESETHAND, SA_ONSTACK, SA_RESTART | SA_ONSTACK | SA_NODEFER};
	pthread_t self = pthread_self();
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
		for (unsigned f = 0; f < 5; f++)
			for (int via = 0; via < 2; via++) {
				struct sigaction sa = {0};
				sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO | flags[f];
				sigemptyset(&sa.sa_mask); sigaddset(&sa.sa_mask, SIGWINCH == sigs[i] ? SIGURG : SIGWINCH);
				sigaction(sigs[i], &sa, NULL);
				line[0] = 0; errno = 7;
				if (via == 0) raise(sigs[i]);
				else { target = sigs[i]; pthread_t t; pthread_create(&t, NULL, killer, &self); pthread_join(t, NULL); }
				printf("flags %#x via %s: %s; errno after %d\n", flags[f], via ? "thread" : "raise", line, errno);
				signal(sigs[i], SIG_DFL);
			}
	return 0;
}

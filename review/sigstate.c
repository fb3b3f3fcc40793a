/* review/sigstate.c MODE: sigaction() of signals 1..64 and the mask as the program reads them
 * (issue 14), at start, after its own sigaction()s, after system(), in a fork child, in a thread,
 * after popen(); MODE launch ARGS...: set SIG_IGN/blocked signals, then exec ARGS */
#include "state.h"
#include <pthread.h>
#include <sys/wait.h>

static void h1(int s) { (void)s; }
static void h2(int s, siginfo_t *i, void *u) { (void)s; (void)i; (void)u; }
static void *thr(void *a) { st_sigs("thread"); return a; }

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	st_known_fn[0] = (void *)h1;
	st_known_fn[1] = (void *)h2;
	if (!strcmp(argv[1], "launch")) {
		int ign[] = {SIGINT, SIGQUIT, SIGPIPE, SIGHUP, SIGTERM, SIGUSR1, SIGCHLD, SIGSEGV, SIGTSTP, SIGALRM, SIGXFSZ};
		for (unsigned i = 0; i < sizeof ign / sizeof *ign; i++) signal(ign[i], SIG_IGN);
		sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR2); sigaddset(&m, SIGRTMIN + 3); sigaddset(&m, SIGWINCH);
		sigprocmask(SIG_BLOCK, &m, NULL);
		execv(argv[2], argv + 2);
		return 127;
	}
	st_sigs("start");
	struct sigaction sa = {0};
	sa.sa_handler = h1; sa.sa_flags = SA_RESTART; sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = h2; sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN; sa.sa_flags = 0;
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	sigset_t m; sigemptyset(&m); sigaddset(&m, SIGHUP); sigaddset(&m, SIGILL);
	sigprocmask(SIG_BLOCK, &m, NULL);
	st_sigs("own");
	int r = system("exit 3");
	printf("system -> %d\n", WEXITSTATUS(r));
	st_sigs("after_system");
	FILE *p = popen("echo x", "r");
	char b[8]; if (!fgets(b, sizeof b, p)) b[0] = 0;
	pclose(p);
	st_sigs("after_popen");
	pthread_t t; pthread_create(&t, NULL, thr, NULL); pthread_join(t, NULL);
	pid_t c = fork();
	if (c == 0) { st_sigs("fork_child"); _exit(0); }
	waitpid(c, NULL, 0);
	/* a raise of a signal it ignores, a SIGUSR1 to its handler */
	raise(SIGFPE); raise(SIGRTMIN + 1); raise(SIGUSR1);
	st_sigs("end");
	return 0;
}

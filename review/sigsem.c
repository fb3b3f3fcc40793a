/* review/sigsem.c MODE: how signals behave, as the program sees it, for signals the shim
 * catches at the kernel while the program has them at SIG_DFL or blocked */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
static void *writer(void *a) { int *p = a; for (;;) if (write(p[1], "x", 1) < 0) { printf("thread write: %s\n", strerror(errno)); return NULL; } }
static void h_alrm(int s) { (void)s; }
int main(int argc, char **argv)
{
	(void)argc;
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *m = argv[1];
	if (!strcmp(m, "pipe_dfl")) {
		int p[2]; pipe(p); close(p[0]);
		printf("before\n"); ssize_t w = write(p[1], "x", 1); printf("after %zd\n", w);
	} else if (!strcmp(m, "pipe_thread_dfl")) {
		int p[2]; pipe(p); close(p[0]);
		pthread_t t; pthread_create(&t, NULL, writer, p); pthread_join(t, NULL); printf("after\n");
	} else if (!strcmp(m, "nosignal")) {
		int s[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, s); close(s[1]);
		ssize_t w = send(s[0], "x", 1, MSG_NOSIGNAL); printf("send %zd %s\n", w, strerror(errno));
	} else if (!strcmp(m, "pending_then_ign")) {
		sigset_t b; sigemptyset(&b); sigaddset(&b, SIGUSR1); sigaddset(&b, SIGTERM);
		sigprocmask(SIG_BLOCK, &b, NULL);
		raise(SIGUSR1); kill(getpid(), SIGTERM);
		sigset_t pd; sigpending(&pd);
		printf("pending usr1 %d term %d\n", sigismember(&pd, SIGUSR1), sigismember(&pd, SIGTERM));
		signal(SIGUSR1, SIG_IGN);
		sigpending(&pd); printf("after IGN pending usr1 %d\n", sigismember(&pd, SIGUSR1));
		siginfo_t si; sigset_t w; sigemptyset(&w); sigaddset(&w, SIGTERM);
		int s = sigwaitinfo(&w, &si);
		printf("sigwaitinfo %d code %d from self %d\n", s, si.si_code, si.si_pid == getpid());
		sigprocmask(SIG_UNBLOCK, &b, NULL);
		printf("survived\n");
	} else if (!strcmp(m, "signalfd")) {
		sigset_t b; sigemptyset(&b); sigaddset(&b, SIGUSR2); sigaddset(&b, SIGINT);
		sigprocmask(SIG_BLOCK, &b, NULL);
		int fd = signalfd(-1, &b, 0);
		raise(SIGUSR2); kill(getpid(), SIGINT);
		struct signalfd_siginfo i[2];
		ssize_t n = read(fd, i, sizeof i);
		printf("signalfd %zd bytes: %u %u\n", n, i[0].ssi_signo, n > (ssize_t)sizeof i[0] ? i[1].ssi_signo : 0);
	} else if (!strcmp(m, "eintr")) {
		struct sigaction sa = {0}; sa.sa_handler = h_alrm; sigaction(SIGALRM, &sa, NULL);
		int p[2]; pipe(p); alarm(1);
		char c; ssize_t r = read(p[0], &c, 1); printf("read %zd %s\n", r, strerror(errno));
		/* SIGUSR1 at SIG_DFL arriving from another process while blocked in read: death */
		pid_t k = fork();
		if (k == 0) { usleep(200000); kill(getppid(), SIGUSR1); _exit(0); }
		r = read(p[0], &c, 1); printf("not reached %zd\n", r);
	} else if (!strcmp(m, "kill_child")) {
		/* children die of SIGUSR2, SIGTERM, SIGPIPE, SIGHUP, SIGALRM, SIGQUIT sent by the parent */
		int sigs[] = {SIGUSR2, SIGTERM, SIGPIPE, SIGHUP, SIGALRM, SIGQUIT, SIGINT, SIGUSR1};
		for (int i = 0; i < 8; i++) {
			int p[2]; pipe(p);
			pid_t c = fork();
			if (c == 0) { close(p[0]); write(p[1], "r", 1); for (;;) pause(); }
			char x; read(p[0], &x, 1); close(p[0]); close(p[1]);
			kill(c, sigs[i]);
			int st; waitpid(c, &st, 0);
			printf("child sent %d: %s %d\n", sigs[i], WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		}
	}
	return 0;
}

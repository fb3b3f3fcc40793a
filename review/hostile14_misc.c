/* hostile14_misc.c - SIGEV_THREAD timers and aio, raw rt_sigaction, SA_NOCLDWAIT, subreaper, pdeathsig */
#define _GNU_SOURCE
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static volatile int fired;
static void tf(union sigval v) { (void)v; __atomic_fetch_add(&fired, 1, __ATOMIC_SEQ_CST); }
struct ksa { void *h; unsigned long flags; void *restorer; unsigned long mask; };
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *m = argv[1];
	if (!strcmp(m, "timer")) {
		timer_t t; struct sigevent ev = {0};
		ev.sigev_notify = SIGEV_THREAD; ev.sigev_notify_function = tf;
		timer_create(CLOCK_MONOTONIC, &ev, &t);
		struct itimerspec its = {{0, 1000000}, {0, 1000000}};
		timer_settime(t, 0, &its, NULL);
		while (fired < 20) usleep(1000);
		timer_delete(t);
		printf("timer fired >= 20\n");
		/* aio */
		int fd = open("/etc/hostname", O_RDONLY); char buf[64];
		struct aiocb cb = {0}; cb.aio_fildes = fd; cb.aio_buf = buf; cb.aio_nbytes = 4;
		cb.aio_sigevent.sigev_notify = SIGEV_THREAD; cb.aio_sigevent.sigev_notify_function = tf;
		aio_read(&cb);
		const struct aiocb *l[1] = {&cb}; aio_suspend(l, 1, NULL);
		printf("aio %zd\n", aio_return(&cb));
		exit(3);
	} else if (!strcmp(m, "rawsigaction")) {
		int sigs[] = {SIGTERM, SIGINT, SIGSEGV, SIGPIPE, SIGUSR1, SIGCHLD};
		for (int i = 0; i < 6; i++) {
			struct ksa k;
			long r = syscall(SYS_rt_sigaction, sigs[i], NULL, &k, 8);
			printf("raw %d: r %ld handler %s flags %#lx\n", sigs[i], r, k.h == SIG_DFL ? "DFL" : k.h == SIG_IGN ? "IGN" : "other", k.flags);
		}
		/* set a handler raw, read via libc */
		struct ksa n = {(void *)SIG_IGN, 0x04000000, NULL, 0};
		syscall(SYS_rt_sigaction, SIGTERM, &n, NULL, 8);
		struct sigaction sa; sigaction(SIGTERM, NULL, &sa);
		printf("libc reads SIGTERM %s\n", sa.sa_handler == SIG_IGN ? "IGN" : sa.sa_handler == SIG_DFL ? "DFL" : "other");
		kill(getpid(), SIGTERM);
		printf("survived SIGTERM\n");
		n.h = SIG_DFL;
		syscall(SYS_rt_sigaction, SIGTERM, &n, NULL, 8);
		sigaction(SIGTERM, NULL, &sa);
		printf("libc reads SIGTERM %s\n", sa.sa_handler == SIG_IGN ? "IGN" : sa.sa_handler == SIG_DFL ? "DFL" : "other");
		kill(getpid(), SIGTERM);
		printf("survived 2\n");
	} else if (!strcmp(m, "nocldwait")) {
		struct sigaction sa = {0}; sa.sa_handler = SIG_DFL; sa.sa_flags = SA_NOCLDWAIT;
		sigaction(SIGCHLD, &sa, NULL);
		pid_t p = fork(); if (!p) _exit(3);
		int st; pid_t r = waitpid(p, &st, 0);
		printf("waitpid %d %s\n", r == p, r < 0 ? strerror(errno) : "");
		signal(SIGCHLD, SIG_IGN);
		p = fork(); if (!p) _exit(3);
		r = wait(&st);
		printf("wait %d %s\n", r == p, r < 0 ? strerror(errno) : "");
		printf("system %d %s\n", system("exit 4"), strerror(errno));
	} else if (!strcmp(m, "subreaper")) {
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		pid_t p = fork();
		if (!p) { if (!fork()) { usleep(100000); _exit(9); } _exit(1); }
		int st, n = 0; pid_t r;
		while ((r = wait(&st)) > 0) { printf("reaped %s %d\n", r == p ? "child" : "grandchild", WEXITSTATUS(st)); n++; }
		printf("n %d %s\n", n, strerror(errno));
		if (!fork()) { prctl(PR_SET_PDEATHSIG, SIGTERM); int k; printf("pdeathsig read %d\n", prctl(PR_GET_PDEATHSIG, &k) == 0 ? k : -1); _exit(0); }
		wait(NULL);
	}
	return 0;
}

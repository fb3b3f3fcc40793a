/* hostile15_sleeps.c [x]: sleep, usleep, nanosleep, clock_nanosleep (relative, absolute), poll, select, epoll_wait, pause, sigtimedwait, read cut by a SIGALRM and a SIGUSR1 handler: return values and errno; with x from an atexit handler. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static void h(int s) { (void)s; }
static void arm(void) { struct itimerval it = {{0, 0}, {0, 50000}}; setitimer(ITIMER_REAL, &it, NULL); }
static void arm_usr1(void) { if (fork() == 0) { usleep(50000); kill(getppid(), SIGUSR1); _exit(0); } }
static void body(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct sigaction sa = {0}; sa.sa_handler = h; sigaction(SIGALRM, &sa, NULL); sigaction(SIGUSR1, &sa, NULL);
	for (int k = 0; k < 2; k++) {
		void (*a)(void) = k ? arm_usr1 : arm;
		const char *w = k ? "usr1" : "alrm";
		errno = 0; a(); unsigned r = sleep(2); printf("%s sleep -> %u errno %s\n", w, r, strerrorname_np(errno) ?: "0");
		errno = 0; a(); int u = usleep(2000000); printf("%s usleep -> %d errno %s\n", w, u, strerrorname_np(errno) ?: "0");
		struct timespec t = {2, 0}, rem = {0, 0};
		errno = 0; a(); int n = nanosleep(&t, &rem); printf("%s nanosleep -> %d errno %s rem>1 %d\n", w, n, strerrorname_np(errno) ?: "0", rem.tv_sec >= 1);
		errno = 0; a(); int c = clock_nanosleep(CLOCK_MONOTONIC, 0, &t, &rem); printf("%s clock_nanosleep -> %d errno %s\n", w, c, strerrorname_np(errno) ?: "0");
		struct timespec now; clock_gettime(CLOCK_MONOTONIC, &now); now.tv_sec += 2;
		errno = 0; a(); c = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL); printf("%s clock_nanosleep abs -> %d errno %s\n", w, c, strerrorname_np(errno) ?: "0");
		errno = 0; a(); int p = poll(NULL, 0, 2000); printf("%s poll -> %d errno %s\n", w, p, strerrorname_np(errno) ?: "0");
		struct timeval tv = {2, 0};
		errno = 0; a(); int s = select(0, NULL, NULL, NULL, &tv); printf("%s select -> %d errno %s tv>1 %d\n", w, s, strerrorname_np(errno) ?: "0", tv.tv_sec >= 1);
		int ep = epoll_create1(0); struct epoll_event ev;
		errno = 0; a(); int e = epoll_wait(ep, &ev, 1, 2000); printf("%s epoll_wait -> %d errno %s\n", w, e, strerrorname_np(errno) ?: "0");
		close(ep);
		errno = 0; a(); int pa = pause(); printf("%s pause -> %d errno %s\n", w, pa, strerrorname_np(errno) ?: "0");
		sigset_t m; sigemptyset(&m); sigaddset(&m, SIGTERM); struct timespec to = {2, 0}; siginfo_t si;
		errno = 0; a(); int st = sigtimedwait(&m, &si, &to); printf("%s sigtimedwait -> %d errno %s\n", w, st, strerrorname_np(errno) ?: "0");
		int pf[2]; pipe(pf); char b;
		errno = 0; a(); ssize_t rd = read(pf[0], &b, 1); printf("%s read -> %zd errno %s\n", w, rd, strerrorname_np(errno) ?: "0");
		close(pf[0]); close(pf[1]);
		while (waitpid(-1, NULL, WNOHANG) > 0) {}
	}
	return;
}
int main(int argc, char **argv) { if (argc > 1) atexit(body); else body(); return 0; }

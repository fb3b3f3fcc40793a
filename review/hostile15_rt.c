/* hostile15_rt.c MODE: real-time signals blocked in every thread and taken by sigwaitinfo (a
 * thread joined from an atexit handler) or signalfd (in an atexit handler) from a timer 3 s later,
 * past TLSTRACE_HANG_MS (the watchdog's capture signal is a real-time one). review/run-hostile15.sh */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
static int sig;
static pthread_t w;
static void *waiter(void *a)
{
	(void)a;
	sigset_t s; sigemptyset(&s); sigaddset(&s, sig);
	siginfo_t si;
	int r = sigwaitinfo(&s, &si);
	printf("waiter got %d code %d (timer is %d) value %d\n", r == sig ? 1 : 0, si.si_code, SI_TIMER, si.si_value.sival_int);
	return NULL;
}
static void arm(int secs)
{
	timer_t t; struct sigevent ev = {0};
	ev.sigev_notify = SIGEV_SIGNAL; ev.sigev_signo = sig; ev.sigev_value.sival_int = 77;
	timer_create(CLOCK_MONOTONIC, &ev, &t);
	struct itimerspec its = {{0, 0}, {secs, 0}};
	timer_settime(t, 0, &its, NULL);
}
static void at_join(void) { arm(3); pthread_join(w, NULL); printf("joined\n"); }
static void at_sfd(void)
{
	int fd = signalfd(-1, &(sigset_t){0}, 0); (void)fd;
	sigset_t s; sigemptyset(&s); sigaddset(&s, sig);
	fd = signalfd(-1, &s, 0);
	arm(3);
	struct signalfd_siginfo si; ssize_t k = read(fd, &si, sizeof si);
	printf("signalfd %zd sig_ok %d code %d value %d\n", k, si.ssi_signo == (unsigned)sig, si.ssi_code, si.ssi_int);
}
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "join";
	sig = strstr(m, "min") ? SIGRTMIN + 2 : SIGRTMAX;
	sigset_t s; sigemptyset(&s); for (int i = SIGRTMIN; i <= SIGRTMAX; i++) sigaddset(&s, i);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	if (strstr(m, "join")) { pthread_create(&w, NULL, waiter, NULL); atexit(at_join); }
	else atexit(at_sfd);
	return 0;
}

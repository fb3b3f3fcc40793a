/* hostile15_gc.c: stop-the-world with SIGUSR1 (sigsuspend in the handler until SIGUSR2) over 4 spinning threads, 200 rounds; a signal thread takes SIGHUP and SIGTERM by sigwait and exits. review/run-hostile15.sh */
/* stop-the-world: SIGUSR1 suspends each thread in its handler (sigsuspend until SIGUSR2), records
 * its stack pointer; a signal thread takes SIGTERM/SIGHUP by sigwait and exits the process */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define N 4
static sem_t acked;
static __thread volatile sig_atomic_t resume; /* (per thread: one shared flag was reset by a thread after another had been told to resume) */
static void *sps[N + 1];
static __thread int myidx;
static void on_usr1(int s) { (void)s; volatile char c; sps[myidx] = (void *)&c; sigset_t m; sigfillset(&m); sigdelset(&m, SIGUSR2); resume = 0; sem_post(&acked); while (!resume) sigsuspend(&m); sem_post(&acked); }
static void on_usr2(int s) { (void)s; resume = 1; }
static volatile int stop;
static void *worker(void *a) { myidx = (int)(long)a; volatile unsigned long x = 0; while (!stop) x++; return NULL; }
static void *sigthr(void *a)
{
	(void)a; sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM); sigaddset(&s, SIGHUP);
	for (;;) { int sig; sigwait(&s, &sig); printf("signal thread got %d\n", sig); fflush(stdout); if (sig == SIGTERM) exit(0); }
}
int main(void)
{
	sem_init(&acked, 0, 0);
	struct sigaction sa = {0}; sa.sa_handler = on_usr1; sa.sa_flags = SA_RESTART; sigfillset(&sa.sa_mask); sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2; sigemptyset(&sa.sa_mask); sigaction(SIGUSR2, &sa, NULL);
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM); sigaddset(&s, SIGHUP); pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_t t[N], st; for (long i = 0; i < N; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	pthread_create(&st, NULL, sigthr, NULL);
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < N; i++) pthread_kill(t[i], SIGUSR1);
		for (int i = 0; i < N; i++) sem_wait(&acked);
		for (int i = 0; i < N; i++) pthread_kill(t[i], SIGUSR2);
		for (int i = 0; i < N; i++) sem_wait(&acked);
	}
	printf("200 stop-the-world rounds\n"); fflush(stdout);
	kill(getpid(), SIGHUP);
	usleep(100000);
	kill(getpid(), SIGTERM);
	pause();
	return 1;
}

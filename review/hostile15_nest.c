/* hostile15_nest.c: SA_ONSTACK SIGTERM/SIGUSR1 handlers (3000 arrivals) on a program signal stack while a 20 us SIGALRM timer (SA_ONSTACK) nests into them: no frame overwritten. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <sys/wait.h>
static volatile long alrm, term, bad;
static void h_alrm(int s) { (void)s; volatile char buf[256]; memset((char *)buf, 1, sizeof buf); alrm++; }
static void h_term(int s) { (void)s; volatile char buf[512]; memset((char *)buf, 7, sizeof buf); usleep(10); for (int i = 0; i < 512; i++) if (buf[i] != 7) bad++; term++; }
int main(void)
{
	stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536}; sigaltstack(&ss, NULL);
	struct sigaction sa = {0}; sa.sa_flags = SA_ONSTACK | SA_RESTART;
	sa.sa_handler = h_alrm; sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = h_term; sigaction(SIGTERM, &sa, NULL); sigaction(SIGUSR1, &sa, NULL);
	struct itimerval it = {{0, 20}, {0, 20}}; setitimer(ITIMER_REAL, &it, NULL);
	pid_t p = getpid();
	pid_t c = fork();
	if (c == 0) { for (int i = 0; i < 3000; i++) { kill(p, i & 1 ? SIGTERM : SIGUSR1); usleep(50); } _exit(0); }
	/* (until the sender ends: pending signals of one number merge, so not a count of arrivals) */
	while (waitpid(c, NULL, 0) != c) {}
	struct itimerval off = {{0, 0}, {0, 0}}; setitimer(ITIMER_REAL, &off, NULL);
	printf("term > 0: %d, alrm > 0: %d, bad %ld\n", term > 0, alrm > 0, bad);
	return 0;
}

// hostile15_throw.cc: a C++ exception thrown out of SIGTERM and SIGINT handlers (sent by a child
// while main spins), then 5 s of sleeps with the handler's watcher left behind. review/run-hostile15.sh
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <stdexcept>
struct Stop {};
static void h(int) { throw Stop(); }
__attribute__((noinline)) void spin(volatile int *s) { while (!*s) {} }
int main(int argc, char **argv) {
	struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = h; sigaction(SIGTERM, &sa, 0); sigaction(SIGINT, &sa, 0);
	int n = 0;
	for (int i = 0; i < 3; i++) {
		try { volatile int s = 0; int sg = i == 1 ? SIGINT : SIGTERM; pid_t p = getpid(); if (fork() == 0) { usleep(50000); kill(p, sg); _exit(0); } spin(&s); } catch (Stop &) { n++; }
		sigset_t u; sigemptyset(&u); sigaddset(&u, SIGTERM); sigaddset(&u, SIGINT); sigprocmask(SIG_UNBLOCK, &u, 0);
	}
	printf("caught %d\n", n); fflush(stdout);
	struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 50; i++) usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("slept ~%ld s\n", (long)(t1.tv_sec - t0.tv_sec)); fflush(stdout);
	return argc > 1 ? 4 : 0;
}

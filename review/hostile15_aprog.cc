// hostile15_aprog.cc [s]: signal handler, a thread with a thread_local, fork; with s a SIGSEGV
// handler that _exits 3; run under LD_AUDIT=hostile15_audit.so. review/run-hostile15.sh
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <thread>
struct D { ~D() { printf("dtor\n"); } };
thread_local D d;
static void h(int) { printf("handler\n"); }
static volatile int *np;
static void hs(int) { printf("segv handled\n"); fflush(stdout); _exit(3); }
int main(int argc, char **argv) {
	signal(SIGUSR1, h); raise(SIGUSR1);
	std::thread t([]{ (void)&d; printf("thread\n"); }); t.join();
	pid_t c = fork(); if (c == 0) { printf("child\n"); exit(5); }
	int st; waitpid(c, &st, 0); printf("child %d\n", WEXITSTATUS(st));
	fflush(stdout);
	if (argc > 1) { signal(SIGSEGV, hs); return *np; }
	return 0;
}

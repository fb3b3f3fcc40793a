/* hostile15_cores.c: children that die of 11 signals, raised on main and on a thread, RLIMIT_CORE 1 MiB: the status and core bits the parent reads. review/run-hostile15.sh */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
static void *th(void *a) { raise((int)(long)a); return NULL; }
int main(void)
{
	int sigs[] = {SIGQUIT, SIGABRT, SIGSEGV, SIGFPE, SIGBUS, SIGTERM, SIGUSR1, SIGSYS, SIGXCPU, SIGTRAP, SIGILL};
	struct rlimit r = {1 << 20, 1 << 20}; setrlimit(RLIMIT_CORE, &r);
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) for (int t = 0; t < 2; t++) {
		pid_t c = fork();
		if (c == 0) { if (t) { pthread_t x; pthread_create(&x, NULL, th, (void *)(long)sigs[i]); pthread_join(x, NULL); } else raise(sigs[i]); _exit(0); }
		int st; waitpid(c, &st, 0);
		printf("sig %d thread %d: signaled %d core %d\n", sigs[i], t, WIFSIGNALED(st) ? WTERMSIG(st) : 0, WCOREDUMP(st) ? 1 : 0);
	}
	return 0;
}

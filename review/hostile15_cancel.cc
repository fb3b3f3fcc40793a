// hostile15_cancel.cc: pthread_cancel of threads blocked in read, sleep, sem_wait, pthread_cond_wait,
// poll, select, nanosleep, sigwaitinfo, waitpid, pause, with C++ objects in their frames. review/run-hostile15.sh
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <atomic>
static std::atomic<int> dtors{0};
static std::atomic<int> child{0};
struct R { ~R() { dtors++; } };
static int pfd[2];
static sem_t sem;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static void *body(void *a) {
	R r; long m = (long)a; char b;
	switch (m) {
	case 0: read(pfd[0], &b, 1); break;
	case 1: sleep(100); break;
	case 2: sem_wait(&sem); break;
	case 3: pthread_mutex_lock(&mu); { R r2; pthread_cond_wait(&cv, &mu); } pthread_mutex_unlock(&mu); break;
	case 4: { struct pollfd p = {pfd[0], POLLIN, 0}; poll(&p, 1, -1); } break;
	case 5: { fd_set s; FD_ZERO(&s); FD_SET(pfd[0], &s); select(pfd[0] + 1, &s, 0, 0, 0); } break;
	case 6: { struct timespec t = {100, 0}; nanosleep(&t, 0); } break;
	case 7: { sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); siginfo_t si; sigwaitinfo(&s, &si); } break;
	case 8: { pid_t c = fork(); if (c == 0) { pause(); _exit(0); } child = c; int st; waitpid(c, &st, 0); } break;
	case 9: pause(); break;
	}
	return nullptr;
}
int main() {
	pipe(pfd); sem_init(&sem, 0, 0);
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); pthread_sigmask(SIG_BLOCK, &s, 0);
	int ok = 0;
	for (long m = 0; m < 10; m++) {
		pthread_t t; pthread_create(&t, 0, body, (void *)m);
		usleep(30000);
		pthread_cancel(t); void *r; pthread_join(t, &r);
		ok += r == PTHREAD_CANCELED;
		if (m == 8 && child) { kill(child, SIGKILL); waitpid(child, 0, 0); }
		if (m == 3) pthread_mutex_trylock(&mu) == 0 ? pthread_mutex_unlock(&mu) : printf("mutex left locked\n");
	}
	printf("cancelled %d dtors %d\n", ok, dtors.load());
	kill(0, 0);
	while (waitpid(-1, 0, WNOHANG) > 0) {}
	return 0;
}

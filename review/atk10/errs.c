/* errs.c - every interposed function called the wrong way: its return value and errno as the
 * program reads them (the shim must pass both through unchanged) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#define T(expr) do { errno = 0; long r_ = (long)(expr); printf("%-60s -> %ld errno %d\n", #expr, r_, errno); } while (0)
static void h(int s) { (void)s; }
int main(void)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	struct sigaction sa = {0}, old; sa.sa_handler = h;
	sigset_t set; sigemptyset(&set);
	stack_t ss = {.ss_sp = (void *)&sa, .ss_size = 100}, os;
	struct rlimit rl = {10, 5};
	struct timespec bad = {0, 2000000000L};
	T(sigaction(0, &sa, 0)); T(sigaction(SIGKILL, &sa, 0)); T(sigaction(65, &sa, 0)); T(sigaction(SIGSTOP, 0, &old));
	T(signal(99, h) == SIG_ERR); T(signal(SIGKILL, SIG_IGN) == SIG_ERR);
	T(sigprocmask(99, &set, 0)); T(pthread_sigmask(99, &set, 0));
	T(sigaltstack(&ss, 0)); ss.ss_flags = 99; ss.ss_size = 1 << 16; T(sigaltstack(&ss, 0));
	T(kill(999999, 0)); T(kill(1, 0)); T(kill(getpid(), 99)); T(killpg(999999, SIGTERM)); T(raise(99));
	T(pthread_kill(pthread_self(), 99)); T(tgkill(getpid(), 999999, 0)); T(sigqueue(999999, SIGUSR1, (union sigval){0}));
	T(waitpid(-1, 0, 0)); T(waitpid(1, 0, WNOHANG)); T(waitpid(-1, 0, 0x4000)); T(wait(0)); T(wait3(0, WNOHANG, 0)); T(wait4(-1, 0, 0, 0));
	T(waitid(P_ALL, 0, 0, WEXITED)); T(waitid(99, 0, 0, WEXITED));
	T(setrlimit(RLIMIT_NOFILE, &rl)); T(setrlimit(99, &rl)); T(prlimit(999999, RLIMIT_CORE, 0, &rl)); T(prlimit(0, 99, 0, &rl));
	T(prctl(9999, 0, 0, 0, 0)); T(prctl(PR_SET_PDEATHSIG, 99)); T(prctl(PR_SET_SECCOMP, 99));
	T(syscall(99999)); T(syscall(SYS_rt_sigaction, 0, 0, 0, 8)); T(syscall(SYS_rt_sigprocmask, 99, 0, 0, 8)); T(syscall(SYS_prctl, 9999, 0, 0, 0, 0));
	T(nanosleep(&bad, 0)); T(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, 0)); T(clock_nanosleep(99, 0, &bad, 0)); T(usleep(1000000));
	T(select(-1, 0, 0, 0, 0)); T(pselect(-1, 0, 0, 0, 0, 0)); struct pollfd pf = {.fd = 12345, .events = POLLIN}; T(poll(&pf, 1, 0)); T(pf.revents);
	T(poll(0, 1, 0)); T(ppoll(&pf, 1, &bad, 0)); struct epoll_event ev; T(epoll_wait(12345, &ev, 1, 0)); T(epoll_wait(0, &ev, 0, 0)); T(epoll_pwait(12345, &ev, 1, 0, 0));
	sem_t s; sem_init(&s, 0, 0); T(sem_timedwait(&s, &bad)); T(sem_clockwait(&s, 99, &bad)); T(sem_trywait(&s));
	T(dlopen("/nonexistent.so", RTLD_NOW)); printf("dlerror %s\n", dlerror()); T(dlopen(0, 0)); printf("dlerror %s\n", dlerror() ? "set" : "null");
	pthread_key_t k; T(pthread_key_create(&k, 0)); T(pthread_key_delete(k)); T(pthread_key_delete(k)); T(pthread_key_delete(99999)); T(pthread_setspecific(99999, &k)); T(pthread_getspecific(99999));
	T(pthread_join(pthread_self(), 0)); 
	sigaddset(&set, 99); T(sigtimedwait(&set, 0, &bad));
	T(sighold(99)); T(sigrelse(99)); T(sigignore(SIGKILL)); T(siginterrupt(99, 1)); T(sigset(99, h) == SIG_ERR); T(bsd_signal(99, h) == SIG_ERR); T(sysv_signal(99, h) == SIG_ERR);
	T(system(0)); T(system("exit 3"));
	return 0;
}

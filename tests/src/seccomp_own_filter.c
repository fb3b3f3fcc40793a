/* seccomp_own_filter.c MODE [NR]: a program that puts in a seccomp filter of its own that acts
 * on one system call only, the rest allowed (t490):
 *  hang NR       the filter kills NR (SECCOMP_RET_KILL_PROCESS); a thread waits in pause, an
 *                atexit handler sleeps 1 s, main returns 3
 *  trapterm NR   the filter traps NR (SECCOMP_RET_TRAP) to a SIGSYS handler of the program's that
 *                answers -EPERM; then a SIGTERM at its default action kills the process
 *  killwrite     the filter kills write(2) to any descriptor above 2 (the program writes only to
 *                1 and 2); it prints, and exits 3 from a thread
 *  handler NR    the filter kills NR; a thread waits in pause (SIGTERM not blocked there), then
 *                a SIGTERM handler of the program's sleeps 1 s (nanosleep) and the program
 *                exits 4 (t497: the shim's handler watcher) */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static void *idle(void *a) { for (;;) pause(); return a; }
static void *exit3(void *a) { (void)a; exit(3); }
static void sleep1(void) { struct timespec s = {1, 0}; nanosleep(&s, NULL); }
static void sleep1_handler(int s) { (void)s; sleep1(); }
static void on_sys(int s, siginfo_t *si, void *ucv)
{
	(void)s; (void)si;
	((ucontext_t *)ucv)->uc_mcontext.gregs[REG_RAX] = -1; /* -EPERM */
}
static void put(struct sock_filter *f, unsigned short n)
{
	struct sock_fprog p = {.len = n, .filter = f};
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p)) { perror("seccomp"); exit(2); }
}
int main(int argc, char **argv)
{
	int nr = argc > 2 ? atoi(argv[2]) : 0;
	pthread_t t;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[1], "killwrite")) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 0, 3),
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
			BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 2, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		put(f, 6);
		printf("sandboxed\n");
		pthread_create(&t, NULL, exit3, NULL);
		for (;;) pause();
	}
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, !strcmp(argv[1], "hang") ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	if (!strcmp(argv[1], "trapterm")) {
		struct sigaction sa = {0};
		sa.sa_sigaction = on_sys; sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSYS, &sa, NULL);
		put(f, 4);
		printf("sandboxed\n");
		kill(syscall(SYS_gettid), SIGTERM);
		printf("alive after SIGTERM\n");
		return 0;
	}
	pthread_create(&t, NULL, idle, NULL);
	put(f, 4);
	if (!strcmp(argv[1], "handler")) {
		signal(SIGTERM, sleep1_handler);
		printf("sandboxed\n");
		kill(getpid(), SIGTERM);
		return 4;
	}
	atexit(sleep1);
	printf("sandboxed\n");
	return 3;
}

/* seccomp_clock.c HOW: a program that sandboxes itself with a seccomp filter on the system calls
 * that read the time (clock_gettime, gettimeofday, time: it reads the time through the vDSO, which
 * makes none), then starts and joins 4 threads, reads the time, prints "done" and exits 3 (t291).
 *  prctl    the filter through prctl(PR_SET_SECCOMP), killing the process on those calls
 *  seccomp  the same through syscall(SYS_seccomp) (libseccomp's way)
 *  errno    through prctl, the calls failing with EPERM instead
 *  signal   as prctl, the filter killing open and openat too; then a child of the program sends
 *           it a SIGTERM, which its handler counts (the shim reads no /proc file for the
 *           sender's name in a sandboxed process) */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t terms;
static void on_term(int sig) { (void)sig; terms++; }

static void *reads_time(void *a)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return a;
}

int main(int argc, char **argv)
{
	unsigned ret = SECCOMP_RET_KILL_PROCESS, open_nr = -1u, openat_nr = -1u;
	int rc, sig = argc > 1 && !strcmp(argv[1], "signal");
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "errno"))
		ret = SECCOMP_RET_ERRNO | EPERM;
	if (sig)
		open_nr = SYS_open, openat_nr = SYS_openat;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clock_gettime, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_gettimeofday, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_time, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, open_nr, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, openat_nr, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, ret),
	};
	struct sock_fprog prog = {sizeof f / sizeof *f, f};
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("sandboxing\n");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 2;
	if (!strcmp(argv[1], "seccomp"))
		rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	else
		rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
	if (rc) {
		perror("seccomp");
		return 2;
	}
	for (int i = 0; i < 4; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, reads_time, NULL) || pthread_join(t, NULL))
			return 1;
	}
	if (sig) {
		pid_t child;
		signal(SIGTERM, on_term);
		child = fork();
		if (child == 0) {
			kill(getppid(), SIGTERM);
			_exit(0);
		}
		if (child < 0 || waitpid(child, NULL, 0) != child)
			return 1;
		printf("SIGTERM %d\n", (int)terms);
	}
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	printf("done\n");
	exit(3);
}

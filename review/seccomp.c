/* review/seccomp.c MODE: a program that sandboxes itself with a seccomp filter, then makes
 * threads, reads the time, exits 3. The filter kills the process (SECCOMP_RET_KILL_PROCESS) on
 *  clock    clock_gettime/gettimeofday/time as system calls (the program reads time through
 *           the vDSO, which makes none)
 *  fcntl    fcntl
 *  prlimit  prlimit64/getrlimit
 *  openat   open/openat (a program that opened all its files before sandboxing) */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
static void *thr(void *a) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return a; }
int main(int argc, char **argv)
{
	(void)argc;
	int nr[4] = {-1, -1, -1, -1};
	if (!strcmp(argv[1], "clock")) { nr[0] = SYS_clock_gettime; nr[1] = SYS_gettimeofday; nr[2] = SYS_time; }
	if (!strcmp(argv[1], "fcntl")) nr[0] = SYS_fcntl;
	if (!strcmp(argv[1], "prlimit")) { nr[0] = SYS_prlimit64; nr[1] = SYS_getrlimit; }
	if (!strcmp(argv[1], "openat")) { nr[0] = SYS_openat; nr[1] = SYS_open; }
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr[0], 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr[1], 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr[2], 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr[3], 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog p = {sizeof f / sizeof *f, f};
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("sandboxing\n");
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p)) { perror("seccomp"); return 2; }
	for (int i = 0; i < 4; i++) { pthread_t t; pthread_create(&t, NULL, thr, NULL); pthread_join(t, NULL); }
	struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
	printf("done\n");
	exit(3);
}

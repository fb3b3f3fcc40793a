/* seccomp_allowlist.c MODE: a program that sandboxes itself with an allowlist, a seccomp filter
 * that lets through only the system calls it makes itself from then on and kills the process on
 * any other (SECCOMP_RET_KILL_PROCESS, OpenSSH's preauth sandbox kind), then works (malloc,
 * printf into stdio's buffer) and ends (t409).
 *  exit     exit(3)
 *  return   return 3 from main
 *  selfterm a SIGTERM handler (set before the filter) that counts; kill(getpid(), SIGTERM), then
 *           exit(3); the filter also allows getpid, kill, rt_sigaction, rt_sigprocmask
 *  worker [SIG]  a forked worker sandboxes itself (read, write, exit and memory calls only), tells
 *           its parent, and blocks in read; the parent sends it SIG (SIGTERM); the worker's handler (no
 *           SA_RESTART) counts, the read fails with EINTR, the worker prints and exits 5; the
 *           parent prints how the worker ended and exits 0.
 * Without the shim every mode ends as said; the worker prints "worker: read -1 EINTR terms 1". */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_wait.h"

static volatile sig_atomic_t terms;
static void on_term(int sig) { (void)sig; terms++; }

/* the allowlist: read, write, the exits, sigreturn, memory (and malloc's first getrandom), futex,
 * fstat, lseek; with sig, also
 * what a self-kill and its handler need */
static int sandbox(int sig)
{
	static const int base[] = {SYS_read, SYS_write, SYS_exit_group, SYS_exit, SYS_rt_sigreturn, SYS_brk, SYS_mmap, SYS_getrandom,
				   SYS_munmap, SYS_futex, SYS_newfstatat, SYS_lseek};
	static const int more[] = {SYS_getpid, SYS_kill, SYS_rt_sigaction, SYS_rt_sigprocmask};
	int allow[32], n = 0;
	struct sock_filter f[40];
	int k = 0;
	for (size_t i = 0; i < sizeof base / sizeof *base; i++)
		allow[n++] = base[i];
	for (size_t i = 0; sig && i < sizeof more / sizeof *more; i++)
		allow[n++] = more[i];
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < n; i++)
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)allow[i], (unsigned char)(n - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog p = {(unsigned short)k, f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p) != 0) {
		perror("seccomp");
		return -1;
	}
	return 0;
}

static void work(void)
{
	char *b = malloc(100000);
	long s = 0;
	memset(b, 1, 100000);
	for (int i = 0; i < 100000; i++)
		s += b[i];
	printf("sum %ld\n", s);
}

static int worker(int sig)
{
	int p[2], q[2], st;
	char b;
	if (pipe(p) || pipe(q))
		return 2;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = {0};
		sa.sa_handler = on_term;
		sigaction(sig, &sa, NULL);
		close(p[1]);
		close(q[0]);
		if (sandbox(0))
			_exit(2);
		write(q[1], "r", 1);
		ssize_t r = read(p[0], &b, 1);
		printf("worker: read %zd %s terms %d\n", r, r < 0 ? strerrorname_np(errno) : "-", (int)terms);
		exit(5);
	}
	close(p[0]);
	close(q[1]);
	if (read(q[0], &b, 1) != 1)
		return 2;
	/* (the worker is in its read, or about to be: either way the signal cuts it or comes first;
	 * a handler run before the read leaves it blocked, so wait for the read) */
	until_in_syscall(c, 0, -1); /* read(2) */
	kill(c, sig);
	waitpid(c, &st, 0);
	print_end("worker", st);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "worker"))
		return worker(argc > 2 ? atoi(argv[2]) : SIGTERM);
	if (!strcmp(m, "selfterm"))
		signal(SIGTERM, on_term);
	printf("sandboxing\n");
	fflush(stdout);
	if (sandbox(!strcmp(m, "selfterm")))
		return 2;
	work();
	if (!strcmp(m, "selfterm")) {
		kill(getpid(), SIGTERM);
		printf("terms %d\n", (int)terms);
	}
	if (!strcmp(m, "return"))
		return 3;
	exit(3);
}

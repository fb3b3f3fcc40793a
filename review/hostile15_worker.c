/* hostile15_worker.c SIG: a forked worker sandboxes itself with an allowlist (read, write, exits,
 * memory), blocks in read; its parent sends SIG; the handler counts; the worker exits 5.
 * review/run-hostile15.sh */
/* a worker that sandboxes itself with an allowlist (kill by default), then blocks in read; its
 * parent sends it SIGTERM (or SIGHUP/SIGINT/SIGQUIT/SIGUSR1); its handler sets a flag; it exits 5 */
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
static volatile sig_atomic_t got;
static void h(int s) { got = s; }
static int sandbox(void)
{
	int allow[] = {SYS_read, SYS_write, SYS_exit_group, SYS_exit, SYS_rt_sigreturn, SYS_brk, SYS_mmap, SYS_munmap, SYS_futex, SYS_newfstatat, SYS_lseek};
	int n = sizeof allow / sizeof *allow;
	struct sock_filter f[32]; int k = 0;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < n; i++) f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)allow[i], (unsigned char)(n - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog p = {(unsigned short)k, f};
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p);
}
int main(int argc, char **argv)
{
	int sig = argc > 1 ? atoi(argv[1]) : SIGTERM;
	int p[2], q[2]; pipe(p); pipe(q);
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = {0}; sa.sa_handler = h; sigaction(sig, &sa, NULL);
		close(p[1]); close(q[0]);
		if (sandbox()) _exit(2);
		write(q[1], "r", 1);
		char b; ssize_t r = read(p[0], &b, 1);
		printf("worker: read %zd errno %s got %d\n", r, r < 0 ? strerrorname_np(errno) : "-", (int)got);
		exit(5);
	}
	close(p[0]); close(q[1]);
	char b; read(q[0], &b, 1);
	usleep(20000);
	kill(c, sig);
	int st; waitpid(c, &st, 0);
	if (WIFSIGNALED(st)) printf("worker killed by %d\n", WTERMSIG(st)); else printf("worker exit %d\n", WEXITSTATUS(st));
	return 0;
}

/* hostile15_allow.c MODE: a program that sandboxes itself with an allowlist (kill, errno or trap by
 * default; with sig, a SIGTERM handler and a kill of itself), works and exits or returns.
 * review/run-hostile15.sh */
/* a program that allows only the system calls it needs (an allowlist), then works, then exits */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <signal.h>
static void h(int s) { (void)s; write(1, "term handler\n", 13); }
int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	unsigned ret = strstr(m, "errno") ? SECCOMP_RET_ERRNO | 1 : strstr(m, "trap") ? SECCOMP_RET_TRAP : SECCOMP_RET_KILL_PROCESS;
	int allow[] = {SYS_read, SYS_write, SYS_exit_group, SYS_exit, SYS_rt_sigreturn, SYS_brk, SYS_mmap, SYS_munmap, SYS_futex, SYS_newfstatat, SYS_fstat, SYS_lseek, SYS_kill, SYS_getpid, SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_gettid, SYS_tgkill};
	int n = sizeof allow / sizeof *allow;
	if (!strstr(m, "sig")) n -= 6;
	struct sock_filter f[64]; int k = 0;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < n; i++) f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)allow[i], (unsigned char)(n - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog p = {(unsigned short)k, f};
	if (strstr(m, "sig")) signal(SIGTERM, h);
	printf("sandboxing\n"); fflush(stdout);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p)) { perror("seccomp"); return 2; }
	char *b = malloc(100000); memset(b, 1, 100000);
	long s = 0; for (int i = 0; i < 100000; i++) s += b[i];
	printf("sum %ld\n", s);
	if (strstr(m, "sig")) { kill(getpid(), SIGTERM); printf("after kill\n"); }
	if (strstr(m, "return")) return 3;
	exit(3);
}

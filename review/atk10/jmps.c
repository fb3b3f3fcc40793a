/* jmps.c - longjmp (fortified: __longjmp_chk) out of handlers on the program's altstack, on no
 * altstack with SA_ONSTACK, from nested handlers; raw syscall() uses of signals and clone */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static jmp_buf jb;
static sigjmp_buf sjb;
static volatile int n;
static void hj(int s) { n++; longjmp(jb, s); }
static void hs(int s) { n++; siglongjmp(sjb, s); }
static void nested2(int s) { (void)s; n += 10; siglongjmp(sjb, 2); }
static void nested1(int s) { (void)s; n++; raise(SIGUSR2); }
struct ksa { void *h; unsigned long flags; void *restorer; unsigned long mask; };
static void rawh(int s) { (void)s; n += 100; }
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536};
	if (argc > 1 && !strcmp(argv[1], "own")) sigaltstack(&ss, 0);
	struct sigaction sa = {0}; sa.sa_handler = hj; sa.sa_flags = SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, 0);
	for (int i = 0; i < 5; i++) if (!setjmp(jb)) *(volatile int *)0 = 1;
	sigset_t m; sigprocmask(SIG_SETMASK, 0, &m);
	printf("longjmp x5 n=%d segv-blocked %d\n", n, sigismember(&m, SIGSEGV));
	sigprocmask(SIG_UNBLOCK, &m, 0);
	sa.sa_handler = hs; sa.sa_flags = SA_ONSTACK; sigaction(SIGSEGV, &sa, 0);
	for (int i = 0; i < 5; i++) if (!sigsetjmp(sjb, 1)) *(volatile int *)0 = 1;
	printf("siglongjmp x5 n=%d\n", n);
	sa.sa_handler = nested1; sigaction(SIGUSR1, &sa, 0); sa.sa_handler = nested2; sigaction(SIGUSR2, &sa, 0);
	if (!sigsetjmp(sjb, 1)) raise(SIGUSR1);
	sigprocmask(SIG_SETMASK, 0, &m);
	printf("nested n=%d usr1-blocked %d usr2-blocked %d\n", n, sigismember(&m, SIGUSR1), sigismember(&m, SIGUSR2));
	/* raw rt_sigaction through syscall(): a handler glibc never saw (no restorer: SA_RESTORER of glibc's needed) */
	struct ksa k = {0}, o = {0};
	struct sigaction cur; sigaction(SIGUSR1, 0, &cur);
	k.h = (void *)SIG_IGN;
	printf("raw rt_sigaction %ld\n", syscall(SYS_rt_sigaction, SIGUSR1, &k, &o, 8));
	sigaction(SIGUSR1, 0, &cur);
	printf("sigaction reads %s\n", cur.sa_handler == SIG_IGN ? "IGN" : cur.sa_handler == nested1 ? "old handler" : "other");
	raise(SIGUSR1);
	printf("raw fork via syscall\n");
	long p = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (p == 0) { printf("child pid ok %d\n", (long)getpid() == syscall(SYS_getpid)); exit(5); }
	int st; waitpid(p, &st, 0); printf("child %d\n", WEXITSTATUS(st));
	void *mm = (void *)syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 6 args ok %d\n", mm != MAP_FAILED);
	syscall(SYS_exit_group, 9);
	return 0;
}

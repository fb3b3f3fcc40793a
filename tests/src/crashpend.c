/* crashpend.c - a crash signal at its default action pending with a signal the program handles,
 * for t362: without the shim the kernel takes the crash signal first (the lower number, or a
 * synchronous one before any other) and the process dies of it; the handler, which prints, never
 * runs. Under the shim before 2026-12-01 the shim's crash handler was delivered first and the
 * program's handler on top of it, before it: it printed.
 *   abort   SIGABRT at SIG_DFL and SIGUSR1 handled, both blocked until both are pending (a
 *           child's kill -ABRT, then our own kill -USR1), then unblocked: dies of SIGABRT
 *   segv    SIGHUP and SIGUSR1 handled, both blocked and sent to ourselves, then unblocked by a
 *           raw rt_sigprocmask made with the stack pointer on a PROT_NONE page: on its return
 *           the kernel takes SIGHUP, cannot write its frame there and forces a SIGSEGV (a real
 *           one, si_code SI_KERNEL; Linux arch/x86/kernel/signal.c handle_signal ->
 *           force_sigsegv), which it takes before the still pending SIGUSR1: dies of SIGSEGV
 *   synckill  SIGSEGV handled (it prints) and SIGABRT at SIG_DFL, both sent to ourselves blocked,
 *           then unblocked: the kernel takes SIGSEGV first (a synchronous signal, even sent by
 *           kill), then SIGABRT ends the process before its handler runs. The shim's crash
 *           handler leaves the synchronous signals unblocked: this holds all the same
 * Exit 9: the process lived on (it should not). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; (void)!write(1, "SIGUSR1 handler ran\n", 20); }
static void on_segv(int sig) { (void)sig; (void)!write(1, "SIGSEGV handler ran\n", 20); }
static void on_hup(int sig) { (void)sig; (void)!write(1, "SIGHUP handler ran\n", 19); }

/* until every signal of set is pending (60 s a safety net) */
static void wait_pending(const sigset_t *set)
{
	sigset_t p;
	for (int i = 0; i < 60000; i++) {
		int all = sigpending(&p) == 0;
		for (int s = 1; all && s < 32; s++)
			if (sigismember(set, s) && !sigismember(&p, s))
				all = 0;
		if (all)
			return;
		usleep(1000);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t both;
	const char *m = argc > 1 ? argv[1] : "";
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	if (!strcmp(m, "abort")) {
		pid_t parent = getpid(), child;
		signal(SIGABRT, SIG_DFL);
		sigaddset(&both, SIGABRT);
		sigprocmask(SIG_BLOCK, &both, NULL);
		child = fork();
		if (child == 0) {
			kill(parent, SIGABRT);
			_exit(0);
		}
		kill(parent, SIGUSR1);
		wait_pending(&both);
		sigprocmask(SIG_UNBLOCK, &both, NULL);
		return 9;
	}
	if (!strcmp(m, "synckill")) {
		sa.sa_handler = on_segv;
		sigaction(SIGSEGV, &sa, NULL);
		sigemptyset(&both);
		sigaddset(&both, SIGSEGV);
		sigaddset(&both, SIGABRT);
		sigprocmask(SIG_BLOCK, &both, NULL);
		kill(getpid(), SIGABRT);
		kill(getpid(), SIGSEGV);
		wait_pending(&both);
		sigprocmask(SIG_UNBLOCK, &both, NULL);
		return 9;
	}
	if (!strcmp(m, "segv")) {
		size_t len = 65536;
		char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t set;
		long rc;
		if (p == MAP_FAILED)
			return 2;
		sa.sa_handler = on_hup;
		sigaction(SIGHUP, &sa, NULL);
		sigaddset(&both, SIGHUP);
		sigprocmask(SIG_BLOCK, &both, NULL);
		kill(getpid(), SIGHUP);
		kill(getpid(), SIGUSR1);
		wait_pending(&both);
		memcpy(&set, &both, sizeof set);
		/* rt_sigprocmask(SIG_UNBLOCK, &set, NULL, 8) with %rsp at the top of the PROT_NONE
		 * mapping; the process never comes back here (the old %rsp in %r12 all the same) */
		__asm__ volatile("mov $8, %%r10\n\t"
				 "mov %%rsp, %%r12\n\t"
				 "mov %[sp], %%rsp\n\t"
				 "syscall\n\t"
				 "mov %%r12, %%rsp"
				 : "=a"(rc)
				 : "a"((long)SYS_rt_sigprocmask), "D"((long)SIG_UNBLOCK), "S"(&set), "d"(0L), [sp] "r"(p + len)
				 : "rcx", "r10", "r11", "r12", "memory");
		(void)rc;
		return 9;
	}
	return 2;
}

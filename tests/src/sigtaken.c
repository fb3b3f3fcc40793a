/* sigtaken.c - t277: the real-time signals the hang watchdog borrows (a signal to interrupt a
 * thread it snapshots at a teardown that hangs; a signal to the handler of SIGTERM that has not
 * returned) read back afterwards as without the shim: handler, sa_flags, sa_restorer and the 64
 * mask bits of every signal. Usage: sigtaken exit|handler|borrow fresh|set. "borrow" (t289):
 * inside the SIGTERM handler, once the snapshot is written, while the handler watcher still
 * borrows its signal (SIGRTMAX, the first free from the top; said on stderr: "borrowed"), every
 * signal read, then SIGRTMAX set to a handler of its own (the old action printed), which must
 * stay after the handler returns and run at a raise, as without the shim. "set": SIGRTMAX and the
 * two below it set to SIG_DFL with SA_RESTART and a mask first (the program's own, through glibc);
 * "fresh": never set. With TLSTRACE_FILE in the environment the program waits (at most 60 s) at
 * the point that hangs until the watchdog has written its snapshot (a "hang_end" line), so that
 * the snapshot happens before the read, whatever the machine's load. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* rt_sigaction(sig, NULL, old, 8) by the syscall instruction (x86-64), not through libc */
static long raw_rt_sigaction(int sig, void *old)
{
	long r;
	register long r10 __asm__("r10") = 8;
	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_rt_sigaction), "D"((long)sig), "S"(0L), "d"(old), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static void dump(const char *point)
{
	for (int sig = 1; sig <= 64; sig++) {
		struct sigaction o;
		uint64_t m;
		memset(&o, 0xab, sizeof o);
		if (sigaction(sig, NULL, &o) != 0) {
			printf("%s %d error\n", point, sig);
			continue;
		}
		memcpy(&m, &o.sa_mask, sizeof m);
		/* (the handler and restorer: which kind, not the address) */
		printf("%s %d h=%s flags=%x restorer=%s mask=%llx\n", point, sig,
		       o.sa_handler == SIG_DFL ? "DFL" : o.sa_handler == SIG_IGN ? "IGN" : "fn", o.sa_flags,
		       o.sa_restorer ? "set" : "0", (unsigned long long)m);
	}
	fflush(stdout);
}

/* under the shim: until the trace holds the watchdog's snapshot end */
static void wait_snapshot(void)
{
	const char *t = getenv("TLSTRACE_FILE");
	if (!t)
		return;
	for (int i = 0; i < 3000; i++) {
		char line[4096];
		FILE *f = fopen(t, "r");
		int seen = 0;
		while (f && fgets(line, sizeof line, f))
			if (strstr(line, " hang_end "))
				seen = 1;
		if (f)
			fclose(f);
		if (seen)
			return;
		nanosleep(&(struct timespec){0, 20000000}, NULL);
	}
}

static void at_exit(void)
{
	wait_snapshot();
	dump("atexit");
}

static void on_term(int sig)
{
	(void)sig;
	wait_snapshot();
}

static volatile sig_atomic_t rt_runs;
static void on_rt(int sig) { (void)sig, rt_runs++; }

static void on_term_borrow(int sig)
{
	struct sigaction a, old;
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} k;
	(void)sig;
	wait_snapshot();
	/* the premise, from the kernel itself: a handler (the watcher's) holds SIGRTMAX (by the
	 * syscall instruction: libc's syscall() is the shim's, which takes rt_sigaction for the
	 * program's sigaction and answers with the program's action, t396) */
	if (raw_rt_sigaction(SIGRTMAX, &k) == 0 && k.handler != (void *)SIG_DFL)
		fprintf(stderr, "borrowed\n");
	dump("inhandler");
	memset(&a, 0, sizeof a);
	a.sa_handler = on_rt;
	a.sa_flags = SA_RESTART;
	sigemptyset(&a.sa_mask);
	sigaddset(&a.sa_mask, SIGUSR2);
	memset(&old, 0xab, sizeof old);
	sigaction(SIGRTMAX, &a, &old);
	printf("old h=%s flags=%x restorer=%s\n", old.sa_handler == SIG_DFL ? "DFL" : old.sa_handler == SIG_IGN ? "IGN" : "fn",
	       old.sa_flags, old.sa_restorer ? "set" : "0");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[2], "set")) {
		for (int sig = SIGRTMAX - 2; sig <= SIGRTMAX; sig++) {
			struct sigaction a;
			memset(&a, 0, sizeof a);
			a.sa_handler = SIG_DFL;
			a.sa_flags = SA_RESTART;
			sigemptyset(&a.sa_mask);
			sigaddset(&a.sa_mask, SIGUSR1);
			sigaction(sig, &a, NULL);
		}
	}
	dump("start");
	if (!strcmp(argv[1], "handler") || !strcmp(argv[1], "borrow")) {
		struct sigaction a;
		memset(&a, 0, sizeof a);
		a.sa_handler = !strcmp(argv[1], "borrow") ? on_term_borrow : on_term;
		sigemptyset(&a.sa_mask);
		sigaction(SIGTERM, &a, NULL);
		raise(SIGTERM);
		dump("handled");
		if (!strcmp(argv[1], "borrow")) {
			raise(SIGRTMAX);
			printf("rt handler runs %d\n", (int)rt_runs);
		}
		return 0;
	}
	atexit(at_exit);
	exit(0);
}

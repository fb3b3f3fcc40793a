/* selfhandled.c - programs that handle their own faults, one kind per argument; each prints what
 * it sees, which must be the same with and without the shim (t045):
 *   resethand  SA_RESETHAND handler that unprotects the page and returns; sigaction then reads
 *              SIG_DFL (flags kept); the next fault kills by SIGSEGV
 *   reraise    faulthandler's way: an SA_NODEFER handler restores SIG_DFL and raise()s
 *   refault    a handler restores SIG_DFL and returns: the fault re-executes and kills
 *   resend     Apache's way: the handler restores SIG_DFL, kill()s its own process with the signal
 *              (blocked until it returns) and returns
 *   exit       the handler calls exit(3) (uWSGI's way)
 *   abort      the SIGSEGV handler calls abort()
 *   ownstack   an SA_ONSTACK handler on the program's own sigaltstack, 5 faults
 *   altquery   sigaltstack as the program reads it: none at start; set, read, drop, read
 *   sigbus     SIGBUS (a page past the end of a file), siglongjmp out, 3 times
 *   sigill     ud2; the handler steps over it by moving the saved ip (a JIT's guard), 3 times
 *   nested     the SIGSEGV handler divides by zero; the SIGFPE handler steps over it; both return
 *   mask       the signal mask inside a handler with sa_mask {SIGUSR1}, without and with SA_NODEFER
 *   actions    what sigaction and signal return: flags, restorer set, mask bits
 *   thread     100 faults in each of 4 threads with 64 KiB stacks, siglongjmp out
 *   stale      a fault left by siglongjmp, then exit(0) from deep under a big untouched buffer
 *   longjmp    the same left by longjmp (setjmp without the mask), then exit(0)
 *   vfork      a vfork child reads SIGSEGV's action, resets it and execs; the parent's handler
 *              still runs at its fault (it prints and exits 7)
 *   sent       a SIGABRT sent by another process; the handler exits 5 (a request to end, not a
 *              crash)
 *   maps       memory mappings that 64 more threads add, per thread (the shim adds none) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "proc_wait.h"

static char *page;
static volatile int hits;
static __thread sigjmp_buf tjb;
static jmp_buf pjb;

static void unprotect(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	hits++;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void to_default_raise(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

static void to_default(int sig) { signal(sig, SIG_DFL); }

static void to_default_kill(int sig)
{
	signal(sig, SIG_DFL);
	kill(getpid(), sig);
}

static void exit5(int sig)
{
	(void)sig;
	exit(5);
}

static void exit3(int sig)
{
	(void)sig;
	exit(3);
}

static void call_abort(int sig)
{
	(void)sig;
	abort();
}

static void jump(int sig)
{
	(void)sig;
	siglongjmp(tjb, 1);
}

static void plain_jump(int sig)
{
	(void)sig;
	longjmp(pjb, 1);
}

static void skip_ud2(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] += 2;
	hits++;
}

static void skip_idiv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] += 3; /* idivl %ecx: f7 f9, with REX none */
	hits++;
}

static char *altbase;
static volatile int on_own_stack;
static void onstack(int sig, siginfo_t *si, void *uc)
{
	char here;
	(void)sig, (void)si, (void)uc;
	on_own_stack += &here > altbase && &here < altbase + 65536;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static volatile int divisor;
static void segv_then_fpe(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	int r;
	/* a division the SIGFPE handler steps over: idiv %ecx is 2 bytes, so use a fixed encoding */
	__asm__ volatile("movl $7, %%eax\n\tcltd\n\tidivl %1\n\t.byte 0x90\n" : "=&a"(r) : "r"(divisor) : "edx");
	(void)r;
	hits++;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void print_mask(const char *what)
{
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	printf("%s: SEGV %d USR1 %d FPE %d\n", what, sigismember(&m, SIGSEGV), sigismember(&m, SIGUSR1),
	       sigismember(&m, SIGFPE));
}

static void mask_handler(int sig)
{
	(void)sig;
	print_mask("in handler");
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void *thread_faults(void *arg)
{
	volatile int n = 0;
	(void)arg;
	for (long i = 1; i <= 100; i++) {
		if (sigsetjmp(tjb, 1)) {
			n++;
			continue;
		}
		*(volatile char *)(i * 4096) = 1;
	}
	return (void *)(long)n;
}

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(9);
}

static void exit7(int sig)
{
	(void)sig;
	say("parent handler ran\n");
	_exit(7);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
/* exit(0) from depth frames down, each with a 16 KiB buffer it never writes: whatever an old
 * signal frame left there stays */
__attribute__((noinline)) static void deep_exit(int depth)
{
	volatile char big[16384];
	if (depth == 0) {
		fflush(stdout);
		exit(0);
	}
	deep_exit(depth - 1);
	(void)big[0];
}

static pthread_barrier_t hold;
static void *wait_here(void *arg)
{
	pthread_barrier_wait(&hold);
	pthread_barrier_wait(&hold);
	return arg;
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;
	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

static void set(int sig, void *h, int flags, int siginfo)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (siginfo)
		sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))h;
	else
		sa.sa_handler = (void (*)(int))h;
	sa.sa_flags = flags | (siginfo ? SA_SIGINFO : 0);
	sigaction(sig, &sa, NULL);
}

static void fresh_page(void) { page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	struct sigaction q;
	setvbuf(stdout, NULL, _IONBF, 0);
	fresh_page();
	if (!strcmp(m, "resethand")) {
		set(SIGSEGV, unprotect, SA_RESETHAND, 1);
		*(volatile char *)page = 1;
		sigaction(SIGSEGV, NULL, &q);
		printf("handled %d; now %s, flags %#x\n", hits, q.sa_handler == SIG_DFL ? "SIG_DFL" : "handler", q.sa_flags);
		fresh_page();
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "reraise")) {
		set(SIGSEGV, to_default_raise, SA_NODEFER, 0);
		puts("faulting");
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "refault")) {
		set(SIGSEGV, to_default, 0, 0);
		puts("faulting");
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "resend")) {
		set(SIGSEGV, to_default_kill, 0, 0);
		puts("faulting");
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "exit")) {
		set(SIGSEGV, exit3, 0, 0);
		puts("faulting");
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "abort")) {
		set(SIGSEGV, call_abort, 0, 0);
		puts("faulting");
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "ownstack")) {
		stack_t ss = {.ss_sp = altbase = malloc(65536), .ss_size = 65536, .ss_flags = 0};
		sigaltstack(&ss, NULL);
		set(SIGSEGV, onstack, SA_ONSTACK, 1);
		for (int i = 0; i < 5; i++) {
			fresh_page();
			*(volatile char *)page = 1;
		}
		printf("%d of 5 handlers on the program's own stack\n", on_own_stack);
	} else if (!strcmp(m, "altquery")) {
		stack_t ss, old;
		sigaltstack(NULL, &old);
		printf("at start: flags %d size %zu sp %s\n", old.ss_flags, old.ss_size, old.ss_sp ? "set" : "null");
		ss.ss_sp = malloc(65536);
		ss.ss_size = 65536;
		ss.ss_flags = 0;
		printf("set: %d\n", sigaltstack(&ss, &old));
		printf("old: flags %d size %zu\n", old.ss_flags, old.ss_size);
		sigaltstack(NULL, &old);
		printf("now: flags %d size %zu ours %d\n", old.ss_flags, old.ss_size, old.ss_sp == ss.ss_sp);
		ss.ss_flags = SS_DISABLE;
		printf("drop: %d\n", sigaltstack(&ss, NULL));
		sigaltstack(NULL, &old);
		printf("after: flags %d size %zu sp %s\n", old.ss_flags, old.ss_size, old.ss_sp ? "set" : "null");
		ss.ss_flags = 12345;
		printf("bad flags: %d\n", sigaltstack(&ss, NULL));
	} else if (!strcmp(m, "sigbus")) {
		char name[] = "/tmp/selfhandled.XXXXXX";
		int fd = mkstemp(name), n = 0;
		unlink(name);
		if (fd < 0 || ftruncate(fd, 10) != 0)
			return 2;
		volatile char *f = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
		set(SIGBUS, jump, 0, 0);
		for (int i = 0; i < 3; i++) {
			if (sigsetjmp(tjb, 1)) {
				n++;
				continue;
			}
			(void)f[4096];
		}
		printf("caught %d SIGBUS\n", n);
	} else if (!strcmp(m, "sigill")) {
		set(SIGILL, skip_ud2, 0, 1);
		for (int i = 0; i < 3; i++)
			__asm__ volatile("ud2");
		printf("stepped over %d ud2\n", hits);
	} else if (!strcmp(m, "nested")) {
		set(SIGSEGV, segv_then_fpe, 0, 1);
		set(SIGFPE, skip_idiv, 0, 1);
		divisor = 0;
		*(volatile char *)page = 1;
		printf("nested: %d handlers returned\n", hits);
	} else if (!strcmp(m, "mask")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = mask_handler;
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGUSR1);
		sigaction(SIGSEGV, &sa, NULL);
		*(volatile char *)page = 1;
		fresh_page();
		sa.sa_flags = SA_NODEFER;
		sigaction(SIGSEGV, &sa, NULL);
		*(volatile char *)page = 1;
		print_mask("after");
	} else if (!strcmp(m, "actions")) {
		struct sigaction sa, o;
		memset(&o, 0xab, sizeof o);
		sigaction(SIGFPE, NULL, &o);
		printf("initial: dfl %d flags %#x restorer %d mask0 %#lx mask1 %#lx\n", o.sa_handler == SIG_DFL, o.sa_flags,
		       o.sa_restorer != NULL, ((unsigned long *)&o.sa_mask)[0], ((unsigned long *)&o.sa_mask)[1]);
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = to_default;
		sa.sa_flags = SA_RESTART | SA_ONSTACK;
		sigfillset(&sa.sa_mask);
		sigaction(SIGFPE, &sa, NULL);
		memset(&o, 0xab, sizeof o);
		sigaction(SIGFPE, &sa, &o);
		printf("set: ours %d flags %#x restorer %d mask0 %#lx mask1 %#lx\n", o.sa_handler == to_default, o.sa_flags,
		       o.sa_restorer != NULL, ((unsigned long *)&o.sa_mask)[0], ((unsigned long *)&o.sa_mask)[1]);
		printf("signal returns ours: %d\n", signal(SIGFPE, SIG_IGN) == to_default);
		printf("then SIG_IGN: %d\n", signal(SIGFPE, SIG_DFL) == SIG_IGN);
		sa.sa_flags = 0x10000000 | 0x400; /* SA_RESTART and an unknown bit */
		printf("unknown flag: %d\n", sigaction(SIGFPE, &sa, NULL));
		sigaction(SIGFPE, NULL, &o);
		printf("kept flags %#x\n", o.sa_flags);
		printf("bad signal: %d\n", sigaction(SIGKILL, &sa, NULL));
	} else if (!strcmp(m, "thread")) {
		pthread_attr_t a;
		pthread_t t[4];
		long total = 0;
		void *r;
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 65536);
		set(SIGSEGV, jump, 0, 0);
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], &a, thread_faults, NULL);
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], &r);
			total += (long)r;
		}
		printf("threads caught %ld faults\n", total);
	} else if (!strcmp(m, "stale")) {
		set(SIGSEGV, jump, 0, 0);
		if (!sigsetjmp(tjb, 1))
			*(volatile char *)page = 1;
		puts("left the handler");
		deep_exit(4);
	} else if (!strcmp(m, "longjmp")) {
		set(SIGSEGV, plain_jump, SA_NODEFER, 0);
		if (!setjmp(pjb))
			*(volatile char *)page = 1;
		puts("left the handler");
		deep_exit(4);
	} else if (!strcmp(m, "vfork")) {
		pid_t p;
		int st;
		signal(SIGSEGV, exit7);
		p = vfork();
		if (p == 0) {
			struct sigaction c;
			sigaction(SIGSEGV, NULL, &c);
			say(c.sa_handler == exit7 ? "child reads the handler\n" : "child reads something else\n");
			say(signal(SIGSEGV, SIG_DFL) == exit7 ? "signal() returns it\n" : "signal() returns something else\n");
			sigaction(SIGSEGV, NULL, &c);
			say(c.sa_handler == SIG_DFL ? "child now SIG_DFL\n" : "child not SIG_DFL\n");
			execl("/bin/true", "true", (char *)0);
			_exit(127);
		}
		waitpid(p, &st, 0);
		sigaction(SIGSEGV, NULL, &q);
		printf("parent reads %s\n", q.sa_handler == exit7 ? "its handler" : "something else");
		*(volatile char *)page = 1;
	} else if (!strcmp(m, "sent")) {
		signal(SIGABRT, exit5);
		if (fork() == 0) {
			/* once the parent waits in pause(), not while it is still in fork's return path
			 * (inside the shim, whose lines a handler's exit then cannot add to); seen in
			 * /proc, not after a fixed 100 ms */
			until_in_syscall(getppid(), NR_PAUSE, -1);
			kill(getppid(), SIGABRT);
			_exit(0);
		}
		for (;;)
			pause();
	} else if (!strcmp(m, "maps")) {
		pthread_t t[64];
		int before = count_maps(), after;
		pthread_barrier_init(&hold, NULL, 65);
		for (int i = 0; i < 64; i++)
			pthread_create(&t[i], NULL, wait_here, NULL);
		pthread_barrier_wait(&hold);
		after = count_maps();
		pthread_barrier_wait(&hold);
		for (int i = 0; i < 64; i++)
			pthread_join(t[i], NULL);
		printf("mappings per thread: %d\n", (after - before + 32) / 64);
	} else {
		return 2;
	}
	return 0;
}

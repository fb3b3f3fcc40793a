/* review/faults.c MODE [N]: handled faults of kinds 01/02/03, each a different shape from the
 * cases. Prints one line per mode (and what the handler reads: its mask, flags, stack). */
#include "state.h"
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>

static sigjmp_buf jb;
static volatile int hits;
static char *page;
static long pgsz;
static volatile int zero = 0;
static __thread sigjmp_buf tjb;
static int saw_mask_bad, saw_onstack_bad, want_onstack;
static sigset_t want_mask;
static int check;

static void check_in_handler(void)
{
	if (!check) return;
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	for (int i = 1; i <= 64; i++)
		if (sigismember(&m, i) != sigismember(&want_mask, i)) saw_mask_bad++;
	stack_t ss;
	sigaltstack(NULL, &ss);
	if (!!(ss.ss_flags & SS_ONSTACK) != want_onstack) saw_onstack_bad++;
}

static void h_jmp(int s) { hits++; check_in_handler(); siglongjmp(jb, s); }
static void h_tjmp(int s) { hits++; siglongjmp(tjb, s); }
static void h_ljmp(int s) { hits++; longjmp(*(jmp_buf *)&jb, s); } /* no mask restore: NODEFER */

static void h_fix(int s, siginfo_t *si, void *uc)
{
	(void)s; (void)uc;
	hits++;
	mprotect((void *)((uintptr_t)si->si_addr & ~(pgsz - 1)), pgsz, PROT_READ | PROT_WRITE);
}

static size_t big;
static void h_big(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	volatile char buf[big ? 1 : 1]; (void)buf;
	char *p = __builtin_alloca(big);
	memset(p, s, big);                           /* touches every byte of `big' */
	__asm__ volatile("" ::"r"(p) : "memory");
	check_in_handler();
	hits++;
	mprotect((void *)((uintptr_t)si->si_addr & ~(pgsz - 1)), pgsz, PROT_READ | PROT_WRITE);
}

static void inst(int s, void (*h)(int), int flags)
{
	struct sigaction sa = {0};
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(s, &sa, NULL);
}
static void inst3(int s, void (*h)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = h;
	sa.sa_flags = flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(s, &sa, NULL);
}

static void fault(int sig)
{
	switch (sig) {
	case SIGSEGV: *(volatile int *)(uintptr_t)16 = 1; break;
	case SIGFPE: { int a = 1, d = zero; __asm__ volatile("cltd; idivl %1" : "+a"(a) : "r"(d) : "edx"); break; }
	case SIGILL: __asm__ volatile("ud2"); break;
	case SIGBUS: {
		/* a file mapping past the file's end: SIGBUS on access */
		static char *m;
		if (!m) {
			char t[] = "/tmp/u8busXXXXXX";
			int fd = mkstemp(t);
			unlink(t);
			m = mmap(NULL, pgsz, PROT_READ, MAP_SHARED, fd, 0);
			close(fd);
		}
		(void)*(volatile char *)m;
		break;
	}
	case SIGTRAP: __asm__ volatile("int3"); break;
	}
}

static long now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000L + t.tv_nsec; }

static void *thr_ljmp(void *a)
{
	int n = (int)(intptr_t)a, ok = 0;
	for (int i = 0; i < n; i++)
		if (sigsetjmp(tjb, 1) == 0) fault(SIGSEGV); else ok++;
	return (void *)(intptr_t)ok;
}

static void *thr_write_page(void *a) { page[0] = 1; return a; }

static int cmpl(const void *a, const void *b) { long x = *(long *)a, y = *(long *)b; return x < y ? -1 : x > y; }

/* faults handled during teardown: from an atexit handler and a pthread key destructor */
static int td_n;
static void td_ljmp(void)
{
	int ok = 0;
	for (int i = 0; i < td_n; i++) if (sigsetjmp(jb, 1) == 0) fault(i & 1 ? SIGSEGV : SIGFPE); else ok++;
	printf("atexit: %d/%d faults handled\n", ok, td_n);
}
static void td_gc(void)
{
	char *a = mmap(NULL, td_n * pgsz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < td_n; i++) a[i * pgsz] = 1;
	printf("teardown gc: %d faults handled\n", hits);
}
static void td_key(void *p) { (void)p; td_gc(); }
static void *td_thr(void *k) { pthread_setspecific(*(pthread_key_t *)k, (void *)1); return NULL; }

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pgsz = sysconf(_SC_PAGESIZE);
	const char *m = argv[1];
	int n = argc > 2 ? atoi(argv[2]) : 1000;
	if (!strcmp(m, "atexit_ljmp") || !strcmp(m, "atexit_gc") || !strcmp(m, "keydtor_gc")) {
		td_n = n;
		inst(SIGFPE, h_jmp, 0);
		if (!strcmp(m, "atexit_ljmp")) { inst(SIGSEGV, h_jmp, 0); atexit(td_ljmp); }
		else inst3(SIGSEGV, h_fix, 0);
		if (!strcmp(m, "atexit_gc")) atexit(td_gc);
		if (!strcmp(m, "keydtor_gc")) {
			static pthread_key_t k;
			pthread_key_create(&k, td_key);
			pthread_t t; pthread_create(&t, NULL, td_thr, &k); pthread_join(t, NULL);
		}
		exit(0);
	}
	if (!strcmp(m, "ljmp")) {
		/* siglongjmp out of SIGSEGV, SIGFPE, SIGBUS, SIGILL, SIGTRAP handlers, interleaved */
		int sigs[] = {SIGSEGV, SIGFPE, SIGBUS, SIGILL, SIGTRAP};
		for (int k = 0; k < 5; k++) inst(sigs[k], h_jmp, 0);
		check = 1;
		want_onstack = 0;
		int ok = 0;
		for (int i = 0; i < n; i++) {
			int s = sigs[i % 5];
			sigemptyset(&want_mask); sigaddset(&want_mask, SIGUSR2); sigaddset(&want_mask, s);
			if (sigsetjmp(jb, 1) == 0) fault(s); else ok++;
		}
		sigset_t cur; sigprocmask(SIG_SETMASK, NULL, &cur);
		printf("ljmp: %d/%d faults handled, hits %d, mask bad %d, onstack bad %d\n", ok, n, hits, saw_mask_bad, saw_onstack_bad);
		st_set("ljmp", "mask after", &cur);
	} else if (!strcmp(m, "nodefer")) {
		inst(SIGSEGV, h_ljmp, SA_NODEFER);
		int ok = 0;
		for (int i = 0; i < n; i++)
			if (setjmp(*(jmp_buf *)&jb) == 0) fault(SIGSEGV); else ok++;
		printf("nodefer longjmp (no mask restore): %d/%d\n", ok, n);
	} else if (!strcmp(m, "resethand")) {
		/* SA_RESETHAND: the first fault is handled, the handler is reset to SIG_DFL: the second
		 * fault kills with SIGSEGV (expected), after printing the state the program reads */
		inst(SIGSEGV, h_jmp, SA_RESETHAND);
		if (sigsetjmp(jb, 1) == 0) fault(SIGSEGV);
		struct sigaction sa; sigaction(SIGSEGV, NULL, &sa);
		printf("resethand: hits %d, handler now %s flags %#x\n", hits, sa.sa_handler == SIG_DFL ? "DFL" : "other", (unsigned)sa.sa_flags);
		fault(SIGSEGV);
		printf("not reached\n");
	} else if (!strcmp(m, "resethand_nodefer")) {
		inst(SIGFPE, h_jmp, SA_RESETHAND | SA_NODEFER);
		if (sigsetjmp(jb, 1) == 0) fault(SIGFPE);
		printf("resethand_nodefer: hits %d\n", hits);
		fault(SIGFPE);
	} else if (!strcmp(m, "threads_ljmp")) {
		/* 4 threads, each siglongjmps out of its own faults, n each */
		inst(SIGSEGV, h_tjmp, 0);
		pthread_t t[4];
		for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, thr_ljmp, (void *)(intptr_t)n);
		long ok = 0;
		for (int i = 0; i < 4; i++) { void *r; pthread_join(t[i], &r); ok += (intptr_t)r; }
		printf("threads_ljmp: %ld/%d\n", ok, 4 * n);
	} else if (!strcmp(m, "gc")) {
		/* GC write barrier: n pages; prints the median microseconds per handled fault to stderr
		 * only if U8_TIME is set */
		inst3(SIGSEGV, h_fix, 0);
		char *a = mmap(NULL, n * pgsz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long *ts = malloc(n * sizeof *ts);
		for (int i = 0; i < n; i++) {
			long t0 = now_ns();
			a[i * pgsz] = 1;
			ts[i] = now_ns() - t0;
		}
		qsort(ts, n, sizeof *ts, cmpl);
		printf("gc: %d faults handled\n", hits);
		if (getenv("U8_TIME")) fprintf(stderr, "gc median %.2f us p90 %.2f us\n", ts[n / 2] / 1e3, ts[n * 9 / 10] / 1e3);
	} else if (!strcmp(m, "bus_fix")) {
		/* SIGBUS on a file mapping past EOF: the handler extends the file and returns */
		char t[] = "/tmp/u8busXXXXXX";
		int fd = mkstemp(t);
		unlink(t);
		char *mm = mmap(NULL, 4 * pgsz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		static int bfd; bfd = fd;
		struct sigaction sa = {0};
		sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))(void *)0;
		(void)sa;
		int ok = 0;
		for (int i = 0; i < 4; i++) {
			inst(SIGBUS, h_jmp, 0);
			if (sigsetjmp(jb, 1) == 0) { mm[i * pgsz] = 'x'; ok++; }
			else { ftruncate(bfd, (i + 1) * pgsz); mm[i * pgsz] = 'x'; ok++; }
		}
		printf("bus_fix: %d writes, %d SIGBUS\n", ok, hits);
	} else if (!strncmp(m, "big", 3)) {
		/* bigalt KB: handler on the program's own 1 MiB sigaltstack uses KB;
		 * bigmain KB: no SA_ONSTACK, on the main thread stack; bigthr KB: the same in a thread */
		big = (size_t)n * 1024;
		int onstack = !strcmp(m, "bigalt");
		if (onstack) {
			stack_t ss = { .ss_sp = malloc(1 << 20), .ss_size = 1 << 20 };
			sigaltstack(&ss, NULL);
		}
		inst3(SIGSEGV, h_big, onstack ? SA_ONSTACK : 0);
		check = 1;
		want_onstack = onstack;
		sigemptyset(&want_mask); sigaddset(&want_mask, SIGSEGV);
		page = mmap(NULL, pgsz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (!strcmp(m, "bigthr")) {
			pthread_t t;
			pthread_create(&t, NULL, thr_write_page, NULL);
			pthread_join(t, NULL);
		} else page[0] = 1;
		printf("%s %d KiB: hits %d, mask bad %d, onstack bad %d\n", m, n, hits, saw_mask_bad, saw_onstack_bad);
	} else if (!strcmp(m, "default_segv")) {
		printf("before\n");
		fault(SIGSEGV);
	} else if (!strcmp(m, "abort_handled")) {
		/* SIGABRT handled with siglongjmp (abort() blocks nothing else): the program goes on */
		inst(SIGABRT, h_jmp, 0);
		int ok = 0;
		for (int i = 0; i < 5; i++) if (sigsetjmp(jb, 1) == 0) abort(); else ok++;
		printf("abort_handled: %d\n", ok);
	}
	return 0;
}

/* hostile16.c MODE: programs of kinds HOSTILE15 had not tried (issue 14), one mode each: io_uring,
 * raw clone(CLONE_VM) threads and processes without glibc, pidfd_open/pidfd_send_signal, close_range
 * of every fd then exec, PR_SET_PDEATHSIG delivered, a subreaper reaping orphans, personality,
 * /proc/self/maps scanned as a conservative GC does, auxv, SIGSTOP/SIGCONT of itself,
 * ptrace(TRACEME), rseq, SS_DISABLE then signals, RLIMIT_STACK then exec, pid 1 of a pid
 * namespace, Go-style SA_ONSTACK handlers of every signal, a signalfd + epoll event loop.
 * review/run-hostile16.sh */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *self;
static volatile sig_atomic_t hits[65];
static void h(int s) { hits[s]++; }
static void hq(int s, siginfo_t *si, void *uc) { (void)si; (void)uc; hits[s]++; }
static void st(const char *what, int status)
{
	if (WIFEXITED(status)) printf("%s: exit %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status)) printf("%s: signal %d\n", what, WTERMSIG(status));
	else if (WIFSTOPPED(status)) printf("%s: stopped %d\n", what, WSTOPSIG(status));
	else printf("%s: status %#x\n", what, status);
}
static void on(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {0}; sa.sa_handler = fn; sa.sa_flags = flags; sigaction(sig, &sa, NULL);
}

/* --- io_uring, raw system calls (no liburing on the host) --- */
struct ring { int fd; unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask; struct io_uring_sqe *sqes; struct io_uring_cqe *cqes; };
static int ring_setup(struct ring *r)
{
	struct io_uring_params p = {0};
	r->fd = syscall(__NR_io_uring_setup, 8, &p);
	if (r->fd < 0) return -1;
	char *sq = mmap(0, p.sq_off.array + p.sq_entries * 4, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	char *cq = mmap(0, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail); r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask); r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head); r->cq_tail = (unsigned *)(cq + p.cq_off.tail); r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}
static void ring_submit(struct ring *r, int op, int fd, void *buf, unsigned len, uint64_t data)
{
	unsigned t = *r->sq_tail, i = t & *r->sq_mask;
	memset(&r->sqes[i], 0, sizeof r->sqes[i]);
	r->sqes[i].opcode = op; r->sqes[i].fd = fd; r->sqes[i].addr = (uintptr_t)buf; r->sqes[i].len = len; r->sqes[i].user_data = data;
	r->sq_array[i] = i;
	__atomic_store_n(r->sq_tail, t + 1, __ATOMIC_RELEASE);
}
static int ring_enter(struct ring *r, unsigned submit, unsigned wait)
{
	return syscall(__NR_io_uring_enter, r->fd, submit, wait, wait ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
}
static void ring_reap(struct ring *r, const char *tag)
{
	while (*r->cq_head != __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
		struct io_uring_cqe *c = &r->cqes[*r->cq_head & *r->cq_mask];
		printf("%s cqe %llu res %d\n", tag, (unsigned long long)c->user_data, c->res);
		__atomic_store_n(r->cq_head, *r->cq_head + 1, __ATOMIC_RELEASE);
	}
}
static struct ring exit_ring;
static int exit_pipe[2];
static void uring_atexit(void)
{
	/* a read that waits at exit, completed by a child 300 ms later */
	char b[16];
	ring_submit(&exit_ring, IORING_OP_READ, exit_pipe[0], b, sizeof b, 9);
	int n = ring_enter(&exit_ring, 1, 1);
	printf("atexit enter %d\n", n);
	ring_reap(&exit_ring, "atexit");
}
static int m_uring(int argc, char **argv)
{
	struct ring r;
	if (ring_setup(&r)) { printf("io_uring_setup: %s\n", strerror(errno)); return 0; }
	ring_submit(&r, IORING_OP_NOP, -1, NULL, 0, 1);
	printf("enter %d\n", ring_enter(&r, 1, 1));
	ring_reap(&r, "nop");
	/* a read of a pipe nobody writes, waited for, cut by SIGALRM (no SA_RESTART) */
	int p[2]; pipe(p);
	char buf[32];
	on(SIGALRM, h, 0);
	ualarm(200000, 0);
	ring_submit(&r, IORING_OP_READ, p[0], buf, sizeof buf, 2);
	int n = ring_enter(&r, 1, 1);
	printf("enter %d errno %s alrm %d\n", n, n < 0 ? strerror(errno) : "-", hits[SIGALRM]);
	write(p[1], "abc", 3);
	ring_enter(&r, 0, 1);
	ring_reap(&r, "read");
	if (argc > 2 && !strcmp(argv[2], "exit")) {
		exit_ring = r; pipe(exit_pipe);
		if (!fork()) { usleep(300000); write(exit_pipe[1], "late", 4); _exit(0); }
		atexit(uring_atexit);
	}
	if (argc > 2 && !strcmp(argv[2], "term")) {
		/* SIGTERM with the default action while io_uring_enter waits */
		if (!fork()) { usleep(200000); kill(getppid(), SIGTERM); _exit(0); }
		ring_submit(&r, IORING_OP_READ, p[0], buf, sizeof buf, 3);
		fflush(stdout);
		ring_enter(&r, 1, 1);
		printf("not reached\n");
	}
	return 7;
}

/* --- raw clone(CLONE_VM) without glibc: the child runs on the parent's TLS (no CLONE_SETTLS) --- */
static volatile int child_word;
static sigjmp_buf jb_vm;
static void vm_segv(int s) { hits[s]++; siglongjmp(jb_vm, 1); }
static int vm_thread(void *a)
{
	long what = (long)a;
	child_word = 1;
	if (what == 1) syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);   /* a handler of the program's */
	if (what == 2) { while (!child_word || child_word == 1) syscall(SYS_sched_yield); }
	if (what == 3) syscall(SYS_kill, syscall(SYS_getpid), SIGTERM);              /* default action */
	if (what == 4) *(volatile int *)8 = 1;                                          /* default SIGSEGV */
	if (what == 5) syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_gettid), SIGABRT);
	if (what == 6) syscall(SYS_kill, syscall(SYS_getpid), SIGINT);                 /* a handler of the program's, on the parent's TLS */
	if (what == 7) { if (!sigsetjmp(jb_vm, 1)) *(volatile int *)8 = 1; }            /* a handled fault, left by siglongjmp */
	child_word = 3;
	syscall(SYS_exit, 5);
	return 0;
}
static int m_clonevm(int argc, char **argv)
{
	(void)argc; (void)argv;
	on(SIGUSR1, h, 0);
	size_t sz = 256 * 1024;
	for (long what = 0; what <= 7; what++) {
		if (what == 6) on(SIGINT, h, 0);
		if (what == 7) on(SIGSEGV, vm_segv, SA_NODEFER);
		char *stk = mmap(0, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		child_word = 0;
		/* a process sharing the memory (posix_spawn's way), reaped with waitpid */
		pid_t c = clone(vm_thread, stk + sz, CLONE_VM | SIGCHLD, (void *)what);
		if (what == 2) { while (child_word != 1) sched_yield(); kill(c, SIGTERM); }
		int s; waitpid(c, &s, 0);
		char tag[32]; snprintf(tag, sizeof tag, "clone_vm %ld", what); st(tag, s);
		munmap(stk, sz);
	}
	/* a thread of the process without glibc (CLONE_THREAD), exits by SYS_exit */
	char *stk = mmap(0, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	child_word = 0;
	clone(vm_thread, stk + sz, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, (void *)1);
	while (child_word != 3) sched_yield();
	usleep(20000);
	printf("thread done, usr1 %d int %d segv %d\n", hits[SIGUSR1], hits[SIGINT], hits[SIGSEGV]);
	return 0;
}

/* --- pidfd --- */
static int m_pidfd(int argc, char **argv)
{
	(void)argc; (void)argv;
	on(SIGUSR1, h, 0);
	pid_t c = fork();
	if (!c) { pause(); _exit(1); }
	int fd = syscall(SYS_pidfd_open, c, 0);
	printf("pidfd_open %s\n", fd >= 0 ? "ok" : strerror(errno));
	usleep(50000);
	printf("send %ld\n", syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
	struct pollfd pf = {fd, POLLIN, 0};
	printf("poll %d\n", poll(&pf, 1, 5000));
	siginfo_t si = {0};
	printf("waitid %d\n", waitid(P_PIDFD, fd, &si, WEXITED));
	printf("code %d status %d\n", si.si_code, si.si_status);
	close(fd);
	int me = syscall(SYS_pidfd_open, getpid(), 0);
	siginfo_t q = {0}; q.si_signo = SIGUSR1; q.si_code = SI_QUEUE; q.si_value.sival_int = 3;
	printf("self send %ld usr1 %d\n", syscall(SYS_pidfd_send_signal, me, SIGUSR1, &q, 0), hits[SIGUSR1]);
	fflush(stdout);
	if (argc > 2) syscall(SYS_pidfd_send_signal, me, atoi(argv[2]), NULL, 0);
	printf("alive\n");
	return 0;
}

/* --- close_range of every fd, then exec: the new image opens files from 0 --- */
static int m_closeall(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[2], "child")) {
		int a = open("/dev/null", O_RDONLY);
		int b = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int c = dup(b);
		dprintf(b, "after exec: %d %d %d\n", a, b, c);
		char line[256]; ssize_t n = readlink("/proc/self/fd/0", line, sizeof line - 1); line[n > 0 ? n : 0] = 0;
		dprintf(b, "fd 0 is %s\n", line);
		return 3;
	}
	syscall(SYS_close_range, 0, ~0U, 0);
	execl(self, self, "closeall", "child", argv[2], (char *)0);
	return 127;
}

/* --- PR_SET_PDEATHSIG delivered, reaped by a subreaper --- */
static int m_pdeathsig(int argc, char **argv)
{
	int sig = argc > 2 ? atoi(argv[2]) : SIGTERM;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int p[2]; pipe(p);
	pid_t mid = fork();
	if (!mid) {
		pid_t c = fork();
		if (!c) {
			close(p[0]);
			if (argc > 3) on(sig, h, 0);
			prctl(PR_SET_PDEATHSIG, sig);
			write(p[1], "r", 1);
			while (!hits[sig]) pause();
			write(p[1], "h", 1);
			_exit(4);
		}
		char x; read(p[0], &x, 1);
		_exit(2);   /* its child gets sig */
	}
	close(p[1]);
	int s, n = 0; pid_t w;
	while ((w = wait(&s)) > 0) { st(w == mid ? "middle" : "orphan", s); n++; }
	char b[8]; ssize_t k = read(p[0], b, sizeof b);
	printf("reaped %d, pipe %.*s\n", n, (int)(k > 0 ? k : 0), b);
	return 0;
}

/* --- a subreaper that reaps a tree of orphans with wait(-1), including ones that crash --- */
static int m_subreaper(int argc, char **argv)
{
	(void)argc; (void)argv;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (int i = 0; i < 4; i++) {
		if (!fork()) {
			if (!fork()) {
				if (!fork()) { usleep(100000); if (i == 1) *(volatile int *)0 = 0; if (i == 2) abort(); if (i == 3) raise(SIGTERM); _exit(10 + i); }
				usleep(50000 * i); _exit(20 + i);
			}
			_exit(30 + i);
		}
	}
	int s, codes[256] = {0}; pid_t w;
	while ((w = wait(&s)) > 0) codes[WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s)]++;
	for (int i = 0; i < 256; i++) if (codes[i]) printf("status %d x%d\n", i, codes[i]);
	printf("wait: %s\n", strerror(errno));
	return 0;
}

/* --- personality, then exec: the flags carried over --- */
static int m_personality(int argc, char **argv)
{
	if (argc > 2) { printf("after exec: %#x\n", personality(0xffffffff)); return 0; }
	printf("before: %#x\n", personality(0xffffffff));
	personality(ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC | ADDR_COMPAT_LAYOUT);
	printf("set: %#x\n", personality(0xffffffff));
	fflush(stdout);
	execl(self, self, "personality", "x", (char *)0);
	return 127;
}

/* --- /proc/self/maps: a conservative GC reads every readable private mapping; W^X audit; stack
 * bounds; auxv as read back --- */
static int m_maps(int argc, char **argv)
{
	(void)argc; (void)argv;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512]; int rwx = 0, scanned = 0; unsigned long sp = (unsigned long)&line, in_stack = 0;
	volatile unsigned long sum = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b; char perm[8] = "";
		sscanf(line, "%lx-%lx %7s", &a, &b, perm);
		if (perm[0] == 'r' && perm[1] == 'w' && perm[2] == 'x') rwx++;
		if (strstr(line, "[stack]") && sp >= a && sp < b) in_stack = 1;
		if (strstr(line, "[vvar]") || strstr(line, "[vsyscall]")) continue;
		if (perm[0] == 'r' && perm[1] == 'w') {   /* root scan: every page of every rw mapping */
			for (unsigned long p = a; p < b; p += 4096) sum += *(volatile unsigned char *)p;
			scanned++;
		}
	}
	fclose(f);
	printf("rwx mappings %d, sp in [stack] %lu, scanned something %d\n", rwx, in_stack, scanned > 0);
	/* auxv read from /proc against getauxval */
	int fd = open("/proc/self/auxv", O_RDONLY); unsigned long av[128]; ssize_t n = read(fd, av, sizeof av); close(fd);
	int bad = 0;
	for (ssize_t i = 0; i + 1 < n / 8 && av[i]; i += 2) if (getauxval(av[i]) != av[i + 1]) bad++;
	printf("auxv entries agree: %s; AT_SECURE %lu\n", bad ? "no" : "yes", getauxval(AT_SECURE));
	/* the main thread's stack as pthread sees it */
	pthread_attr_t at; void *base; size_t size;
	pthread_getattr_np(pthread_self(), &at); pthread_attr_getstack(&at, &base, &size);
	printf("sp within pthread stack: %d\n", sp >= (unsigned long)base && sp < (unsigned long)base + size);
	return 0;
}

/* --- SIGSTOP of itself (main, a thread, at exit), continued by its parent --- */
static void stop_atexit(void) { printf("atexit stop\n"); fflush(stdout); raise(SIGSTOP); printf("atexit continued, cont %d\n", hits[SIGCONT]); }
static void *stop_thread(void *a) { (void)a; raise(SIGSTOP); return NULL; }
static int m_sigstop(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int delay = argc > 2 ? atoi(argv[2]) : 100;
	pid_t c = fork();
	if (!c) {
		on(SIGCONT, h, SA_RESTART);
		raise(SIGSTOP);
		printf("child continued, cont %d\n", hits[SIGCONT]);
		pthread_t t; pthread_create(&t, NULL, stop_thread, NULL); pthread_join(t, NULL);
		printf("thread continued\n");
		atexit(stop_atexit);
		kill(getpid(), SIGTSTP);   /* default action: stop */
		printf("tstp continued\n");
		exit(6);
	}
	int s, stops = 0;
	for (;;) {
		waitpid(c, &s, WUNTRACED | WCONTINUED);
		if (WIFSTOPPED(s)) { stops++; printf("stopped by %d\n", WSTOPSIG(s)); usleep(delay * 1000); kill(c, SIGCONT); continue; }
		if (WIFCONTINUED(s)) continue;
		break;
	}
	st("child", s);
	printf("stops %d\n", stops);
	return 0;
}

/* --- ptrace(TRACEME): the tracer sees every signal-delivery stop of its child --- */
static sigjmp_buf jb;
static void segv_jump(int s) { (void)s; siglongjmp(jb, 1); }
static void traceme_atexit(void) { raise(SIGUSR2); }
static int m_traceme(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int how = argc > 2 ? atoi(argv[2]) : 0;
	pid_t c = fork();
	if (!c) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		on(SIGUSR1, h, 0); on(SIGUSR2, h, 0); on(SIGSEGV, segv_jump, SA_NODEFER);
		kill(getpid(), SIGUSR1);
		if (!sigsetjmp(jb, 1)) *(volatile int *)16 = 1;
		atexit(traceme_atexit);
		if (how == 1) { signal(SIGTERM, SIG_DFL); raise(SIGTERM); }
		if (how == 2) { signal(SIGSEGV, SIG_DFL); *(volatile int *)16 = 1; }
		if (how == 3) execl("/bin/true", "true", (char *)0);
		exit(hits[SIGUSR1] + 10 * hits[SIGUSR2]);
	}
	int s;
	for (;;) {
		if (waitpid(c, &s, 0) < 0) break;
		if (WIFSTOPPED(s)) {
			int sig = WSTOPSIG(s);
			printf("stop %d\n", sig);
			ptrace(PTRACE_CONT, c, 0, sig == SIGSTOP || sig == SIGTRAP ? 0 : sig);
			continue;
		}
		break;
	}
	st("child", s);
	return 0;
}

/* --- rseq: glibc's registration in main and threads; a program's own with the tunable off --- */
static void *rseq_th(void *a)
{
	(void)a;
	extern const ptrdiff_t __rseq_offset __attribute__((weak)); extern const unsigned int __rseq_size __attribute__((weak));
	if (&__rseq_size && __rseq_size) {
		volatile int32_t *cpu = (int32_t *)((char *)__builtin_thread_pointer() + __rseq_offset + 4);
		return (void *)(long)(*cpu >= 0);
	}
	return (void *)2L;
}
struct my_rseq { uint32_t cpu_id_start, cpu_id; uint64_t cs; uint32_t flags; } __attribute__((aligned(32)));
static __thread struct my_rseq my_rseq_area;
static void *own_rseq_th(void *a)
{
	(void)a;
	my_rseq_area.cpu_id = (uint32_t)-1;
	long r = syscall(SYS_rseq, &my_rseq_area, sizeof my_rseq_area, 0, 0x53053053);
	return (void *)(long)(r == 0 ? ((int32_t)my_rseq_area.cpu_id >= 0) : -errno);
}
static int m_rseq(int argc, char **argv)
{
	extern const unsigned int __rseq_size __attribute__((weak));
	int own = argc > 2;
	printf("glibc rseq size %u\n", &__rseq_size ? __rseq_size : 0);
	void *r; pthread_t t;
	if (!own) {
		printf("main %ld\n", (long)rseq_th(NULL));
		for (int i = 0; i < 3; i++) { pthread_create(&t, NULL, rseq_th, NULL); pthread_join(t, &r); printf("thread %ld\n", (long)r); }
	} else {
		printf("main own %ld\n", (long)own_rseq_th(NULL));
		for (int i = 0; i < 3; i++) { pthread_create(&t, NULL, own_rseq_th, NULL); pthread_join(t, &r); printf("thread own %ld\n", (long)r); }
	}
	return 0;
}

/* --- SS_DISABLE: the program turns the main thread's signal stack off, then takes signals --- */
static char *stack_lo, *stack_hi;
static volatile int on_main_stack;
static void where(int s) { char x; hits[s]++; on_main_stack = &x > stack_lo && &x < stack_hi; }
static void segv_where(int s) { where(s); siglongjmp(jb, 1); }
static void *ssd_thread(void *a)
{
	(void)a;
	stack_t off = {.ss_flags = SS_DISABLE}; sigaltstack(&off, NULL);
	char x; stack_lo = &x - 1000000; stack_hi = &x + 4096;
	raise(SIGUSR1);
	printf("thread usr1 on its stack %d\n", on_main_stack);
	return NULL;
}
static int m_ssdisable(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	stack_t old; sigaltstack(NULL, &old);
	stack_t off = {.ss_flags = SS_DISABLE};
	printf("disable %d\n", sigaltstack(&off, NULL));
	stack_t now; sigaltstack(NULL, &now);
	printf("flags %d\n", now.ss_flags);
	char x; stack_lo = &x - 8000000; stack_hi = &x + 4096;
	int sigs[] = {SIGUSR1, SIGTERM, SIGINT, SIGHUP, SIGSEGV};
	for (unsigned i = 0; i < 5; i++) {
		on(sigs[i], sigs[i] == SIGSEGV ? segv_where : where, SA_ONSTACK | SA_NODEFER);
		on_main_stack = 0;
		if (sigs[i] == SIGSEGV) { if (!sigsetjmp(jb, 1)) *(volatile int *)24 = 1; }
		else raise(sigs[i]);
		printf("sig %d on main stack %d\n", sigs[i], on_main_stack);
	}
	pthread_t t; pthread_create(&t, NULL, ssd_thread, NULL); pthread_join(t, NULL);
	if (argc > 2) {   /* then a fatal one with the default action: a stack overflow, or SIGSEGV */
		signal(SIGSEGV, SIG_DFL);
		if (!strcmp(argv[2], "overflow")) { struct rlimit rl = {1 << 20, 1 << 20}; setrlimit(RLIMIT_STACK, &rl); volatile char *p = alloca(16); for (;;) { p = alloca(4096); p[0] = 1; } }
		*(volatile int *)32 = 1;
	}
	return 0;
}

/* --- RLIMIT_STACK then exec --- */
static int deep(int n) { volatile char pad[1024]; pad[0] = n; return n ? deep(n - 1) + pad[0] - n + 1 : 0; }
static int m_rlimstack(int argc, char **argv)
{
	if (argc > 3) { printf("after exec: limit %s, deep %d\n", argv[3], deep(atoi(argv[3]) == 0 ? 100 : 40)); return 0; }
	struct rlimit rl;
	if (!strcmp(argv[2], "unlimited")) rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	else { getrlimit(RLIMIT_STACK, &rl); rl.rlim_cur = atol(argv[2]) * 1024; }
	printf("setrlimit %d\n", setrlimit(RLIMIT_STACK, &rl));
	fflush(stdout);
	execl(self, self, "rlimstack", argv[2], "0", (char *)0);
	return 127;
}

/* --- pid 1 of a pid namespace (run under unshare -p -f): signals with the default action that
 * init sends itself are dropped by the kernel; handled ones arrive --- */
static void term_atexit(void) { raise(SIGTERM); printf("atexit: alive\n"); }
static int m_init(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid %d\n", getpid());
	const char *what = argc > 2 ? argv[2] : "all";
	if (!strcmp(what, "all")) {
		int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTSTP};
		for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
			kill(getpid(), sigs[i]); printf("kill %d: alive\n", sigs[i]);
			raise(sigs[i]); printf("raise %d: alive\n", sigs[i]);
		}
		/* a child that the namespace's init reaps after being orphaned */
		if (!fork()) { if (!fork()) { usleep(50000); _exit(9); } _exit(8); }
		int s; pid_t w; int n = 0;
		while ((w = wait(&s)) > 0) n++;
		printf("reaped %d\n", n);
		on(SIGTERM, h, 0); kill(1, SIGTERM); printf("handled term %d\n", hits[SIGTERM]);
		return 0;
	}
	if (!strcmp(what, "atexit")) { atexit((void (*)(void))abort); return 0; }
	if (!strcmp(what, "abort")) abort();
	if (!strcmp(what, "segv")) *(volatile int *)40 = 1;
	if (!strcmp(what, "exit_term")) atexit(term_atexit);
	if (!strcmp(what, "child_term")) {   /* a child of init killed by SIGTERM from init */
		pid_t c = fork(); if (!c) { pause(); _exit(0); }
		usleep(50000); kill(c, SIGTERM); int s; waitpid(c, &s, 0); st("child", s);
	}
	return 3;
}

/* --- Go-style: every signal handled with SA_ONSTACK|SA_SIGINFO|SA_RESTART, a 32 KiB signal
 * stack per thread, SIGURG preemption at threads, SIGPROF profiling --- */
static volatile int stop_go;
static void *go_m(void *a)
{
	stack_t ss = {.ss_sp = malloc(32768), .ss_size = 32768}; sigaltstack(&ss, NULL);
	volatile unsigned long n = 0;
	while (!stop_go) n++;
	(void)a;
	return NULL;
}
static int m_go(int argc, char **argv)
{
	(void)argc; (void)argv;
	stack_t ss = {.ss_sp = malloc(32768), .ss_size = 32768}; sigaltstack(&ss, NULL);
	for (int s = 1; s < 65; s++) {
		if (s == SIGKILL || s == SIGSTOP || s == 32 || s == 33) continue;
		struct sigaction old, sa = {0};
		sa.sa_sigaction = hq; sa.sa_flags = SA_ONSTACK | SA_SIGINFO | SA_RESTART; sigfillset(&sa.sa_mask);
		sigaction(s, NULL, &old);
		if (old.sa_handler == SIG_IGN && (s == SIGHUP || s == SIGINT)) continue;   /* Go keeps an inherited SIG_IGN */
		if (sigaction(s, &sa, NULL)) printf("sigaction %d failed\n", s);
	}
	pthread_t t[4];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, go_m, NULL);
	struct itimerval it = {{0, 2000}, {0, 2000}}; setitimer(ITIMER_PROF, &it, NULL);
	for (int k = 0; k < 200; k++) { for (int i = 0; i < 4; i++) pthread_kill(t[i], SIGURG); usleep(500); }
	int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGWINCH, 34, 50, 64};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) raise(sigs[i]);
	struct itimerval zero = {0}; setitimer(ITIMER_PROF, &zero, NULL);
	stop_go = 1;
	for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
	printf("urg>0 %d prof>0 %d", hits[SIGURG] > 0, hits[SIGPROF] > 0);
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) printf(" %d:%d", sigs[i], hits[sigs[i]]);
	printf("\n");
	if (argc > 2) { signal(SIGSEGV, SIG_DFL); raise(SIGTERM); printf("after term %d\n", hits[SIGTERM]); exit(2); }
	return 0;
}

/* --- a Node-like loop: SIGINT/SIGTERM/SIGCHLD blocked, read from a signalfd in epoll, with a
 * timer; children exit and one sends the parent SIGTERM --- */
static int m_evloop(int argc, char **argv)
{
	(void)argc; (void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigset_t m; sigemptyset(&m); sigaddset(&m, SIGINT); sigaddset(&m, SIGTERM); sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, NULL);
	int sfd = signalfd(-1, &m, SFD_CLOEXEC | SFD_NONBLOCK);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = sfd}; epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	for (int i = 0; i < 5; i++) if (!fork()) { usleep(20000 * (i + 1)); if (i == 4) kill(getppid(), SIGTERM); _exit(i); }
	int children = 0, term = 0, sum = 0;
	while (!term) {
		struct epoll_event out[4];
		int n = epoll_wait(ep, out, 4, 5000);
		if (n <= 0) { printf("epoll_wait %d\n", n); break; }
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof si) == sizeof si) {
			if (si.ssi_signo == SIGCHLD) { int s; pid_t w; while ((w = waitpid(-1, &s, WNOHANG)) > 0) { children++; sum += WEXITSTATUS(s); } }
			if (si.ssi_signo == SIGTERM) { term = 1; printf("SIGTERM from a child: %d\n", si.ssi_code == SI_USER); }
		}
	}
	int s; while (wait(&s) > 0) { children++; sum += WEXITSTATUS(s); }
	printf("children %d sum %d\n", children, sum);
	sigset_t pend; sigpending(&pend); printf("pending term %d chld %d\n", sigismember(&pend, SIGTERM), sigismember(&pend, SIGCHLD));
	return 0;
}

int main(int argc, char **argv)
{
	self = "/proc/self/exe";
	static char exe[4096]; ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1); if (n > 0) { exe[n] = 0; self = exe; }
	if (argc < 2) return 2;
	struct { const char *n; int (*f)(int, char **); } m[] = {
		{"uring", m_uring}, {"clonevm", m_clonevm}, {"pidfd", m_pidfd}, {"closeall", m_closeall},
		{"pdeathsig", m_pdeathsig}, {"subreaper", m_subreaper}, {"personality", m_personality}, {"maps", m_maps},
		{"sigstop", m_sigstop}, {"traceme", m_traceme}, {"rseq", m_rseq}, {"ssdisable", m_ssdisable},
		{"rlimstack", m_rlimstack}, {"init", m_init}, {"go", m_go}, {"evloop", m_evloop},
	};
	for (unsigned i = 0; i < sizeof m / sizeof *m; i++) if (!strcmp(argv[1], m[i].n)) return m[i].f(argc, argv);
	return 2;
}

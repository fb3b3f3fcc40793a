/* hostile17.c MODE [ARG]: programs of kinds HOSTILE14-16 had not tried (issue 14), one mode each:
 * seccomp filters that trap (SIGSYS to the program's handler) or refuse with an errno the calls the
 * shim makes, /proc/self/task and fd counts at exit, every descriptor dup2'ed over then written at
 * exit, SIGXCPU of RLIMIT_CPU, RLIMIT_SIGPENDING with queued signals, RLIMIT_NPROC as nobody then
 * fork/posix_spawn/clone3, SIGCHLD ignored then wait/system, fork from a signal handler, atfork
 * handlers holding a lock, ITIMER_PROF and timer_create(SIGEV_THREAD_ID) profilers at exit,
 * sigsuspend/sigtimedwait with every signal blocked, a handler that unblocks itself, ucontext
 * registers of a fault, _exit from a thread while others run, execveat, raw unshare(NEWUSER|NEWNS),
 * SS_AUTODISARM, clone3 with exit_signal 0, posix_spawn's SETSIGDEF/SETSIGMASK and closefrom.
 * review/run-hostile17.sh */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

extern char **environ;
static const char *self;
static volatile sig_atomic_t hits[65];
static void h(int s) { hits[s]++; }
static void st(const char *what, int status)
{
	if (WIFEXITED(status)) printf("%s: exit %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status)) printf("%s: signal %d\n", what, WTERMSIG(status));
	else printf("%s: status %#x\n", what, status);
}
static void on(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {0}; sa.sa_handler = fn; sa.sa_flags = flags; sigaction(sig, &sa, NULL);
}
static int count_dir(const char *p)
{
	DIR *d = opendir(p); struct dirent *e; int n = 0;
	if (!d) return -1;
	while ((e = readdir(d))) if (e->d_name[0] != '.') n++;
	closedir(d);
	return n;
}
static void *idle(void *a) { for (;;) pause(); return a; }

/* --- seccomp --- */
#define ARCH_NR AUDIT_ARCH_X86_64
static void filter(int nr, unsigned ret)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = {.len = 4, .filter = f};
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p)) perror("seccomp");
}
/* a filter on write to descriptors above 2 (the trace's), not the program's 1 and 2 */
static void filter_write_high(unsigned ret)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = {.len = 6, .filter = f};
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p)) perror("seccomp");
}
static volatile int sys_nr[8], nsys;
static void on_sys(int s, siginfo_t *si, void *ucv)
{
	(void)s;
	ucontext_t *uc = ucv;
	if (nsys < 8) sys_nr[nsys] = si->si_syscall;
	nsys++;
	uc->uc_mcontext.gregs[REG_RAX] = si->si_syscall == SYS_getppid ? 4242 : -EPERM; /* emulated */
}
static void print_sys(void)
{
	printf("SIGSYS taken %d times:", nsys);
	for (int i = 0; i < nsys && i < 8; i++) printf(" %d", sys_nr[i]);
	printf("\n");
}
static void *thr_sleep(void *a) { struct timespec t = {0, 20000000}; nanosleep(&t, NULL); return a; }
static void m_seccomp(const char *how)
{
	struct sigaction sa = {0}; sa.sa_sigaction = on_sys; sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	if (!strcmp(how, "trap_getppid")) { /* gVisor/Chrome style: a trapped call emulated */
		filter(SYS_getppid, SECCOMP_RET_TRAP);
		printf("getppid %ld\n", (long)syscall(SYS_getppid));
	} else if (!strcmp(how, "trap_write_high")) { /* every write above fd 2 traps */
		filter_write_high(SECCOMP_RET_TRAP);
		int p[2]; pipe(p); printf("write to pipe: %zd errno %d\n", write(p[1], "x", 1), errno);
	} else if (!strcmp(how, "errno_write_high")) {
		filter_write_high(SECCOMP_RET_ERRNO | EPERM);
	} else if (!strcmp(how, "kill_write_high")) {
		filter_write_high(SECCOMP_RET_KILL_PROCESS);
	} else if (!strcmp(how, "trap_clock")) {
		filter(SYS_clock_gettime, SECCOMP_RET_TRAP);
		struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); time(NULL);
	} else if (!strcmp(how, "errno_sigaction")) {
		filter(SYS_rt_sigaction, SECCOMP_RET_ERRNO | EPERM);
		int r = sigaction(SIGUSR1, &sa, NULL);
		printf("sigaction: %d errno %d\n", r, errno);
		r = signal(SIGTERM, SIG_IGN) == SIG_ERR; printf("signal: %d\n", r);
	} else if (!strcmp(how, "trap_sigaction")) {
		filter(SYS_rt_sigaction, SECCOMP_RET_TRAP);
		sigaction(SIGUSR1, &sa, NULL);
	} else if (!strcmp(how, "enosys_clone3")) { /* glibc falls back to clone */
		filter(SYS_clone3, SECCOMP_RET_ERRNO | ENOSYS);
		pthread_t t; printf("pthread_create %d\n", pthread_create(&t, NULL, thr_sleep, NULL)); pthread_join(t, NULL);
	} else if (!strcmp(how, "eperm_clone3")) {
		filter(SYS_clone3, SECCOMP_RET_ERRNO | EPERM);
		pthread_t t; printf("pthread_create %d\n", pthread_create(&t, NULL, thr_sleep, NULL));
	} else if (!strcmp(how, "trap_openat")) {
		filter(SYS_openat, SECCOMP_RET_TRAP);
		printf("fopen %s\n", fopen("/etc/hostname", "r") ? "ok" : "failed");
	} else if (!strcmp(how, "errno_perf")) {
		filter(SYS_perf_event_open, SECCOMP_RET_ERRNO | EACCES);
	} else if (!strcmp(how, "trap_getpid_term")) { /* a trapped getpid, then a default SIGTERM from a child */
		filter(SYS_getpid, SECCOMP_RET_TRAP);
		fflush(stdout);
		kill(syscall(SYS_gettid), SIGTERM);
	} else if (!strcmp(how, "trap_rt_sigprocmask_exit")) {
		filter(SYS_rt_sigprocmask, SECCOMP_RET_TRAP);
		sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); sigprocmask(SIG_BLOCK, &s, NULL);
	} else if (!strcmp(how, "trap_tgkill_abort")) {
		filter(SYS_tgkill, SECCOMP_RET_TRAP);
		print_sys(); fflush(stdout);
		abort(); /* glibc's raise is tgkill: trapped, emulated EPERM; abort then goes on to SIG_DFL and a second raise */
	}
	print_sys();
	fflush(stdout);
	exit(3);
}

/* --- /proc/self counts at exit, every descriptor taken --- */
static void at_counts(void)
{
	printf("atexit: tasks %d fds %d\n", count_dir("/proc/self/task"), count_dir("/proc/self/fd"));
	FILE *f = fopen("/proc/self/status", "r"); char l[256];
	while (f && fgets(l, sizeof l, f)) if (!strncmp(l, "Threads:", 8)) printf("atexit: %s", l);
	if (f) fclose(f);
}
static void m_counts(void)
{
	pthread_t t; pthread_create(&t, NULL, thr_sleep, NULL); pthread_join(t, NULL);
	printf("main: tasks %d fds %d\n", count_dir("/proc/self/task"), count_dir("/proc/self/fd"));
	atexit(at_counts);
	on(SIGTERM, h, 0);
	raise(SIGTERM);
	printf("after SIGTERM: tasks %d\n", count_dir("/proc/self/task"));
}
static const char *fill_path;
static void at_fill(void)
{
	static const char msg[] = "atexit line\n";
	for (int fd = 3; fd < 1024; fd++) write(fd, "", 0);
	write(1000, msg, sizeof msg - 1);
}
static void m_fillfds(const char *path)
{
	/* every descriptor from 3 up to the soft limit made a dup of one file, then the program
	 * writes a line through one of them at exit and in a SIGTERM handler */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl);
	int top = rl.rlim_cur > 4096 ? 4096 : (int)rl.rlim_cur, n = 0;
	fill_path = path;
	for (int i = 3; i < top; i++) if (i != fd && dup2(fd, i) == i) n++;
	printf("dup2 over %d descriptors\n", n);
	fflush(stdout);
	atexit(at_fill);
	on(SIGTERM, h, 0);
	raise(SIGTERM);
	write(1000, "main line\n", 10);
}
static void m_closerange_write(const char *path)
{
	/* close every descriptor above 2, open a file (it gets 3), then open until fd 1000 is ours */
	syscall(SYS_close_range, 3, ~0u, 0);
	int fd, last = -1;
	while ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0 && fd < 1100) last = fd;
	printf("opened up to %d\n", last);
	fflush(stdout);
	on(SIGUSR1, h, 0);
	raise(SIGUSR1);
	pthread_t t; pthread_create(&t, NULL, thr_sleep, NULL); pthread_join(t, NULL);
	exit(0);
}

/* --- limits --- */
static void m_rlimit_cpu(const char *how)
{
	struct rlimit rl = {1, 3};
	if (!strcmp(how, "handled")) on(SIGXCPU, h, 0);
	setrlimit(RLIMIT_CPU, &rl);
	volatile unsigned long x = 0;
	while (!hits[SIGXCPU]) x++;
	printf("SIGXCPU handled\n");
	exit(0);
}
static void m_sigpending(void)
{
	struct rlimit rl = {4, 4};
	if (setgid(65534) || setuid(65534)) { perror("setuid"); exit(2); }
	setrlimit(RLIMIT_SIGPENDING, &rl);
	sigset_t s; sigemptyset(&s);
	for (int i = 0; i < 8; i++) sigaddset(&s, SIGRTMIN + i);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int ok = 0, again = 0;
	for (int i = 0; i < 8; i++) {
		union sigval v = {.sival_int = i};
		if (sigqueue(getpid(), SIGRTMIN + (i % 3), v) == 0) ok++; else if (errno == EAGAIN) again++;
	}
	printf("queued %d, EAGAIN %d\n", ok, again);
	on(SIGTERM, h, 0);
	raise(SIGTERM);
	struct timespec z = {0, 0}; siginfo_t si; int got = 0;
	while (sigtimedwait(&s, &si, &z) > 0) got++;
	printf("taken %d, SIGTERM handled %d\n", got, hits[SIGTERM]);
	exit(0);
}

static void m_nproc(const char *how, int n)
{
	struct rlimit rl = {n, n};
	if (setgid(65534) || setuid(65534)) { perror("setuid"); exit(2); }
	setrlimit(RLIMIT_NPROC, &rl);
	int made = 0, err = 0, pids[64];
	for (int i = 0; i < 64; i++) {
		pid_t p;
		if (!strcmp(how, "fork")) {
			p = fork();
			if (p == 0) { pause(); _exit(0); }
			if (p < 0) { err = errno; break; }
		} else if (!strcmp(how, "spawn")) {
			char *av[] = {"sleep", "5", NULL};
			int r = posix_spawn(&p, "/bin/sleep", NULL, NULL, av, environ);
			if (r) { err = r; break; }
		} else if (!strcmp(how, "vfork")) {
			p = vfork();
			if (p == 0) { execl("/bin/sleep", "sleep", "5", (char *)0); _exit(127); }
			if (p < 0) { err = errno; break; }
		} else if (!strcmp(how, "thread")) {
			pthread_t t;
			int r = pthread_create(&t, NULL, idle, NULL);
			if (r) { err = r; break; }
			made++; continue;
		} else { /* clone3 */
			struct clone_args ca = {.exit_signal = SIGCHLD};
			p = syscall(SYS_clone3, &ca, sizeof ca);
			if (p == 0) { pause(); _exit(0); }
			if (p < 0) { err = errno; break; }
		}
		pids[made++] = p;
	}
	printf("%s under RLIMIT_NPROC %d: %d made, then errno %d\n", how, n, made, err);
	if (strcmp(how, "thread"))
		for (int i = 0; i < made; i++) { kill(pids[i], SIGKILL); waitpid(pids[i], NULL, 0); }
	fflush(stdout);
	_exit(0);
}

/* --- children and SIGCHLD --- */
static void m_chld_ign(const char *how)
{
	if (!strcmp(how, "nocldwait")) on(SIGCHLD, SIG_DFL, SA_NOCLDWAIT);
	else signal(SIGCHLD, SIG_IGN);
	pid_t p = fork();
	if (p == 0) _exit(5);
	int s, r = wait(&s);
	printf("wait: %d errno %d\n", r == p ? 1 : r, r < 0 ? errno : 0);
	r = system("exit 4");
	printf("system: %d errno %d\n", r, r < 0 ? errno : 0);
	exit(0);
}
static volatile pid_t hfork_pid;
static void h_fork(int s) { (void)s; pid_t p = fork(); if (p == 0) _exit(9); hfork_pid = p; }
static void m_fork_handler(const char *how)
{
	on(!strcmp(how, "alrm") ? SIGALRM : SIGUSR1, h_fork, 0);
	if (!strcmp(how, "alrm")) {
		struct itimerval it = {{0, 0}, {0, 20000}};
		setitimer(ITIMER_REAL, &it, NULL);
		while (!hfork_pid) free(malloc(100));
	} else
		raise(SIGUSR1);
	int s; waitpid(hfork_pid, &s, 0); st("child forked in handler", s);
	if (!strcmp(how, "exit")) { raise(SIGUSR1); exit(2); }
	exit(0);
}
static pthread_mutex_t afl = PTHREAD_MUTEX_INITIALIZER;
static int af_count[3];
static void af_prepare(void) { pthread_mutex_lock(&afl); af_count[0]++; }
static void af_parent(void) { af_count[1]++; pthread_mutex_unlock(&afl); }
static void af_child(void) { af_count[2]++; pthread_mutex_unlock(&afl); }
static void *thr_fork(void *a)
{
	pid_t p = fork();
	if (p == 0) { pthread_mutex_lock(&afl); pthread_mutex_unlock(&afl); _exit(af_count[2]); }
	int s; waitpid(p, &s, 0); st("child of a thread", s);
	return a;
}
static void m_atfork(void)
{
	pthread_atfork(af_prepare, af_parent, af_child);
	pthread_t t; pthread_create(&t, NULL, thr_fork, NULL); pthread_join(t, NULL);
	pid_t p = fork(); if (p == 0) exit(af_count[2] + 10);
	int s; waitpid(p, &s, 0); st("child of main", s);
	printf("atfork prepare %d parent %d child %d\n", af_count[0], af_count[1], af_count[2]);
	exit(0);
}
static void m_sigchld_handler_wait(void)
{
	/* a SIGCHLD handler that reaps everything with waitpid(-1, WNOHANG), 20 children, main sleeps */
	static volatile int reaped;
	void hc(int s) { (void)s; int e = errno; while (waitpid(-1, NULL, WNOHANG) > 0) reaped++; errno = e; }
	on(SIGCHLD, hc, SA_RESTART);
	for (int i = 0; i < 20; i++) if (fork() == 0) _exit(i);
	int eintr = 0, other = 0;
	while (reaped < 20) { struct timespec t = {0, 1000000}; if (nanosleep(&t, NULL)) { if (errno == EINTR) eintr = 1; else other++; } }
	int r = wait(NULL), e = errno;
	(void)eintr; /* (whether a SIGCHLD cut a sleep short is timing: not printed) */
	printf("reaped %d, other errors %d; wait then: %d errno %d\n", reaped, other, r, e);
	exit(0);
}

/* --- profilers at exit --- */
static volatile long prof_ticks;
static void h_prof(int s) { (void)s; prof_ticks++; }
static void m_itimer_prof(const char *how)
{
	on(SIGPROF, h_prof, SA_RESTART);
	struct itimerval it = {{0, 1000}, {0, 1000}};
	setitimer(ITIMER_PROF, &it, NULL);
	volatile unsigned long x = 0;
	while (prof_ticks < 50) x++;
	printf("ticks >= 50\n");
	fflush(stdout);
	if (!strcmp(how, "term")) { signal(SIGTERM, SIG_DFL); kill(getpid(), SIGTERM); for (;;) x++; }
	if (!strcmp(how, "thread")) { pthread_t t; pthread_create(&t, NULL, idle, NULL); for (int i = 0; i < 1000000; i++) x++; }
	exit(0); /* the profiler still ticks through the exit */
}
static volatile long tid_ticks;
static void h_tid(int s, siginfo_t *si, void *uc) { (void)s; (void)uc; if (si->si_code == SI_TIMER) tid_ticks++; }
static volatile pid_t worker_tid;
static volatile int worker_ready;
static void *worker(void *a)
{
	worker_tid = syscall(SYS_gettid); worker_ready = 1;
	volatile unsigned long x = 0; for (;;) x++;
	return a;
}
static void m_timer_tid(void)
{
	struct sigaction sa = {0}; sa.sa_sigaction = h_tid; sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	pthread_t t; pthread_create(&t, NULL, worker, NULL);
	while (!worker_ready) sched_yield();
	struct sigevent ev = {0};
	ev.sigev_notify = SIGEV_THREAD_ID; ev.sigev_signo = SIGRTMIN + 1; ev._sigev_un._tid = worker_tid;
	timer_t tm; if (timer_create(CLOCK_MONOTONIC, &ev, &tm)) { perror("timer_create"); exit(2); }
	struct itimerspec its = {{0, 500000}, {0, 500000}};
	timer_settime(tm, 0, &its, NULL);
	while (tid_ticks < 40) sched_yield();
	printf("thread timer ticks >= 40\n");
	exit(0);
}

/* --- masks --- */
static void m_sigsuspend_all(void)
{
	sigset_t all, none; sigfillset(&all); sigemptyset(&none);
	on(SIGUSR1, h, 0); on(SIGUSR2, h, 0); on(SIGTERM, h, 0);
	sigprocmask(SIG_SETMASK, &all, NULL);
	pid_t parent = getpid(), p = fork();
	if (p == 0) {
		for (int i = 0; i < 10; i++) kill(parent, i % 2 ? SIGUSR1 : SIGUSR2);
		kill(parent, SIGTERM); _exit(0);
	}
	while (!hits[SIGTERM]) sigsuspend(&none);
	waitpid(p, NULL, 0);
	printf("USR1 %d USR2 %d TERM %d\n", hits[SIGUSR1] > 0, hits[SIGUSR2] > 0, hits[SIGTERM]);
	exit(0); /* every signal blocked at exit */
}
static void m_sigtimedwait_all(const char *how)
{
	sigset_t all; sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	pid_t parent = getpid(), p = fork();
	if (p == 0) { kill(parent, SIGUSR1); kill(parent, SIGINT); kill(parent, SIGTERM); _exit(0); }
	waitpid(p, NULL, 0); /* (all three pending: taken lowest first, whatever the timing) */
	int n = 0; siginfo_t si; struct timespec t = {0, 200000000};
	for (;;) {
		int s = sigtimedwait(&all, &si, &t);
		if (s < 0) { if (errno == EAGAIN) break; continue; }
		printf("took %d from %s\n", s, si.si_pid == p ? "child" : "other");
		if (s == SIGTERM) break;
		n++;
	}
	if (!strcmp(how, "unblock_term")) { /* a SIGTERM left pending by the child, then unblocked: dies */
		kill(getpid(), SIGTERM);
		sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		printf("not reached\n");
	}
	exit(0);
}
static void h_unblock_self(int s)
{
	hits[s]++;
	sigset_t m; sigemptyset(&m); sigaddset(&m, s);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	if (hits[s] < 5) raise(s); /* nested, on the same stack */
	sigset_t cur; sigprocmask(SIG_BLOCK, NULL, &cur);
	if (hits[s] == 5) printf("in handler: blocked %d\n", sigismember(&cur, s));
}
static void m_handler_unblock(const char *sig)
{
	int s = !strcmp(sig, "term") ? SIGTERM : SIGUSR1;
	on(s, h_unblock_self, 0);
	raise(s);
	sigset_t cur; sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("runs %d, blocked after %d\n", hits[s], sigismember(&cur, s));
	exit(0);
}

/* --- a fault's ucontext, compared --- */
static sigjmp_buf jb;
static char *fault_addr_expect;
static void h_regs(int s, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv; greg_t *g = uc->uc_mcontext.gregs;
	char local;
	printf("sig %d code %d addr-ok %d err %#llx trapno %lld cr2-ok %d\n", s, si->si_code,
	       si->si_addr == fault_addr_expect, (long long)g[REG_ERR], (long long)g[REG_TRAPNO],
	       (char *)g[REG_CR2] == fault_addr_expect);
	printf("rsp below handler frame: %d, rbx %#llx r12 %#llx r15 %#llx, mask has SIGSEGV %d\n",
	       (char *)g[REG_RSP] > &local, (long long)g[REG_RBX], (long long)g[REG_R12], (long long)g[REG_R15],
	       sigismember(&uc->uc_sigmask, SIGSEGV));
	printf("fpregs set %d mxcsr %#x\n", uc->uc_mcontext.fpregs != NULL, uc->uc_mcontext.fpregs ? uc->uc_mcontext.fpregs->mxcsr : 0);
	siglongjmp(jb, 1);
}
static void m_regs(void)
{
	struct sigaction sa = {0}; sa.sa_sigaction = h_regs; sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	fault_addr_expect = (char *)0x1234;
	if (sigsetjmp(jb, 1) == 0)
		__asm__ volatile("mov $0x1111, %%rbx; mov $0x2222, %%r12; mov $0x3333, %%r15; movb $1, (%0)" ::"r"(fault_addr_expect) : "rbx", "r12", "r15", "memory");
	fault_addr_expect = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sigsetjmp(jb, 1) == 0)
		__asm__ volatile("mov $0x4444, %%rbx; mov $0x5555, %%r12; mov $0x6666, %%r15; movb $1, (%0)" ::"r"(fault_addr_expect) : "rbx", "r12", "r15", "memory");
	exit(0);
}

/* --- _exit from a thread, while others run --- */
static void *busy(void *a) { for (;;) { free(malloc(64)); printf("%s", ""); } return a; }
static void *exiter(void *a)
{
	struct timespec t = {0, 20000000}; nanosleep(&t, NULL);
	if (!strcmp(a, "exit")) exit(6);
	if (!strcmp(a, "quick")) quick_exit(7);
	_exit(5);
}
static void at_print(void) { printf("atexit ran\n"); }
static void m_thread_exit(char *how)
{
	atexit(at_print);
	pthread_t t;
	for (int i = 0; i < 3; i++) pthread_create(&t, NULL, busy, NULL);
	pthread_create(&t, NULL, exiter, how);
	for (;;) pause();
}

/* --- exec kinds --- */
static void m_execveat(const char *how)
{
	if (!strcmp(how, "child")) { printf("child argv ok\n"); exit(4); }
	int fd = open(self, O_PATH | O_CLOEXEC);
	char *av[] = {(char *)self, "execveat", "child", NULL};
	if (!strcmp(how, "script")) {
		int d = open("/bin", O_PATH | O_DIRECTORY);
		char *sv[] = {"sh", "-c", "echo from sh; exit 6", NULL};
		syscall(SYS_execveat, d, "sh", sv, environ, 0);
		perror("execveat");
		exit(2);
	}
	syscall(SYS_execveat, fd, "", av, environ, AT_EMPTY_PATH);
	perror("execveat");
	exit(2);
}
static void m_unshare(void)
{
	if (syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS)) { perror("unshare"); exit(2); }
	pid_t p = fork();
	if (p == 0) { printf("child uid %d\n", getuid()); fflush(stdout); _exit(3); }
	int s; waitpid(p, &s, 0); st("child in new userns", s);
	on(SIGTERM, h, 0); raise(SIGTERM);
	printf("uid %d, TERM %d\n", getuid(), hits[SIGTERM]);
	exit(0);
}

/* --- SS_AUTODISARM --- */
static volatile int autodisarm_flags = -1;
static void h_autodis(int s)
{
	(void)s; stack_t cur; sigaltstack(NULL, &cur); autodisarm_flags = cur.ss_flags; hits[s]++;
}
static void m_autodisarm(const char *where)
{
	static char stk[65536];
	stack_t ss = {.ss_sp = stk, .ss_size = sizeof stk, .ss_flags = SS_AUTODISARM};
	if (sigaltstack(&ss, NULL)) { perror("sigaltstack"); exit(2); }
	on(SIGUSR1, h_autodis, SA_ONSTACK);
	on(SIGTERM, h_autodis, SA_ONSTACK);
	raise(SIGUSR1);
	stack_t after; sigaltstack(NULL, &after);
	printf("in handler flags %d, after %d\n", autodisarm_flags, after.ss_flags);
	if (!strcmp(where, "term")) { raise(SIGTERM); sigaltstack(NULL, &after); printf("after TERM %d %d\n", autodisarm_flags, after.ss_flags); }
	exit(0);
}

/* --- clone3 with exit_signal 0, waited with __WALL --- */
static void m_clone3_nosig(void)
{
	on(SIGCHLD, h, 0);
	struct clone_args ca = {.exit_signal = 0};
	pid_t p = syscall(SYS_clone3, &ca, sizeof ca);
	if (p == 0) _exit(8);
	int s; pid_t r = waitpid(p, &s, __WALL);
	printf("waited %d, SIGCHLD %d\n", r == p, hits[SIGCHLD]);
	st("clone3 child", s);
	r = waitpid(-1, &s, WNOHANG);
	printf("plain wait: %d errno %d\n", r, r < 0 ? errno : 0);
	exit(0);
}

/* --- posix_spawn attributes --- */
static void m_spawn_attrs(void)
{
	signal(SIGINT, SIG_IGN); signal(SIGQUIT, SIG_IGN); on(SIGUSR1, h, 0);
	sigset_t m; sigemptyset(&m); sigaddset(&m, SIGHUP); sigprocmask(SIG_BLOCK, &m, NULL);
	char *av[] = {"sh", "-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status", NULL};
	for (int k = 0; k < 3; k++) {
		posix_spawnattr_t a; posix_spawnattr_init(&a);
		posix_spawn_file_actions_t fa; posix_spawn_file_actions_init(&fa);
		if (k == 1) {
			sigset_t d; sigemptyset(&d); sigaddset(&d, SIGINT);
			posix_spawnattr_setsigdefault(&a, &d);
			sigset_t mm; sigemptyset(&mm); sigaddset(&mm, SIGUSR2);
			posix_spawnattr_setsigmask(&a, &mm);
			posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
		}
		if (k == 2) {
			posix_spawn_file_actions_addclosefrom_np(&fa, 3);
			posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSID);
		}
		pid_t p; int r = posix_spawn(&p, "/bin/sh", &fa, &a, av, environ);
		if (r) { printf("spawn %d: %d\n", k, r); continue; }
		int s; waitpid(p, &s, 0); fflush(stdout);
	}
	exit(0);
}

int main(int argc, char **argv)
{
	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argv[1], *a = argc > 2 ? argv[2] : "";
	if (!strcmp(m, "seccomp")) m_seccomp(a);
	else if (!strcmp(m, "counts")) m_counts();
	else if (!strcmp(m, "fillfds")) m_fillfds(a);
	else if (!strcmp(m, "closerange")) m_closerange_write(a);
	else if (!strcmp(m, "rlimit_cpu")) m_rlimit_cpu(a);
	else if (!strcmp(m, "sigpending")) m_sigpending();
	else if (!strcmp(m, "nproc")) m_nproc(a, argc > 3 ? atoi(argv[3]) : 4);
	else if (!strcmp(m, "chld_ign")) m_chld_ign(a);
	else if (!strcmp(m, "fork_handler")) m_fork_handler(a);
	else if (!strcmp(m, "atfork")) m_atfork();
	else if (!strcmp(m, "sigchld_reap")) m_sigchld_handler_wait();
	else if (!strcmp(m, "itimer_prof")) m_itimer_prof(a);
	else if (!strcmp(m, "timer_tid")) m_timer_tid();
	else if (!strcmp(m, "sigsuspend_all")) m_sigsuspend_all();
	else if (!strcmp(m, "sigtimedwait_all")) m_sigtimedwait_all(a);
	else if (!strcmp(m, "handler_unblock")) m_handler_unblock(a);
	else if (!strcmp(m, "regs")) m_regs();
	else if (!strcmp(m, "thread_exit")) m_thread_exit((char *)a);
	else if (!strcmp(m, "execveat")) m_execveat(a);
	else if (!strcmp(m, "unshare")) m_unshare();
	else if (!strcmp(m, "autodisarm")) m_autodisarm(a);
	else if (!strcmp(m, "clone3_nosig")) m_clone3_nosig();
	else if (!strcmp(m, "spawn_attrs")) m_spawn_attrs();
	else { fprintf(stderr, "unknown mode %s\n", m); return 2; }
	return 0;
}

/* atk.c - ATK10's hostile programs for issue 14 (one per mode, argv[1]); each prints what it
 * sees about itself and exits with a status; run without and with the shim by run.sh. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static __thread sigjmp_buf tjb;
static __thread volatile int tcount;
static volatile int zero = 0;

static void jump_h(int sig, siginfo_t *si, void *uc) { (void)si; (void)uc; tcount++; siglongjmp(tjb, sig); }

static void *fault_thread(void *arg)
{
	long id = (long)arg;
	int seen[32] = {0};
	for (int i = 0; i < 400; i++) {
		int s = sigsetjmp(tjb, 1);
		if (s) { seen[s]++; continue; }
		switch ((i + id) % 4) {
		case 0: *(volatile int *)16 = 1; break;
		case 1: { volatile int x = 7 / zero; (void)x; break; }
		case 2: __asm__ volatile("ud2"); break;
		case 3: { char p[] = "/tmp/atk10busXXXXXX"; int fd = mkstemp(p); unlink(p);
			  char *m = mmap(0, 8192, PROT_READ, MAP_SHARED, fd, 0); close(fd);
			  volatile char c = m[4096]; (void)c; break; }
		}
	}
	sigset_t cur; pthread_sigmask(SIG_SETMASK, 0, &cur);
	printf("thread %ld segv %d fpe %d ill %d bus %d blocked-segv %d\n", id, seen[SIGSEGV], seen[SIGFPE], seen[SIGILL], seen[SIGBUS], sigismember(&cur, SIGSEGV));
	return 0;
}

static void m_fault_mt(void)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = jump_h; sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, 0); sigaction(SIGFPE, &sa, 0); sigaction(SIGILL, &sa, 0); sigaction(SIGBUS, &sa, 0);
	pthread_t t[4];
	for (long i = 0; i < 4; i++) pthread_create(&t[i], 0, fault_thread, (void *)i);
	for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
}

static char *gcpage;
static volatile int gc_on_alt, gc_hits;
static void gc_h(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc; stack_t ss; sigaltstack(0, &ss);
	gc_on_alt += !!(ss.ss_flags & SS_ONSTACK); gc_hits++;
	mprotect((void *)((uintptr_t)si->si_addr & ~4095UL), 4096, PROT_READ | PROT_WRITE);
}
static void *gc_thread(void *a)
{
	size_t sz = (size_t)(long)a; stack_t ss = {.ss_sp = malloc(sz), .ss_size = sz}, old;
	printf("sigaltstack set %d\n", sigaltstack(&ss, 0));
	for (int i = 0; i < 64; i++) gcpage[i * 4096] = 1;
	sigaltstack(0, &old);
	printf("thread hits %d on_alt %d size %zu flags %d\n", gc_hits, gc_on_alt, old.ss_size, old.ss_flags);
	return 0;
}
static void m_gc_altstack(long sz)
{
	gcpage = mmap(0, 64 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sigaction sa = {0}; sa.sa_sigaction = gc_h; sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, 0);
	pthread_t t; pthread_create(&t, 0, gc_thread, (void *)sz); pthread_join(t, 0);
}

static volatile int rn;
static void resethand_h(int sig) { rn++; write(1, "in handler\n", 11); if (rn < 3) *(volatile int *)8 = sig; }
static void m_resethand_nodefer(void)
{
	struct sigaction sa = {0}; sa.sa_handler = resethand_h; sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigaction(SIGSEGV, &sa, 0);
	printf("before\n"); fflush(stdout);
	*(volatile int *)8 = 1;
	printf("after %d\n", rn);
}

static char *sigpage;
static volatile int sig_n;
static void signal_h(int sig) { (void)sig; sig_n++; mprotect(sigpage, 4096, PROT_READ | PROT_WRITE); }
static void m_signal_fn(void)
{
	sigpage = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void (*old)(int) = signal(SIGSEGV, signal_h);
	struct sigaction cur; sigaction(SIGSEGV, 0, &cur);
	printf("old %s flags 0x%x handler-same %d\n", old == SIG_DFL ? "DFL" : "other", cur.sa_flags & ~0x04000000, cur.sa_handler == signal_h);
	sigpage[5] = 1;
	sigaction(SIGSEGV, 0, &cur);
	printf("after fault n=%d handler-same %d flags 0x%x\n", sig_n, cur.sa_handler == signal_h, cur.sa_flags & ~0x04000000);
	/* SIGFPE via signal() and a handler that reinstalls itself (SysV style) */
	sighandler_t o2 = sysv_signal(SIGUSR1, signal_h);
	raise(SIGUSR1);
	sigaction(SIGUSR1, 0, &cur);
	printf("sysv after raise: %s old-dfl %d\n", cur.sa_handler == SIG_DFL ? "DFL" : "handler", o2 == SIG_DFL);
}

static void *alt_thread(void *a)
{
	(void)a; stack_t s; sigaltstack(0, &s);
	printf("thread altstack sp-null %d size %zu flags %d\n", s.ss_sp == 0, s.ss_size, s.ss_flags);
	return 0;
}
static void m_altstack_read(void)
{
	stack_t s; sigaltstack(0, &s);
	printf("main before sp-null %d size %zu flags %d\n", s.ss_sp == 0, s.ss_size, s.ss_flags);
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	sigaltstack(0, &s);
	printf("main after sp-null %d size %zu flags %d\n", s.ss_sp == 0, s.ss_size, s.ss_flags);
	/* disable and read again */
	stack_t d = {.ss_flags = SS_DISABLE};
	printf("disable %d\n", sigaltstack(&d, 0));
	sigaltstack(0, &s);
	printf("main disabled sp-null %d size %zu flags %d\n", s.ss_sp == 0, s.ss_size, s.ss_flags);
	struct sigaction sa; sigaction(SIGSEGV, 0, &sa);
	printf("segv %s\n", sa.sa_handler == SIG_DFL ? "DFL" : "other");
}

static int count_fds(void)
{
	int n = 0; DIR *d = opendir("/proc/self/fd"); struct dirent *e;
	if (!d) return -errno;
	while ((e = readdir(d))) if (e->d_name[0] != '.') n++;
	closedir(d);
	return n - 1;
}
static void m_nofile(void)
{
	struct rlimit rl = {4, 4};
	printf("setrlimit %d\n", setrlimit(RLIMIT_NOFILE, &rl));
	int fds[8], n = 0;
	while (n < 8 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0) n++;
	printf("opened %d first %d errno %s\n", n, n ? fds[0] : -1, strerror(errno));
	for (int i = 0; i < n; i++) close(fds[i]);
	int p[2]; printf("pipe %d\n", pipe(p));
	pid_t c = fork();
	if (!c) { int fd = open("/dev/null", O_RDONLY); printf("child open %d\n", fd); fflush(stdout); _exit(fd); }
	int st; waitpid(c, &st, 0); printf("child status %d\n", WEXITSTATUS(st));
}
static void m_firstfd(void)
{
	/* under `ulimit -n N` from outside; also 0-2 possibly closed */
	char buf[256]; int n = 0, fds[64];
	while (n < 64 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0) n++;
	int len = snprintf(buf, sizeof buf, "opened %d first %d last %d errno %d\n", n, n ? fds[0] : -1, n ? fds[n - 1] : -1, errno);
	int o = open("/tmp/atk10_firstfd.out", O_WRONLY | O_CREAT | O_APPEND, 0644);
	write(o, buf, len); close(o);
	printf("%s", buf);
}
static void m_countfds(void)
{
	printf("fds at start %d\n", count_fds());
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	printf("fds after thread %d\n", count_fds());
	for (int fd = 3; fd < 1024; fd++) if (fcntl(fd, F_GETFD) >= 0) printf("open fd %d\n", fd);
}
static void m_dup2_all(void)
{
	int fd = open("/tmp/atk10_dup2.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	for (int i = 3; i < 1024; i++) if (i != fd) dup2(fd, i);
	write(fd, "hello\n", 6);
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	struct stat st; fstat(fd, &st);
	printf("size %ld\n", (long)st.st_size);
	exit(3);
}

static void m_rlimit_report(void)
{
	int r[] = {RLIMIT_NOFILE, RLIMIT_AS, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_NPROC, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_MEMLOCK, RLIMIT_SIGPENDING};
	for (unsigned i = 0; i < sizeof r / sizeof *r; i++) { struct rlimit rl; getrlimit(r[i], &rl); printf("rl %d %lld %lld\n", r[i], (long long)rl.rlim_cur, (long long)rl.rlim_max); }
	/* allocate 1 MiB pieces until failure (under ulimit -v) */
	int n = 0; while (n < 4096 && malloc(1 << 20)) n++;
	printf("malloc MiB %s\n", n < 4096 ? "limited" : "unlimited");
	pthread_t t; int e = pthread_create(&t, 0, alt_thread, 0);
	printf("pthread_create %d\n", e); if (!e) pthread_join(t, 0);
}
static int depth(int n) { volatile char b[512]; b[0] = n; if (n == 0) return b[0]; return depth(n - 1) + b[0]; }
static void m_stack_small(long kb) { printf("depth %ld ok %d\n", kb, depth((int)(kb * 2)) >= 0); }

static void m_core(void)
{
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY}; setrlimit(RLIMIT_CORE, &rl);
	chdir("/tmp");
	for (int c = 0; c < 3; c++) {
		pid_t p = fork();
		if (!p) {
			if (c == 1) { struct rlimit z = {0, 0}; setrlimit(RLIMIT_CORE, &z); }
			if (c == 2) prctl(PR_SET_DUMPABLE, 0);
			*(volatile int *)0 = 1;
		}
		int st; waitpid(p, &st, 0);
		printf("child %d sig %d core %d\n", c, WTERMSIG(st), WCOREDUMP(st));
	}
}

static void m_setuid(void)
{
	printf("drop %d %d\n", setgid(65534), setuid(65534));
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	int fd = open("/tmp", O_RDONLY);
	printf("first fd %d uid %d\n", fd, getuid());
	syscall(SYS_close_range, 3, ~0U, 0);
	printf("open after close_range %d\n", open("/dev/null", O_RDONLY));
	exit(4);
}
static void m_chroot(void)
{
	system("rm -rf /tmp/atk10root; mkdir -p /tmp/atk10root/tmp /tmp/atk10root/proc");
	printf("chroot %d chdir %d\n", chroot("/tmp/atk10root"), chdir("/"));
	syscall(SYS_close_range, 3, ~0U, 0);
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	pid_t c = fork(); if (!c) _exit(0); waitpid(c, 0, 0);
	printf("open %d\n", open("/x", O_RDONLY | O_CREAT, 0600));
	fflush(stdout);
	exit(5);
}
static void m_chroot_list(void) { system("find /tmp/atk10root | sort"); }
static void m_dumpable(void)
{
	prctl(PR_SET_DUMPABLE, 0);
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	printf("dumpable %d\n", prctl(PR_GET_DUMPABLE));
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	printf("nnp %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	exit(6);
}
static int ntasks(void)
{
	int n = 0; DIR *d = opendir("/proc/self/task"); struct dirent *e;
	if (!d) return -1; while ((e = readdir(d))) if (e->d_name[0] != '.') n++;
	closedir(d); return n;
}
static void m_unshare(void)
{
	printf("tasks %d\n", ntasks());
	printf("unshare user %d\n", unshare(CLONE_NEWUSER));
	pthread_t t; pthread_create(&t, 0, alt_thread, 0); pthread_join(t, 0);
	printf("tasks after join %d\n", ntasks());
	printf("unshare user again %d %s\n", unshare(CLONE_NEWUSER), strerror(errno));
	pid_t c = fork();
	if (!c) { printf("child unshare %d tasks %d\n", unshare(CLONE_NEWUSER | CLONE_NEWNS), ntasks()); fflush(stdout); _exit(0); }
	waitpid(c, 0, 0);
	printf("setns-like: tasks %d\n", ntasks());
}

static char cstack[65536] __attribute__((aligned(16)));
static int clone_child(void *a)
{
	(void)a;
	write(1, "clone child\n", 12);
	signal(SIGUSR2, SIG_IGN);
	struct sigaction sa; sigaction(SIGUSR1, 0, &sa);
	_exit(9);
}
static void m_clone_vm(void)
{
	struct sigaction sa = {0}; sa.sa_handler = signal_h; sigaction(SIGUSR1, &sa, 0);
	pid_t p = clone(clone_child, cstack + sizeof cstack, CLONE_VM | SIGCHLD, 0);
	int st; printf("waitpid %d\n", waitpid(p, &st, 0) == p);
	printf("child exit %d\n", WEXITSTATUS(st));
	struct sigaction cur; sigaction(SIGUSR2, 0, &cur);
	printf("usr2 %s\n", cur.sa_handler == SIG_IGN ? "IGN" : cur.sa_handler == SIG_DFL ? "DFL" : "h");
	/* CLONE_VM|CLONE_VFORK */
	p = clone(clone_child, cstack + sizeof cstack, CLONE_VM | CLONE_VFORK | SIGCHLD, 0);
	waitpid(p, &st, 0); printf("vfork-clone child exit %d\n", WEXITSTATUS(st));
	sigset_t m; sigprocmask(SIG_SETMASK, 0, &m); printf("mask usr1 %d\n", sigismember(&m, SIGUSR1));
	exit(8);
}
static void m_spawn_fa(void)
{
	posix_spawn_file_actions_t fa; posix_spawnattr_t at; pid_t p; int st;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, 1000);
	posix_spawn_file_actions_addopen(&fa, 5, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 7);
	posix_spawn_file_actions_addclosefrom_np(&fa, 900);
	posix_spawnattr_init(&at);
	sigset_t m; sigemptyset(&m); sigaddset(&m, SIGTERM); sigaddset(&m, SIGSEGV);
	posix_spawnattr_setsigmask(&at, &m);
	sigset_t d; sigfillset(&d); posix_spawnattr_setsigdefault(&at, &d);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
	char *argv[] = {"sh", "-c", "ls /proc/self/fd | tr '\\n' ' '; echo; grep -E 'Sig(Blk|Ign)' /proc/self/status; exit 11", 0};
	int r = posix_spawn(&p, "/bin/sh", &fa, &at, argv, environ);
	printf("spawn %d\n", r); fflush(stdout);
	waitpid(p, &st, 0); printf("status %d\n", WEXITSTATUS(st));
	/* addclose of an fd not open: glibc ignores EBADF? */
	posix_spawn_file_actions_t fb; posix_spawn_file_actions_init(&fb);
	posix_spawn_file_actions_addclose(&fb, 1001);
	posix_spawn_file_actions_adddup2(&fb, 1000, 9);
	char *a2[] = {"true", 0};
	r = posix_spawn(&p, "/bin/true", &fb, 0, a2, environ);
	printf("spawn dup2 of 1000: %d\n", r); if (!r) { waitpid(p, &st, 0); printf("status %d\n", st); }
}
static void m_environ(void)
{
	int n = 0; for (char **e = environ; *e; e++) if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "TLSTRACE_", 9)) n++;
	printf("env entries %d\n", n);
	printf("argv0 env _=%s\n", getenv("_") ? "set" : "unset");
	char b[4096]; int fd = open("/proc/self/cmdline", O_RDONLY); int l = read(fd, b, sizeof b); close(fd);
	for (int i = 0; i < l; i++) if (!b[i]) b[i] = ' ';
	printf("cmdline %.*s\n", l, b);
	char exe[256]; l = readlink("/proc/self/exe", exe, sizeof exe); printf("exe-ok %d\n", l > 0);
	char comm[64]; prctl(PR_GET_NAME, comm); printf("comm %s\n", comm);
}
static void m_out_buffer(const char *how)
{
	printf("buffered line");
	if (!strcmp(how, "_exit")) _exit(2);
	if (!strcmp(how, "exit")) exit(3);
	if (!strcmp(how, "quick")) quick_exit(4);
	if (!strcmp(how, "thread")) { pthread_exit(0); }
	if (!strcmp(how, "abort")) abort();
}
static void m_write_status(void)
{
	for (int i = 0; i < 3; i++) printf("line %d of some output\n", i);
	int a = fflush(stdout); int e = errno;
	int b = fclose(stdout);
	fprintf(stderr, "fflush %d errno %s fclose %d\n", a, a ? strerror(e) : "-", b);
	exit(b ? 12 : 0);
}
static void m_ttyname(void)
{
	for (int i = 0; i < 3; i++) printf("isatty %d %d\n", i, isatty(i));
	int t = open("/dev/tty", O_RDWR); printf("/dev/tty %s\n", t >= 0 ? "open" : strerror(errno));
	printf("pgrp==sid %d\n", getpgrp() == getsid(0));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	if (argc < 2) return 2;
	const char *m = argv[1];
	long a = argc > 2 ? atol(argv[2]) : 0;
	if (!strcmp(m, "fault_mt")) m_fault_mt();
	else if (!strcmp(m, "gc_altstack")) m_gc_altstack(a);
	else if (!strcmp(m, "resethand_nodefer")) m_resethand_nodefer();
	else if (!strcmp(m, "signal_fn")) m_signal_fn();
	else if (!strcmp(m, "altstack_read")) m_altstack_read();
	else if (!strcmp(m, "nofile")) m_nofile();
	else if (!strcmp(m, "firstfd")) m_firstfd();
	else if (!strcmp(m, "countfds")) m_countfds();
	else if (!strcmp(m, "dup2_all")) m_dup2_all();
	else if (!strcmp(m, "rlimits")) m_rlimit_report();
	else if (!strcmp(m, "stack")) m_stack_small(a);
	else if (!strcmp(m, "core")) m_core();
	else if (!strcmp(m, "setuid")) m_setuid();
	else if (!strcmp(m, "chroot")) m_chroot();
	else if (!strcmp(m, "chroot_list")) m_chroot_list();
	else if (!strcmp(m, "dumpable")) m_dumpable();
	else if (!strcmp(m, "unshare")) m_unshare();
	else if (!strcmp(m, "clone_vm")) m_clone_vm();
	else if (!strcmp(m, "spawn_fa")) m_spawn_fa();
	else if (!strcmp(m, "environ")) m_environ();
	else if (!strcmp(m, "buffer")) { setvbuf(stdout, 0, _IOFBF, 4096); m_out_buffer(argv[2]); }
	else if (!strcmp(m, "write_status")) { setvbuf(stdout, 0, _IOFBF, 4096); m_write_status(); }
	else if (!strcmp(m, "tty")) m_ttyname();
	else return 2;
	return 0;
}

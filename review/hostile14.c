/* hostile14.c - HOSTILE14 (stop 32): siginfo, sigaction from handlers, altstack queries, pthread_cancel in interposed calls,
 * siglongjmp out of them in threads, stack use of interposed calls, raw clone/clone3, RLIMIT_NOFILE, exit races,
 * pthread_exit from main, sigsuspend with termination signals, _Fork in a handler. review/run-hostile14.sh */
/* hostile14: new programs of issue 14's kinds; one mode per run */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/sched.h>

static const char *modname(void *ip)
{
	Dl_info di;
	if (!dladdr(ip, &di) || !di.dli_fname) return "?";
	const char *s = strrchr(di.dli_fname, '/');
	s = s ? s + 1 : di.dli_fname;
	if (strstr(s, "h14")) return "prog";
	if (strstr(s, "libc")) return "libc";
	return s;
}

/* ---- siginfo: what an SA_SIGINFO handler reads ---- */
static volatile sig_atomic_t got;
static char line[512];
static void info_handler(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	void *rip = (void *)uc->uc_mcontext.gregs[REG_RIP];
	int blocked_self = sigismember(&uc->uc_sigmask, sig);
	int usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
	snprintf(line, sizeof line, "sig %d code %d pid_is_%s uid %d val %d status %d errno %d rip_in %s uc_mask_self %d uc_mask_usr2 %d",
		 sig, si->si_code, si->si_pid == getpid() ? "self" : si->si_pid == 0 ? "0" : "other",
		 (int)si->si_uid, si->si_value.sival_int, sig == SIGCHLD ? si->si_status : -1, si->si_errno,
		 modname(rip), blocked_self, usr2);
	got = 1;
}
static void wait_got(void) { while (!got) pause(); got = 0; puts(line); }
static void m_siginfo(void)
{
	int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGABRT};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		int s = sigs[i];
		struct sigaction sa = {0};
		sa.sa_sigaction = info_handler;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaction(s, &sa, NULL);
		/* from another process, with a value */
		pid_t c = fork();
		if (c == 0) {
			union sigval v = {.sival_int = 40 + s};
			if (s == SIGCHLD) _exit(5);
			sigqueue(getppid(), s, v);
			_exit(0);
		}
		wait_got();
		waitpid(c, NULL, 0);
		if (s == SIGCHLD) { got = 0; continue; }
		got = 0;
		/* from ourselves */
		if (s == SIGALRM) { alarm(1); wait_got(); }
		else if (s == SIGPIPE) {
			int p[2]; pipe(p); close(p[0]); write(p[1], "x", 1); close(p[1]); puts(line); got = 0;
		} else { kill(getpid(), s); puts(line); got = 0; }
		raise(s); puts(line); got = 0;
		signal(s, SIG_DFL);
	}
}

/* ---- sigaction with the old action from inside a handler ---- */
static int reinst_count;
static void reinst_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si; (void)uc;
	struct sigaction old, cur;
	sigaction(sig, NULL, &old);
	printf("in handler %d: self %d flags %#x mask_usr2 %d mask_self %d\n", sig,
	       old.sa_sigaction == reinst_handler, old.sa_flags & ~0x04000000, sigismember(&old.sa_mask, SIGUSR2),
	       sigismember(&old.sa_mask, sig));
	/* set SIG_DFL and back with the old action, as a "one shot then restore" program does */
	struct sigaction dfl = {0};
	dfl.sa_handler = SIG_DFL;
	struct sigaction was;
	sigaction(sig, &dfl, &was);
	printf("  was self %d flags %#x\n", was.sa_sigaction == reinst_handler, was.sa_flags & ~0x04000000);
	sigaction(sig, &old, NULL);
	sigaction(sig, NULL, &cur);
	printf("  now self %d flags %#x\n", cur.sa_sigaction == reinst_handler, cur.sa_flags & ~0x04000000);
	reinst_count++;
}
static void m_reinstall(void)
{
	int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGSEGV, SIGPIPE, SIGQUIT};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		int s = sigs[i];
		struct sigaction sa = {0};
		sa.sa_sigaction = reinst_handler;
		sa.sa_flags = SA_SIGINFO | (i & 1 ? SA_RESETHAND : 0);
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaction(s, &sa, NULL);
		for (int k = 0; k < 2; k++) {
			if (s == SIGSEGV) { kill(getpid(), s); }
			else raise(s);
		}
		struct sigaction cur;
		sigaction(s, NULL, &cur);
		printf("after %d: handler %s flags %#x\n", s, cur.sa_handler == SIG_DFL ? "DFL" : cur.sa_sigaction == reinst_handler ? "self" : "other", cur.sa_flags & ~0x04000000);
		signal(s, SIG_IGN);
	}
	printf("count %d\n", reinst_count);
}

/* ---- sigaltstack queried from handlers ---- */
static char *main_sp_hi;
static void alt_handler(int sig)
{
	stack_t ss;
	char here;
	sigaltstack(NULL, &ss);
	int on_main = main_sp_hi && &here < main_sp_hi && &here > main_sp_hi - (8 << 20);
	printf("sig %d ss_flags onstack %d disable %d size_ok %d on_main_stack %d\n", sig, !!(ss.ss_flags & SS_ONSTACK),
	       !!(ss.ss_flags & SS_DISABLE), ss.ss_size == 65536 || ss.ss_size == 0, on_main);
}
static void m_altstack(void)
{
	char top;
	main_sp_hi = &top + 4096;
	int sigs[] = {SIGUSR1, SIGTERM, SIGSEGV, SIGBUS, SIGINT};
	for (int phase = 0; phase < 3; phase++) {
		if (phase == 1) { /* an altstack of the program's, handlers without SA_ONSTACK */
			stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
			sigaltstack(&ss, NULL);
		}
		for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
			struct sigaction sa = {0};
			sa.sa_handler = alt_handler;
			sa.sa_flags = phase == 2 ? SA_ONSTACK : 0;
			sigaction(sigs[i], &sa, NULL);
			printf("phase %d: ", phase);
			fflush(stdout);
			raise(sigs[i]);
		}
	}
	stack_t ss;
	sigaltstack(NULL, &ss);
	printf("end ss_flags %d size %zu\n", ss.ss_flags, ss.ss_size);
}

/* ---- pthread_cancel of a thread in an interposed call ---- */
static int cpipe[2];
static sem_t csem;
static int lockfd;
static void cleanup(void *a) { printf("cleanup %s\n", (const char *)a); }
static void *cancel_thread(void *a)
{
	const char *what = a;
	pthread_cleanup_push(cleanup, a);
	char buf[8];
	if (!strcmp(what, "read")) read(cpipe[0], buf, 1);
	else if (!strcmp(what, "readv")) { struct iovec v = {buf, 1}; readv(cpipe[0], &v, 1); }
	else if (!strcmp(what, "recv")) { int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv); recv(sv[0], buf, 1, 0); }
	else if (!strcmp(what, "nanosleep")) { struct timespec t = {100, 0}; nanosleep(&t, NULL); }
	else if (!strcmp(what, "clock_nanosleep")) { struct timespec t = {100, 0}; clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL); }
	else if (!strcmp(what, "sleep")) sleep(100);
	else if (!strcmp(what, "usleep")) usleep(50000000);
	else if (!strcmp(what, "pause")) pause();
	else if (!strcmp(what, "sem_wait")) sem_wait(&csem);
	else if (!strcmp(what, "sem_timedwait")) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); t.tv_sec += 100; sem_timedwait(&csem, &t); }
	else if (!strcmp(what, "waitpid")) { waitpid(-1, NULL, 0); }
	else if (!strcmp(what, "waitid")) { siginfo_t si; waitid(P_ALL, 0, &si, WEXITED); }
	else if (!strcmp(what, "wait")) wait(NULL);
	else if (!strcmp(what, "poll")) { struct pollfd p = {cpipe[0], POLLIN, 0}; poll(&p, 1, -1); }
	else if (!strcmp(what, "select")) { fd_set s; FD_ZERO(&s); FD_SET(cpipe[0], &s); select(cpipe[0] + 1, &s, NULL, NULL, NULL); }
	else if (!strcmp(what, "sigwait")) { sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); int sg; sigwait(&s, &sg); }
	else if (!strcmp(what, "sigwaitinfo")) { sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); sigwaitinfo(&s, NULL); }
	else if (!strcmp(what, "flock")) flock(lockfd, LOCK_EX);
	else if (!strcmp(what, "fcntl")) { struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET}; fcntl(lockfd, F_SETLKW, &fl); }
	else if (!strcmp(what, "join")) { pthread_join(*(pthread_t *)0 + 0, NULL); }
	else if (!strcmp(what, "async")) { pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL); for (;;) { } }
	pthread_cleanup_pop(0);
	printf("%s returned\n", what);
	return NULL;
}
static void m_cancel(const char *only)
{
	const char *w[] = {"read", "readv", "recv", "nanosleep", "clock_nanosleep", "sleep", "usleep", "pause", "sem_wait", "sem_timedwait", "waitpid", "waitid", "wait", "poll", "select", "sigwait", "sigwaitinfo", "fcntl", "async"};
	pipe(cpipe);
	sem_init(&csem, 0, 0);
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); pthread_sigmask(SIG_BLOCK, &s, NULL);
	char tmpl[] = "/tmp/h14lockXXXXXX";
	lockfd = mkstemp(tmpl); unlink(tmpl);
	int lf2 = open("/proc/self/fd/0", O_RDONLY); (void)lf2;
	/* a child holds the locks */
	pid_t holder = fork();
	if (holder == 0) { flock(lockfd, LOCK_EX); struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET}; fcntl(lockfd, F_SETLK, &fl); pause(); _exit(0); }
	usleep(100000);
	/* a child that stays for the waits */
	pid_t sleeper = fork();
	if (sleeper == 0) { pause(); _exit(0); }
	for (unsigned i = 0; i < sizeof w / sizeof *w; i++) {
		if (only && strcmp(only, w[i])) continue;
		if (!strcmp(w[i], "flock") || !strcmp(w[i], "fcntl")) { /* the lock is another open file's */
			char p[64]; snprintf(p, sizeof p, "/proc/self/fd/%d", lockfd);
			int fd = open(p, O_RDWR); if (!strcmp(w[i], "flock")) { close(lockfd); lockfd = fd; } else { }
		}
		pthread_t t;
		pthread_create(&t, NULL, cancel_thread, (void *)w[i]);
		usleep(200000);
		pthread_cancel(t);
		void *rv;
		pthread_join(t, &rv);
		printf("%s: %s\n", w[i], rv == PTHREAD_CANCELED ? "canceled" : "not canceled");
		fflush(stdout);
	}
	kill(holder, SIGKILL); kill(sleeper, SIGKILL);
	waitpid(holder, NULL, 0); waitpid(sleeper, NULL, 0);
}

/* ---- siglongjmp out of interposed calls, in threads ---- */
static __thread sigjmp_buf tjb;
static __thread int tjb_set;
static void jump_handler(int sig) { (void)sig; if (tjb_set) siglongjmp(tjb, 1); }
static pthread_key_t jkey;
static void kdtor(void *p) { (void)p; __atomic_fetch_add(&reinst_count, 1, __ATOMIC_SEQ_CST); }
static __thread int seen_tl;
static void *jump_thread(void *a)
{
	int which = (int)(intptr_t)a;
	int jumps = 0;
	pthread_setspecific(jkey, (void *)1);
	int p[2]; pipe(p);
	for (int i = 0; i < 200; i++) {
		if (sigsetjmp(tjb, 1)) { jumps++; tjb_set = 0; continue; }
		tjb_set = 1;
		char b;
		struct timespec ts = {10, 0};
		switch ((which + i) % 6) {
		case 0: read(p[0], &b, 1); break;
		case 1: nanosleep(&ts, NULL); break;
		case 2: { struct pollfd pf = {p[0], POLLIN, 0}; poll(&pf, 1, 10000); } break;
		case 3: pause(); break;
		case 4: { sem_t s; sem_init(&s, 0, 0); sem_wait(&s); } break;
		case 5: { sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR2); sigset_t o; pthread_sigmask(SIG_BLOCK, NULL, &o); sigsuspend(&o); } break;
		}
		tjb_set = 0;
	}
	seen_tl++;
	sigset_t m; pthread_sigmask(SIG_BLOCK, NULL, &m);
	close(p[0]); close(p[1]);
	char *r = malloc(64);
	snprintf(r, 64, "thread %d jumps %d usr1blocked %d", which, jumps, sigismember(&m, SIGUSR1));
	return r;
}
static void m_jumps(void)
{
	signal(SIGUSR1, jump_handler);
	pthread_key_create(&jkey, kdtor);
	pthread_t t[4];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, jump_thread, (void *)(intptr_t)i);
	int done[4] = {0};
	int left = 4;
	while (left) {
		for (int i = 0; i < 4; i++) {
			if (done[i]) continue;
			if (pthread_tryjoin_np(t[i], NULL) == 0) { done[i] = 1; left--; printf("joined early?\n"); continue; }
			pthread_kill(t[i], SIGUSR1);
		}
		usleep(200);
		/* stop when each has jumped 200 times: they return */
		for (int i = 0; i < 4; i++) {
			void *r;
			if (!done[i] && pthread_tryjoin_np(t[i], &r) == 0) { done[i] = 1; left--; puts(r); free(r); }
		}
	}
	printf("key dtors %d\n", reinst_count);
	int fd = open("/dev/null", O_RDONLY);
	printf("next fd %d\n", fd);
}

/* ---- stack use of interposed calls, as a program measures it ---- */
#define PAINT 32768
static __attribute__((noinline)) void paint(void) { volatile char b[PAINT]; for (int i = 0; i < PAINT; i++) b[i] = (char)0xa5; __asm__ volatile("" ::"r"(b) : "memory"); }
static __attribute__((noinline)) int measure(void) { volatile char b[PAINT]; int i = 0; while (i < PAINT && b[i] == (char)0xa5) i++; __asm__ volatile("" ::"r"(b) : "memory"); return PAINT - i; }
static int zp[2];
static __attribute__((noinline)) void call(int k)
{
	char c; struct timespec ts = {0, 1};
	switch (k) {
	case 0: break;
	case 1: write(zp[1], "x", 1); read(zp[0], &c, 1); break;
	case 2: nanosleep(&ts, NULL); break;
	case 3: { struct pollfd p = {zp[0], POLLIN, 0}; poll(&p, 1, 0); } break;
	case 4: { pthread_key_t k2; pthread_key_create(&k2, NULL); pthread_key_delete(k2); } break;
	case 5: { struct sigaction sa; sigaction(SIGUSR1, NULL, &sa); } break;
	case 6: { sigset_t s; sigprocmask(SIG_BLOCK, NULL, &s); } break;
	case 7: waitpid(-1, NULL, WNOHANG); break;
	case 8: kill(getpid(), 0); break;
	case 9: raise(SIGWINCH); break;
	case 10: { sem_t s; sem_init(&s, 0, 1); sem_wait(&s); } break;
	case 11: pthread_setspecific(0, NULL); break;
	case 12: fcntl(zp[0], F_GETFL); break;
	}
}
static const char *callname[] = {"none", "read+write", "nanosleep", "poll", "key_create", "sigaction", "sigprocmask", "waitpid", "kill0", "raise", "sem_wait", "setspecific", "fcntl"};
static void *stack_thread(void *a)
{
	(void)a;
	for (int k = 0; k < 13; k++) {
		call(k); paint(); call(k); int used = measure();
		paint(); call(0); int base = measure();
		printf("%-12s %d\n", callname[k], used - base > 0 ? used - base : 0);
	}
	return NULL;
}
static void m_stackuse(void)
{
	pipe(zp);
	signal(SIGWINCH, SIG_IGN);
	pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 256 << 10);
	pthread_t t; pthread_create(&t, &at, stack_thread, NULL); pthread_join(t, NULL);
}

/* ---- raw clone with a small stack ---- */
static int clone_child(void *a) { (void)a; syscall(SYS_write, 1, "child\n", 6); return 3; }
static void m_clone(void)
{
	for (int sz = 4096; sz <= 16384; sz *= 2) {
		char *stk = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		mprotect(stk, 65536 - sz, PROT_NONE);
		int flags[] = {SIGCHLD, CLONE_VM | SIGCHLD, CLONE_VM | CLONE_VFORK | SIGCHLD, CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD};
		for (int f = 0; f < 4; f++) {
			pid_t p = clone(clone_child, stk + 65536, flags[f], NULL);
			int st = 0;
			waitpid(p, &st, __WALL);
			printf("clone stack %d flags %d: %s %d\n", sz, f, WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			fflush(stdout);
		}
		munmap(stk, 65536);
	}
	/* clone3 raw: a fork */
	struct clone_args ca = {0};
	ca.exit_signal = SIGCHLD;
	long r = syscall(SYS_clone3, &ca, sizeof ca);
	if (r == 0) { signal(SIGTERM, SIG_DFL); _exit(4); }
	int st; waitpid(r, &st, 0);
	printf("clone3: %d\n", WEXITSTATUS(st));
	/* raw clone syscall fork; the child exits by exit() */
	r = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (r == 0) { printf("raw child\n"); exit(6); }
	waitpid(r, &st, 0);
	printf("raw clone: %d\n", WEXITSTATUS(st));
}

/* ---- RLIMIT_NOFILE low ---- */
static void m_nofile(void)
{
	struct rlimit rl = {8, 8};
	setrlimit(RLIMIT_NOFILE, &rl);
	int n = 0, last = -1;
	for (;;) { int fd = open("/dev/null", O_RDONLY); if (fd < 0) { printf("open fails at %d: %s\n", n, strerror(errno)); break; } n++; last = fd; }
	printf("last %d\n", last);
	printf("dup2 to 1000: %d %s\n", dup2(0, 1000), strerror(errno));
	pid_t p = fork();
	if (p == 0) { printf("child\n"); exit(0); }
	int st; waitpid(p, &st, 0);
	pthread_t t; int e = pthread_create(&t, NULL, stack_thread, NULL) ; (void)e;
	pthread_join(t, NULL);
	for (int fd = 3; fd <= last; fd++) close(fd);
	rl.rlim_cur = rl.rlim_max = 4;
	setrlimit(RLIMIT_NOFILE, &rl);
	printf("pipe with limit 3: %d\n", pipe(zp));
	execl("/bin/sh", "sh", "-c", "ls /proc/$$/fd | tr '\\n' ' '; echo", NULL);
}

/* ---- exit in two threads at once, with atexit ---- */
static void ae(void) { static int n; printf("atexit %d\n", ++n); }
static void *exiter(void *a) { usleep(1000); exit((int)(intptr_t)a); }
static void m_exitrace(void)
{
	atexit(ae);
	pthread_t t[4];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, exiter, (void *)(intptr_t)(10));
	exiter((void *)10);
}

/* ---- main calls pthread_exit; the last thread ends it ---- */
static __thread struct { int x; } tlv;
static void *last(void *a) { (void)a; usleep(100000); printf("last thread tls %d\n", tlv.x); return NULL; }
static void m_mainexit(void)
{
	atexit(ae);
	pthread_t t; pthread_create(&t, NULL, last, NULL);
	pthread_exit(NULL);
}

/* ---- sigsuspend with a termination signal, blocked, SIG_DFL vs handler ---- */
static void term_h(int s) { printf("handler %d\n", s); }
static void m_sigsuspend(int dfl)
{
	sigset_t b, o; sigemptyset(&b); sigaddset(&b, SIGTERM); sigaddset(&b, SIGHUP);
	sigprocmask(SIG_BLOCK, &b, &o);
	if (!dfl) { signal(SIGTERM, term_h); }
	pid_t c = fork();
	if (c == 0) { kill(getppid(), SIGTERM); kill(getppid(), SIGHUP); _exit(0); }
	waitpid(c, NULL, 0);
	sigset_t p; sigpending(&p);
	printf("pending TERM %d HUP %d\n", sigismember(&p, SIGTERM), sigismember(&p, SIGHUP));
	signal(SIGHUP, SIG_IGN);
	sigpending(&p);
	printf("after ign: pending HUP %d\n", sigismember(&p, SIGHUP));
	fflush(stdout);
	int r = sigsuspend(&o);
	printf("sigsuspend %d %s\n", r, strerror(errno));
}

/* ---- _Fork in a signal handler while main runs interposed calls ---- */
static volatile int forks;
static void fork_h(int s) { (void)s; pid_t p = _Fork(); if (p == 0) _exit(0); if (p > 0) { waitpid(p, NULL, 0); forks++; } }
static void m_forkhandler(void)
{
	signal(SIGALRM, fork_h);
	struct itimerval it = {{0, 300}, {0, 300}};
	setitimer(ITIMER_REAL, &it, NULL);
	while (forks < 300) {
		pthread_key_t k; pthread_key_create(&k, kdtor); pthread_key_delete(k);
		struct sigaction sa; sigaction(SIGUSR1, NULL, &sa);
		sigset_t s; sigprocmask(SIG_BLOCK, NULL, &s);
		waitpid(-1, NULL, WNOHANG);
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	printf("forks >= 300\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "siginfo")) m_siginfo();
	else if (!strcmp(m, "reinstall")) m_reinstall();
	else if (!strcmp(m, "altstack")) m_altstack();
	else if (!strcmp(m, "cancel")) m_cancel(argc > 2 ? argv[2] : NULL);
	else if (!strcmp(m, "jumps")) m_jumps();
	else if (!strcmp(m, "stackuse")) m_stackuse();
	else if (!strcmp(m, "clone")) m_clone();
	else if (!strcmp(m, "nofile")) m_nofile();
	else if (!strcmp(m, "exitrace")) m_exitrace();
	else if (!strcmp(m, "mainexit")) m_mainexit();
	else if (!strcmp(m, "suspend_dfl")) m_sigsuspend(1);
	else if (!strcmp(m, "suspend_h")) m_sigsuspend(0);
	else if (!strcmp(m, "forkhandler")) m_forkhandler();
	else { fprintf(stderr, "mode?\n"); return 2; }
	return 0;
}

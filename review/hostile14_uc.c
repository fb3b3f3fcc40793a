/* hostile14_uc.c - what handlers read and change in their ucontext (uc_stack, RIP, uc_sigmask); re-raise in sigsuspend; siglongjmp from SIGTERM/SIGPIPE handlers out of nanosleep in threads */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static void show_ucstack(const char *who, int sig, ucontext_t *uc)
{
	printf("%s sig %d uc_stack sp_null %d size %zu flags %d\n", who, sig, uc->uc_stack.ss_sp == NULL, uc->uc_stack.ss_size, uc->uc_stack.ss_flags);
}
static void h_ucstack(int sig, siginfo_t *si, void *u)
{
	(void)si;
	show_ucstack(pthread_self() == *(pthread_t *)0 ? "" : "h", sig, u);
}
static pthread_t mainth;
static void h_ucstack2(int sig, siginfo_t *si, void *u)
{
	(void)si;
	show_ucstack(pthread_equal(pthread_self(), mainth) ? "main" : "thread", sig, u);
}
static void *th_raise(void *a)
{
	(void)a;
	int sigs[] = {SIGUSR1, SIGTERM, SIGSEGV};
	for (int i = 0; i < 3; i++) raise(sigs[i]);
	return NULL;
}
static void m_ucstack(void)
{
	mainth = pthread_self();
	int sigs[] = {SIGUSR1, SIGTERM, SIGSEGV};
	for (int i = 0; i < 3; i++) {
		struct sigaction sa = {0};
		sa.sa_sigaction = h_ucstack2;
		sa.sa_flags = SA_SIGINFO;
		sigaction(sigs[i], &sa, NULL);
		raise(sigs[i]);
	}
	pthread_t t; pthread_create(&t, NULL, th_raise, NULL); pthread_join(t, NULL);
	/* with an altstack of the program's */
	stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16};
	sigaltstack(&ss, NULL);
	for (int i = 0; i < 3; i++) {
		struct sigaction sa = {0};
		sa.sa_sigaction = h_ucstack2;
		sa.sa_flags = SA_SIGINFO | (i == 1 ? SA_ONSTACK : 0);
		sigaction(sigs[i], &sa, NULL);
		raise(sigs[i]);
	}
	/* a real fault (si_code > 0): the handler skips the instruction */
	(void)h_ucstack;
}

/* handler edits uc: skip faulting instructions, change the mask at return */
static void h_skip(int sig, siginfo_t *si, void *u)
{
	ucontext_t *uc = u;
	(void)si;
	int len = sig == SIGSEGV ? 6 : sig == SIGILL ? 2 : sig == SIGFPE ? 2 : 0;
	uc->uc_mcontext.gregs[REG_RIP] += len;
	uc->uc_mcontext.gregs[REG_RAX] = 1234;
	sigaddset(&uc->uc_sigmask, SIGUSR2);
	printf("handled %d code %d\n", sig, si->si_code);
}
static void m_ucedit(void)
{
	int sigs[] = {SIGSEGV, SIGILL, SIGFPE, SIGTRAP, SIGTERM, SIGUSR1, SIGHUP};
	for (int i = 0; i < 7; i++) {
		struct sigaction sa = {0};
		sa.sa_sigaction = h_skip;
		sa.sa_flags = SA_SIGINFO;
		sigaction(sigs[i], &sa, NULL);
	}
	long rax;
	for (int i = 0; i < 7; i++) {
		sigset_t m; sigemptyset(&m); sigprocmask(SIG_SETMASK, &m, NULL);
		switch (sigs[i]) {
		case SIGSEGV: __asm__ volatile("xor %%eax,%%eax\n\t.byte 0xc7,0x00,0x01,0x00,0x00,0x00" : "=a"(rax) :: "memory"); break;
		case SIGILL: __asm__ volatile("mov $5,%%eax\n\tud2" : "=a"(rax)); break;
		case SIGFPE: __asm__ volatile("mov $5,%%eax\n\txor %%edx,%%edx\n\txor %%ecx,%%ecx\n\tidivl %%ecx" : "=a"(rax) :: "rdx", "rcx"); break;
		case SIGTRAP: __asm__ volatile("mov $5,%%eax\n\tint3" : "=a"(rax)); break;
		default: {
			/* the signal arrives while blocked-free code runs: rax change is not checkable; mask is */
			raise(sigs[i]); rax = 1234; break;
		}
		}
		sigprocmask(SIG_SETMASK, NULL, &m);
		printf("after %d: rax %ld usr2 blocked %d\n", sigs[i], rax, sigismember(&m, SIGUSR2));
	}
}

/* a SIGTERM handler that puts the default back and raises, inside sigsuspend */
static void h_reraise(int sig) { signal(sig, SIG_DFL); raise(sig); write(1, "handler end\n", 12); }
static void m_reraise_suspend(int sig)
{
	signal(sig, h_reraise);
	sigset_t b, o; sigemptyset(&b); sigaddset(&b, sig); sigprocmask(SIG_BLOCK, &b, &o);
	pid_t c = fork();
	if (c == 0) { kill(getppid(), sig); _exit(0); }
	waitpid(c, NULL, 0);
	int r = sigsuspend(&o);
	printf("sigsuspend %d %s\n", r, strerror(errno));
	sigset_t p; sigpending(&p);
	printf("pending %d\n", sigismember(&p, sig));
	fflush(stdout);
	sigprocmask(SIG_UNBLOCK, &b, NULL);
	printf("alive\n");
}

/* SIGTERM handlers that siglongjmp out of interposed calls in threads */
static __thread sigjmp_buf jb;
static __thread volatile int armed;
static void h_jump(int sig) { (void)sig; if (armed) { armed = 0; siglongjmp(jb, 1); } }
static volatile int stop;
static void *jumper(void *a)
{
	int n = 0;
	(void)a;
	while (!stop) {
		if (sigsetjmp(jb, 1)) { n++; continue; }
		armed = 1;
		struct timespec ts = {5, 0};
		nanosleep(&ts, NULL);
		armed = 0;
	}
	return (void *)(intptr_t)n;
}
static void m_termjump(void)
{
	signal(SIGTERM, h_jump);
	signal(SIGPIPE, h_jump);
	pthread_t t[3];
	for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, jumper, NULL);
	for (int k = 0; k < 300; k++) {
		for (int i = 0; i < 3; i++) pthread_kill(t[i], k & 1 ? SIGTERM : SIGPIPE);
		usleep(500);
	}
	stop = 1;
	int tot = 0;
	for (int i = 0; i < 3; i++) { pthread_kill(t[i], SIGTERM); void *r; pthread_join(t[i], &r); tot += (int)(intptr_t)r > 0; }
	printf("threads that jumped %d\n", tot);
	/* then SIGTERM at default from another process still kills */
	signal(SIGTERM, SIG_DFL);
	pid_t c = fork();
	if (c == 0) { kill(getppid(), SIGTERM); _exit(0); }
	waitpid(c, NULL, 0);
	pause();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "ucstack")) m_ucstack();
	else if (!strcmp(m, "ucedit")) m_ucedit();
	else if (!strcmp(m, "reraise_term")) m_reraise_suspend(SIGTERM);
	else if (!strcmp(m, "reraise_abrt")) m_reraise_suspend(SIGABRT);
	else if (!strcmp(m, "reraise_segv")) m_reraise_suspend(SIGSEGV);
	else if (!strcmp(m, "termjump")) m_termjump();
	else return 2;
	return 0;
}

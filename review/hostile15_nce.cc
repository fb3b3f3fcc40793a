// hostile15_nce.cc MODE: C++ exceptions thrown out of signal handlers (-fnon-call-exceptions):
// SIGSEGV, SIGFPE, SIGALRM, SIGTERM; SA_SIGINFO, SA_NODEFER, SA_ONSTACK variants. review/run-hostile15.sh
// exceptions thrown out of a signal handler (-fnon-call-exceptions)
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdexcept>
struct Fault : std::runtime_error { int sig; Fault(int s) : std::runtime_error("fault"), sig(s) {} };
static void h(int sig) { throw Fault(sig); }
static void hinfo(int sig, siginfo_t *, void *) { throw Fault(sig); }
__attribute__((noinline)) int deref(volatile int *p) { return *p; }
__attribute__((noinline)) int divide(volatile int a, volatile int b) { return a / b; }
__attribute__((noinline)) void spin(volatile int *stop) { while (!*stop) {} }
int main(int argc, char **argv) {
	const char *m = argc > 1 ? argv[1] : "segv";
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (strstr(m, "info")) { sa.sa_sigaction = hinfo; sa.sa_flags = SA_SIGINFO; }
	else sa.sa_handler = h;
	if (strstr(m, "nodefer")) sa.sa_flags |= SA_NODEFER;
	if (strstr(m, "onstack")) {
		stack_t ss; ss.ss_sp = malloc(1 << 16); ss.ss_size = 1 << 16; ss.ss_flags = 0; sigaltstack(&ss, 0);
		sa.sa_flags |= SA_ONSTACK;
	}
	sigaction(SIGSEGV, &sa, 0); sigaction(SIGFPE, &sa, 0); sigaction(SIGALRM, &sa, 0); sigaction(SIGTERM, &sa, 0);
	int n = 0;
	for (int i = 0; i < 5; i++) {
		try {
			if (strstr(m, "segv")) deref((int *)0);
			else if (strstr(m, "fpe")) divide(1, 0);
			else if (strstr(m, "alrm")) { volatile int stop = 0; alarm(1); spin(&stop); }
			else if (strstr(m, "term")) { volatile int stop = 0; kill(getpid(), SIGTERM); spin(&stop); }
		} catch (const Fault &f) { n++; printf("caught %d\n", f.sig); }
		sigset_t cur; sigprocmask(SIG_SETMASK, 0, &cur);
		printf("mask has sig %d %d %d\n", sigismember(&cur, SIGSEGV), sigismember(&cur, SIGFPE), sigismember(&cur, SIGALRM));
		// unblock as a program would after leaving a handler by throw
		sigset_t s; sigemptyset(&s); sigaddset(&s, SIGSEGV); sigaddset(&s, SIGFPE); sigaddset(&s, SIGALRM); sigaddset(&s, SIGTERM);
		sigprocmask(SIG_UNBLOCK, &s, 0);
		if (strstr(m, "alrm") && i == 1) break;
	}
	printf("done %d\n", n);
	return 0;
}

/* raw_sigaction.c - a program that sets and reads its signal actions with
 * syscall(SYS_rt_sigaction, ...) (libc's syscall()), mixed with sigaction: what it reads, and
 * that a handler it installs raw runs. t396. Prints one line per read; exit 0. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ksa {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

static void on_sig(int sig) { printf("handler ran for %d\n", sig); }

static const char *name(void *h)
{
	return h == (void *)SIG_DFL ? "DFL" : h == (void *)SIG_IGN ? "IGN" : h == (void *)on_sig ? "on_sig" : "other";
}

static void raw_read(int sig, const char *when)
{
	struct ksa k;
	long r = syscall(SYS_rt_sigaction, sig, NULL, &k, 8);
	printf("%s: raw %d: %ld %s flags %#lx restorer %s mask %#llx\n", when, sig, r, name(k.handler), k.flags,
	       k.restorer ? "set" : "null", (unsigned long long)k.mask);
}

static void libc_read(int sig, const char *when)
{
	struct sigaction sa;
	sigaction(sig, NULL, &sa);
	printf("%s: libc %d: %s flags %#x\n", when, sig, name((void *)sa.sa_handler), sa.sa_flags);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGABRT, SIGPIPE, SIGTERM, SIGUSR1, SIGCHLD, SIGWINCH};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
		raw_read(sigs[i], "start");
	/* glibc's restorer, as a raw user finds it: from an action sigaction installed */
	signal(SIGWINCH, on_sig);
	struct ksa w;
	syscall(SYS_rt_sigaction, SIGWINCH, NULL, &w, 8);
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		int s = sigs[i];
		struct ksa ign = {(void *)SIG_IGN, 0x04000000, w.restorer, 0}, h = {(void *)on_sig, 0x04000000 | SA_RESTART, w.restorer, 1ull << (SIGUSR2 - 1)};
		syscall(SYS_rt_sigaction, s, &ign, NULL, 8);
		libc_read(s, "raw IGN");
		raw_read(s, "raw IGN");
		struct ksa old;
		syscall(SYS_rt_sigaction, s, &h, &old, 8);
		printf("old %s\n", name(old.handler));
		libc_read(s, "raw handler");
		raw_read(s, "raw handler");
		raise(s);
		signal(s, SIG_DFL);
		raw_read(s, "libc DFL");
	}
	printf("bad size: %ld\n", syscall(SYS_rt_sigaction, SIGTERM, NULL, &w, 4));
	return 0;
}

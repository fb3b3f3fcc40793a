/* preinit.c - a program that sets up its signals in .preinit_array (before any library's
 * constructor, the shim's included) and in its own constructor; main reads them back and uses
 * them: a GC barrier fault, a SIGTERM to itself, a blocked SIGUSR1, SIGPIPE ignored; exit 0 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
static char *page;
static volatile int faults, terms;
static char alt[65536];
static void segv(int s, siginfo_t *si, void *uc) { (void)s; (void)uc; faults++; mprotect((void *)((uintptr_t)si->si_addr & ~4095UL), 4096, PROT_READ | PROT_WRITE); }
static void term(int s) { (void)s; terms++; }
static void setup(int argc, char **argv, char **envp)
{
	(void)argc; (void)argv; (void)envp;
	struct sigaction sa = {0};
	sa.sa_sigaction = segv; sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, 0);
	sa.sa_handler = term; sa.sa_flags = 0;
	sigaction(SIGTERM, &sa, 0);
	signal(SIGPIPE, SIG_IGN);
	sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1); sigprocmask(SIG_BLOCK, &m, 0);
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt}; sigaltstack(&ss, 0);
	page = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
__attribute__((section(".preinit_array"), used)) static void (*pre)(int, char **, char **) = setup;
static void (*ctor_check)(void);
__attribute__((constructor)) static void ctor(void) { signal(SIGHUP, SIG_IGN); }
int main(void)
{
	struct sigaction sa; stack_t ss; sigset_t m;
	sigaction(SIGSEGV, 0, &sa); printf("segv mine %d flags 0x%x\n", sa.sa_sigaction == segv, sa.sa_flags & ~0x04000000);
	sigaction(SIGTERM, 0, &sa); printf("term mine %d\n", sa.sa_handler == term);
	sigaction(SIGPIPE, 0, &sa); printf("pipe ign %d\n", sa.sa_handler == SIG_IGN);
	sigaction(SIGHUP, 0, &sa); printf("hup ign %d\n", sa.sa_handler == SIG_IGN);
	sigprocmask(SIG_SETMASK, 0, &m); printf("usr1 blocked %d\n", sigismember(&m, SIGUSR1));
	sigaltstack(0, &ss); printf("altstack mine %d size %zu flags %d\n", ss.ss_sp == alt, ss.ss_size, ss.ss_flags);
	page[1] = 1; printf("faults %d\n", faults);
	kill(getpid(), SIGTERM); printf("terms %d\n", terms);
	(void)ctor_check;
	return 0;
}

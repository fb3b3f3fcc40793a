/* handler_depth.c (t499; review/run-hostile18.sh): how far below the signal stack's top
 * (SA_ONSTACK) or the interrupted frame (not) a SIGTERM/SIGUSR1 handler's first local lies, with SA_SIGINFO and without, on the main
 * thread and a thread (HOSTILE18 item 1: the shim's handler calls the program's, which then runs
 * lower than without the shim). One line per case: "CASE BYTES". */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *ref;      /* the signal stack's top, or the raiser's local */
static long depth;
static void note(void) { volatile char here; depth = (long)(ref - (char *)&here); }
static void h_plain(int s) { (void)s; note(); }
static void h_info(int s, siginfo_t *si, void *uc) { (void)s; (void)si; (void)uc; note(); }

static void one(const char *where, int sig, int onstack, int info)
{
	static char alt[1 << 16] __attribute__((aligned(16)));
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (info) sa.sa_sigaction = h_info, sa.sa_flags = SA_SIGINFO;
	else sa.sa_handler = h_plain;
	if (onstack) {
		stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
		sigaltstack(&ss, NULL);
		sa.sa_flags |= SA_ONSTACK;
		ref = alt + sizeof alt;
	} else {
		volatile char mark;
		ref = (char *)&mark;
	}
	sigaction(sig, &sa, NULL);
	raise(sig);
	printf("%s %s %s %s %ld\n", where, sig == SIGTERM ? "TERM" : "USR1", onstack ? "onstack" : "stack", info ? "siginfo" : "plain", depth);
	if (onstack) {
		stack_t off = {.ss_flags = SS_DISABLE};
		sigaltstack(&off, NULL);
	}
}
static void all(const char *where)
{
	for (int s = 0; s < 2; s++) for (int o = 0; o < 2; o++) for (int i = 0; i < 2; i++) one(where, s ? SIGUSR1 : SIGTERM, o, i);
}
static void *th(void *a) { (void)a; all("thread"); return NULL; }
int main(void)
{
	pthread_t t;
	all("main");
	pthread_create(&t, NULL, th, NULL);
	pthread_join(t, NULL);
	return 0;
}

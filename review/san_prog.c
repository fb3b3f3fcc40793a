/* review/san_prog.c MODE: for kind 21 (sanitizers and checkers): threads with pthread keys, then
 *  exit   exit(42)
 *  crash  a NULL write (SIGSEGV)
 *  pexit  pthread_exit from main while a thread still runs; that thread exits 43
 *  race   two threads write one int without a lock (TSan reports it)
 *  ub     a signed overflow and a misaligned load (UBSan reports them) */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static pthread_key_t key;
static void kd(void *p) { (void)p; }
static int shared;
static void *thr(void *a) { pthread_setspecific(key, a); for (int i = 0; i < 1000; i++) shared++; return a; }
static void *late(void *a) { usleep(200000); printf("late thread exits 43\n"); fflush(stdout); exit(43); return a; }
int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "exit";
	pthread_key_create(&key, kd);
	pthread_t t[4];
	int n = strcmp(m, "race") ? 1 : 4;
	for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, thr, (void *)1);
	for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
	printf("%s: threads done\n", m);
	fflush(stdout);
	if (!strcmp(m, "crash")) *(volatile int *)(uintptr_t)argc = 0;
	if (!strcmp(m, "pexit")) { pthread_t l; pthread_create(&l, NULL, late, NULL); pthread_exit(NULL); }
	if (!strcmp(m, "ub")) {
		volatile int big = 0x7fffffff; int x = big + argc;
		char buf[16] = {0}; int y = *(int *)(buf + 1 + (argc & 0));
		printf("ub %d %d\n", x, y);
	}
	exit(42);
}

// review/stacks.cc MODE KIB: one thread with a KIB stack (kind 10); modes:
//  tls     a thread_local with a destructor, used, several times in a loop of threads
//  key     a pthread key with a destructor
//  signals the thread loops while main sends it SIGUSR1 2000 times (handler: 512 B of locals)
//  both    tls + key + signals, and the thread calls pthread_exit
//  segv    the thread takes a SIGSEGV it handles by siglongjmp (no altstack)
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <atomic>

struct D { int v = 0; ~D() { v = -1; __asm__ volatile("" ::: "memory"); } };
static thread_local D tl;
static pthread_key_t key;
static std::atomic<int> hits, stop, ready;
static void kd(void *p) { (void)p; }
static void h_usr1(int) { volatile char b[512]; b[0] = 1; b[511] = b[0]; hits++; }
static thread_local sigjmp_buf jb;
static void h_segv(int) { siglongjmp(jb, 1); }
static const char *mode;
static void *thr(void *)
{
	if (!strcmp(mode, "tls") || !strcmp(mode, "both")) tl.v++;
	if (!strcmp(mode, "key") || !strcmp(mode, "both")) pthread_setspecific(key, (void *)1);
	if (!strcmp(mode, "signals") || !strcmp(mode, "both")) {
		ready = 1;
		while (!stop) __asm__ volatile("" ::: "memory");
	}
	if (!strcmp(mode, "segv"))
		for (int i = 0; i < 100; i++)
			if (sigsetjmp(jb, 1) == 0) *(volatile int *)(uintptr_t)8 = 0;
	if (!strcmp(mode, "both")) pthread_exit(nullptr);
	return nullptr;
}
int main(int argc, char **argv)
{
	mode = argv[1];
	size_t kib = argc > 2 ? atoi(argv[2]) : 16;
	pthread_key_create(&key, kd);
	signal(SIGUSR1, h_usr1);
	signal(SIGSEGV, h_segv);
	for (int round = 0; round < 5; round++) {
		pthread_attr_t a;
		pthread_attr_init(&a);
		if (pthread_attr_setstacksize(&a, kib * 1024)) { printf("setstacksize refused\n"); return 3; }
		pthread_t t;
		ready = 0; stop = 0;
		if (pthread_create(&t, &a, thr, nullptr)) { printf("create failed\n"); return 4; }
		if (!strcmp(mode, "signals") || !strcmp(mode, "both")) {
			while (!ready) ;
			for (int i = 0; i < 400; i++) { pthread_kill(t, SIGUSR1); if (i % 50 == 0) usleep(100); }
			stop = 1;
		}
		pthread_join(t, nullptr);
	}
	printf("%s %zu KiB: ok\n", mode, kib);
	return 0;
}

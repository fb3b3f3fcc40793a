/* crashers.c - ways to die, one per argument:
 *   overflow   unbounded recursion: SIGSEGV on a stack that has no room left
 *   thread     NULL dereference in a second thread
 *   abort      abort(): SIGABRT
 *   raise      raise(SIGSEGV): a signal sent, not a fault
 *   own        installs its own SIGSEGV handler after start (sigaction, act and old one struct),
 *              checks that sigaction reports it back, faults; the handler prints and exits 42
 *   signal     the same with signal()
 *   nomalloc   (built with -DCOUNT_MALLOC) counts malloc/free calls from the fault to its own
 *              handler, which exits with 0 if there were none, 1 otherwise; one during that
 *              _exit (where the shim reports the crash) prints "malloc after the handler"
 *   badcall    as nomalloc, the fault a call to address 0x10 (no unwind information there, no
 *              memory): the shim walks from the return address the call pushed
 *   badjump    as nomalloc, a jump to 0x10 with 0 on top of the stack (no return address there):
 *              the shim's frame-pointer walk
 * A pthread key with a destructor is created first: with the shim, that warms up its unwinder
 * (unless the argument "nokey" follows: the crash is then the unwinder's first use). */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef COUNT_MALLOC
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
static volatile int counting, count, after_handler;
static void counted(int n)
{
	static const char m[] = "malloc after the handler\n";
	count += counting && n;
	if (after_handler && n && write(1, m, sizeof m - 1) < 0)
		after_handler = 0;
}
void *malloc(size_t n) { counted(1); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { counted(1); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { counted(1); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { counted(1); return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n) { counted(1); *p = __libc_memalign(a, n); return *p ? 0 : 12; }
void *aligned_alloc(size_t a, size_t n) { counted(1); return __libc_memalign(a, n); }
void free(void *p) { counted(p != NULL); __libc_free(p); }
#endif

static volatile int *volatile nowhere;

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	return recurse(depth + 1) + pad[0];
}

static void *crash_thread(void *arg)
{
	(void)arg;
	*nowhere = 1;
	return NULL;
}

static void own_handler(int sig)
{
	char msg[64];
	int n;
#ifdef COUNT_MALLOC
	counting = 0;
	n = snprintf(msg, sizeof msg, "own handler: signal %d, %d allocations\n", sig, count);
	if (write(1, msg, (size_t)n) < 0)
		_exit(3);
	after_handler = 1;
	_exit(count ? 1 : 0);
#endif
	n = snprintf(msg, sizeof msg, "own handler: signal %d\n", sig);
	if (write(1, msg, (size_t)n) < 0)
		_exit(3);
	_exit(42);
}

static void key_dtor(void *v) { (void)v; }

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	pthread_key_t key;
	pthread_t t;
	if (argc < 3 || strcmp(argv[2], "nokey") != 0)
		pthread_key_create(&key, key_dtor);
	printf("mode %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "overflow"))
		return recurse(0);
	if (!strcmp(mode, "thread")) {
		pthread_create(&t, NULL, crash_thread, NULL);
		pthread_join(t, NULL);
		return 0;
	}
	if (!strcmp(mode, "abort"))
		abort();
	if (!strcmp(mode, "raise"))
		return raise(SIGSEGV);
	if (!strcmp(mode, "own") || !strcmp(mode, "nomalloc") || !strcmp(mode, "badcall") || !strcmp(mode, "badjump")) {
		struct sigaction sa, q;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = own_handler;
		q = sa;
		sigaction(SIGSEGV, &q, &q); /* act and old one struct, as POSIX allows */
		if (q.sa_handler != SIG_DFL) {
			puts("sigaction(sig, &a, &a) did not return the old action");
			return 3;
		}
		sigaction(SIGSEGV, NULL, &q);
		if (q.sa_handler != own_handler) {
			puts("sigaction does not report the program's handler back");
			return 3;
		}
#ifdef COUNT_MALLOC
		counting = 1;
#endif
		if (!strcmp(mode, "badcall"))
			((void (*)(void))((uintptr_t)nowhere + 16))();
		if (!strcmp(mode, "badjump"))
			__asm__ volatile("pushq $0\n\tjmp *%0" : : "r"((uintptr_t)nowhere + 16) : "memory");
		*nowhere = 1;
	}
	if (!strcmp(mode, "signal")) {
		signal(SIGSEGV, own_handler);
		if (signal(SIGSEGV, own_handler) != own_handler) {
			puts("signal does not report the program's handler back");
			return 3;
		}
		*nowhere = 1;
	}
	return 2;
}

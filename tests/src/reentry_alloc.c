/* reentry_alloc.c - a preloaded allocator standing for jemalloc (t048): its first allocation,
 * "holding its init lock", calls what allocators call during their own initialization:
 * pthread_key_create with a destructor, __cxa_atexit, pthread_atfork (not
 * __cxa_thread_atexit_impl: glibc's own callocs, so no allocator can call it there). An allocation reaching it meanwhile (from whatever those calls run) is a re-entry that would
 * deadlock a real allocator: counted, and reported on stderr at exit. Without anything else
 * preloaded it prints nothing. Build: -shared -fPIC. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
extern int __cxa_atexit(void (*)(void *), void *, void *);
extern void *__dso_handle;

static __thread int in_init;
static int started, reentries;
static pthread_key_t key;

static void key_dtor(void *p) { (void)p; }
static void exit_fn(void *p) { (void)p; }
static void atfork_noop(void) {}

static void init_once(void)
{
	if (started)
		return;
	started = 1;
	in_init = 1;
	pthread_key_create(&key, key_dtor);
	__cxa_atexit(exit_fn, NULL, &__dso_handle);
	pthread_atfork(atfork_noop, atfork_noop, atfork_noop);
	in_init = 0;
}

static void enter(void)
{
	if (in_init)
		reentries++;
	else
		init_once();
}

void *malloc(size_t n) { enter(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { enter(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { enter(); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { enter(); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { enter(); return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n)
{
	enter();
	*p = __libc_memalign(a, n);
	return *p ? 0 : 12;
}
void free(void *p)
{
	if (in_init && p)
		reentries++;
	__libc_free(p);
}

__attribute__((destructor)) static void report(void)
{
	static const char msg[] = "reentry_alloc: allocator re-entered during its initialization\n";
	if (reentries && write(2, msg, sizeof msg - 1) < 0)
		_exit(97);
}

/* stackuse.cc - how much of a thread's stack a program's thread uses, measured: the thread runs
 * on a stack we provide (pthread_attr_setstack) filled with a pattern, and after it is joined the
 * lowest byte no longer holding the pattern says how deep it went (glibc's thread descriptor and
 * static TLS, at the top of that stack, included). Run with and without the shim, the difference
 * is what the shim costs a thread.
 *   stackuse MODE [BYTES]: one thread doing MODE; with BYTES, on a stack of exactly that size
 *   (no measurement: does it survive?)
 * MODE: plain, tls (a thread_local with a destructor), tlslib (the same in a shared library),
 * key (a pthread key with a destructor), uad (a use-after-destroy in the library's destructors),
 * pthread_exit (tls, then pthread_exit), exit (tls, then exit(0) from the thread), dlopen (loads
 * libz.so.1, which the program does not link).
 * Prints "MODE used N" (N in bytes) or "MODE ok". */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern "C" long stackuse_lib_uad(void);
extern "C" long stackuse_lib_tls(void);

struct S {
	long v = 1;
	~S() { v = 0; }
};
static thread_local S s;
static const char *mode;
static unsigned char *stack;
static size_t stack_size;
static int measure;
enum { PATTERN = 0xa5 };

static void report(void)
{
	size_t i = 0;
	if (!measure) {
		printf("%s ok\n", mode);
		return;
	}
	while (i < stack_size && stack[i] == PATTERN)
		i++;
	printf("%s used %zu\n", mode, stack_size - i);
}

static void *work(void *)
{
	if (!strcmp(mode, "tls") || !strcmp(mode, "pthread_exit") || !strcmp(mode, "exit"))
		s.v++;
	else if (!strcmp(mode, "tlslib"))
		stackuse_lib_tls();
	else if (!strcmp(mode, "uad"))
		stackuse_lib_uad();
	else if (!strcmp(mode, "key")) {
		pthread_key_t k;
		pthread_key_create(&k, free);
		pthread_setspecific(k, malloc(8));
	}
	if (!strcmp(mode, "dlopen") && !dlopen("libz.so.1", RTLD_NOW))
		printf("dlopen failed\n");
	if (!strcmp(mode, "pthread_exit"))
		pthread_exit(nullptr);
	if (!strcmp(mode, "exit")) {
		fflush(stdout);
		exit(0);
	}
	return nullptr;
}

int main(int argc, char **argv)
{
	pthread_attr_t a;
	pthread_t t;
	mode = argc > 1 ? argv[1] : "plain";
	measure = argc <= 2;
	stack_size = measure ? 256 * 1024 : strtoul(argv[2], 0, 0);
	stack = (unsigned char *)mmap(nullptr, stack_size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED || mprotect(stack, 4096, PROT_NONE))
		return 3;
	stack += 4096; /* a guard page below */
	memset(stack, PATTERN, stack_size);
	atexit(report); /* the first registered runs last: after a thread's exit() too */
	pthread_attr_init(&a);
	if (pthread_attr_setstack(&a, stack, stack_size) || pthread_create(&t, &a, work, nullptr)) {
		printf("create failed\n");
		return 3;
	}
	pthread_join(t, nullptr);
	return 0;
}

/* hostile15_deep.c: recursion until the main stack overflows (ulimit -s), a SIGSEGV handler on a
 * signal stack leaves by siglongjmp, three times; the depth reached. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
static sigjmp_buf jb;
static volatile long depth, maxd;
static void h(int s) { (void)s; siglongjmp(jb, 1); }
__attribute__((noinline)) static long rec(long n) { volatile char pad[1000]; pad[0] = n; depth = n; if (n > maxd) maxd = n; return rec(n + 1) + pad[0]; }
static void status(const char *keys)
{
	FILE *f = fopen("/proc/self/status", "r"); char l[256];
	while (fgets(l, sizeof l, f)) { char k[64]; sscanf(l, "%63[^:]", k); if (strstr(keys, k)) printf("%s", l); }
	fclose(f);
}
int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "status")) { status("Threads VmStk"); struct rlimit r; getrlimit(RLIMIT_STACK, &r); printf("stack %ld\n", (long)r.rlim_cur); return 0; }
	stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16}; sigaltstack(&ss, NULL);
	struct sigaction sa = {0}; sa.sa_handler = h; sa.sa_flags = SA_ONSTACK | SA_NODEFER; sigaction(SIGSEGV, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(jb, 1) == 0) rec(0);
		printf("round %d depth %ld\n", i, depth);
	}
	status("Threads");
	return 0;
}

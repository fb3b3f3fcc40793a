/* hostile15_bt.c: glibc backtrace() in handlers of SIGTERM, SIGUSR1, SIGALRM and SIGSEGV (_exit 3). review/run-hostile15.sh */
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void h(int s) { void *b[16]; int n = backtrace(b, 16); char **x = backtrace_symbols(b, n); printf("sig %d frames %d\n", s, n); for (int i = 0; i < n && i < 4; i++) { char *p = x[i]; char *q = p; while (*q && *q != '(') q++; printf("  #%d %s\n", i, q); } fflush(stdout); if (s == SIGSEGV) _exit(3); }
int main(void) { signal(SIGTERM, h); signal(SIGUSR1, h); signal(SIGALRM, h); signal(SIGSEGV, h); raise(SIGTERM); raise(SIGUSR1); raise(SIGALRM); *(volatile int *)0 = 1; return 0; }

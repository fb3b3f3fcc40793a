/* hostile15_vgalt.c [x]: a SIGTERM (x: SIGUSR1) handler with SA_ONSTACK on a 64 KiB signal stack of the program's, raised once, then printf: run under valgrind --error-exitcode=99 with LD_BIND_NOW=1. review/run-hostile15.sh */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
static volatile int n;
static void h(int s) { (void)s; n++; }
int main(int argc, char **argv)
{
	stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536}; sigaltstack(&ss, NULL);
	struct sigaction sa = {0}; sa.sa_handler = h; sa.sa_flags = SA_ONSTACK; sigaction(argc > 1 ? SIGUSR1 : SIGTERM, &sa, NULL);
	raise(argc > 1 ? SIGUSR1 : SIGTERM); printf("%d\n", n); return 0;
}

/* crash_child.c - dies of a crash signal of its own (t373): segv (a null read: SIGSEGV,
 * SEGV_MAPERR), abort (SIGABRT), fpe (an integer division by zero: SIGFPE). A supervisor that
 * mirrors its child's death (timeout(1)) then raises the same signal itself. after: a child of
 * its aborts, a second one exits 0, then it aborts itself: its own crash, not its child's passed
 * on (the last child it reaped exited). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	volatile int zero = 0, *null = 0;
	if (argc > 1 && !strcmp(argv[1], "abort"))
		abort();
	if (argc > 1 && !strcmp(argv[1], "after")) {
		int st;
		for (int k = 0; k < 2; k++) {
			pid_t c = fork();
			if (c == 0) {
				if (k == 0)
					abort();
				_exit(0);
			}
			waitpid(c, &st, 0);
		}
		abort();
	}
	if (argc > 1 && !strcmp(argv[1], "fpe"))
		return 100 / zero; /* (not 1 / zero: GCC makes that a comparison) */
	return *null;
}

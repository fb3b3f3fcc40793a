/* overflow_onstack.c - a SIGSEGV handler installed with SA_ONSTACK (argv[1] "onstack") or
 * without, no signal stack of the program's, then unbounded recursion on the main thread (t407):
 * without the shim the kernel finds no room for the signal frame below the overflowed stack and
 * the process dies of SIGSEGV; the handler, were it to run, prints "caught" and exits 3. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_segv(int sig)
{
	(void)sig;
	if (write(1, "caught\n", 7) < 0)
		_exit(4);
	_exit(3);
}

static int deeper(int n)
{
	volatile char b[1024];
	b[0] = (char)n;
	return deeper(n + 1) + b[0];
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_segv;
	sa.sa_flags = argc > 1 && !strcmp(argv[1], "onstack") ? SA_ONSTACK : 0;
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("start\n");
	return deeper(0);
}

/* tests/src/atexit_sleep.c: a C atexit handler that never returns, sleeping in a loop (t310).
 * Prints "ready" once the handler is registered, then calls exit(). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void wait_forever(void) { for (;;) sleep(1); }

int main(void)
{
	atexit(wait_forever);
	puts("ready");
	fflush(stdout);
	exit(0);
}

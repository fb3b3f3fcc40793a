/* atexit_self_sigkill: an atexit handler kills its own process with SIGKILL (t387) */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static void h(void)
{
	kill(getpid(), SIGKILL);
}

int main(void)
{
	atexit(h);
	return 0;
}

/* atexit_userns_pause: an atexit handler moves the process into a new user namespace
 * (unshare(CLONE_NEWUSER), no uid map written) and waits for a signal; it prints "ready" then, or
 * "unshare failed" (t389) */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void h(void)
{
	if (unshare(CLONE_NEWUSER)) {
		printf("unshare failed\n");
		fflush(stdout);
		return;
	}
	printf("ready\n");
	fflush(stdout);
	pause();
}

int main(void)
{
	atexit(h);
	return 0;
}

/* group_srv.c - a server that runs until stopped (t380): prints "ready" and waits in pause();
 * with the argument "drain", its SIGTERM handler prints "drained" and exits 0 (a graceful stop),
 * else SIGTERM's default action ends it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void drain(int sig)
{
	(void)sig;
	if (write(1, "drained\n", 8) != 8)
		_exit(2);
	exit(0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "drain"))
		signal(SIGTERM, drain);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

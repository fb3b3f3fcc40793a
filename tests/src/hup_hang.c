/* hup_hang.c - a SIGHUP handler that never returns (a user's report, issue 15; t251): the handler
 * sleeps forever; argv[1] the signal to handle (default SIGHUP). Prints "ready" once installed. */
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
static void h(int s)
{
	(void)s;
	for (;;)
		sleep(100);
}
int main(int argc, char **argv)
{
	int sig = argc > 1 ? atoi(argv[1]) : SIGHUP;
	signal(sig, h);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

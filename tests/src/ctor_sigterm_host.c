/* ctor_sigterm_host.c (t342): a server installs its SIGTERM handler (server_term: exit(0)), loads
 * a plugin (argv[1]) whose constructor replaces it, then sends itself SIGTERM: the plugin's
 * handler runs, not the server's, and main ends with status 3 (without the plugin: 0 from
 * server_term). */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void server_term(int s)
{
	(void)s;
	exit(0);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = server_term;
	sigaction(SIGTERM, &sa, NULL);
	if (argc > 1 && !dlopen(argv[1], RTLD_NOW)) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	kill(getpid(), SIGTERM);
	return 3;
}

/* ctor_sigterm_plug.c (t342): a plugin whose constructor, run inside the host's dlopen, installs
 * its own SIGTERM handler over the host's; its handler only sets a flag. */
#include <signal.h>
#include <string.h>
volatile sig_atomic_t plug_stopping;
static void plug_term(int s) { (void)s; plug_stopping = 1; }
static void __attribute__((constructor)) plug_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plug_term;
	sigaction(SIGTERM, &sa, NULL);
}

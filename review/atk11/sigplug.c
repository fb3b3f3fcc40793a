/* review/atk11/sigplug.c: a plugin whose constructor replaces the host's SIGTERM handler with
 * its own, which only sets a flag (ATK11). */
#include <signal.h>
#include <string.h>
static volatile sig_atomic_t plug_stop;
static void plug_term(int s) { (void)s; plug_stop = 1; }
static void __attribute__((constructor)) plug_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plug_term;
	sigaction(SIGTERM, &sa, NULL);
}

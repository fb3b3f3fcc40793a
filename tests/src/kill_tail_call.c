/* kill_tail_call.c - a SIGTERM handler whose last act is a kill (gcc -O2 makes it a tail call:
 * jmp kill), run by the shim's trampoline (t303): raises SIGTERM, the handler sends its process
 * SIGUSR2 (ignored); exit status 3. */
#include <signal.h>
#include <unistd.h>

static void on_term(int sig)
{
	(void)sig;
	kill(getpid(), SIGUSR2);
}

int main(void)
{
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, on_term);
	raise(SIGTERM);
	return 3;
}

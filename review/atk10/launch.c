/* launch.c MODE PROG ARGS...: execs PROG with SIGSEGV/SIGFPE/SIGTERM ignored (ign) or blocked (blk) */
#include <signal.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	(void)argc;
	int sigs[] = {SIGSEGV, SIGFPE, SIGBUS, SIGTERM, SIGINT};
	sigset_t m; sigemptyset(&m);
	for (unsigned i = 0; i < 5; i++) { if (!strcmp(argv[1], "ign")) signal(sigs[i], SIG_IGN); sigaddset(&m, sigs[i]); }
	if (!strcmp(argv[1], "blk")) sigprocmask(SIG_BLOCK, &m, 0);
	execv(argv[2], argv + 2);
	return 127;
}

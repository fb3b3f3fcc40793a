/* sigreadback.c - t140: what sigaction reports for termination signals after each kind of
 * installation (SIG_DFL and SIG_IGN with flags and a mask, a handler with SA_ONSTACK|SA_NODEFER,
 * SA_RESETHAND|SA_SIGINFO before and after a delivery, signal()); printed, compared with and
 * without the shim. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static void h(int s) { (void)s; }
static void show(const char *what, int sig)
{
	struct sigaction o; uint64_t m;
	memset(&o, 0xab, sizeof o);
	sigaction(sig, NULL, &o);
	memcpy(&m, &o.sa_mask, 8);
	printf("%s %d h=%s flags=%x mask=%llx rest=%d\n", what, sig, o.sa_handler == SIG_DFL ? "DFL" : o.sa_handler == SIG_IGN ? "IGN" : o.sa_handler == h ? "h" : "?", o.sa_flags, (unsigned long long)m, o.sa_restorer != NULL);
}
int main(void)
{
	int sigs[] = {SIGTERM, SIGUSR1, SIGPIPE, SIGINT};
	for (int i = 0; i < 4; i++) {
		int s = sigs[i];
		struct sigaction a; memset(&a, 0, sizeof a);
		show("init", s);
		a.sa_handler = SIG_DFL; a.sa_flags = SA_RESTART; sigaddset(&a.sa_mask, SIGHUP); sigaction(s, &a, NULL); show("dfl+flags", s);
		a.sa_handler = SIG_IGN; a.sa_flags = SA_NODEFER; sigaction(s, &a, NULL); show("ign", s);
		a.sa_handler = h; a.sa_flags = SA_ONSTACK | SA_NODEFER; sigaddset(&a.sa_mask, SIGUSR2); sigaction(s, &a, NULL); show("h", s);
		a.sa_flags = SA_RESETHAND | SA_SIGINFO; sigaction(s, &a, NULL); show("reset", s);
		raise(s); show("after", s);
		signal(s, h); show("signal", s);
		signal(s, SIG_DFL); show("signal-dfl", s);
	}
	return 0;
}

/* slowkill.c - preloaded after libtlstrace.so (t301): its kill() sends the signal, then takes 30 ms
 * to return, as a loaded machine may; so a line written when the call returns is 30 ms after the
 * target took the signal. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int kill(pid_t pid, int sig)
{
	struct timespec d = {0, 30 * 1000 * 1000};
	long rc = syscall(SYS_kill, pid, sig);
	if (sig != 0)
		nanosleep(&d, NULL);
	return (int)rc;
}

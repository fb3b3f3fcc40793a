/* sigcompat.c - the rest of glibc's signal-action API, interposed: bsd_signal and ssignal (glibc's
 * aliases of signal), sysv_signal and __sysv_signal (what `signal` names in a program built
 * for strict ISO C or XSI without _DEFAULT_SOURCE: signal.h redirects it), __sigaction, sigset,
 * sigignore, siginterrupt, sighold, sigrelse.
 *
 * glibc implements each of them with its internal __sigaction and __sigprocmask, which the shim
 * does not see. Through them a program would read back the shim's own handler as its "old"
 * action, and a program that restores that value (sigset's return passed to signal) would make
 * the shim's handler the program's: the next signal then called the shim from itself, a crash (a
 * hostile review, 2026-12-01). Each is written here as glibc 2.36 writes it
 * (sysdeps/posix/signal.c, sysv_signal.c, sigset.c, sigignore.c, siginterrupt.c, sighold.c,
 * sigrelse.c), through the shim's sigaction and sigprocmask. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include <sys/wait.h>

#include "shim.h"

#ifndef SIG_HOLD
#define SIG_HOLD ((sighandler_t)2) /* glibc's bits/signum-generic.h, under __USE_XOPEN_EXTENDED */
#endif

/* The signals siginterrupt(sig, 1) asked to interrupt system calls (glibc's _sigintr): signal()
 * installs their handlers without SA_RESTART. Bit sig - 1. Written by siginterrupt only. */
static _Atomic uint64_t sigintr;

/* SA_RESTART unless siginterrupt(sig, 1) asked otherwise: signal()'s flags (crash.c) */
int sigcompat_restart(int sig)
{
	return sig >= 1 && sig <= 64 && (atomic_load_explicit(&sigintr, memory_order_relaxed) >> (sig - 1) & 1) ? 0 : SA_RESTART;
}

COLD_TEXT EXPORT sighandler_t bsd_signal(int sig, sighandler_t handler) { return signal(sig, handler); }
COLD_TEXT EXPORT sighandler_t ssignal(int sig, sighandler_t handler) { return signal(sig, handler); }

COLD_TEXT EXPORT sighandler_t __sysv_signal(int sig, sighandler_t handler)
{
	struct sigaction act, old;
	if (handler == SIG_ERR || sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return SIG_ERR;
	}
	act.sa_handler = handler;
	sigemptyset(&act.sa_mask);
	act.sa_flags = (int)(SA_RESETHAND | SA_NODEFER); /* SA_ONESHOT | SA_NOMASK, no SA_RESTART */
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}
COLD_TEXT EXPORT sighandler_t sysv_signal(int sig, sighandler_t handler) { return __sysv_signal(sig, handler); }

COLD_TEXT EXPORT int __sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	return sigaction(sig, act, old);
}

COLD_TEXT EXPORT sighandler_t sigset(int sig, sighandler_t disp)
{
	struct sigaction act, old;
	sigset_t set, oset;
	sigemptyset(&set);
	if (sigaddset(&set, sig) < 0)
		return SIG_ERR;
	if (disp == SIG_HOLD) {
		if (sigprocmask(SIG_BLOCK, &set, &oset) < 0)
			return SIG_ERR;
		if (sigismember(&oset, sig))
			return SIG_HOLD;
		if (sigaction(sig, NULL, &old) < 0)
			return SIG_ERR;
		return old.sa_handler;
	}
	act.sa_handler = disp;
	sigemptyset(&act.sa_mask);
	act.sa_flags = 0;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	if (sigprocmask(SIG_UNBLOCK, &set, &oset) < 0)
		return SIG_ERR;
	return sigismember(&oset, sig) ? SIG_HOLD : old.sa_handler;
}

COLD_TEXT EXPORT int sigignore(int sig)
{
	struct sigaction act;
	act.sa_handler = SIG_IGN;
	sigemptyset(&act.sa_mask);
	act.sa_flags = 0;
	return sigaction(sig, &act, NULL);
}

COLD_TEXT EXPORT int siginterrupt(int sig, int interrupt)
{
	struct sigaction action;
	if (sig < 1 || sig > 64) {
		errno = EINVAL;
		return -1;
	}
	if (sigaction(sig, NULL, &action) < 0)
		return -1;
	if (interrupt) {
		atomic_fetch_or(&sigintr, (uint64_t)1 << (sig - 1));
		action.sa_flags &= ~SA_RESTART;
	} else {
		atomic_fetch_and(&sigintr, ~((uint64_t)1 << (sig - 1)));
		action.sa_flags |= SA_RESTART;
	}
	return sigaction(sig, &action, NULL) < 0 ? -1 : 0;
}

/* sighold and sigrelse: sig added to or taken from the calling thread's mask */
COLD_TEXT static int mask_one(int how, int sig)
{
	sigset_t set;
	sigemptyset(&set);
	if (sigaddset(&set, sig) < 0)
		return -1;
	return sigprocmask(how, &set, NULL);
}
COLD_TEXT EXPORT int sighold(int sig) { return mask_one(SIG_BLOCK, sig); }
COLD_TEXT EXPORT int sigrelse(int sig) { return mask_one(SIG_UNBLOCK, sig); }

/* glibc's system(), SIGINT and SIGQUIT read from the kernel from its start on (crash_system):
 * its internal __sigaction calls set them ignored and back, unseen. Marked before the call, not
 * after: a thread cancelled inside it (glibc 2.36 sysdeps/posix/system.c: waitpid is a
 * cancellation point; its cleanup handler, cancel_handler, puts the actions back) never returns
 * here, and another thread reading SIGINT meanwhile reads glibc's SIG_IGN, as without the shim. */
COLD_TEXT EXPORT int system(const char *line)
{
	int rc, saved;
	if (!REAL(system)) {
		errno = ENOSYS;
		return -1;
	}
	crash_system();
	/* glibc 2.36 (sysdeps/posix/system.c): a shell that could not be spawned reads as one that
	 * exited 127, with errno the spawn's error; the shell's own 127 leaves errno alone. Where
	 * the spawn lacked a task (EAGAIN: a task limit) the watchdog's thread may have taken the last
	 * one: it ends and the call is made again (threads.c, fork_with_room) */
	saved = errno;
	errno = 0;
	rc = real.system(line);
	if (rc == W_EXITCODE(127, 0) && errno == EAGAIN && watchdog_aside(1)) {
		errno = 0;
		rc = real.system(line);
		int e = errno;
		watchdog_back(py_interp_found());
		errno = e;
	}
	if (!errno)
		errno = saved;
	return rc;
}

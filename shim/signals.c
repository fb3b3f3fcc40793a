/* signals.c - signal provenance: who signalled whom, who reaped whom, who installed which handler.
 *
 * - kill, killpg, tgkill, pthread_kill, raise, sigqueue: one `kill` line per signal sent (not for
 *   signal 0, an existence probe). A signal that may reach this process is written before the
 *   call, with the disposition it meets here (the call may not return); any other after it, with
 *   its result.
 * - wait, waitpid, wait3, wait4, waitid: one `reap` line per child that ended (exit status or
 *   signal, core). Nothing for a call that returns no child (WNOHANG polling writes nothing), a
 *   stopped or continued child, or an error.
 * - the program's handler installations for the termination and job-control signals (sigaction
 *   and signal are interposed in crash.c, which calls signals_handler_set): a `sig_handler` line
 *   when the handler or flags of one of them change.
 * Nothing the program sees changes: arguments and return values pass through, errno is kept, a
 * status the program did not ask for is read into our own variable. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

/* ---- signals sent ---- */

/* How sig would be met in this process now: "dfl", "ign" or "fn" (a handler), as the program
 * sees it (through our own sigaction, which answers for the signals crash.c owns); and whether
 * the calling thread blocks it. Only for signals aimed at this process: two system calls. */
static void self_disposition(int sig, const char **disp, int *blocked)
{
	struct sigaction cur;
	sigset_t mask;
	*disp = "?";
	*blocked = -1;
	if (sigaction(sig, NULL, &cur) == 0)
		*disp = cur.sa_handler == SIG_DFL ? "dfl" : cur.sa_handler == SIG_IGN ? "ign" : "fn";
	if (pthread_sigmask(SIG_BLOCK, NULL, &mask) == 0)
		*blocked = sigismember(&mask, sig) == 1;
}

/* A `kill` line: CALL SIG PID TID RET ERRNO DISP BLOCKED SITE. self: the signal may reach this
 * process, written before the call (RET, ERRNO `-`); otherwise rc/err after it. */
static void sent(const char *call, int sig, pid_t pid, pid_t tid, int self, int rc, int err, void *site)
{
	struct tline l;
	const char *disp = "-";
	int blocked = -1;
	if (sig <= 0 || !shim_enter())
		return;
	if (self) {
		self_disposition(sig, &disp, &blocked);
		trace_batch_end(); /* before main: the lines so far must be out before we may die */
	}
	tl_begin(&l, "kill");
	tl_word(&l, call);
	tl_dec(&l, sig);
	tl_dec(&l, pid);
	if (tid > 0)
		tl_dec(&l, tid);
	else
		tl_word(&l, "-");
	if (self) {
		tl_word(&l, "-");
		tl_word(&l, "-");
	} else {
		tl_dec(&l, rc);
		tl_dec(&l, rc < 0 ? err : 0);
	}
	tl_word(&l, disp);
	if (blocked < 0)
		tl_word(&l, "-");
	else
		tl_dec(&l, blocked);
	tl_code(&l, (uintptr_t)site);
	tl_end(&l);
	shim_leave();
}

/* kill(0), kill(-1) and a group may include this process */
static int may_hit_self(pid_t pid) { return pid <= 0 || pid == trace_pid_get(); }

EXPORT int kill(pid_t pid, int sig)
{
	int saved = errno, rc, self = may_hit_self(pid);
	void *site = __builtin_return_address(0);
	if (self)
		sent("kill", sig, pid, 0, 1, 0, 0, site);
	errno = saved;
	rc = REAL(kill)(pid, sig);
	saved = errno;
	if (!self)
		sent("kill", sig, pid, 0, 0, rc, saved, site);
	errno = saved;
	return rc;
}

EXPORT int killpg(pid_t pgrp, int sig)
{
	int saved = errno, rc, self = pgrp <= 0 || pgrp == getpgrp();
	void *site = __builtin_return_address(0);
	if (self)
		sent("killpg", sig, -pgrp, 0, 1, 0, 0, site);
	errno = saved;
	rc = REAL(killpg)(pgrp, sig);
	saved = errno;
	if (!self)
		sent("killpg", sig, -pgrp, 0, 0, rc, saved, site);
	errno = saved;
	return rc;
}

EXPORT int tgkill(pid_t tgid, pid_t tid, int sig)
{
	int saved = errno, rc, self = tgid == trace_pid_get();
	void *site = __builtin_return_address(0);
	if (!REAL(tgkill)) {
		errno = ENOSYS;
		return -1;
	}
	if (self)
		sent("tgkill", sig, tgid, tid, 1, 0, 0, site);
	errno = saved;
	rc = REAL(tgkill)(tgid, tid, sig);
	saved = errno;
	if (!self)
		sent("tgkill", sig, tgid, tid, 0, rc, saved, site);
	errno = saved;
	return rc;
}

EXPORT int pthread_kill(pthread_t thread, int sig)
{
	int saved = errno;
	if (sig > 0)
		sent("pthread_kill", sig, trace_pid_get(), pthread_equal(thread, pthread_self()) ? shim_gettid() : 0, 1, 0,
		     0, __builtin_return_address(0));
	errno = saved;
	return REAL(pthread_kill)(thread, sig);
}

EXPORT int raise(int sig)
{
	int saved = errno;
	sent("raise", sig, trace_pid_get(), shim_gettid(), 1, 0, 0, __builtin_return_address(0));
	errno = saved;
	return REAL(raise)(sig);
}

EXPORT int sigqueue(pid_t pid, int sig, const union sigval value)
{
	int saved = errno, rc, self = may_hit_self(pid);
	void *site = __builtin_return_address(0);
	if (self)
		sent("sigqueue", sig, pid, 0, 1, 0, 0, site);
	errno = saved;
	rc = REAL(sigqueue)(pid, sig, value);
	saved = errno;
	if (!self)
		sent("sigqueue", sig, pid, 0, 0, rc, saved, site);
	errno = saved;
	return rc;
}

/* ---- children reaped ---- */

/* A `reap` line: CALL PID HOW VALUE CORE NOWAIT, for a child that ended. HOW `exit` (VALUE the
 * exit status) or `signal` (VALUE the signal, CORE 1 if it dumped core). */
static void reaped(const char *call, pid_t pid, int exited, int value, int core, int nowait)
{
	struct tline l;
	if (!shim_enter())
		return;
	tl_begin(&l, "reap");
	tl_word(&l, call);
	tl_dec(&l, pid);
	tl_word(&l, exited ? "exit" : "signal");
	tl_dec(&l, value);
	tl_dec(&l, core);
	tl_dec(&l, nowait);
	tl_end(&l);
	shim_leave();
}

/* after a wait-family call that returned pid with status st */
static void reaped_status(const char *call, pid_t pid, int st)
{
	if (pid <= 0)
		return;
	if (WIFEXITED(st))
		reaped(call, pid, 1, WEXITSTATUS(st), 0, 0);
	else if (WIFSIGNALED(st))
		reaped(call, pid, 0, WTERMSIG(st), WCOREDUMP(st) ? 1 : 0, 0);
}

EXPORT pid_t wait(int *status)
{
	int st = 0, saved;
	pid_t rc = REAL(wait)(&st);
	saved = errno;
	if (status && rc > 0)
		*status = st;
	reaped_status("wait", rc, st);
	errno = saved;
	return rc;
}

EXPORT pid_t waitpid(pid_t pid, int *status, int options)
{
	int st = 0, saved;
	pid_t rc = REAL(waitpid)(pid, &st, options);
	saved = errno;
	if (status && rc > 0)
		*status = st;
	reaped_status("waitpid", rc, st);
	errno = saved;
	return rc;
}

EXPORT pid_t wait3(int *status, int options, struct rusage *ru)
{
	int st = 0, saved;
	pid_t rc = REAL(wait3)(&st, options, ru);
	saved = errno;
	if (status && rc > 0)
		*status = st;
	reaped_status("wait3", rc, st);
	errno = saved;
	return rc;
}

EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	int st = 0, saved;
	pid_t rc = REAL(wait4)(pid, &st, options, ru);
	saved = errno;
	if (status && rc > 0)
		*status = st;
	reaped_status("wait4", rc, st);
	errno = saved;
	return rc;
}

EXPORT int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	int saved, rc = REAL(waitid)(idtype, id, info, options);
	saved = errno;
	/* WNOHANG with no child ready leaves si_pid 0 (POSIX asks callers to zero it; glibc's
	 * syscall does); info may be NULL only on Linux, and then nothing tells who ended */
	if (rc == 0 && info && info->si_pid > 0 && info->si_signo == SIGCHLD) {
		if (info->si_code == CLD_EXITED)
			reaped("waitid", info->si_pid, 1, info->si_status, 0, !!(options & WNOWAIT));
		else if (info->si_code == CLD_KILLED || info->si_code == CLD_DUMPED)
			reaped("waitid", info->si_pid, 0, info->si_status, info->si_code == CLD_DUMPED, !!(options & WNOWAIT));
	}
	errno = saved;
	return rc;
}

/* ---- handlers installed ---- */

/* the signals a server's or a library's shutdown depends on: their slot in last_set, or -1 */
static int handler_slot(int sig)
{
	switch (sig) {
	case SIGTERM: return 0;
	case SIGINT: return 1;
	case SIGHUP: return 2;
	case SIGQUIT: return 3;
	case SIGUSR1: return 4;
	case SIGUSR2: return 5;
	case SIGWINCH: return 6;
	case SIGCHLD: return 7;
	case SIGPIPE: return 8;
	}
	return -1;
}

/* per slot, a hash of the last handler and flags written (0: none yet), so that a handler that
 * re-arms itself with signal() at each delivery writes one line, not one per signal. Small: it
 * lives in the start-up page (python3 installs SIGINT's before main). A collision only drops a
 * line: a change back and forth between two handlers hashing alike. */
static _Atomic uint32_t last_set[9];

static uint32_t handler_hash(const void *handler, int flags)
{
	uint64_t h = ((uint64_t)(uintptr_t)handler ^ (uint64_t)(unsigned)flags << 48) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32) | 1;
}

/* The program asked to install handler (SIG_DFL, SIG_IGN or a function) with flags for sig, from
 * the code at caller; call is "sigaction" ("sigaction+old" when the previous action was asked for,
 * as a handler that chains to it must) or "signal". Called by the wrappers in crash.c before
 * they act, for every signal; writes a `sig_handler` line for the handler_signal ones when the
 * handler or flags change: SIG HANDLER FLAGS CALL SITE. async-signal-safe (a handler may
 * install another). */
void signals_handler_set(int sig, const void *handler, int flags, const char *call, const void *caller)
{
	struct tline l;
	int saved = errno;
	int k = handler_slot(sig);
	if (k < 0)
		return;
	if (atomic_exchange(&last_set[k], handler_hash(handler, flags)) == handler_hash(handler, flags))
		return;
	if (!shim_enter()) {
		errno = saved;
		return;
	}
	tl_begin(&l, "sig_handler");
	tl_dec(&l, sig);
	tl_code(&l, (uintptr_t)handler);
	tl_hex(&l, (uintptr_t)(unsigned)flags);
	tl_word(&l, call);
	tl_code(&l, (uintptr_t)caller);
	tl_end(&l);
	shim_leave();
	errno = saved;
}

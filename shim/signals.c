/* signals.c - signal provenance: who signalled whom, who reaped whom, who installed which handler.
 *
 * - kill, killpg, tgkill, pthread_kill, raise, sigqueue: one `kill` line per signal sent (not for
 *   signal 0, an existence probe). A signal that may reach this process is written before the
 *   call, with the disposition it meets here (the call may not return); any other after it, with
 *   its result.
 * - wait, waitpid, wait3, wait4, waitid: one `reap` line per child that ended (exit status or
 *   signal, core). Nothing for a call that returns no child, a stopped or continued child, or an
 *   error. A call without WNOHANG first asks with WNOHANG added; only if no child is ready, so
 *   that it will block, a `wait_begin` line says whom it waits for (a parent stuck waiting for a
 *   hung child then says so), and if it then returns no ended child (EINTR, a stopped one) a
 *   `wait_end` line closes it. A WNOHANG poll writes nothing, except the first empty one of an
 *   episode while a child it told to stop is outstanding or in teardown (`wait_poll`, below).
 * - the program's handler installations for the termination and job-control signals (sigaction
 *   and signal are interposed in crash.c, which calls signals_handler_set): a `sig_handler` line
 *   when the handler or flags of one of them change.
 * - arrivals of the termination signals (a `sig_arrive` line: thread, sender, handler), through
 *   the kernel actions crash.c installs for them, and the sigwait family;
 * - the termination signals a new program inherited blocked or ignored (`sig_inherit`), a new
 *   thread starts with blocked, and each change of them by sigprocmask/pthread_sigmask (`sig_mask`).
 * Nothing the program sees changes: arguments and return values pass through, errno is kept, a
 * status the program did not ask for is read into our own variable. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"
#include "checkers.h"

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
 * process, written before the call (RET, ERRNO `-`); otherwise rc/err after it, with the time t
 * taken before it (CLOCK_MONOTONIC ns): the target may take the signal, and write its arrival,
 * before the call returns. */
COLD_TEXT static void sent(const char *call, int sig, pid_t pid, pid_t tid, int self, int rc, int err, void *site,
			   uint64_t t)
{
	struct tline l;
	const char *disp = "-";
	int blocked = -1;
	if (sig <= 0 || !shim_enter())
		return;
	if (self) {
		self_disposition(sig, &disp, &blocked);
		/* (a kill Python code made: its traceback, below; here before the line, which must
		 * be the process's last if the signal ends it) */
		if (py_owns_code((uintptr_t)site))
			py_trace_traceback_deep("kill_py", py_state());
		trace_batch_end(); /* before main: the lines so far must be out before we may die */
	}
	if (t)
		tl_begin_at(&l, "kill", t);
	else
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
	/* a kill Python code made (os.kill, Popen.send_signal, a supervisor's kill_worker: the site is
	 * CPython's os.kill, which names nobody): the calling thread's Python traceback after it
	 * (`kill_py` lines; before it for one that may reach this process), for the report to name
	 * the Python place */
	if (!self && py_owns_code((uintptr_t)site))
		py_trace_traceback_deep("kill_py", py_state());
	shim_leave();
}

/* kill(0), kill(-1) and a group may include this process */
static int may_hit_self(pid_t pid) { return pid <= 0 || pid == trace_pid_get(); }

/* ---- children told to stop ----
 * A parent that signals a child to stop and then polls for it with WNOHANG (a supervisor's stop
 * loop, Popen.terminate() then wait(timeout=...), gunicorn's arbiter) is waiting for it as much
 * as one blocked in waitpid, but a poll returns at once and a line per poll would flood the trace
 * (uWSGI's master polls in every loop of its life). So the shim keeps, per process, the children
 * it sent a stop signal and has not reaped yet, and the first poll of an episode that comes up
 * empty while one of them is outstanding (or while the process is in its teardown) writes one
 * `wait_poll` line (below). Nothing else of a poll costs more than a few loads. */

/* the signals servers and supervisors stop a child with (uWSGI SIGINT, SIGHUP, SIGTERM, SIGKILL;
 * gunicorn SIGTERM, SIGQUIT, SIGABRT, SIGKILL; Apache SIGTERM, SIGKILL), bit sig */
#define STOP_SIGNAL_BITS \
	(1u << SIGHUP | 1u << SIGINT | 1u << SIGQUIT | 1u << SIGABRT | 1u << SIGKILL | 1u << SIGTERM)
#define STOPPED_MAX 16
/* each: pid | sig << 32 of a child sent sig and not reaped since, 0 a free slot */
static _Atomic uint64_t stopped[STOPPED_MAX] COLD_BSS;
/* entries in stopped, plus children that found no free slot (until a wait for any child finds
 * none left): a poll, and a fork child, read only this while nothing is outstanding (so it lives
 * with the variables every process touches) */
static atomic_int stopped_n;
static atomic_uint stopped_gen COLD_BSS; /* bumped at each change of stopped: a poll line is due again */

/* whether pid is a child of this process (/proc/PID/stat's ppid; a zombie still has it). Three
 * system calls, only after a stop signal was sent. async-signal-safe */
COLD_TEXT static int is_child(pid_t pid)
{
	char buf[512], path[32] = "/proc/";
	size_t n = 6;
	long r, ppid = 0;
	const char *s;
	n += fmt_dec(path + n, pid);
	memcpy(path + n, "/stat", 6);
	if ((r = proc_read(path, buf, sizeof buf)) <= 0)
		return 0;
	/* "pid (comm) S ppid ...": the comm may hold anything, so after its last ')' */
	for (s = buf + r; s > buf && s[-1] != ')'; s--)
		;
	if (s == buf || s[0] != ' ' || !s[1] || s[2] != ' ')
		return 0;
	for (s += 3; *s >= '0' && *s <= '9'; s++)
		ppid = ppid * 10 + (*s - '0');
	return ppid == trace_pid_get();
}

/* Whether sig to target (kill's pid: a child, or minus a group a child leads) is a stop signal to
 * a child of ours, read before the call (is_child's /proc read, tens of us, must not lie between
 * the signal and the caller's next step: a uWSGI master that SIGKILLs a worker and then polls
 * with WNOHANG would find it dead sooner than without the shim). async-signal-safe */
COLD_TEXT static int stop_aimed_at_child(pid_t target)
{
	pid_t pid = target < -1 ? -target : target;
	return pid > 0 && pid != trace_pid_get() && !in_vfork_child() && is_child(pid);
}

/* target was sent sig successfully, and stop_aimed_at_child said it is a child: noted.
 * async-signal-safe (a handler may send it) */
COLD_TEXT static void stopped_note(pid_t target, int sig)
{
	pid_t pid = target < -1 ? -target : target;
	uint64_t v = (uint64_t)(uint32_t)pid | (uint64_t)(unsigned)sig << 32, cur;
	int i, free_at = -1;
	for (i = 0; i < STOPPED_MAX; i++) {
		cur = atomic_load(&stopped[i]);
		if (cur && (pid_t)(uint32_t)cur == pid) { /* signalled again: the newest signal */
			atomic_compare_exchange_strong(&stopped[i], &cur, v);
			atomic_fetch_add(&stopped_gen, 1);
			return;
		}
		if (!cur && free_at < 0)
			free_at = i;
	}
	for (i = free_at < 0 ? STOPPED_MAX : free_at; i < STOPPED_MAX; i++) {
		cur = 0;
		if (atomic_compare_exchange_strong(&stopped[i], &cur, v))
			break;
	}
	atomic_fetch_add(&stopped_n, 1); /* (one without a slot counts too: see stopped_n) */
	atomic_fetch_add(&stopped_gen, 1);
}

/* pid was reaped, or a wait for it found no such child: no longer outstanding; pid -1 (a wait
 * for any child found none): none is. Another thread's episode of polls then gets a new line at
 * its next empty poll, naming those left (its own ended with the reap). */
COLD_TEXT static void stopped_forget(pid_t pid)
{
	for (int i = 0; i < STOPPED_MAX; i++) {
		uint64_t cur = atomic_load(&stopped[i]);
		if (cur && (pid == -1 || (pid_t)(uint32_t)cur == pid) && atomic_compare_exchange_strong(&stopped[i], &cur, 0)) {
			atomic_fetch_sub(&stopped_n, 1);
			atomic_fetch_add(&stopped_gen, 1);
		}
	}
	if (pid == -1)
		atomic_store(&stopped_n, 0);
}

/* Before a signal: 1 if it is a stop signal to a child (kill and the others pass it to
 * stop_sent with the call's result) */
static inline int stop_child(pid_t target, int sig)
{
	return unlikely(sig > 0 && sig < 32 && (STOP_SIGNAL_BITS >> sig & 1)) && stop_aimed_at_child(target);
}

/* After the call: a stop signal to a child (child, from stop_child) sent is noted */
static inline void stop_sent(pid_t target, int sig, int rc, int child)
{
	if (unlikely(child && rc == 0))
		stopped_note(target, sig);
}

/* The time of a `kill` line about another process, taken before the call (sent): 0 for one about
 * this process (written before the call, timed then) and for kill(pid, 0) probes (no line, no
 * clock read) */
static inline uint64_t sent_time(int self, int sig) { return self || sig <= 0 ? 0 : now_ns(); }

COLD_TEXT EXPORT int kill(pid_t pid, int sig)
{
	int saved = errno, rc, child, self = may_hit_self(pid);
	void *site = __builtin_return_address(0);
	uint64_t t;
	if (self)
		sent("kill", sig, pid, 0, 1, 0, 0, site, 0);
	child = stop_child(pid, sig);
	t = sent_time(self, sig);
	errno = saved;
	rc = REAL(kill)(pid, sig);
	saved = errno;
	stop_sent(pid, sig, rc, child);
	if (!self)
		sent("kill", sig, pid, 0, 0, rc, saved, site, t);
	errno = saved;
	return rc;
}

COLD_TEXT EXPORT int killpg(pid_t pgrp, int sig)
{
	int saved = errno, rc, child, self = pgrp <= 0 || pgrp == (pid_t)sys0(SYS_getpgrp);
	void *site = __builtin_return_address(0);
	uint64_t t;
	if (self)
		sent("killpg", sig, -pgrp, 0, 1, 0, 0, site, 0);
	child = stop_child(-pgrp, sig);
	t = sent_time(self, sig);
	errno = saved;
	rc = REAL(killpg)(pgrp, sig);
	saved = errno;
	stop_sent(-pgrp, sig, rc, child);
	if (!self)
		sent("killpg", sig, -pgrp, 0, 0, rc, saved, site, t);
	errno = saved;
	return rc;
}

COLD_TEXT EXPORT int tgkill(pid_t tgid, pid_t tid, int sig)
{
	int saved = errno, rc, child, self = tgid == trace_pid_get();
	void *site = __builtin_return_address(0);
	uint64_t t;
	if (!REAL(tgkill)) {
		errno = ENOSYS;
		return -1;
	}
	if (self)
		sent("tgkill", sig, tgid, tid, 1, 0, 0, site, 0);
	child = stop_child(tgid, sig);
	t = sent_time(self, sig);
	errno = saved;
	rc = REAL(tgkill)(tgid, tid, sig);
	saved = errno;
	stop_sent(tgid, sig, rc, child);
	if (!self)
		sent("tgkill", sig, tgid, tid, 0, rc, saved, site, t);
	errno = saved;
	return rc;
}

EXPORT int pthread_kill(pthread_t thread, int sig)
{
	int saved = errno;
	if (sig > 0)
		sent("pthread_kill", sig, trace_pid_get(), pthread_equal(thread, pthread_self()) ? shim_gettid() : 0, 1, 0,
		     0, __builtin_return_address(0), 0);
	errno = saved;
	return REAL(pthread_kill)(thread, sig);
}

EXPORT int raise(int sig)
{
	int saved = errno;
	sent("raise", sig, trace_pid_get(), shim_gettid(), 1, 0, 0, __builtin_return_address(0), 0);
	errno = saved;
	return REAL(raise)(sig);
}

COLD_TEXT EXPORT int sigqueue(pid_t pid, int sig, const union sigval value)
{
	int saved = errno, rc, child, self = may_hit_self(pid);
	void *site = __builtin_return_address(0);
	uint64_t t;
	if (self)
		sent("sigqueue", sig, pid, 0, 1, 0, 0, site, 0);
	child = stop_child(pid, sig);
	t = sent_time(self, sig);
	errno = saved;
	rc = REAL(sigqueue)(pid, sig, value);
	saved = errno;
	stop_sent(pid, sig, rc, child);
	if (!self)
		sent("sigqueue", sig, pid, 0, 0, rc, saved, site, t);
	errno = saved;
	return rc;
}

/* ---- children reaped ---- */

/* A `reap` line: CALL PID HOW VALUE CORE NOWAIT, for a child that ended. HOW `exit` (VALUE the
 * exit status) or `signal` (VALUE the signal, CORE 1 if it dumped core). */
atomic_int child_death_signal EXIT_BSS; /* (the page an exit touches anyway) */

static void reaped(const char *call, pid_t pid, int exited, int value, int core, int nowait)
{
	struct tline l;
	atomic_store_explicit(&child_death_signal, exited ? 0 : (int)((unsigned)trace_pid_get() << 8 | (unsigned)value),
			      memory_order_relaxed);
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
	watchdog_resume_deferred(); /* (its task free again: watchdog.c, a thread that waits for one) */
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

/* The start of a wait_begin or wait_poll line: CALL TARGET OPTIONS (see wait_begin) */
COLD_TEXT static void wait_line(struct tline *l, const char *event, const char *call, long long target, int pidfd,
				int options)
{
	tl_begin(l, event);
	tl_word(l, call);
	if (pidfd) {
		tl_word(l, "fd:");
		tl_append_dec(l, target);
	} else {
		tl_dec(l, target);
	}
	tl_hex(l, (uintptr_t)(unsigned)options);
}

/* A `wait_begin` line: CALL TARGET OPTIONS, before a wait-family call that will block (its probe
 * with WNOHANG found no child ready). TARGET as waitpid's pid argument (-1 any child, 0 or -PGID a
 * process group), or `fd:N` for waitid(P_PIDFD); OPTIONS in hex. Cold (shim.h): no start runs
 * it, nor waitid and wait_end below, which keeps the code a start may touch in 16 pages (t040). */
COLD_TEXT static void wait_begin(const char *call, long long target, int pidfd, int options)
{
	struct tline l;
	if (!shim_enter())
		return;
	wait_line(&l, "wait_begin", call, target, pidfd, options);
	tl_end(&l);
	shim_leave();
}

/* A `wait_end` line: CALL RET ERRNO, after a call that had a wait_begin and reaped no ended child
 * (a stopped or continued child, EINTR, ECHILD); one that reaped writes its `reap` line instead. */
COLD_TEXT static void wait_end(const char *call, long long rc, int err)
{
	struct tline l;
	if (!shim_enter())
		return;
	tl_begin(&l, "wait_end");
	tl_word(&l, call);
	tl_dec(&l, rc);
	tl_dec(&l, rc < 0 ? err : 0);
	tl_end(&l);
	shim_leave();
}

/* ---- polls for children told to stop ----
 * A `wait_poll` line: CALL TARGET OPTIONS WHY KIDS, at the first poll (a wait-family call with
 * WNOHANG) of an episode that returned no child while WHY: `kill`, a child this poll may return was
 * sent a stop signal and not reaped since (KIDS: those children, `pid:sig` by commas, newest
 * signal), or `teardown`, this process is in its teardown (exit() called, main returned,
 * Py_Finalize running; KIDS `-`). The episode ends when a wait-family call of the thread returns
 * a child or an error, or blocks (its `reap`, `wait_end` or `wait_begin` line closes it); a new
 * stop signal sent, or a reap by another thread, opens a new one at the next empty poll. So a
 * poll loop writes a line per stop signal or reap at most, and a poll when nothing is
 * outstanding writes nothing. */

/* whether an empty poll may need a line; the whole cost of a poll that needs none (the uWSGI
 * master's, each loop): three loads */
static inline int poll_may_matter(void)
{
	return atomic_load_explicit(&stopped_n, memory_order_relaxed) ||
	       atomic_load_explicit(&proc.exit_tid, memory_order_relaxed) ||
	       atomic_load_explicit(&proc.pyfin_depth, memory_order_relaxed);
}

/* the stopped children a poll for target (waitpid's pid; pidfd: any) may return, into l as KIDS
 * (l NULL: counted only); their count */
COLD_TEXT static int stopped_kids(struct tline *l, long long target, int pidfd)
{
	int n = 0;
	for (int i = 0; i < STOPPED_MAX; i++) {
		uint64_t v = atomic_load(&stopped[i]);
		pid_t pid = (pid_t)(uint32_t)v;
		if (!v || (target > 0 && !pidfd && pid != target))
			continue;
		if (l && n) {
			tl_append(l, ",");
			tl_append_dec(l, pid);
		} else if (l) {
			tl_dec(l, pid);
		}
		if (l) {
			tl_append(l, ":");
			tl_append_dec(l, (long long)(v >> 32));
		}
		n++;
	}
	/* children past the slots: a poll for any child may return one of them */
	if (!n && (target <= 0 || pidfd) && atomic_load(&stopped_n) > 0) {
		if (l)
			tl_word(l, "?");
		n = 1;
	}
	return n;
}

/* After a wait-family call (call, target as waitpid's pid or a pidfd, options) that returned got
 * (a pid, 0 none ready, -1 with err) with began (it wrote wait_begin) and gone (the child it
 * returned ended: a reap line was written; still there to reap again with WNOWAIT): the stopped
 * children brought up to date, an episode of polls closed (a wait_end line where no other line
 * closed it) or opened with its wait_poll line. Cold: called only when poll_may_matter or an
 * episode is open. */
COLD_TEXT static void wait_polled(const char *call, long long target, int pidfd, int options, long long got, int err,
				  int began, int gone)
{
	struct tline l;
	unsigned mark;
	int kids;
	if (atomic_load(&stopped_n)) {
		if (got > 0 && gone && !(options & WNOWAIT))
			stopped_forget((pid_t)got);
		else if (got < 0 && err == ECHILD && !pidfd && (target > 0 || target == -1))
			stopped_forget((pid_t)target);
	}
	if (got != 0 || !(options & WNOHANG)) {
		if (ts.wait_poll && got != 0 && !gone && !began)
			wait_end(call, got, err);
		ts.wait_poll = 0;
		return;
	}
	mark = atomic_load(&stopped_gen) << 1 | 1;
	if (ts.wait_poll == mark)
		return;
	kids = stopped_kids(NULL, target, pidfd);
	if (!kids && !atomic_load(&proc.exit_tid) && !atomic_load(&proc.pyfin_depth))
		return; /* what is outstanding is not what this poll is for; not in teardown */
	if (!shim_enter())
		return;
	ts.wait_poll = mark;
	wait_line(&l, "wait_poll", call, target, pidfd, options);
	tl_word(&l, kids ? "kill" : "teardown");
	if (!kids || !stopped_kids(&l, target, pidfd))
		tl_word(&l, "-"); /* (reaped meanwhile by another thread) */
	tl_end(&l);
	shim_leave();
}

/* ---- long runs of empty polls of one child ----
 * A parent may poll one child it never told to stop (a loop of waitpid(pid, WNOHANG) and a sleep:
 * Popen.wait(timeout=...), a C supervisor waiting for a job) and be killed meanwhile: the trace
 * should then say it was polling for that child. A poll for any child (uWSGI's master, every loop
 * of its life) is never such a run and pays one compare and one load more. Each thread keeps up
 * to 4 runs (ts.poll_run): the first empty poll of a pid (> 0) starts its run, each next one
 * reads the clock (vDSO), and a run that has lasted cfg.hang_ms (TLSTRACE_HANG_MS; 0: off)
 * writes its `wait_poll` line, WHY `long`; a termination signal's arrival on the thread during a
 * run writes it too, WHY `signal` (any of them where the process dies of it, before its arrival
 * line; a stop signal, SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGTERM, after the program's handler).
 * Then nothing more for that run, not even the clock; nor while another wait_poll line of the
 * thread's episode is out. A gap of cfg.hang_ms between two empty polls starts a new run (a
 * program that asks now and then is not waiting); the run ends when a wait of the thread returns
 * that child, finds no such child, or blocks for it. */
#define POLL_RUNS ((int)(sizeof ts.poll_run / sizeof ts.poll_run[0]))

/* Run r's wait_poll line: CALL PID OPTIONS WHY - MS POLLS LAST, MS the run's length so far (its
 * first empty poll was MS milliseconds before the line), POLLS its empty polls, LAST the latest
 * one's time in ms after the first (a signal's line may come long after it: one poll, then a
 * sleep). It opens a poll episode (ts.wait_poll) as the other wait_poll lines do. direct: from a
 * handler of a signal the process dies of. async-signal-safe */
COLD_TEXT static void poll_run_line(struct poll_run *r, const char *why, uint64_t now, int direct)
{
	struct tline l;
	r->noted = 1;
	ts.wait_poll = atomic_load(&stopped_gen) << 1 | 1;
	wait_line(&l, "wait_poll", r->call, r->pid, 0, r->options);
	tl_word(&l, why);
	tl_word(&l, "-");
	tl_dec(&l, (long long)((now - r->t0) / 1000000));
	tl_dec(&l, r->polls);
	tl_dec(&l, (long long)((r->last - r->t0) / 1000000));
	if (direct)
		tl_end_direct(&l, 0);
	else
		tl_end(&l);
}

/* After a wait-family call (call, target as waitpid's pid, options) of this thread that returned
 * got (a child, 0 none ready, -1 with err), began: it blocked. An empty poll of a pid extends
 * its run (or starts one, in a free slot or the newest run's), the others end the runs they end
 * (above). Cold: only for an empty poll of one pid, or while this thread has runs. */
COLD_TEXT static void poll_runs_after(const char *call, long long target, int options, long long got, int err, int began)
{
	struct poll_run *r = NULL, *pick = NULL;
	uint64_t now, gap = (uint64_t)cfg.hang_ms * 1000000;
	for (int i = 0; i < POLL_RUNS; i++) {
		struct poll_run *s = &ts.poll_run[i];
		if (got == 0 && s->pid == target) {
			r = s;
			break;
		}
		if (got == 0 && (!pick || (pick->pid && (!s->pid || s->t0 > pick->t0))))
			pick = s; /* a free slot, else the newest run */
		if (got != 0 && s->pid &&
		    (s->pid == got || (s->pid == target && (began || (got < 0 && err == ECHILD))))) {
			s->pid = 0;
			ts.poll_runs--;
		}
	}
	if (got != 0 || target <= 0 || !gap || (r && r->noted))
		return;
	now = now_ns();
	if (r && now - r->last < gap) {
		r->last = now;
		r->polls++;
		r->options = options;
		r->call = call;
		if (now - r->t0 >= gap && !ts.wait_poll && shim_enter()) {
			poll_run_line(r, "long", now, 0);
			shim_leave();
		} else if (ts.wait_poll) {
			r->noted = 1; /* a line of this episode is out already (a child told to stop) */
		}
		return;
	}
	if (!r) {
		r = pick;
		ts.poll_runs += !r->pid;
	}
	r->pid = 0; /* (a handler sees no half-made run) */
	r->noted = 0;
	r->options = options;
	r->call = call;
	r->t0 = r->last = now;
	r->polls = 1;
	r->pid = (pid_t)target;
}

/* A termination signal arrived on this thread (direct: the process dies of it now): the line of
 * its run of empty polls still going (its latest poll less than cfg.hang_ms ago) with none yet,
 * WHY `signal`. async-signal-safe */
COLD_TEXT static void poll_runs_arrival(int direct)
{
	struct poll_run *r = NULL;
	uint64_t now = now_ns();
	for (int i = 0; i < POLL_RUNS; i++) {
		struct poll_run *s = &ts.poll_run[i];
		if (s->pid && !s->noted && now - s->last < (uint64_t)cfg.hang_ms * 1000000 && (!r || s->t0 < r->t0))
			r = s;
	}
	if (r && !ts.wait_poll)
		poll_run_line(r, "signal", now, direct);
}

/* After a wait-family call, as wait_polled's arguments: the runs of polls of one child
 * (poll_runs_after) and the episodes of polls (wait_polled) brought up to date. Cold: called
 * only when poll_may_matter, this thread has runs or an open episode, or a poll of one child came
 * up empty. */
COLD_TEXT static void wait_after(const char *call, long long target, int pidfd, int options, long long got, int err,
				 int began, int gone)
{
	if (got == 0 && (options & WNOHANG) && ts.wait_poll == (atomic_load(&stopped_gen) << 1 | 1))
		return; /* an empty poll while its episode's line is out: nothing new (a run waits for its end) */
	/* (the episode's line first: one naming the children told to stop says more than a run's) */
	if (ts.wait_poll || poll_may_matter())
		wait_polled(call, target, pidfd, options, got, err, began, gone);
	if ((got == 0 && target > 0 && !pidfd) || ts.poll_runs)
		poll_runs_after(call, pidfd ? -1 : target, options, got, err, began);
}

/* whether status st (of a call that returned rc) is a child that ended: a reap line follows */
static int ended(pid_t rc, int st) { return rc > 0 && (WIFEXITED(st) || WIFSIGNALED(st)); }

/* the real wait-family call which (0 wait, 1 waitpid, 2 wait3, 3 wait4), options as given (cold:
 * a process that waits pays one page fault once, a start nothing) */
enum { W_WAIT, W_WAITPID, W_WAIT3, W_WAIT4 };
static const char *const wait_names[] = {"wait", "waitpid", "wait3", "wait4"};
COLD_TEXT static pid_t real_wait(int which, pid_t pid, int *st, int options, struct rusage *ru)
{
	switch (which) {
	case W_WAIT: return REAL(wait)(st);
	case W_WAITPID: return REAL(waitpid)(pid, st, options);
	case W_WAIT3: return REAL(wait3)(st, options, ru);
	default: return REAL(wait4)(pid, st, options, ru);
	}
}

/* wait, waitpid, wait3, wait4. Without WNOHANG: a probe with WNOHANG added first (wait's through
 * wait4(-1), what glibc's wait is), which returns exactly what the blocking call would if a child
 * is ready, or an error such as ECHILD; only when it returns 0 is the blocking call made, after a
 * wait_begin line. Costs one more system call on a wait that blocks, nothing on a WNOHANG poll
 * (but a few loads: wait_polled). The status goes to the program's pointer only where the call
 * returned a child, as before. Cold, as the calls it makes: no start waits for a child. */
COLD_TEXT static pid_t wait_traced(int which, pid_t pid, int *status, int options, struct rusage *ru)
{
	pid_t rc;
	int st = 0, saved, began = 0;
	watchdog_put_off_poll();
	if (!(options & WNOHANG)) {
		rc = which == W_WAIT ? REAL(wait4)(-1, &st, WNOHANG, NULL) : real_wait(which, pid, &st, options | WNOHANG, ru);
		if (rc != 0)
			goto done;
		saved = errno;
		watchdog_before_block(1); /* it blocks: inside a handler, the watcher first (watchdog.c) */
		/* python3's Py_FinalizeEx waiting for a child (os.waitpid, os.wait in an atexit
		 * callback: reads.c's header); cut short as the kernel would: EINTR, unless restarted */
		BLOCKING_PY(-1, 1, if (!py_fin_signal_restarts()) {
			rc = -1;
			saved = EINTR;
			goto done_errno;
		});
		wait_begin(wait_names[which], pid, 0, options);
		began = 1;
		errno = saved;
	}
	rc = real_wait(which, pid, &st, options, ru);
done:
	saved = errno;
done_errno:
	if (status && rc > 0)
		*status = st;
	if (ended(rc, st))
		reaped_status(wait_names[which], rc, st);
	else if (began)
		wait_end(wait_names[which], rc, saved);
	if (unlikely(ts.wait_poll || ts.poll_runs || poll_may_matter() || (pid > 0 && rc == 0)))
		wait_after(wait_names[which], pid, 0, options, rc, saved, began, ended(rc, st));
	errno = saved;
	return rc;
}

EXPORT pid_t wait(int *status) { return wait_traced(W_WAIT, -1, status, 0, NULL); }
EXPORT pid_t waitpid(pid_t pid, int *status, int options) { return wait_traced(W_WAITPID, pid, status, options, NULL); }
EXPORT pid_t wait3(int *status, int options, struct rusage *ru) { return wait_traced(W_WAIT3, -1, status, options, ru); }
EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return wait_traced(W_WAIT4, pid, status, options, ru);
}

COLD_TEXT EXPORT int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	siginfo_t si;
	const siginfo_t *got;
	int saved, rc, began = 0, gone;
	/* as waitpid's pid argument (or the pidfd) */
	long long target = idtype == P_PID ? (long long)id : idtype == P_PGID ? -(long long)id : idtype == P_PIDFD ? (long long)id : -1;
	memset(&si, 0, sizeof si);
	watchdog_put_off_poll();
	/* the probe, into our own siginfo (copied out when it is the answer): WNOHANG with no child
	 * ready leaves si_pid 0 */
	if (!(options & WNOHANG)) {
		rc = REAL(waitid)(idtype, id, &si, options | WNOHANG);
		if (rc != 0 || si.si_pid != 0) {
			saved = errno;
			if (info && rc == 0)
				*info = si;
			got = &si;
			goto done;
		}
		saved = errno;
		watchdog_before_block(1); /* (as wait_traced) */
		BLOCKING_PY(-1, 1, if (!py_fin_signal_restarts()) { /* (as wait_traced) */
			rc = -1;
			got = &si;
			errno = saved = EINTR;
			goto done;
		});
		wait_begin("waitid", target, idtype == P_PIDFD, options);
		began = 1;
		errno = saved;
	}
	/* info may be NULL on Linux: then ours, so that the reap is known (the program sees nothing) */
	rc = REAL(waitid)(idtype, id, info ? info : &si, options);
	saved = errno;
	got = info ? info : &si;
done:
	gone = rc == 0 && got->si_pid > 0 && got->si_signo == SIGCHLD &&
	       (got->si_code == CLD_EXITED || got->si_code == CLD_KILLED || got->si_code == CLD_DUMPED);
	if (gone)
		reaped("waitid", got->si_pid, got->si_code == CLD_EXITED, got->si_status, got->si_code == CLD_DUMPED,
		       !!(options & WNOWAIT));
	else if (began)
		wait_end("waitid", rc, saved);
	if (unlikely(ts.wait_poll || ts.poll_runs || poll_may_matter() || (idtype == P_PID && rc == 0 && got->si_pid == 0)))
		wait_after("waitid", target, idtype == P_PIDFD, options, rc < 0 ? rc : got->si_pid, saved, began, gone);
	errno = saved;
	return rc;
}

/* ---- handlers installed ---- */

/* the signals a server's or a library's shutdown depends on: their slot in last_set, or -1.
 * SIGABRT: gunicorn's worker timeout (gunicorn/arbiter.py murder_workers sends it; the worker's
 * Worker.handle_abort, set with signal.signal, ends it), so that its arrival names the handler */
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
	case SIGABRT: return 9;
	}
	return -1;
}

/* per slot, a hash of the last handler and flags written (0: none yet), so that a handler that
 * re-arms itself with signal() at each delivery writes one line, not one per signal. Small: it
 * lives in the start-up page (python3 installs SIGINT's before main). A collision only drops a
 * line: a change back and forth between two handlers hashing alike. */
static _Atomic uint32_t last_set[10];

static uint32_t handler_hash(const void *handler, int flags)
{
	uint64_t h = ((uint64_t)(uintptr_t)handler ^ (uint64_t)(unsigned)flags << 48) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32) | 1;
}

/* The `sig_handler` line: SIG HANDLER FLAGS CALL SITE; by thread tid at t (ns) where t is nonzero (a
 * kept line), else now by this thread. async-signal-safe */
COLD_TEXT static void handler_line_at(struct tline *l, int sig, uintptr_t handler, int flags, const char *call,
				      uintptr_t caller, pid_t tid, uint64_t t)
{
	if (t)
		tl_begin_as(l, "sig_handler", tid, t, py_state());
	else
		tl_begin(l, "sig_handler");
	tl_dec(l, sig);
	tl_code(l, handler);
	tl_hex(l, (uintptr_t)(unsigned)flags);
	tl_word(l, call);
	tl_code(l, caller);
	if (t)
		tl_end_direct(l, 0);
	else
		tl_end(l);
}

static int handler_keep(int sig, const void *handler, int flags, const char *call, const void *caller);

/* Whether the interpreter's own code (CPython's PyOS_setsig, which signal.signal calls for every
 * call: Modules/signalmodule.c signal_signal_impl in 3.11 and 3.13) installs a handler while
 * Python code runs (state I): every Python handler is the same C function (signal_handler), so
 * such a call is written even when handler and flags did not change (the first PY_SETS_WRITTEN of
 * each signal), with the Python traceback
 * of the calling thread after it (`sig_handler_py`): who set it is the Python code's place.
 * async-signal-safe */
/* per slot, such calls written: the first PY_SETS_WRITTEN. Read only where Python code runs, so
 * in the cold .bss, not the start-up page (t040) */
static _Atomic unsigned py_sets[10] COLD_BSS;
#define PY_SETS_WRITTEN 64 /* (a program that swaps SIGINT's handler around each request: then a
			    * change only, as for C code) */
static inline int handler_set_by_python(int k, const void *caller)
{
	return py_state() == PY_INIT && py_owns_code((uintptr_t)caller) &&
	       atomic_fetch_add_explicit(&py_sets[k], 1, memory_order_relaxed) < PY_SETS_WRITTEN;
}

/* After such a call's `sig_handler` line: the Python code that called signal.signal (its
 * traceback, `sig_handler_py` lines) and, where it can be read, the function it installs
 * (`sig_handler_pyfn MODULE QUALNAME`: python.c py_signal_handler_name). The caller holds
 * shim_enter. async-signal-safe */
COLD_TEXT static void python_setter_lines(void)
{
	char mod[96], qual[160];
	struct tline l;
	py_trace_traceback_deep("sig_handler_py", PY_INIT);
	if (!py_signal_handler_name(mod, sizeof mod, qual, sizeof qual))
		return;
	tl_begin_py(&l, "sig_handler_pyfn", PY_INIT);
	tl_str(&l, mod);
	tl_str(&l, qual);
	tl_end(&l);
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
	int saved = errno, from_py;
	int k = handler_slot(sig);
	if (in_vfork_child())
		return; /* (a vfork child's actions are its own: t044, t271) */
	if (unlikely(hw_put_off.sig == sig)) /* inside sig's handler whose watcher was put off (its */
		watchdog_handler_action(sig, handler); /* cold code only then: SIGHUP's SIG_IGN before SIGTERM's) */
	pyatexit_finalizing(); /* python3 restores SIGINT's handler before its Py_AtExit functions */
	errno = saved;
	if (k < 0)
		return;
	from_py = handler_set_by_python(k, caller);
	if (atomic_exchange(&last_set[k], handler_hash(handler, flags)) == handler_hash(handler, flags) && !from_py)
		return;
	if (ts.term_handlers && handler_keep(sig, handler, flags, call, caller))
		return; /* inside a termination handler: written after it (arrival_keep) */
	if (!shim_enter()) {
		errno = saved;
		return;
	}
	handler_line_at(&l, sig, (uintptr_t)handler, flags, call, (uintptr_t)caller, 0, 0);
	if (from_py)
		python_setter_lines();
	shim_leave();
	errno = saved;
}

/* ---- arrivals of termination signals ----
 * crash.c owns SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE and SIGTERM as it owns the crash
 * signals (the program reads its own actions through sigaction and signal): where the program
 * has a handler the kernel holds term_trampoline with the program's flags and mask; where it has
 * SIG_DFL, term_default_handler; where SIG_IGN, SIG_IGN (the kernel discards the signal, as it
 * would without us). Either writes a `sig_arrive` line; the default handler then puts SIG_DFL
 * back and re-sends the signal to its thread, which dies of it as it would have: same status,
 * core for SIGQUIT. */

/* The sender's name (/proc/PID/comm, at most 15 bytes) into out[16], or "-" when it is gone or
 * unreadable: the report names an untraced sender (timeout, a supervisor) by it.
 * async-signal-safe (proc_read) */
COLD_TEXT static void sender_comm(pid_t pid, char out[16])
{
	char path[32] = "/proc/";
	size_t n = 6;
	n += fmt_dec(path + n, pid);
	memcpy(path + n, "/comm", 6);
	if (proc_read(path, out, 16) <= 0) {
		out[0] = '-', out[1] = 0;
		return;
	}
	for (n = 0; out[n]; n++)
		if (out[n] == '\n' || out[n] == ' ')
			out[n] = out[n] == ' ' ? '_' : 0;
	if (!out[0])
		out[0] = '-', out[1] = 0;
}

/* The `sig_arrive` line (below) of sig: taken by thread tid at t (ns, CLOCK_MONOTONIC), with
 * si_code code, sender pid and uid; direct: written now, not kept or collected (from a signal
 * handler, which may have interrupted the shim). async-signal-safe */
COLD_TEXT static void arrival_line_at(int sig, int code, pid_t pid, uid_t uid, pid_t tid, uint64_t t,
				      uintptr_t handler, const char *how, int direct, uintptr_t sp)
{
	struct tline l;
	char comm[16] = "-";
	tl_begin_as(&l, "sig_arrive", tid, t, sp ? py_state_interrupted(sp) : py_state());
	tl_dec(&l, sig);
	tl_dec(&l, code);
	if (code <= 0) {
		tl_dec(&l, pid);
		tl_dec(&l, uid);
	} else {
		tl_word(&l, "-");
		tl_word(&l, "-");
	}
	tl_code(&l, handler);
	tl_word(&l, how);
	if (code <= 0 && pid > 0 && pid != trace_pid_get())
		sender_comm(pid, comm);
	if (comm[0] == '-' && !comm[1])
		tl_word(&l, "-");
	else
		tl_str(&l, comm);
	if (direct)
		tl_end_direct(&l, 0);
	else
		tl_end(&l);
}

COLD_TEXT static void arrival_line(int sig, const siginfo_t *si, const void *handler, const char *how, int direct)
{
	pid_t pid = trace_pid_get();
	arrival_line_at(sig, si->si_code, si->si_pid, si->si_uid, shim_gettid_for(pid), now_ns(),
			(uintptr_t)handler, how, direct, 0);
}

/* Arrivals at a program's handler, kept until the handler has run. Writing the line costs tens
 * of microseconds (a write(2), the sender's name from /proc); before the handler it delayed the
 * program's reaction to the signal by that much, and a server's second SIGTERM could then find
 * the first handler not yet done (t122: Apache's parent sends two, 115 us apart; the second
 * reached another thread before just_die had set SIG_IGN). So the arrival only fills a slot here,
 * and the line is written when the handler returns, or before the next line any thread of the
 * process writes (tl_begin: a handler that calls exit, a watchdog snapshot, a crash), whichever
 * comes first. A handler that never returns and a process killed before any other line lose it.
 * The handlers installed from inside a termination handler are kept the same way (just_die sets
 * SIGHUP, then SIGTERM, to SIG_IGN: SIGHUP's line written between the two kept the window open
 * ~40 us longer in a fork child; bench/run race). Written in the order of their times.
 * Slot states: free, filling (the arriving thread owns it), ready, writing (a flusher owns it). */
enum { ARR_FREE, ARR_FILLING, ARR_READY, ARR_WRITING };

/* A free slot, now owned by the caller (ARR_FILLING), or NULL when all eight are taken */
EXIT_TEXT static struct kept_line *slot_take(void)
{
	struct signal_keep *k = signal_keep();
	int i, expect;
	for (i = 0; i < KEPT_MAX; i++) {
		expect = ARR_FREE;
		if (atomic_compare_exchange_strong(&k->line[i].state, &expect, ARR_FILLING))
			return &k->line[i];
	}
	return NULL;
}

EXIT_TEXT static void slot_ready(struct kept_line *a)
{
	a->tid = shim_gettid_for(trace_pid_get());
	atomic_store(&a->state, ARR_READY);
	atomic_fetch_add(&signal_arrivals_kept, 1);
}

/* Keep the arrival of sig (si) at handler h at t (ns) for a later line; 0 when every slot is taken (the
 * caller writes it now). async-signal-safe: a few stores. */
EXIT_TEXT static int arrival_keep(int sig, const siginfo_t *si, const void *h, uint64_t t)
{
	struct kept_line *a = slot_take();
	if (!a)
		return 0;
	a->sig = sig;
	a->code = si->si_code;
	a->pid = si->si_pid;
	a->uid = (pid_t)si->si_uid;
	a->handler = (uintptr_t)h;
	a->caller = ts.interrupted_sp; /* (term_trampoline's; the letter is read when the line is written) */
	a->call = NULL;
	a->t = t;
	slot_ready(a);
	return 1;
}

/* Keep a handler installation made inside a termination handler (signals_handler_set); 0 when
 * every slot is taken. call: a static string. async-signal-safe */
EXIT_TEXT static int handler_keep(int sig, const void *handler, int flags, const char *call, const void *caller)
{
	struct kept_line *a = slot_take();
	if (!a)
		return 0;
	a->sig = sig;
	a->code = flags;
	a->handler = (uintptr_t)handler;
	a->caller = (uintptr_t)caller;
	a->call = call;
	a->t = now_ns();
	slot_ready(a);
	return 1;
}

/* Write every kept line (see arrival_keep), oldest first. Called with nothing held, from any thread
 * of the process; a vfork child writes nothing. async-signal-safe; errno kept. */
COLD_TEXT void signals_flush_arrivals(void)
{
	struct kept_line *mine[2 * KEPT_MAX], *a;
	struct signal_keep *areas[2] = {signal_keep(), signal_keep_early()};
	struct tline l;
	int i, j, n = 0, saved = errno, in = ts.in_shim, expect, k;
	if (in_vfork_child())
		return;
	ts.in_shim = 1;
	for (k = 0; k < 2 - (areas[0] == areas[1]); k++)
		for (i = 0; i < KEPT_MAX; i++) {
			a = &areas[k]->line[i];
			expect = ARR_READY;
			if (atomic_compare_exchange_strong(&a->state, &expect, ARR_WRITING)) {
				for (j = n++; j > 0 && mine[j - 1]->t > a->t; j--)
					mine[j] = mine[j - 1];
				mine[j] = a;
			}
		}
	for (i = 0; i < n; i++) {
		a = mine[i];
		if (a->call)
			handler_line_at(&l, a->sig, a->handler, a->code, a->call, a->caller, a->tid, a->t);
		else
			/* (the interrupted stack read only on the thread it belongs to) */
			arrival_line_at(a->sig, a->code, a->pid, (uid_t)a->uid, a->tid, a->t, a->handler, "fn", 1,
					a->tid == shim_gettid_for(trace_pid_get()) ? a->caller : 0);
		atomic_fetch_sub(&signal_arrivals_kept, 1);
		atomic_store(&a->state, ARR_FREE);
	}
	ts.in_shim = in;
	errno = saved;
}

/* In the child of fork(): the parent's kept arrivals are the parent's to write. */

void signals_after_fork_child(void)
{
	int i;
	/* the forking thread is the child's main one (its counts of threads: threads.c, after_fork) */
	if (ts.term_blocked != atomic_load_explicit(&proc.main_term_blocked, memory_order_relaxed))
		atomic_store(&proc.main_term_blocked, ts.term_blocked);
	ts.wait_poll = 0; /* the parent's polls, and the children it told to stop, are not ours */
	if (ts.poll_runs) {
		memset(ts.poll_run, 0, sizeof ts.poll_run);
		ts.poll_runs = 0;
		ts.poll_stop_arrived = 0;
	}
	if (atomic_load(&stopped_n)) {
		for (i = 0; i < STOPPED_MAX; i++)
			atomic_store(&stopped[i], 0);
		atomic_store(&stopped_n, 0);
	}
	if (!atomic_load(&signal_arrivals_kept))
		return; /* nothing kept (the slots' page stays untouched in every fork child) */
	for (i = 0; i < KEPT_MAX; i++) {
		atomic_store(&signal_keep()->line[i].state, ARR_FREE);
		atomic_store(&signal_keep_early()->line[i].state, ARR_FREE);
	}
	atomic_store(&signal_arrivals_kept, 0);
}

/* A `sig_arrive` line: SIG CODE PID UID HANDLER HOW COMM, on the thread that took it. PID and UID
 * from siginfo, `-` for a signal the kernel sent (si_code > 0: a terminal's SIGINT); HANDLER the
 * program's (code, 0x0 SIG_DFL); HOW `fn` (its handler runs next) or `dfl` (the process dies of
 * it now); COMM the sender's name, `-` if this process sent it or it is gone. dying: written now,
 * after what is collected or kept; else kept until the handler has run (signals_arrival_done).
 * async-signal-safe; errno kept. */
EXIT_TEXT __attribute__((noinline)) void signals_arrival(int sig, const siginfo_t *si, const void *handler, int dying)
{
	int saved = errno, in = ts.in_shim;
	if (atomic_load(&shim_active) != 1 || in_vfork_child())
		return; /* (a vfork child shares our memory: nothing of it is written) */
	if (!dying) {
		uint64_t t = now_ns();
		if (ts.poll_runs && sig < 32 && (STOP_SIGNAL_BITS >> sig & 1))
			ts.poll_stop_arrived = 1; /* the run's line after the handler (signals_arrival_done) */
		if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
			watchdog_signal_arrival(t, handler);
		if (arrival_keep(sig, si, handler, t)) {
			errno = saved;
			return;
		}
	}
	ts.in_shim = 1;
	if (dying && !in) { /* not if it interrupted the shim appending to its buffers */
		trace_batch_end();
		routine_flush_end(0);
	}
	signals_flush_arrivals();
	if (dying && ts.poll_runs)
		poll_runs_arrival(1); /* (before the arrival: a dying process's last line is its arrival) */
	arrival_line(sig, si, handler, dying ? "dfl" : "fn", 1);
	ts.in_shim = in;
	errno = saved;
}

/* After the program's handler returned: the kept arrivals' lines (signals_arrival). */
EXIT_TEXT void signals_arrival_done(void)
{
	if (unlikely(atomic_load_explicit(&signal_arrivals_kept, memory_order_relaxed)))
		signals_flush_arrivals();
	if (unlikely(ts.poll_stop_arrived) && shim_enter()) {
		int saved = errno;
		ts.poll_stop_arrived = 0;
		poll_runs_arrival(0);
		errno = saved;
		shim_leave();
	}
}

/* The kernel's entry for a termination signal while the program's action is SIG_DFL: the
 * arrival, then the default action, re-sent to this thread (crash_die_with), so that the
 * process ends by this signal. async-signal-safe */
COLD_TEXT void term_default_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno, flags;
	void *h = crash_program_handler(sig, &flags);
	/* (every signal blocked here, kernel_action_for: a program's handler run from here gets the
	 * mask the kernel would have given it) */
	if (in_vfork_child()) {
		crash_program_handler_mask(sig, uc);
		crash_vfork_child_signal(sig, si, uc);
		errno = saved;
		return;
	}
	if (unlikely(crash_install_hold(sig, si))) { /* arrived while the shim started: again later */
		errno = saved;
		return;
	}
	if (h != (void *)SIG_DFL) {
		/* the program installed an action since the kernel chose ours */
		if (h != (void *)SIG_IGN) {
			crash_program_handler_mask(sig, uc);
			term_call(sig, si, uc);
		}
		errno = saved;
		return;
	}
	/* (python3 in its own Py_FinalizeEx: the line's state letter from the interrupted stack) */
	ts.interrupted_sp = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP];
	signals_arrival(sig, si, SIG_DFL, 1);
	watchdog_kill_snapshot(sig, uc); /* (in its teardown: a snapshot of every thread before it dies) */
	ts.interrupted_sp = 0;
	crash_die_with(sig, uc);
	errno = saved; /* (not reached: the re-sent signal ends the process) */
}

/* On a signal stack of the program's (its handler's SA_ONSTACK): the shim's lines about the
 * arrival (signals_arrival, signals_arrival_done: ~1.8 KiB of frames, a sender's /proc read and
 * the trace writer's) run on one of the shim's own stacks (stacks.c), not below the kernel's
 * frame on the program's. A program sizes that stack for the kernel's frame and its handler: one
 * of 4096 bytes (MINSIGSTKSZ is 2048), where the kernel's frame takes ~3.3 KiB on a CPU with
 * AVX-512 state, had ~1 KiB below it written, the memory the program put there (HOSTILE15,
 * t411). uc: the kernel's frame (uc_stack: the thread's signal stack then). async-signal-safe */
struct arrival_args {
	int sig;
	const siginfo_t *si;
	const void *h;
};
COLD_TEXT static void arrival_deep(void *p)
{
	const struct arrival_args *a = p;
	signals_arrival(a->sig, a->si, a->h, 0);
}
COLD_TEXT static void arrival_done_deep(void *p)
{
	(void)p;
	signals_arrival_done();
}
/* fn(arg) on a shim's stack, every asynchronous signal blocked meanwhile: a signal of the
 * program's with SA_ONSTACK arriving there would find the stack pointer off its signal stack and
 * be put at that stack's top, over the frames of the handler that switched (the kernel's
 * on_sig_stack test, Linux 6.1 kernel/signal.c sigsp). The synchronous ones (a fault) stay
 * unblocked, as in the crash handler (CRASH_SYNCHRONOUS_BITS, shim.h). 1 if it
 * ran. Two rt_sigprocmask. async-signal-safe */
COLD_TEXT static int deep_run_masked(void (*fn)(void *), void *arg)
{
	uint64_t block = ~CRASH_SYNCHRONOUS_BITS, old;
	int ran;
	if (sys4(SYS_rt_sigprocmask, SIG_BLOCK, &block, &old, 8) != 0)
		return 0;
	ran = shim_stack_run(fn, arg);
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
	return ran;
}
/* Whether the arrival's lines may run where the handler runs: on the thread's own stack (main's
 * within 128 MiB below __libc_stack_end, the least gap Linux leaves below it for the stack, mm/
 * util.c mmap_base; a thread's within its size below its start frame) or the shim's signal stack
 * (ts.altstack, 512 KiB). Elsewhere the program chose a stack for the handler's frames: a
 * coroutine's (ucontext, boost.context, libco), sized for its own calls, where the lines' ~2 KiB
 * more ran past a 4096-byte one into its guard page (HOSTILE16, t451). async-signal-safe */
extern void *__libc_stack_end; /* ld.so's: the initial stack's argc */
EXIT_TEXT static int on_own_stack(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), alt = (uintptr_t)ts.altstack;
	if (alt && sp >= alt && sp - alt < ts.altstack_size)
		return 1;
	if (!ts.stack_top && shim_gettid() == trace_pid_get()) { /* the main thread, at its first */
		ts.stack_top = (uintptr_t)__libc_stack_end;
		ts.stack_size = (size_t)128 << 20;
	}
	return ts.stack_top && sp <= ts.stack_top && ts.stack_top - sp < ts.stack_size;
}

EXIT_TEXT static int on_program_sigstack(const void *uc)
{
	const stack_t *s = &((const ucontext_t *)uc)->uc_stack;
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo = (uintptr_t)s->ss_sp;
	return !(s->ss_flags & SS_DISABLE) && s->ss_size && sp >= lo && sp - lo < s->ss_size &&
	       s->ss_sp != ts.altstack; /* (not the shim's own, the main thread's: ts.altstack) */
}

/* Where a thread was when another process stopped it through a handler (gunicorn's arbiter's
 * SIGABRT at its worker timeout, a supervisor's SIGTERM): a `sig_where` line, the thread's native
 * backtrace from the signal's context (frame 0 the interrupted instruction), then its Python
 * traceback as `sig_where_py` lines where an interpreter runs. Written after the program's handler
 * returned, the thread still in the signal's frame, so the interrupted code has not moved: CPython's
 * C-level handler only marks the signal, and the Python one (gunicorn's Worker.handle_abort, which
 * exits) runs later, from whatever the request was doing, which no other line records. Nothing is
 * delayed before the handler (t122's two SIGTERMs 115 us apart). */
struct where_args {
	int sig;
	pid_t sender;
	void *uc;
};
COLD_TEXT static void where_lines(void *p)
{
	const struct where_args *a = p;
	uintptr_t ips[64];
	const char *how = "libgcc";
	struct tline l;
	int n = unwind_from_signal(a->uc, ips, 64, &how);
	char py = py_state();
	tl_begin(&l, "sig_where");
	tl_dec(&l, a->sig);
	tl_dec(&l, a->sender);
	tl_word(&l, n > 0 ? how : "nostack");
	tl_frames(&l, ips, n);
	tl_end(&l);
	py_trace_traceback("sig_where_py", py, 0); /* (reads only: the thread need not hold the GIL) */
}

/* The `sig_where` lines (where_lines) for sig, taken by a handler of the program's, if another
 * process sent it with kill, sigqueue or tgkill (si_code <= 0) and it is SIGABRT or SIGTERM; on a
 * shim stack with the asynchronous signals blocked (deep_run_masked), not on the program's; not in
 * the shim's own work, a sandbox, a checker, or when no shim stack is free. The handler's own effects
 * are done: the lines change nothing the program sees but the time (an unwind, a traceback: tens to
 * hundreds of microseconds, once per stop). async-signal-safe; errno kept. */
COLD_TEXT void signals_arrival_where(int sig, const siginfo_t *si, void *uc)
{
	struct where_args a = {sig, si->si_pid, uc};
	int saved = errno;
	if ((sig != SIGABRT && sig != SIGTERM) || si->si_code > 0 || si->si_pid <= 0 ||
	    si->si_pid == trace_pid_get() || atomic_load(&shim_active) != 1 || in_vfork_child() ||
	    atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed) || checker_running())
		return;
	if (!shim_enter())
		return;
	deep_run_masked(where_lines, &a);
	shim_leave();
	errno = saved;
}

/* A termination signal the program handles, before its handler (termentry.S's term_trampoline,
 * the kernel's entry, and term_call): the arrival, the watcher. Returns the program's handler to
 * call with sig, si, uc, or NULL where none is to be called (SIG_IGN, a vfork child's, the
 * default action taken), and in .state what term_post needs after it: bits 0-1 the watcher
 * (watchdog_handler_begin's answer), bit 2 uc_stack hidden, bit 3 the arrival's lines on a shim
 * stack, bits 32-63 the hidden uc_stack's ss_flags (its ss_sp and ss_size are ts.altstack's).
 * frame: the stack pointer at the handler's call (the watcher's test of the handler's frames).
 * async-signal-safe */
struct term_go {
	void *h;
	uint64_t state;
};
EXIT_TEXT struct term_go term_pre(int sig, siginfo_t *si, void *uc, uintptr_t frame)
{
	struct term_go go = {NULL, 0};
	int flags, watched, hidden, deep;
	stack_t orig;
	void *h = crash_program_handler(sig, &flags);
	if (unlikely(in_vfork_child())) { /* (free unless a vfork is under way: vfork.S) */
		crash_vfork_child_signal(sig, si, uc);
		return go;
	}
	if (h == (void *)SIG_DFL) {
		term_default_handler(sig, si, uc); /* reset since the kernel chose */
		return go;
	}
	if (h == (void *)SIG_IGN)
		return go;
	if (flags & SA_RESETHAND)
		crash_program_reset(sig);
	/* where the signal interrupted the thread: the arrival's state letter is read from there
	 * when its line is written, after the handler (python3 asleep in an atexit callback of its
	 * own Py_FinalizeEx: A); a load and two stores here, nothing that faults or calls the kernel */
	ts.interrupted_sp = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP];
	/* (not under the program's seccomp filter: a first deep stack is an mmap and an mprotect it
	 * may not allow; nor under Valgrind, whose memcheck, seeing the stack pointer come back from
	 * the shim's stack, took the program's signal stack below it for dead stack: its own memset
	 * of that buffer afterwards was 46 "Invalid write" errors, HOSTILE15) */
	deep = !atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed) &&
	       (on_program_sigstack(uc) || !on_own_stack()) && !checker_running();
	if (deep) {
		struct arrival_args a = {sig, si, h};
		if (!deep_run_masked(arrival_deep, &a))
			signals_arrival(sig, si, h, 0); /* (no stack free: here, as before) */
	} else {
		signals_arrival(sig, si, h, 0);
	}
	ts.interrupted_sp = 0;
	watched = watchdog_handler_begin(sig, flags, h, frame); /* a handler that never returns (watchdog.c) */
	ts.term_handlers++; /* (what it installs is written after it: handler_keep) */
	hidden = crash_uc_stack_hide(uc, &orig);
	go.h = h;
	go.state = (uint64_t)(watched & 3) | (uint64_t)hidden << 2 | (uint64_t)deep << 3 |
		   (hidden ? (uint64_t)(uint32_t)orig.ss_flags << 32 : 0);
	return go;
}

/* After the program's handler returned (state: term_pre's): uc_stack given back, the watcher's
 * end, the kept arrival lines, `sig_where`. async-signal-safe */
EXIT_TEXT void term_post(int sig, siginfo_t *si, void *uc, uint64_t state)
{
	int deep = (state >> 3) & 1;
	if ((state >> 2) & 1) {
		stack_t orig = {.ss_sp = ts.altstack, .ss_flags = (int)(uint32_t)(state >> 32), .ss_size = ts.altstack_size};
		crash_uc_stack_back(uc, &orig);
	}
	ts.term_handlers--;
	watchdog_handler_end((int)(state & 3));
	if (!deep || !deep_run_masked(arrival_done_deep, NULL))
		signals_arrival_done();
	signals_arrival_where(sig, si, uc);
}

/* term_trampoline's work from C (term_default_handler, where the program installed a handler
 * after the kernel chose the default's entry): the handler is called from this frame. */
COLD_TEXT void term_call(int sig, siginfo_t *si, void *uc)
{
	uintptr_t sp;
	struct term_go go;
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	go = term_pre(sig, si, uc, sp);
	if (!go.h)
		return;
	((void (*)(int, siginfo_t *, void *))go.h)(sig, si, uc);
	term_post(sig, si, uc, go.state);
}

/* ---- termination signals taken with sigwait, sigwaitinfo, sigtimedwait ----
 * A program that blocks a signal and waits for it never runs a handler: its arrival is written
 * here, HOW `wait`, HANDLER 0x0. (signalfd readers are not seen: a read(2) on their descriptor.) */

COLD_TEXT static void waited(int sig, const siginfo_t *si)
{
	if (sig > 0 && sig < 32 && (TERM_SIGNAL_BITS >> sig & 1) && shim_enter()) {
		arrival_line(sig, si, NULL, "wait", 0);
		shim_leave();
	}
}

/* sigtimedwait's may_block for watchdog_before_block: inside a handler whose watcher was put off
 * (hw_put_off.sig; only then is sigpending asked), a wait of 10 ms or more for signals none of
 * which is pending blocks. async-signal-safe */
COLD_TEXT static int sigwait_blocks_handler(const sigset_t *set, const struct timespec *timeout)
{
	sigset_t pend;
	int n = 0;
	if (likely(!hw_put_off.sig) || (timeout && timeout->tv_sec <= 0 && timeout->tv_nsec < 10000000))
		return 0;
	memset(&pend, 0, sizeof pend); /* (the kernel fills its 8 bytes) */
	if (sys2(SYS_rt_sigpending, &pend, 8) == 0)
		for (int s = 1; s < 65 && !n; s++)
			n = sigismember(set, s) == 1 && sigismember(&pend, s) == 1;
	return !n;
}

/* not in the table of real functions: that lives in the start-up page, with no room to spare */
static int (*real_sigtimedwait)(const sigset_t *, siginfo_t *, const struct timespec *) COLD_BSS;

COLD_TEXT EXPORT int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	siginfo_t si;
	int rc, saved;
	if (!real_sigtimedwait) {
		/* (real_lookup: a passive shim has no module table; before, ENOSYS there) */
		real_sigtimedwait = (int (*)(const sigset_t *, siginfo_t *, const struct timespec *))real_lookup("sigtimedwait");
		if (!real_sigtimedwait) {
			errno = ENOSYS;
			return -1;
		}
	}
	watchdog_before_block(sigwait_blocks_handler(set, timeout)); /* (the watcher first: watchdog.c) */
	/* python3's Py_FinalizeEx waiting for a signal (signal.sigwaitinfo, sigtimedwait in an
	 * atexit callback): never restarted after a handler (signal(7)), so cut short always */
	BLOCKING_PY(-1, !timeout || timeout->tv_sec || timeout->tv_nsec, EINTR_RETURN);
	rc = real_sigtimedwait(set, &si, timeout);
	saved = errno;
	if (rc > 0) {
		if (info)
			*info = si;
		waited(rc, &si);
	}
	errno = saved;
	return rc;
}

COLD_TEXT EXPORT int sigwaitinfo(const sigset_t *set, siginfo_t *info) { return sigtimedwait(set, info, NULL); }

/* glibc's sigwait: sigtimedwait until it is not interrupted; the error as the result */
COLD_TEXT EXPORT int sigwait(const sigset_t *set, int *sig)
{
	int rc, saved = errno;
	do
		rc = sigtimedwait(set, NULL, NULL);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		rc = errno;
		errno = saved;
		return rc;
	}
	*sig = rc;
	errno = saved;
	return 0;
}

/* ---- blocked termination signals ---- */

static unsigned term_bits(const sigset_t *set)
{
	uint64_t m;
	memcpy(&m, set, sizeof m); /* the kernel's 64 signals, bit sig - 1 */
	return (unsigned)(m << 1) & TERM_SIGNAL_BITS;
}

/* ---- which threads may take a termination signal ----
 * For the handler watcher (watchdog.c): a second instance of a signal that arrived at a handler
 * can run that handler again on another thread only if some other thread leaves the signal
 * unblocked. The shim knows each thread's blocked termination signals (ts.term_blocked: inherited,
 * set through its wrappers); so that a handler can ask about all threads without a lock or a
 * system call, they are also counted here: the threads the shim saw start and not end, how many
 * of them block each signal, and the main thread's set (proc.main_term_blocked). Kept in
 * COLD_BSS, written only by a thread's start and end and by mask changes: a process that starts
 * no thread and changes no mask writes none of it. A thread that ended unseen (cancelled, a raw exit) still counts, as one that
 * may take the signal: the answer errs towards "another thread may take it". Not seen: masks
 * changed without the wrappers (raw rt_sigprocmask; the temporary mask of sigsuspend, ppoll,
 * pselect, epoll_pwait) and threads started without pthread_create's wrapper. */
static struct {
	atomic_int threads;            /* threads counted (seen start, not end) */
	atomic_int blocking[32];       /* of those, how many block signal sig */
	atomic_int starting_open[32];  /* threads made by pthread_create's wrapper, not yet started,
					* that start with signal sig unblocked: they may take it before
					* they run any of the shim's code (glibc's start_thread sets the
					* creator's or the attribute's mask before the routine runs:
					* nptl/pthread_create.c; until then all are blocked) */
} term_threads COLD_BSS;
static __thread int term_counted; /* this thread is one of term_threads.threads */

/* pthread_create's wrapper: a thread is being made (+1) that starts with the termination signals
 * term_blocked blocked (signals_blocked_for_new_thread), its making failed (-1); the thread
 * itself, once counted at its start (-1, the same set). */
void signals_thread_creating(int delta, unsigned term_blocked)
{
	for (unsigned open = TERM_SIGNAL_BITS & ~term_blocked, sig; open; open &= open - 1) {
		sig = (unsigned)__builtin_ctz(open);
		atomic_fetch_add(&term_threads.starting_open[sig], delta);
	}
}

/* In a fork child whose parent had threads (threads.c): only the forking thread goes on, and
 * it is not counted (it is the child's main thread, whose set proc.main_term_blocked holds). */
COLD_TEXT void signals_threads_forgotten(void)
{
	memset(&term_threads, 0, sizeof term_threads);
	term_counted = 0;
}

/* the counts of one counted thread whose blocked set went from was to now (bit sig) */
COLD_TEXT static void term_count_change(unsigned was, unsigned now)
{
	for (unsigned d = was ^ now, sig; d; d &= d - 1) {
		sig = (unsigned)__builtin_ctz(d);
		atomic_fetch_add(&term_threads.blocking[sig], now >> sig & 1 ? 1 : -1);
	}
}

/* the calling thread's blocked set is now now (was before): counts and the main thread's set */
COLD_TEXT static void term_mask_set(unsigned was, unsigned now)
{
	if (term_counted)
		term_count_change(was, now);
	else if (shim_gettid() == trace_pid_get())
		atomic_store(&proc.main_term_blocked, now);
}

/* Whether every thread of the process but the caller blocks sig (1), as far as the shim knows
 * (above): no other thread can run sig's handler while the caller runs it. A thread taking sig
 * at a handler asks; its own recorded set may say either. async-signal-safe: loads only */
EXIT_TEXT int signals_others_block(int sig)
{
	int others, self = shim_gettid() == trace_pid_get();
	unsigned bit = 1u << sig;
	if (sig <= 0 || sig >= 32 || !(TERM_SIGNAL_BITS & bit))
		return 0;
	if (atomic_load(&term_threads.starting_open[sig]))
		return 0; /* a thread made and not yet started with sig unblocked: it takes signals already */
	if (!threads_live_count()) /* no thread counted (each is in threads.c's table too) */
		return self || (atomic_load(&proc.main_term_blocked) & bit);
	others = atomic_load(&term_threads.threads) - atomic_load(&term_threads.blocking[sig]);
	if (term_counted && !(ts.term_blocked & bit))
		others--; /* the caller's own entry */
	if (!self && !(atomic_load(&proc.main_term_blocked) & bit))
		others++; /* the main thread, not counted */
	return others == 0;
}

/* a thread the shim saw start ends: its counts go (before its live-table entry: until then it
 * counts as one that may take the signal) */
COLD_TEXT void signals_thread_exit(void)
{
	if (!term_counted)
		return;
	term_counted = 0;
	term_count_change(ts.term_blocked, 0);
	atomic_fetch_sub(&term_threads.threads, 1);
}

/* per thread, sig_mask lines after which a thread that keeps toggling its mask writes no more
 * (a program blocking signals around each operation); the last line says so */
#define MASK_LINES_MAX 32

/* A `sig_mask` line: CALL BLOCKED SITE, BLOCKED the termination signals now blocked (hex, bit
 * sig). */
COLD_TEXT static void mask_line(const char *call, unsigned blocked, const void *site, enum tl_class cls)
{
	struct tline l;
	if (ts.mask_lines >= MASK_LINES_MAX)
		return;
	tl_begin(&l, "sig_mask");
	l.cls = cls;
	tl_word(&l, call);
	tl_hex(&l, blocked);
	if (site)
		tl_code(&l, (uintptr_t)site);
	else
		tl_word(&l, "-");
	if (++ts.mask_lines == MASK_LINES_MAX)
		tl_word(&l, "last");
	tl_end(&l);
}

/* At start: the termination signals this program inherited blocked (the mask across exec) or
 * ignored (SIG_IGN survives exec), one `sig_inherit BLOCKED IGNORED` line if any. */
void signals_init(void)
{
	sigset_t m;
	unsigned ign = crash_term_ignored();
	if (sys4(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8) == 0)
		ts.term_blocked = term_bits(&m);
	if (ts.term_blocked)
		term_mask_set(0, ts.term_blocked);
	if (ts.term_blocked || ign) {
		struct tline l;
		tl_begin(&l, "sig_inherit");
		tl_hex(&l, ts.term_blocked);
		tl_hex(&l, ign);
		tl_end(&l);
	}
}

/* What a thread being created will block: the attribute's mask where it has one, else the
 * creator's. Nothing costs a system call. */
unsigned signals_blocked_for_new_thread(const pthread_attr_t *attr)
{
	sigset_t m;
	if (attr && pthread_attr_getsigmask_np(attr, &m) == 0)
		return term_bits(&m);
	return ts.term_blocked;
}

/* In a new thread, before its routine: a line only if it blocks any. */
void signals_thread_start(unsigned blocked)
{
	ts.term_blocked = blocked;
	ts.mask_lines = 0;
	/* counted: threads first, then the blocked ones (meanwhile it counts as one that takes them) */
	atomic_fetch_add(&term_threads.threads, 1);
	term_counted = 1;
	if (blocked) { /* (cold code only then: a thread's start runs none, t040's windows) */
		term_count_change(0, blocked);
		mask_line("thread", blocked, NULL, TL_NEUTRAL);
	}
}

/* after the program's mask call returned 0 with the previous mask old */
COLD_TEXT static void mask_changed(const char *call, int how, const sigset_t *set, const sigset_t *old, const void *site)
{
	unsigned was = term_bits(old), bits = term_bits(set), now;
	now = how == SIG_BLOCK ? was | bits : how == SIG_UNBLOCK ? was & ~bits : bits;
	if (now != was && in_vfork_child())
		return; /* (it shares the parent thread's memory, ts included) */
	ts.term_blocked = now;
	if (now != was)
		term_mask_set(was, now);
	if (now != was && shim_enter()) {
		mask_line(call, now, site, TL_MATTERS);
		shim_leave();
	}
}

/* the program's mask call through fn, then the line if the termination set changed; set not
 * NULL. Returns fn's result; errno as fn left it */
COLD_TEXT static int mask_call(int (*fn)(int, const sigset_t *, sigset_t *), const char *call, int how, const sigset_t *set,
		     sigset_t *old, const void *site)
{
	sigset_t in = *set, o; /* set and old may be the same */
	int rc, saved;
	watchdog_put_off_poll();
	rc = fn(how, &in, &o);
	saved = errno;
	if (rc == 0) {
		if (old)
			*old = o;
		mask_changed(call, how, &in, &o, site);
	}
	errno = saved;
	return rc;
}

EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (!set)
		return REAL(sigprocmask)(how, set, old);
	return mask_call(REAL(sigprocmask), "sigprocmask", how, set, old, __builtin_return_address(0));
}

/* (it returns an error number and leaves errno alone) */
EXPORT int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	int saved = errno, rc;
	if (!set)
		return REAL(pthread_sigmask)(how, set, old);
	rc = mask_call(REAL(pthread_sigmask), "pthread_sigmask", how, set, old, __builtin_return_address(0));
	errno = saved;
	return rc;
}

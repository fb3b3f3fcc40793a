/* sleeps.c - the sleep, poll and timed-wait family: where python3's own Py_FinalizeEx is seen
 * blocking in something else than a lock wait with no timeout (issue 15).
 *
 * In /usr/bin/python3 Py_FinalizeEx is an internal call; an atexit callback, or a thread that
 * threading._shutdown joins, may block the main thread in a loop of time.sleep, select, poll,
 * epoll or a timed lock wait, never in sem_wait (python.c). What CPython 3.11, 3.13 and 3.14
 * call on glibc (each release's imports, and each call seen on Debian's python3): time.sleep
 * clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) (Modules/timemodule.c pysleep); select.select
 * select; select.poll poll; select.epoll and selectors' default epoll_wait; Lock.acquire with a
 * timeout, Event.wait(t), Condition.wait(t), Thread.join(t) sem_clockwait (3.11:
 * Python/thread_pthread.h; 3.13+: the parking lot's _PySemaphore_Wait, Python/parking_lot.c).
 * Interposed: those and the rest of the family glibc 2.36 exports (nanosleep, sleep and usleep,
 * which glibc runs on its internal __nanosleep, so each is its own entry; pselect, ppoll,
 * epoll_pwait, epoll_pwait2, sem_timedwait). Each wrapper, in a process whose interpreter was
 * found and only for a call that may block (a nonzero timeout, or none), asks py_fin_blocking
 * (python.c), which on the main thread starts the hang watchdog if Py_FinalizeEx runs; then it
 * calls the real function with the arguments as given.
 *
 * Not interposed: pthread_cond_timedwait and pthread_cond_clockwait (glibc keeps an older
 * pthread_cond_timedwait@GLIBC_2.2.5 with another condition layout beside the default: an
 * unversioned wrapper would hand old binaries the new one; and in CPython on glibc their one user
 * is the GIL's wait, take_gil, 5 ms at a time, which is no teardown step); __poll_chk and
 * __ppoll_chk (_FORTIFY_SOURCE's, which reach glibc's internal __poll: CPython does not call
 * them). A socket read or a pipe that never gets data, and the waits for a signal, a file lock or
 * a child: reads.c and signals.c (stop 28), at the cost measured there: each is a server's hot
 * call.
 *
 * Cost: two relaxed loads (hw_pending, py_interp_found) and a thread variable's (hw_put_off) in
 * every other program; in a Python process two more per call that may block (wd_arrival_py,
 * wd_armed: PY_REACTION, below); on the threads of a Python
 * process that are not its main one, a compare of the cached thread id; no system call, nothing
 * written. errno is kept; each wrapper calls its real function once, so cancellation (these are
 * cancellation points) and EINTR behave as without the shim; but for the call where python3's
 * teardown is seen to begin, if a SIGTERM, SIGINT or SIGQUIT arrived at a handler meanwhile: that
 * call returns as one the signal cut short, after pthread_testcancel (BLOCKING, shim.h). The code is EXIT_TEXT and the real
 * functions' pointers EXIT_BSS (not struct real_fns, which lives in the start-up page): a
 * program's first sleep touches them, a start does not (t040). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* the real functions, looked up on first use (real_lookup: the next definition after ours) */
static struct {
	int (*nanosleep)(const struct timespec *, struct timespec *);
	int (*clock_nanosleep)(clockid_t, int, const struct timespec *, struct timespec *);
	unsigned (*sleep)(unsigned);
	int (*usleep)(useconds_t);
	int (*select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
	int (*pselect)(int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *);
	int (*poll)(struct pollfd *, nfds_t, int);
	int (*ppoll)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);
	int (*epoll_wait)(int, struct epoll_event *, int, int);
	int (*epoll_pwait)(int, struct epoll_event *, int, int, const sigset_t *);
	int (*epoll_pwait2)(int, struct epoll_event *, int, const struct timespec *, const sigset_t *);
	int (*sem_timedwait)(sem_t *, const struct timespec *);
	int (*sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
} sl EXIT_BSS;

/* (NULL where libc has no such function: epoll_pwait2 before glibc 2.35) */
#define SLEEPS_REAL(fn) ((__typeof__(sl.fn))real_lookup_once((void **)&sl.fn, COLD_NAME(#fn)))

/* a timeout that may block: none (NULL: until an event), or one not zero. The caller reads it
 * only in a Python process, as the real function will. */
static inline int ts_may_block(const struct timespec *t) { return !t || t->tv_sec || t->tv_nsec; }

/* ---- the watch of a Python reaction (python.c py_reaction_sleeps): the main thread sleeps, polls
 * or waits with a timeout soon after a termination signal arrived at Python's handler (a
 * gunicorn worker's worker_exit hook after its SIGTERM, HANG15), or while such a watch runs.
 * Asked only in a process with an interpreter, after such an arrival or with the watchdog armed
 * (two relaxed loads more there); the wrapper then calls watchdog_py_wait_end after its call. */
#define NS_NONE UINT64_MAX
static inline uint64_t ts_ns(const struct timespec *t)
{
	return !t ? NS_NONE : t->tv_sec < 0 ? 0 : (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}
static inline uint64_t ms_ns(int ms) { return ms < 0 ? NS_NONE : (uint64_t)ms * 1000000u; }
/* a deadline on clock c, as the time left until it; 0 if passed, or on a clock other than
 * CLOCK_MONOTONIC (Python's: time.sleep, sem_clockwait), which the shim reads only through now_ns:
 * libc's clock_gettime is a sanitizer's to interpose (t285), and a raw call a filter may kill */
EXIT_TEXT static uint64_t left_ns(clockid_t c, const struct timespec *at)
{
	uint64_t a = ts_ns(at), n;
	if (!at || c != CLOCK_MONOTONIC)
		return 0;
	n = now_ns();
	return a > n ? a - n : 0;
}
/* The main thread's last call of this family ended as a signal cut it short (EINTR; sleep's time
 * left): CPython retries such a call after it ran its handlers (PEP 475), and that retry is no
 * new wait (a gunicorn worker's select of 15 s, retried after its SIGTERM's handler, then left
 * at once). Written by the main thread only, in a process with an interpreter. */
static int sl_main_cut EXIT_BSS;

EXIT_TEXT static int reaction_begin(uint64_t timeout_ns)
{
	int saved = errno, w = py_reaction_sleeps(timeout_ns, sl_main_cut);
	errno = saved;
	return w;
}
/* after BLOCKING, in each wrapper: py_ (a process with an interpreter) and watched_ (timeout_ns
 * is evaluated only where it is asked) */
#define PY_REACTION(may_block, timeout_ns)                                                                   \
	int py_ = py_interp_found();                                                                         \
	int watched_ = py_ && (may_block) &&                                                                 \
				       unlikely(atomic_load_explicit(&wd_arrival_py, memory_order_relaxed) ||      \
						watchdog_armed())                                                  \
			       ? reaction_begin(timeout_ns)                                                  \
			       : 0
/* the real call's result (type T); cut: whether it says a signal cut it short (r_ the result, e_
 * its errno); then the watch's wait ended (errno kept) */
#define REACTION_RETURN(T, call, cut)                          \
	do {                                                   \
		if (likely(!py_))                              \
			return call;                           \
		T r_ = call;                                   \
		int e_ = errno;                                \
		(void)e_;                                      \
		if (shim_gettid() == trace_pid_get())          \
			sl_main_cut = (cut);                   \
		if (watched_)                                  \
			watchdog_py_wait_end();                \
		errno = e_;                                    \
		return r_;                                     \
	} while (0)
#define CUT_ERRNO (r_ < 0 && e_ == EINTR)

EXIT_TEXT EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	BLOCKING(req && (req->tv_sec || req->tv_nsec), {
		if (rem)
			*rem = *req;
		EINTR_RETURN;
	});
	PY_REACTION(req && (req->tv_sec || req->tv_nsec), ts_ns(req));
	REACTION_RETURN(int, SLEEPS_REAL(nanosleep)(req, rem), CUT_ERRNO);
}

/* TIMER_ABSTIME: a deadline, taken as one that may lie ahead unless it is 0 (time.sleep's) */
EXIT_TEXT EXPORT int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem)
{
	BLOCKING(req && (req->tv_sec || req->tv_nsec), {
		if (rem && !(flags & TIMER_ABSTIME))
			*rem = *req;
		return EINTR; /* (its error as its result) */
	});
	PY_REACTION(req && (req->tv_sec || req->tv_nsec), (flags & TIMER_ABSTIME) ? left_ns(clock, req) : ts_ns(req));
	REACTION_RETURN(int, SLEEPS_REAL(clock_nanosleep)(clock, flags, req, rem), r_ == EINTR);
}

EXIT_TEXT EXPORT unsigned sleep(unsigned seconds)
{
	BLOCKING(seconds, return seconds);
	PY_REACTION(seconds, (uint64_t)seconds * 1000000000u);
	REACTION_RETURN(unsigned, SLEEPS_REAL(sleep)(seconds), r_ > 0);
}

EXIT_TEXT EXPORT int usleep(useconds_t usec)
{
	BLOCKING(usec, EINTR_RETURN);
	PY_REACTION(usec, (uint64_t)usec * 1000u);
	REACTION_RETURN(int, SLEEPS_REAL(usleep)(usec), CUT_ERRNO);
}

EXIT_TEXT EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	BLOCKING(!tv || tv->tv_sec || tv->tv_usec, EINTR_RETURN);
	PY_REACTION(!tv || tv->tv_sec || tv->tv_usec,
		    !tv ? NS_NONE : tv->tv_sec < 0 ? 0 : (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u);
	REACTION_RETURN(int, SLEEPS_REAL(select)(n, r, w, e, tv), CUT_ERRNO);
}

EXIT_TEXT EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t, const sigset_t *mask)
{
	BLOCKING(ts_may_block(t), EINTR_RETURN);
	PY_REACTION(ts_may_block(t), ts_ns(t));
	REACTION_RETURN(int, SLEEPS_REAL(pselect)(n, r, w, e, t, mask), CUT_ERRNO);
}

EXIT_TEXT EXPORT int poll(struct pollfd *fds, nfds_t n, int ms)
{
	BLOCKING(ms != 0, EINTR_RETURN);
	PY_REACTION(ms != 0, ms_ns(ms));
	REACTION_RETURN(int, SLEEPS_REAL(poll)(fds, n, ms), CUT_ERRNO);
}

EXIT_TEXT EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask)
{
	BLOCKING(ts_may_block(t), EINTR_RETURN);
	PY_REACTION(ts_may_block(t), ts_ns(t));
	REACTION_RETURN(int, SLEEPS_REAL(ppoll)(fds, n, t, mask), CUT_ERRNO);
}

EXIT_TEXT EXPORT int epoll_wait(int ep, struct epoll_event *ev, int max, int ms)
{
	BLOCKING(ms != 0, EINTR_RETURN);
	PY_REACTION(ms != 0, ms_ns(ms));
	REACTION_RETURN(int, SLEEPS_REAL(epoll_wait)(ep, ev, max, ms), CUT_ERRNO);
}

EXIT_TEXT EXPORT int epoll_pwait(int ep, struct epoll_event *ev, int max, int ms, const sigset_t *mask)
{
	BLOCKING(ms != 0, EINTR_RETURN);
	PY_REACTION(ms != 0, ms_ns(ms));
	REACTION_RETURN(int, SLEEPS_REAL(epoll_pwait)(ep, ev, max, ms, mask), CUT_ERRNO);
}

EXIT_TEXT EXPORT int epoll_pwait2(int ep, struct epoll_event *ev, int max, const struct timespec *t, const sigset_t *mask)
{
	int (*fn)(int, struct epoll_event *, int, const struct timespec *, const sigset_t *) = SLEEPS_REAL(epoll_pwait2);
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	BLOCKING(ts_may_block(t), EINTR_RETURN);
	PY_REACTION(ts_may_block(t), ts_ns(t));
	REACTION_RETURN(int, fn(ep, ev, max, t, mask), CUT_ERRNO);
}

/* a deadline (CLOCK_REALTIME; sem_clockwait's clock): as clock_nanosleep's. Python calls these
 * only when the lock is taken (python.c). A handler with SA_RESTART does not cut a futex wait
 * short: EINTR only where none has it */
EXIT_TEXT EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	BLOCKING(1, if (!py_fin_signal_restarts()) EINTR_RETURN);
	PY_REACTION(1, left_ns(CLOCK_REALTIME, abstime));
	REACTION_RETURN(int, SLEEPS_REAL(sem_timedwait)(s, abstime), CUT_ERRNO);
}

EXIT_TEXT EXPORT int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *abstime)
{
	BLOCKING(1, if (!py_fin_signal_restarts()) EINTR_RETURN);
	PY_REACTION(1, left_ns(clock, abstime));
	REACTION_RETURN(int, SLEEPS_REAL(sem_clockwait)(s, clock, abstime), CUT_ERRNO);
}

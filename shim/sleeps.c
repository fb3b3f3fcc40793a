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
 * is the GIL's wait, take_gil, 5 ms at a time, which is no teardown step); read and recv (a
 * socket read or a pipe that never gets data: a server's hottest calls, each would pay the
 * test); __poll_chk and __ppoll_chk (_FORTIFY_SOURCE's, which reach glibc's internal __poll:
 * CPython does not call them).
 *
 * Cost: two relaxed loads (hw_pending, py_interp_found) and a thread variable's (hw_put_off) in
 * every other program; on the threads of a Python
 * process that are not its main one, a compare of the cached thread id; no system call, nothing
 * written. errno is kept; each wrapper calls its real function once, so cancellation (these are
 * cancellation points) and EINTR behave as without the shim; but for the call where python3's
 * teardown is seen to begin, if a SIGTERM, SIGINT or SIGQUIT arrived at a handler meanwhile: that
 * call returns as one the signal cut short, after pthread_testcancel (BLOCKING). The code is EXIT_TEXT and the real
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

/* *slot, looked up first if need be: NULL where libc has no such function (epoll_pwait2 before
 * glibc 2.35) */
EXIT_TEXT static void *sleeps_real(void **slot, const char *name)
{
	void *p = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (unlikely(!p)) {
		p = real_lookup(name);
		__atomic_store_n(slot, p, __ATOMIC_RELAXED);
	}
	return p;
}
#define SLEEPS_REAL(fn) ((__typeof__(sl.fn))sleeps_real((void **)&sl.fn, #fn))

/* a timeout that may block: none (NULL: until an event), or one not zero. The caller reads it
 * only in a Python process, as the real function will. */
static inline int ts_may_block(const struct timespec *t) { return !t || t->tv_sec || t->tv_nsec; }

/* Before a call that may block: a C termination handler's watcher put off from its arrival
 * (watchdog.c) is made now if this thread runs that handler (it blocks: a sleep, a poll), or
 * taken by this thread if another thread's handler published it (watchdog_before_block, shim.h:
 * a thread whose only calls are a sleep loop takes it too); then python.c's test, in a process
 * with an interpreter only. Where a
 * termination signal arrived at a handler while the test began the teardown (PY_FIN_SIGNALLED),
 * `interrupted` returns what the call returns when a handler cuts it short (EINTR, the time left)
 * after acting on a pending cancellation as the call would: Python then runs its handler now, as
 * it would had the signal come a moment later, inside the call (python.c fin_signal_since). */
#define BLOCKING(may_block, interrupted)                                                        \
	do {                                                                                    \
		watchdog_before_block(may_block);                                               \
		if (py_interp_found() && (may_block)) {                                         \
			int saved_ = errno, fin_ = py_fin_blocking();                           \
			errno = saved_;                                                         \
			if (unlikely(fin_ == PY_FIN_SIGNALLED)) {                               \
				pthread_testcancel();                                           \
				interrupted;                                                    \
			}                                                                       \
		}                                                                               \
	} while (0)
#define EINTR_RETURN                   \
	do {                           \
		errno = EINTR;         \
		return -1;             \
	} while (0)

EXIT_TEXT EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	BLOCKING(req && (req->tv_sec || req->tv_nsec), {
		if (rem)
			*rem = *req;
		EINTR_RETURN;
	});
	return SLEEPS_REAL(nanosleep)(req, rem);
}

/* TIMER_ABSTIME: a deadline, taken as one that may lie ahead unless it is 0 (time.sleep's) */
EXIT_TEXT EXPORT int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem)
{
	BLOCKING(req && (req->tv_sec || req->tv_nsec), {
		if (rem && !(flags & TIMER_ABSTIME))
			*rem = *req;
		return EINTR; /* (its error as its result) */
	});
	return SLEEPS_REAL(clock_nanosleep)(clock, flags, req, rem);
}

EXIT_TEXT EXPORT unsigned sleep(unsigned seconds)
{
	BLOCKING(seconds, return seconds);
	return SLEEPS_REAL(sleep)(seconds);
}

EXIT_TEXT EXPORT int usleep(useconds_t usec)
{
	BLOCKING(usec, EINTR_RETURN);
	return SLEEPS_REAL(usleep)(usec);
}

EXIT_TEXT EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	BLOCKING(!tv || tv->tv_sec || tv->tv_usec, EINTR_RETURN);
	return SLEEPS_REAL(select)(n, r, w, e, tv);
}

EXIT_TEXT EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t, const sigset_t *mask)
{
	BLOCKING(ts_may_block(t), EINTR_RETURN);
	return SLEEPS_REAL(pselect)(n, r, w, e, t, mask);
}

EXIT_TEXT EXPORT int poll(struct pollfd *fds, nfds_t n, int ms)
{
	BLOCKING(ms != 0, EINTR_RETURN);
	return SLEEPS_REAL(poll)(fds, n, ms);
}

EXIT_TEXT EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask)
{
	BLOCKING(ts_may_block(t), EINTR_RETURN);
	return SLEEPS_REAL(ppoll)(fds, n, t, mask);
}

EXIT_TEXT EXPORT int epoll_wait(int ep, struct epoll_event *ev, int max, int ms)
{
	BLOCKING(ms != 0, EINTR_RETURN);
	return SLEEPS_REAL(epoll_wait)(ep, ev, max, ms);
}

EXIT_TEXT EXPORT int epoll_pwait(int ep, struct epoll_event *ev, int max, int ms, const sigset_t *mask)
{
	BLOCKING(ms != 0, EINTR_RETURN);
	return SLEEPS_REAL(epoll_pwait)(ep, ev, max, ms, mask);
}

EXIT_TEXT EXPORT int epoll_pwait2(int ep, struct epoll_event *ev, int max, const struct timespec *t, const sigset_t *mask)
{
	int (*fn)(int, struct epoll_event *, int, const struct timespec *, const sigset_t *) = SLEEPS_REAL(epoll_pwait2);
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	BLOCKING(ts_may_block(t), EINTR_RETURN);
	return fn(ep, ev, max, t, mask);
}

/* a deadline (CLOCK_REALTIME; sem_clockwait's clock): as clock_nanosleep's. Python calls these
 * only when the lock is taken (python.c). A handler with SA_RESTART does not cut a futex wait
 * short: EINTR only where none has it */
EXIT_TEXT EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	BLOCKING(1, if (!py_fin_signal_restarts()) EINTR_RETURN);
	return SLEEPS_REAL(sem_timedwait)(s, abstime);
}

EXIT_TEXT EXPORT int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *abstime)
{
	BLOCKING(1, if (!py_fin_signal_restarts()) EINTR_RETURN);
	return SLEEPS_REAL(sem_clockwait)(s, clock, abstime);
}

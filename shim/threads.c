/* threads.c - thread start and exit, fork, and the end of a thread.
 *
 * The shim creates no pthread key of its own: keys are numbered from the lowest free slot, so one
 * of ours would renumber every key of the program. Instead:
 * - the end of a thread's TLS destructors is seen through a sentinel destructor registered with
 *   glibc before any of the thread's own (__cxa_thread_atexit_impl runs them last-in first-out, so
 *   it runs last); pthread key destructors follow it;
 * - the memory of a finished thread (its records, its sigaltstack) is reclaimed later by another
 *   thread, once tgkill(tid, 0) says the thread no longer exists. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

extern void *__dso_handle;
static __thread int sentinel_registered;

/* ---- finished threads ---- */

struct retired {
	pid_t tid;
	struct arena_chunk *chunks;
	void *altstack;
	size_t altstack_size;
	struct retired *next;
};
static struct retired *_Atomic retired_head;
static struct retired *free_nodes; /* under gc_lock */
static atomic_int gc_lock;

static void retire_current(void)
{
	struct retired *n = NULL;
	int expected = 0;
	if (atomic_compare_exchange_strong(&gc_lock, &expected, 1)) {
		n = free_nodes;
		if (n)
			free_nodes = n->next;
		atomic_store(&gc_lock, 0);
	}
	if (!n)
		n = arena_global_alloc(sizeof *n);
	if (!n)
		return;
	n->tid = shim_gettid();
	arena_thread_detach(&n->chunks);
	n->altstack = ts.altstack;
	n->altstack_size = ts.altstack_size;
	n->next = atomic_load(&retired_head);
	while (!atomic_compare_exchange_weak(&retired_head, &n->next, n))
		;
}

/* Free what threads that no longer exist left behind. Normal context only. */
static void reclaim_finished(void)
{
	struct retired *list, *n, *next, *keep = NULL;
	int expected = 0;
	pid_t pid = getpid();
	if (!atomic_load(&retired_head) || !atomic_compare_exchange_strong(&gc_lock, &expected, 1))
		return;
	list = atomic_exchange(&retired_head, NULL);
	for (n = list; n; n = next) {
		next = n->next;
		if (syscall(SYS_tgkill, pid, n->tid, 0) == -1 && errno == ESRCH) {
			arena_chunks_free(n->chunks);
			if (n->altstack)
				munmap(n->altstack, n->altstack_size);
			n->next = free_nodes;
			free_nodes = n;
		} else {
			n->next = keep;
			keep = n;
		}
	}
	while (keep) {
		n = keep;
		keep = keep->next;
		n->next = atomic_load(&retired_head);
		while (!atomic_compare_exchange_weak(&retired_head, &n->next, n))
			;
	}
	atomic_store(&gc_lock, 0);
}

/* ---- the sentinel ---- */

static void tls_dtors_done(void *unused)
{
	struct tline l;
	int saved = errno;
	(void)unused;
	if (shim_enter()) {
		tls_flush_counts();
		tl_begin(&l, "tls_dtors_done");
		tl_end(&l);
		shim_leave();
	}
	if (shim_gettid() != getpid())
		retire_current();
	errno = saved;
}

/* Register this thread's sentinel, before anything of the thread's own. */
void thread_note(void)
{
	if (sentinel_registered || !REAL(cxa_thread_atexit_impl))
		return;
	sentinel_registered = 1;
	REAL(cxa_thread_atexit_impl)(tls_dtors_done, NULL, &__dso_handle);
}

void threads_setup_current(void)
{
	thread_note();
	crash_thread_init();
}

/* ---- start and exit ---- */

struct start_rec {
	void *(*routine)(void *);
	void *arg;
	pid_t parent;
};

/* (the line buffers of the two events in frames of their own, not both in the trampoline's,
 * which stays on the thread's stack while the program runs) */
static __attribute__((noinline)) void thread_exit_event(const char *how)
{
	struct tline l;
	ts.teardown |= TD_THREAD_EXIT;
	tlsaccess_thread_hot();
	modules_sync();
	tl_begin(&l, "thread_exit");
	tl_word(&l, how);
	tl_end(&l);
}

static __attribute__((noinline)) void thread_start_event(const struct start_rec *r)
{
	struct tline l;
	threads_setup_current();
	modules_sync();
	tl_begin(&l, "thread_start");
	tl_dec(&l, r->parent);
	tl_code(&l, (uintptr_t)r->routine);
	tl_end(&l);
}

static void *thread_trampoline(void *p)
{
	struct start_rec r = *(struct start_rec *)p;
	void *ret;
	free(p);
	if (shim_enter()) {
		thread_start_event(&r);
		shim_leave();
	}
	ret = r.routine(r.arg);
	if (shim_enter()) {
		thread_exit_event("return");
		shim_leave();
	}
	return ret;
}

EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*routine)(void *), void *arg)
{
	int saved = errno, rc;
	struct start_rec *r;
	if (!REAL(pthread_create) || !shim_enter())
		goto passthrough;
	trace_batch_end();
	reclaim_finished();
	r = malloc(sizeof *r);
	shim_leave();
	if (!r)
		goto passthrough;
	r->routine = routine;
	r->arg = arg;
	r->parent = shim_gettid();
	errno = saved;
	rc = REAL(pthread_create)(t, attr, thread_trampoline, r);
	if (rc != 0)
		free(r);
	return rc;
passthrough:
	errno = saved;
	return REAL(pthread_create)(t, attr, routine, arg);
}

EXPORT void pthread_exit(void *retval)
{
	if (shim_enter()) {
		thread_exit_event("pthread_exit");
		shim_leave();
	}
	REAL(pthread_exit)(retval);
}

/* ---- fork ---- */

/* The child's first line is `forked` with its new pid. The locks the shim may have held in another
 * thread are try-locks: released here, their tables are consistent (see modules.c). */
static pid_t after_fork(pid_t pid, pid_t parent)
{
	int saved = errno;
	struct tline l;
	if (pid == 0) {
		modules_after_fork_child();
		stacks_after_fork_child();
		watchdog_after_fork_child();
		atomic_store(&gc_lock, 0);
		if (atomic_load(&shim_active) == 1)
			trace_after_fork_child(parent);
	} else if (shim_enter()) {
		tl_begin(&l, "fork");
		tl_dec(&l, pid);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
	return pid;
}

EXPORT pid_t fork(void)
{
	pid_t parent = getpid();
	trace_batch_end(); /* else the child writes the parent's lines too */
	return after_fork(REAL(fork)(), parent);
}

/* glibc 2.34's fork without atfork handlers (async-signal-safe) */
EXPORT pid_t _Fork(void)
{
	pid_t parent = getpid();
	trace_batch_end();
	if (!REAL(_Fork))
		return REAL(fork)();
	return after_fork(REAL(_Fork)(), parent);
}


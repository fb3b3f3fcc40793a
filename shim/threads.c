/* threads.c - thread start and exit, fork, and the end of a thread.
 *
 * The shim creates no pthread key of its own: keys are numbered from the lowest free slot, so one
 * of ours would renumber every key of the program. Instead:
 * - the end of a thread's TLS destructors is seen through a sentinel destructor registered with
 *   glibc before any of the thread's own (__cxa_thread_atexit_impl runs them last-in first-out, so
 *   it runs last); pthread key destructors follow it;
 * - the memory of a finished thread (its records, its sigaltstack) is reclaimed later by another
 *   thread, once the thread no longer exists: a pthread_join of it returned (no system call:
 *   in this VM one costs ~5 us, an eighth of a whole thread's life), or tgkill(tid, 0) says so
 *   (threads nobody joins, probed every PROBE_EVERY thread creations and at the end). */
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
	pthread_t self;
	atomic_int joined; /* a pthread_join of it returned: it is gone */
	struct tbuf *tb; /* its kept lines (routine.c), or NULL */
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
	n->self = pthread_self();
	atomic_store(&n->joined, 0);
	n->tb = ts.tb;
	arena_thread_detach(&n->chunks);
	n->altstack = ts.altstack;
	n->altstack_size = ts.altstack_size;
	n->next = atomic_load(&retired_head);
	while (!atomic_compare_exchange_weak(&retired_head, &n->next, n))
		;
}

#define PROBE_EVERY 64

/* Free what threads that no longer exist left behind, after their summary lines (routine.c):
 * those joined, and with probe those tgkill finds gone. Normal context only. */
void threads_reclaim(int probe)
{
	struct retired *list, *n, *next, *keep = NULL;
	int expected = 0;
	pid_t pid = trace_pid_get();
	if (!atomic_load(&retired_head) || !atomic_compare_exchange_strong(&gc_lock, &expected, 1))
		return;
	list = atomic_exchange(&retired_head, NULL);
	for (n = list; n; n = next) {
		next = n->next;
		if (atomic_load(&n->joined) || (probe && syscall(SYS_tgkill, pid, n->tid, 0) == -1 && errno == ESRCH)) {
			routine_summary(n->tb);
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
	int saved = errno;
	(void)unused;
	if (shim_enter()) {
		tls_flush_counts();
		routine_line("tls_dtors_done", TL_ROUTINE, py_state(), fmt_nothing, 0, 0, 0, 0);
		shim_leave();
	}
	if (shim_gettid() != trace_pid_get())
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
	unsigned term_blocked; /* termination signals it starts with blocked (signals.c) */
	atomic_int used; /* a slot of start_pool, or -1: malloc'ed */
};

/* What a new thread's trampoline needs, handed over in a slot of this pool (the host's malloc
 * and a free on another thread cost more than the rest of the shim's part in a thread's start);
 * malloc when all are taken. */
#define START_POOL 64
static struct start_rec start_pool[START_POOL] COLD_BSS;

static struct start_rec *start_rec_new(void)
{
	struct start_rec *r;
	int i;
	for (i = 0; i < START_POOL; i++) {
		int expected = 0;
		if (!atomic_load_explicit(&start_pool[i].used, memory_order_relaxed) &&
		    atomic_compare_exchange_strong(&start_pool[i].used, &expected, 1))
			return &start_pool[i];
	}
	r = malloc(sizeof *r);
	if (r)
		r->used = -1;
	return r;
}

static void start_rec_free(struct start_rec *r)
{
	if (atomic_load(&r->used) < 0)
		free(r);
	else
		atomic_store(&r->used, 0);
}

/* (the line buffers of the two events in frames of their own, not both in the trampoline's,
 * which stays on the thread's stack while the program runs) */
static void fmt_thread_start(struct tline *l, const uintptr_t *a)
{
	tl_dec(l, (long long)a[0]);
	tl_code(l, a[1]);
}

/* (a routine thread's lines are records, formatted later if at all: no module sync for them) */
static __attribute__((noinline)) void thread_exit_event(const char *how)
{
	ts.teardown |= TD_THREAD_EXIT;
	tlsaccess_thread_hot();
	if (!routine_thread())
		modules_sync();
	routine_thread_exit(how);
	routine_line("thread_exit", TL_ROUTINE, py_state(), fmt_word, (uintptr_t)how, 0, 0, 0);
}

static __attribute__((noinline)) void thread_start_event(const struct start_rec *r)
{
	routine_thread_start(r->parent, (uintptr_t)r->routine);
	threads_setup_current();
	signals_thread_start(r->term_blocked);
	if (!routine_thread())
		modules_sync();
	routine_line("thread_start", TL_ROUTINE, py_state(), fmt_thread_start, (uintptr_t)r->parent,
		     (uintptr_t)r->routine, 0, 0);
}

static void *thread_trampoline(void *p)
{
	struct start_rec r = *(struct start_rec *)p;
	void *ret;
	start_rec_free(p);
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
	static atomic_uint creations;
	threads_reclaim(atomic_fetch_add(&creations, 1) % PROBE_EVERY == PROBE_EVERY - 1);
	r = start_rec_new();
	shim_leave();
	if (!r)
		goto passthrough;
	r->routine = routine;
	r->arg = arg;
	r->parent = shim_gettid();
	r->term_blocked = signals_blocked_for_new_thread(attr);
	errno = saved;
	rc = REAL(pthread_create)(t, attr, thread_trampoline, r);
	if (rc != 0)
		start_rec_free(r);
	return rc;
passthrough:
	errno = saved;
	return REAL(pthread_create)(t, attr, routine, arg);
}

/* A joined thread is gone (glibc's join waits for the kernel to clear its tid): its retired
 * record says so, for threads_reclaim. */
EXPORT int pthread_join(pthread_t t, void **retval)
{
	int rc = REAL(pthread_join)(t, retval), saved = errno, expected = 0;
	struct retired *n;
	if (rc == 0 && atomic_load_explicit(&retired_head, memory_order_relaxed) &&
	    atomic_compare_exchange_strong(&gc_lock, &expected, 1)) {
		/* (under gc_lock: the reclaimer does not recycle nodes meanwhile) */
		for (n = atomic_load(&retired_head); n; n = n->next)
			if (pthread_equal(n->self, t))
				atomic_store(&n->joined, 1);
		atomic_store(&gc_lock, 0);
	}
	errno = saved;
	return rc;
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
		/* threads being started in the parent do not start in the child */
		for (int i = 0; i < START_POOL; i++)
			atomic_store(&start_pool[i].used, 0);
		/* the parent's threads: theirs to sum up, not the child's */
		for (struct retired *n = atomic_load(&retired_head); n; n = n->next)
			n->tb = NULL;
		routine_after_fork_child();
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
	routine_before_fork();
	return after_fork(REAL(fork)(), parent);
}

/* glibc 2.34's fork without atfork handlers (async-signal-safe) */
EXPORT pid_t _Fork(void)
{
	pid_t parent = getpid();
	trace_batch_end();
	routine_before_fork();
	if (!REAL(_Fork))
		return REAL(fork)();
	return after_fork(REAL(_Fork)(), parent);
}


/* threads.c - thread start and exit, fork, and the end of a thread.
 *
 * The shim creates no pthread key of its own: keys are numbered from the lowest free slot, so one
 * of ours would renumber every key of the program. Instead:
 * - the end of a thread's TLS destructors is seen through a sentinel destructor registered with
 *   glibc just before the thread's first own (__cxa_thread_atexit_impl runs them last-in
 *   first-out, so it runs last); pthread key destructors follow it. Only then: glibc's
 *   registration callocs (stdlib/cxa_thread_atexit_impl.c, glibc 2.36), and a thread's first
 *   malloc gives it an arena (64 MiB of address space, up to 8 per core): a thread that registers
 *   nothing must not get one from us (issue 14: under RLIMIT_AS 256 MiB a program made a fifth of
 *   its threads). A thread the shim started that registered nothing ends its TLS destructors, of
 *   which it has none, when its start routine ends: its trampoline does the sentinel's part then
 *   (return, pthread_exit, or cancellation: a cleanup buffer of glibc's around the routine);
 * - the memory of a finished thread (its records) is reclaimed later by another
 *   thread, once the thread no longer exists: a pthread_join of it returned (no system call:
 *   in this VM one costs ~5 us, an eighth of a whole thread's life), or tgkill(tid, 0) says so
 *   (threads nobody joins, probed every PROBE_EVERY thread creations and at the end). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

extern void *__dso_handle;
/* this thread's sentinel: 0 none yet, 1 registered with glibc, 2 none ever (its part is done:
 * thread_sentinel_unregistered) */
static __thread int sentinel_registered;

/* ---- finished threads ---- */

struct retired {
	pid_t tid;
	pthread_t self;
	atomic_int joined; /* a pthread_join of it returned: it is gone */
	struct tbuf *tb; /* its kept lines (routine.c), or NULL */
	struct arena_chunk *chunks;
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
		if (atomic_load(&n->joined) || (probe && sys3(SYS_tgkill, pid, n->tid, 0) == -ESRCH)) {
			routine_summary(n->tb);
			arena_chunks_free(n->chunks);
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

/* ---- threads alive ----
 * Every thread the shim saw start and not end, with its start routine: a slot of this table from
 * its start to its end (a claim, then a store: no lock). One line (threads_alive) says which of
 * them live when exit(), the return from main, Py_Finalize or fork() begins, written only when
 * there is one: a process that never started a thread pays nothing. A thread that ended without
 * the shim seeing it (cancelled, or ended by a raw system call) is left out by tgkill(tid, 0). */
#define LIVE_MAX 256
static struct {
	atomic_int tid; /* 0 free, -1 being filled */
	uintptr_t routine;
} live[LIVE_MAX] COLD_BSS;
static atomic_int live_count;

static void live_add(pid_t tid, uintptr_t routine)
{
	for (int i = 0; i < LIVE_MAX; i++) {
		int expected = 0;
		if (!atomic_load_explicit(&live[i].tid, memory_order_relaxed) &&
		    atomic_compare_exchange_strong(&live[i].tid, &expected, -1)) {
			live[i].routine = routine;
			atomic_store(&live[i].tid, tid);
			atomic_fetch_add(&live_count, 1);
			return;
		}
	}
}

EXIT_TEXT int threads_live_count(void) { return atomic_load_explicit(&live_count, memory_order_relaxed); }

static void live_remove(pid_t tid)
{
	if (!atomic_load_explicit(&live_count, memory_order_relaxed))
		return;
	for (int i = 0; i < LIVE_MAX; i++) {
		int expected = tid;
		if (atomic_compare_exchange_strong(&live[i].tid, &expected, 0)) {
			atomic_fetch_sub(&live_count, 1);
			return;
		}
	}
}

/* The line "threads_alive AT N [TID ROUTINE NAME]..." (at most 48 threads; N counts all): the
 * threads other than the caller alive now, each with its start routine and, with py, the name of
 * its Python thread ("-" if none: python.c's py_thread_name, a read of the interpreter's memory,
 * so not in fork's path). Nothing when no other thread lives. The caller is inside the shim.
 * N and the list come from one pass over the table (the threads alive by tgkill(tid, 0)), so
 * that a thread starting or ending meanwhile cannot make them disagree. */
EXIT_TEXT void threads_alive_line(const char *at, int py)
{
	enum { SHOWN_MAX = 48 };
	struct tline l;
	pid_t self = shim_gettid(), pid = trace_pid_get();
	pid_t tids[SHOWN_MAX];
	uintptr_t routines[SHOWN_MAX];
	int n = 0, shown = 0;
	if (!atomic_load_explicit(&live_count, memory_order_relaxed))
		return;
	for (int i = 0; i < LIVE_MAX; i++) {
		pid_t tid = atomic_load_explicit(&live[i].tid, memory_order_relaxed);
		if (tid <= 0 || tid == self || sys3(SYS_tgkill, pid, tid, 0) == -ESRCH)
			continue;
		if (shown < SHOWN_MAX) {
			tids[shown] = tid;
			routines[shown++] = live[i].routine;
		}
		n++;
	}
	if (!n)
		return;
	modules_sync();
	tl_begin(&l, "threads_alive");
	tl_word(&l, at);
	tl_dec(&l, n);
	for (int i = 0; i < shown; i++) {
		char name[64];
		tl_dec(&l, tids[i]);
		tl_code(&l, routines[i]);
		if (py && py_thread_name(tids[i], name, sizeof name) > 0)
			tl_str(&l, name);
		else
			tl_word(&l, "-");
	}
	tl_end(&l);
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

/* Register this thread's sentinel, just before the thread's first registration of its own (the
 * caller's, cxa.c): glibc's calloc then serves a thread that asked for one. Never after the
 * sentinel's part was done without it (thread_sentinel_unregistered): a registration from a key
 * destructor comes after glibc's TLS destructors ran, and glibc never runs it. */
void thread_note(void)
{
	if (sentinel_registered || !REAL(cxa_thread_atexit_impl))
		return;
	sentinel_registered = 1;
	REAL(cxa_thread_atexit_impl)(tls_dtors_done, NULL, &__dso_handle);
}

/* The start routine of a thread the shim started is over (it returned, or pthread_exit or a
 * cancellation unwound it): nothing of the program's runs before glibc's TLS destructors
 * (nptl/pthread_create.c start_thread, glibc 2.36), so a thread with no sentinel registered
 * has none: the sentinel's part now. The caller is outside the shim. async-signal-safe (a
 * cancellation may come from a signal: glibc's SIGCANCEL handler unwinds) */
static void thread_sentinel_unregistered(void *unused)
{
	(void)unused;
	if (sentinel_registered)
		return;
	sentinel_registered = 2;
	tls_dtors_done(NULL);
}

/* A thread's start, in its trampoline. No altstack (crash.c: the main thread's only) and no
 * sentinel: nothing of memory or mappings per thread the program did not ask for. */
void threads_setup_current(void)
{
	crash_thread_init();
}

/* ---- start and exit ---- */

struct start_rec {
	void *(*routine)(void *);
	void *arg;
	pid_t parent;
	unsigned term_blocked; /* termination signals it starts with blocked (signals.c) */
	size_t stack_size; /* its attribute's stack size, or glibc's default where none (bytes) */
	atomic_int used; /* a slot of start_pool: 1 taken, 0 free; a spilled one: SPILL_LIVE, SPILL_DONE */
	unsigned fork_gen; /* start_fork_gen when it was taken */
	struct start_rec *next; /* a spilled one: on the spilled list */
};
#define SPILL_LIVE (-1) /* spilled, its thread not yet started */
#define SPILL_DONE (-2) /* spilled, read by its thread: free for another */

/* What a new thread's trampoline needs, handed over in a slot of this pool (the host's malloc
 * and a free on another thread cost more than the rest of the shim's part in a thread's start).
 * When all are taken, a spilled record: one its thread has read, or a new one from the shim's
 * own memory (arena.c), never the program's malloc (a first malloc of the creating thread gives
 * it an arena: issue 14), and never freed: the spilled list only grows, to the most threads
 * ever starting at once beyond the pool, so it is walked without a lock. A record is given back
 * by its thread's trampoline with one store (async-signal-safe: it runs before the program's
 * code, with the program's signals unblocked, t191). */
#define START_POOL 64
static struct start_rec start_pool[START_POOL] COLD_BSS;
static struct start_rec *_Atomic spilled; /* pushed lock-free; never popped */

/* Counts the forks begun (fork, _Fork: before the real call). A record taken before a fork is
 * of a thread the child does not have, and the child frees it (after_fork); one taken during the
 * fork, by a pthread_atfork child handler that starts a thread (ThreadSanitizer's runtime starts
 * its background thread there), is of the child's and kept: freed, it was handed to the next
 * thread the child started while the first had not read it, and both ran the second's routine
 * (t331). */
static atomic_uint start_fork_gen;

static struct start_rec *start_rec_take(void)
{
	struct start_rec *r;
	int i;
	for (i = 0; i < START_POOL; i++) {
		int expected = 0;
		if (!atomic_load_explicit(&start_pool[i].used, memory_order_relaxed) &&
		    atomic_compare_exchange_strong(&start_pool[i].used, &expected, 1))
			return &start_pool[i];
	}
	for (r = atomic_load(&spilled); r; r = r->next) {
		int expected = SPILL_DONE;
		if (atomic_compare_exchange_strong(&r->used, &expected, SPILL_LIVE))
			return r;
	}
	r = arena_global_alloc(sizeof *r);
	if (!r)
		return NULL;
	atomic_store(&r->used, SPILL_LIVE);
	r->next = atomic_load(&spilled);
	while (!atomic_compare_exchange_weak(&spilled, &r->next, r))
		;
	return r;
}

static struct start_rec *start_rec_new(void)
{
	struct start_rec *r = start_rec_take();
	if (r)
		r->fork_gen = atomic_load_explicit(&start_fork_gen, memory_order_relaxed);
	return r;
}

/* async-signal-safe */
static void start_rec_free(struct start_rec *r)
{
	atomic_store(&r->used, atomic_load(&r->used) < 0 ? SPILL_DONE : 0);
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
	if (unlikely(hw_put_off.sig))
		watchdog_handler_end(2); /* (pthread_exit inside a handler: its put-off record goes) */
	watchdog_put_off_poll();
	signals_thread_exit();
	live_remove(shim_gettid());
	tlsaccess_thread_hot();
	if (!routine_thread())
		modules_sync();
	routine_thread_exit(how);
	routine_line("thread_exit", TL_ROUTINE, py_state(), fmt_word, (uintptr_t)how, 0, 0, 0);
}

static __attribute__((noinline)) void thread_start_event(const struct start_rec *r)
{
	watchdog_put_off_poll();
	routine_thread_start(r->parent, (uintptr_t)r->routine);
	live_add(shim_gettid(), (uintptr_t)r->routine);
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
	ts.stack_top = (uintptr_t)__builtin_frame_address(0);
	ts.stack_size = r.stack_size;
	if (shim_enter()) {
		thread_start_event(&r);
		shim_leave();
	}
	signals_thread_creating(-1, r.term_blocked); /* (counted now, or never: signals.c) */
	/* (glibc's C cleanup buffer, not an unwinder's: a pthread_exit or cancellation of the thread
	 * longjmps here from glibc's forced unwind, nptl/unwind.c, once the program's frames are
	 * unwound; ~100 bytes of this frame, no system call) */
	pthread_cleanup_push(thread_sentinel_unregistered, NULL);
	ret = r.routine(r.arg);
	pthread_cleanup_pop(0);
	if (shim_enter()) {
		thread_exit_event("return");
		shim_leave();
	}
	thread_sentinel_unregistered(NULL);
	return ret;
}

/* A new thread's stack size as the shim assumes it (attr: pthread_create's, or NULL) (signals.c on_own_stack), bytes. Without an
 * attribute glibc's default is RLIMIT_STACK's soft limit, or 8 MiB where unlimited (glibc 2.36
 * nptl/nptl-stack.c): 8 MiB here, an estimate (a thread whose stack is bigger runs its arrival
 * lines on a shim stack when deeper than that, a cost only). Cold: out of the start-up pages. */
#define DEFAULT_STACK_BYTES ((size_t)8 << 20)
COLD_TEXT __attribute__((noinline)) static size_t attr_stack_size(const pthread_attr_t *attr)
{
	size_t n = 0;
	return attr && pthread_attr_getstacksize(attr, &n) == 0 && n ? n : DEFAULT_STACK_BYTES;
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
	r->stack_size = attr_stack_size(attr);
	errno = saved;
	signals_thread_creating(1, r->term_blocked); /* it may take a signal before it runs (signals_others_block) */
	rc = REAL(pthread_create)(t, attr, thread_trampoline, r);
	if (unlikely(rc == EAGAIN) && watchdog_aside(1)) {
		rc = real.pthread_create(t, attr, thread_trampoline, r);
		watchdog_back(py_interp_found());
	}
	if (rc != 0) {
		signals_thread_creating(-1, r->term_blocked);
		start_rec_free(r);
	}
	return rc;
passthrough:
	errno = saved;
	return REAL(pthread_create)(t, attr, routine, arg);
}

/* A joined thread is gone (glibc's join waits for the kernel to clear its tid): its retired
 * record says so, for threads_reclaim. */
EXPORT int pthread_join(pthread_t t, void **retval)
{
	/* (inside a termination handler whose watcher was put off: watchdog.c; or another thread's) */
	int rc = unlikely(watchdog_before_block(0)) ? watchdog_handler_join(t, retval) : REAL(pthread_join)(t, retval),
	    saved = errno,
	    expected = 0;
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
COLD_TEXT static pid_t after_fork(pid_t pid, pid_t parent)
{
	int saved = errno;
	struct tline l;
	if (pid == 0) {
		/* (only this thread goes on, and it is in no vfork; a CLONE_VM child is the parent's) */
		atomic_store(&tlstrace_vfork_live, 0);
		modules_after_fork_child();
		stacks_after_fork_child();
		watchdog_after_fork_child();
		crash_after_fork_child();
		atomic_store(&gc_lock, 0);
		/* threads being started in the parent do not start in the child; those its
		 * pthread_atfork child handlers started (this fork's generation) do */
		unsigned gen = atomic_load(&start_fork_gen);
		for (int i = 0; i < START_POOL; i++)
			if (start_pool[i].fork_gen != gen)
				atomic_store(&start_pool[i].used, 0);
		for (struct start_rec *r = atomic_load(&spilled); r; r = r->next)
			if (r->fork_gen != gen)
				atomic_store(&r->used, SPILL_DONE);
		/* only the forking thread goes on in the child */
		if (atomic_exchange(&live_count, 0)) {
			for (int i = 0; i < LIVE_MAX; i++)
				atomic_store(&live[i].tid, 0);
			signals_threads_forgotten();
		}
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

/* before a fork: the threads alive, which the child will not have */
static void fork_threads_alive(void)
{
	int saved = errno;
	if (atomic_load_explicit(&live_count, memory_order_relaxed) && shim_enter()) {
		threads_alive_line("fork", 0);
		shim_leave();
	}
	errno = saved;
}

/* fn (fork or _Fork) once more after it failed with EAGAIN, if the watchdog's thread took the
 * task it lacked (watchdog_aside); errno EAGAIN if not */
COLD_TEXT static pid_t fork_with_room(pid_t (*fn)(void))
{
	pid_t pid;
	int saved;
	if (!watchdog_aside(1)) {
		errno = EAGAIN;
		return -1;
	}
	pid = fn();
	saved = errno;
	if (pid != 0)
		watchdog_back(py_interp_found());
	errno = saved;
	return pid;
}

EXPORT pid_t fork(void)
{
	pid_t parent = (pid_t)sys0(SYS_getpid), pid;
	atomic_fetch_add(&start_fork_gen, 1);
	trace_batch_end(); /* else the child writes the parent's lines too */
	watchdog_before_fork();
	fork_threads_alive();
	routine_before_fork();
	pid = REAL(fork)();
	if (unlikely(pid < 0) && errno == EAGAIN)
		pid = fork_with_room(real.fork);
	return after_fork(pid, parent);
}
/* (daemon.c's call: no PLT entry) */
extern pid_t shim_fork(void) __attribute__((nothrow, alias("fork"), visibility("hidden")));

/* ---- vfork and clone(CLONE_VM) children ----
 * Such a child runs in this process's memory until it execs or ends: it must not touch the
 * shim's state (in_vfork_child, exitfns.c). tlstrace_vfork_live counts this process's threads
 * inside vfork (vfork.S); a clone with CLONE_VM and without CLONE_THREAD made here sets
 * VFORK_CLONED for good (the child may outlive the call: without CLONE_VFORK the parent goes on
 * at once). While it is 0 no such child made through these entry points can be running, and
 * in_vfork_child needs no system call. posix_spawn's child runs only glibc's internal calls
 * and reaches none of the shim's. */
#define VFORK_CLONED (1 << 30)
atomic_int tlstrace_vfork_live;

/* vfork.S's error path: errno is err, the result -1 */
int tlstrace_vfork_failed(int err);
COLD_TEXT int tlstrace_vfork_failed(int err)
{
	errno = err;
	return -1;
}

/* vfork.S, after a vfork that failed with EAGAIN (a task limit): 1 if the watchdog's thread,
 * which may have taken the last task, has ended (watchdog_aside), and the call is to be made
 * again; the thread is made again at the parent's next step that may hang (its wait for the
 * child, the child's end reaped: watchdog_back(1)), never in the child, which shares this
 * memory (shim_enter refuses there). errno is kept. */
int tlstrace_vfork_room(void);
COLD_TEXT int tlstrace_vfork_room(void)
{
	if (!watchdog_aside(1))
		return 0;
	watchdog_back(1);
	return 1;
}

/* glibc's clone(fn, stack, flags, arg, parent_tid, tls, child_tid): the optional arguments are
 * read whether given or not (registers, and the caller's stack slot), as glibc's wrapper does */
/* A clone child in a new pid namespace is its init (crash.c ns_init): clone_ns_start runs first
 * in it. The program's function and argument reach the child in its copy of this thread's
 * memory (no CLONE_VM), set just before the call. */
static __thread struct {
	int (*fn)(void *);
	void *arg;
} clone_ns;

COLD_TEXT static int clone_ns_start(void *unused)
{
	(void)unused;
	crash_after_fork_child();
	return clone_ns.fn(clone_ns.arg);
}

COLD_TEXT EXPORT int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	void *ptid, *tls, *ctid;
	va_start(ap, arg);
	ptid = va_arg(ap, void *);
	tls = va_arg(ap, void *);
	ctid = va_arg(ap, void *);
	va_end(ap);
	if ((flags & CLONE_VM) && !(flags & CLONE_THREAD))
		atomic_fetch_or(&tlstrace_vfork_live, VFORK_CLONED);
	if ((flags & CLONE_NEWPID) && !(flags & CLONE_VM) && fn) {
		/* (with CLONE_VM the child's ns_init would be its parent's too: not done) */
		clone_ns.fn = fn;
		clone_ns.arg = arg;
		return REAL(clone)(clone_ns_start, stack, flags, NULL, ptid, tls, ctid);
	}
	return REAL(clone)(fn, stack, flags, arg, ptid, tls, ctid);
}

/* glibc 2.34's fork without atfork handlers (async-signal-safe) */
EXPORT pid_t _Fork(void)
{
	pid_t parent = (pid_t)sys0(SYS_getpid), pid;
	atomic_fetch_add(&start_fork_gen, 1);
	trace_batch_end();
	watchdog_before_fork();
	routine_before_fork();
	if (!REAL(_Fork))
		return REAL(fork)();
	pid = REAL(_Fork)();
	if (unlikely(pid < 0) && errno == EAGAIN)
		pid = fork_with_room(real._Fork);
	return after_fork(pid, parent);
}


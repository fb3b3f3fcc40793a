/* threads.c - thread start and exit, fork, and the end of a thread.
 *
 * A thread's end is seen through the shim's own pthread key: glibc runs key destructors after the
 * thread's TLS destructors, in up to PTHREAD_DESTRUCTOR_ITERATIONS rounds. Our destructor re-arms
 * its key until the last round, so it runs after every other key destructor that can run; only
 * then are the thread's records freed. Re-arming only adds rounds in which keys whose values are
 * still NULL are skipped, so other keys' destructors run exactly as without the shim. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "shim.h"

static pthread_key_t thread_key;
static int thread_key_ok;
static __thread int thread_key_set;
static pid_t fork_parent;

static void thread_key_destructor(void *v)
{
	struct tline l;
	int saved = errno;
	ts.final_rounds++;
	if (ts.final_rounds < PTHREAD_DESTRUCTOR_ITERATIONS) {
		real.pthread_setspecific(thread_key, v);
		errno = saved;
		return;
	}
	if (shim_enter()) {
		tls_thread_end();
		tl_begin(&l, "thread_end");
		tl_end(&l);
		shim_leave();
	}
	crash_thread_end();
	errno = saved;
}

/* Make sure this thread's end is seen (its records freed). */
void keys_thread_note(void)
{
	if (thread_key_set || !thread_key_ok)
		return;
	thread_key_set = 1;
	real.pthread_setspecific(thread_key, (void *)1);
}

void threads_setup_current(void)
{
	keys_thread_note();
	crash_thread_init();
}

struct start_rec {
	void *(*routine)(void *);
	void *arg;
	pid_t parent;
};

static void thread_exit_event(const char *how)
{
	struct tline l;
	ts.teardown |= TD_THREAD_EXIT;
	tlsaccess_thread_hot();
	modules_sync();
	tl_begin(&l, "thread_exit");
	tl_word(&l, how);
	tl_end(&l);
}

static void *thread_trampoline(void *p)
{
	struct start_rec r = *(struct start_rec *)p;
	struct tline l;
	void *ret;
	free(p);
	if (shim_enter()) {
		threads_setup_current();
		modules_sync();
		tl_begin(&l, "thread_start");
		tl_dec(&l, r.parent);
		tl_code(&l, (uintptr_t)r.routine);
		tl_end(&l);
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
	r = malloc(sizeof *r);
	shim_leave();
	if (!r)
		goto passthrough;
	r->routine = routine;
	r->arg = arg;
	r->parent = shim_gettid();
	errno = saved;
	rc = real.pthread_create(t, attr, thread_trampoline, r);
	if (rc != 0)
		free(r);
	return rc;
passthrough:
	errno = saved;
	return real.pthread_create(t, attr, routine, arg);
}

EXPORT void pthread_exit(void *retval)
{
	if (shim_enter()) {
		thread_exit_event("pthread_exit");
		shim_leave();
	}
	REAL(pthread_exit)(retval);
}

EXPORT pid_t fork(void)
{
	pid_t pid = REAL(fork)();
	int saved = errno;
	struct tline l;
	if (pid != 0 && shim_enter()) {
		tl_begin(&l, "fork");
		tl_dec(&l, pid);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
	return pid;
}

/* Registered from the constructor, so glibc runs our prepare handler last and our child handler
 * first: the child's first line is written before any other handler can run. */
static void atfork_prepare(void) { fork_parent = getpid(); }

static void atfork_child(void)
{
	int saved = errno;
	modules_after_fork_child();
	if (atomic_load(&shim_active) == 1)
		trace_after_fork_child(fork_parent);
	errno = saved;
}

void threads_init(void)
{
	if (real.pthread_key_create(&thread_key, thread_key_destructor) == 0)
		thread_key_ok = 1;
	pthread_atfork(atfork_prepare, NULL, atfork_child);
}

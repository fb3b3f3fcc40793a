/* exitfns.c - exit() and friends, and the handlers they run.
 *
 * atexit() itself lives in libc_nonshared.a (linked into each program), so registrations are seen
 * at __cxa_atexit, which atexit calls with the program's __dso_handle; C++ static destructors come
 * the same way. Each registration is handed to glibc as our trampoline plus a record, with the DSO
 * handle unchanged so __cxa_finalize at dlclose still matches it.
 *
 * A return from main() does not go through the exit PLT (glibc calls exit internally), so
 * __libc_start_main is interposed to wrap main.
 *
 * Module destructors: exit() ends its handlers with ld.so's _dl_fini (registered by
 * __libc_start_main, whose rtld_fini argument the shim wraps: dl_fini ... dl_fini_end), which runs
 * each module's DT_FINI_ARRAY in reverse order of initialization; dlclose runs the unloaded
 * modules' the same way. In a module built with gcc's crtbeginS.o (every shared library, and PIE
 * programs) the last entry run is __do_global_dtors_aux, which calls __cxa_finalize(its
 * __dso_handle) through its PLT: interposed (cxa_fin ... cxa_fin_end, naming the module). Its C
 * destructors (__attribute__((destructor)), other DT_FINI_ARRAY entries) run just before it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "shim.h"
#include "sys.h"

enum { KIND_CXA, KIND_ON_EXIT };

struct atexit_rec {
	union {
		void (*cxa)(void *, int);
		void (*on)(int, void *);
	} fn;
	void *arg;
	unsigned seq;
	int kind;
};

static atomic_uint atexit_seq;

static void begin_exit(const char *event, int status, int mark_exit)
{
	struct tline l;
	trace_batch_end();
	routine_flush_end(0); /* what threads kept, before the end begins */
	modules_sync();
	tl_begin(&l, event);
	tl_dec(&l, status);
	tl_end(&l);
	if (mark_exit) {
		int none = 0;
		if (atomic_compare_exchange_strong(&proc.exit_tid, &none, shim_gettid()))
			atomic_store(&proc.exit_status, status);
		ts.teardown |= TD_EXIT;
		tlsaccess_thread_hot();
		/* not where the process ends at once (_exit, _Exit, quick_exit), nor from a program's
		 * handler of a fault: no thread is created there (pthread_create allocates; the fault
		 * may have struck inside malloc) */
		if (mark_exit == 1)
			watchdog_teardown(event);
	}
}

/* (exit-path code: only exit() and __cxa_finalize run the handlers; out of the start's 64 KiB, t040) */
EXIT_TEXT static void run_handler(struct atexit_rec *r, int status)
{
	unsigned prev_seq = atomic_load(&proc.atexit_seq);
	uintptr_t prev_fn = atomic_load(&proc.atexit_fn);
	unsigned prev_static = atomic_load(&proc.atexit_static);
	uintptr_t fn = r->kind == KIND_CXA ? (uintptr_t)r->fn.cxa : (uintptr_t)r->fn.on;
	int saved = errno;
	struct tline l;

	atomic_store(&proc.atexit_seq, r->seq + 1);
	atomic_store(&proc.atexit_fn, fn);
	atomic_store(&proc.atexit_static, r->kind == KIND_CXA && r->arg);
	if (shim_enter()) {
		modules_sync();
		tl_begin(&l, "atexit_run");
		tl_dec(&l, r->seq);
		tl_code(&l, fn);
		tl_end(&l);
		watchdog_may_hang(NULL);
		shim_leave();
	}
	errno = saved;
	if (r->kind == KIND_CXA)
		r->fn.cxa(r->arg, status);
	else
		r->fn.on(status, r->arg);
	saved = errno;
	atomic_store(&proc.atexit_seq, prev_seq);
	atomic_store(&proc.atexit_fn, prev_fn);
	atomic_store(&proc.atexit_static, prev_static);
	if (shim_enter()) {
		tl_begin(&l, "atexit_end");
		tl_dec(&l, r->seq);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
}

/* glibc calls __cxa_atexit functions as fn(arg, status), __cxa_finalize as fn(arg, 0). */
EXIT_TEXT static void cxa_trampoline(void *p, int status) { run_handler(p, status); }
EXIT_TEXT static void on_exit_trampoline(int status, void *p) { run_handler(p, status); }

static struct atexit_rec *new_handler(int kind, uintptr_t fn, void *arg, void *dso)
{
	struct atexit_rec *r = arena_global_alloc(sizeof *r);
	struct tline l;
	if (!r)
		return NULL;
	r->kind = kind;
	r->arg = arg;
	r->seq = atomic_fetch_add(&atexit_seq, 1) + 1;
	modules_sync();
	tl_begin(&l, "atexit_reg");
	tl_dec(&l, r->seq);
	tl_word(&l, kind == KIND_CXA ? "cxa" : "on_exit");
	tl_code(&l, fn);
	tl_hex(&l, (uintptr_t)arg);
	tl_hex(&l, (uintptr_t)dso);
	tl_end(&l);
	return r;
}

EXPORT int __cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
	int saved = errno;
	struct atexit_rec *r;
	if (!REAL(cxa_atexit) || !fn || !shim_enter())
		goto passthrough;
	r = new_handler(KIND_CXA, (uintptr_t)fn, arg, dso);
	shim_leave();
	if (!r)
		goto passthrough;
	r->fn.cxa = (void (*)(void *, int))(void (*)(void))fn; /* glibc passes status too */
	errno = saved;
	return REAL(cxa_atexit)((void (*)(void *))(void (*)(void))cxa_trampoline, r, dso);
passthrough:
	errno = saved;
	return REAL(cxa_atexit)(fn, arg, dso);
}

EXPORT int on_exit(void (*fn)(int, void *), void *arg)
{
	int saved = errno;
	struct atexit_rec *r;
	if (!REAL(on_exit) || !shim_enter())
		goto passthrough;
	r = new_handler(KIND_ON_EXIT, (uintptr_t)fn, arg, NULL);
	shim_leave();
	if (!r)
		goto passthrough;
	r->fn.on = fn;
	errno = saved;
	return REAL(on_exit)(on_exit_trampoline, r);
passthrough:
	errno = saved;
	return real.on_exit ? REAL(on_exit)(fn, arg) : -1;
}

EXPORT void exit(int status)
{
	int in_handler = crash_exit_check();
	if (shim_enter()) {
		begin_exit("exit", status, in_handler ? 2 : 1);
		shim_leave();
	}
	REAL(exit)(status);
}

/* A vfork child shares its parent's memory: it must not touch the shim's state. Only while one
 * may be running (tlstrace_vfork_live, threads.c) is the kernel asked: the raw system call (libc's
 * getpid is a page of libc that most programs never run: a fault at every end, where this is
 * asked) */
int in_vfork_child(void)
{
	return unlikely(atomic_load_explicit(&tlstrace_vfork_live, memory_order_relaxed)) && (pid_t)sys0(SYS_getpid) != trace_pid_get();
}

EXPORT void _exit(int status)
{
	crash_exit_check();
	if (!in_vfork_child() && shim_enter()) {
		begin_exit("_exit", status, 2);
		tls_flush_counts();
		crash_flush_counts();
		shim_leave();
	}
	REAL(_exit)(status);
}
/* (daemon.c's call: no PLT entry) */
extern void shim__exit(int) __attribute__((noreturn, nothrow, leaf, alias("_exit"), visibility("hidden")));

EXPORT void _Exit(int status)
{
	crash_exit_check();
	if (!in_vfork_child() && shim_enter()) {
		begin_exit("_exit", status, 2);
		tls_flush_counts();
		crash_flush_counts();
		shim_leave();
	}
	if (REAL(_Exit))
		REAL(_Exit)(status);
	REAL(_exit)(status);
}

EXPORT void quick_exit(int status)
{
	crash_exit_check();
	if (shim_enter()) {
		begin_exit("quick_exit", status, 2);
		tls_flush_counts();
		crash_flush_counts();
		shim_leave();
	}
	if (REAL(quick_exit))
		REAL(quick_exit)(status);
	REAL(_exit)(status);
}

/* ---- main ---- */

static int (*real_main)(int, char **, char **);
EXIT_TEXT int exitfns_main_seen(void) { return real_main != NULL; }

/* The frame between main and glibc's __libc_start_call_main keeps a frame pointer: the
 * frame-pointer unwinders of sanitizers (ASan's and LeakSanitizer's "fast" unwinder), perf and
 * profilers follow rbp from main's frame through this one into glibc's, as without the shim.
 * Without it, rbp held one of its own values (argv) when main saved it, and their backtraces
 * went on into the stack ("#3 0x7fff... ([stack]+0x209ee)", and LeakSanitizer's symbolizer
 * complained it could not read "[stack]"). (ATK10, t328) */
#ifndef __clang__ /* (clang: the Makefile builds this file with -fno-omit-frame-pointer) */
__attribute__((optimize("no-omit-frame-pointer")))
#endif
static int main_trampoline(int argc, char **argv, char **envp)
{
	int status;
	py_main_started();
	trace_batch_end();
	status = real_main(argc, argv, envp);
	int saved = errno;
	if (shim_enter()) {
		begin_exit("main_return", status, 1);
		shim_leave();
	}
	errno = saved;
	return status;
}

/* 1 if ip, a return address of an unwound stack, lies in main_trampoline (124 bytes with gcc 12
 * -O2; 256 bounds it): the walk reached main's caller, the main thread's stack was walked whole
 * (python.c py_frames_in_context) */
COLD_TEXT int exitfns_main_caller(uintptr_t ip)
{
	return ip > (uintptr_t)main_trampoline && ip - (uintptr_t)main_trampoline < 256;
}

/* ---- module destructors ---- */

static void (*real_rtld_fini)(void);

/* In place of ld.so's _dl_fini, the last handler exit() runs (before exit_done below). */
EXIT_TEXT static void rtld_fini_trampoline(void) /* (cold: the end touches cold code anyway) */
{
	int saved = errno, held = 0;
	struct tline l;
	if (shim_enter()) {
		watchdog_may_hang("dl_fini"); /* (its hang_arm line before dl_fini, not inside) */
		held = trace_held_open("dl_fini", 0, 1); /* written only if something falls inside */
		shim_leave();
	}
	errno = saved;
	real_rtld_fini();
	saved = errno;
	if (trace_held_close(held) && shim_enter()) {
		tl_begin(&l, "dl_fini_end");
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
}

/* Runs the handlers registered with dso's handle that have not run (at dlclose, the module's
 * static destructors; at exit, nothing is left), from the module's __do_global_dtors_aux. The
 * module is still mapped: its name is resolved now. Exit-path code (every end runs it, no start
 * does: out of the start's 64 KiB, t040). */
EXIT_TEXT EXPORT void __cxa_finalize(void *dso)
{
	int saved = errno, traced = 0, held = 0;
	struct tline l;
	if (!REAL(cxa_finalize))
		return;
	if (dso && !in_vfork_child() && !module_self_addr((uintptr_t)dso) && shim_enter()) {
		modules_sync();
		held = trace_held_open("cxa_fin", (uintptr_t)dso, 0); /* written only if something falls inside */
		shim_leave();
		traced = 1;
	}
	errno = saved;
	REAL(cxa_finalize)(dso);
	saved = errno;
	if (traced && trace_held_close(held) && shim_enter()) {
		tl_begin(&l, "cxa_fin_end");
		tl_code(&l, (uintptr_t)dso);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
}

EXPORT int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
			     void (*init)(void), void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	real_main = main;
	/* glibc registers rtld_fini with __cxa_atexit (its own, internal) when it is not NULL; a
	 * wrapper keeps that, and the handler's place among the others */
	if (rtld_fini) {
		real_rtld_fini = rtld_fini;
		rtld_fini = rtld_fini_trampoline;
	}
	return REAL(libc_start_main)(main_trampoline, argc, argv, init, fini, rtld_fini, stack_end);
}

/* ---- the end ---- */

/* Registered from the constructor, before __libc_start_main registers _dl_fini, so glibc runs it
 * last: after every other handler and after the destructors of all modules. */
EXIT_TEXT static void exit_done(void *unused)
{
	struct tline l;
	int saved = errno;
	(void)unused;
	if (shim_enter()) {
		watchdog_may_hang("exit_done");
		trace_batch_end(); /* main never came (an exit from a constructor that skipped exit()) */
		tls_flush_counts();
		routine_flush_end(1);
		crash_flush_counts();
		tl_begin(&l, "exit_done");
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
}

void exitfns_init(void)
{
	int (*cxa_atexit)(void (*)(void *), void *, void *) = (int (*)(void (*)(void *), void *, void *))libc_function("__cxa_atexit");
	if (!cxa_atexit)
		cxa_atexit = REAL(cxa_atexit);
	cxa_atexit(exit_done, NULL, NULL);
}

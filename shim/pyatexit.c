/* pyatexit.c - Py_AtExit: each registration, and each function's run at the very end of
 * Py_FinalizeEx (CPython calls them after the interpreter is destroyed; a function that touches
 * Python then, or state destroyed before, fails there).
 *
 * Hosts that import Py_AtExit from libpython (uWSGI's plugin, mod_wsgi, embedding programs, the
 * extensions they load) reach the shim's definition: LD_PRELOAD comes before libpython in the
 * global scope. Under Debian's /usr/bin/python3, which has libpython linked in and exports its
 * symbols, an extension's Py_AtExit binds to the executable's definition first, so the shim's is
 * never reached. There, each module added to the map (at start, and after each dlopen, before
 * Python calls its PyInit) that imports Py_AtExit has its GOT slot pointed at the shim's definition,
 * as tlsaccess.c does for __tls_get_addr (a RELRO slot is made writable for the store only).
 *
 * What that cannot see (a module's constructor registering during its own dlopen, before its slot
 * is patched; the executable or libpython calling its own definition; a library that registered
 * before the shim found Python) is read from the interpreter's own list (python.c:
 * py_exitfuncs_where): right after each dlopen, and when finalization starts (an interposed
 * Py_Finalize, or the first sign of it under /usr/bin/python3: pyatexit_finalizing). Each function
 * found there that is not one of our trampolines gets a registration line (its caller unknown:
 * "-") and its slot in the list is swapped for a trampoline (compare-and-swap: a slot that changed
 * meanwhile is left alone), so its run is recorded as the others'. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "shim.h"

/* The definition the shim passes registrations on to, and the module holding it (python.c finds
 * it with the interpreter's other functions). */
static void *_Atomic pyexit_real;
static struct module *_Atomic pyexit_home;

static void pylist_forget(void);

void pyatexit_found(struct module *m, void *real)
{
	if (!real)
		return;
	pylist_forget(); /* a new interpreter (Apache loads mod_wsgi, unloads it and loads it again) */
	atomic_store(&pyexit_home, m);
	atomic_store(&pyexit_real, real);
}

/* m is being unloaded: if it defined Py_AtExit, its list is no longer there to read. Our
 * trampolines stay (the functions they hold may still be called by a host that finalizes late). */
COLD_TEXT void pyatexit_module_gone(struct module *m)
{
	struct module *home = m;
	if (atomic_compare_exchange_strong(&pyexit_home, &home, NULL)) {
		atomic_store(&pyexit_real, NULL);
		pylist_forget();
	}
}

/* ---- up to 32 functions (CPython's own limit), each behind a numbered trampoline (tramps.S) ---- */

#define PYEXIT_SLOTS 32
static struct {
	atomic_int used;
	void (*fn)(void);
	unsigned seq;
} pyexit[PYEXIT_SLOTS] COLD_BSS;
static atomic_uint pyexit_seq;
extern char tlstrace_pyexit_tramps[];
__attribute__((visibility("hidden"))) void tlstrace_pyexit_common(int slot);

void tlstrace_pyexit_common(int slot)
{
	int saved = errno;
	struct tline l;
	if (shim_enter()) {
		modules_sync();
		tl_begin(&l, "py_atexit_run");
		tl_dec(&l, pyexit[slot].seq);
		tl_code(&l, (uintptr_t)pyexit[slot].fn);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
	pyexit[slot].fn();
	saved = errno;
	if (shim_enter()) {
		tl_begin(&l, "py_atexit_end");
		tl_dec(&l, pyexit[slot].seq);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
}

/* A free slot for fn, or -1 when all 32 are taken. */
COLD_TEXT static int pyexit_take(void (*fn)(void))
{
	int i;
	for (i = 0; i < PYEXIT_SLOTS; i++) {
		int expected = 0;
		if (atomic_compare_exchange_strong(&pyexit[i].used, &expected, 1)) {
			pyexit[i].fn = fn;
			return i;
		}
	}
	return -1;
}

/* The registration line of slot i, numbered now; caller 0: not known (read from the list). The
 * caller holds shim_enter. */
COLD_TEXT static void pyexit_reg_line(int i, uintptr_t caller)
{
	struct tline l;
	pyexit[i].seq = atomic_fetch_add(&pyexit_seq, 1) + 1;
	modules_sync();
	tl_begin(&l, "py_atexit_reg");
	tl_dec(&l, pyexit[i].seq);
	tl_code(&l, (uintptr_t)pyexit[i].fn);
	if (caller)
		tl_code(&l, caller);
	else
		tl_word(&l, "-");
	tl_end(&l);
}

static void (*pyexit_tramp(int i))(void) { return (void (*)(void))(tlstrace_pyexit_tramps + 16 * i); }

EXPORT int Py_AtExit(void (*fn)(void))
{
	int (*real_at_exit)(void (*)(void)) = (int (*)(void (*)(void)))atomic_load(&pyexit_real);
	void *caller = __builtin_return_address(0);
	int saved = errno, i, rc;
	if (!real_at_exit)
		real_at_exit = (int (*)(void (*)(void)))next_definition_walk("Py_AtExit");
	if (!real_at_exit)
		return -1;
	if (!fn || !shim_enter())
		goto passthrough;
	if ((i = pyexit_take(fn)) < 0) {
		shim_leave();
		goto passthrough;
	}
	pyexit_reg_line(i, (uintptr_t)caller);
	shim_leave();
	errno = saved;
	rc = real_at_exit(pyexit_tramp(i));
	if (rc != 0)
		atomic_store(&pyexit[i].used, 0);
	return rc;
passthrough:
	errno = saved;
	return real_at_exit(fn);
}

/* ---- the interpreter's own list ---- */

static struct {
	atomic_int state; /* 0 not looked up, 1 usable, -1 not (unknown layout, or it did not check out) */
	void *_Atomic *fns; /* then the count, an int (python.c: py_exitfuncs_where) */
} pylist EXIT_BSS;

static void pylist_forget(void)
{
	/* only once touched: the cold page stays untouched in a process that never reads the list */
	if (atomic_load(&pyexit_home))
		atomic_store(&pylist.state, 0);
}

/* len bytes at addr of the interpreter's list into buf: 0, or -1 where they cannot be read. In
 * the main program's image (/usr/bin/python3, which has libpython linked in: module 0, never
 * unloaded), inside a readable PT_LOAD segment, a plain copy; elsewhere (a libpython another
 * thread may unload) python.c's py_read, whose first call asks /proc/self/status whether a
 * seccomp filter forbids process_vm_readv (sandbox.c: ~31 us in a fresh process here, the only
 * /proc read of a `python3 -c pass`). The caller holds shim_enter. async-signal-safe */
EXIT_TEXT static int list_read(const struct module *home, uintptr_t addr, void *buf, size_t len)
{
	int i;
	if (home && home->id == 0 && home->phdr)
		for (i = 0; i < home->phnum; i++) {
			const ElfW(Phdr) *ph = &home->phdr[i];
			uintptr_t lo = home->base + ph->p_vaddr;
			if (ph->p_type == PT_LOAD && (ph->p_flags & PF_R) && addr >= lo && addr + len >= addr &&
			    addr + len <= lo + ph->p_memsz) {
				memcpy(buf, (const void *)addr, len);
				return 0;
			}
		}
	return py_read(addr, buf, len);
}

/* Read the interpreter's list of Py_AtExit functions and take over each one not ours (see the top).
 * A slot is swapped only when the list checks out (a count in [0, 32], the slots below it set,
 * the rest empty) and its function is inside a loaded module. Safe from any thread (each swap is one
 * compare-and-swap of an aligned word); not from a signal handler (it writes trace lines and
 * syncs the module table). */
EXIT_TEXT void pyatexit_scan(void)
{
	uintptr_t fns, count, lo = (uintptr_t)tlstrace_pyexit_tramps, hi = lo + 16 * PYEXIT_SLOTS;
	struct {
		void *fn[PYEXIT_SLOTS];
		int count;
	} snap;
	int n, i;
	if (!atomic_load(&pyexit_home) || !shim_enter())
		return;
	/* first: the functions' modules known to module_of, and a libpython unloaded since (Apache
	 * unloads its modules after reading its configuration) forgotten (pyatexit_module_gone) */
	modules_sync();
	if (!atomic_load(&pyexit_home) || atomic_load(&pylist.state) < 0)
		goto out;
	if (atomic_load(&pylist.state) == 0) {
		if (py_exitfuncs_where(&fns, &count) != 0)
			goto bad;
		pylist.fns = (void *_Atomic *)fns;
		atomic_store(&pylist.state, 1);
	}
	/* read without faulting: another thread may be unloading libpython right now */
	if (list_read(atomic_load(&pyexit_home), (uintptr_t)pylist.fns, &snap, sizeof snap.fn + sizeof snap.count) != 0)
		goto out;
	n = snap.count;
	if (n < 0 || n > PYEXIT_SLOTS)
		goto bad;
	for (i = 0; i < PYEXIT_SLOTS; i++)
		if ((i < n) != (snap.fn[i] != NULL))
			goto bad;
	for (i = 0; i < n; i++) {
		void *f = snap.fn[i];
		int k;
		/* one outside every module (a ctypes callback, JIT code) is left as it is */
		if (!f || ((uintptr_t)f >= lo && (uintptr_t)f < hi) || !module_of((uintptr_t)f) ||
		    (k = pyexit_take((void (*)(void))f)) < 0)
			continue;
		if (!atomic_compare_exchange_strong(&pylist.fns[i], &f, (void *)pyexit_tramp(k))) {
			atomic_store(&pyexit[k].used, 0);
			continue;
		}
		pyexit_reg_line(k, 0);
	}
	goto out;
bad:
	atomic_store(&pylist.state, -1);
out:
	shim_leave();
}

/* the shim's own Py_AtExit, not the first definition in the global scope (python3's) */
extern __typeof__(Py_AtExit) tlstrace_py_at_exit __attribute__((alias("Py_AtExit"), visibility("hidden")));

static void point_at_shim(struct module *m, void **slot, void *arg)
{
	(void)arg;
	if (__atomic_load_n(slot, __ATOMIC_RELAXED) != (void *)tlstrace_py_at_exit)
		module_got_store(m, slot, (void *)tlstrace_py_at_exit);
}

/* A module just added to the map (modules_sync): if it imports Py_AtExit and a module other than
 * the shim defines it, its slots lead to the shim. Nothing to do in a process without Python. */
void pyatexit_module_added(struct module *m)
{
	struct module *home = atomic_load(&pyexit_home);
	if (!home || m == home || m->is_self)
		return;
	module_got_slots(m, "Py_AtExit", NULL, point_at_shim, NULL);
}

/* A call the shim sees during Py_FinalizeEx in a host where Py_FinalizeEx is an internal call
 * (/usr/bin/python3): the Py_AtExit functions run at its very end, so the list is read now if the
 * interpreter reads as finalizing. Measured (strace-like, a trace of every interposed call) in
 * 3.11 and 3.13, before the functions run: restoring the SIGINT handler (sigaction, when Python
 * installed its handlers) and, in 3.11, deleting the GIL state's pthread key (_PyGILState_Fini). */
void pyatexit_finalizing(void)
{
	char s;
	if (!atomic_load_explicit(&pyexit_home, memory_order_relaxed))
		return;
	s = py_state();
	if ((s == PY_ATEXIT || s == PY_FINALIZING || s == PY_DEAD) && atomic_load(&pylist.state) >= 0)
		pyatexit_scan();
}

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
 * as tlsaccess.c does for __tls_get_addr (a RELRO slot is made writable for the store only). Not
 * seen: a registration made by a module's own constructor during its dlopen (before the slot is
 * patched), and calls from inside the module that defines Py_AtExit. */
#define _GNU_SOURCE
#include <errno.h>

#include "shim.h"

/* The definition the shim passes registrations on to, and the module holding it (python.c finds
 * it with the interpreter's other functions). */
static void *_Atomic pyexit_real;
static struct module *_Atomic pyexit_home;

void pyatexit_found(struct module *m, void *real)
{
	if (!real)
		return;
	atomic_store(&pyexit_home, m);
	atomic_store(&pyexit_real, real);
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

EXPORT int Py_AtExit(void (*fn)(void))
{
	int (*real_at_exit)(void (*)(void)) = (int (*)(void (*)(void)))atomic_load(&pyexit_real);
	void *caller = __builtin_return_address(0);
	int saved = errno, i, rc;
	struct tline l;
	if (!real_at_exit)
		real_at_exit = (int (*)(void (*)(void)))next_definition_walk("Py_AtExit");
	if (!real_at_exit)
		return -1;
	if (!fn || !shim_enter())
		goto passthrough;
	for (i = 0; i < PYEXIT_SLOTS; i++) {
		int expected = 0;
		if (atomic_compare_exchange_strong(&pyexit[i].used, &expected, 1))
			break;
	}
	if (i == PYEXIT_SLOTS) {
		shim_leave();
		goto passthrough;
	}
	pyexit[i].fn = fn;
	pyexit[i].seq = atomic_fetch_add(&pyexit_seq, 1) + 1;
	modules_sync();
	tl_begin(&l, "py_atexit_reg");
	tl_dec(&l, pyexit[i].seq);
	tl_code(&l, (uintptr_t)fn);
	tl_code(&l, (uintptr_t)caller);
	tl_end(&l);
	shim_leave();
	errno = saved;
	rc = real_at_exit((void (*)(void))(tlstrace_pyexit_tramps + 16 * i));
	if (rc != 0)
		atomic_store(&pyexit[i].used, 0);
	return rc;
passthrough:
	errno = saved;
	return real_at_exit(fn);
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

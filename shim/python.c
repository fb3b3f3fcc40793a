/* python.c - the Python interpreter as seen from the shim.
 *
 * State: Py_IsInitialized and _Py_IsFinalizing are found in the module that exports them (the
 * python3 executable, or libpython loaded by uWSGI's plugin or mod_wsgi, possibly RTLD_LOCAL, so
 * the lookup reads each new module's .dynsym rather than asking dlsym(RTLD_DEFAULT)). They only read
 * globals, so calling them from any event, a signal handler included, is safe.
 *
 * Py_Finalize, Py_FinalizeEx and Py_AtExit are interposed for hosts that import them (uWSGI,
 * mod_wsgi). Inside libpython Py_Finalize jumps straight to Py_FinalizeEx, hence both. In
 * /usr/bin/python3 they are internal calls and these wrappers never run; the state column still
 * tells the story there.
 *
 * Before main the interpreter is taken as not initialized without asking: the first calls into
 * /usr/bin/python3's Py_IsInitialized and _Py_IsFinalizing fault in two pages of its text that
 * it would not touch itself this early, ~35 us each here, on every start. Only when the shim was
 * preloaded: loaded by dlopen, main may be long running. (A constructor that initializes Python
 * would be reported one state late, until main.) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <string.h>

#include "shim.h"

struct py_fns {
	struct module *mod;
	int (*is_initialized)(void);
	int (*is_finalizing)(void);
	void (*finalize)(void);
	int (*finalize_ex)(void);
	int (*at_exit)(void (*)(void));
	void *(*this_thread_state)(void);
	void (*dump_traceback)(int, void *);
	uintptr_t fin_lo, fin_hi; /* Py_FinalizeEx's code */
};
static struct py_fns py;
static atomic_int py_ready;      /* py filled in */
static atomic_int py_suspended;  /* a dlclose is running: libpython may be unmapped under us */
static atomic_int py_was_initialized;
static atomic_int py_before_main; /* 1 from a preloaded shim's init until main */

void py_startup(int preloaded) { atomic_store(&py_before_main, preloaded); }
void py_main_started(void) { atomic_store(&py_before_main, 0); }

void py_resolve_from(struct module *m)
{
	uintptr_t init;
	if (atomic_load(&py_ready) || m->is_self)
		return;
	init = module_dynsym_lookup(m, "Py_IsInitialized");
	if (!init)
		return;
	py.mod = m;
	py.is_finalizing = (int (*)(void))module_dynsym_lookup(m, "_Py_IsFinalizing");
	py.finalize = (void (*)(void))module_dynsym_lookup(m, "Py_Finalize");
	py.finalize_ex = (int (*)(void))module_dynsym_lookup(m, "Py_FinalizeEx");
	py.at_exit = (int (*)(void (*)(void)))module_dynsym_lookup(m, "Py_AtExit");
	py.this_thread_state = (void *(*)(void))module_dynsym_lookup(m, "PyGILState_GetThisThreadState");
	py.dump_traceback = (void (*)(int, void *))module_dynsym_lookup(m, "_Py_DumpTraceback");
	{
		size_t size = 0;
		py.fin_lo = module_dynsym_lookup_size(m, "Py_FinalizeEx", &size);
		py.fin_hi = py.fin_lo + size;
	}
	py.is_initialized = (int (*)(void))init;
	atomic_store_explicit(&py_ready, 1, memory_order_release);
}

void py_module_gone(struct module *m)
{
	if (atomic_load(&py_ready) && py.mod == m) {
		atomic_store(&py_ready, 0);
		atomic_store(&py_was_initialized, 0);
		memset(&py, 0, sizeof py);
	}
}

void py_dlclose_begin(void) { atomic_fetch_add(&py_suspended, 1); }
void py_dlclose_end(void) { atomic_fetch_sub(&py_suspended, 1); }

/* async-signal-safe */
char py_state(void)
{
	int init, fin;
	if (!atomic_load_explicit(&py_ready, memory_order_acquire))
		return PY_NONE;
	if (atomic_load(&py_suspended))
		return PY_UNKNOWN;
	if (atomic_load_explicit(&py_before_main, memory_order_relaxed))
		return PY_NOTINIT;
	init = py.is_initialized();
	fin = py.is_finalizing ? py.is_finalizing() : 0;
	if (init) {
		atomic_store_explicit(&py_was_initialized, 1, memory_order_relaxed);
		if (fin)
			return PY_FINALIZING;
		return atomic_load(&proc.pyfin_depth) ? PY_ATEXIT : PY_INIT;
	}
	/* CPython 3.11 leaves _PyRuntime._finalizing set after Py_FinalizeEx returns */
	if (atomic_load(&proc.pyfin_depth))
		return PY_FINALIZING;
	if (fin || atomic_load_explicit(&py_was_initialized, memory_order_relaxed))
		return PY_DEAD;
	return PY_NOTINIT;
}

/* In /usr/bin/python3, Py_FinalizeEx is an internal call and, while it runs the Python atexit
 * callbacks, the interpreter still reads as initialized. A stack with a return address inside
 * Py_FinalizeEx says otherwise: the state is then PY_ATEXIT. async-signal-safe */
char py_state_at(const uintptr_t *ips, int n)
{
	char s = py_state();
	int i;
	if (s != PY_INIT || !py.fin_lo)
		return s;
	for (i = 0; i < n; i++)
		if (ips[i] - 1 >= py.fin_lo && ips[i] - 1 < py.fin_hi)
			return PY_ATEXIT;
	return s;
}

static void state_here_deep(void *p)
{
	uintptr_t ips[64];
	*(char *)p = py_state_at(ips, unwind_here(ips, 64));
}

/* The same for the calling thread now: unwinds (on a shim stack; without one free, the state
 * py_state() tells), so only where that is affordable (registrations). */
char py_state_here(void)
{
	char s = py_state();
	if (s != PY_INIT || !py.fin_lo)
		return s;
	shim_stack_run(state_here_deep, &s);
	return s;
}

/* The Python traceback of the calling thread, faulthandler style. Only while the interpreter is
 * alive and this thread has a thread state. Returns 1 if something was written.
 * async-signal-safe as far as CPython's faulthandler is */
int py_dump_traceback(int fd)
{
	void *tstate;
	char st = py_state();
	if (st != PY_INIT && st != PY_ATEXIT && st != PY_FINALIZING)
		return 0;
	if (!py.this_thread_state || !py.dump_traceback)
		return 0;
	tstate = py.this_thread_state();
	if (!tstate)
		return 0;
	py.dump_traceback(fd, tstate);
	return 1;
}

/* Our own exports must not be mistaken for libpython's. Without the shim's module table (shim
 * off), search every loaded object but ourselves. */
struct find_ctx {
	const char *name;
	void *found;
};

static int find_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct find_ctx *f = data;
	struct module tmp;
	uintptr_t here = (uintptr_t)&find_cb;
	int i;
	(void)size;
	memset(&tmp, 0, sizeof tmp);
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && here >= info->dlpi_addr + ph->p_vaddr &&
		    here < info->dlpi_addr + ph->p_vaddr + ph->p_memsz)
			return 0; /* that is us */
	}
	tmp.base = info->dlpi_addr;
	tmp.phdr = info->dlpi_phdr;
	tmp.phnum = info->dlpi_phnum;
	atomic_store(&tmp.loaded, 1);
	f->found = (void *)module_dynsym_lookup(&tmp, f->name);
	return f->found != NULL;
}

static void *py_real(const char *name, void *known)
{
	struct find_ctx f = {name, NULL};
	if (known)
		return known;
	shim_dl_iterate(find_cb, &f);
	return f.found;
}

static int finalize_common(const char *name, int ex)
{
	void *fn = py_real(name, ex ? (void *)py.finalize_ex : (void *)py.finalize);
	int saved = errno, ret = 0;
	struct tline l;

	if (!fn)
		return -1; /* nobody defines it: no interpreter to finalize */
	if (shim_enter()) {
		unwind_need_deep();
		modules_sync();
		tl_begin(&l, "py_fin");
		tl_word(&l, name);
		tl_end(&l);
		shim_leave();
	}
	atomic_fetch_add(&proc.pyfin_depth, 1);
	errno = saved;
	if (ex)
		ret = ((int (*)(void))fn)();
	else
		((void (*)(void))fn)();
	saved = errno;
	atomic_fetch_sub(&proc.pyfin_depth, 1);
	if (shim_enter()) {
		tl_begin(&l, "py_fin_end");
		tl_word(&l, name);
		tl_dec(&l, ret);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
	return ret;
}

EXPORT void Py_Finalize(void) { (void)finalize_common("Py_Finalize", 0); }
EXPORT int Py_FinalizeEx(void) { return finalize_common("Py_FinalizeEx", 1); }

/* ---- Py_AtExit: up to 32 functions (CPython's own limit), each behind a numbered trampoline ---- */

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
	int (*real_at_exit)(void (*)(void)) = (int (*)(void (*)(void)))py_real("Py_AtExit", (void *)py.at_exit);
	int saved = errno, i, rc;
	struct tline l;
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

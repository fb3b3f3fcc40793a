/* python.c - the Python interpreter as seen from the shim.
 *
 * State: Py_IsInitialized, Py_IsFinalizing (3.13+; _Py_IsFinalizing before) and
 * PyInterpreterState_Head are found in the module that exports them (the python3 executable, or
 * libpython loaded by uWSGI's plugin or mod_wsgi, possibly RTLD_LOCAL, so the lookup reads each
 * new module's .dynsym rather than asking dlsym(RTLD_DEFAULT)). They only read globals, so calling
 * them from any event, a signal handler included, is safe; under 3.11 those globals are read
 * directly (py_runtime_311). The phases of Py_FinalizeEx
 * (Python/pylifecycle.c, 3.11 to 3.14): on entry the main interpreter's "finalizing" flag is set
 * (3.12+), threading's shutdown and the atexit callbacks run (A); then the runtime's "finalizing"
 * is set and "initialized" cleared together, and the modules are destroyed, __del__ methods still
 * running Python code (F); the interpreter leaves the list at the end (D).
 *
 * Tracebacks: 3.11 exports _Py_DumpTraceback; 3.13+ does not, and is read directly through the
 * _Py_DebugOffsets it publishes (below), the calling thread's state found among the interpreter's
 * (current_tstate: also in a child forked without PyOS_AfterFork_Child, as uWSGI's workers).
 * Every finding made where Python code runs gets one: a crash, a use-after-destroy, a late
 * construction, a key used after its destructor.
 *
 * Py_Finalize and Py_FinalizeEx are interposed for hosts that import them (uWSGI,
 * mod_wsgi). Inside libpython Py_Finalize jumps straight to Py_FinalizeEx, hence both. In
 * /usr/bin/python3 they are internal calls and these wrappers never run; the state column still
 * tells the story there. Py_AtExit: pyatexit.c.
 *
 * Before main the interpreter is taken as not initialized without asking: the first calls into
 * /usr/bin/python3's Py_IsInitialized and _Py_IsFinalizing fault in two pages of its text that
 * it would not touch itself this early, ~35 us each here, on every start. Only when the shim was
 * preloaded: loaded by dlopen, main may be long running. (A constructor that initializes Python
 * would be reported one state late, until main.) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <semaphore.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h> /* its client requests cost nothing outside valgrind */
#else
#define RUNNING_ON_VALGRIND 0
#endif
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

struct py_fns {
	struct module *mod;
	int (*is_initialized)(void);
	int (*is_finalizing)(void);
	int public_finalizing; /* Py_IsFinalizing exported (3.13+): the debug offsets may serve */
	void (*finalize)(void);
	int (*finalize_ex)(void);
	void *(*this_thread_state)(void);
	void (*dump_traceback)(int, void *);
	uintptr_t fin_lo, fin_hi; /* Py_FinalizeEx's code */
	uintptr_t rt311;          /* _PyRuntime where it is 3.11's (py_runtime_311), else 0 */
};
static struct py_fns py;
atomic_int py_ready;             /* py filled in (shim.h: py_interp_found) */
static atomic_int py_suspended;  /* a dlclose is running: libpython may be unmapped under us */
static atomic_int py_was_initialized;
static atomic_int py_before_main; /* 1 from a preloaded shim's init until main */

void py_startup(int preloaded) { atomic_store(&py_before_main, preloaded); }
void py_main_started(void) { atomic_store(&py_before_main, 0); }

/* 3.11's _PyRuntime, recognized by its size (sizeof(_PyRuntimeState) of 3.11.2, Debian 12, with
 * offsetof against Include/internal/pycore_runtime.h: initialized 16, _finalizing 24,
 * interpreters.head 40; exitfuncs 88 as py_exitfuncs_where has it): the state is read there, as
 * Py_IsInitialized, _Py_IsFinalizing and PyInterpreterState_Head read it, rather than by calling
 * them: each lies on a page of python3's text that python3 itself never runs (a fault each, at
 * every python3 run: issue 18). 0 for any other layout (the functions are called). */
#define RT311_SIZE 166688
enum { RT311_INITIALIZED = 16, RT311_FINALIZING = 24, RT311_HEAD = 40 };
static uintptr_t py_runtime_311(struct module *m)
{
	size_t size = 0;
	uintptr_t rt = module_dynsym_lookup_size(m, "_PyRuntime", &size);
	return size == RT311_SIZE ? rt : 0;
}
/* A rel32 jump at code address at of module m (jmp: e9 rel32; with jcc, also the conditional
 * 0f 8x rel32), its bytes all below end: 1 and the code of the one .eh_frame FDE of m that covers
 * its target (module_fde_range) in [*lo, *hi), if that is at most max bytes long; else 0 (no such
 * jump there, a target with no FDE or a bigger one). Serves fin_tail_call (python3's start) and
 * handler_parts (a signal's arrival). async-signal-safe */
static int rel32_target(const struct module *m, uintptr_t at, uintptr_t end, int jcc, size_t max, uintptr_t *lo, uintptr_t *hi)
{
	const unsigned char *b = (const unsigned char *)at;
	int32_t rel;
	int len;
	if (at >= end || end - at < 5)
		return 0;
	len = b[0] == 0xe9 ? 5 : jcc && b[0] == 0x0f && (b[1] & 0xf0) == 0x80 && end - at >= 6 ? 6 : 0;
	if (!len)
		return 0;
	memcpy(&rel, b + len - 4, 4);
	return module_fde_range(m, at + len + (uintptr_t)(intptr_t)rel, lo, hi) == 0 && *hi - *lo <= max;
}

/* Py_FinalizeEx whose body is a tail call (`endbr64; jmp rel32`: Debian trixie's 3.13.5-2+deb13u5
 * builds it as a jump to the static _Py_Finalize, 3.13's Python/pylifecycle.c): its frames on a
 * stack are the target's, so fin_lo/fin_hi become the target's code as its FDE gives it
 * (rel32_target). Called where the module is resolved, not in a handler. */
static void fin_tail_call(struct module *m)
{
	const unsigned char *b = (const unsigned char *)py.fin_lo;
	uintptr_t lo, hi;
	size_t k = 0;
	if (!b)
		return;
	if (py.fin_hi - py.fin_lo >= 9 && b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa)
		k = 4; /* endbr64 */
	if (rel32_target(m, py.fin_lo + k, py.fin_hi, 0, (1u << 20) - 1, &lo, &hi)) {
		py.fin_lo = lo;
		py.fin_hi = hi;
	}
}

#define RT311_WORD(off) (*(void *volatile const *)(py.rt311 + (off)))

void py_resolve_from(struct module *m)
{
	uintptr_t init;
	size_t size = 0;
	if (atomic_load(&py_ready) || m->is_self)
		return;
	init = module_dynsym_lookup(m, "Py_IsInitialized");
	if (!init)
		return;
	py.mod = m;
	/* public since 3.13, where the private name is gone */
	py.is_finalizing = (int (*)(void))module_dynsym_lookup(m, "Py_IsFinalizing");
	py.public_finalizing = py.is_finalizing != NULL;
	if (!py.is_finalizing)
		py.is_finalizing = (int (*)(void))module_dynsym_lookup(m, "_Py_IsFinalizing");
	py.finalize = (void (*)(void))module_dynsym_lookup(m, "Py_Finalize");
	py.finalize_ex = (int (*)(void))module_dynsym_lookup(m, "Py_FinalizeEx");
	pyatexit_found(m, (void *)module_dynsym_lookup(m, "Py_AtExit")); /* pyatexit.c */
	py.this_thread_state = (void *(*)(void))module_dynsym_lookup(m, "PyGILState_GetThisThreadState");
	py.dump_traceback = (void (*)(int, void *))module_dynsym_lookup(m, "_Py_DumpTraceback");
	py.fin_lo = module_dynsym_lookup_size(m, "Py_FinalizeEx", &size);
	py.fin_hi = py.fin_lo + size;
	fin_tail_call(m);
	py.is_initialized = (int (*)(void))init;
	py.rt311 = py_runtime_311(m);
	atomic_store_explicit(&py_ready, 1, memory_order_release);
}

/* ---- reading the interpreter's memory without its help ----
 * CPython 3.13+ begins its exported _PyRuntime with _Py_DebugOffsets (Include/internal/
 * pycore_debug_offsets.h, pycore_runtime.h in 3.13): the cookie "xdebugpy", PY_VERSION_HEX, then
 * offsets of the fields a debugger needs (py-spy and 3.14's remote debugger read frames with them).
 * Its layout grows between minor versions, so the position of each offset we use is tabled per
 * minor version (measured with offsetof() against each release's headers: 3.13.5 on Debian 13,
 * 3.14 on Debian unstable; the frame's localsplus, word 32 and 35, read there with ctypes: 72
 * and 80, offsetof(_PyInterpreterFrame, localsplus) in each). Everything else in the interpreter's memory is read through
 * py_peek, which fails rather than faults on a bad pointer: a crashing process may be corrupt,
 * and another thread may free what we read. */

enum {
	O_RT_SIZE, O_RT_FINALIZING, O_RT_HEAD,
	O_IS_SIZE, O_IS_ID, O_IS_NEXT, O_IS_THREADS_HEAD,
	O_TS_SIZE, O_TS_NEXT, O_TS_CURRENT_FRAME, O_TS_THREAD_ID, O_TS_NATIVE_ID,
	O_FR_SIZE, O_FR_PREVIOUS, O_FR_EXECUTABLE, O_FR_INSTR_PTR, O_FR_OWNER, O_FR_LOCALSPLUS,
	O_CO_SIZE, O_CO_FILENAME, O_CO_NAME, O_CO_QUALNAME, O_CO_LINETABLE, O_CO_FIRSTLINENO, O_CO_CODE,
	O_OB_TYPE,
	O_BY_SIZE, O_BY_OB_SIZE, O_BY_SVAL,
	O_UN_SIZE, O_UN_STATE, O_UN_LENGTH, O_UN_ASCII_SIZE,
	O_COUNT
};
/* the size of the structure each offset is in (checked: offset + 8 <= size) */
static const unsigned char pyoff_size_of[O_COUNT] = {
	O_RT_SIZE, O_RT_SIZE, O_RT_SIZE, O_IS_SIZE, O_IS_SIZE, O_IS_SIZE, O_IS_SIZE,
	O_TS_SIZE, O_TS_SIZE, O_TS_SIZE, O_TS_SIZE, O_TS_SIZE,
	O_FR_SIZE, O_FR_SIZE, O_FR_SIZE, O_FR_SIZE, O_FR_SIZE, O_FR_SIZE,
	O_CO_SIZE, O_CO_SIZE, O_CO_SIZE, O_CO_SIZE, O_CO_SIZE, O_CO_SIZE, O_CO_SIZE,
	O_CO_SIZE, /* ob_type: every object has it; checked against a code object's size */
	O_BY_SIZE, O_BY_SIZE, O_BY_SIZE, O_UN_SIZE, O_UN_SIZE, O_UN_SIZE, O_UN_SIZE,
};

/* Index of each offset among the 64-bit words of _Py_DebugOffsets (the cookie is word 0). */
struct pyoff_layout {
	unsigned minor;
	unsigned char word[O_COUNT];
	/* PyInterpreterState.finalizing (set on entry to Py_FinalizeEx, before the atexit callbacks)
	 * is not published; it sits at a fixed distance from the published id when the distance from
	 * id to threads.head is as measured (else it is not used) */
	unsigned fin_from_id, id_to_threads_head;
	unsigned char owner_cstack; /* FRAME_OWNED_BY_CSTACK: an entry frame, skipped */
};

static const struct pyoff_layout pyoff_layouts[] = {
	{13, {3, 4, 5, 6, 7, 8, 9, 19, 21, 23, 24, 25, 28, 29, 30, 31, 33, 32, 34, 35, 36, 37, 38, 39, 43, 45,
	      64, 65, 66, 67, 68, 69, 70}, 48, 72, 3},
	{14, {3, 4, 5, 6, 7, 8, 9, 22, 24, 26, 27, 28, 31, 32, 33, 34, 36, 35, 39, 40, 41, 42, 43, 44, 48, 51,
	      74, 75, 76, 77, 78, 79, 80}, 40, 64, 4},
};

/* What the shim reads of the interpreter beyond the functions of its state (py), found on first
 * need, in the cold .bss: not at start, where the lookups and the read of _PyRuntime would cost
 * every process page faults (t040). */
struct pyx {
	void *(*interp_head)(void);
	void *(*interp_next)(void *); /* watchdog.c's tracebacks, interpreter by interpreter */
	void *(*interp_main)(void);
	const char *(*dump_threads)(int, void *, void *);
	uintptr_t runtime;          /* _PyRuntime, 0 if not exported */
	size_t runtime_size;
	uintptr_t code_type, unicode_type, bytes_type;
	int usable;                 /* the debug offsets are there and understood */
	uint64_t o[O_COUNT];
	uint64_t interp_finalizing; /* 0: unknown */
	unsigned owner_cstack;
	uint64_t raw[96];           /* the start of _PyRuntime, read once (no 1 KiB frame on the stack) */
};
static struct pyx pyx EXIT_BSS;
static atomic_int pyx_state; /* 0 not looked up, 1 being looked up, 2 done */

/* Read len bytes at addr of this process, or fail (-1) where a plain read would fault: sandbox.c's
 * self_read (process_vm_readv, or a pipe under a seccomp filter, which may kill that call: the
 * filter is looked for before the first read). errno is kept. async-signal-safe. With the exit's
 * code (EXIT_TEXT): no start of 3.11 reads the interpreter's memory; 3.13+ reads it at its first
 * event, through pyx_resolve, there too. */
EXIT_TEXT static int py_peek(uintptr_t addr, void *buf, size_t len)
{
	return self_read(addr, buf, len) == (long)len ? 0 : -1;
}

/* py_peek for the shim's other readers of the interpreter (pyatexit.c). async-signal-safe */
EXIT_TEXT int py_read(uintptr_t addr, void *buf, size_t len) { return py_peek(addr, buf, len); }

static uintptr_t peek_word(uintptr_t addr)
{
	uintptr_t v = 0;
	return py_peek(addr, &v, sizeof v) == 0 ? v : 0;
}

/* Fill pyx once, on first need (by whichever thread asks first; the others find nothing until it
 * is done). Returns whether pyx can be used. async-signal-safe */
EXIT_TEXT static int pyx_resolve(void)
{
	int expected = 0;
	uint64_t *w = pyx.raw, version;
	const struct pyoff_layout *lay = NULL;
	struct module *m = py.mod;
	size_t i;
	if (atomic_load_explicit(&pyx_state, memory_order_acquire) == 2)
		return 1;
	if (!m || !atomic_compare_exchange_strong(&pyx_state, &expected, 1))
		return 0;
	/* (the names in the cold code's section: this runs at an end, not at a start) */
	pyx.interp_head = (void *(*)(void))module_dynsym_lookup(m, COLD_NAME("PyInterpreterState_Head"));
	pyx.interp_next = (void *(*)(void *))module_dynsym_lookup(m, COLD_NAME("PyInterpreterState_Next"));
	pyx.interp_main = (void *(*)(void))module_dynsym_lookup(m, COLD_NAME("PyInterpreterState_Main"));
	pyx.dump_threads = (const char *(*)(int, void *, void *))module_dynsym_lookup(m, COLD_NAME("_Py_DumpTracebackThreads"));
	pyx.runtime = module_dynsym_lookup_size(m, "_PyRuntime", &pyx.runtime_size);
	pyx.code_type = module_dynsym_lookup(m, COLD_NAME("PyCode_Type"));
	pyx.unicode_type = module_dynsym_lookup(m, COLD_NAME("PyUnicode_Type"));
	pyx.bytes_type = module_dynsym_lookup(m, COLD_NAME("PyBytes_Type"));
	if (!pyx.runtime || pyx.runtime_size < sizeof pyx.raw || py_peek(pyx.runtime, w, sizeof pyx.raw) != 0 ||
	    shim_memcmp(w, "xdebugpy", 8) != 0)
		goto out;
	version = w[1];
	for (i = 0; i < sizeof pyoff_layouts / sizeof pyoff_layouts[0]; i++)
		if ((version >> 24) == 3 && ((version >> 16) & 0xff) == pyoff_layouts[i].minor)
			lay = &pyoff_layouts[i];
	if (!lay || w[2] != 0) /* an unknown layout, or the free-threaded build */
		goto out;
	for (i = 0; i < O_COUNT; i++)
		if ((pyx.o[i] = w[lay->word[i]]) > (1u << 20))
			goto out;
	for (i = 0; i < O_COUNT; i++)
		if (pyoff_size_of[i] != i && pyx.o[i] + 8 > pyx.o[pyoff_size_of[i]])
			goto out;
	if (pyx.o[O_RT_SIZE] > pyx.runtime_size || !pyx.code_type || !pyx.unicode_type || !pyx.bytes_type)
		goto out;
	if (pyx.o[O_IS_THREADS_HEAD] - pyx.o[O_IS_ID] == lay->id_to_threads_head)
		pyx.interp_finalizing = pyx.o[O_IS_ID] + lay->fin_from_id;
	pyx.owner_cstack = lay->owner_cstack;
	pyx.usable = 1;
out:
	atomic_store_explicit(&pyx_state, 2, memory_order_release);
	return 1;
}

/* Where the interpreter keeps its Py_AtExit functions (pyatexit.c reads them when finalization
 * starts): an array of 32 function pointers and the count right after it, in _PyRuntime. Not among the
 * debug offsets; measured with offsetof() against each release's internal headers
 * (Include/internal/pycore_runtime.h: exitfuncs/nexitfuncs in 3.11; pycore_atexit.h:
 * atexit.callbacks/ncallbacks, behind a PyMutex, in 3.13 and 3.14): 3.11.2 (Debian 12), 3.13.5
 * (Debian 13), 3.14 (Debian unstable). 3.12 is not tabled. The caller checks what it reads (the
 * count in [0, 32], the slots after it empty) before it trusts it. Returns 0 and the two
 * addresses, or -1. */
EXIT_TEXT int py_exitfuncs_where(uintptr_t *fns, uintptr_t *count)
{
	static const struct {
		unsigned minor, fns, count;
	} at[] = {{11, 88, 344}, {13, 2256, 2512}, {14, 2440, 2696}};
	struct module *m = py.mod;
	uintptr_t rt, v;
	size_t size = 0, i;
	unsigned minor = 0;
	if (!atomic_load_explicit(&py_ready, memory_order_acquire) || !m)
		return -1;
	rt = module_dynsym_lookup_size(m, "_PyRuntime", &size);
	v = module_dynsym_lookup(m, "Py_Version"); /* exported since 3.11 */
	if (!rt || !v)
		return -1;
	minor = (*(const uint32_t *)v >> 16) & 0xff;
	if ((*(const uint32_t *)v >> 24) != 3)
		return -1;
	/* 3.13+: the debug offsets' cookie, and not the free-threaded build (another layout) */
	if (minor >= 13 && (size < 24 || shim_memcmp((const void *)rt, "xdebugpy", 8) != 0 || ((const uint64_t *)rt)[2] != 0))
		return -1;
	for (i = 0; i < sizeof at / sizeof at[0]; i++)
		if (at[i].minor == minor && at[i].count + sizeof(int) <= size && at[i].fns + 32 * sizeof(void *) == at[i].count) {
			*fns = rt + at[i].fns;
			*count = rt + at[i].count;
			return 0;
		}
	return -1;
}

/* the 3.13+ reader can be used. async-signal-safe */
static int pyoff_usable(void) { return pyx_resolve() && pyx.usable; }

/* PyInterpreterState.finalizing of the main interpreter (3.13+): set when Py_FinalizeEx starts,
 * before threading's shutdown and the atexit callbacks, on every thread's view. The main
 * interpreter is statically allocated inside _PyRuntime (_main_interpreter) and is the last of the
 * list (new interpreters are prepended). Memory inside _PyRuntime is static: read directly
 * (this runs for each event), the others' through py_peek. async-signal-safe */
static int main_interp_finalizing(void)
{
	uintptr_t rt, interp;
	int i;
	if (!pyoff_usable() || !pyx.interp_finalizing)
		return 0;
	rt = pyx.runtime; /* only now: pyoff_usable fills pyx on first need */
	interp = *(volatile const uintptr_t *)(rt + pyx.o[O_RT_HEAD]);
	for (i = 0; i < 64 && interp; i++) {
		if (interp > rt && interp + pyx.interp_finalizing + sizeof(int) <= rt + pyx.o[O_RT_SIZE])
			return *(volatile const int *)(interp + pyx.interp_finalizing) != 0;
		interp = peek_word(interp + pyx.o[O_IS_NEXT]);
	}
	return 0;
}

void py_module_gone(struct module *m)
{
	pyatexit_module_gone(m); /* its list of Py_AtExit functions went with it */
	if (atomic_load(&py_ready) && py.mod == m) {
		atomic_store(&py_ready, 0);
		atomic_store(&py_was_initialized, 0);
		if (atomic_exchange(&pyx_state, 0))
			memset(&pyx, 0, sizeof pyx);
		memset(&py, 0, sizeof py);
	}
}

void py_dlclose_begin(void) { atomic_fetch_add(&py_suspended, 1); }
void py_dlclose_end(void) { atomic_fetch_sub(&py_suspended, 1); }

/* ---- the state letter ---- */

/* Where nothing says "atexit callbacks" to other threads (3.11, 3.12), the thread running
 * Py_FinalizeEx can still tell: a return address into Py_FinalizeEx on its stack. Scanned word
 * by word (no unwinder) from here to the top of the main thread's stack, only on the main thread
 * (where python3 finalizes) and only while on its stack (not on a signal stack): __libc_stack_end
 * is the top, the mappings next below it are the stack itself (the kernel places no mapping
 * within 128 MB under it). A stale word in a live frame's padding could name Py_FinalizeEx only
 * after an earlier finalization of a re-initialized interpreter. async-signal-safe */
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h> /* Debian's valgrind package; the request costs nothing outside valgrind */
#else
#define VALGRIND_MAKE_MEM_DEFINED(addr, len) ((void)(addr), (void)(len))
#endif
extern void *__libc_stack_end;
EXIT_TEXT __attribute__((no_sanitize_address)) static int stack_holds_from(uintptr_t sp, const uintptr_t *lo, const uintptr_t *hi, int n)
{
	uintptr_t top = (uintptr_t)__libc_stack_end, a;
	if (trace_pid_get() != shim_gettid() || sp >= top || top - sp > (256u << 10))
		return 0;
	for (a = sp & ~(uintptr_t)7; a < top; a += 8) {
		uintptr_t w = *(const uintptr_t *)a;
		/* padding and dead locals are read on purpose: not an error of the program's */
		VALGRIND_MAKE_MEM_DEFINED(&w, sizeof w);
		for (int i = 0; i < n; i++)
			if (lo[i] && w > lo[i] && w <= hi[i])
				return 1;
	}
	return 0;
}
EXIT_TEXT static int stack_holds(const uintptr_t *lo, const uintptr_t *hi, int n)
{
	return stack_holds_from((uintptr_t)__builtin_frame_address(0), lo, hi, n);
}
/* from the interrupted stack pointer when a signal's default action ends the process (the handler
 * runs on the shim's signal stack) */
static int stack_in_finalize(void)
{
	return py.fin_lo && (ts.interrupted_sp ? stack_holds_from(ts.interrupted_sp, &py.fin_lo, &py.fin_hi, 1)
					       : stack_holds(&py.fin_lo, &py.fin_hi, 1));
}

/* py_state as the code a signal interrupted at stack pointer sp (bytes: its ucontext's RSP)
 * sees it: python3 in its own Py_FinalizeEx, an atexit callback asleep, reads A even where the
 * handler runs on another stack (Python installs its handlers with SA_ONSTACK; the shim's
 * sigaltstack takes them) or the line is written after the handler (signals.c, kept arrival
 * lines). The caller passes sp only on the thread the signal interrupted, while that context
 * is live; a frame of ours above sp on the main thread's stack means it is gone (a handler left
 * by siglongjmp): then the state from our own frame. async-signal-safe */
COLD_TEXT char py_state_interrupted(uintptr_t sp)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0), saved = ts.interrupted_sp;
	char s;
	if (here > sp && here < (uintptr_t)__libc_stack_end)
		sp = 0;
	ts.interrupted_sp = sp;
	s = py_state();
	ts.interrupted_sp = saved;
	return s;
}

/* the runtime's "initialized" and "finalizing" (Py_IsInitialized, _Py_IsFinalizing or
 * Py_IsFinalizing; read directly under 3.11). The caller checked py_ready, py_suspended and
 * py_before_main. async-signal-safe */
static void py_flags(int *init, int *fin)
{
	if (py.rt311) {
		*init = *(volatile const int *)(py.rt311 + RT311_INITIALIZED);
		*fin = RT311_WORD(RT311_FINALIZING) != NULL;
	} else {
		*init = py.is_initialized();
		*fin = py.is_finalizing ? py.is_finalizing() : 0;
	}
	/* Py_Initialize has read the clock through the vDSO (trace.c: a load once told); 3.11 did
	 * so before it put the interpreter on the runtime's list (in PyInterpreterState_New, taking
	 * the list's lock: PyThread_acquire_lock, perf's call chain), before the signal handlers it
	 * installs while "initialized" is still 0 (2 clock system calls less in python3 -c pass) */
	if (*init || (py.rt311 && RT311_WORD(RT311_HEAD)))
		trace_clock_program_read();
}

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
	py_flags(&init, &fin);
	if (init) {
		atomic_store_explicit(&py_was_initialized, 1, memory_order_relaxed);
		if (fin)
			return PY_FINALIZING;
		if (atomic_load(&proc.pyfin_depth) || (py.public_finalizing && main_interp_finalizing()))
			return PY_ATEXIT;
		if (py.public_finalizing && pyoff_usable() && pyx.interp_finalizing)
			return PY_INIT;
		return stack_in_finalize() ? PY_ATEXIT : PY_INIT;
	}
	/* Py_FinalizeEx clears "initialized" when it sets "finalizing", before it destroys the
	 * modules (whose __del__ methods still run Python code); the interpreter goes off the list
	 * only at the end. 3.11 leaves "finalizing" set after Py_FinalizeEx returned. */
	if (!fin && !atomic_load(&proc.pyfin_depth) && !atomic_load_explicit(&py_was_initialized, memory_order_relaxed))
		return PY_NOTINIT; /* starting: pyx stays untouched (its page is cold, t040) */
	if (py.rt311) {
		if ((fin || atomic_load(&proc.pyfin_depth)) && RT311_WORD(RT311_HEAD))
			return PY_FINALIZING;
	} else if (pyx_resolve() && pyx.interp_head) {
		if (pyx.interp_head() && (fin || atomic_load(&proc.pyfin_depth)))
			return PY_FINALIZING;
	} else if (atomic_load(&proc.pyfin_depth)) {
		return PY_FINALIZING;
	}
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
 * py_state() tells), so only where that is affordable (registrations). Not on a routine thread
 * (routine.c: one the shim saw start, nothing written of it yet): in python3 Py_FinalizeEx runs
 * on the thread that ran Py_RunMain, the main one, and a registration of a short-lived thread
 * must not cost an unwind (issue 18). */
char py_state_here(void)
{
	char s = py_state();
	if (s != PY_INIT || !py.fin_lo || routine_thread())
		return s;
	shim_stack_run(state_here_deep, &s);
	return s;
}

/* ---- Python tracebacks ----
 * Lines like faulthandler's ("Stack (most recent call first):", "  File \"x.py\", line 3 in f"),
 * built in a fixed buffer and handed to a sink: a descriptor, or trace lines of one event type.
 * 3.13+: read from the interpreter's memory with the debug offsets; 3.11 and 3.12: through
 * _Py_DumpTraceback and _Py_DumpTracebackThreads, which the interpreter exports there. */

#define PY_MAX_FRAMES 100 /* faulthandler's MAX_FRAME_DEPTH */
#define PY_MAX_STRING 200

struct pysink {
	int fd;            /* >= 0: write lines there */
	const char *prefix; /* with fd: put before each line (the crash report's "tlstrace: ") */
	const char *event; /* else: one trace line per text line */
	char py;
	int lines;
	size_t len;
	char buf[512];
};

static void sink_str(struct pysink *s, const char *p, size_t n)
{
	if (n > sizeof s->buf - 1 - s->len)
		n = sizeof s->buf - 1 - s->len;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}
static void sink_cstr(struct pysink *s, const char *p) { sink_str(s, p, shim_strlen(p)); }
static void sink_dec(struct pysink *s, long long v)
{
	char d[24];
	sink_str(s, d, fmt_dec(d, v));
}
/* 16 hex digits, as faulthandler prints a thread id */
static void sink_hex16(struct pysink *s, uintptr_t v)
{
	static const char hexd[] = "0123456789abcdef";
	char d[16];
	int i;
	for (i = 15; i >= 0; i--, v >>= 4)
		d[i] = hexd[v & 15];
	sink_str(s, d, sizeof d);
}

COLD_TEXT static void sink_line(struct pysink *s)
{
	if (s->fd >= 0) {
		ssize_t w;
		size_t off = 0, n = s->prefix ? strlen(s->prefix) : 0;
		char line[16 + sizeof s->buf]; /* the prefix and the line, one write */
		s->buf[s->len++] = '\n';
		if (n > 16)
			n = 16;
		memcpy(line, s->prefix ? s->prefix : "", n);
		memcpy(line + n, s->buf, s->len);
		n += s->len;
		while (off < n && ((w = sys3(SYS_write, s->fd, line + off, n - off)) > 0 || w == -EINTR))
			off += w > 0 ? (size_t)w : 0;
	} else {
		struct tline l;
		tl_begin_py(&l, s->event, s->py);
		tl_strn(&l, s->buf, s->len);
		tl_end(&l);
	}
	s->len = 0;
	s->lines++;
}

/* Bytes of the interpreter's memory one at a time, read through py_peek in chunks. */
struct peekbuf {
	uintptr_t at;
	int64_t len, base, got;
	unsigned char b[128];
};

static int peek_byte(struct peekbuf *r, int64_t i)
{
	if (i < 0 || i >= r->len)
		return -1;
	if (i < r->base || i >= r->base + r->got) {
		r->base = i;
		r->got = r->len - i < (int64_t)sizeof r->b ? r->len - i : (int64_t)sizeof r->b;
		if (py_peek(r->at + (uintptr_t)i, r->b, (size_t)r->got) != 0) {
			r->got = 0;
			return -1;
		}
	}
	return r->b[i - r->base];
}

/* A str object's text, escaped like faulthandler's _Py_DumpASCII, at most PY_MAX_STRING
 * characters. Compact strings only (every code object's names are). -1 if obj is not a readable
 * str. */
COLD_TEXT static int sink_pystr(struct pysink *s, uintptr_t obj)
{
	static const char hexd[] = "0123456789abcdef";
	unsigned state = 0, kind;
	int64_t length = 0, i, n;
	struct peekbuf r;
	if (!obj || peek_word(obj + pyx.o[O_OB_TYPE]) != pyx.unicode_type ||
	    py_peek(obj + pyx.o[O_UN_STATE], &state, sizeof state) != 0 ||
	    py_peek(obj + pyx.o[O_UN_LENGTH], &length, sizeof length) != 0 || length < 0)
		return -1;
	/* state: interned:2, kind:3, compact:1, ascii:1 (Include/cpython/unicodeobject.h) */
	kind = (state >> 2) & 7;
	if (!(state & 0x20) || (kind != 1 && kind != 2 && kind != 4))
		return -1;
	n = length > PY_MAX_STRING ? PY_MAX_STRING : length;
	/* the characters follow the object; a non-ASCII compact one (PyCompactUnicodeObject) has
	 * utf8_length and utf8 first */
	r.at = obj + pyx.o[O_UN_ASCII_SIZE] + ((state & 0x40) ? 0 : 16);
	r.len = n * kind;
	r.base = r.got = 0;
	for (i = 0; i < n; i++) {
		uint32_t c = 0;
		unsigned k;
		for (k = 0; k < kind; k++) {
			int byte = peek_byte(&r, i * kind + k);
			if (byte < 0)
				return -1;
			c |= (uint32_t)byte << (8 * k);
		}
		if (c >= ' ' && c < 0x7f) {
			char ch = (char)c;
			sink_str(s, &ch, 1);
		} else {
			char e[10];
			int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8, d;
			e[0] = '\\';
			e[1] = digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
			for (d = 0; d < digits; d++)
				e[2 + d] = hexd[(c >> (4 * (digits - 1 - d))) & 15];
			sink_str(s, e, (size_t)(2 + digits));
		}
	}
	if (length > n)
		sink_cstr(s, "...");
	return 0;
}

/* The line of byte offset addrq in a code object, from its co_linetable (the 3.11+ format of
 * Objects/locations.md, decoded as Objects/codeobject.c's PyCode_Addr2Line does): entries of a
 * first byte 1CCCCLLL (code C, covering L+1 code units of 2 bytes) and follow-up bytes 0xxxxxxx.
 * Codes 0-10 keep the line, 11 and 12 add 1 and 2, 13 (no columns) and 14 (long form) add a
 * signed varint (6-bit groups, least significant first, 0x40 = more follow; then the low bit is
 * the sign), 15 covers code with no line (-1). The line starts at co_firstlineno. -1 when
 * unknown. async-signal-safe */
static int code_line(uintptr_t table, int64_t tlen, int firstline, int64_t addrq)
{
	struct peekbuf r = {.at = table, .len = tlen};
	int64_t pos = 0, addr = 0;
	int line = firstline;
	if (addrq < 0)
		return firstline;
	while (pos < tlen) {
		int first = peek_byte(&r, pos), code, c;
		int64_t end;
		if (first < 0 || !(first & 0x80))
			return -1;
		code = (first >> 3) & 15;
		end = addr + ((first & 7) + 1) * 2;
		if (code == 13 || code == 14) {
			unsigned val = 0, shift = 0;
			int64_t q = pos + 1;
			do {
				c = peek_byte(&r, q++);
				if (c < 0 || shift > 24)
					return -1;
				val |= (unsigned)(c & 63) << shift;
				shift += 6;
			} while (c & 64);
			line += (val & 1) ? -(int)(val >> 1) : (int)(val >> 1);
		} else if (code == 11 || code == 12) {
			line += code - 10;
		}
		if (addrq < end)
			return code == 15 ? -1 : line;
		addr = end;
		do
			c = peek_byte(&r, ++pos);
		while (c >= 0 && !(c & 0x80));
		if (c < 0 && pos < tlen)
			return -1;
	}
	return -1;
}

/* One frame: "  File "x.py", line N in f". 0 if it is not a Python function's frame. */
static int dump_frame(struct pysink *s, uintptr_t frame)
{
	uintptr_t code = peek_word(frame + pyx.o[O_FR_EXECUTABLE]) & ~(uintptr_t)7; /* 3.14: a tagged _PyStackRef */
	uintptr_t instr = peek_word(frame + pyx.o[O_FR_INSTR_PTR]);
	uintptr_t table = 0;
	int firstline = 0, line = -1;
	int64_t tlen = 0;
	if (!code || peek_word(code + pyx.o[O_OB_TYPE]) != pyx.code_type)
		return 0;
	sink_cstr(s, "  File ");
	{
		size_t mark = s->len;
		sink_cstr(s, "\"");
		if (sink_pystr(s, peek_word(code + pyx.o[O_CO_FILENAME])) == 0)
			sink_cstr(s, "\"");
		else
			s->len = mark, sink_cstr(s, "???");
	}
	table = peek_word(code + pyx.o[O_CO_LINETABLE]);
	if (py_peek(code + pyx.o[O_CO_FIRSTLINENO], &firstline, sizeof firstline) == 0 && table &&
	    peek_word(table + pyx.o[O_OB_TYPE]) == pyx.bytes_type &&
	    py_peek(table + pyx.o[O_BY_OB_SIZE], &tlen, sizeof tlen) == 0 && tlen > 0 && tlen < (1 << 24))
		line = code_line(table + pyx.o[O_BY_SVAL], tlen, firstline,
				 instr ? (int64_t)(instr - (code + pyx.o[O_CO_CODE])) : -1);
	sink_cstr(s, ", line ");
	if (line >= 0)
		sink_dec(s, line);
	else
		sink_cstr(s, "???");
	sink_cstr(s, " in ");
	{ /* its qualified name (co_qualname: "Conn.__del__"), where faulthandler writes co_name */
		size_t mark = s->len;
		if (sink_pystr(s, peek_word(code + pyx.o[O_CO_QUALNAME])) != 0 &&
		    (s->len = mark, sink_pystr(s, peek_word(code + pyx.o[O_CO_NAME])) != 0))
			s->len = mark, sink_cstr(s, "???");
	}
	sink_line(s);
	return 1;
}

/* The frames of one thread state, innermost first, as faulthandler's dump_traceback. */
COLD_TEXT static void dump_tstate(struct pysink *s, uintptr_t tstate)
{
	uintptr_t frame = peek_word(tstate + pyx.o[O_TS_CURRENT_FRAME]);
	int depth = 0, shown = 0;
	if (!frame) {
		sink_cstr(s, "  <no Python frame>");
		sink_line(s);
		return;
	}
	while (frame && depth < 4 * PY_MAX_FRAMES) {
		unsigned char owner = 0xff;
		if (py_peek(frame + pyx.o[O_FR_OWNER], &owner, 1) != 0)
			break;
		if (owner != pyx.owner_cstack) {
			if (shown == PY_MAX_FRAMES) {
				sink_cstr(s, "  ...");
				sink_line(s);
				break;
			}
			shown += dump_frame(s, frame);
		}
		frame = peek_word(frame + pyx.o[O_FR_PREVIOUS]);
		depth++;
	}
}


static int each_tstate(int (*fn)(struct pysink *, uintptr_t, void *), struct pysink *s, void *arg);

static int tstate_tid(uintptr_t t)
{
	unsigned long id = 0;
	return py_peek(t + pyx.o[O_TS_NATIVE_ID], &id, sizeof id) == 0 ? (int)id : -1;
}

/* How a thread state is taken for the calling thread's, best first (current_tstate). */
struct tstate_match {
	int how;       /* 0: native thread id, 1: the one PyGILState names, 2: pthread_t */
	int tid;
	uintptr_t want; /* how 1: that thread state; how 2: pthread_self() */
	uintptr_t found;
};

COLD_TEXT static int match_tstate(struct pysink *s, uintptr_t t, void *arg)
{
	struct tstate_match *m = arg;
	int hit;
	(void)s;
	if (m->how == 0)
		hit = tstate_tid(t) == m->tid;
	else if (m->how == 1)
		hit = t == m->want;
	else
		hit = peek_word(t + pyx.o[O_TS_THREAD_ID]) == m->want;
	if (!hit || !peek_word(t + pyx.o[O_TS_CURRENT_FRAME]))
		return 0;
	m->found = t;
	return 1;
}

/* The calling thread's thread state among the interpreters' lists, one with a Python frame, or 0.
 * Its native id first (one thread may have a thread state in each sub-interpreter: the one
 * running code has the frame). A process forked by an embedder that does not call
 * PyOS_AfterFork_Child (uWSGI's workers, unless --py-call-osafterfork) keeps the parent's ids in
 * its thread states: then the one PyGILState_GetThisThreadState names (a thread-specific value,
 * which fork copies; CPython's faulthandler asks it from its signal handlers too), then the one
 * whose pthread_t is ours (the forking thread's, which the child's only thread keeps).
 * async-signal-safe */
COLD_TEXT static uintptr_t current_tstate(void)
{
	struct tstate_match m = {0, shim_gettid(), 0, 0};
	if (each_tstate(match_tstate, NULL, &m))
		return m.found;
	if (py.this_thread_state && (m.want = (uintptr_t)py.this_thread_state()) != 0) {
		m.how = 1;
		if (each_tstate(match_tstate, NULL, &m))
			return m.found;
	}
	m.how = 2;
	m.want = (uintptr_t)pthread_self();
	return each_tstate(match_tstate, NULL, &m) ? m.found : 0;
}

COLD_TEXT static int dump_any(struct pysink *s, uintptr_t t, void *cur)
{
	sink_cstr(s, t == *(uintptr_t *)cur ? "Current thread 0x" : "Thread 0x");
	sink_hex16(s, peek_word(t + pyx.o[O_TS_THREAD_ID]));
	sink_cstr(s, " (most recent call first):");
	sink_line(s);
	dump_tstate(s, t);
	return 0;
}

/* Whether there is an interpreter whose frames can be read. async-signal-safe */
static int py_alive(void)
{
	char st = py_state();
	return st == PY_INIT || st == PY_ATEXIT || st == PY_FINALIZING;
}

/* The calling thread's traceback (all == 0) or every thread's, into the sink. Returns the number
 * of lines, 0 if nothing could be read. async-signal-safe (3.11/3.12: as far as CPython's
 * faulthandler is) */
/* Every thread state of every interpreter into fd sink s (3.13+, the debug offsets), each
 * interpreter's dumps after a line "\001main" or "\001sub 0xADDR", as py_dump_interpreters marks
 * 3.11's (the hang watchdog's reader, watchdog.c python_tracebacks, names each thread's
 * interpreter by it). CPython prepends each new interpreter to the runtime's list
 * (Python/pystate.c PyInterpreterState_New), so the main one is the last. async-signal-safe */
COLD_TEXT static void dump_by_interp(struct pysink *s, uintptr_t cur)
{
	uintptr_t head = peek_word(pyx.runtime + pyx.o[O_RT_HEAD]), main = head, next, interp, t;
	int i, j;
	for (i = 0; i < 64 && main && (next = peek_word(main + pyx.o[O_IS_NEXT])) != 0; i++)
		main = next;
	for (i = 0, interp = head; i < 64 && interp; i++, interp = peek_word(interp + pyx.o[O_IS_NEXT])) {
		char mark[40] = "\001main";
		size_t k = 5;
		if (interp != main) {
			memcpy(mark + 1, "sub ", 4);
			k += fmt_hex(mark + k, interp);
		}
		sink_str(s, mark, k);
		sink_line(s);
		for (j = 0, t = peek_word(interp + pyx.o[O_IS_THREADS_HEAD]); j < 4096 && t; j++, t = peek_word(t + pyx.o[O_TS_NEXT]))
			dump_any(s, t, &cur);
	}
}

COLD_TEXT static int py_traceback(struct pysink *s, int all)
{
	if (!py_alive())
		return 0;
	if (pyoff_usable()) {
		uintptr_t cur = current_tstate();
		if (all && s->fd >= 0 && !s->prefix) /* (the hang watchdog's pipe: py_dump_all_threads) */
			dump_by_interp(s, cur);
		else if (all) {
			each_tstate(dump_any, s, &cur);
		} else if (cur) {
			sink_cstr(s, "Stack (most recent call first):");
			sink_line(s);
			dump_tstate(s, cur);
		}
		return s->lines;
	}
	if (s->fd < 0 || s->prefix) {
		/* the interpreter's own dumper writes to a descriptor: through a pipe, then split */
		int p[2];
		char buf[8192], *b, *eol, qline[512];
		struct py_qual q = {0, 0, 0}; /* (3.11's frames by their qualified names) */
		ssize_t n, total = 0;
		struct pysink to_pipe = {.fd = -1};
		if (sys2(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK) != 0)
			return 0;
		to_pipe.fd = p[1];
		if (py_traceback(&to_pipe, all))
			while (total < (ssize_t)sizeof buf - 1 &&
			       (n = sys3(SYS_read, p[0], buf + total, sizeof buf - 1 - (size_t)total)) > 0)
				total += n;
		sys1(SYS_close, p[0]);
		sys1(SYS_close, p[1]);
		buf[total] = 0;
		for (b = buf; *b; b = eol + 1) {
			int last;
			eol = shim_strchr(b, '\n');
			if (!eol)
				eol = b + shim_strlen(b);
			last = !*eol;
			*eol = 0;
			if (eol > b) { /* the blank lines between threads: no trace line */
				const char *l = py_line_qualified(&q, b, qline, sizeof qline);
				sink_str(s, l, shim_strlen(l));
				sink_line(s);
			}
			if (last)
				break;
		}
		return s->lines;
	}
	if (all && pyx.dump_threads) {
		pyx.dump_threads(s->fd, NULL, py.this_thread_state ? py.this_thread_state() : NULL);
		return 1;
	}
	if (!all && py.this_thread_state && py.dump_traceback) {
		void *tstate = py.this_thread_state();
		if (!tstate)
			return 0;
		py.dump_traceback(s->fd, tstate);
		return 1;
	}
	return 0;
}

/* faulthandler-style text on fd: the calling thread's Python traceback (each line after "tlstrace: ",
 * as the rest of the crash report on stderr), or all threads' (as they are: the hang watchdog's
 * pipe). Returns nonzero if something was written. async-signal-safe */
int py_dump_traceback(int fd)
{
	struct pysink s = {.fd = fd, .prefix = "tlstrace: "};
	return fd >= 0 ? py_traceback(&s, 0) : 0;
}
int py_dump_all_threads(int fd)
{
	struct pysink s = {.fd = fd};
	return fd >= 0 ? py_traceback(&s, 1) : 0;
}

/* The same as trace lines: one EVENT line (Python state py) per text line, e.g. crash_py after a
 * crash, uad_py after a use-after-destroy. Returns the number of lines. async-signal-safe */
COLD_TEXT int py_trace_traceback(const char *event, char py_letter, int all)
{
	struct pysink s = {.fd = -1, .event = event, .py = py_letter};
	return py_traceback(&s, all);
}

struct tb_request {
	const char *event;
	char py;
};
COLD_TEXT static void traceback_deep(void *p)
{
	const struct tb_request *q = p;
	py_trace_traceback(q->event, q->py, 0);
}

/* py_trace_traceback (the calling thread's) for a finding made on a program's thread (a late
 * construction, a key used after its destructor, a watchpoint hit): on a shim stack, as the 3.11
 * reader needs 8 KiB; nothing where no interpreter runs (py_letter: the state the finding's line
 * recorded) or no shim stack is free. Reads only: the thread may not hold the GIL.
 * async-signal-safe */
COLD_TEXT void py_trace_traceback_deep(const char *event, char py_letter)
{
	struct tb_request q = {event, py_letter};
	if (py_letter == PY_INIT || py_letter == PY_ATEXIT || py_letter == PY_FINALIZING)
		shim_stack_run(traceback_deep, &q);
}

/* Every thread of every interpreter, faulthandler's text, for the hang watchdog (a thread with no
 * thread state): on 3.11/3.12 _Py_DumpTracebackThreads(fd, interp, NULL) for each interpreter, as
 * faulthandler's own watchdog thread calls it, each dump preceded by a line "\001main" or
 * "\001sub 0xADDR"; on 3.13+ the debug offsets' reader (py_dump_all_threads, every interpreter,
 * with the same markers: dump_by_interp). Returns nonzero if something was written. */
COLD_TEXT int py_dump_interpreters(int fd)
{
	int n = 0;
	void *interp;
	if (!py_alive() || !pyx_resolve())
		return 0;
	if (pyoff_usable() || !pyx.dump_threads || !pyx.interp_head || !pyx.interp_next)
		return py_dump_all_threads(fd);
	for (interp = pyx.interp_head(); interp && n < 64; interp = pyx.interp_next(interp), n++) {
		char mark[40] = "\001main";
		size_t k = 5;
		if (!pyx.interp_main || interp != pyx.interp_main()) {
			memcpy(mark + 1, "sub ", 4);
			k += fmt_hex(mark + k, (uintptr_t)interp);
		}
		mark[k++] = '\n';
		if (sys3(SYS_write, fd, mark, k) < 0)
			return n;
		pyx.dump_threads(fd, interp, NULL);
	}
	return n;
}

/* ---- the GIL, for the hang watchdog ----
 * Where the GIL is and which thread holds it, read without the interpreter's help (no lock, no
 * allocation). 3.11 keeps it in _PyRuntime.ceval.gil (Python/ceval_gil.h: interval, last_holder,
 * locked, switch_number, cond, mutex, switch_cond, switch_mutex: 208 bytes here), whose "locked"
 * word PyEval_ThreadsInitialized reads in its first instruction (mov eax,[rip+disp32], decoded
 * here; 3.12 reads it elsewhere and is not known); last_holder (a PyThreadState) is the word
 * before it, native_thread_id 160 bytes into that (3.11's Include/cpython/pystate.h; checked with
 * ctypes on 3.11.2; libpython3.11.so reads it through _PyRuntime's GOT slot, `mov rax,[rip+disp32];
 * mov eax,[rax+off32]`, decoded too). 3.13 and 3.14 publish the main interpreter's _gil, its locked and
 * last_holder in _Py_DebugOffsets (words below, as the layouts above); every sub-interpreter mod_wsgi
 * or uWSGI creates (Py_NewInterpreter) shares it. Returns 1 with *gil the struct's address (a wait
 * on a futex inside it is a wait for the GIL) and *holder the tid of the thread holding it (0: not
 * held, or not known); 0 if the GIL cannot be found. */
COLD_TEXT int py_gil(uintptr_t *gil, pid_t *holder)
{
	static const unsigned char words[][4] = {{13, 15, 17, 18}, {14, 16, 18, 19}}; /* minor, _gil, locked, last_holder */
	uintptr_t locked_at = 0, holder_at = 0, tstate;
	uint64_t native_off = 160;
	int locked = 0;
	*gil = 0;
	*holder = 0;
	if (!py_alive() || !pyx_resolve())
		return 0;
	if (pyoff_usable()) {
		uintptr_t interp = peek_word(pyx.runtime + pyx.o[O_RT_HEAD]), next;
		for (int i = 0; i < 64 && (next = peek_word(interp + pyx.o[O_IS_NEXT])); i++)
			interp = next; /* the main interpreter is the last */
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (interp && ((pyx.raw[1] >> 16) & 0xff) == words[i][0] && pyx.raw[words[i][1]] < pyx.o[O_IS_SIZE]) {
				*gil = interp + pyx.raw[words[i][1]];
				locked_at = interp + pyx.raw[words[i][2]];
				holder_at = interp + pyx.raw[words[i][3]];
			}
		native_off = pyx.o[O_TS_NATIVE_ID];
	} else {
		const unsigned char *fn = (const unsigned char *)module_dynsym_lookup(py.mod, "PyEval_ThreadsInitialized");
		const uint32_t *version = (const uint32_t *)module_dynsym_lookup(py.mod, "Py_Version");
		unsigned char insn[13];
		int32_t disp, off;
		if (!fn || !version || (*version >> 16) != 0x030b || py_peek((uintptr_t)fn, insn, sizeof insn) != 0)
			return 0;
		if (insn[0] == 0x8b && insn[1] == 0x05) { /* mov eax,[rip+disp32]: python3 */
			memcpy(&disp, insn + 2, sizeof disp);
			locked_at = (uintptr_t)fn + 6 + (intptr_t)disp;
		} else if (insn[0] == 0x48 && insn[1] == 0x8b && insn[2] == 0x05 && insn[7] == 0x8b && insn[8] == 0x80) {
			/* libpython3.11.so (mod_wsgi, uWSGI): mov rax,[rip+disp32] (_PyRuntime's GOT slot), then
			 * mov eax,[rax+off32] */
			memcpy(&disp, insn + 3, sizeof disp);
			memcpy(&off, insn + 9, sizeof off);
			if (peek_word((uintptr_t)fn + 7 + (intptr_t)disp) != pyx.runtime)
				return 0;
			locked_at = pyx.runtime + (intptr_t)off;
		} else {
			return 0;
		}
		if (!pyx.runtime || locked_at < pyx.runtime + 16 || locked_at >= pyx.runtime + pyx.runtime_size)
			return 0;
		*gil = locked_at - 16;
		holder_at = locked_at - 8;
	}
	if (!*gil || py_peek(locked_at, &locked, sizeof locked) != 0 || (locked != 0 && locked != 1)) {
		*gil = 0;
		return 0;
	}
	if (locked == 1 && (tstate = peek_word(holder_at)) != 0)
		*holder = (pid_t)peek_word(tstate + native_off);
	return 1;
}

/* The thread states of every interpreter, 3.11 (py.rt311) or 3.13+ (debug offsets): fn(t, arg)
 * on each until it returns nonzero; that value, or 0. Bounded: the lists may change under us. */
struct ts_walk {
	uintptr_t head, is_next, is_threads, ts_next;
	uint64_t thread_id, native_id;
};
/* the walk through the debug offsets (3.13+; the caller checked pyx) */
COLD_TEXT static void ts_walk_pyx(struct ts_walk *w)
{
	*w = (struct ts_walk){pyx.runtime + pyx.o[O_RT_HEAD], pyx.o[O_IS_NEXT], pyx.o[O_IS_THREADS_HEAD], pyx.o[O_TS_NEXT],
			      pyx.o[O_TS_THREAD_ID], pyx.o[O_TS_NATIVE_ID]};
}
COLD_TEXT static int ts_walk_init(struct ts_walk *w)
{
	if (py.rt311) {
		*w = (struct ts_walk){py.rt311 + RT311_HEAD, 0, 16, 8, 152, 160};
		return 1;
	}
	if (!pyoff_usable())
		return 0;
	ts_walk_pyx(w);
	return 1;
}
COLD_TEXT static uintptr_t ts_walk(const struct ts_walk *w, uintptr_t (*fn)(const struct ts_walk *, uintptr_t, uintptr_t),
				   uintptr_t arg)
{
	uintptr_t interp = peek_word(w->head), t = 0, r;
	for (int i = 0; i < 64 && interp; i++, interp = peek_word(interp + w->is_next))
		for (int j = 0; j < 4096 && (t = j ? peek_word(t + w->ts_next) : peek_word(interp + w->is_threads)); j++)
			if ((r = fn(w, t, arg)) != 0)
				return r;
	return 0;
}

/* ---- Python thread names (3.11, 3.13), for the hang watchdog ----
 * A threading.Thread's name is its attribute _name; the Thread is the first local (self) of its
 * thread's outermost frame, threading's _bootstrap. 3.11 and 3.13 give the OS thread no name
 * (3.14 does: /proc's comm then tells it), so the name is read from memory, every read through
 * py_peek.
 * 3.11: the thread states through PyInterpreterState_ThreadHead and PyThreadState_Next (each
 * returns a field), then, in 3.11.2's layouts (Include/cpython/pystate.h, internal/pycore_frame.h,
 * internal/pycore_dict.h, cpython/code.h, cpython/unicodeobject.h; checked with ctypes):
 * PyThreadState native_thread_id +160, cframe +56; _PyCFrame current_frame +8; frame f_code +32,
 * previous +48, localsplus +72; code co_name +120; an instance's inline values at -32 and its
 * dict at -24 (managed dict), PyHeapTypeObject ht_cached_keys +872; PyDictObject ma_keys +32,
 * ma_values +40; PyDictKeysObject dk_log2_index_bytes +9, dk_kind +10, dk_nentries +24, entries
 * after 32 + the index bytes ({key, value}, or {hash, key, value} in a general table); an ASCII
 * str's length +16, state +32, text +48.
 * 3.13: threads, frames, code and str through _Py_DebugOffsets (the text at its ascii size, 40);
 * not published there, read with ctypes on 3.13.5 (Debian 13): an instance's values inline at
 * the end of the object (type's tp_basicsize, +32), {capacity, size, embedded, valid, values...}
 * (values +8, used while valid, byte +3, is 1), its dict at -24 once it has one; ht_cached_keys
 * +880; dict and keys objects as in 3.11. */
/* A running thread's frame chain is read while it runs on (the reader holds no GIL): a frame can
 * be unlinked between the reads (3.11's YIELD_VALUE, Python/ceval.c, clears a generator frame's
 * previous as it yields: the reader that took current_frame just before finds a chain of one).
 * Seen 1 run in ~30 of two ThreadPoolExecutor workers in a generator expression: the chain ended
 * at <genexpr>, and the threads_alive line named the worker by its routine, not
 * "ThreadPoolExecutor-0_1". A thread whose outermost frame is not threading's _bootstrap is read
 * again, after a sched_yield, up to NAME_READS times in all. */
enum { NAME_READS = 4 };

struct pyname_layout {
	unsigned str_text;    /* an ASCII str's text */
	unsigned cached_keys; /* PyHeapTypeObject.ht_cached_keys */
	int inline_values;    /* 3.13: the values follow the object; 3.11: a pointer at -32 */
};
static const struct pyname_layout pyname_311 = {48, 872, 0}, pyname_313 = {40, 880, 1};

COLD_TEXT static int peek_ascii(const struct pyname_layout *lay, uintptr_t obj, char *out, size_t cap)
{
	uint64_t len = 0;
	uint32_t state = 0;
	if (!obj || py_peek(obj + 16, &len, sizeof len) || py_peek(obj + 32, &state, sizeof state) ||
	    (state & 0x60) != 0x60 || len == 0 || len >= cap || py_peek(obj + lay->str_text, out, len))
		return 0;
	out[len] = 0;
	return (int)len;
}

COLD_TEXT static int attr_of(const struct pyname_layout *lay, uintptr_t obj, const char *attr, char *out, size_t cap)
{
	uintptr_t type = peek_word(obj + 8), keys, values, dict = peek_word(obj - 24);
	unsigned char hdr[2] = {0, 0};
	uint64_t nent;
	size_t step = 16, koff = 0, voff = 0;
	char key[32];
	if (!lay->inline_values) {
		values = peek_word(obj - 32);
	} else {
		unsigned char valid = 0;
		values = type ? obj + peek_word(type + 32) : 0; /* tp_basicsize */
		voff = 8;
		if (!values || py_peek(values + 3, &valid, 1) || valid != 1)
			values = 0;
	}
	if (dict) {
		keys = peek_word(dict + 32);
		values = peek_word(dict + 40);
		voff = lay->inline_values ? 8 : 0;
	} else {
		keys = type ? peek_word(type + lay->cached_keys) : 0;
	}
	if (!keys || py_peek(keys + 9, hdr, 2) || hdr[0] > 40 || (nent = peek_word(keys + 24)) > 256)
		return 0;
	if (!values && hdr[1] == 0) /* a combined table of any keys: {hash, key, value} */
		step = 24, koff = 8;
	for (uint64_t i = 0; i < nent; i++) {
		uintptr_t e = keys + 32 + ((uintptr_t)1 << hdr[0]) + i * step + koff;
		if (peek_ascii(lay, peek_word(e), key, sizeof key) && !shim_strcmp(key, attr))
			return peek_ascii(lay, values ? peek_word(values + voff + 8 * i) : peek_word(e + 8), out, cap);
	}
	return 0;
}

/* thread_name_313's question and answer, through ts_walk */
struct thread_name_ask {
	pid_t tid;
	char *out;
	size_t cap;
};

/* ts_walk's, 3.13: at the thread state of thread a->tid (the first: the walk stops there), its
 * outermost Python frame, and if that is threading's _bootstrap, its self's _name into a->out;
 * returns the name's length + 1 there (1: none), 0 at another thread state */
COLD_TEXT static uintptr_t thread_name_313_at(const struct ts_walk *w, uintptr_t t, uintptr_t arg)
{
	const struct thread_name_ask *a = (const struct thread_name_ask *)arg;
	uintptr_t frame, outer = 0, code;
	int depth = 0;
	char fn[16];
	(void)w;
	if (tstate_tid(t) != a->tid)
		return 0;
	for (frame = peek_word(t + pyx.o[O_TS_CURRENT_FRAME]); frame && depth < 1000;
	     frame = peek_word(frame + pyx.o[O_FR_PREVIOUS]), depth++) {
		unsigned char owner = 0xff;
		if (py_peek(frame + pyx.o[O_FR_OWNER], &owner, 1) != 0)
			break;
		if (owner != pyx.owner_cstack)
			outer = frame;
	}
	code = outer ? peek_word(outer + pyx.o[O_FR_EXECUTABLE]) : 0;
	if (!code || peek_word(code + pyx.o[O_OB_TYPE]) != pyx.code_type ||
	    !peek_ascii(&pyname_313, peek_word(code + pyx.o[O_CO_NAME]), fn, sizeof fn) || shim_strcmp(fn, "_bootstrap"))
		return 1;
	return (uintptr_t)attr_of(&pyname_313, peek_word(outer + pyx.o[O_FR_LOCALSPLUS]), "_name", a->out, a->cap) + 1;
}

/* 3.13: thread tid's thread state through the debug offsets (ts_walk_pyx), its outermost Python
 * frame, and if that is threading's _bootstrap, its self's _name; its length, 0 if none */
COLD_TEXT static int thread_name_313(pid_t tid, char *out, size_t cap)
{
	struct thread_name_ask a = {tid, out, cap};
	struct ts_walk w;
	uintptr_t r = 0;
	ts_walk_pyx(&w);
	for (int attempt = 0; attempt < NAME_READS && (!attempt || r == 1); attempt++) {
		if (attempt)
			sys0(SYS_sched_yield);
		r = ts_walk(&w, thread_name_313_at, (uintptr_t)&a);
	}
	return r ? (int)(r - 1) : 0;
}

/* ---- qualified names in 3.11's tracebacks ----
 * CPython 3.11's _Py_DumpTracebackThreads (Python/traceback.c dump_frame) names a frame by its
 * code's co_name: "__del__", not the class it belongs to. 3.11 code objects also have co_qualname
 * ("Conn.__del__"; Include/cpython/code.h: co_name +120, co_qualname +128 in 3.11.2, checked with
 * ctypes), which 3.13+'s reader here writes (dump_frame). For 3.11's text, the frame a line is
 * about is found again: the thread state whose thread_id (pthread_t, +152) the header names (one
 * walk of the thread states per header), then its frames from cframe->current_frame (+56, +8)
 * along previous (+48) one per line (3.11's dump_traceback shows every frame, none skipped), each
 * taken only if its co_name (f_code +32) is still the line's name (the thread may have run on
 * since the dump; then that line and the rest of the block keep co_name). */

/* ts_walk's, 3.11: the thread state whose thread_id is *(uintptr_t *)arg, or 0 */
COLD_TEXT static uintptr_t tstate_of_ident(const struct ts_walk *w, uintptr_t t, uintptr_t arg)
{
	return peek_word(t + w->thread_id) == *(const uintptr_t *)arg ? t : 0;
}

/* 3.11: the qualified name (co_qualname) of the frame after q's last one (the innermost after a
 * header) of the thread q->ident, if its co_name is name: its length in out (ASCII,
 * NUL-terminated); 0 if not found (another version, a frame gone, a name not ASCII), which
 * ends the block's lookups. Reads only (py_peek); no lock. async-signal-safe */
COLD_TEXT static int py_frame_qualname(struct py_qual *q, const char *name, char *out, size_t cap)
{
	struct ts_walk w;
	uintptr_t code;
	char fn[128];
	if (!py.rt311 || !q->ident || q->done || !pyx_resolve() || !ts_walk_init(&w))
		return 0;
	if (!q->frame) {
		uintptr_t t = ts_walk(&w, tstate_of_ident, (uintptr_t)&q->ident);
		q->frame = t ? peek_word(peek_word(t + 56) + 8) : 0;
	} else {
		q->frame = peek_word(q->frame + 48);
	}
	code = q->frame ? peek_word(q->frame + 32) : 0;
	if (!code || !pyx.code_type || peek_word(code + 8) != pyx.code_type ||
	    !peek_ascii(&pyname_311, peek_word(code + 120), fn, sizeof fn) || shim_strcmp(fn, name)) {
		q->done = 1;
		return 0;
	}
	return peek_ascii(&pyname_311, peek_word(code + 128), out, cap);
}

/* A line of 3.11's faulthandler text (_Py_DumpTracebackThreads, _Py_DumpTraceback), in order,
 * q following the blocks (zeroed before the first line): a header resets it ("Stack (most recent
 * call first):", the calling thread's, whose thread_id is its pthread_self() as
 * PyThread_get_thread_ident's; "Thread 0x..." or "Current thread 0x...", that thread's); each
 * "  File "x.py", line N in NAME" is its next frame, and comes back in out (cap bytes) with the
 * frame's qualified name for NAME (py_frame_qualname: "Conn.__del__", as 3.13+'s dump_frame
 * writes). Returns out, or line itself (any other line, another version, a name not found).
 * Cost: per block one walk of the thread states, per frame line five reads. async-signal-safe */
COLD_TEXT const char *py_line_qualified(struct py_qual *q, const char *line, char *out, size_t cap)
{
	const char *in = NULL, *p;
	char name[256];
	size_t head;
	int n;
	if (!shim_strncmp(line, "Stack ", 6)) {
		*q = (struct py_qual){(uintptr_t)pthread_self(), 0, 0};
		return line;
	}
	if ((line[0] == 'T' || line[0] == 'C') && (p = shim_strstr(line, "hread 0x")) != NULL) {
		*q = (struct py_qual){0, 0, 0};
		for (p += 8; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
			q->ident = q->ident * 16 + (uintptr_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
		return line;
	}
	if (shim_strncmp(line, "  File ", 7))
		return line;
	for (p = line; (p = shim_strstr(p, " in ")) != NULL; p += 4)
		in = p;
	if (!in || (n = py_frame_qualname(q, in + 4, name, sizeof name)) <= 0 ||
	    (head = (size_t)(in + 4 - line)) + (size_t)n >= cap)
		return line;
	memcpy(out, line, head);
	memcpy(out + head, name, (size_t)n + 1);
	return out;
}

/* /proc/self/task/TID/comm (TID 0: /proc/self/comm) into out, without its newline; its length,
 * 0 if unreadable */
COLD_TEXT static int task_comm(pid_t tid, char *out, size_t cap)
{
	char path[48] = "/proc/self/task/";
	size_t k = tid ? 16 + fmt_dec(path + 16, tid) : 10;
	long n;
	memcpy(path + k, "/comm", 6);
	if ((n = proc_read(path, out, cap)) <= 0)
		return 0;
	if (out[n - 1] == '\n')
		n--;
	out[n] = 0;
	return (int)n;
}

/* 3.14 names the OS thread after its threading.Thread (15 bytes of it): the thread's comm where
 * it is not the process's (a thread Python did not name keeps that) */
COLD_TEXT static int thread_name_comm(pid_t tid, char *out, size_t cap)
{
	char proc_comm[32];
	int n = task_comm(tid, out, cap);
	if (!n || (task_comm(0, proc_comm, sizeof proc_comm) && !shim_strcmp(out, proc_comm)))
		return 0;
	return n;
}

/* The name of thread tid's threading.Thread into out (cap bytes); its length, 0 if not known. */
COLD_TEXT int py_thread_name(pid_t tid, char *out, size_t cap)
{
	/* looked up once per interpreter module (py.mod): the same for every thread asked about */
	static struct module *looked COLD_BSS;
	static void *(*thread_head)(void *) COLD_BSS, *(*thread_next)(void *) COLD_BSS;
	static int is_311 COLD_BSS;
	char fn[16];
	if (!py_alive() || !pyx_resolve())
		return 0;
	if (pyoff_usable())
		return ((pyx.raw[1] >> 16) & 0xff) == 13 ? thread_name_313(tid, out, cap) : thread_name_comm(tid, out, cap);
	if (!pyx.interp_head || !pyx.interp_next)
		return 0;
	if (looked != py.mod) {
		const uint32_t *version = (const uint32_t *)module_dynsym_lookup(py.mod, "Py_Version");
		is_311 = version && (*version >> 16) == 0x030b;
		thread_next = (void *(*)(void *))module_dynsym_lookup(py.mod, "PyThreadState_Next");
		thread_head = (void *(*)(void *))module_dynsym_lookup(py.mod, "PyInterpreterState_ThreadHead");
		looked = py.mod;
	}
	if (!is_311 || !thread_head || !thread_next)
		return 0;
	for (void *interp = pyx.interp_head(); interp; interp = pyx.interp_next(interp))
		for (uintptr_t t = (uintptr_t)thread_head(interp); t; t = (uintptr_t)thread_next((void *)t)) {
			if ((pid_t)peek_word(t + 160) != tid)
				continue;
			for (int attempt = 0; attempt < NAME_READS; attempt++) {
				uintptr_t frame, outer = 0;
				int depth = 0;
				for (frame = peek_word(peek_word(t + 56) + 8); frame && depth < 1000;
				     frame = peek_word(frame + 48), depth++)
					outer = frame;
				if (outer && peek_ascii(&pyname_311, peek_word(peek_word(outer + 32) + 120), fn, sizeof fn) &&
				    !shim_strcmp(fn, "_bootstrap"))
					return attr_of(&pyname_311, peek_word(outer + 72), "_name", out, cap);
				sys0(SYS_sched_yield);
			}
			return 0;
		}
	return 0;
}

/* ---- what a thread blocked on a Python lock waits for, for the hang watchdog ----
 * A Python lock records no owner, but three waits can be named from memory alone (py_peek, no
 * lock, no allocation, no call into the interpreter):
 * - a join: 3.11's Thread.join and threading._shutdown acquire the joined thread's _tstate_lock,
 *   which that thread's _set_sentinel created and holds until its thread state is deleted
 *   (Modules/_threadmodule.c: its thread state's on_delete_data is a weakref to the lock). The
 *   joiner waits in sem_wait on the lock's semaphore (PyThread_type_lock: a sem_t whose futex word
 *   is its first, glibc's new_sem on x86-64), so the thread state whose sentinel's lock_lock is
 *   that semaphore is the joined thread. 3.13 and 3.14 join through the thread's handle
 *   (ThreadHandle_join: PyEvent_WaitTimed on handle->thread_is_exiting), parking on a semaphore
 *   of the joiner's own (below); the handle's ident is the joined thread's pthread_t.
 * - an RLock: rlock_owner (the owner's thread ident, a pthread_t; 0 when free) is 24 bytes into
 *   the object in 3.11, 3.13 (rlockobject) and 3.14 (_PyRecursiveMutex.thread); the thread state
 *   whose thread_id is that ident gives the tid.
 * - a plain Lock: its object is found, and it has no owner.
 * The lock object is found on the waiter's stack where the wait is a sem_wait on its
 * PyThread_type_lock (3.11's Lock and RLock, 3.13's RLock: lock_lock 16 bytes into the object):
 * a word of the stack (the C method's self, kept there by the calls below it) that is an object
 * of type "_thread.lock" or "_thread.RLock" whose lock_lock is the semaphore. Where the wait parks
 * (3.13+: PyMutex, PyEvent; Python/parking_lot.c), the futex is the semaphore inside the parked
 * thread's struct wait_entry {park_arg, addr, sema, ...} on its stack, so 8 bytes before it is
 * the address parked on: a PyMutex 16 bytes into a "_thread.lock" (3.13, 3.14) or
 * "_thread.RLock" (3.14), or a handle's thread_is_exiting (3.13, 3.14: ThreadHandle {node,
 * shutdown_node, ident, os_handle, has_os_handle, state, mutex, thread_is_exiting...}: ident
 * 25 bytes before it), taken as a join only when the futex is within 16 KiB above the waiter's
 * stack pointer, the event's byte says a thread is parked on it, and that ident is a live thread
 * state's.
 * Offsets of 3.11.2 (Debian 12; Include/cpython/pystate.h, checked with ctypes): PyThreadState
 * next +8, thread_id +152, native_thread_id +160, on_delete_data +192; PyInterpreterState
 * threads.head +16, next +0; _PyRuntime interpreters.head +40; PyWeakReference wr_object +16;
 * PyTypeObject tp_name +24. 3.13/3.14 thread states through _Py_DebugOffsets. */

#define PY_WAIT_STACK_BYTES (16 << 10) /* how far above its stack pointer a waiter's stack is searched */

/* whether obj's type's tp_name is name (at most 15 characters) */
COLD_TEXT static int type_named(uintptr_t obj, const char *name)
{
	char buf[16];
	size_t n = shim_strlen(name) + 1;
	uintptr_t type = peek_word(obj + 8), tp_name = type ? peek_word(type + 24) : 0;
	return tp_name && n <= sizeof buf && py_peek(tp_name, buf, n) == 0 && !shim_memcmp(buf, name, n);
}

/* Calls fn on each thread state of each interpreter through the debug offsets (3.13+; the caller
 * checked pyx), until fn returns nonzero: that value, or 0 (ts_walk's loop and bounds). */
struct each_tstate_call {
	int (*fn)(struct pysink *, uintptr_t, void *);
	struct pysink *s;
	void *arg;
};
COLD_TEXT static uintptr_t each_tstate_one(const struct ts_walk *w, uintptr_t t, uintptr_t c)
{
	const struct each_tstate_call *e = (const struct each_tstate_call *)c;
	(void)w;
	return (uintptr_t)(unsigned)e->fn(e->s, t, e->arg);
}
COLD_TEXT static int each_tstate(int (*fn)(struct pysink *, uintptr_t, void *), struct pysink *s, void *arg)
{
	struct each_tstate_call e = {fn, s, arg};
	struct ts_walk w;
	ts_walk_pyx(&w);
	return (int)(unsigned)ts_walk(&w, each_tstate_one, (uintptr_t)&e);
}

/* ts_walk's: the native thread id of the thread state whose thread_id (pthread_t) is ident */
COLD_TEXT static uintptr_t ts_of_ident(const struct ts_walk *w, uintptr_t t, uintptr_t ident)
{
	return peek_word(t + w->thread_id) == ident ? (uintptr_t)(pid_t)peek_word(t + w->native_id) : 0;
}

/* ts_walk's, 3.11: the thread state whose _tstate_lock's semaphore is sem */
COLD_TEXT static uintptr_t ts_of_sentinel(const struct ts_walk *w, uintptr_t t, uintptr_t sem)
{
	uintptr_t wr = peek_word(t + 192), lock = wr ? peek_word(wr + 16) : 0;
	(void)w;
	return lock && peek_word(lock + 16) == sem && type_named(lock, "_thread.lock") ? t : 0;
}

/* The lock object on the stack above sp whose lock_lock is sem, or 0 */
COLD_TEXT static uintptr_t lock_on_stack(uintptr_t sp, uintptr_t sem)
{
	uintptr_t words[64], obj[3];
	for (uintptr_t at = sp & ~(uintptr_t)7; at < sp + PY_WAIT_STACK_BYTES; at += sizeof words) {
		if (py_peek(at, words, sizeof words) != 0)
			return 0; /* the stack's end */
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (!(words[i] & 7) && py_peek(words[i], obj, sizeof obj) == 0 && obj[2] == sem && obj[0] > 0 &&
			    obj[0] < ((uintptr_t)1 << 48) && (type_named(words[i], "_thread.lock") || type_named(words[i], "_thread.RLock")))
				return words[i];
	}
	return 0;
}

/* What thread tid, blocked in a futex wait on the word futex with its stack pointer at sp (0: not
 * known), waits for, where it is a Python lock: w->what "join" (w->holder the joined thread's
 * tid), "rlock" (w->holder its owner's tid, 0 if it has none now or it is not a thread of an
 * interpreter), "lock" (a threading.Lock, or what waits on one: no owner); w->lock the lock
 * object, or for a 3.13+ join the handle's event. 0 (w->what NULL) if it is none of these or not
 * known (3.12, no interpreter). For the watchdog's thread; memory reads only. */
COLD_TEXT int py_lock_wait(uintptr_t futex, uintptr_t sp, struct py_lock_wait *w)
{
	struct ts_walk tw;
	uintptr_t obj = 0, parked = 0, joined;
	unsigned char state = 0;
	w->what = NULL;
	w->lock = 0;
	w->holder = 0;
	if (!futex || !py_alive() || !pyx_resolve() || !ts_walk_init(&tw))
		return 0;
	if (py.rt311 && (joined = ts_walk(&tw, ts_of_sentinel, futex)) != 0) {
		w->what = "join";
		w->lock = peek_word(peek_word(joined + 192) + 16);
		w->holder = (pid_t)peek_word(joined + tw.native_id);
		return 1;
	}
	/* parked (3.13+): the entry is on the waiter's own stack, just above its stack pointer */
	if (!py.rt311 && sp && futex > sp && futex - sp < PY_WAIT_STACK_BYTES) {
		parked = peek_word(futex - 8);
		if (parked > 16 && (type_named(parked - 16, "_thread.lock") || type_named(parked - 16, "_thread.RLock")))
			obj = parked - 16;
		/* a join: the event's byte says a thread is parked on it (_Py_HAS_PARKED, 2: pycore_lock.h) */
		else if (parked > 25 && py_peek(parked, &state, 1) == 0 && state == 2 &&
			 (w->holder = (pid_t)ts_walk(&tw, ts_of_ident, peek_word(parked - 25))) > 0) {
			w->what = "join";
			w->lock = parked;
			return 1;
		}
	}
	if (!obj && sp) /* a sem_wait on the lock's PyThread_type_lock (3.11; 3.13's RLock) */
		obj = lock_on_stack(sp, futex);
	if (obj) {
		w->lock = obj;
		if (type_named(obj, "_thread.lock")) {
			w->what = "lock";
		} else {
			uintptr_t owner = peek_word(obj + 24);
			w->what = "rlock";
			w->holder = owner ? (pid_t)ts_walk(&tw, ts_of_ident, owner) : 0;
		}
		return 1;
	}
	w->holder = 0;
	return 0;
}

/* Our own exports must not be mistaken for libpython's. Without the shim's module table (shim
 * off), search every loaded object but ourselves. */
struct find_ctx {
	const char *name;
	void *found;
};

EXIT_TEXT static int find_cb(struct dl_phdr_info *info, size_t size, void *data)
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

EXIT_TEXT static void *py_real(const char *name, void *known)
{
	struct find_ctx f = {name, NULL};
	if (known)
		return known;
	shim_dl_iterate(find_cb, &f);
	return f.found;
}

EXIT_TEXT static int finalize_common(const char *name, int ex)
{
	void *fn = py_real(name, ex ? (void *)py.finalize_ex : (void *)py.finalize);
	int saved = errno, ret = 0;
	struct tline l;

	if (!fn)
		return -1; /* nobody defines it: no interpreter to finalize */
	pyatexit_scan(); /* Py_AtExit functions registered where the shim could not see */
	if (shim_enter()) {
		routine_flush_end(0); /* teardown begins: what threads kept comes first */
		modules_sync();
		tl_begin(&l, "py_fin");
		tl_word(&l, name);
		tl_end(&l);
		watchdog_teardown("py_fin");
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

EXIT_TEXT EXPORT void Py_Finalize(void) { (void)finalize_common("Py_Finalize", 0); }
EXIT_TEXT EXPORT int Py_FinalizeEx(void) { return finalize_common("Py_FinalizeEx", 1); }

/* ---- sub-interpreters (mod_wsgi creates one per application group, and destroys it at stop) ---- */

COLD_TEXT EXPORT void *Py_NewInterpreter(void)
{
	void *(*fn)(void) = (void *(*)(void))py_real("Py_NewInterpreter", NULL);
	int saved = errno;
	void *tstate;
	struct tline l;
	if (!fn)
		return NULL;
	tstate = fn();
	saved = errno;
	if (shim_enter()) {
		modules_sync();
		tl_begin(&l, "py_new_interp");
		tl_hex(&l, (uintptr_t)tstate);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
	return tstate;
}

/* mod_wsgi's name for the sub-interpreter whose thread state is current, its application group
 * ("127.0.0.1:8080|", "host|/path"): sys.modules["mod_wsgi"].application_group, which mod_wsgi sets
 * in every interpreter it creates (wsgi_interp.c, 4.9 to 6.0). Read with the C API, so only where
 * the caller holds the GIL with that thread state current, as Py_EndInterpreter requires of its
 * caller: skipped unless tstate is the calling thread's current one (a caller breaking that rule
 * meets Py_EndInterpreter's own fatal error, not a fault here), or if an exception is pending; any
 * it raises is cleared. Into out (cap bytes, cut); 0 if there is no such name (not mod_wsgi).
 * Not async-signal-safe: once per interpreter's end. */
COLD_TEXT static int interp_group_name(void *tstate, char *out, size_t cap)
{
	void *(*current)(void) = (void *(*)(void))py_real("PyThreadState_GetUnchecked", NULL); /* 3.13+ */
	void *(*occurred)(void) = (void *(*)(void))py_real("PyErr_Occurred", NULL);
	void *(*sys_get)(const char *) = (void *(*)(const char *))py_real("PySys_GetObject", NULL);
	void *(*dict_get)(void *, const char *) = (void *(*)(void *, const char *))py_real("PyDict_GetItemString", NULL);
	void *(*getattr)(void *, const char *) = (void *(*)(void *, const char *))py_real("PyObject_GetAttrString", NULL);
	const char *(*utf8)(void *) = (const char *(*)(void *))py_real("PyUnicode_AsUTF8", NULL);
	void (*decref)(void *) = (void (*)(void *))py_real("Py_DecRef", NULL);
	void (*clear)(void) = (void (*)(void))py_real("PyErr_Clear", NULL);
	void *modules, *mod, *name;
	const char *s;
	size_t n = 0;
	if (!current)
		current = (void *(*)(void))py_real("_PyThreadState_UncheckedGet", NULL); /* 3.11, 3.12 */
	if (!current || !tstate || current() != tstate || !occurred || !sys_get || !dict_get || !getattr || !utf8 ||
	    !decref || !clear || occurred())
		return 0;
	if (!(modules = sys_get("modules")) || !(mod = dict_get(modules, "mod_wsgi")))
		return 0;
	if (!(name = getattr(mod, "application_group"))) {
		clear();
		return 0;
	}
	if ((s = utf8(name)) != NULL) {
		n = shim_strlen(s) < cap - 1 ? shim_strlen(s) : cap - 1;
		memcpy(out, s, n);
		out[n] = 0;
	}
	decref(name);
	if (occurred())
		clear();
	return s != NULL;
}

COLD_TEXT EXPORT void Py_EndInterpreter(void *tstate)
{
	void (*fn)(void *) = (void (*)(void *))py_real("Py_EndInterpreter", NULL);
	int saved = errno;
	struct tline l;
	char name[256];
	if (!fn)
		return;
	if (shim_enter()) {
		modules_sync();
		tl_begin(&l, "py_end_interp");
		tl_hex(&l, (uintptr_t)tstate);
		if (interp_group_name(tstate, name, sizeof name))
			tl_str(&l, name);
		tl_end(&l);
		watchdog_teardown("py_end_interp");
		shim_leave();
	}
	errno = saved;
	ts.in_end_interp++;
	fn(tstate);
	ts.in_end_interp--;
	saved = errno;
	if (shim_enter()) {
		tl_begin(&l, "py_end_interp_end");
		tl_hex(&l, (uintptr_t)tstate);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
}

/* ---- /usr/bin/python3: Py_FinalizeEx is an internal call; what it does first that blocks is
 * threading._shutdown joining the non-daemon threads (a sem_wait, or a timed join's
 * sem_clockwait, on the main thread), then the atexit callbacks, which may wait for a lock, sleep
 * or poll (sleeps.c). Such a wait on the main thread while the state reads PY_ATEXIT (3.11, 3.12:
 * a return address inside Py_FinalizeEx on the main thread's stack; 3.13+: the main
 * interpreter's finalizing flag) starts the hang watchdog (py_fin_blocking). Python calls
 * sem_clockwait for a Python lock only when it is taken (it tries sem_trywait first, 3.11's
 * Modules/_threadmodule.c acquire_timed; 3.13+ parks only then, Python/lock.c), and sem_wait for
 * one of its own C-level locks also when it is free (python3's start: sem_wait does not ask
 * then); a sleep or a poll with a timeout may block (a select loop whose descriptors are ready
 * returns at once), hence fin_memo. */

/* The calling thread is python3's main one (where Py_Finalize runs: Py_RunMain), in a process
 * whose interpreter was found. The caller tested py_ready. */
EXIT_TEXT static int py_main_thread(void) { return py.fin_lo && shim_gettid() == trace_pid_get(); }

/* Negative answers of py_fin_blocking, so that a loop of the program's own main code that polls
 * or sleeps (a server's select loop, ready at once) does not scan its stack at every call: the
 * stack pointer of the check (bytes) and when it answered (ns, CLOCK_MONOTONIC_COARSE: a tenth of
 * CLOCK_MONOTONIC's cost here, now_coarse_ns). The same stack
 * pointer within FIN_RECHECK_NS of a negative answer is taken as the same caller, still outside
 * Py_FinalizeEx, without a scan; a callback that blocks at the very depth of an earlier wait of
 * the main code is then seen up to that much later (and its wait no earlier than its next call).
 * Main thread only: no lock. Measured (callgrind, a python3 loop of poll(1000) on a ready pipe,
 * docs/design.md): ~5,900 instructions per call scanning every time, ~120 with this; bench/run
 * pyloop times it. */
#define FIN_MEMO 4
#define FIN_RECHECK_NS 100000000u /* 100 ms */
#define FIN_T_SHIFT 20            /* the times kept in units of 2^20 ns (~1.05 ms), 32 bits */
/* (thread-local, though only the main thread's is used: memory ld.so writes at every start, so
 * that main code's reads after Py_Initialize, which ask here (reads.c), touch no page of the
 * shim's own, as EXIT_BSS would at every python3 start (t040; the start-up page's .bss has no
 * room: a 16-byte array there took it past its page). Packed to 32 bytes, since every thread of
 * every program carries it in its static TLS, on its stack (t062): each entry the low 32 bits of the
 * stack pointer (a stack is far smaller than 4 GiB) and its time in 2^20 ns units (wrapping
 * every ~52 days; compared by unsigned difference); a new depth takes the oldest entry's place.) */
static __thread struct {
	uint32_t sp, t;
} fin_memo[FIN_MEMO];
static pid_t fin_seen_pid EXIT_BSS; /* the process whose teardown py_fin_blocking began, as with
				     * TLSTRACE_HANG_MS=0 no watchdog says so (a fork child's is its own) */

EXIT_TEXT static int fin_signal_since(uint64_t t);

/* Where python3 runs its own Py_FinalizeEx: main -> Py_BytesMain -> Py_RunMain -> Py_FinalizeEx,
 * the first frames of the main thread's stack; a return address into Py_FinalizeEx lies within
 * FIN_TOP_BYTES of its top (__libc_stack_end) there: 3.11 under the shim, Py_FinalizeEx entered
 * 632 bytes below it (gdb), its callees' return addresses a frame further. So for the
 * executable's own interpreter (module 0, the one /usr/bin/python3 links statically), 3.11 and
 * 3.12 (no public finalizing flag: py_state scans the stack), with no interposed Py_Finalize
 * running (an embedder's, whose depth is not known: proc.pyfin_depth), none in those bytes means
 * not in Py_FinalizeEx: py_state's whole-stack scan, and fd_may_block's two system calls before
 * it, are not needed. The reads of python3's start are such calls: 6 system calls less in
 * `python3 -c pass` (3 reads at new stack depths; 16 in a start slowed down, strace -k, where
 * fin_memo's 100 ms run out: t463), more with more imports. A
 * program that links CPython in and calls Py_FinalizeEx itself deeper than that is not told
 * apart by this check (a read blocking in it is not seen to begin its teardown). Main thread
 * (the caller checked py_main_thread); 512 words read. */
#define FIN_TOP_BYTES 4096
EXIT_TEXT static int fin_not_at_top(int init, int fin)
{
	uintptr_t top = (uintptr_t)__libc_stack_end, sp = (uintptr_t)__builtin_frame_address(0);
	if (!init || fin || !py.mod || py.mod->id != 0 || py.public_finalizing || atomic_load(&proc.pyfin_depth))
		return 0;
	/* (a stack that shallow: its whole scan, py_state's own) */
	return !stack_holds_from(top - sp > FIN_TOP_BYTES ? top - FIN_TOP_BYTES : sp, &py.fin_lo, &py.fin_hi, 1);
}

/* The calling thread is about to block: a lock wait (sem_wait), or a sleep, poll or timed wait
 * with a nonzero timeout (sleeps.c). On python3's main thread, with no watchdog yet, Py_FinalizeEx
 * running (py_state() reads PY_ATEXIT: threading._shutdown's join, an atexit callback) begins the
 * teardown here: the watchdog counts from now, why py_fin_stack; so does its later part, the
 * runtime finalizing (PY_FINALIZING: a __del__ run by the modules' teardown or its garbage
 * collection, when no wait in the atexit callbacks began it), why py_fin_late. The watchdog's
 * snapshots then read the tracebacks as faulthandler's dump_traceback_later thread would there
 * (3.11 stops that thread only after finalize_modules; docs/design.md). PY_FIN_BEGAN if it began here,
 * PY_FIN_SIGNALLED if a termination signal arrived at a handler meanwhile (fin_signal_since: the
 * caller then returns as a wait that signal interrupted would, EINTR, without waiting), else 0.
 * The caller tested py_ready (py_interp_found) and keeps errno; not inside the shim. Not under valgrind (the
 * stack scan reads words it takes for uninitialised). Cost: py_state(), in 3.11 and 3.12 a scan
 * of the main thread's stack, at most once per FIN_RECHECK_NS for one stack depth (fin_memo); a
 * coarse clock read (vDSO) for a depth seen before. */
EXIT_TEXT int py_fin_blocking(void) { return py_fin_blocking_fd(-1); }

/* py_fin_blocking for a call on descriptor fd (shim.h), or none (fd < 0). In python3 itself
 * (3.11, 3.12) the top of the main thread's stack answers first (fin_not_at_top: 512 words, no
 * system call): python3's imports after Py_Initialize (16 reads in `python3 -c pass`, 56 with
 * json and argparse imported) are told so. Elsewhere a call whose fd cannot wait (a regular
 * file's read) begins nothing: told by fd_may_block's two system calls (~1 us each in this VM)
 * before the stack scan (~2-5 us), and remembered as a negative answer of the scan is (a loop
 * reading a file in chunks pays them once per FIN_RECHECK_NS), with the same blind spot: a call
 * at that very depth within FIN_RECHECK_NS is not looked at. */
EXIT_TEXT int py_fin_blocking_fd(int fd)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uint64_t now = 0;
	int i, init, fin;
	if (!py_main_thread())
		return 0;
	/* a negative answer at this depth less than FIN_RECHECK_NS ago: the same, whatever the gates
	 * below would say (each of them answers 0 too), before them (a main-code loop's read pays
	 * this lookup and a coarse clock read only) */
	for (i = 0; i < FIN_MEMO && fin_memo[i].sp != (uint32_t)sp; i++)
		;
	if (i < FIN_MEMO && (uint32_t)((now = now_coarse_ns()) >> FIN_T_SHIFT) - fin_memo[i].t < (FIN_RECHECK_NS >> FIN_T_SHIFT))
		return 0;
	if (watchdog_armed()) {
		if ((fd < 0 || fd_may_block(fd)))
			watchdog_resume_deferred(); /* (its thread ended for a fork: watchdog.c) */
		return 0;
	}
	if (RUNNING_ON_VALGRIND || atomic_load(&py_suspended) ||
	    atomic_load_explicit(&py_before_main, memory_order_relaxed) || atomic_load(&proc.pyfin_depth))
		return 0; /* (an interposed Py_Finalize began it: finalize_common) */
	/* initialized: the atexit callbacks if the state reads A; the runtime finalizing (3.11:
	 * _PyRuntime._finalizing; 3.13+: Py_IsFinalizing, the runtime's too), "initialized" cleared
	 * with it: the modules' teardown and its garbage collection, if the state reads F (the
	 * interpreter still on the list: not after Py_FinalizeEx, where 3.11 leaves the flag set) */
	py_flags(&init, &fin);
	if (!init && !fin)
		return 0;
	if (fin_not_at_top(init, fin) || (fd >= 0 && !fd_may_block(fd)) || py_state() != (fin ? PY_FINALIZING : PY_ATEXIT)) {
		uint32_t t = (uint32_t)((now ? now : now_coarse_ns()) >> FIN_T_SHIFT);
		if (i == FIN_MEMO) { /* (the oldest entry's place) */
			for (int k = i = 0; k < FIN_MEMO; k++)
				if (t - fin_memo[k].t > t - fin_memo[i].t)
					i = k;
			fin_memo[i].sp = (uint32_t)sp;
		}
		fin_memo[i].t = t;
		return 0;
	}
	if (fin_seen_pid == trace_pid_get() || !shim_enter())
		return 0;
	now = now_ns();
	fin_seen_pid = trace_pid_get();
	watchdog_teardown(fin ? "py_fin_late" : "py_fin_stack");
	shim_leave();
	return fin_signal_since(now) ? PY_FIN_SIGNALLED : PY_FIN_BEGAN;
}

/* A SIGTERM, SIGINT or SIGQUIT arrived at a handler of the program's on this thread at or after
 * t (ns, CLOCK_MONOTONIC; watchdog_signal_arrival's record). While py_fin_blocking began the
 * teardown (threads_alive, hang_arm, the watchdog's thread: ~0.1-1 ms) Python's C-level handler
 * may have run and only set its flag; the wait the caller is about to make would then block until
 * its end before Python runs the Python handler, where without the shim a signal this early
 * would have cut the wait short (t283 on 3.13: a SIGTERM at the callback's first sleep, its
 * handler late by 4.9 s). async-signal-safe */
EXIT_TEXT static int fin_signal_since(uint64_t t)
{
	struct signal_keep *k = signal_keep();
	return atomic_load(&k->arrival_ns) >= t && atomic_load(&k->arrival_pid) == trace_pid_get() &&
	       atomic_load(&k->arrival_tid) == shim_gettid();
}

/* After PY_FIN_SIGNALLED, for a wait a handler ends with EINTR only without SA_RESTART (a futex:
 * the sem_*wait family, signal(7)): 1 if a handler of SIGTERM, SIGINT or SIGQUIT has SA_RESTART
 * (the kernel's action for a program's handler is term_trampoline with the program's flags:
 * crash.c kernel_action_for). A raw rt_sigaction read each; the caller is on that rare path. */
EXIT_TEXT int py_fin_signal_restarts(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGQUIT};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct ksigaction k;
		if (sys4(SYS_rt_sigaction, sigs[i], 0, &k, sizeof k.mask) == 0 && k.handler == (uintptr_t)term_trampoline &&
		    (k.flags & SA_RESTART))
			return 1;
	}
	return 0;
}

/* 1 if the interpreter's code at pc is where a C-level signal handler of Python's lives: the
 * handler that arrived only marks the signal, the Python function runs later (py_in_signal_handler) */
EXIT_TEXT int py_owns_code(uintptr_t pc)
{
	return atomic_load_explicit(&py_ready, memory_order_acquire) && py.mod && module_of(pc) == py.mod;
}

/* The calling thread (the main one) is inside a Python signal handler: a return address on its
 * stack into the functions that call the handlers (3.11: _PyErr_CheckSignalsTstate, which
 * python3 inlines into PyErr_CheckSignals and _PyErr_CheckSignals; all exported; looked up on
 * first need), or into the parts GCC split off them. Debian's python3.11 keeps the loop that
 * calls the handlers in `_PyErr_CheckSignalsTstate.cold`, reached by a jump from the exported
 * 17-byte entry: the eval loop's pending-call check returns there (a signal that arrived while
 * bytecode ran), PyErr_CheckSignals's inlined copy does not (one that cut a sleep short). Not
 * under valgrind (the scan reads padding). */
#define HANDLER_RANGES 10
static uintptr_t handler_lo[HANDLER_RANGES] COLD_BSS, handler_hi[HANDLER_RANGES] COLD_BSS;

/* Adds to handler_lo/hi from *n the code outside [lo, hi) that the function's rel32 jumps (jmp,
 * jcc) lead to, as its FDE gives it (module_fde_range): its split-off parts. A byte of an
 * operand read as a jump's opcode leads to an address in the module's code with a chance of
 * about its size in 4 GiB; only a part of at most 64 KiB is taken. async-signal-safe */
COLD_TEXT static void handler_parts(uintptr_t lo, uintptr_t hi, int *n)
{
	for (uintptr_t at = lo; lo && at < hi && *n < HANDLER_RANGES; at++) {
		uintptr_t plo, phi;
		int k;
		if (!rel32_target(py.mod, at, hi, 1, 64u << 10, &plo, &phi) || (plo < hi && phi > lo))
			continue; /* (a jump inside the function: its own FDE) */
		for (k = 0; k < *n && handler_lo[k] != plo; k++)
			;
		if (k == *n) {
			handler_lo[k] = plo;
			handler_hi[k] = phi;
			++*n;
		}
	}
}

/* The direct call at or after at, below end (`e8 rel32`) to the first byte of a function of at
 * most max bytes (its FDE: module_fde_range): 1 and that code in [*lo, *hi); *next past the
 * call. 0 if none. A byte of an operand read as the opcode must also land on an FDE's first byte
 * to count. async-signal-safe */
COLD_TEXT static int next_call(uintptr_t at, uintptr_t end, size_t max, uintptr_t *lo, uintptr_t *hi, uintptr_t *next)
{
	for (; at + 5 <= end; at++) {
		int32_t rel;
		uintptr_t to;
		if (*(const unsigned char *)at != 0xe8)
			continue;
		memcpy(&rel, (const void *)(at + 1), 4);
		to = at + 5 + (uintptr_t)(intptr_t)rel;
		if (module_fde_range(py.mod, to, lo, hi) == 0 && *lo == to && *hi - *lo <= max) {
			*next = at + 5;
			return 1;
		}
	}
	return 0;
}

/* 3.13 and 3.14 (Python/ceval_gil.c): the eval loop's pending-call check, _Py_HandlePending,
 * runs the handlers through the static handle_signals and _PyErr_CheckSignalsTstate, neither in
 * the dynamic symbol table (Debian 13's 3.13.5, unstable's 3.14; PyErr_CheckSignals, exported,
 * inlines a copy of its own: a signal that cut a sleep short). Without them a handler that the
 * eval loop ran (a signal that arrived while bytecode ran: 1 run in 4 of t321's on 3.13) was not
 * seen as one, and its watcher ended at once. handle_signals is the direct callee of
 * _Py_HandlePending that first clears the signals-pending bit of the thread's eval_breaker
 * (`lock andq $~2, 0x18(reg)`: _Py_unset_eval_breaker_bit(tstate, _PY_SIGNALS_PENDING_BIT),
 * Include/internal/pycore_ceval.h and pycore_tstate.h's offset, the same in 3.13 and 3.14); its
 * last direct call is _PyErr_CheckSignalsTstate, whose code goes to [*lo, *hi). 1 if found. Reads
 * of the interpreter's code and .eh_frame: async-signal-safe */
COLD_TEXT static int check_signals_static(uintptr_t *lo, uintptr_t *hi)
{
	size_t size = 0;
	uintptr_t hp = module_dynsym_lookup_size(py.mod, "_Py_HandlePending", &size), plo, phi, at, flo, fhi, next;
	if (!hp || module_fde_range(py.mod, hp, &plo, &phi) != 0)
		return 0;
	for (at = plo; next_call(at, phi, 512, &flo, &fhi, &next); at = next) {
		const unsigned char *b = (const unsigned char *)flo;
		int clears = 0;
		for (size_t i = 0; i + 6 <= 32 && flo + i + 6 <= fhi && !clears; i++)
			clears = b[i] == 0xf0 && b[i + 1] == 0x48 && b[i + 2] == 0x83 && (b[i + 3] & 0xf8) == 0x60 &&
				 (b[i + 3] & 7) != 4 && b[i + 4] == 0x18 && b[i + 5] == 0xfd;
		if (clears) {
			int found = 0;
			uintptr_t clo, chi;
			for (uintptr_t c = flo; next_call(c, fhi, 64u << 10, &clo, &chi, &c); found = 1) {
				*lo = clo; /* (the last one stays) */
				*hi = chi;
			}
			return found;
		}
	}
	return 0;
}

/* the functions that run Python's signal handlers, looked up once (a read of the interpreter's
 * symbol table and .eh_frame: async-signal-safe) */
COLD_TEXT static void handler_ranges(void)
{
	static const char *const names[] = {"_PyErr_CheckSignalsTstate", "PyErr_CheckSignals", "_PyErr_CheckSignals"};
	static atomic_int looked COLD_BSS;
	int n = 3;
	if (atomic_load(&looked))
		return;
	for (int i = 0; i < 3; i++) {
		size_t size = 0;
		handler_lo[i] = module_dynsym_lookup_size(py.mod, names[i], &size);
		handler_hi[i] = handler_lo[i] + size;
	}
	if (!handler_lo[0] && !check_signals_static(&handler_lo[0], &handler_hi[0]))
		handler_lo[0] = handler_hi[0] = 0;
	for (int i = 0; i < 3; i++)
		handler_parts(handler_lo[i], handler_hi[i], &n);
	atomic_store(&looked, 1);
}

COLD_TEXT static int py_in_signal_handler(void)
{
	handler_ranges();
	return !RUNNING_ON_VALGRIND && stack_holds(handler_lo, handler_hi, HANDLER_RANGES);
}

/* The main thread, interrupted with its stack pointer at sp (bytes; from a signal handler of the
 * shim's, on another stack), runs a Python signal handler: py_in_signal_handler for that point.
 * Not under valgrind. async-signal-safe */
COLD_TEXT int py_handler_running_at(uintptr_t sp)
{
	handler_ranges();
	return !RUNNING_ON_VALGRIND && stack_holds_from(sp, handler_lo, handler_hi, HANDLER_RANGES);
}

/* The main thread, interrupted with its stack pointer at sp (bytes; from a signal handler of the
 * shim's, on another stack), is in python3's own Py_FinalizeEx (its atexit callbacks, or after
 * them): a return address into it (py.fin_lo, py.fin_hi: its dynamic symbol's size, a tail call
 * followed) above sp. 0 where Py_FinalizeEx is not known. async-signal-safe */
/* 1 if one of the n return addresses ips (another thread's, found by a scan of its stack) lies in
 * one of the nr code ranges (lo[i], hi[i]] (a return address is past its call; a range with lo 0
 * is not known). The scan's counterpart of stack_holds_from. Memory reads only. */
COLD_TEXT static int ips_in_ranges(const uintptr_t *ips, int n, const uintptr_t *lo, const uintptr_t *hi, int nr)
{
	for (int k = 0; k < n; k++)
		for (int i = 0; i < nr; i++)
			if (lo[i] && ips[k] > lo[i] && ips[k] <= hi[i])
				return 1;
	return 0;
}

COLD_TEXT int py_fin_running_at(uintptr_t sp) { return py.fin_lo && stack_holds_from(sp, &py.fin_lo, &py.fin_hi, 1); }

/* The main thread, interrupted by a signal (its context uc, its stack pointer sp): whether it runs
 * a Python signal handler (*in_handler) and whether it is in python3's own Py_FinalizeEx (the
 * result). From its frames unwound from uc where the walk reached main's caller
 * (exitfns_main_caller: the stack walked whole); else by the word scan from sp
 * (py_handler_running_at, py_fin_running_at), which a stale word in a dead stack slot can fool:
 * python3 is not position-independent, its code lies at 0x4xxxxx-0x6xxxxx, which a pure-Python
 * loop's counter reaches in a second, its value left on the stack by the long arithmetic (t359's
 * goes_on case: a snapshot of a program that went on, 1 run in 8). async-signal-safe (the
 * unwinder: unwind.c) */
COLD_TEXT int py_frames_in_context(void *uc, uintptr_t sp, int *in_handler)
{
	uintptr_t ips[64];
	const char *how;
	int n = unwind_from_signal(uc, ips, 64, &how), whole = 0;
	for (int i = 0; i < n && !whole; i++)
		whole = exitfns_main_caller(ips[i]);
	if (!whole) {
		*in_handler = py_handler_running_at(sp);
		return py_fin_running_at(sp);
	}
	*in_handler = py_handler_frames(ips, n);
	return py_fin_frames(ips, n);
}

/* 1 if one of the n return addresses ips (another thread's, found by a scan of its stack) lies in
 * Py_FinalizeEx (as py_fin_running_at). Memory reads only (the handler watcher's thread calls it). */
COLD_TEXT int py_fin_frames(const uintptr_t *ips, int n) { return ips_in_ranges(ips, n, &py.fin_lo, &py.fin_hi, 1); }

/* Before py_handler_frames on another thread: the lookup, from the arrival's signal handler.
 * async-signal-safe */
COLD_TEXT void py_handler_prepare(void)
{
	if (atomic_load_explicit(&py_ready, memory_order_acquire) && py.mod)
		handler_ranges();
}

/* 1 if one of the n return addresses ips (another thread's, found by a scan of its stack) lies
 * in the functions that run Python's signal handlers: that thread runs a Python handler.
 * Memory reads only (the handler watcher's thread calls it). */
COLD_TEXT int py_handler_frames(const uintptr_t *ips, int n) { return ips_in_ranges(ips, n, handler_lo, handler_hi, HANDLER_RANGES); }

/* Thread state t's current (innermost) frame: 3.11's through its cframe, 3.13+'s through the
 * debug offsets; 0 if none */
COLD_TEXT static uintptr_t tstate_frame(uintptr_t t)
{
	return py.rt311 ? peek_word(peek_word(t + 56) + 8) : peek_word(t + pyx.o[O_TS_CURRENT_FRAME]);
}

/* ts_walk's: the thread state of thread tid (its native id) that runs Python code (a current
 * frame: one thread may have one in each sub-interpreter) */
COLD_TEXT static uintptr_t ts_of_tid_running(const struct ts_walk *w, uintptr_t t, uintptr_t tid)
{
	return (pid_t)peek_word(t + w->native_id) == (pid_t)tid && tstate_frame(t) ? t : 0;
}

/* Which of the main thread's Python frames is the Python signal handler it runs, for the hang
 * watchdog (a hang_pyhandler line; docs/trace-format.md): the traceback alone cannot tell the
 * handler from a function the code it interrupted called, unless that code is the module's top
 * level. tid: the main thread's id; sp_of(tid) its stack pointer (bytes; blocked in a call, or
 * interrupted by the watcher's signal; 0 if not known), asked only where the frames can be read.
 * CPython calls a Python handler from C (_PyErr_CheckSignalsTstate, from the eval loop's
 * pending-call check or PyErr_CheckSignals), so the handler's frame is the first frame of an eval
 * loop entered below that C frame on the stack, and the frame it interrupted is in a loop above
 * it. S: the first word from sp up that is a return address into the code that runs the handlers
 * (handler_ranges). Then:
 * - 3.11.2 (Include/cpython/pystate.h, internal/pycore_frame.h; checked with ctypes on Debian 12's
 *   python3.11): each _PyEval_EvalFrameDefault keeps a _PyCFrame on the C stack {use_tracing,
 *   current_frame +8, previous +16}, the innermost at PyThreadState +56 (cframe); a frame's
 *   previous at +48, its is_entry byte at +68 (the first frame that loop ran). The outermost
 *   cframe between sp and S is the handler's loop (the next one out must lie above S: the
 *   interrupted loop); from its current frame back to its entry frame, the handler's.
 * - 3.13, 3.14 (debug offsets): each _PyEval_EvalFrameDefault pushes an entry frame of its own
 *   on the C stack (Python/ceval.c, entry_frame: owner 3 in both, f_executable None, read with
 *   ctypes on Debian 13's 3.13.5 and unstable's 3.14.10), between the frames it runs and its
 *   caller's; tracebacks skip them; every other frame lives in the thread's data stack (the
 *   heap), so a frame's address tells an entry frame. The outermost entry frame between sp and S
 *   is the handler's loop's (the next one out must lie above S); the frame just inside it, the
 *   handler's.
 * Returns that frame's place among the thread's frames as tracebacks print them (innermost 0),
 * and *nframes their number; -1 where it is not found (3.12, no handler on the stack, a stale
 * word taken for S). Memory reads only (py_peek); the watchdog's thread, or the main thread in
 * the watcher's signal handler, calls it. */
COLD_TEXT int py_handler_frame(pid_t tid, uintptr_t (*sp_of)(pid_t), int *nframes)
{
	static uintptr_t words[512] COLD_BSS;
	uintptr_t top = (uintptr_t)__libc_stack_end, sp, at, hit = 0, t, c, ch = 0, frame, handler = 0;
	struct ts_walk w;
	int n, place = -1;
	if (RUNNING_ON_VALGRIND || !py_alive() || !pyx_resolve() || !ts_walk_init(&w))
		return -1;
	sp = sp_of(tid);
	if (!sp || sp >= top || top - sp > (256u << 10))
		return -1;
	handler_ranges();
	for (at = sp & ~(uintptr_t)7; !hit && at < top; at += sizeof words) {
		size_t len = top - at < sizeof words ? (size_t)(top - at) & ~(size_t)7 : sizeof words;
		if (!len || py_peek(at, words, len) != 0)
			return -1;
		for (size_t i = 0; i < len / 8 && !hit; i++)
			for (int k = 0; k < HANDLER_RANGES && !hit; k++)
				if (handler_lo[k] && words[i] > handler_lo[k] && words[i] <= handler_hi[k])
					hit = at + i * 8;
	}
	if (!hit || !(t = ts_walk(&w, ts_of_tid_running, (uintptr_t)tid)))
		return -1;
	if (!py.rt311) { /* 3.13+: entry frames on the C stack */
		int shown = 0, inside = -1;
		for (frame = tstate_frame(t), n = 0; frame && n < 4000; frame = peek_word(frame + pyx.o[O_FR_PREVIOUS]), n++) {
			if (frame < sp || frame >= top)
				shown++; /* (the frames a traceback prints live in the thread's data stack) */
			else if (frame < hit)
				inside = shown - 1; /* (the frame just inside it) */
			else if (place < 0 && inside >= 0)
				place = inside;
		}
		*nframes = shown;
		return place;
	}
	c = peek_word(t + 56);
	for (n = 0; c >= sp && c < hit && n < 1000; n++, c = peek_word(c + 16))
		ch = c;
	if (!ch || c < hit || c >= top) /* (the interrupted loop's cframe is above S) */
		return -1;
	for (frame = peek_word(ch + 8), n = 0; frame && n < 1000; frame = peek_word(frame + 48), n++) {
		unsigned char entry = 0;
		if (py_peek(frame + 68, &entry, 1) != 0)
			return -1;
		if (entry) {
			handler = frame;
			break;
		}
	}
	for (frame = tstate_frame(t), n = 0; handler && frame && n < 1000; frame = peek_word(frame + 48), n++)
		if (frame == handler)
			place = n;
	*nframes = n;
	return place;
}

EXIT_TEXT EXPORT int sem_wait(sem_t *s)
{
	int saved = errno, watched = 0, rc, v, fin = 0;
	if (unlikely(atomic_load_explicit(&py_ready, memory_order_relaxed)) && py_main_thread()) {
		/* (a lock of the interpreter's own, taken in C with no try first: free, it does not
		 * block; python3's start waits on a few that way, t040) */
		if (watchdog_armed()) {
			if (sem_getvalue(s, &v) != 0 || v <= 0)
				watchdog_resume_deferred();
			watched = watchdog_py_wait_begin();
		} else if ((sem_getvalue(s, &v) != 0 || v <= 0) && (fin = py_fin_blocking()) != 0) {
			if (fin == PY_FIN_SIGNALLED && !py_fin_signal_restarts()) {
				pthread_testcancel(); /* (where the real call would act on it) */
				errno = EINTR;
				return -1;
			}
		} else if (atomic_load_explicit(&wd_arrival_py, memory_order_relaxed) &&
			   watchdog_py_arrival_pending() && py_state() == PY_INIT && shim_enter()) {
			/* the main thread blocks soon after a termination signal's arrival at Python's
			 * handler: in the Python handler, or in what it set off */
			watched = watchdog_py_handler_blocks(py_in_signal_handler(), 0);
			shim_leave();
		}
	}
	/* (a C handler on another thread may be blocked: watchdog.c); inside a C handler: it blocks,
	 * unless the count is up (sem_getvalue asked only there) */
	watchdog_before_block(unlikely(hw_put_off.sig) && (sem_getvalue(s, &v) != 0 || v <= 0));
	errno = saved;
	if (likely(!watched))
		return REAL(sem_wait)(s);
	rc = REAL(sem_wait)(s);
	saved = errno;
	watchdog_py_wait_end();
	errno = saved;
	return rc;
}

/* The main thread is about to sleep, poll or wait with a timeout (sleeps.c) in a process with an
 * interpreter: as sem_wait's watch above, for a wait that outlasts the watchdog's last round
 * (timeout_ns, none: UINT64_MAX, at least 4 x TLSTRACE_HANG_MS: a loop of short sleeps or polls, as
 * gunicorn's arbiter's while it waits for its workers, or its main loop's select of 1 s, begins
 * nothing; a retry of the call the signal cut short, nor a wait inside the Python handler,
 * which the handler watcher snapshots, neither) soon after a termination signal arrived at
 * Python's handler (why py_after_handler: watchdog_py_handler_blocks); in a watch begun so, each later wait of any length counts as
 * waiting. 1 if the caller must call watchdog_py_wait_end after its call. The caller keeps errno. */
EXIT_TEXT int py_reaction_sleeps(uint64_t timeout_ns, int retry)
{
	int watched;
	if (!py_main_thread())
		return 0;
	if (watchdog_armed())
		return watchdog_py_wait_begin();
	/* (a retry of the call the signal cut short: the loop that made it goes on, at once or not:
	 * a later wait of the reaction begins the watch) */
	if (retry || timeout_ns / 4 < (uint64_t)cfg.hang_ms * 1000000u || !watchdog_py_arrival_pending() ||
	    py_state() != PY_INIT)
		return 0;
	/* (inside the Python handler: the handler watcher's, which names the handler that never
	 * returned; a stale return address the scan takes for one leaves this wait unwatched, as
	 * before HANG15) */
	if (py_in_signal_handler() || !shim_enter())
		return 0;
	watched = watchdog_py_handler_blocks(0, 1);
	shim_leave();
	return watched;
}

/* ---- the Python handler signal.signal installs ----
 * A short ASCII str object's text into out (n bytes with its NUL): compact and ASCII (state bits
 * 0x20, 0x40: Include/cpython/unicodeobject.h), its characters right after the PyASCIIObject
 * (48 bytes in 3.11, with wstr; 40 in 3.13 and 3.14: sys.getsizeof("") - 1 in each). Returns its
 * length, or -1. Memory reads only. */
COLD_TEXT static int py_ascii_str(uintptr_t obj, uintptr_t unicode_type, char *out, size_t n)
{
	unsigned state = 0;
	int64_t len = 0;
	uintptr_t data = obj + (py.rt311 ? 48 : pyx.o[O_UN_ASCII_SIZE]);
	if (!obj || peek_word(obj + 8) != unicode_type || py_peek(obj + 32, &state, sizeof state) != 0 ||
	    py_peek(obj + 16, &len, sizeof len) != 0 || !(state & 0x20) || !(state & 0x40) || len <= 0 ||
	    (size_t)len >= n || py_peek(data, out, (size_t)len) != 0)
		return -1;
	out[len] = 0;
	for (int64_t i = 0; i < len; i++)
		if (out[i] <= ' ' || out[i] >= 0x7f)
			return -1;
	return (int)len;
}

/* The Python function a signal.signal call now in progress on this thread installs: called from
 * the shim's sigaction wrapper while CPython's PyOS_setsig runs (Modules/signalmodule.c
 * signal_signal_impl, 3.11 and 3.13). Lib/signal.py's signal(signalnum, handler) wraps
 * _signal.signal and still holds the handler in its second local while the C call runs (it stores
 * the result into it only after), so where the thread's innermost Python frame is that wrapper's,
 * its localsplus[1] is the handler: a function (PyFunction_Type) or a bound method (PyMethod_Type,
 * its im_func +16). The function's __module__ (+104) and __qualname__ (+40) go to mod and qual
 * (PyFunctionObject, Include/cpython/funcobject.h: the same offsets in 3.11.2, 3.13.5 and 3.14.10,
 * checked with ctypes). The frame: 3.11's through its cframe, localsplus at +72
 * (internal/pycore_frame.h); 3.13+'s through the debug offsets (a 3.14 _PyStackRef is tagged in
 * its low bits). The frame must be the wrapper's (its code's co_name and co_filename; the report
 * checks the traceback's innermost frame too): before, a direct _signal.signal call named any
 * function object in the caller's second local. 1 if both were
 * read; 0 otherwise (3.12, a handler called _signal.signal directly, SIG_IGN or SIG_DFL, a
 * builtin, a name not ASCII). Memory reads only; the thread holds the GIL. */
COLD_TEXT int py_signal_handler_name(char *mod, size_t nmod, char *qual, size_t nqual)
{
	uintptr_t t = 0, frame, obj, type, func_type, method_type, unicode_type, lsp;
	if (!py_alive() || !pyx_resolve())
		return 0;
	if (py.rt311)
		t = py.this_thread_state ? (uintptr_t)py.this_thread_state() : 0;
	else if (pyoff_usable())
		t = current_tstate();
	func_type = module_dynsym_lookup(py.mod, COLD_NAME("PyFunction_Type"));
	method_type = module_dynsym_lookup(py.mod, COLD_NAME("PyMethod_Type"));
	unicode_type = module_dynsym_lookup(py.mod, COLD_NAME("PyUnicode_Type"));
	if (!t || !func_type || !unicode_type || !(frame = tstate_frame(t)))
		return 0;
	/* the frame is Lib/signal.py's signal(): co_name "signal", co_filename ".../signal.py" (a
	 * direct _signal.signal call from code of the program's has some other second local). 3.11:
	 * f_code at +32 (internal/pycore_frame.h), co_filename +112 and co_name +120 (cpython/code.h;
	 * 3.11.2, checked with ctypes); 3.13+: the debug offsets */
	{
		char name[8], file[256];
		uintptr_t code = peek_word(frame + (py.rt311 ? 32 : pyx.o[O_FR_EXECUTABLE])) & ~(uintptr_t)7;
		int n;
		if (!code || !pyx.code_type || peek_word(code + 8) != pyx.code_type ||
		    py_ascii_str(peek_word(code + (py.rt311 ? 120 : pyx.o[O_CO_NAME])), unicode_type, name, sizeof name) != 6 ||
		    shim_memcmp(name, "signal", 6) ||
		    (n = py_ascii_str(peek_word(code + (py.rt311 ? 112 : pyx.o[O_CO_FILENAME])), unicode_type, file,
				      sizeof file)) < 10 ||
		    shim_memcmp(file + n - 10, "/signal.py", 10))
			return 0;
	}
	lsp = py.rt311 ? 72 : pyx.o[O_FR_LOCALSPLUS];
	obj = peek_word(frame + lsp + 8) & ~(uintptr_t)7;
	type = obj ? peek_word(obj + 8) : 0;
	if (type && type == method_type) {
		obj = peek_word(obj + 16);
		type = obj ? peek_word(obj + 8) : 0;
	}
	if (!type || type != func_type)
		return 0;
	return py_ascii_str(peek_word(obj + 104), unicode_type, mod, nmod) > 0 &&
	       py_ascii_str(peek_word(obj + 40), unicode_type, qual, nqual) > 0;
}

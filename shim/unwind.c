/* unwind.c - native backtraces.
 *
 * libunwind is loaded with dlopen(RTLD_LOCAL), not linked: libunwind.so.8 exports _Unwind_* and a
 * weak backtrace(), which as a dependency of a preloaded library would take over C++ exception
 * unwinding and glibc's backtrace() in every host.
 *
 * Loading it costs ~0.6 ms (two libraries, first unwind), too much for every process start, so by
 * default it is loaded at the first sign that teardown matters in this process, always from a
 * normal (non-signal) context: a thread_local registration, a pthread key with a destructor, an
 * interposed Py_Finalize (unwind_need). TLSTRACE_UNWIND=eager loads it at start. It is warmed up
 * right after loading so that a crash does not initialize it.
 *
 * A crash before that uses what the process already has mapped: libgcc_s's _Unwind_Backtrace
 * (found in memory, nothing loaded), else a frame-pointer walk that stops at the first return
 * address outside known code. The crash_bt line says which one produced it. */
#define _GNU_SOURCE
#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <libunwind.h>
#include <string.h>
#include <ucontext.h>
#include <unwind.h>

#include "shim.h"

static struct {
	int (*init_local)(unw_cursor_t *, unw_context_t *);
	int (*init_local2)(unw_cursor_t *, unw_context_t *, int);
	int (*step)(unw_cursor_t *);
	int (*get_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
	int (*getcontext)(unw_context_t *);
} uw;
static atomic_int uw_state; /* 0 not loaded, 1 loading, 2 ready, 3 unavailable */

COLD_TEXT void unwind_need(void)
{
	void *h;
	uintptr_t warm[8];
	int expected = 0;
	if (atomic_load_explicit(&uw_state, memory_order_acquire) >= 2 ||
	    !atomic_compare_exchange_strong(&uw_state, &expected, 1))
		return;
	h = REAL(dlopen)("libunwind.so.8", RTLD_LAZY | RTLD_LOCAL);
	if (!h) {
		trace_note("libunwind.so.8 not loadable, fallback backtraces only", dlerror());
		atomic_store(&uw_state, 3);
		return;
	}
	uw.init_local = (int (*)(unw_cursor_t *, unw_context_t *))dlsym(h, "_ULx86_64_init_local");
	uw.init_local2 = (int (*)(unw_cursor_t *, unw_context_t *, int))dlsym(h, "_ULx86_64_init_local2");
	uw.step = (int (*)(unw_cursor_t *))dlsym(h, "_ULx86_64_step");
	uw.get_reg = (int (*)(unw_cursor_t *, unw_regnum_t, unw_word_t *))dlsym(h, "_ULx86_64_get_reg");
	uw.getcontext = (int (*)(unw_context_t *))dlsym(h, "_Ux86_64_getcontext");
	if (!uw.init_local || !uw.step || !uw.get_reg || !uw.getcontext) {
		trace_note("libunwind.so.8 lacks the local unwinder, fallback backtraces only", NULL);
		atomic_store(&uw_state, 3);
		return;
	}
	atomic_store_explicit(&uw_state, 2, memory_order_release);
	unwind_here(warm, 8);
	modules_sync();
}

void unwind_init(void)
{
	if (cfg.unwind_eager)
		unwind_need();
}

static int ready(void) { return atomic_load_explicit(&uw_state, memory_order_acquire) == 2; }

COLD_TEXT static int walk(unw_cursor_t *c, uintptr_t *ips, int max)
{
	int n = 0;
	do {
		unw_word_t ip = 0;
		if (uw.get_reg(c, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		ips[n++] = (uintptr_t)ip;
	} while (n < max && uw.step(c) > 0);
	return n;
}

COLD_TEXT int unwind_here(uintptr_t *ips, int max)
{
	unw_context_t ctx;
	unw_cursor_t c;
	if (!ready() || max <= 0 || uw.getcontext(&ctx) != 0 || uw.init_local(&c, &ctx) != 0)
		return 0;
	return walk(&c, ips, max);
}

/* ---- fallbacks for a crash before libunwind was loaded ---- */

struct gcc_walk {
	uintptr_t *ips;
	int n, max, started;
	uintptr_t fault_ip;
	_Unwind_Ptr (*get_ip)(struct _Unwind_Context *);
};

static _Unwind_Reason_Code gcc_frame(struct _Unwind_Context *ctx, void *data)
{
	struct gcc_walk *w = data;
	uintptr_t ip = (uintptr_t)w->get_ip(ctx);
	if (!w->started) {
		/* skip the handler's own frames, up to the interrupted instruction */
		if (ip != w->fault_ip)
			return _URC_NO_REASON;
		w->started = 1;
	}
	w->ips[w->n++] = ip;
	return w->n < w->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

/* libgcc_s, if the process has it mapped (C++ programs do): its unwinder follows the kernel's
 * signal frame. async-signal-safe: looked up in memory, no loading */
static int unwind_libgcc(uintptr_t fault_ip, uintptr_t *ips, int max)
{
	_Unwind_Reason_Code (*backtrace)(_Unwind_Trace_Fn, void *) = NULL;
	struct gcc_walk w = {ips, 0, max, 0, fault_ip, NULL};
	int i, n = module_count();
	for (i = 0; i < n && !backtrace; i++) {
		struct module *m = module_by_id(i);
		if (!atomic_load(&m->loaded) || !m->path || !strstr(m->path, "libgcc_s"))
			continue;
		backtrace = (_Unwind_Reason_Code(*)(_Unwind_Trace_Fn, void *))module_dynsym_lookup(m, "_Unwind_Backtrace");
		w.get_ip = (_Unwind_Ptr(*)(struct _Unwind_Context *))module_dynsym_lookup(m, "_Unwind_GetIP");
	}
	if (!backtrace || !w.get_ip)
		return 0;
	backtrace(gcc_frame, &w);
	return w.n;
}

/* Frame pointers: trusted only while each saved frame lies above the last on the stack and each
 * return address falls in a loaded module. async-signal-safe */
static int unwind_fp(const ucontext_t *u, uintptr_t *ips, int max)
{
	uintptr_t sp = (uintptr_t)u->uc_mcontext.gregs[REG_RSP];
	uintptr_t fp = (uintptr_t)u->uc_mcontext.gregs[REG_RBP];
	int n = 0;
	ips[n++] = (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
	while (n < max && fp >= sp && fp < sp + (8u << 20) && !(fp & 7)) {
		uintptr_t next = ((uintptr_t *)fp)[0], ret = ((uintptr_t *)fp)[1];
		if (!module_of(ret))
			break;
		ips[n++] = ret;
		if (next <= fp)
			break;
		sp = fp;
		fp = next;
	}
	return n;
}

/* From the interrupted context of a signal: frame 0 is the faulting instruction. *how names the
 * unwinder used. async-signal-safe (libunwind's local unwinder, loaded and warmed up earlier) */
COLD_TEXT int unwind_from_signal(void *ucontext, uintptr_t *ips, int max, const char **how)
{
	ucontext_t *u = ucontext;
	unw_cursor_t c;
	unw_context_t ctx;
	int n;
	if (max <= 0)
		return 0;
	if (ready()) {
		*how = "libunwind";
		/* on x86-64 unw_context_t is a ucontext_t */
		memcpy(&ctx, ucontext, sizeof ctx < sizeof(ucontext_t) ? sizeof ctx : sizeof(ucontext_t));
		if (uw.init_local2 ? uw.init_local2(&c, &ctx, UNW_INIT_SIGNAL_FRAME) == 0 : uw.init_local(&c, &ctx) == 0) {
			n = walk(&c, ips, max);
			if (n > 0)
				return n;
		}
	}
	*how = "libgcc";
	n = unwind_libgcc((uintptr_t)u->uc_mcontext.gregs[REG_RIP], ips, max);
	if (n > 0)
		return n;
	*how = "framepointer";
	return unwind_fp(u, ips, max);
}

/* analyze.c - from events to what happened: each process's outcome, begin/end pairs (durations,
 * nesting), the teardown phase of each thread at any moment, and the findings, each with a
 * one-line message, its root cause and a fix hint:
 *   use-after-destroy          a thread_local looked up after its destructor ran (shim: uad)
 *   crash                      a fatal signal, tied to a use-after-destroy or destroyed object
 *   construct-during-teardown  a thread_local created after teardown began or during Py_Finalize
 *   order                      Python finalized from an atexit handler after the thread's
 *                              thread_locals were destroyed; or a thread_local destructor that
 *                              called into Python after it was finalized
 *   key-after-destroy          pthread_get/setspecific on a key whose destructor already ran */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum frame_kind { FK_ATEXIT, FK_PYFIN, FK_TLSDTOR, FK_KEYDTOR, FK_PYATEXIT };

struct tframe {
	int kind;
	struct event *e;
};

struct tstate {
	int tid;
	struct tframe stack[64];
	int depth;
	const struct event *exit_ev;        /* exit/main_return/... by this thread */
	const struct event *thread_exit_ev; /* thread_exit */
	int tls_dtors;                      /* TLS destructors run on this thread */
	int tls_done;
	struct finding *last_uad;
	struct finding *last_late;          /* the last late construction on this thread */
	struct finding *order;              /* the order finding of this thread's Py_Finalize */
};

struct pstate {
	struct proc *p;
	struct tstate *t;
	int nt, capt, last;
};

const char *si_code_name(int sig, int code)
{
	if (code == SI_USER)
		return "SI_USER";
	if (code == SI_TKILL)
		return "SI_TKILL";
	if (code == SI_KERNEL)
		return "SI_KERNEL";
	if (sig == SIGSEGV)
		return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_?";
	if (sig == SIGBUS)
		return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR" : "BUS_?";
	if (sig == SIGFPE)
		return code == FPE_INTDIV ? "FPE_INTDIV" : "FPE_?";
	if (sig == SIGILL)
		return code == ILL_ILLOPN ? "ILL_ILLOPN" : "ILL_?";
	return "?";
}

const char *py_state_name(char py)
{
	switch (py) {
	case PY_NONE: return "no Python";
	case PY_NOTINIT: return "Python not initialized";
	case PY_INIT: return "Python initialized";
	case PY_ATEXIT: return "in Py_Finalize (atexit callbacks)";
	case PY_FINALIZING: return "Python finalizing";
	case PY_DEAD: return "Python finalized";
	}
	return "Python state unknown";
}

static struct tstate *thread_of(struct pstate *ps, int tid)
{
	/* the last thread asked for is the usual answer */
	if (ps->last >= 0 && ps->last < ps->nt && ps->t[ps->last].tid == tid)
		return &ps->t[ps->last];
	for (ps->last = 0; ps->last < ps->nt; ps->last++)
		if (ps->t[ps->last].tid == tid)
			return &ps->t[ps->last];
	if (ps->nt == ps->capt) {
		ps->capt = ps->capt ? ps->capt * 2 : 8;
		ps->t = xrealloc(ps->t, (size_t)ps->capt * sizeof *ps->t);
	}
	memset(&ps->t[ps->nt], 0, sizeof ps->t[ps->nt]);
	ps->t[ps->nt].tid = tid;
	ps->last = ps->nt;
	return &ps->t[ps->nt++];
}

static const struct tframe *innermost(const struct tstate *t, int kind)
{
	int i;
	for (i = t->depth - 1; i >= 0; i--)
		if (t->stack[i].kind == kind)
			return &t->stack[i];
	return NULL;
}

static char *phase_of(const struct proc *p, const struct tstate *t, char py)
{
	char buf[1024];
	size_t n = 0;
	int i;
	buf[0] = 0;
#define PUT(...) (n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, __VA_ARGS__))
	if (t->exit_ev) {
		if (t->exit_ev->type == EV_MAIN_RETURN)
			PUT("main returned %lld", ev_dec(t->exit_ev, 0));
		else
			PUT("%s(%lld)", t->exit_ev->name, ev_dec(t->exit_ev, 0));
	} else if (t->thread_exit_ev) {
		PUT("thread exit (%s)", ev_field(t->thread_exit_ev, 0));
	}
	if (t->tls_dtors && !(t->depth && t->stack[t->depth - 1].kind == FK_TLSDTOR))
		PUT("%s%d TLS destructor%s ran%s", n ? " > " : "", t->tls_dtors, t->tls_dtors == 1 ? "" : "s",
		    t->tls_done ? " (all)" : "");
	for (i = 0; i < t->depth && n < sizeof buf; i++) {
		const struct event *e = t->stack[i].e;
		char *nm;
		PUT("%s", n ? " > " : "");
		switch (t->stack[i].kind) {
		case FK_ATEXIT:
			nm = code_func_name(p, ev_field(e, 1));
			PUT("atexit handler %s", nm);
			free(nm);
			break;
		case FK_PYFIN:
			PUT("%s", ev_field(e, 0));
			break;
		case FK_TLSDTOR:
			nm = tls_display_name(p, ev_dec(e, 0));
			PUT("TLS destructor of %s", nm);
			free(nm);
			break;
		case FK_KEYDTOR:
			PUT("destructor of pthread key %lld", ev_dec(e, 0));
			break;
		case FK_PYATEXIT:
			nm = code_func_name(p, ev_field(e, 1));
			PUT("Py_AtExit function %s", nm);
			free(nm);
			break;
		}
	}
	/* in python3 itself Py_FinalizeEx is not interposed: the shim saw it on the stack */
	if (py == PY_ATEXIT && !innermost(t, FK_PYFIN))
		PUT("%sPy_FinalizeEx (Python atexit callbacks)", n ? " > " : "");
	if (!n)
		PUT("running");
#undef PUT
	return xstrdup(buf);
}

static struct finding *add_finding(struct report *r, const char *kind, enum severity sev, struct proc *p,
				   const struct event *e)
{
	struct finding *f = xmalloc(sizeof *f);
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->severity = sev;
	f->proc = p;
	f->tid = e->tid;
	f->t = e->t;
	f->ev = e;
	f->destroyed_ns = -1;
	f->count = 1;
	if (r->nfindings == r->capfindings) {
		r->capfindings = r->capfindings ? r->capfindings * 2 : 16;
		r->findings = xrealloc(r->findings, (size_t)r->capfindings * sizeof *r->findings);
	}
	r->findings[r->nfindings++] = f;
	return f;
}

static void frames_from(struct finding *f, const struct proc *p, const struct event *e, int first, int fault_first)
{
	int i;
	f->nbt = e->nf > first ? e->nf - first : 0;
	f->bt = xmalloc((size_t)(f->nbt ? f->nbt : 1) * sizeof *f->bt);
	for (i = 0; i < f->nbt; i++) {
		if (code_parse(p, ev_field(e, first + i), &f->bt[i].code) != 0) {
			f->bt[i].code.mod = NULL;
			f->bt[i].code.off = strtoull(ev_field(e, first + i), NULL, 0);
		}
		f->bt[i].is_return = !(fault_first && i == 0);
	}
}


static int is_python_module(const struct module *m)
{
	const char *b = m ? base_name(m->path) : "";
	return !strncmp(b, "libpython", 9) || !strncmp(b, "python3", 7);
}

/* Why a thread_local was read after its destructor, from where it happened. */
static void uad_cause(struct finding *f, const struct proc *p, const struct tstate *t, const char *sym)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT), *pf = innermost(t, FK_PYFIN);
	const struct tframe *td = innermost(t, FK_TLSDTOR), *kd = innermost(t, FK_KEYDTOR);
	if (pf && ax && t->exit_ev) {
		char *h = code_func_name(p, ev_field(ax->e, 1));
		f->root_cause = xasprintf(
			"exit() ran this thread's thread_local destructors first (glibc runs them before atexit "
			"handlers); then the atexit handler %s called %s, and Python code run by it (atexit "
			"callbacks, finalizers) called into native code that reads %s, already destroyed",
			h, ev_field(pf->e, 0), sym);
		f->fix = xasprintf(
			"Finalize Python before exit() destroys the thread's thread_locals, or not at all at exit "
			"(uWSGI: --skip-atexit-teardown); or make the native code check that %s still exists "
			"(e.g. a flag its destructor sets) before Python atexit callbacks use it",
			sym);
		free(h);
	} else if (td) {
		char *other = tls_display_name(p, ev_dec(td->e, 0));
		f->root_cause = xasprintf(
			"the destructor of %s reads %s, which was destroyed before it: a thread's thread_locals are "
			"destroyed in reverse order of construction",
			other, sym);
		f->fix = xasprintf("construct %s before %s (touch it first) so that it is destroyed after, or do "
				   "not use other thread_locals in %s's destructor",
				   sym, other, other);
		free(other);
	} else if (kd) {
		f->root_cause = xasprintf("the destructor of pthread key %lld reads %s: key destructors run after "
					  "the thread's thread_local destructors",
					  ev_dec(kd->e, 0), sym);
		f->fix = xasprintf("do not use C++ thread_locals from pthread key destructors, or release what "
				   "the key holds from %s's destructor instead", sym);
	} else if (ax) {
		char *h = code_func_name(p, ev_field(ax->e, 1));
		f->root_cause = xasprintf("the atexit handler %s reads %s, but exit() destroys the calling thread's "
					  "thread_locals before it runs atexit handlers",
					  h, sym);
		f->fix = xasprintf("do not use thread_locals from atexit handlers (use a function-local static), "
				   "or release the resource from %s's own destructor", sym);
		free(h);
	} else {
		f->root_cause = xasprintf("%s is used after its destructor ran on this thread", sym);
		f->fix = xasprintf("do not use %s during this thread's teardown", sym);
	}
}

static void on_uad(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f;
	const char *how = ev_field(e, 7);
	int maybe = !strcmp(how, "ld?");
	char *sym, *site, *dsym;
	long long seq = ev_dec(e, 0);

	/* fold a repeat of the same (object, site) */
	f = add_finding(r, "use-after-destroy", maybe ? SEV_WARNING : SEV_ERROR, p, e);
	dsym = decode_str(ev_field(e, 4));
	/* the registration may be missing (a trace cut at the front): the uad line names it too */
	sym = proc_find_reg(p, EV_TLS_REG, seq) || !*dsym ? tls_display_name(p, seq) : demangled(dsym);
	free(dsym);
	f->has_tls = 1;
	f->tls_symbol = sym;
	f->tls_address = ev_hex(e, 1);
	f->tls_mod = strcmp(ev_field(e, 2), "-") ? proc_module(p, (int)ev_dec(e, 2)) : tls_reg_module(p, seq);
	f->destroyed_ns = ev_dec(e, 5);
	frames_from(f, p, e, 8, 0);
	f->phase = phase_of(p, t, e->py);
	site = code_full_name(p, ev_field(e, 6), 1);
	f->message = xasprintf("thread %d %s thread_local %s%s%s, %.3f ms after its destructor ran, from %s", e->tid,
			       maybe ? "may have read" : "read", sym, f->tls_mod ? " of " : "",
			       f->tls_mod ? base_name(f->tls_mod->path) : "", (double)f->destroyed_ns / 1e6, site);
	free(site);
	uad_cause(f, p, t, sym);
	if (maybe) {
		char *c = f->root_cause;
		f->root_cause = xasprintf("%s (uncertain: a local-dynamic TLS lookup of this module whose operand "
					  "could not be decoded; the module has destroyed thread_locals)", c);
		free(c);
	}
	t->last_uad = f;
	if (t->order && t->order->severity < SEV_ERROR)
		t->order->severity = SEV_ERROR;
}

static void on_uad_count(struct report *r, struct proc *p, const struct event *e)
{
	int i;
	for (i = r->nfindings - 1; i >= 0; i--) {
		struct finding *f = r->findings[i];
		if (f->proc == p && f->ev && f->ev->type == EV_UAD && f->tid == e->tid &&
		    ev_dec(f->ev, 0) == ev_dec(e, 0) && !strcmp(ev_field(f->ev, 6), ev_field(e, 1))) {
			f->count = (int)ev_dec(e, 2);
			return;
		}
	}
}

/* A crash: crash, crash_phase, crash_bt, crash_tls..., crash_py..., crash_end, all by one thread. */
static int on_crash(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = p->ev[at];
	struct finding *f = add_finding(r, "crash", SEV_ERROR, p, e);
	const struct event *owner_tls = NULL;
	const char *action = NULL;
	int i, python_frame = 0;
	char *where;

	f->signal = (int)ev_dec(e, 0);
	f->si_code = (int)ev_dec(e, 1);
	f->fault_addr = ev_hex(e, 2);
	f->phase = phase_of(p, t, e->py);
	for (i = at + 1; i < p->nev; i++) {
		struct event *x = p->ev[i];
		if (x->tid != e->tid)
			continue;
		if (x->type == EV_CRASH_BT) {
			frames_from(f, p, x, 1, 1);
		} else if (x->type == EV_CRASH_TLS) {
			if (ev_dec(x, 4) == 1 && !owner_tls)
				owner_tls = x;
		} else if (x->type == EV_CRASH_PY) {
			f->pylines = xrealloc(f->pylines, (size_t)(f->npy + 1) * sizeof *f->pylines);
			f->pylines[f->npy++] = decode_str(ev_field(x, 0));
		} else if (x->type == EV_CRASH_END) {
			action = ev_field(x, 0);
			break;
		} else if (x->type != EV_CRASH_PHASE && x->type != EV_NOTE && x->type != EV_POISON_HIT) {
			break;
		}
	}
	if (!f->nbt) {
		frames_from(f, p, e, 3, 1);
		f->nbt = f->nbt > 1 ? 1 : f->nbt;
	}
	for (i = 0; i < f->nbt; i++)
		if (is_python_module(f->bt[i].code.mod))
			python_frame = 1;
	where = f->nbt ? code_full_name(p, ev_field(e, 3), 0) : xstrdup("?");
	if (f->si_code > 0)
		f->message = xasprintf("%s (%s) at 0x%llx in %s", tlstrace_signal_name(f->signal), si_code_name(f->signal, f->si_code),
				       (unsigned long long)f->fault_addr, where);
	else /* sent (kill, raise, abort): si_addr holds the sender's pid, not an address */
		f->message = xasprintf("%s sent (%s) in %s", tlstrace_signal_name(f->signal), si_code_name(f->signal, f->si_code), where);
	free(where);
	if (t->last_uad) {
		f->cause = t->last_uad;
		f->has_tls = 1;
		f->tls_symbol = xstrdup(t->last_uad->tls_symbol);
		f->tls_mod = t->last_uad->tls_mod;
		f->tls_address = t->last_uad->tls_address;
		f->root_cause = xasprintf("it follows the use-after-destroy of %s on this thread: %s",
					  t->last_uad->tls_symbol, t->last_uad->root_cause);
		f->fix = xstrdup(t->last_uad->fix);
	} else if (t->last_late && t->last_late->tls_mod && f->nbt && f->bt[0].code.mod == t->last_late->tls_mod) {
		/* the faulting module just constructed a thread_local here, too late */
		struct finding *late = t->last_late;
		f->cause = late;
		f->has_tls = 1;
		f->tls_symbol = xstrdup(late->tls_symbol);
		f->tls_mod = late->tls_mod;
		f->tls_address = late->tls_address;
		f->root_cause = xasprintf("it follows the construction of %s on this thread during teardown (%s): %s", late->tls_symbol,
					  late->phase, late->root_cause);
		f->fix = xstrdup(late->fix);
	} else if (owner_tls) {
		long long seq = ev_dec(owner_tls, 0);
		f->has_tls = 1;
		f->tls_symbol = tls_display_name(p, seq);
		f->tls_mod = tls_reg_module(p, seq);
		f->tls_address = ev_hex(owner_tls, 1);
		f->destroyed_ns = ev_dec(owner_tls, 3);
		f->root_cause = xasprintf("the faulting code's module owns thread_local %s, destroyed %.3f ms before "
					  "on this thread: most likely a use after destruction not seen through "
					  "__tls_get_addr (static TLS; try TLSTRACE_WATCH=poison)",
					  f->tls_symbol, (double)f->destroyed_ns / 1e6);
		f->fix = xasprintf("do not use %s after this thread's thread_local destructors ran", f->tls_symbol);
	} else if (innermost(t, FK_TLSDTOR) && (e->py == PY_DEAD || e->py == PY_FINALIZING) && python_frame) {
		struct finding *o = add_finding(r, "order", SEV_ERROR, p, e);
		char *obj = tls_display_name(p, ev_dec(innermost(t, FK_TLSDTOR)->e, 0));
		o->phase = xstrdup(f->phase);
		o->message = xasprintf("the thread_local destructor of %s called into Python after the interpreter "
				       "was finalized",
				       obj);
		o->root_cause = xasprintf("Python was finalized before this thread's thread_local destructors ran "
					  "(%s), and the destructor of %s uses the Python C API",
					  py_state_name(e->py), obj);
		o->fix = xasprintf("do not call Python from thread_local destructors of extension modules: release "
				   "Python objects before Py_Finalize (an atexit callback), or check Py_IsInitialized()");
		f->cause = o;
		f->root_cause = xasprintf("%s: %s", o->message, o->root_cause);
		f->fix = xstrdup(o->fix);
		free(obj);
	} else {
		f->root_cause = xasprintf("a fatal signal during: %s", f->phase);
		f->fix = xstrdup("see the backtrace");
	}
	if (action && !strcmp(action, "chain")) {
		char *c = f->root_cause;
		f->root_cause = xasprintf("%s. The program's own handler for %s ran afterwards", c, tlstrace_signal_name(f->signal));
		free(c);
	}
	p->crashed = 1;
	/* no crash_end (the report was cut short) counts as dying by the signal until an exit follows */
	if (!action || !strcmp(action, "default")) {
		p->exit_known = 1;
		p->exit_signal = f->signal;
		p->exit_how = "signal";
	}
	return i;
}

static void on_py_fin(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT);
	struct finding *f;
	char objs[512];
	size_t n = 0;
	int i, k = 0;
	char *h;
	if (!ax || !t->exit_ev || !t->tls_dtors || t->order)
		return;
	objs[0] = 0;
	for (i = 0; i < p->nev && p->ev[i] != e; i++) {
		struct event *x = p->ev[i];
		if (x->type == EV_TLS_DTOR && x->tid == t->tid && x->t >= t->exit_ev->t && n < sizeof objs - 64) {
			char *nm = tls_display_name(p, ev_dec(x, 0));
			n += (size_t)snprintf(objs + n, sizeof objs - n, "%s%s", k++ ? ", " : "", nm);
			free(nm);
		}
	}
	f = add_finding(r, "order", SEV_WARNING, p, e);
	h = code_func_name(p, ev_field(ax->e, 1));
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("%s called from the atexit handler %s after exit() destroyed this thread's "
			       "thread_locals (%s)",
			       ev_field(e, 0), h, k ? objs : "?");
	f->root_cause = xasprintf("glibc's exit() runs the calling thread's thread_local destructors before the "
				  "atexit handlers; %s finalizes Python from one, so Python atexit callbacks and "
				  "finalizers run after native thread_locals are gone (standalone python3 finalizes "
				  "before exit() and is not affected)",
				  h);
	f->fix = xstrdup("uWSGI: --skip-atexit-teardown (Python is not finalized at exit); or finalize Python "
			 "before exit(); or do not touch thread_locals from Python atexit callbacks and finalizers");
	free(h);
	t->order = f;
}

static void on_late_reg(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const char *why = ev_field(e, 9);
	char *sym = tls_display_name(p, ev_dec(e, 0));
	struct finding *f = add_finding(r, "construct-during-teardown", SEV_WARNING, p, e);
	f->has_tls = 1;
	f->tls_symbol = sym;
	f->tls_address = ev_hex(e, 1);
	f->tls_mod = strcmp(ev_field(e, 4), "-") ? proc_module(p, (int)ev_dec(e, 4)) : NULL;
	f->phase = phase_of(p, t, e->py);
	if (!strcmp(why, "dtors")) {
		f->message = xasprintf("thread %d constructed thread_local %s while its thread_local destructors were "
				       "running",
				       e->tid, sym);
		f->root_cause = xasprintf("a destructor (or code it calls) used %s for the first time on this thread; "
					  "glibc destroys it in the same pass, but anything destroyed earlier is gone",
					  sym);
		f->fix = xasprintf("construct %s earlier on this thread, or do not use it from destructors", sym);
	} else if (!strcmp(why, "exit")) {
		f->message = xasprintf("thread %d constructed thread_local %s after it began exiting: its destructor "
				       "will never run",
				       e->tid, sym);
		f->root_cause = xasprintf("%s was first used during teardown (%s), after glibc ran or committed to "
					  "this thread's thread_local destructors",
					  sym, f->phase);
		f->fix = xasprintf("do not use %s from atexit handlers or after the thread's function returned", sym);
	} else {
		f->message = xasprintf("thread %d constructed thread_local %s during Py_Finalize", e->tid, sym);
		f->root_cause = xasprintf("Python code run during finalization (atexit callbacks, finalizers) uses %s "
					  "on a thread where it did not exist yet, e.g. the main thread, while the "
					  "threads that used it are gone",
					  sym);
		f->fix = xasprintf("do not rely on per-thread state (%s) in Python atexit callbacks: they run on "
				   "whichever thread finalizes Python",
				   sym);
	}
	t->last_late = f;
}

/* Whether module M is a C++ runtime library, whose own per-thread state (exception globals,
 * __cxa_get_globals) its own functions make on first use, on any thread, at any time. */
static int is_cxx_runtime(const struct module *m)
{
	static const char *const names[] = {"libstdc++.so", "libc++.so", "libc++abi.so", "libgcc_s.so"};
	const char *b = base_name(m->path);
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strncmp(b, names[i], strlen(names[i])))
			return 1;
	return 0;
}

/* Whether a module's TLS block first allocated on a thread during its teardown (tls_late_alloc E,
 * the block of module M) is normal, not a finding: the module's own code asked for it (the site
 * is in M), and either during M's own static teardown (the innermost atexit handler running is
 * M's: libstdc++'s std::ios_base::Init::~Init reaching __cxa_get_globals, on Debian 13 and
 * unstable in every process that dlopens libstdc++), or M is a C++ runtime (a static
 * destructor elsewhere that writes to std::cout or throws reaches the same accessor). A
 * thread_local with a destructor constructed then still shows as a late tls_reg, a finding of
 * its own. */
static int late_alloc_is_normal(const struct proc *p, const struct tstate *t, const struct module *m,
				const struct event *e)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT);
	if (!m || code_module(p, ev_field(e, 1)) != m)
		return 0;
	return (ax && code_module(p, ev_field(ax->e, 1)) == m) || is_cxx_runtime(m);
}

static void on_late_alloc(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const struct module *m = strcmp(ev_field(e, 0), "-") ? proc_module(p, (int)ev_dec(e, 0)) : NULL;
	if (late_alloc_is_normal(p, t, m, e)) {
		e->normal = 1;
		return;
	}
	struct finding *f = add_finding(r, "construct-during-teardown", SEV_WARNING, p, e);
	char *site = code_full_name(p, ev_field(e, 1), 1);
	f->phase = phase_of(p, t, e->py);
	f->tls_mod = m;
	f->message = xasprintf("%s's thread_locals were first used on thread %d after its teardown began, from %s",
			       m ? base_name(m->path) : "a module", e->tid, site);
	f->root_cause = xasprintf("the module's TLS block was allocated during teardown (%s): its thread_locals "
				  "are constructed after the thread's destructors ran or committed",
				  f->phase);
	f->fix = xstrdup("do not use this module's thread_locals during teardown");
	free(site);
}

static void on_key_late(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f = add_finding(r, "key-after-destroy", SEV_WARNING, p, e);
	const char *op = ev_field(e, 1);
	const struct tframe *kd = innermost(t, FK_KEYDTOR);
	long long key = ev_dec(e, 0);
	char *site = code_full_name(p, ev_field(e, 3), 0);
	int own = kd && ev_dec(kd->e, 0) == key;
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("thread %d called pthread_%sspecific(key %lld) %s its destructor ran, from %s", e->tid,
			       op, key, own ? "while" : "after", site);
	if (!strcmp(op, "set") && own)
		f->root_cause = xasprintf("the destructor of key %lld sets a value again: glibc runs it another round "
					  "(at most %d)",
					  key, 4);
	else
		f->root_cause = xasprintf("key %lld's value was released by its destructor on this thread; "
					  "pthread_%sspecific now %s",
					  key, op, !strcmp(op, "get") ? "returns NULL" : "stores a value that may leak");
	f->fix = xasprintf("do not use key %lld from other key destructors or after its destructor ran", key);
	free(site);
}

static void on_poison_hit(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f = add_finding(r, "use-after-destroy", SEV_ERROR, p, e);
	long long seq = ev_dec(e, 0);
	char *site = code_full_name(p, ev_field(e, 4), 0);
	f->has_tls = 1;
	f->tls_symbol = tls_display_name(p, seq);
	f->tls_mod = tls_reg_module(p, seq);
	f->tls_address = ev_hex(e, 1);
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("thread %d used thread_local %s after its destructor ran (poisoned value 0x%llx), at %s",
			       e->tid, f->tls_symbol, ev_hex(e, 3), site);
	uad_cause(f, p, t, f->tls_symbol);
	free(site);
	t->last_uad = f;
}

static int end_type_of(int type)
{
	switch (type) {
	case EV_TLS_DTOR: return EV_TLS_DTOR_END;
	case EV_ATEXIT_RUN: return EV_ATEXIT_END;
	case EV_PY_FIN: return EV_PY_FIN_END;
	case EV_KEY_DTOR: return EV_KEY_DTOR_END;
	case EV_PY_ATEXIT_RUN: return EV_PY_ATEXIT_END;
	}
	return 0;
}

struct open_begins {
	struct event **b;
	int n, cap;
};

/* Pair each begin with its end on the same thread (same seq, key or name), in one pass: the open
 * begins of each thread are a stack; an end closes the nearest matching begin, and begins above
 * it never ended (the thread died or longjmp'ed inside them). */
static void match_pairs(struct proc *p)
{
	struct index threads = {0};
	int i, k;
	for (i = 0; i < p->nev; i++) {
		struct event *e = p->ev[i];
		struct open_begins *o = index_get(&threads, e->tid);
		if (end_type_of(e->type)) {
			if (!o) {
				o = xmalloc(sizeof *o);
				memset(o, 0, sizeof *o);
				index_put(&threads, e->tid, o);
			}
			if (o->n == o->cap) {
				o->cap = o->cap ? o->cap * 2 : 16;
				o->b = xrealloc(o->b, (size_t)o->cap * sizeof *o->b);
			}
			o->b[o->n++] = e;
			continue;
		}
		if (!o)
			continue;
		for (k = o->n - 1; k >= 0; k--) {
			struct event *b = o->b[k];
			if (end_type_of(b->type) == e->type && !strcmp(ev_field(b, 0), ev_field(e, 0))) {
				b->match = e;
				o->n = k;
				break;
			}
		}
	}
	for (i = 0; (size_t)i < threads.cap; i++)
		if (threads.val[i]) {
			free(((struct open_begins *)threads.val[i])->b);
			free(threads.val[i]);
		}
	index_free(&threads);
}

static int is_teardown_event(int type)
{
	switch (type) {
	case EV_MAIN_RETURN: case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT: case EV_EXIT_DONE:
	case EV_ATEXIT_RUN: case EV_THREAD_EXIT: case EV_TLS_DTORS_DONE: case EV_TLS_DTOR: case EV_KEY_DTOR:
	case EV_PY_FIN: case EV_PY_ATEXIT_RUN: case EV_UAD: case EV_CRASH: case EV_TLS_LATE_ALLOC:
	case EV_KEY_LATE: case EV_POISON_HIT:
		return 1;
	}
	return 0;
}

static void analyze_proc(struct report *r, struct proc *p)
{
	struct pstate ps = {p, NULL, 0, 0, -1};
	int i;
	match_pairs(p);
	for (i = 0; i < p->nev; i++) {
		struct event *e = p->ev[i];
		struct tstate *t = thread_of(&ps, e->tid);
		e->depth = (unsigned char)(t->depth > 255 ? 255 : t->depth);
		e->shown = is_teardown_event(e->type) || (e->type == EV_TLS_REG && strcmp(ev_field(e, 9), "-") != 0);
		switch (e->type) {
		case EV_MAIN_RETURN: case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT:
			if (!t->exit_ev)
				t->exit_ev = e;
			p->exit_known = 1;
			p->exit_status = (int)ev_dec(e, 0);
			p->exit_signal = 0;
			p->exit_how = e->name;
			break;
		case EV_EXIT_DONE:
			p->ended = 1;
			break;
		case EV_CRASH_END:
			/* also the one after a program's handler re-raised: the default action ends it */
			if (!strcmp(ev_field(e, 0), "default") && p->crashed) {
				int k;
				for (k = i - 1; k >= 0 && p->ev[k]->type != EV_CRASH; k--)
					;
				p->exit_known = 1;
				p->exit_how = "signal";
				p->exit_signal = k >= 0 ? (int)ev_dec(p->ev[k], 0) : 0;
			}
			break;
		case EV_THREAD_EXIT:
			t->thread_exit_ev = e;
			break;
		case EV_TLS_DTORS_DONE:
			t->tls_done = 1;
			break;
		case EV_TLS_REG:
			if (strcmp(ev_field(e, 9), "-") != 0)
				on_late_reg(r, p, t, e);
			break;
		case EV_TLS_DTOR:
			t->tls_dtors++;
			/* fall through */
		case EV_ATEXIT_RUN: case EV_PY_FIN: case EV_KEY_DTOR: case EV_PY_ATEXIT_RUN:
			if (e->type == EV_PY_FIN)
				on_py_fin(r, p, t, e);
			/* a begin without an end (the process died inside it) stays open */
			if (t->depth < 64) {
				static const int kinds[EV_NTYPES] = {[EV_ATEXIT_RUN] = FK_ATEXIT, [EV_PY_FIN] = FK_PYFIN,
								     [EV_TLS_DTOR] = FK_TLSDTOR, [EV_KEY_DTOR] = FK_KEYDTOR,
								     [EV_PY_ATEXIT_RUN] = FK_PYATEXIT};
				t->stack[t->depth].kind = kinds[e->type];
				t->stack[t->depth].e = e;
				t->depth++;
			}
			break;
		case EV_TLS_DTOR_END: case EV_ATEXIT_END: case EV_PY_FIN_END: case EV_KEY_DTOR_END: case EV_PY_ATEXIT_END:
			/* pop up to the matching begin */
			while (t->depth > 0) {
				struct event *b = t->stack[--t->depth].e;
				if (b->match == e)
					break;
			}
			e->depth = (unsigned char)t->depth;
			break;
		case EV_UAD:
			on_uad(r, p, t, e);
			break;
		case EV_UAD_COUNT:
			on_uad_count(r, p, e);
			break;
		case EV_POISON_HIT:
			on_poison_hit(r, p, t, e);
			break;
		case EV_CRASH:
			on_crash(r, p, t, i);
			break;
		case EV_TLS_LATE_ALLOC:
			on_late_alloc(r, p, t, e);
			break;
		case EV_KEY_LATE:
			on_key_late(r, p, t, e);
			break;
		case EV_NOTE: {
			char *s = decode_str(ev_field(e, 0));
			warnf(r, e->file, e->line, "process %d: shim note: %s", p->pid, s);
			free(s);
			break;
		}
		}
	}
	free(ps.t);
}

void analyze(struct report *r)
{
	int i;
	for (i = 0; i < r->nprocs; i++)
		if (!opt.pid || r->procs[i]->pid == opt.pid)
			analyze_proc(r, r->procs[i]);
}

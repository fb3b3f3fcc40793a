/* analyze.c - the driver of the diagnoses: from events to what happened. For each process: its
 * outcome, begin/end pairs (durations, nesting), the teardown phase of each thread at any moment;
 * then each rule of diag_rules sees every event with that state and adds findings:
 *   diag_tls.c    use-after-destroy, construct-during-teardown
 *   diag_crash.c  crash
 *   diag_unload.c   destructor-after-unload: a destructor or handler called in an unloaded module
 *   diag_pyfin.c    python-after-finalize: native code entered a finalized Python and failed
 *   diag_exitrun.c  exit-while-running: a running thread failed on statics exit() destroyed
 *   diag_order.c  order: Python finalized from an atexit handler after the thread_locals died; the
 *                 likely cause of a failure in exit(): a destroyed static-TLS object or static
 *   diag_keys.c   key-after-destroy
 *   diag_signal.c   signal-handler: a termination handler replaced by another module's (in
 *                   Python: by another place's signal.signal; a second rule after the outcome's)
 *   diag_outcome.c  killed, unfinished: how each process ended, across processes and files
 *   diag_hang.c     hang: the watchdog's snapshot of a teardown that did not end
 *   diag_stall.c    hang: a teardown a termination signal interrupted before the first snapshot
 *   diag_timeout.c  request-timeout: a server stopped the worker whose request outlived its timeout */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sigabbrev_np */
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* every diagnosis, in the order its findings are added for one event */
static const struct diag_rule *const diag_rules[] = {
	&diag_tls,
	&diag_keys,
	&diag_crash,
	&diag_unload,
	&diag_pyfin,
	&diag_exitrun,
	&diag_order,
	&diag_signal,
	&diag_outcome,
	&diag_signal_py, /* (after the outcome's findings) */
	&diag_hang,
	&diag_stall, /* (after every finding that tells how a teardown ended) */
	&diag_timeout,
};
#define NRULES (int)(sizeof diag_rules / sizeof diag_rules[0])

struct pstate *diag_walk;

_Static_assert(sizeof(struct tstate) == 36, "struct tstate: 36 bytes");

static struct explanation *expl;
static int nexpl, capexpl;
static struct index expl_of; /* failure event -> its place in expl, plus one */

int explained(const struct event *failure)
{
	return index_get(&expl_of, (long long)(uintptr_t)failure) != NULL;
}

struct explanation *explain_add(const struct event *failure, struct finding *cause, char *phase, char *root, char *fix)
{
	if (explained(failure)) {
		free(phase);
		free(root);
		free(fix);
		return NULL;
	}
	if (nexpl == capexpl) {
		capexpl = capexpl ? capexpl * 2 : 8;
		expl = xrealloc(expl, (size_t)capexpl * sizeof *expl);
	}
	memset(&expl[nexpl], 0, sizeof expl[nexpl]);
	expl[nexpl] = (struct explanation){failure, cause, phase, root, fix, NULL, NULL, 0, -1};
	index_put(&expl_of, (long long)(uintptr_t)failure, (void *)(intptr_t)(nexpl + 1));
	return &expl[nexpl++];
}

int explain_failure(struct finding *f)
{
	intptr_t i = (intptr_t)index_get(&expl_of, (long long)(uintptr_t)f->ev);
	if (i && !detail_of(f)->cause) {
		struct explanation *x = &expl[i - 1];
		str_free(f->root_cause);
		str_free(f->fix);
		f->root_cause = xstrdup(x->root);
		f->fix = xstrdup(x->fix);
		if (x->phase) {
			str_free(f->phase);
			f->phase = xstrdup(x->phase);
		}
		if (x->cause)
			finding_detail(f)->cause = x->cause;
		/* the thread_local involved: the cause's, else the explanation's */
		if (!detail_of(f)->has_tls && ((x->cause && detail_of(x->cause)->has_tls) || x->tls_symbol)) {
			const struct finding_detail *c = x->cause && detail_of(x->cause)->has_tls ? detail_of(x->cause) : NULL;
			struct finding_detail *d = finding_detail(f);
			d->has_tls = 1;
			d->tls_symbol = xstrdup(c ? c->tls_symbol : x->tls_symbol);
			d->tls_mod = c ? c->tls_mod : x->tls_mod;
			d->tls_address = c ? c->tls_address : x->tls_address;
			d->destroyed_ns = c ? c->destroyed_ns : x->destroyed_ns;
		}
		return 1;
	}
	return 0;
}

void explain_free(void)
{
	int i;
	for (i = 0; i < nexpl; i++) {
		free(expl[i].phase);
		free(expl[i].root);
		free(expl[i].fix);
		free(expl[i].tls_symbol);
	}
	free(expl);
	expl = NULL;
	nexpl = capexpl = 0;
	index_free(&expl_of);
}

int is_failure(const struct proc *p, const struct event *e)
{
	if (e->type == EV_CRASH)
		return 1;
	/* raise/kill to itself, meeting the default action unblocked (diag_outcome decides whether it
	 * ended the process; a failure either way); not a signal one thread sends another
	 * (pthread_kill, tgkill: a `kill` line's tid, docs/trace-format.md, is the target thread, `-`
	 * for pthread_kill's other than the caller's): that is a deliberate stop of the process (a
	 * program's own watchdog thread), and the thread that takes it was not failing either */
	if (e->type != EV_KILL || strcmp(ev_field(e, 4), "-") || strcmp(ev_field(e, 6), "dfl") ||
	    strcmp(ev_field(e, 7), "0") || ev_dec(e, 2) != p->pid)
		return 0;
	return !kill_to_other_thread(e);
}

int kill_to_other_thread(const struct event *e)
{
	if (e->type != EV_KILL || (strcmp(ev_field(e, 0), "pthread_kill") && strcmp(ev_field(e, 0), "tgkill")))
		return 0;
	return !strcmp(ev_field(e, 3), "-") || ev_dec(e, 3) != e->tid;
}

int failure_frames(const struct proc *p, int at, struct frame **bt)
{
	const struct event *e = proc_ev(p, at);
	int i, n = 0;
	*bt = NULL;
	if (e->type == EV_KILL) {
		*bt = frames_of(p, e, 8, 0, &n);
		n = n > 1 ? 1 : n;
	} else {
		for (i = at + 1; i < p->nev; i++) {
			const struct event *x = proc_ev(p, i);
			if (x->tid != e->tid)
				continue;
			if (x->type == EV_CRASH_BT)
				*bt = frames_of(p, x, 1, 1, &n);
			if (x->type == EV_CRASH_BT || x->type == EV_CRASH_END || x->type == EV_CRASH)
				break;
		}
		if (!n) {
			free(*bt);
			*bt = frames_of(p, e, 3, 1, &n);
			n = n > 1 ? 1 : n;
		}
	}
	return n;
}

struct finding *finding_for(struct report *r, const struct event *e, const char *kind)
{
	int i;
	for (i = r->nfindings - 1; i >= 0; i--)
		if (!finding_folded(r, i) && r->findings[i]->ev == e && !strcmp(r->findings[i]->kind, kind))
			return r->findings[i];
		else if (finding_folded(r, i) && finding_at(r, i)->ev == e && !strcmp(finding_at(r, i)->kind, kind))
			return finding_kept(r, i);
	return NULL;
}

void finding_add_pyline(struct finding *f, const struct event *e)
{
	struct finding_detail *d;
	if (!f)
		return;
	d = finding_detail(f);
	d->pylines = xrealloc(d->pylines, (size_t)(d->npy + 1) * sizeof *d->pylines);
	d->pylines[d->npy++] = decode_str(ev_field(e, 0));
}

char *duration_text(uint64_t ns)
{
	double ms = (double)ns / 1e6;
	return ms < 1000 ? xasprintf("%.3f ms", ms) : xasprintf("%.3f s", ms / 1e3);
}

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

const char *signal_name(int sig)
{
	static char buf[4][24];
	static unsigned k;
	const char *a = sig > 0 ? sigabbrev_np(sig) : NULL;
	char *b = buf[k++ % 4];
	if (a)
		snprintf(b, sizeof buf[0], "SIG%s", a);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX) /* the report runs on the traced glibc's kind */
		snprintf(b, sizeof buf[0], "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(b, sizeof buf[0], "signal %d", sig);
	return b;
}

int sigset_has(const char *hex, int sig)
{
	return sig >= 0 && sig < 64 && (strtoull(hex, NULL, 16) >> sig & 1);
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

static int tid_order(const void *a, const void *b)
{
	int x = ((const struct tid_place *)a)->tid, y = ((const struct tid_place *)b)->tid;
	return x < y ? -1 : x > y;
}

/* ps->pos: p's thread ids, each once, sorted (8 bytes a thread, half of what a hash of them
 * takes: a process may have hundreds of thousands), and room for their states in ps->t, made
 * once: a state never moves (its first frame is in it: tstate.inl) */
static void thread_places(struct pstate *ps, const struct proc *p)
{
	int i, n = 0;
	for (i = 0; i < p->nev; i++)
		n += !i || proc_ev(p, i)->tid != proc_ev(p, i - 1)->tid;
	ps->pos = n > 1 ? xmalloc((size_t)n * sizeof *ps->pos) : &ps->one;
	for (i = 0, n = 0; i < p->nev; i++)
		if (!i || proc_ev(p, i)->tid != proc_ev(p, i - 1)->tid)
			ps->pos[n++] = (struct tid_place){.tid = proc_ev(p, i)->tid};
	if (n > 1)
		qsort(ps->pos, (size_t)n, sizeof *ps->pos, tid_order);
	for (ps->npos = 0, i = 0; i < n; i++)
		if (!ps->npos || ps->pos[ps->npos - 1].tid != ps->pos[i].tid)
			ps->pos[ps->npos++] = ps->pos[i];
	if (n > 1 && ps->npos < n) /* (the same thread's lines again after another's) */
		ps->pos = xrealloc(ps->pos, (size_t)ps->npos * sizeof *ps->pos);
	ps->capt = ps->npos;
	ps->t = xmalloc((size_t)ps->capt * sizeof *ps->t);
}

/* the place of thread tid in ps->pos (thread_places: every thread of the walked process is there) */
static int tid_rank(const struct pstate *ps, int tid)
{
	const struct tid_place *at = bsearch(&(struct tid_place){.tid = tid}, ps->pos, (size_t)ps->npos, sizeof *ps->pos,
					     tid_order);
	return (int)(at - ps->pos);
}

static struct tstate *thread_of(struct pstate *ps, int tid)
{
	/* the last thread asked for is the usual answer */
	struct tid_place *at;
	if (ps->last >= 0 && ps->last < ps->nt && ps->t[ps->last].tid == tid)
		return &ps->t[ps->last];
	at = &ps->pos[tid_rank(ps, tid)];
	if (at->at) { /* (every thread of p is in pos: thread_places) */
		ps->last = at->at - 1;
		return &ps->t[ps->last];
	}
	memset(&ps->t[ps->nt], 0, sizeof ps->t[ps->nt]);
	ps->t[ps->nt].tid = tid;
	ps->t[ps->nt].capstack = 1;
	ps->last = ps->nt;
	at->at = ps->nt + 1;
	return &ps->t[ps->nt++];
}

struct tstate_findings *tfx_set(struct tstate *t)
{
	struct pstate *ps = diag_walk;
	if (!t->fx) {
		if ((ps->nfx & (ps->nfx - 1)) == 0) /* (0, 1, 2, 4 ...: room doubled) */
			ps->fx = xrealloc(ps->fx, (size_t)(ps->nfx ? 2 * ps->nfx : 1) * sizeof *ps->fx);
		ps->fx[ps->nfx] = memset(xmalloc(sizeof **ps->fx), 0, sizeof **ps->fx);
		t->fx = (unsigned)++ps->nfx;
	}
	return ps->fx[t->fx - 1];
}

const struct tframe *innermost(const struct tstate *t, int kind)
{
	int i;
	for (i = t->depth - 1; i >= 0; i--)
		if (tstack(t)[i].kind == kind)
			return &tstack(t)[i];
	return NULL;
}

/* Where the thread in _dl_fini (dlfini, its begin line) stood at time t: inside a module's
 * __cxa_finalize ("destructors of module M (__cxa_finalize)"), or before one: a module's destructor
 * functions (DT_FINI_ARRAY, __attribute__((destructor))) run just before its __do_global_dtors_aux
 * calls __cxa_finalize, so between two cxa_fin lines the destructor functions of the next module
 * ran. NULL past the last one (a module without gcc's crtbeginS, such as a non-PIE program, calls
 * no __cxa_finalize). malloc'd */
char *dtor_window_at(const struct proc *p, const struct event *dlfini, uint64_t t)
{
	const struct event *end = ev_match(dlfini);
	int i;
	for (i = 0; i < p->nev && proc_ev(p, i) != dlfini; i++)
		;
	for (i++; i < p->nev && proc_ev(p, i) != end; i++) {
		const struct event *v = proc_ev(p, i);
		const struct module *m;
		if (v->tid != dlfini->tid || v->type != EV_CXA_FIN || (ev_match(v) && ev_match(v)->t < t))
			continue;
		m = code_module(p, ev_field(v, 0));
		return xasprintf(v->t <= t ? "destructors of module %s (__cxa_finalize)" : "destructor functions of %s",
				 m ? base_name(m->path) : ev_field(v, 0));
	}
	return NULL;
}

/* The frame of bt[0, n) that ld.so called (_dl_fini, dlclose): a module's destructor function; -1 */
int dtor_function_frame(const struct frame *bt, int n)
{
	int i;
	for (i = 0; i + 1 < n; i++) {
		const struct module *m = bt[i].code.mod, *up = bt[i + 1].code.mod;
		if (m && up && !strncmp(base_name(up->path), "ld-linux", 8) && strncmp(base_name(m->path), "ld-linux", 8) &&
		    !is_shim_module(m))
			return i;
	}
	return -1;
}

/* "f() (libx.so)", or the frame described when its function has no name; malloc'd */
char *frame_func_text(const struct frame *f)
{
	struct code c = f->code;
	const char *nm;
	char buf[800];
	c.off -= f->is_return && c.off;
	if ((nm = sym_func(&c)) != NULL)
		return xasprintf("%s (%s)", nm, base_name(f->code.mod->path));
	sym_describe(&f->code, f->is_return, buf, sizeof buf);
	return xstrdup(buf);
}

/* Where thread t stands inside _dl_fini at the event being walked (diag_walk->at): for a failure,
 * its frame that ld.so called names the destructor function; else dtor_window_at. malloc'd or NULL */
static char *module_dtor_window(const struct proc *p, const struct tstate *t, const struct event *dlfini)
{
	int at = diag_walk && diag_walk->p == p ? diag_walk->at : -1, i, n;
	struct frame *bt = NULL;
	char *s = NULL, *nm = NULL;
	if (at < 0)
		return NULL;
	if (is_failure(p, proc_ev(p, at)) && (n = failure_frames(p, at, &bt)) > 1 && (i = dtor_function_frame(bt, n)) >= 0)
		s = xasprintf("destructor function %s", (nm = frame_func_text(&bt[i])));
	free(nm);
	free(bt);
	(void)t;
	return s ? s : dtor_window_at(p, dlfini, proc_ev(p, at)->t);
}

char *phase_of(const struct proc *p, const struct tstate *t, char py)
{
	char buf[1024];
	size_t n = 0;
	int i;
	buf[0] = 0;
	/* once buf is full, n (what snprintf would have written) may pass its end: buf + n must not
	 * be formed then (out-of-bounds pointer arithmetic, UBSan's array-bounds; found by the fuzzer) */
#define PUT(...) (n < sizeof buf ? (n += (size_t)snprintf(buf + n, sizeof buf - n, __VA_ARGS__)) : n)
	if (walk_ev(t->exit_at)) {
		if (walk_ev(t->exit_at)->type == EV_MAIN_RETURN)
			PUT("main returned %lld", ev_dec(walk_ev(t->exit_at), 0));
		else
			PUT("%s(%lld)", ev_name(walk_ev(t->exit_at)), ev_dec(walk_ev(t->exit_at), 0));
	} else if (walk_ev(t->thread_exit_at)) {
		PUT("thread exit (%s)", ev_field(walk_ev(t->thread_exit_at), 0));
	}
	if (t->tls_dtors && !(t->depth && tstack(t)[t->depth - 1].kind == FK_TLSDTOR))
		PUT("%s%d TLS destructor%s ran%s", n ? " > " : "", t->tls_dtors, t->tls_dtors == 1 ? "" : "s",
		    t->tls_done ? " (all)" : "");
	for (i = 0; i < t->depth && n < sizeof buf; i++) {
		const struct event *e = tstack(t)[i].e;
		char *nm;
		PUT("%s", n ? " > " : "");
		switch (tstack(t)[i].kind) {
		case FK_ATEXIT:
			nm = atexit_display(p, ev_dec(e, 0), ev_field(e, 1));
			PUT("%s", nm);
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
		case FK_PYENDINTERP:
			if (e->nf > 1) {
				nm = decode_str(ev_field(e, 1));
				PUT("Py_EndInterpreter (sub-interpreter '%s', thread state %s)", nm, ev_field(e, 0));
				free(nm);
			} else {
				PUT("Py_EndInterpreter (a sub-interpreter, thread state %s)", ev_field(e, 0));
			}
			break;
		case FK_DLFINI: case FK_DLCLOSE:
			if (tstack(t)[i].kind == FK_DLFINI) {
				PUT("module destructors (_dl_fini)");
			} else {
				nm = code_full_name(p, ev_field(e, 1), 1);
				PUT("dlclose(%s) from %s", ev_field(e, 0), nm);
				free(nm);
			}
			/* between two modules' __cxa_finalize: the destructor functions of the next */
			if (i == t->depth - 1 && (nm = module_dtor_window(p, t, e)) != NULL) {
				PUT(" > %s", nm);
				free(nm);
			}
			break;
		case FK_MODDTOR: {
			const struct module *m = code_module(p, ev_field(e, 0));
			PUT("destructors of module %s (__cxa_finalize)", m ? base_name(m->path) : ev_field(e, 0));
			break;
		}
		}
	}
	/* in python3 itself Py_FinalizeEx is not interposed: the shim saw it on the stack */
	if (py == PY_ATEXIT && !innermost(t, FK_PYFIN))
		PUT("%sPy_FinalizeEx (threading shutdown, Python atexit callbacks)", n ? " > " : "");
	/* its later part (the runtime finalizing: _PyRuntime._finalizing in 3.11, Py_IsFinalizing in
	 * 3.13+), where __del__ methods and weakref callbacks run, on the main thread that runs it */
	else if (py == PY_FINALIZING && !n && t->tid == p->pid && !innermost(t, FK_PYFIN))
		PUT("%s", PY_FIN_LATE_PHASE);
	if (!n)
		PUT("running");
#undef PUT
	return xstrdup(buf);
}

/* f's texts replaced by their copies in the string pool: the same root cause, fix and phase of
 * many findings kept once (a finding's texts may still be replaced later: str_free) */
void finding_settle(struct finding *f)
{
	f->phase = str_settle(f->phase);
	f->message = str_settle(f->message);
	f->root_cause = str_settle(f->root_cause);
	f->fix = str_settle(f->fix);
	if (f->detail)
		f->detail->tls_symbol = str_settle(f->detail->tls_symbol);
}

/* f's message: the one f->say builds into buf (n bytes; from f->message too, if it likes), or
 * f->message */
const char *finding_message(const struct finding *f, char *buf, size_t n)
{
	if (!f->say)
		return f->message;
	f->say(f, buf, n);
	return buf;
}

const char *finding_root_cause(const struct finding *f, char *buf, size_t n)
{
	return f->detail && f->detail->uad_why ? uad_text(f, 0, buf, n) : f->root_cause;
}

const char *finding_fix(const struct finding *f, char *buf, size_t n)
{
	return f->detail && f->detail->uad_why ? uad_text(f, 1, buf, n) : f->fix;
}

static void push_finding(struct report *r, struct finding *f)
{
	if (r->nfindings == r->capfindings) {
		r->capfindings = r->capfindings ? r->capfindings * 2 : 16;
		r->findings = xrealloc(r->findings, (size_t)r->capfindings * sizeof *r->findings);
	}
	r->findings[r->nfindings++] = f;
}

/* folded killed findings (finding_fold_like): their words (kind, severity, texts, signal, count)
 * kept once in a template, found by a hash of them while they are added; the memory of the last
 * one folded is the next one's (spare) */
struct finding_like { /* (24 bytes, 32 with its time: most killed findings are at the time of their
		      * event or of the kill line that killed the process, final once it is folded) */
	uintptr_t tmpl; /* its template's address (8-aligned), + LIKE_T_KEPT if t has its time, +
			 * LIKE_T_KILL if it is the time of fate_of(proc)->killed_by, + 0 if of ev */
	struct proc *proc;
	const struct event *ev;
	uint64_t t[];   /* (LIKE_T_KEPT only) */
};
enum { LIKE_T_KEPT = 1, LIKE_T_KILL = 2 };
#define LIKE_TMPL(c) ((const struct finding *)((c)->tmpl & ~(uintptr_t)3))
static struct {
	struct index tmpl; /* hash -> its template, or (+1) the first finding with those words */
	struct finding *spare;
	long tried;
	int off;           /* the words differ too often: folding stopped */
} likes;

struct finding *add_finding(struct report *r, const char *kind, enum severity sev, struct proc *p,
			    const struct event *e)
{
	struct finding *f = likes.spare ? likes.spare : report_alloc(r, sizeof *f); /* zeroed; freed with the report */
	likes.spare = NULL;
	f->kind = kind;
	f->severity = sev;
	f->proc = p;
	f->tid = e->tid;
	f->t = e->t;
	f->ev = e;
	f->count = 1;
	push_finding(r, f);
	return f;
}

void add_folded(struct report *r, struct proc *v)
{
	push_finding(r, (struct finding *)((uintptr_t)v + FOLD_UNFINISHED)); /* (a proc is 8-aligned: report_alloc) */
}

static long long like_key(const struct finding *f)
{
	const void *k[] = {f->kind, f->phase, f->message, f->root_cause, f->fix, (const void *)(uintptr_t)f->say};
	uint64_t h = (uint64_t)(f->sig & 0xffff) << 32 | (uint64_t)f->severity << 24 | (uint64_t)f->count;
	size_t j;
	for (j = 0; j < sizeof k / sizeof *k; j++) {
		h = (h ^ (uintptr_t)k[j]) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return (long long)h;
}

/* a and b say the same (their texts are the string pool's: one pointer per text) */
static int like_same(const struct finding *a, const struct finding *b)
{
	return a->kind == b->kind && a->severity == b->severity && a->hazard == b->hazard && a->sig == b->sig &&
	       a->count == b->count && a->phase == b->phase && a->message == b->message && a->say == b->say &&
	       a->root_cause == b->root_cause && a->fix == b->fix && !a->detail && !b->detail;
}

void finding_fold_like(struct report *r, struct finding *f)
{
	struct finding *tmpl;
	struct finding_like *c;
	long long key;
	if (likes.off || f->detail || f->hazard || !r->nfindings || r->findings[r->nfindings - 1] != f || f->tid != f->ev->tid)
		return;
	if (++likes.tried >= 1024 && (long)likes.tmpl.n * 2 > likes.tried) { /* mostly distinct words */
		finding_fold_end();
		likes.off = 1;
		return;
	}
	key = like_key(f);
	tmpl = index_get(&likes.tmpl, key);
	if (!tmpl) { /* the first: kept whole until another says the same */
		index_put(&likes.tmpl, key, (char *)f + 1);
		return;
	}
	if ((uintptr_t)tmpl & 1) { /* the second: the words copied once (the first may change later) */
		struct finding *first = (struct finding *)((uintptr_t)tmpl - 1);
		if (!like_same(first, f))
			return; /* (another text of the same hash: kept whole) */
		tmpl = memcpy(report_alloc(r, sizeof *tmpl), first, sizeof *tmpl);
		index_put(&likes.tmpl, key, tmpl);
	} else if (!like_same(tmpl, f))
		return;
	{
		const struct event *kill = fate_of(f->proc)->killed_by;
		uintptr_t how = f->t == f->ev->t ? 0 : kill && f->t == kill->t ? LIKE_T_KILL : LIKE_T_KEPT;
		c = report_alloc(r, sizeof *c + (how == LIKE_T_KEPT ? sizeof *c->t : 0));
		c->tmpl = (uintptr_t)tmpl | how;
	}
	c->proc = f->proc;
	c->ev = f->ev;
	if (c->tmpl & LIKE_T_KEPT)
		c->t[0] = f->t;
	r->findings[r->nfindings - 1] = (struct finding *)((uintptr_t)c + FOLD_KILLED); /* (8-aligned: report_alloc) */
	likes.spare = memset(f, 0, sizeof *f);
}

void finding_fold_end(void)
{
	index_free(&likes.tmpl);
	memset(&likes, 0, sizeof likes);
}

int finding_folded(const struct report *r, int i)
{
	return (uintptr_t)r->findings[i] & 3;
}

struct proc *finding_slot_proc(const struct finding *slot)
{
	switch ((uintptr_t)slot & 3) {
	case FOLD_UNFINISHED:
		return (struct proc *)((uintptr_t)slot - FOLD_UNFINISHED);
	case FOLD_KILLED:
		return ((const struct finding_like *)((uintptr_t)slot - FOLD_KILLED))->proc;
	case FOLD_UAD:
		return ((const struct uad_fold *)((uintptr_t)slot - FOLD_UAD))->proc;
	}
	return slot->proc;
}

struct proc *finding_proc(const struct report *r, int i)
{
	return finding_slot_proc(r->findings[i]);
}

const char *finding_kind(const struct report *r, int i)
{
	switch (finding_folded(r, i)) {
	case FOLD_UNFINISHED:
		return "unfinished";
	case FOLD_KILLED:
		return LIKE_TMPL((const struct finding_like *)((uintptr_t)r->findings[i] - FOLD_KILLED))->kind;
	case FOLD_UAD:
		return "use-after-destroy";
	}
	return r->findings[i]->kind;
}

struct finding *finding_unfold(const struct report *r, int i, struct unfolded *u)
{
	struct finding *f = memset(&u->f, 0, sizeof u->f);
	free(u->sym);
	u->sym = NULL;
	const struct finding_like *c = (const struct finding_like *)((uintptr_t)r->findings[i] - FOLD_KILLED);
	switch (finding_folded(r, i)) {
	case FOLD_UNFINISHED:
		unfinished_fill(f, finding_proc(r, i));
		break;
	case FOLD_KILLED:
		*f = *LIKE_TMPL(c);
		f->proc = c->proc;
		f->ev = c->ev;
		f->tid = c->ev->tid;
		f->t = c->tmpl & LIKE_T_KEPT ? c->t[0] : c->tmpl & LIKE_T_KILL ? fate_of(c->proc)->killed_by->t : c->ev->t;
		break;
	case FOLD_UAD:
		uad_fill(u, (const struct uad_fold *)((uintptr_t)r->findings[i] - FOLD_UAD));
		break;
	}
	f->index = i;
	f->group = r->finding_group && r->finding_group[i] >= 0 && !group_folded(r, r->finding_group[i])
		? r->groups[r->finding_group[i]] : NULL;
	return f;
}

struct finding *finding_at(const struct report *r, int i)
{
	static struct unfolded ring[FINDING_RING];
	static unsigned next;
	if (!finding_folded(r, i))
		return r->findings[i];
	return finding_unfold(r, i, &ring[next++ % FINDING_RING]);
}

struct finding *finding_kept(struct report *r, int i)
{
	struct unfolded u = {.sym = NULL};
	struct finding *f;
	if (!finding_folded(r, i))
		return r->findings[i];
	f = memcpy(report_alloc(r, sizeof *f), finding_unfold(r, i, &u), sizeof *f);
	f->root_cause = (char *)str_intern(f->root_cause); /* (its texts the pool's, as a whole one's) */
	f->fix = (char *)str_intern(f->fix);
	if (f->detail) { /* (a use-after-destroy's: its own, its frames malloc'd as frames_from's) */
		f->detail = NULL;
		memcpy(finding_detail(f), &u.d, sizeof u.d);
		f->detail->tls_symbol = str_settle(u.sym); /* (pooled, as a whole one's once settled) */
		if (u.d.nbt)
			f->detail->bt = memcpy(xmalloc((size_t)u.d.nbt * sizeof *u.d.bt), u.d.bt, (size_t)u.d.nbt * sizeof *u.d.bt);
	}
	return r->findings[i] = f;
}

/* f's place if it is among the last max entries of r->findings and no whole finding after it
 * names it as its cause (a crash after it names the use-after-destroy it follows: diag_crash.c);
 * else -1 */
static int uad_unnamed_at(const struct report *r, const struct finding *f, int max)
{
	int i;
	for (i = r->nfindings - 1; i >= 0 && max--; i--)
		if (r->findings[i] == f)
			return i;
		else if (!finding_folded(r, i) && r->findings[i]->detail && r->findings[i]->detail->cause == f)
			return -1;
	return -1;
}

/* the place of e in p->ev (its events are in the order read: by line), -1 if none */
static int ev_place(const struct proc *p, const struct event *e)
{
	int lo = 0, hi = p->nev;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (proc_ev(p, mid)->line < e->line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nev && proc_ev(p, lo) == e ? lo : -1;
}

/* f at r->findings[i] folded if uad_fill builds it again exactly: its finding and detail memory
 * given back for the next ones (add_finding, finding_detail) */
static void uad_fold_at(struct report *r, int i)
{
	struct finding *f = r->findings[i];
	const struct finding_detail *d = f->detail;
	struct uad_fold c = {.proc = f->proc, .phase = f->phase}, *k;
	struct unfolded u = {.sym = NULL};
	struct finding a;
	struct finding_detail b;
	int at, k0, k1, same;
	if (!d || !d->uad_why || d->uad_why >> UAD_WHY_BITS || f->group || f->index || strcmp(f->kind, "use-after-destroy") ||
	    f->proc->nev >> (32 - UAD_WHY_BITS) || (c.phase && !str_interned(c.phase)))
		return;
	at = f->ev ? ev_place(f->proc, f->ev) : -1;
	k0 = d->uad_ev[0] ? ev_place(f->proc, d->uad_ev[0]) : -1;
	k1 = d->uad_ev[1] ? ev_place(f->proc, d->uad_ev[1]) : -1;
	if (at < 0 || (d->uad_ev[0] && k0 < 0) || (d->uad_ev[1] && k1 < 0) || f->ev->type != EV_UAD)
		return;
	c.at = (uint32_t)at;
	c.why_at[0] = (uint32_t)(k0 + 1) | (uint32_t)d->uad_why << (32 - UAD_WHY_BITS);
	c.why_at[1] = (uint32_t)(k1 + 1);
	if (uad_fill(&u, &c) < 0) {
		free(u.sym);
		return;
	}
	/* the same finding, the same detail, the same frames (each byte: both zeroed when made) and
	 * the same name */
	memcpy(&a, f, sizeof a);
	a.kind = u.f.kind;
	a.detail = u.f.detail;
	memcpy(&b, d, sizeof b);
	b.bt = u.d.bt;
	b.tls_symbol = u.d.tls_symbol;
	same = !memcmp(&a, &u.f, sizeof a) && !memcmp(&b, &u.d, sizeof b) && d->tls_symbol && !strcmp(d->tls_symbol, u.sym) &&
	       (!d->nbt || !memcmp(d->bt, u.d.bt, (size_t)d->nbt * sizeof *d->bt));
	free(u.sym);
	if (!same)
		return;
	k = memcpy(report_alloc(r, sizeof *k), &c, sizeof c);
	r->findings[i] = (struct finding *)((uintptr_t)k + FOLD_UAD); /* (8-aligned: report_alloc) */
	str_free(d->tls_symbol);
	free(d->bt);
	detail_give_back(f->detail);
	if (!likes.spare)
		likes.spare = memset(f, 0, sizeof *f);
}

void uad_fold(struct report *r, struct finding *f)
{
	int i = f ? uad_unnamed_at(r, f, 64) : -1;
	if (i >= 0)
		uad_fold_at(r, i);
}

/* each use-after-destroy finding of r->findings[from..] (a process's, its walk done) that no
 * other names as its cause, folded */
static void uad_fold_walked(struct report *r, int from)
{
	struct index named = {0};
	int i;
	for (i = from; i < r->nfindings; i++)
		if (!finding_folded(r, i) && r->findings[i]->detail && r->findings[i]->detail->cause)
			index_put(&named, (long long)(uintptr_t)r->findings[i]->detail->cause, r->findings[i]);
	for (i = from; i < r->nfindings; i++)
		if (!finding_folded(r, i) && !index_get(&named, (long long)(uintptr_t)r->findings[i]))
			uad_fold_at(r, i);
	index_free(&named);
}

void explain_finding(struct finding *f, const char *fix, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	f->root_cause = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(f->root_cause, (size_t)n + 1, fmt, ap);
	va_end(ap);
	f->fix = xstrdup(fix);
}

void frames_from(struct finding *f, const struct proc *p, const struct event *e, int first, int fault_first)
{
	struct finding_detail *d = finding_detail(f);
	free(d->bt); /* (a later crash_bt line's replace an earlier one's) */
	d->bt = NULL;
	d->nbt = 0;
	if (e->nf > first) /* (none: no block, for each of 100000 uad lines without frames) */
		d->bt = frames_of(p, e, first, fault_first, &d->nbt);
}

void frames_into(const struct proc *p, const struct event *e, int first, int fault_first, struct frame *bt, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		if (code_parse(p, ev_field(e, first + i), &bt[i].code) != 0) {
			bt[i].code.mod = NULL;
			bt[i].code.off = strtoull(ev_field(e, first + i), NULL, 0);
		}
		bt[i].is_return = !(fault_first && i == 0);
		bt[i].unloaded = 0;
	}
}

struct frame *frames_of(const struct proc *p, const struct event *e, int first, int fault_first, int *n)
{
	struct frame *bt;
	*n = e->nf > first ? e->nf - first : 0;
	bt = xmalloc((size_t)(*n ? *n : 1) * sizeof *bt);
	frames_into(p, e, first, fault_first, bt, *n);
	return bt;
}

static int end_type_of(int type)
{
	switch (type) {
	case EV_TLS_DTOR: return EV_TLS_DTOR_END;
	case EV_ATEXIT_RUN: return EV_ATEXIT_END;
	case EV_PY_FIN: return EV_PY_FIN_END;
	case EV_KEY_DTOR: return EV_KEY_DTOR_END;
	case EV_PY_ATEXIT_RUN: return EV_PY_ATEXIT_END;
	case EV_PY_END_INTERP: return EV_PY_END_INTERP_END;
	case EV_DL_FINI: return EV_DL_FINI_END;
	case EV_CXA_FIN: return EV_CXA_FIN_END;
	case EV_DLCLOSE_BEGIN: return EV_DLCLOSE;
	case EV_WAIT_BEGIN: return EV_WAIT_END; /* or a reap line */
	}
	return 0;
}

/* Pair each begin with its end on the same thread (same seq, key or name), in one pass: the open
 * begins of each thread are a stack; an end closes the nearest matching begin, and begins above
 * it never ended (the thread died or longjmp'ed inside them). The stacks take no memory of their
 * own: an open begin's room for its end (ev_match) holds the begin below it until it is closed
 * (then its end) or found never to end (then NULL); each thread's top is one pointer (ps->pos's
 * order). A process may have hundreds of thousands of threads with a destructor open. */
static void match_pairs(struct proc *p, const struct pstate *ps)
{
	struct event **top = memset(xmalloc((size_t)ps->npos * sizeof *top), 0, (size_t)ps->npos * sizeof *top);
	struct event *b, *x, *below;
	int i, k = 0, polls = 0;
	for (i = 0; i < p->nev; i++) {
		struct event *e = proc_ev(p, i);
		polls |= e->type == EV_WAIT_POLL;
		if (!i || e->tid != proc_ev(p, i - 1)->tid)
			k = tid_rank(ps, e->tid);
		if (end_type_of(e->type)) {
			ev_set_match(e, top[k]);
			top[k] = e;
			continue;
		}
		for (b = top[k]; b; b = ev_match(b))
			if ((end_type_of(b->type) == e->type || (b->type == EV_WAIT_BEGIN && e->type == EV_REAP)) &&
			    !strcmp(ev_field(b, 0), ev_field(e, 0)))
				break;
		if (!b)
			continue;
		for (x = top[k]; x != b; x = below) { /* (above it: never ended) */
			below = ev_match(x);
			ev_set_match(x, NULL);
		}
		top[k] = ev_match(b);
		ev_set_match(b, e);
	}
	for (k = 0; k < ps->npos; k++)
		for (x = top[k]; x; x = below) {
			below = ev_match(x);
			ev_set_match(x, NULL);
		}
	free(top);
	if (polls) /* (its index of each thread's last wait line: 6 MB for 100000 threads that exit) */
		wait_polls_match(p);
}

static int is_teardown_event(int type)
{
	switch (type) {
	case EV_MAIN_RETURN: case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT: case EV_EXIT_DONE:
	case EV_ATEXIT_RUN: case EV_THREAD_EXIT: case EV_TLS_DTORS_DONE: case EV_TLS_DTOR: case EV_KEY_DTOR:
	case EV_PY_FIN: case EV_PY_ATEXIT_RUN: case EV_UAD: case EV_CRASH: case EV_TLS_LATE_ALLOC:
	case EV_KEY_LATE: case EV_POISON_HIT: case EV_KILL: case EV_REAP:
	case EV_HANG_ARM: case EV_HANG: case EV_PY_END_INTERP: case EV_DL_FINI: case EV_CXA_FIN: case EV_DLCLOSE_BEGIN:
	case EV_THREADS_ALIVE: case EV_SIG_ARRIVE: case EV_KILL_SNAP:
		return 1;
	}
	return 0;
}

static void exit_from(struct proc *p, const struct event *e)
{
	p->exit_known = 1;
	p->exit_status = (int)ev_dec(e, 0);
	p->exit_signal = 0;
	proc_set_how(p, ev_name(e));
}

/* when the thread of e ended, if e says it: a thread_exit line, or a thread_quiet (its start and
 * how long it lived); else 0 */
uint64_t thread_end_time(const struct event *e)
{
	if (e->type == EV_THREAD_EXIT)
		return e->t;
	if (e->type == EV_THREAD_QUIET)
		return e->t + (uint64_t)ev_dec(e, 2);
	return 0;
}

/* the modules dlclose_begin line proc_ev(p, i) unloaded: the unmod lines of its thread after its end,
 * up to that thread's next dlopen or dlclose; at most max ids into ids, the count returned */
int dlclose_unloaded(const struct proc *p, int i, long long *ids, int max)
{
	const struct event *b = proc_ev(p, i), *end = ev_match(b);
	int n = 0;
	if (!end)
		return 0;
	for (; i < p->nev && proc_ev(p, i) != end; i++)
		;
	for (i++; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->tid != b->tid)
			continue;
		if (e->type == EV_DLCLOSE_BEGIN || e->type == EV_DLOPEN)
			break;
		if (e->type == EV_UNMOD && n < max)
			ids[n++] = ev_dec(e, 0);
	}
	return n;
}

/* Module destructors (every module's __cxa_finalize, _dl_fini, a dlclose) are in the timeline only where
 * something shown happened inside them (on any thread: a worker ending while a destructor joins
 * it), or they did not return; a dlclose also where it unloaded a module (c5: a key destructor
 * left behind in it runs later). Inner ones first: a _dl_fini with only empty ones is empty. */
static void hide_empty_module_dtors(struct proc *p)
{
	int pass, i, k;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->nev; i++) {
			struct event *e = proc_ev(p, i);
			int type = e->type == EV_DLCLOSE_BEGIN ? EV_DL_FINI : e->type, inner = 0;
			const struct event *m = ev_match(e);
			if (type != (pass ? EV_DL_FINI : EV_CXA_FIN) || !m)
				continue;
			for (k = i + 1; k < p->nev && proc_ev(p, k) != m && !inner; k++)
				inner = proc_ev(p, k)->shown;
			for (k = 0; k < p->nev && !inner && type == EV_DL_FINI; k++) {
				uint64_t end = thread_end_time(proc_ev(p, k));
				inner = end && proc_ev(p, k)->tid != e->tid && end >= e->t && end <= m->t;
			}
			if (!inner && e->type == EV_DLCLOSE_BEGIN) {
				long long id;
				inner = dlclose_unloaded(p, i, &id, 1);
			}
			e->shown = inner;
		}
	}
}

/* The shim reads "in Py_FinalizeEx" in python3 from the thread's own stack, which a signal handler
 * on an alternate stack or another thread does not show: an event there reads "initialized"
 * although the process's Py_FinalizeEx had begun (h1: the SIGTERM that killed it mid-join). Once
 * the main interpreter's finalization began (an event in it, Py_FinalizeEx's begin, the shim's
 * py_fin_stack mark), Python cannot be "initialized" again before it is finalizing, finalized or
 * not initialized: such events are taken as in Py_FinalizeEx. */
static const struct proc *order_proc; /* the process events_in_time_order sorts */

static int by_time(const void *a, const void *b)
{
	const struct event *x = proc_ev(order_proc, *(const int *)a), *y = proc_ev(order_proc, *(const int *)b);
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return *(const int *)a - *(const int *)b; /* same time: trace order */
}

void events_in_time_order(const struct proc *p, int *ord, int n)
{
	order_proc = p;
	qsort(ord, (size_t)n, sizeof *ord, by_time);
}

/* (walked in time order, as the timeline shows them: a thread's records are written when its
 * buffer is, after later ones of the main thread; a thread that ended inside Py_FinalizeEx's
 * join came after Py_FinalizeEx's end in write order and kept its "initialized", and the
 * timeline went back to "-- Python initialized --" between the finalization's lines) */
static void settle_py_states(struct proc *p)
{
	int i, fin = 0, *ord = xmalloc(((size_t)p->nev + 1) * sizeof *ord);
	for (i = 0; i < p->nev; i++)
		ord[i] = i;
	events_in_time_order(p, ord, p->nev);
	for (i = 0; i < p->nev; i++) {
		struct event *e = proc_ev(p, ord[i]);
		if (fin && e->py == PY_INIT) /* (Py_Finalize's own begin line stays as it read) */
			e->py = PY_ATEXIT;
		if (e->py == PY_FINALIZING || e->py == PY_DEAD || e->py == PY_NOTINIT)
			fin = 0;
		else if (e->py == PY_ATEXIT || e->type == EV_PY_FIN ||
			 ((e->type == EV_HANG_ARM || e->type == EV_THREADS_ALIVE) && !strcmp(ev_field(e, 0), "py_fin_stack")))
			fin = 1;
	}
	free(ord);
}

static void analyze_proc(struct report *r, struct proc *p)
{
	struct pstate ps = {.p = p, .last = -1};
	const struct event *pending_exit = NULL;
	int i, k, nfindings = r->nfindings;
	thread_places(&ps, p);
	match_pairs(p, &ps);
	settle_py_states(p);
	diag_walk = &ps;
	for (i = 0; i < p->nev; i++) {
		struct event *e = proc_ev(p, i);
		struct tstate *t = thread_of(&ps, e->tid);
		ps.at = i;
		e->depth = t->depth;
		e->shown = is_teardown_event(e->type) || (e->type == EV_TLS_REG && strcmp(ev_field(e, 9), "-") != 0) ||
			   (e->type == EV_WAIT_BEGIN && !ev_match(e)) || /* a wait that never returned: h6's parent */
			   e->type == EV_WAIT_POLL; /* polls for a child told to stop, or in teardown */
		/* the state the rules see with this event */
		switch (e->type) {
		case EV_MAIN_RETURN: case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT:
			if (!t->exit_at)
				t->exit_at = i + 1;
			/* exit() runs handlers and destructors that may still crash or hang: its status
			 * is the outcome only once the process got to its end (exit_done); _exit and
			 * quick_exit end it at once. A trace of a version before TLSTRACE_FORMAT_ENDS
			 * cannot show that end: there the status is the outcome, as the line says */
			pending_exit = e;
			if (e->type == EV__EXIT || e->type == EV_QUICK_EXIT || p->format < TLSTRACE_FORMAT_ENDS)
				exit_from(p, e);
			break;
		case EV_EXIT_DONE:
			p->ended = 1;
			if (pending_exit)
				exit_from(p, pending_exit);
			break;
		case EV_CRASH_END:
			/* also the one after a program's handler re-raised: the default action ends it */
			if (!strcmp(ev_field(e, 0), "default") && p->crashed) {
				for (k = i - 1; k >= 0 && proc_ev(p, k)->type != EV_CRASH; k--)
					;
				p->exit_known = 1;
				proc_set_how(p, "signal");
				p->exit_signal = k >= 0 ? (int)ev_dec(proc_ev(p, k), 0) : 0;
			}
			break;
		case EV_THREAD_EXIT:
			t->thread_exit_at = i + 1;
			break;
		case EV_TLS_DTORS_DONE:
			t->tls_done = 1;
			break;
		case EV_THREAD_QUIET:
			proc_routine(p)->quiet_threads++;
			proc_routine(p)->quiet_regs += ev_dec(e, 3);
			proc_routine(p)->quiet_dtors += ev_dec(e, 4);
			proc_routine(p)->quiet_keys += ev_dec(e, 5);
			break;
		case EV_DROPPED: /* totals so far: the last one counts */
			proc_routine(p)->dropped_lines = ev_dec(e, 0);
			proc_routine(p)->dropped_bytes = ev_dec(e, 1);
			proc_routine(p)->dropped_other_lines = ev_dec(e, 2);
			proc_routine(p)->dropped_other_bytes = ev_dec(e, 3);
			break;
		case EV_TLS_DTOR:
			t->tls_dtors++;
			break;
		case EV_LOST:
			proc_routine(p)->lines_lost += ev_dec(e, 0);
			warnf(r, proc_file(r, p), e->line, "process %d: %lld trace lines lost before this one (the file could not be written)",
			      p->pid, ev_dec(e, 0));
			break;
		case EV_NOTE: {
			char *s = decode_str(ev_field(e, 0));
			warnf(r, proc_file(r, p), e->line, "process %d: shim note: %s", p->pid, s);
			free(s);
			break;
		}
		}
		for (k = 0; k < NRULES; k++)
			if (diag_rules[k]->event)
				diag_rules[k]->event(r, p, t, i);
		/* then the nest of begin/end pairs */
		switch (e->type) {
		case EV_TLS_DTOR: case EV_ATEXIT_RUN: case EV_PY_FIN: case EV_KEY_DTOR: case EV_PY_ATEXIT_RUN:
		case EV_PY_END_INTERP: case EV_DL_FINI: case EV_CXA_FIN: case EV_DLCLOSE_BEGIN:
			/* a begin without an end (the process died inside it) stays open */
			if (t->depth < 64) {
				if (t->depth == t->capstack) { /* (from inl to 4 frames, then doubled) */
					struct tframe *s = t->capstack == 1 ? NULL : t->heap, first = t->inl[0];
					int cap = t->capstack == 1 ? 4 : t->capstack * 2;
					s = xrealloc(s, (size_t)cap * sizeof *s);
					if (t->capstack == 1)
						s[0] = first;
					t->heap = s;
					t->capstack = (unsigned char)cap;
				}
				static const int kinds[EV_NTYPES] = {[EV_ATEXIT_RUN] = FK_ATEXIT, [EV_PY_FIN] = FK_PYFIN,
								     [EV_TLS_DTOR] = FK_TLSDTOR, [EV_KEY_DTOR] = FK_KEYDTOR,
								     [EV_PY_ATEXIT_RUN] = FK_PYATEXIT,
								     [EV_PY_END_INTERP] = FK_PYENDINTERP,
								     [EV_DL_FINI] = FK_DLFINI, [EV_CXA_FIN] = FK_MODDTOR,
								     [EV_DLCLOSE_BEGIN] = FK_DLCLOSE};
				tstack(t)[t->depth].kind = kinds[e->type];
				tstack(t)[t->depth].e = e;
				t->depth++;
			}
			break;
		case EV_TLS_DTOR_END: case EV_ATEXIT_END: case EV_PY_FIN_END: case EV_KEY_DTOR_END: case EV_PY_ATEXIT_END:
		case EV_PY_END_INTERP_END: case EV_DL_FINI_END: case EV_CXA_FIN_END: case EV_DLCLOSE:
			/* pop up to the matching begin, if it is open (a dlclose line of a trace without
			 * dlclose_begin lines ends nothing) */
			for (k = t->depth - 1; k >= 0 && ev_match(tstack(t)[k].e) != e; k--)
				;
			if (k >= 0)
				t->depth = k;
			e->depth = (unsigned char)t->depth;
			break;
		}
		t->last_at = i + 1;
	}
	p->walked = 1; /* (its end began at its first exit line: proc_exit_began, from now on) */
	hide_empty_module_dtors(p);
	for (k = 0; k < NRULES; k++)
		if (diag_rules[k]->proc_end)
			diag_rules[k]->proc_end(r, p, &ps);
	diag_walk = NULL;
	for (i = nfindings; i < r->nfindings; i++)
		if (!finding_folded(r, i))
			finding_settle(r->findings[i]);
	uad_fold_walked(r, nfindings);
	for (i = 0; i < ps.nt; i++)
		if (ps.t[i].capstack > 1)
			free(ps.t[i].heap);
	for (i = 0; i < ps.nfx; i++)
		free(ps.fx[i]);
	free(ps.fx);
	if (ps.pos != &ps.one)
		free(ps.pos);
	free(ps.t);
}

/* findings by process (in order of appearance), in the order they were added within each: the
 * rules across processes add theirs last. A sort (stable by the order added), not a walk of the
 * findings per process: a trace may hold hundreds of thousands of each. */
struct placed {
	struct finding *f;
	int at;
};

static int by_proc(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	int i = finding_slot_proc(x->f)->index, j = finding_slot_proc(y->f)->index;
	if (i != j)
		return i < j ? -1 : 1;
	return x->at - y->at;
}

static void group_findings(struct report *r)
{
	struct placed *sorted;
	int k;
	for (k = 1; k < r->nfindings && finding_proc(r, k - 1)->index <= finding_proc(r, k)->index; k++)
		;
	if (k >= r->nfindings) /* already in order (and stable) */
		return;
	sorted = xmalloc((size_t)r->nfindings * sizeof *sorted);
	for (k = 0; k < r->nfindings; k++) {
		sorted[k].f = r->findings[k];
		sorted[k].at = k;
	}
	qsort(sorted, (size_t)r->nfindings, sizeof *sorted, by_proc);
	for (k = 0; k < r->nfindings; k++)
		r->findings[k] = sorted[k].f;
	free(sorted);
}

/* Hazards that did no harm are no findings: a hazard finding (an order of teardown that lets
 * Python code run after native thread_locals were destroyed) stays only where its process also
 * has a finding that is not a hazard (what went wrong through it, or anything else that did).
 * A clean run of a host whose order is hazardous (uWSGI finalizing Python after exit()) has none. */
static void drop_harmless_hazards(struct report *r)
{
	char *harm = xmalloc((size_t)r->nprocs + 1);
	int k, n = 0;
	memset(harm, 0, (size_t)r->nprocs + 1);
	for (k = 0; k < r->nfindings; k++)
		if (finding_folded(r, k) || !r->findings[k]->hazard) /* (a folded one is no hazard: not folded) */
			harm[finding_proc(r, k)->index] = 1;
	for (k = 0; k < r->nfindings; k++) {
		struct finding *f = r->findings[k];
		if (!finding_folded(r, k) && f->hazard && !harm[f->proc->index])
			finding_free(f);
		else
			r->findings[n++] = f;
	}
	r->nfindings = n;
	free(harm);
}

void analyze(struct report *r)
{
	int i, k;
	for (i = 0; i < r->nprocs; i++)
		if (!opt.pid || r->procs[i]->pid == opt.pid)
			analyze_proc(r, r->procs[i]);
	for (k = 0; k < NRULES; k++)
		if (diag_rules[k]->report_end)
			diag_rules[k]->report_end(r);
	drop_harmless_hazards(r);
	for (k = 0; k < r->nfindings; k++)
		if (!finding_folded(r, k))
			finding_settle(r->findings[k]);
	group_findings(r);
	explain_free();
	if (r->nfindings && r->nfindings < r->capfindings) { /* (the array doubled: its unused end back) */
		r->findings = xrealloc(r->findings, (size_t)r->nfindings * sizeof *r->findings);
		r->capfindings = r->nfindings;
	}
	group_build(r);
}

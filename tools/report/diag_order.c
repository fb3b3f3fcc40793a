/* diag_order.c - diagnoses of teardown order: Python finalized from an atexit handler after exit()
 * destroyed the calling thread's thread_locals (kind order); and the root cause of a failure (a
 * crash, a fatal raise) in exit()'s handlers and destructors that no other rule explained:
 * - a thread_local of this thread, destroyed earlier, owned by the failing code's module (static
 *   TLS, which the default mode cannot see: named as the likely cause, with how to confirm it);
 * - a static object destroyed earlier in the same exit() (handlers and destructors run in reverse
 *   order of registration), or before a module's destructor functions that _dl_fini runs after
 *   all of them. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* "1.234 ms", valid until the next call */
static const char *duration_text_tmp(uint64_t ns)
{
	static char buf[2][32];
	static int k;
	char *d = duration_text(ns), *b = buf[k++ & 1];
	snprintf(b, sizeof buf[0], "%s", d);
	free(d);
	return b;
}

/* 1 if p is uWSGI (its program, "uwsgi" or Debian's "uwsgi-core") or handler, the atexit handler
 * that finalizes Python, is uWSGI's (uwsgi_plugins_atexit, core/uwsgi.c): only there is
 * --skip-atexit-teardown an option; an embedding host of the user's own calls Py_FinalizeEx from
 * its own handler */
int host_is_uwsgi(const struct proc *p, const char *handler)
{
	return !strncmp(prog_of(p), "uwsgi", 5) || (handler && strstr(handler, "uwsgi_plugins_atexit"));
}

static void on_py_fin(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT);
	struct finding *f;
	char objs[512];
	size_t n = 0;
	int i, k = 0;
	char *h;
	if (!ax || !walk_ev(t->exit_at) || !t->tls_dtors || tfx(t)->order)
		return;
	objs[0] = 0;
	for (i = 0; i < p->nev && proc_ev(p, i) != e; i++) {
		struct event *x = proc_ev(p, i);
		if (x->type == EV_TLS_DTOR && x->tid == t->tid && x->t >= walk_ev(t->exit_at)->t && n < sizeof objs - 64) {
			char *nm = tls_display_name(p, ev_dec(x, 0));
			n += (size_t)snprintf(objs + n, sizeof objs - n, "%s%s", k++ ? ", " : "", nm);
			free(nm);
		}
	}
	f = add_finding(r, "order", SEV_WARNING, p, e);
	f->hazard = 1; /* said only where the process has a finding of what went wrong */
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
	f->fix = host_is_uwsgi(p, h)
			 ? xstrdup("uWSGI: --skip-atexit-teardown (Python is not finalized at exit); or finalize Python "
				   "before exit(); or do not touch thread_locals from Python atexit callbacks and finalizers")
			 : xasprintf("finalize Python before exit() (call Py_FinalizeEx where the program ends its work, not "
				     "from the atexit handler %s), or not at all at exit; or do not touch thread_locals from "
				     "Python atexit callbacks and finalizers", h);
	free(h);
	tfx_set(t)->order = f;
}

/* How a thread_local's module holds it: a program's own, or a library loaded with it, is in static
 * TLS; a dlopen'ed module's is dynamic unless it was built initial-exec or TLSDESC. */
static const char *tls_kind(const struct proc *p, const struct module *m)
{
	int i;
	if (m && m->id == 0)
		return "static TLS: the executable's own";
	for (i = 0; m && i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_MOD && ev_dec(proc_ev(p, i), 0) == m->id)
			return i > 0 && proc_ev(p, i - 1)->type == EV_DLOPEN ? "TLS of a dlopen'ed module"
								       : "static TLS: a library loaded at start";
	return "TLS";
}

/* a thread_local of this thread destroyed before the failure, in a module of one of its frames */
static int likely_tls(struct report *r, struct proc *p, struct tstate *t, int at, struct frame *bt, int n)
{
	struct event *e = proc_ev(p, at);
	const struct event *dtor = NULL;
	const struct module *m = NULL;
	struct finding *crash = finding_for(r, e, "crash");
	struct explanation *x;
	char *obj, *site, *step, *kind, *confirm, buf[800];
	int i, k, frame = -1;
	if (crash && detail_of(crash)->has_tls)
		return 0; /* the crash rule named it (the shim's crash_tls lines) */
	for (i = at - 1; i >= 0 && frame < 0; i--) {
		const struct event *v = proc_ev(p, i);
		if (v->type != EV_TLS_DTOR_END || v->tid != e->tid)
			continue;
		m = tls_reg_module(p, ev_dec(v, 0));
		for (k = 0; k < n && frame < 0; k++)
			if (m && bt[k].code.mod == m && !is_system_module(m))
				frame = k, dtor = v;
	}
	if (frame < 0)
		return 0;
	obj = tls_display_name(p, ev_dec(dtor, 0));
	sym_describe(&bt[frame].code, bt[frame].is_return, buf, sizeof buf);
	site = xstrdup(buf);
	if (innermost(t, FK_ATEXIT)) {
		const struct event *h = innermost(t, FK_ATEXIT)->e;
		char *d = atexit_display(p, ev_dec(h, 0), ev_field(h, 1));
		step = xasprintf("the %s, run by %s,", d, walk_ev(t->exit_at)->type == EV_MAIN_RETURN ? "exit() after main returned" : "exit()");
		free(d);
	} else {
		step = xasprintf("this thread's teardown (%s)", (kind = phase_of(p, t, e->py)));
		free(kind);
	}
	kind = xstrdup(tls_kind(p, m));
	confirm = watch_confirm(p, ev_dec(dtor, 0));
	if (innermost(t, FK_TLSDTOR)) {
		/* a thread_local's destructor failed after an older one of its module was destroyed */
		char *d = tls_display_name(p, ev_dec(innermost(t, FK_TLSDTOR)->e, 0));
		char *order = tls_order_fix(p, ev_dec(dtor, 0), ev_dec(innermost(t, FK_TLSDTOR)->e, 0));
		x = explain_add(e, NULL, NULL,
				xasprintf("the destructor of %s failed %s after this thread's thread_local %s (%s, %s) "
					  "was destroyed, and most likely reads it: a likely use after destruction. A "
					  "thread's thread_locals are destroyed in reverse order of construction, so one "
					  "constructed later is destroyed earlier. The default mode sees only dynamic-TLS "
					  "lookups (__tls_get_addr), not reads of static TLS",
					  d, duration_text_tmp(e->t - dtor->t), obj, base_name(m->path), kind),
				xasprintf("%s; or do not use it in %s's destructor; %s", order, d, confirm));
		free(d);
		free(order);
	} else {
		x = explain_add(e, NULL, NULL,
				xasprintf("%s ran %s after this thread's thread_local %s (%s, %s) was destroyed, and %s, "
					  "in the same module, most likely uses it: a likely use after destruction. %s. The "
					  "default mode sees only dynamic-TLS lookups (__tls_get_addr), not reads of static TLS",
					  step, duration_text_tmp(e->t - dtor->t), obj, base_name(m->path), kind, site,
					  walk_ev(t->exit_at) ? "exit() destroys the calling thread's thread_locals before it runs static "
						       "destructors and atexit handlers"
						     : "a thread's thread_locals are destroyed in reverse order of construction, "
						       "before its pthread key destructors"),
				xasprintf("do not use %s from destructors that exit() or the thread's end runs after it (a "
					  "function-local static, or a heap object that is never freed, outlives them); %s",
					  obj, confirm));
	}
	if (x) {
		x->tls_symbol = xstrdup(obj);
		x->tls_mod = m;
		x->tls_address = ev_hex(proc_find_reg(p, EV_TLS_REG, ev_dec(dtor, 0)), 1);
		x->destroyed_ns = (long long)(e->t - dtor->t);
	}
	free(obj);
	free(site);
	free(step);
	free(kind);
	free(confirm);
	return 1;
}

/* The static destructor run earlier in this exit() (on the failing thread, finished before the
 * failure at proc_ev(p, at)) that most likely destroyed what the failing code uses: the one whose object
 * holds the fault address (*exact), else the last one of module prefer, else (any) the last one.
 * Only those registered after after_seq (-1: all). *obj: its object. NULL if none. */
static const struct event *earlier_static_dtor(const struct proc *p, const struct tstate *t, int at, long long after_seq,
					       const struct module *prefer, int any, int *exact, uint64_t *obj)
{
	const struct event *e = proc_ev(p, at), *cand = NULL, *same_mod = NULL;
	uint64_t fault = 0;
	int i;
	*exact = 0;
	if (e->type == EV_CRASH && (ev_dec(e, 0) == SIGSEGV || ev_dec(e, 0) == SIGBUS) && ev_dec(e, 1) > 0)
		fault = ev_hex(e, 2);
	for (i = 0; i < at; i++) {
		const struct event *v = proc_ev(p, i);
		if (v->type != EV_ATEXIT_RUN || v->tid != e->tid || v->t < walk_ev(t->exit_at)->t || !ev_match(v) || ev_match(v)->t > e->t ||
		    ev_dec(v, 0) <= after_seq || !atexit_is_static_dtor(p, ev_dec(v, 0), obj))
			continue;
		if (fault && object_holds(p, *obj, fault, e->t)) {
			*exact = 1;
			return v;
		}
		if (code_module(p, ev_field(v, 1)) == prefer)
			same_mod = v;
		cand = v;
	}
	cand = same_mod ? same_mod : any ? cand : NULL;
	if (cand)
		atexit_is_static_dtor(p, ev_dec(cand, 0), obj);
	return cand;
}

/* A static object destroyed earlier in this exit() by a static destructor, used by what failed:
 * - an atexit handler or static destructor, by one registered after it (so run before it);
 * - a module's destructor function (DT_FINI_ARRAY, __attribute__((destructor))) that _dl_fini
 *   ran after all of them: an object of its module, or one holding the fault address. */
static int reverse_order(struct report *r, struct proc *p, struct tstate *t, int at, struct frame *bt, int n)
{
	struct event *e = proc_ev(p, at);
	const struct tframe *h = innermost(t, FK_ATEXIT);
	const struct event *cand;
	uint64_t obj;
	int fi = -1, exact;
	char *hd, *cd, *on, *since;
	(void)r;
	if (!walk_ev(t->exit_at) || (!h && (!innermost(t, FK_DLFINI) || (fi = dtor_function_frame(bt, n)) < 0)))
		return 0;
	/* a handler: v == h->e is excluded by its own seq */
	cand = h ? earlier_static_dtor(p, t, at, ev_dec(h->e, 0), code_module(p, ev_field(h->e, 1)), 1, &exact, &obj)
		 : earlier_static_dtor(p, t, at, -1, bt[fi].code.mod, 0, &exact, &obj);
	if (!cand)
		return 0;
	hd = h ? atexit_display(p, ev_dec(h->e, 0), ev_field(h->e, 1)) : frame_func_text(&bt[fi]);
	cd = atexit_display(p, ev_dec(cand, 0), ev_field(cand, 1));
	on = object_name(p, obj);
	since = duration_text(e->t - ev_match(cand)->t);
	if (h)
		explain_add(e, NULL, NULL,
			    xasprintf("the %s (registered #%lld) failed after the %s (registered #%lld, later) destroyed %s "
				      "%s before; %s %s uses it: exit() runs atexit handlers and static destructors in "
				      "reverse order of registration, so what was constructed (registered) later is "
				      "destroyed first",
				      hd, ev_dec(h->e, 0), cd, ev_dec(cand, 0), on, since,
				      exact ? "the fault address lies in it:" : "most likely,", hd),
			    xasprintf("make %s outlive the destructor that uses it: construct it before that object (touch "
				      "it in its constructor, so it is registered first and destroyed last), or do not use it "
				      "in that destructor",
				      on));
	else
		explain_add(e, NULL, NULL,
			    xasprintf("the destructor function %s, run by _dl_fini at the end of exit(), failed %s after the "
				      "%s ran; %s %s uses %s: exit() runs the atexit handlers and static "
				      "destructors first (in reverse order of registration; all those of a library loaded "
				      "with dlopen, which registers them after _dl_fini), and only then each module's "
				      "destructor functions (__attribute__((destructor)), DT_FINI_ARRAY)",
				      hd, since, cd, exact ? "the fault address lies in the object:" : "most likely,", hd, on),
			    xasprintf("do not use %s (a static object with a destructor) from a destructor function: make it "
				      "outlive it (allocate it once and never destroy it), or do that work from a static "
				      "object's destructor constructed before %s, or in an explicit shutdown call before exit()",
				      on, on));
	free(hd);
	free(cd);
	free(on);
	free(since);
	return 1;
}

static void on_failure(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct frame *bt = NULL;
	int n = failure_frames(p, at, &bt);
	struct finding *crash;
	if (likely_tls(r, p, t, at, bt, n) || reverse_order(r, p, t, at, bt, n))
		if ((crash = finding_for(r, proc_ev(p, at), "crash")) != NULL)
			explain_failure(crash);
	free(bt);
}

static void order_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	if (proc_ev(p, at)->type == EV_PY_FIN)
		on_py_fin(r, p, t, proc_ev(p, at));
	else if (is_failure(p, proc_ev(p, at)) && !explained(proc_ev(p, at)) && (walk_ev(t->exit_at) || walk_ev(t->thread_exit_at)))
		on_failure(r, p, t, at);
}

const struct diag_rule diag_order = {"order", order_event, NULL, NULL};

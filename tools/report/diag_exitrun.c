/* diag_exitrun.c - exit-while-running: a thread that was still running (not itself exiting) while
 * another thread ran exit(), and failed (a crash, a fatal raise) after exit() had begun destroying
 * static objects under it. Names the thread and what it ran, the static destructor that most
 * likely destroyed what it used (the one whose object holds the fault address, else the one
 * running or last run on the exiting thread), and the exiting thread. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const struct tstate *exiting_thread(const struct tstate *t)
{
	int i;
	for (i = 0; diag_walk && i < diag_walk->nt; i++)
		if (&diag_walk->t[i] != t && walk_ev(diag_walk->t[i].exit_at))
			return &diag_walk->t[i];
	return NULL;
}

/* the static destructor, run by x before the failure, whose object a function of the failing
 * thread's program frames refers to in its code (*frame: that frame) */
static const struct event *referred(const struct proc *p, const struct tstate *x, const struct event *e, int at,
				    const struct frame *bt, int n, int *frame)
{
	const struct event *best = NULL;
	int i, k;
	for (i = 0; i < at; i++) {
		const struct event *v = proc_ev(p, i);
		const struct module *m;
		uint64_t obj, off = 0, size = 0;
		struct code c;
		char *nm;
		if (v->type != EV_ATEXIT_RUN || v->tid != x->tid || v->t < walk_ev(x->exit_at)->t ||
		    !atexit_is_static_dtor(p, ev_dec(v, 0), &obj) || !(m = module_holding(p, obj, e->t, 0, NULL)))
			continue;
		c.mod = m;
		c.off = obj - m->base;
		if (!(nm = sym_data(&c, &off, &size)))
			continue;
		free(nm);
		for (k = 0; k < n; k++) {
			struct code at_call = bt[k].code; /* a return address may be the next function's first */
			at_call.off -= bt[k].is_return && at_call.off;
			if (bt[k].code.mod == m && !is_system_module(m) && sym_func_refers(&at_call, c.off - off, c.off - off + size)) {
				best = v;
				*frame = k;
				break;
			}
		}
	}
	return best;
}

static void on_failure(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at);
	const struct tstate *x;
	const struct event *start = NULL, *culprit = NULL, *last_static = NULL;
	struct frame *bt = NULL;
	int n, i, exact = 0, inner = -1, outer = -1, refd = -1;
	uint64_t fault = 0, obj;
	char *xphase, *ran, *used, *what, *objname = NULL, *since, *failure_site, buf[800];
	struct finding *f, *failure;
	if (walk_ev(t->exit_at) || walk_ev(t->thread_exit_at) || t->depth || p->ended || !(x = exiting_thread(t)) || walk_ev(x->exit_at)->t > e->t)
		return;
	if (e->type == EV_CRASH && (ev_dec(e, 0) == SIGSEGV || ev_dec(e, 0) == SIGBUS) && ev_dec(e, 1) > 0)
		fault = ev_hex(e, 2);
	/* the static destructors the exiting thread began before the failure */
	for (i = 0; i < at; i++) {
		const struct event *v = proc_ev(p, i);
		if (v->type == EV_THREAD_START && v->tid == e->tid)
			start = v;
		if (v->type != EV_ATEXIT_RUN || v->tid != x->tid || v->t < walk_ev(x->exit_at)->t ||
		    !atexit_is_static_dtor(p, ev_dec(v, 0), &obj))
			continue;
		last_static = v;
		if (fault && object_holds(p, obj, fault, e->t))
			culprit = v, exact = 1;
	}
	n = failure_frames(p, at, &bt);
	if (!culprit)
		culprit = referred(p, x, e, at, bt, n, &refd);
	if (!culprit)
		culprit = innermost(x, FK_ATEXIT) ? innermost(x, FK_ATEXIT)->e : last_static;
	if (culprit && atexit_is_static_dtor(p, ev_dec(culprit, 0), &obj))
		objname = object_name(p, obj);
	for (i = 0; i < n; i++)
		if (!is_system_module(bt[i].code.mod)) {
			if (inner < 0)
				inner = i;
			outer = i;
		}
	struct symres sr;
	if (outer >= 0 && sym_lookup(&bt[outer].code, bt[outer].is_return, &sr) == 0 && sr.prog_func)
		/* (a std::thread's lambda, inlined into libstdc++'s _M_run: the lambda is what it ran) */
		ran = xasprintf("%s (%s:%d) in %s", sr.prog_func, base_name(sr.prog_file), sr.prog_line,
				base_name(bt[outer].code.mod->path));
	else if (outer >= 0)
		sym_describe(&bt[outer].code, bt[outer].is_return, buf, sizeof buf), ran = short_name(buf);
	else if (start)
		ran = code_full_name(p, ev_field(start, 1), 0);
	else
		ran = xstrdup(e->tid == p->pid ? "main" : "?");
	if (inner >= 0)
		sym_describe(&bt[inner].code, bt[inner].is_return, buf, sizeof buf), failure_site = short_name(buf);
	else
		failure_site = xstrdup("code of the system's libraries");
	xphase = phase_of(p, x, e->py);
	f = add_finding(r, "exit-while-running", SEV_ERROR, p, e);
	f->phase = xasprintf("%s (thread %d, exiting); thread %d was still running", xphase, x->tid, e->tid);
	finding_detail(f)->bt = bt;
	finding_detail(f)->nbt = n;
	bt = NULL;
	if (culprit) {
		char *d = atexit_display(p, ev_dec(culprit, 0), ev_field(culprit, 1));
		since = duration_text(e->t - culprit->t);
		used = xasprintf("%s after %s began on thread %d%s", since, d, x->tid,
				 ev_match(culprit) && ev_match(culprit)->t <= e->t ? " (that destructor had finished: the object was gone)" : " (that destructor was still running)");
		if (refd >= 0) {
			struct code at_call = detail_of(f)->bt[refd].code;
			char *fn, *sf;
			at_call.off -= detail_of(f)->bt[refd].is_return && at_call.off;
			fn = xstrdup(sym_func(&at_call) ? sym_func(&at_call) : "its code");
			sf = short_name(fn);
			what = xasprintf("%s (%s refers to it in its code)", objname ? objname : "its object", sf);
			free(fn);
			free(sf);
		} else {
			what = objname ? xasprintf("%s%s", exact ? "" : "most likely ", objname)
				       : xstrdup("most likely state that handler tore down");
		}
		free(d);
		free(since);
	} else {
		since = duration_text(e->t - walk_ev(x->exit_at)->t);
		used = xasprintf("%s after thread %d began exit()", since, x->tid);
		what = xstrdup("a static object or library state exit() tore down");
		free(since);
	}
	f->message = xasprintf("thread %d (running %s) was still running while thread %d ran exit(), and failed in "
			       "%s %s",
			       e->tid, ran, x->tid, failure_site, used);
	f->root_cause = xasprintf("exit() destroys static objects (static destructors and atexit handlers, in "
				  "reverse order of registration) while other threads keep running; thread %d went "
				  "on using %s%s after %s ran%s",
				  e->tid, what, exact ? " (the fault address lies in it)" : "", objname ? "its destructor" : "the handler",
				  exact || refd >= 0 ? "" : " (the failure is the first sign of it)");
	f->fix = xstrdup("stop and join background threads before main returns or exit() is called (a "
			 "destructor that only detaches them is too late), or never destroy the statics they use "
			 "(a leaked heap object, or std::quick_exit/_exit after flushing)");
	explain_add(e, f, xstrdup(f->phase), xasprintf("%s: %s", f->message, f->root_cause), xstrdup(f->fix));
	if ((failure = finding_for(r, e, "crash")) != NULL)
		explain_failure(failure);
	free(xphase);
	free(ran);
	free(used);
	free(what);
	free(objname);
	free(failure_site);
}

static void exitrun_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	if (is_failure(p, proc_ev(p, at)) && !explained(proc_ev(p, at)))
		on_failure(r, p, t, at);
}

const struct diag_rule diag_exitrun = {"exitrun", exitrun_event, NULL, NULL};

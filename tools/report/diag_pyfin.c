/* diag_pyfin.c - python-after-finalize: native code entered the Python C API (PyGILState_Ensure,
 * PyThreadState_New, a Py_DECREF through a destructor, ...) after the interpreter was finalized,
 * and failed there: a crash or a fatal raise whose backtrace has Python's frames called from a
 * native module, with the PY column saying finalized (or finalizing). The step it ran in (a pthread
 * key destructor, a thread_local destructor, a static destructor or atexit handler, a thread still
 * running), how long after finalization, and what made that step run then (the thread was ending
 * while another ran exit()'s static destructors, which waited for it). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* "f.cold": a part of f that symbolize.c named */
static int is_cold_part(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".cold");
}

static int is_python_module(const struct module *m)
{
	const char *b = m ? base_name(m->path) : "";
	return !strncmp(b, "libpython", 9) || !strncmp(b, "python3", 7) || !strcmp(b, "python");
}

/* When Python was finalized, as the trace bounds it: the end of an interposed Py_Finalize, else
 * the first event that saw the interpreter finalized (the state is read at each event). */
static const struct event *finalized_at(const struct proc *p, const struct event *e)
{
	int i;
	const struct event *began = NULL;
	for (i = 0; i < p->nev && proc_ev(p, i) != e; i++) {
		if (proc_ev(p, i)->type == EV_PY_FIN_END || proc_ev(p, i)->py == PY_DEAD)
			return proc_ev(p, i);
		if (!began && proc_ev(p, i)->type == EV_PY_FIN)
			began = proc_ev(p, i);
	}
	/* still finalizing: since the Py_Finalize call began (its py_fin line) */
	return e->py == PY_FINALIZING ? began : NULL;
}

/* the py_atexit_reg line of the Py_AtExit function whose run began with e */
static const struct event *pyexit_registered(const struct proc *p, const struct event *run)
{
	int i;
	for (i = 0; i < p->nev && proc_ev(p, i) != run; i++)
		if (proc_ev(p, i)->type == EV_PY_ATEXIT_REG && ev_dec(proc_ev(p, i), 0) == ev_dec(run, 0))
			return proc_ev(p, i);
	return NULL;
}

/* the innermost thread other than t in the middle of exit() with a handler running */
static const struct tstate *exiting_other(const struct tstate *t)
{
	int i;
	for (i = 0; diag_walk && i < diag_walk->nt; i++) {
		const struct tstate *x = &diag_walk->t[i];
		if (x != t && walk_ev(x->exit_at) && innermost(x, FK_ATEXIT))
			return x;
	}
	return NULL;
}

static void on_failure(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at);
	struct frame *bt = NULL;
	int n = failure_frames(p, at, &bt), i, entry = -1, api = -1, in_fin = 0;
	const struct event *fin;
	const struct tstate *x;
	struct finding *f, *failure;
	char *step, *caller, *apiname, *why, *since, *fix = NULL;
	const struct tframe *pyexit;
	const char *fin_fn = NULL;
	if (e->py != PY_DEAD && e->py != PY_FINALIZING && !innermost(t, FK_PYENDINTERP))
		goto out;
	/* the native frame that called into Python: the first non-Python frame above a Python one */
	for (i = 1; i < n && entry < 0; i++)
		if (is_python_module(bt[i - 1].code.mod) && bt[i].code.mod && !is_python_module(bt[i].code.mod) &&
		    !is_shim_module(bt[i].code.mod))
			entry = i;
	if (entry < 0)
		goto out;
	/* the interpreter's own teardown below it, which ran that native code (a destructor) itself */
	for (i = entry + 1; i < n && !fin_fn; i++)
		if (is_python_module(bt[i].code.mod) && sym_func(&bt[i].code) &&
		    (!strcmp(sym_func(&bt[i].code), "Py_FinalizeEx") || !strcmp(sym_func(&bt[i].code), "Py_Finalize") ||
		     !strcmp(sym_func(&bt[i].code), "Py_EndInterpreter")))
			fin_fn = sym_func(&bt[i].code);
	if (!fin_fn && t->depth && tstack(t)[t->depth - 1].kind == FK_PYFIN && e->py == PY_FINALIZING)
		fin_fn = "Py_Finalize";
	if (!fin_fn && t->depth && tstack(t)[t->depth - 1].kind == FK_PYENDINTERP)
		fin_fn = "Py_EndInterpreter";
	if (e->py != PY_DEAD && e->py != PY_FINALIZING && !fin_fn)
		goto out;
	/* the API function it called: the outermost Python frame below it with a name; past a cold
	 * part ("PyGILState_Ensure.cold", symbolize.c), the function it called too, the part being
	 * only the rarely run code of the API function */
	for (i = entry - 1; i >= 0 && api < 0; i--)
		if (is_python_module(bt[i].code.mod) && sym_func(&bt[i].code) && !is_cold_part(sym_func(&bt[i].code)))
			api = i;
	for (i = 0; i < entry && api < 0; i++)
		if (sym_func(&bt[i].code))
			api = i;
	step = phase_of(p, t, e->py);
	{
		char buf[800];
		sym_describe(&bt[entry].code, bt[entry].is_return, buf, sizeof buf);
		caller = xstrdup(buf);
		/* the Python frames it went through, outermost first, to the named API function:
		 * "PyGILState_Ensure > PyThreadState_New" (a cold part by its function's name), or
		 * "python3+0x460e6b > PyThreadState_New" where a frame has no name */
		size_t k = 0;
		buf[0] = 0;
		for (i = entry - 1; i >= (api >= 0 ? api : entry - 1) && k < sizeof buf - 1; i--) {
			char one[400];
			struct code at_call = bt[i].code;
			const char *nm;
			at_call.off -= bt[i].is_return && at_call.off;
			nm = sym_func(&at_call);
			if (nm)
				snprintf(one, sizeof one, "%.*s", (int)(strlen(nm) - (is_cold_part(nm) ? 5 : 0)), nm);
			else
				sym_describe(&bt[i].code, bt[i].is_return, one, sizeof one);
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", k ? " > " : "", one);
		}
		apiname = xstrdup(buf);
	}
	fin = finalized_at(p, e);
	since = fin ? duration_text(e->t - fin->t) : NULL;
	/* what made this step run now */
	if ((pyexit = innermost(t, FK_PYATEXIT)) != NULL) {
		const struct event *reg = pyexit_registered(p, pyexit->e);
		struct frame fr = {.is_return = 0};
		/* caller "-": read from the interpreter's own list (a call the shim did not see) */
		int unseen = reg && !strcmp(ev_field(reg, 2), "-");
		char *by = reg && *ev_field(reg, 2) && !unseen ? code_full_name(p, ev_field(reg, 2), 1) : NULL;
		char *fn = code_parse(p, ev_field(pyexit->e, 1), &fr.code) == 0 && fr.code.mod ? frame_func_text(&fr)
											     : xstrdup(ev_field(pyexit->e, 1));
		why = xasprintf("the Py_AtExit function %s was registered with Py_AtExit%s%s; CPython calls such "
				"functions at the very end of Py_FinalizeEx, after the interpreter was destroyed, so "
				"they must not use the Python C API",
				fn, by ? " by " : "",
				by ? by : unseen ? " (its caller is not known: the shim found it in the interpreter's own list, "
						   "as it finds one registered by a module's constructor)" : "");
		fix = xasprintf("move the Python work of the Py_AtExit function %s (objects, the GIL) to an "
				"atexit.register callback, which runs before finalization, leaving it native cleanup "
				"only, or return early from it when Py_IsInitialized() is false", fn);
		free(fn);
		free(by);
	} else if (!walk_ev(t->exit_at) && (innermost(t, FK_KEYDTOR) || innermost(t, FK_TLSDTOR) || walk_ev(t->thread_exit_at))) {
		x = exiting_other(t);
		if (x) {
			char *xs = phase_of(p, x, e->py);
			why = xasprintf("thread %d was ending while thread %d was in %s, which had not returned: "
					"that step runs in exit() after Python was finalized, and it waited for this "
					"thread (joined it) without stopping its Python work first",
					e->tid, x->tid, xs);
			free(xs);
		} else {
			why = xasprintf("thread %d was ending after Python was finalized, and its destructors call "
					"into Python", e->tid);
		}
	} else if ((in_fin = fin_fn && e->py != PY_DEAD)) {
		/* in the interpreter's own teardown (Py_FinalizeEx, or Py_EndInterpreter for a
		 * sub-interpreter: mod_wsgi's), nothing of the shim's inside it: its final collections and
		 * the clearing of sys and of the modules run destructors (tp_dealloc, tp_finalize, a
		 * module's m_free), and by then sys.modules is emptied and module dicts are cleared, so a
		 * lookup there (PySys_GetObject("modules"), PyImport_ImportModule, a global) gives NULL or
		 * None (Python/pylifecycle.c finalize_modules, CPython 3.11-3.14) */
		why = xasprintf("%s itself ran this code: its last garbage collections and its clearing of "
				"sys.modules and of each module's globals call the destructors (tp_dealloc, m_free) of "
				"the objects still alive, and by then a lookup of a module or a global gives NULL or "
				"None; the C API called with such a result crashes", fin_fn);
		if (!strcmp(fin_fn, "Py_EndInterpreter")) /* (Py_IsFinalizing is the runtime's, false here) */
			fix = xasprintf("make the destructor safe when its interpreter is destroyed: test every lookup's "
					"result for NULL, and keep what it needs (a module, a function) as a reference "
					"taken at import in the module's state (multi-phase initialization, PEP 489, "
					"gives each interpreter its own), instead of looking it up when it runs%s",
					!strcmp(prog_of(p), "apache2") || !strcmp(prog_of(p), "httpd")
						? "; until then, WSGIDestroyInterpreter Off (mod_wsgi 4.9.1 and later) "
						       "leaves the sub-interpreters to the process's exit" : "");
		else
			fix = xstrdup("make the destructor safe at finalization: return early when Py_IsFinalizing() "
				      "(3.13; _Py_IsFinalizing() before) is true, test every lookup's result for NULL, and "
				      "keep what it needs (a module, a function) as a reference taken at import in the "
				      "module's state, instead of looking it up when it runs");
	} else if (innermost(t, FK_ATEXIT) || walk_ev(t->exit_at)) {
		why = xstrdup("exit() runs static destructors, atexit handlers and the exiting thread's "
			      "thread_local destructors after the interpreter was finalized (python3 finalizes "
			      "Python before exit(), and so do embedding programs that call Py_Finalize early)");
	} else {
		why = xasprintf("thread %d went on running native code that uses Python after the interpreter "
				"was finalized", e->tid);
	}
	f = add_finding(r, "python-after-finalize", SEV_ERROR, p, e);
	f->phase = xstrdup(step);
	finding_detail(f)->bt = bt;
	finding_detail(f)->nbt = n;
	bt = NULL;
	/* (no time where the trace has no line of the finalization before this one) */
	if (in_fin && !since) /* (the step names the teardown) */
		f->message = xasprintf("%s called into Python (%s) in %s", caller, apiname, step);
	else
		f->message = xasprintf("%s called into Python (%s) in %s, %s%s%safter Python%s", caller, apiname, step,
				       fin && fin->type != EV_PY_FIN_END && fin->type != EV_PY_FIN ? "at least " : "",
				       since ? since : "", since ? " " : "",
				       e->py == PY_DEAD ? " was finalized" : "'s finalization began");
	f->root_cause = xasprintf("%s%s%s", why, fin || in_fin ? "" : " (the trace does not show when Python was finalized)",
				  in_fin ? "" : ". The interpreter's state is gone: taking the GIL or touching an object "
						"then crashes, hangs or ends the thread");
	f->fix = fix ? fix : xstrdup("release Python objects and stop native threads before finalization (an "
			 "atexit.register callback runs before it; join the threads there), or return early from "
			 "native teardown code when Py_IsInitialized() is false");
	if (fin) {
		char *m = f->message;
		f->message = xasprintf("%s (%s on thread %d)", m,
				       fin->type == EV_PY_FIN_END ? "Py_Finalize returned"
				       : fin->type == EV_PY_FIN	  ? "Py_Finalize began"
								  : "first seen finalized",
				       fin->tid);
		free(m);
	}
	explain_add(e, f, NULL, xasprintf("%s: %s", f->message, f->root_cause), xstrdup(f->fix));
	if ((failure = finding_for(r, e, "crash")) != NULL)
		explain_failure(failure);
	free(step);
	free(caller);
	free(apiname);
	free(why);
	free(since);
out:
	free(bt);
}

static void pyfin_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	if (is_failure(p, proc_ev(p, at)) && !explained(proc_ev(p, at)))
		on_failure(r, p, t, at);
}

const struct diag_rule diag_pyfin = {"pyfin", pyfin_event, NULL, NULL};

/* diag_signal.c - diagnoses of signal handlers, arrivals and masks (sig_handler, sig_arrive,
 * sig_inherit, sig_mask, sig_ignored lines):
 *   signal-handler  a termination signal's handler (SIGTERM, SIGINT, SIGHUP, SIGQUIT) that one
 *                   module installed, replaced by a handler or SIG_IGN installed from another
 *                   module (a plugin's event loop taking over a server's shutdown signal), with
 *                   the arrival that then ran the new handler; an application's registration its
 *                   host ignored (mod_wsgi, WSGIRestrictSignal), with whose handler took the
 *                   signal and how the process ended; a termination signal a traced process sent
 *                   that never arrived, because the target inherited it blocked or ignored, set
 *                   SIG_IGN for it itself, or every thread blocked it; a process that started with
 *                   SIGTERM ignored or blocked and ended by SIGKILL or not at all (with where its
 *                   traced parent blocked it, or the program it replaced by exec ignored it);
 *                   in Python (sig_handler_py, sig_handler_pyfn lines), a handler set with
 *                   signal.signal replaced by one set at another place (a module imported later),
 *                   a SIG_IGN named by its Python file and line, and a handler that took the signal
 *                   after which the process ran on until a SIGKILL (diag_signal_py: after the
 *                   outcome's findings, so as not to say again what its killed finding says)
 * The lines involved join the timeline. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static int termination_signal(int sig) { return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT; }

static int is_function(const char *handler) { return strcmp(handler, "0x0") != 0 && strcmp(handler, "0x1") != 0; }

/* code_tok (diag.h) */
const char *code_tok(const struct proc *p, const struct event *e, int i, char *buf, size_t n)
{
	const char *tok = ev_field(e, i);
	struct code c;
	if (!code_parse_at(p, tok, e->t, &c))
		return tok;
	snprintf(buf, n, "%d+0x%llx", c.mod->id, (unsigned long long)c.off);
	return buf;
}

/* "shutdown_handler (server), installed by main (server)" */
static char *handler_text(const struct proc *p, const struct event *e)
{
	char hb[48], sb[48];
	const char *ht = code_tok(p, e, 1, hb, sizeof hb);
	char *h = handler_func_name(p, ht), *site = code_full_name(p, code_tok(p, e, 4, sb, sizeof sb), 1), *s;
	const struct module *m = code_module(p, ht);
	if (strstr(h, " is stripped)")) /* (module+offset, then that: the module is said) */
		m = NULL;
	if (!is_function(ev_field(e, 1)))
		s = xasprintf("%s, installed from %s", !strcmp(ev_field(e, 1), "0x1") ? "SIG_IGN" : "SIG_DFL", site);
	else
		s = xasprintf("%s%s%s%s, installed from %s", h, m ? " (" : "", m ? base_name(m->path) : "", m ? ")" : "", site);
	free(h);
	free(site);
	return s;
}

/* (report.h) */
int kill_py_span(const struct proc *p, int at, int *from)
{
	const struct event *k = proc_ev(p, at);
	int i;
	if (!strcmp(ev_field(k, 4), "-")) {
		for (*from = at, i = at - 1; i >= 0; i--)
			if (proc_ev(p, i)->tid == k->tid) {
				if (proc_ev(p, i)->type != EV_KILL_PY)
					break;
				*from = i;
			}
		return at;
	}
	for (*from = i = at + 1; i < p->nev; i++)
		if (proc_ev(p, i)->tid == k->tid && proc_ev(p, i)->type != EV_KILL_PY)
			break;
	return i;
}

/* The Python place of kill line k of p (at place at): its kill_py traceback lines (the same
 * thread's, right after it, or right before one written before its call, RET "-", which may
 * reach its own process: shim/signals.c, a kill Python code made), the innermost frame outside
 * the standard library (a path under .../lib/python3.N/ other than its site- and dist-packages:
 * Popen.send_signal is subprocess.py's, the caller's frame says who stopped the child), else the
 * innermost; "arbiter.py:653 in Arbiter.kill_worker"; NULL where there are none. malloc'd */
static char *kill_py_site(const struct proc *p, int at)
{
	const struct event *k = proc_ev(p, at);
	char *first = NULL, *other = NULL, dir[200] = "";
	int from, to = kill_py_span(p, at, &from), i;
	for (i = from; i < to; i++) {
		const struct event *e = proc_ev(p, i);
		struct py_tb_frame fr;
		char *text;
		if (e->tid != k->tid)
			continue;
		text = decode_str(ev_field(e, 0));
		if (py_tb_frame_parse(text, &fr)) {
			const char *lib = strstr(fr.path, "/lib/python3.");
			int stdlib = lib && !strstr(lib, "-packages/") && lib[13] >= '0' && lib[13] <= '9';
			int dlen = (int)(fr.base - fr.path);
			char *w = xasprintf("%.*s:%d in %s", fr.blen, fr.base, fr.line, fr.func);
			if (!stdlib) {
				free(first);
				free(other);
				free(text);
				return w;
			}
			/* (all the standard library's: the first frame out of the innermost's package,
			 * not threading's bootstrap, says more: concurrent.futures' terminate_broken,
			 * not multiprocessing's Popen._send_signal, FRESH14b) */
			if (!first) {
				first = w;
				snprintf(dir, sizeof dir, "%.*s", dlen, fr.path);
			} else if (!other && (dlen != (int)strlen(dir) || strncmp(fr.path, dir, (size_t)dlen)) &&
				   strncmp(fr.base, "threading.py", 12)) {
				other = w;
			} else {
				free(w);
			}
		}
		free(text);
	}
	if (other) {
		free(first);
		return other;
	}
	return first;
}

/* The site of kill line k of p in words (malloc'd): its caller, symbolized; but a handler whose
 * last act is the call (a tail call: timeout(1)'s cleanup ends in kill(0, SIGCONT)) left no frame
 * of its own, and the return address is the shim's trampoline that called it (then the handler
 * the arrival ran is named) or glibc's signal return trampoline (__restore_rt, x86-64
 * sysdeps/unix/sysv/linux/x86_64/libc_sigaction.c): then "in a signal handler", with the latest
 * termination signal that arrived at a handler on that thread before it, if any (the trace has
 * arrivals of SIGTERM, SIGINT, SIGHUP... only: a SIGALRM handler's is not known) */
char *kill_site(const struct proc *p, const struct event *k)
{
	struct code c;
	struct symres s;
	const struct event *arr = NULL;
	/* a kill from the interpreter's code (CPython's os.kill: "python3+0x66b4fa" says nothing):
	 * its Python place, where its kill_py lines follow (the kill's place found by a walk of p's
	 * lines: only for such kills) */
	const struct module *m = code_parse(p, ev_field(k, 8), &c) == 0 ? c.mod : NULL;
	if (m && (!strncmp(base_name(m->path), "python", 6) || !strncmp(base_name(m->path), "libpython", 9)))
		for (int i = 0; i < p->nev; i++)
			if (proc_ev(p, i) == k) {
				char *py = kill_py_site(p, i);
				if (py) {
					char *w = xasprintf("%s (Python)", py);
					free(py);
					return w;
				}
				break;
			}
	int shim = code_parse(p, ev_field(k, 8), &c) == 0 && is_shim_module(c.mod);
	if (!shim && (code_parse(p, ev_field(k, 8), &c) != 0 || sym_lookup(&c, 1, &s) != 0 || !s.func ||
		      strcmp(s.func, "__restore_rt") != 0))
		return code_full_name(p, ev_field(k, 8), 1);
	for (int i = 0; i < p->nev && proc_ev(p, i) != k; i++)
		if (proc_ev(p, i)->type == EV_SIG_ARRIVE && proc_ev(p, i)->tid == k->tid && proc_ev(p, i)->t <= k->t &&
		    !strcmp(ev_field(proc_ev(p, i), 5), "fn"))
			arr = proc_ev(p, i);
	/* the same tail call from a handler the shim's trampoline called (a termination signal's,
	 * shim/signals.c term_trampoline): the return address is the shim's, and the handler is the
	 * one the arrival on that thread ran (its field 4) */
	if (shim && arr) {
		char *h = handler_func_name(p, ev_field(arr, 4)), *w;
		const struct module *m = code_module(p, ev_field(arr, 4));
		if (strstr(h, " is stripped)")) /* (module+offset, then that: the module is said) */
			m = NULL;
		w = xasprintf("the handler %s%s%s%s of %s (as its last call, so its caller is the shim's handler trampoline)",
			      h, m ? " (" : "", m ? base_name(m->path) : "", m ? ")" : "", signal_name((int)ev_dec(arr, 0)));
		free(h);
		return w;
	}
	if (shim)
		return xstrdup("a signal handler (as its last call, so its caller is the shim's handler trampoline)");
	if (arr) {
		char *ago = duration_text(k->t - arr->t), *w;
		w = xasprintf("a signal handler (as its last call, so its caller is the signal return trampoline; "
			      "probably its handler of %s, which arrived on that thread %s before)",
			      signal_name((int)ev_dec(arr, 0)), ago);
		free(ago);
		return w;
	}
	return xstrdup("a signal handler (as its last call, so its caller is the signal return trampoline)");
}

/* the module whose code installed a handler (the caller of sigaction/signal) */
static const struct module *installer(const struct proc *p, const struct event *e)
{
	char b[48];
	return code_module(p, code_tok(p, e, 4, b, sizeof b));
}

/* The executable (module 0: the host) installing its handler over one a library it embeds had
 * installed (uWSGI's master after Py_Initialize's SIGINT handler, h3): the program deciding its
 * own signals, not a finding; a library replacing the program's (s1) or another library's is. */
static int host_takes_over(const struct module *was, const struct module *now)
{
	return now && was && now->id == 0 && was->id != 0;
}

/* per signal, the last installation in the process being walked; cleared after each */
static struct event *current[65];
/* per signal, the replacement finding of the process being walked, and its replaced line */
static struct finding *replaced_f[65];
static struct event *replaced_prev[65];

static void replaced(struct report *r, struct proc *p, struct tstate *t, struct event *prev, struct event *e)
{
	int sig = (int)ev_dec(e, 0), kept_old = !strcmp(ev_field(e, 3), "sigaction+old");
	struct finding *f = add_finding(r, "signal-handler", kept_old ? SEV_INFO : SEV_WARNING, p, e);
	char *was = handler_text(p, prev), *now = handler_text(p, e);
	const struct module *mp = installer(p, prev), *mn = installer(p, e);
	prev->shown = e->shown = 1;
	finding_set_signal(f, sig);
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("the %s handler %s was replaced by %s, on thread %d", signal_name(sig), was, now, e->tid);
	f->root_cause = xasprintf(
		"%s installed its own %s handler over the one %s had installed; a process has one handler "
		"per signal, so %s now %s%s",
		mn ? base_name(mn->path) : "another module", signal_name(sig), mp ? base_name(mp->path) : "the program",
		signal_name(sig), is_function(ev_field(e, 1)) ? "runs only the new handler" : "is ignored",
		kept_old ? " (it asked for the previous action: it may chain to it, which the trace cannot tell)"
			 : ", not the first one (it did not even ask for it, so it cannot chain to it)");
	replaced_f[sig] = f;
	replaced_prev[sig] = prev;
	f->fix = xasprintf("a library must not take over process signals: make it leave %s alone (an option of "
			   "its event loop) or chain to the previous handler; or let the host install its handler "
			   "again after loading the module, or block %s in the library's threads",
			   signal_name(sig), signal_name(sig));
	free(was);
	free(now);
}


/* "process 812 (supervisor)": the sender of an arrival at p, by pid, with the name the shim read */
static char *sender_text(const struct proc *p, const struct event *a)
{
	if (!strcmp(ev_field(a, 2), "-"))
		return xstrdup("the kernel");
	if (atoi(ev_field(a, 2)) == p->pid)
		return xstrdup("the process itself");
	return xasprintf("process %s (%s%s)", ev_field(a, 2), strcmp(ev_field(a, 6), "-") ? ev_field(a, 6) : "?",
			 atoi(ev_field(a, 2)) == p->ppid ? ", its parent" : "");
}

/* a signal arrived at the handler that replaced the first one: say that it ran, not the first */
static void arrived(struct proc *p, struct event *e)
{
	int sig = (int)ev_dec(e, 0);
	struct finding *f;
	char *now, *was, *from, *m, eb[48], cb[48], pb[48];
	if (sig <= 0 || sig >= 65 || !(f = replaced_f[sig]) || !current[sig] || strcmp(ev_field(e, 5), "fn") ||
	    strcmp(code_tok(p, e, 4, eb, sizeof eb), code_tok(p, current[sig], 1, cb, sizeof cb)) != 0)
		return;
	now = handler_func_name(p, code_tok(p, e, 4, eb, sizeof eb));
	was = handler_func_name(p, code_tok(p, replaced_prev[sig], 1, pb, sizeof pb));
	from = sender_text(p, e);
	m = xasprintf("%s; the %s from %s, on thread %d, ran %s, not %s", f->message, signal_name(sig), from, e->tid, now, was);
	free(f->message);
	f->message = m;
	e->shown = 1;
	replaced_f[sig] = NULL; /* the first arrival says it */
	free(now);
	free(was);
	free(from);
}

/* per signal, the finding of a registration the host ignored (s3), in the process walked */
static struct finding *ignored_f[65];

/* mod_wsgi (WSGIRestrictSignal On) ignored the application's signal.signal(sig, ...) */
static void host_ignored(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	int sig = (int)ev_dec(e, 0);
	struct finding *f;
	if (sig <= 0 || sig >= 65 || ignored_f[sig])
		return;
	f = add_finding(r, "signal-handler", SEV_WARNING, p, e);
	e->shown = 1;
	finding_set_signal(f, sig);
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("the application's %s handler was never installed: %s ignored its registration "
			       "(signal.signal, on thread %d)", signal_name(sig), ev_field(e, 1), e->tid);
	f->root_cause = xasprintf("with WSGIRestrictSignal On (the default) mod_wsgi replaces signal.signal in every "
				  "interpreter by a function that only logs \"Callback registration for signal %d "
				  "ignored\" and returns: %s stays Apache's, which the application's code never sees",
				  sig, signal_name(sig));
	f->fix = xasprintf("do the application's cleanup where mod_wsgi runs it: an atexit callback (run when "
			   "mod_wsgi finalizes the interpreter at the process's shutdown) or "
			   "mod_wsgi.subscribe_shutdown(); WSGIRestrictSignal Off lets the registration through, "
			   "but then the application's handler replaces Apache's and must end the process itself");
	ignored_f[sig] = f;
}

/* a signal arrived after its registration was ignored: whose handler took it */
static void arrived_after_ignored(struct proc *p, struct event *e)
{
	int sig = (int)ev_dec(e, 0);
	struct finding *f;
	char *h, *from, *m;
	if (sig <= 0 || sig >= 65 || !(f = ignored_f[sig]) || f->ev->type == EV_SIG_ARRIVE)
		return;
	/* (the handler with its module where its name does not say it: "loop_sigint (libplugin.so)";
	 * Debian's mod_mpm_prefork.so has no symbols: "mod_mpm_prefork.so+0x3e70" alone) */
	h = arrival_handler_words(p, e);
	from = sender_text(p, e);
	if (!strcmp(ev_field(e, 5), "fn")) {
		m = xasprintf("%s; the %s from %s was taken by %s, the host's own handler, on thread %d", f->message,
			      signal_name(sig), from, h, e->tid);
	} else {
		m = xasprintf("%s; the %s from %s met the default action on thread %d", f->message, signal_name(sig), from, e->tid);
	}
	free(f->message);
	f->message = m;
	e->shown = 1;
	f->ev = e; /* (the first arrival only) */
	free(h);
	free(from);
}

static void signal_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at), *prev;
	int sig;
	if (e->type == EV_SIG_IGNORED)
		host_ignored(r, p, t, e);
	if (e->type == EV_SIG_ARRIVE) {
		arrived(p, e);
		arrived_after_ignored(p, e);
	}
	if (e->type != EV_SIG_HANDLER)
		return;
	sig = (int)ev_dec(e, 0);
	if (sig <= 0 || sig >= 65)
		return;
	prev = current[sig];
	current[sig] = e;
	if (prev && termination_signal(sig) && is_function(ev_field(prev, 1)) &&
	    strcmp(ev_field(prev, 1), ev_field(e, 1)) != 0 && strcmp(ev_field(e, 1), "0x0") != 0 &&
	    installer(p, prev) != installer(p, e) && !host_takes_over(installer(p, prev), installer(p, e)))
		replaced(r, p, t, prev, e);
}

static struct finding **ended_later; /* (ignored_handler_ended) */
static int nended_later;

static void signal_proc_end(struct report *r, struct proc *p, struct pstate *ps)
{
	(void)r, (void)p, (void)ps;
	memset(current, 0, sizeof current);
	memset(replaced_f, 0, sizeof replaced_f);
	memset(replaced_prev, 0, sizeof replaced_prev);
	for (int sig = 1; sig < 65; sig++) {
		struct finding *f = ignored_f[sig];
		char *m;
		if (!f || f->ev->type != EV_SIG_ARRIVE || strcmp(ev_field(f->ev, 5), "fn"))
			continue;
		/* how the process ended after that handler took the signal */
		int pyfin = 0;
		for (int i = 0; i < p->nev; i++)
			if (proc_ev(p, i)->type == EV_PY_FIN && proc_ev(p, i)->t >= f->ev->t)
				pyfin = 1;
		if (p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal"))
			m = xasprintf("%s; the process then died by %s", f->message, signal_name(p->exit_signal));
		else if (p->exit_known && proc_exit_began(p))
			m = xasprintf("%s, which %sended the process: %s(%d) %.3f s after the signal (the process ended "
				      "through that signal, not a plain exit)",
				      f->message, pyfin ? "finalized Python and " : "",
				      ev_name(proc_exit_began(p)), p->exit_status, (double)(int64_t)(proc_exit_began(p)->t - f->ev->t) / 1e9);
		else { /* (its end is known only once every trace is read: said at signal_py_report_end) */
			ended_later = xrealloc(ended_later, (size_t)(nended_later + 1) * sizeof *ended_later);
			ended_later[nended_later++] = f;
			continue;
		}
		free(f->message);
		f->message = m;
	}
	memset(ignored_f, 0, sizeof ignored_f);
}

/* A host-ignored handler's findings whose process's end was not in its own trace when it was
 * walked: the end as the other traces tell it (a parent's reap: killed), after the outcomes are
 * known (diag_outcome), not "its outcome, in the process's header" (FRESH17b item 8, s3 daemon:
 * the process hung in Py_EndInterpreter and was killed by SIGKILL) */
static void ignored_handler_ended(void)
{
	for (int i = 0; i < nended_later; i++) {
		struct finding *f = ended_later[i];
		const struct proc *p = f->proc;
		char *m;
		if (p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal"))
			m = xasprintf("%s; the process did not end through it: it was killed later by %s (its other findings "
				      "say where it was)", f->message, signal_name(p->exit_signal));
		else if (p->exit_known)
			m = xasprintf("%s; the process ended later: %s", f->message, proc_how(p) ? proc_how(p) : "how is not known");
		else
			m = xasprintf("%s; the process did not end through it: its trace has no end (its other findings say "
				      "where it was)", f->message);
		str_free(f->message); /* (settled since: perhaps interned) */
		f->message = m; /* (settled again after every rule: analyze) */
	}
	free(ended_later);
	ended_later = NULL;
	nended_later = 0;
}

/* ---- handlers Python code set with signal.signal (sig_handler_py lines) ---- */

/* Where Python code set a handler: the `sig_handler_py` traceback after its `sig_handler` line (the
 * shim writes one for each call of CPython's PyOS_setsig while Python code runs): the innermost
 * frame outside the standard library's signal.py wrapper (Lib/signal.py's signal(), which calls
 * _signal.signal) is the caller of signal.signal; frames of <frozen importlib._bootstrap...>
 * after it mean its module ran on import, and the first frame outside them is the import's. */
struct pyset {
	int known;            /* a frame was found */
	char file[160];       /* the setter's file, its last path element: "metrics.py" */
	int line;
	char func[96];        /* its code's name: "<module>", "setup" */
	char importer[200];   /* "t8.py:6", where the import ran; "" if not imported */
	char handler[200];    /* the function installed, "metrics._metrics_term" ("graceful_shutdown"
			       * in __main__), from the sig_handler_pyfn line; "" if not known */
};

/* one traceback line's file (last path element), line and function; 0 if it names no frame */
static int py_tb_frame(const char *text, char *file, size_t nf, int *line, char *func, size_t nfn, int *frozen)
{
	struct py_tb_frame fr;
	if (!py_tb_frame_parse(text, &fr))
		return 0;
	*frozen = !strncmp(fr.path, "<frozen importlib", 17);
	snprintf(file, nf, "%.*s", fr.blen, fr.base);
	*line = fr.line;
	snprintf(func, nfn, "%s", fr.func);
	return 1;
}

/* The Python place that set the handler of p's sig_handler line at place at (its following
 * sig_handler_py lines by the same thread); ps->known 0 where there are none. */
static void pyset_of(const struct proc *p, int at, struct pyset *ps)
{
	const struct event *h = proc_ev(p, at);
	int i, state = 0; /* 0: looking for the setter, 1: in import frames after it, 2: done */
	int frames = 0, wrapper = 0; /* the innermost frame is Lib/signal.py's signal() */
	memset(ps, 0, sizeof *ps);
	for (i = at + 1; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		char file[160], func[96], *text;
		int line, frozen;
		if (e->tid != h->tid)
			continue;
		if (e->type == EV_SIG_HANDLER_PYFN) {
			/* (read from that wrapper's frame: shim/python.c py_signal_handler_name) */
			if (wrapper && e->nf >= 2) {
				char *mod = decode_str(ev_field(e, 0)), *qual = decode_str(ev_field(e, 1));
				if (mod && qual)
					snprintf(ps->handler, sizeof ps->handler, "%s%s%s", strcmp(mod, "__main__") ? mod : "",
						 strcmp(mod, "__main__") ? "." : "", qual);
				free(mod);
				free(qual);
			}
			break;
		}
		if (e->type != EV_SIG_HANDLER_PY)
			break;
		if (state == 2)
			continue;
		text = decode_str(ev_field(e, 0));
		if (text && py_tb_frame(text, file, sizeof file, &line, func, sizeof func, &frozen)) {
			if (frames++ == 0)
				wrapper = !strcmp(file, "signal.py") && !strcmp(func, "signal");
			if (state == 0 && !frozen && !(!strcmp(file, "signal.py") && !strcmp(func, "signal"))) {
				snprintf(ps->file, sizeof ps->file, "%s", file);
				snprintf(ps->func, sizeof ps->func, "%s", func);
				ps->line = line;
				ps->known = 1;
				state = !strcmp(func, "<module>") ? 1 : 2;
			} else if (state == 1 && !frozen) {
				state = 2;
			} else if (state == 1 && frozen && !ps->importer[0]) {
				ps->importer[0] = '?'; /* (an import frame: the next real one imported it) */
			}
			if (state == 2 && ps->importer[0] == '?')
				snprintf(ps->importer, sizeof ps->importer, "%s:%d", file, line);
		}
		free(text);
	}
	if (ps->importer[0] == '?')
		ps->importer[0] = 0;
}

/* "metrics.py:4 (module metrics, imported at t8.py:6)", "t8.py:5 (in <module>)",
 * "app.py:30 (in setup)" */
static char *pyset_words(const struct pyset *ps)
{
	size_t n = strlen(ps->file);
	if (ps->importer[0])
		return xasprintf("%s:%d (module %.*s, imported at %s)", ps->file, ps->line,
				 (int)(n > 3 && !strcmp(ps->file + n - 3, ".py") ? n - 3 : n), ps->file, ps->importer);
	return xasprintf("%s:%d (in %s)", ps->file, ps->line, ps->func);
}

/* "metrics._metrics_term, set at metrics.py:4 (...)", or "the handler set at ..." where its name
 * is not known */
static char *pyhandler_words(const struct pyset *ps)
{
	char *at = pyset_words(ps), *s;
	s = ps->handler[0] ? xasprintf("%s, set at %s", ps->handler, at) : xasprintf("the handler set at %s", at);
	free(at);
	return s;
}

/* p's sig_handler line at place i is followed by its thread's sig_handler_py lines (other
 * threads' lines may come between: a few looked past) */
static int followed_by_py(const struct proc *p, int i)
{
	for (int j = i + 1; j < p->nev && j <= i + 16; j++)
		if (proc_ev(p, j)->tid == proc_ev(p, i)->tid)
			return proc_ev(p, j)->type == EV_SIG_HANDLER_PY;
	return 0;
}

char *py_handler_line_words(const struct proc *p, const struct event *e)
{
	struct pyset ps;
	char *at, *s;
	int i;
	if (e->py != PY_INIT) /* (signal.signal runs in state I only) */
		return NULL;
	for (i = 0; i < p->nev && proc_ev(p, i) != e; i++)
		;
	if (i == p->nev || !followed_by_py(p, i))
		return NULL;
	pyset_of(p, i, &ps);
	if (!ps.known)
		return NULL;
	at = pyset_words(&ps);
	s = xasprintf("%s handler %s installed by signal.signal at %s", signal_name((int)ev_dec(e, 0)),
		      !strcmp(ev_field(e, 1), "0x0") ? "SIG_DFL" : !strcmp(ev_field(e, 1), "0x1") ? "SIG_IGN"
		      : ps.handler[0] ? ps.handler : "(a Python function)", at);
	free(at);
	return s;
}

static int pyset_same_place(const struct pyset *a, const struct pyset *b)
{
	return !strcmp(a->file, b->file) && a->line == b->line;
}

/* The Python sets of sig in v before time t: the last one (*last, its line's place in *at_last)
 * and the last one before it that set a function at another place (*was, *at_was); 1 if the last
 * installation of sig before t was made by Python code. */
static int pysets_before(const struct proc *v, int sig, uint64_t t, struct pyset *last, int *at_last, struct pyset *was,
			 int *at_was)
{
	int i, is_py = 0;
	memset(last, 0, sizeof *last);
	memset(was, 0, sizeof *was);
	*at_last = -1;
	for (i = 0; i < v->nev && proc_ev(v, i)->t <= t; i++) {
		const struct event *e = proc_ev(v, i);
		struct pyset ps;
		if (e->type != EV_SIG_HANDLER || ev_dec(e, 0) != sig)
			continue;
		pyset_of(v, i, &ps);
		is_py = ps.known;
		if (!ps.known)
			continue;
		/* (signal.siginterrupt sets the same handler again with other flags, through a
		 * sigaction that asks for no old action: CPython 3.11's through glibc's siginterrupt,
		 * 3.13's directly; signal.signal's PyOS_setsig always asks, "sigaction+old". It
		 * installs no Python function: gunicorn's Worker.init_signals after its signal.signal
		 * calls) */
		if (last->known && !strcmp(ev_field(e, 3), "sigaction") &&
		    !strcmp(ev_field(e, 1), ev_field(proc_ev(v, *at_last), 1)))
			continue;
		if (last->known && is_function(ev_field(proc_ev(v, *at_last), 1)) && !pyset_same_place(last, &ps) &&
		    !(last->handler[0] && !strcmp(last->handler, ps.handler))) { /* (the same function again: no replacement) */
			*was = *last;
			*at_was = *at_last;
		}
		*last = ps;
		*at_last = i;
	}
	return is_py;
}

char *py_arrival_handler(const struct proc *p, const struct event *a)
{
	struct pyset last, was;
	int at_last = -1, at_was = -1;
	if (a->type != EV_SIG_ARRIVE || strcmp(ev_field(a, 5), "fn"))
		return NULL;
	if (!pysets_before(p, (int)ev_dec(a, 0), a->t, &last, &at_last, &was, &at_was) || at_last < 0 ||
	    !last.known || strcmp(ev_field(proc_ev(p, at_last), 1), ev_field(a, 4)))
		return NULL;
	if (!last.handler[0]) /* (no sig_handler_pyfn line: _signal.signal called directly, 3.12) */
		return xasprintf("set at %s:%d in %s", last.file, last.line, last.func);
	return xasprintf("%s (set at %s:%d)", last.handler, last.file, last.line);
}

/* ---- a terminate that never arrived: blocked or ignored ---- */

static int recorded_signal(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT || sig == SIGUSR1 || sig == SIGUSR2 ||
	       sig == SIGPIPE;
}

/* Why sig, sent to v at time t, never arrived, from v's sig_inherit, sig_handler and sig_mask
 * lines: "it was inherited ignored", "the program set SIG_IGN for it (*own: that line)", "thread
 * N blocked it (...)": NULL when nothing recorded says it (the lines are written only where some
 * termination signal is blocked or ignored, and at each installation). */
static char *why_not_arrived(const struct proc *v, int sig, uint64_t t, const struct event **own)
{
	char buf[600] = "";
	size_t n = 0;
	int ignored = 0, i, j;
	*own = NULL;
	for (i = 0; i < v->nev && proc_ev(v, i)->t <= t; i++) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_SIG_INHERIT)
			ignored = sigset_has(ev_field(e, 1), sig);
		else if (e->type == EV_SIG_HANDLER && ev_dec(e, 0) == sig) {
			ignored = !strcmp(ev_field(e, 1), "0x1");
			*own = ignored ? e : NULL;
		}
	}
	if (ignored && *own) { /* the program's own choice */
		struct pyset ps, was;
		int at, at_was;
		if (pysets_before(v, sig, (*own)->t, &ps, &at, &was, &at_was) && proc_ev(v, at) == *own) {
			/* signal.signal(sig, SIG_IGN): the Python place, and the handler it replaced */
			char *site = pyset_words(&ps), *w = was.known ? pyhandler_words(&was) : NULL;
			char *s = xasprintf("it ignores %s: signal.signal(%s, SIG_IGN) at %s, on thread %d, %.3f s before "
					    "the %s was sent%s%s%s; the kernel discards an ignored signal, so it never "
					    "reached the program", signal_name(sig), signal_name(sig), site, (*own)->tid,
					    (double)(int64_t)(t - (*own)->t) / 1e9, signal_name(sig),
					    w ? ", replaced " : "", w ? w : "",
					    w ? " (a process has one handler per signal)" : "");
			free(site);
			free(w);
			return s;
		}
	}
	if (ignored && *own) {
		char *site = code_full_name_at(v, ev_field(*own, 4), 1, (*own)->t);
		char *s = xasprintf("it ignores %s: %s set SIG_IGN for it with %s() on thread %d, %.3f s before the "
				    "%s was sent; the kernel discards an ignored signal, so it never reached the "
				    "program", signal_name(sig), site, !strncmp(ev_field(*own, 3), "signal", 6) ? "signal" : "sigaction",
				    (*own)->tid, (double)(int64_t)(t - (*own)->t) / 1e9, signal_name(sig));
		free(site);
		return s;
	}
	if (ignored)
		return xasprintf("it ignores %s: the program inherited SIG_IGN for it from its parent (an ignored "
				 "signal stays ignored across exec) and never installed a handler",
				 signal_name(sig));
	/* per thread, its last mask line before t */
	for (i = 0; i < v->nev && proc_ev(v, i)->t <= t; i++) {
		const struct event *e = proc_ev(v, i), *last = NULL;
		int seen = 0;
		if (e->type != EV_SIG_INHERIT && e->type != EV_SIG_MASK)
			continue;
		for (j = 0; j < i; j++) /* the first line of this thread only */
			if ((proc_ev(v, j)->type == EV_SIG_INHERIT || proc_ev(v, j)->type == EV_SIG_MASK) && proc_ev(v, j)->tid == e->tid)
				seen = 1;
		if (seen)
			continue;
		for (j = i; j < v->nev && proc_ev(v, j)->t <= t; j++)
			if ((proc_ev(v, j)->type == EV_SIG_INHERIT || proc_ev(v, j)->type == EV_SIG_MASK) && proc_ev(v, j)->tid == e->tid)
				last = proc_ev(v, j);
		if (!last || !sigset_has(ev_field(last, last->type == EV_SIG_MASK), sig))
			continue;
		if (last->type == EV_SIG_INHERIT)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%sthread %d inherited it blocked from the parent "
					      "(the signal mask survives exec)", n ? "; " : "", last->tid);
		else if (!strcmp(ev_field(last, 0), "thread"))
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%sthread %d started with it blocked (a new "
					      "thread takes its creator's mask)", n ? "; " : "", last->tid);
		else {
			char *site = code_full_name(v, ev_field(last, 2), 1);
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%sthread %d blocked it with %s() from %s", n ? "; " : "",
					      last->tid, ev_field(last, 0), site);
			free(site);
		}
		if (n >= sizeof buf - 100)
			break;
	}
	return n ? xasprintf("%s blocked: %s", signal_name(sig), buf) : NULL;
}

/* child_stop_lost (diag.h) */
char *child_stop_lost(const struct report *r, const struct proc *p, int child, uint64_t t, int *sig_out,
		      const struct proc **child_out)
{
	const struct event *kill = NULL, *own;
	const struct proc *c = NULL;
	int i, sig;
	for (i = 0; i < p->nev && proc_ev(p, i)->t <= t; i++)
		if (proc_ev(p, i)->type == EV_KILL && ev_dec(proc_ev(p, i), 2) == child &&
		    recorded_signal((int)ev_dec(proc_ev(p, i), 1)))
			kill = proc_ev(p, i);
	if (!kill)
		return NULL;
	sig = (int)ev_dec(kill, 1);
	for (i = 0; i < r->nprocs; i++) /* (the child as it was then: the latest of that pid begun before) */
		if (r->procs[i]->pid == child && r->procs[i]->ppid == p->pid && r->procs[i]->nev &&
		    proc_t_first(r->procs[i]) <= kill->t)
			c = r->procs[i];
	if (!c)
		return NULL;
	for (i = 0; i < c->nev; i++)
		if (proc_ev(c, i)->type == EV_SIG_ARRIVE && ev_dec(proc_ev(c, i), 0) == sig && proc_ev(c, i)->t >= kill->t)
			return NULL;
	if (sig_out)
		*sig_out = sig;
	if (child_out)
		*child_out = c;
	return why_not_arrived(c, sig, kill->t, &own);
}

/* 1 if v started with sig blocked: a sig_inherit line (shim/signals.c: written at start where a
 * termination signal is blocked or ignored) whose blocked set has it */
static int inherited_blocked(const struct proc *v, int sig)
{
	for (int i = 0; i < v->nev; i++)
		if (proc_ev(v, i)->type == EV_SIG_INHERIT && sigset_has(ev_field(proc_ev(v, i), 0), sig))
			return 1;
	return 0;
}

/* ---- lines by the pid they name: one index builder for every lookup of this file ---- */

/* An index of the lines of one type by a number each names (a kill's target pid, a reap's
 * reaped pid, a fork's child, a sig_mask line's own thread), then by writer (its place in
 * r->procs), then by place in the writer's events: a rule's lookup is a binary search, not a walk
 * of every process's events for each process asked about (t227's 60000 workers whose threads
 * block SIGTERM: 79 s with such a walk for each one's reap, 2.4 s with an index; 20000 such
 * workers' kill lines: 6.6 s, 0.26 s). The caller fills type, field (the number's field; PID_TID:
 * the line's thread) and keep (NULL: every line of the type; else 1 for a line to index, given it
 * and its number), with n at -1 (PID_INDEX does), owns the struct, passes it to the lookups and
 * frees it with pid_index_free (its block, n at -1 again). pid_first builds it on the first
 * lookup: one walk of every process's events (a line's number read once: reading it, ev_dec, is
 * most of a walk's cost; t227's inherit.trace), one block of 12 bytes per line indexed (struct
 * pid_ref), grown by doubling and given back to its size once built (a block of 128 KB or more
 * is a mapping of its own, main.c: the room not written yet is not resident), sorted. A line
 * whose number does not fit an int names no process or thread: left out. It holds places, not
 * pointers: r must outlive it. */
struct pid_ref {
	int pid, proc, pos; /* the number named; the writer's place in r->procs, the line's in its events */
};
struct pid_index {
	enum ev_type type;
	int field;
	int (*keep)(const struct event *e, long long pid);
	struct pid_ref *ref;
	int n; /* lines indexed; -1: not built */
};
#define PID_TID (-1)
#define PID_INDEX(type, field, keep) ((struct pid_index){(type), (field), (keep), NULL, -1})

static int pid_order(const void *a, const void *b)
{
	const struct pid_ref *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* the number line e names for x, in *pid: 1 if x indexes it */
static int pid_indexed(const struct pid_index *x, const struct event *e, long long *pid)
{
	if (e->type != x->type)
		return 0;
	*pid = x->field == PID_TID ? e->tid : ev_dec(e, x->field);
	return *pid == (int)*pid && (!x->keep || x->keep(e, *pid));
}

static void pid_index_build(const struct report *r, struct pid_index *x)
{
	int i, k, cap = 64;
	long long pid;
	x->ref = xmalloc((size_t)cap * sizeof *x->ref);
	x->n = 0;
	for (i = 0; i < r->nprocs; i++)
		for (k = 0; k < r->procs[i]->nev; k++)
			if (pid_indexed(x, proc_ev(r->procs[i], k), &pid)) {
				if (x->n == cap)
					x->ref = xrealloc(x->ref, (size_t)(cap *= 2) * sizeof *x->ref);
				x->ref[x->n++] = (struct pid_ref){(int)pid, i, k};
			}
	x->ref = xrealloc(x->ref, (size_t)(x->n ? x->n : 1) * sizeof *x->ref);
	qsort(x->ref, (size_t)x->n, sizeof *x->ref, pid_order);
}

/* the place in x of the first line naming pid, by writer proc or a later one, at or after place
 * pos in its events (x->n if none); x built if it was not */
static int pid_first(const struct report *r, struct pid_index *x, int pid, int proc, int pos)
{
	int lo = 0, hi;
	if (x->n < 0)
		pid_index_build(r, x);
	for (hi = x->n; lo < hi;) {
		int mid = lo + (hi - lo) / 2;
		const struct pid_ref *m = &x->ref[mid];
		if (m->pid < pid || (m->pid == pid && (m->proc < proc || (m->proc == proc && m->pos < pos))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void pid_index_free(struct pid_index *x)
{
	free(x->ref);
	x->ref = NULL;
	x->n = -1;
}

/* line i of x */
static const struct event *pid_line(const struct report *r, const struct pid_index *x, int i)
{
	return proc_ev(r->procs[x->ref[i].proc], x->ref[i].pos);
}

/* what signal_report_end's lookups read: the kill lines sent with success by target pid, the
 * reaps by reaped pid, the forks by child, the sig_mask lines by thread */
struct signal_lines {
	struct pid_index kills, reaps, forks, masks;
};

static int kill_sent(const struct event *e, long long pid)
{
	(void)pid;
	return !strcmp(ev_field(e, 4), "0");
}

static int names_pid(const struct event *e, long long pid)
{
	(void)e;
	return pid > 0;
}

/* The first kill line (of ks) that names pid v->pid as its target, of sig (0: any signal
 * recorded_signal says), after time after, while v lived (or up to a minute after its last line),
 * sent by another process, in the order of processes from place *from, then of their lines.
 * Returns it (and its sender's place in *from, its own in *pos), or NULL (*from: r->nprocs). */
static const struct event *next_kill(const struct report *r, struct pid_index *ks, const struct proc *v, int sig,
				     uint64_t after, int *from, int *pos)
{
	for (int i = pid_first(r, ks, v->pid, *from, 0); i < ks->n && ks->ref[i].pid == v->pid; i++) {
		const struct event *e = pid_line(r, ks, i);
		if (e->t > after && e->t >= proc_t_first(v) && e->t <= proc_t_last(v) + 60000000000ull && r->procs[ks->ref[i].proc] != v &&
		    (sig ? ev_dec(e, 1) == sig : recorded_signal((int)ev_dec(e, 1)))) {
			*from = ks->ref[i].proc;
			*pos = ks->ref[i].pos;
			return e;
		}
	}
	*from = r->nprocs;
	return NULL;
}

/* v's phase when a signal was sent to it at time t (ns, the report's clock): "running" where no
 * step of its teardown (main's return, exit, _exit, quick_exit, Py_FinalizeEx, the watchdog's arm
 * for a teardown) is at or before t; else its phase at its end (the last one the trace shows).
 * malloc'd */
static char *phase_at_send(const struct proc *v, uint64_t t)
{
	for (int i = 0; i < v->nev && proc_ev(v, i)->t <= t; i++) {
		int ty = proc_ev(v, i)->type;
		if (ty == EV_MAIN_RETURN || ty == EV_EXIT || ty == EV__EXIT || ty == EV_QUICK_EXIT || ty == EV_PY_FIN ||
		    ty == EV_PY_END_INTERP || (ty == EV_HANG_ARM && strcmp(ev_field(proc_ev(v, i), 0), "handler_hup")))
			return xstrdup(proc_end_phase(v) ? proc_end_phase(v) : "in its teardown");
	}
	return xstrdup("running");
}

static char *parent_blocked(const struct report *r, struct signal_lines *sl, const struct proc *v, int sig);

/* 1 if the signal.signal call that why names ("signal.signal(SIGTERM, SIG_IGN) at FILE:LINE ...")
 * is the main program's: python3 -c's <string>, <stdin>, or the script its command line runs (the
 * first argument ending in .py, by base name); a library's advice does not fit it */
static int set_in_main(const struct proc *v, const char *why)
{
	const char *at = strstr(why, "signal.signal("), *a = proc_prog(v)->argv, *file, *end;
	size_t n;
	if (!at || !(at = strstr(at, ") at ")))
		return 0;
	file = at + 5;
	if (!(end = strchr(file, ':')))
		return 0;
	n = (size_t)(end - file);
	if ((n == 8 && !strncmp(file, "<string>", 8)) || (n == 7 && !strncmp(file, "<stdin>", 7)))
		return 1;
	for (; a && *a; a += strcspn(a, " "), a += *a == ' ') {
		size_t w = strcspn(a, " ");
		const char *b = a, *slash;
		if (w < 3 || strncmp(a + w - 3, ".py", 3))
			continue;
		for (slash = a; slash < a + w; slash++)
			if (*slash == '/')
				b = slash + 1;
		w -= (size_t)(b - a);
		return w <= n && !strncmp(end - w, b, w) && (w == n || end[-(long)w - 1] == '/');
	}
	return 0;
}

/* 1 if v's main thread has a mask line of its own (sig_mask, sig_inherit) at or before time t */
static int own_mask_before(const struct proc *v, uint64_t t)
{
	for (int i = 0; i < v->nev && proc_ev(v, i)->t <= t; i++)
		if ((proc_ev(v, i)->type == EV_SIG_MASK || proc_ev(v, i)->type == EV_SIG_INHERIT) && proc_ev(v, i)->tid == v->pid)
			return 1;
	return 0;
}

/* the signals not_arrived gave a finding for v, a bit each */
static unsigned long long not_arrived(struct report *r, struct signal_lines *sl, struct proc *v)
{
	struct pid_index *ks = &sl->kills;
	int forked_blocked = 0; /* v forked (no exec) by a thread that blocked the signal: why says so */
	int from = 0, at_k, at_k9;
	unsigned long long done = 0;
	const struct event *k;
	while ((k = next_kill(r, ks, v, 0, 0, &from, &at_k)) != NULL) {
		int sig = (int)ev_dec(k, 1), i, arrived_after = 0, kf = 0, own_py;
		const struct event *kill9, *at;
		const struct proc *sender = r->procs[from]; /* (next_kill leaves from at k's process) */
		struct finding *f;
		const struct event *own;
		char *why;
		from++;
		if (sig <= 0 || sig >= 64 || (done >> sig & 1))
			continue;
		/* (a kill line to another process is written after the call: the arrival may come
		 * first; and one that came after the same signal had arrived is a repeat of a stop the
		 * process took:
		 * Apache prefork's parent signals its group, then each child, 3 ms apart; a second
		 * SIGTERM the child's handler now ignores did not fail to stop it, the first one did not
		 * fail either: HANG16's group kills made s3 say "never arrived", the lead's check) */
		for (i = 0; i < v->nev; i++)
			if (proc_ev(v, i)->type == EV_SIG_ARRIVE && ev_dec(proc_ev(v, i), 0) == sig)
				arrived_after = 1;
		if (arrived_after)
			continue;
		why = why_not_arrived(v, sig, k->t, &own);
		forked_blocked = 0;
		if (!why && v->forked && !own_mask_before(v, k->t)) {
			/* a child forked without an exec writes no mask line at its start (sig_inherit is an
			 * exec'd program's): the mask is the forking thread's, which fork copies (FRESH15b
			 * item 2: its killed finding's fix pointed at signal-handler findings not there) */
			char *by = parent_blocked(r, sl, v, sig);
			if (by) {
				why = xasprintf("%s blocked: this process was forked without an exec by %s; fork copies the "
						"forking thread's signal mask, so the child's only thread started with %s "
						"blocked and never unblocked it", signal_name(sig), by, signal_name(sig));
				forked_blocked = 1;
				own = NULL;
			}
			free(by);
		}
		if (!why)
			continue;
		/* (a library's call: not the main program's, python3 -c's <string> or its script) */
		own_py = own && !strncmp(why, "it ignores ", 11) && strstr(why, "signal.signal(") && !set_in_main(v, why);
		done |= 1ull << sig;
		kill9 = next_kill(r, ks, v, SIGKILL, k->t, &kf, &at_k9);
		for (i = 0, at = NULL; i < v->nev && proc_ev(v, i)->t <= k->t; i++)
			if (proc_ev(v, i)->type == EV_SIG_INHERIT || proc_ev(v, i)->type == EV_SIG_MASK || proc_ev(v, i)->type == EV_SIG_HANDLER)
				at = proc_ev(v, i);
		/* an error where the stop signal's loss made the sender SIGKILL it (no cleanup), as a
		 * replaced handler with that outcome (py_handler_replaced) */
		f = add_finding(r, "signal-handler",
				kill9 && (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT) ? SEV_ERROR
													: SEV_WARNING,
				v, at ? at : proc_ev(v, 0));
		f->t = k->t;
		((struct event *)k)->shown = 1;
		finding_set_signal(f, sig);
		f->phase = phase_at_send(v, k->t);
		f->message = xasprintf("the %s that process %d (%s) sent to process %d (%s) never arrived", signal_name(sig),
				       sender->pid, base_name(proc_prog(sender)->exe), v->pid,
				       base_name(proc_prog(v)->exe));
		if (kill9) {
			char *m = xasprintf("%s: it ran on until the SIGKILL %.3f s later", f->message,
					    (double)(int64_t)(kill9->t - k->t) / 1e9);
			free(f->message);
			f->message = m;
		}
		f->root_cause = why;
		if (own && own_py)
			f->fix = xasprintf("a process that ignores %s can be stopped only by SIGKILL, with no cleanup: set "
					   "signal handlers in the application's main module only, after its imports; a "
					   "library must not install a handler for %s (SIG_IGN included), or must chain to the "
					   "previous one it got from signal.signal's return value",
					   signal_name(sig), signal_name(sig));
		else if (own)
			f->fix = xasprintf("a process that ignores %s can be stopped only by SIGKILL, with no cleanup: "
					   "handle %s instead (a handler that sets a flag the main loop checks, or "
					   "starts the shutdown), or have the sender use the stop the program expects; "
					   "a sender that waits for a bound and then sends SIGKILL ends it either way%s",
					   signal_name(sig), signal_name(sig),
					   !strncmp(base_name(proc_prog(sender)->exe), "python", 6)
						   ? " (subprocess: Popen.wait(timeout=N), then Popen.kill())" : "");
		else if (!strncmp(why, "it ignores ", 11))
			/* (SIG_IGN inherited across exec: nohup, a shell's `trap '' TERM`, a parent that set it) */
			f->fix = xasprintf("a process must start with the termination signals at their default: whatever "
					   "started it set SIG_IGN for %s and it stayed ignored across exec (nohup, a shell's "
					   "trap '' TERM, a parent that ignores it): set SIG_DFL for %s in the child before exec "
					   "(posix_spawnattr_setsigdefault, or signal(%s, SIG_DFL) after fork; a shell that "
					   "inherited it ignored cannot reset it), or have the program install its own %s "
					   "handler at start",
					   signal_name(sig), signal_name(sig), signal_name(sig), signal_name(sig));
		else if (forked_blocked)
			f->fix = xasprintf("a child made by fork alone starts with its parent's thread's signal mask: unblock "
					   "%s in the child right after fork (pthread_sigmask(SIG_UNBLOCK, ...) or "
					   "sigprocmask), or have the parent block it only around short sections, not across "
					   "the fork; a child that runs code of its own must be able to take the signal its "
					   "supervisor stops it with", signal_name(sig));
		else if (!inherited_blocked(v, sig))
			/* (no sig_inherit line with it blocked: the program's own threads blocked it) */
			f->fix = xasprintf("every thread of the process blocks %s (the root cause says where each got it), so "
					   "none can take it and it stays pending: block it only around short sections and "
					   "unblock it after, or keep one thread that takes it until the process exits "
					   "(sigwaitinfo or a signalfd in a loop, or a thread that leaves it unblocked for its "
					   "handler); a thread made while its creator blocks %s starts with it blocked, so "
					   "block it after making the threads, or unblock it in the one meant to take it",
					   signal_name(sig), signal_name(sig));
		else
			f->fix = xasprintf("a process must start with the termination signals unblocked and at their default: "
				   "the parent should unblock %s (and set SIG_DFL) in the child before exec "
				   "(posix_spawnattr_setsigmask / setsigdefault, or restore the mask after fork), and "
				   "threads should block it only around short sections; a program that takes "
				   "signals with sigwait/signalfd must keep a thread waiting for them until it exits",
				   signal_name(sig));
	}
	return done;
}

/* the first reap of v's pid (by a traced process) at or after v's last line, in time (of two at
 * one time, the first writer's), or NULL */
static const struct event *reap_of(const struct report *r, struct pid_index *reaps, const struct proc *v)
{
	const struct event *best = NULL;
	for (int i = pid_first(r, reaps, v->pid, 0, 0); i < reaps->n && reaps->ref[i].pid == v->pid; i++) {
		const struct event *e = pid_line(r, reaps, i);
		if (e->t >= proc_t_last(v) && (!best || e->t < best->t))
			best = e;
	}
	return best;
}

/* the last sig_mask line of process r->procs[proc] on thread tid before its line at place pos, or NULL */
static const struct event *mask_before(const struct report *r, struct pid_index *masks, int proc, int tid, int pos)
{
	int i = pid_first(r, masks, tid, proc, pos);
	if (i == 0 || masks->ref[i - 1].pid != tid || masks->ref[i - 1].proc != proc)
		return NULL;
	return pid_line(r, masks, i - 1);
}

/* The thread of v's traced parent that forked v with sig blocked, in words: "its parent 8182
 * (handlers): thread 8183 blocked it with pthread_sigmask() from spawner+0x2b (handlers.c:40)
 * and forked it" (its last sig_mask line before the fork line of v, on the forking thread; the
 * earliest such fork line, in time); NULL if the parent is not traced or says nothing. malloc'd */
static char *parent_blocked(const struct report *r, struct signal_lines *sl, const struct proc *v, int sig)
{
	struct pid_index *forks = &sl->forks;
	int at = -1;
	for (int i = pid_first(r, forks, v->pid, 0, 0); i < forks->n && forks->ref[i].pid == v->pid; i++) {
		const struct proc *q = r->procs[forks->ref[i].proc];
		if (q != v && q->pid == v->ppid && (at < 0 || pid_line(r, forks, i)->t < pid_line(r, forks, at)->t))
			at = i;
	}
	if (at < 0)
		return NULL;
	const struct proc *q = r->procs[forks->ref[at].proc];
	const struct event *fk = pid_line(r, forks, at),
			   *m = mask_before(r, &sl->masks, forks->ref[at].proc, fk->tid, forks->ref[at].pos);
	if (!m || !sigset_has(ev_field(m, 1), sig))
		return NULL;
	char *site = code_full_name_at(q, ev_field(m, 2), 1, m->t);
	char *s = !strcmp(ev_field(m, 0), "thread")
			  ? xasprintf("its parent %d (%s): thread %d, started with it blocked, forked it", q->pid,
				      base_name(proc_prog(q)->exe), fk->tid)
			  : xasprintf("its parent %d (%s): thread %d blocked it with %s() from %s and forked it",
				      q->pid, base_name(proc_prog(q)->exe), fk->tid, ev_field(m, 0), site);
	free(site);
	return s;
}

/* The traced program v replaced by exec (the same pid, before it) that set SIG_IGN for sig, in
 * words: "the program it replaced by exec, handlers, set SIG_IGN for it with signal() from main+0x..
 * (handlers.c:64)" (its last sig_handler line for sig, if SIG_IGN); NULL otherwise. malloc'd */
static char *exec_ignored(const struct report *r, const struct proc *v, int sig)
{
	const struct event *last = NULL;
	const struct proc *was = NULL;
	for (int i = 0; i < r->nprocs && r->procs[i] != v; i++)
		if (r->procs[i]->pid == v->pid)
			was = r->procs[i]; /* (the image just before v: procs keep the trace's order) */
	for (int k = 0; was && k < was->nev; k++)
		if (proc_ev(was, k)->type == EV_SIG_HANDLER && ev_dec(proc_ev(was, k), 0) == sig)
			last = proc_ev(was, k);
	if (!last || strcmp(ev_field(last, 1), "0x1"))
		return NULL;
	char *site = code_full_name_at(was, ev_field(last, 4), 1, last->t);
	char *s = xasprintf("the program it replaced by exec, %s, set SIG_IGN for it with %s() from %s", base_name(proc_prog(was)->exe),
			    !strncmp(ev_field(last, 3), "signal", 6) ? "signal" : "sigaction", site);
	free(site);
	return s;
}

/* v started with SIGTERM ignored or blocked (its sig_inherit line: SIG_IGN and the signal mask
 * survive exec) and kept it so (why_not_arrived at its end), and it did not end by itself: it ended
 * by SIGKILL, or its trace has no end (killed by a signal the shim cannot see, or still
 * running). Then whoever stopped it could not with SIGTERM, which a supervisor sends first: a
 * signal-handler finding says why, where no traced sender's SIGTERM already did (done: the
 * signals not_arrived named). */
static void inherited_term(struct report *r, struct signal_lines *sl, struct proc *v, unsigned long long done)
{
	const struct event *inh = NULL, *own;
	struct finding *f;
	char *why;
	for (int i = 0; i < v->nev && !inh; i++)
		if (proc_ev(v, i)->type == EV_SIG_INHERIT && (sigset_has(ev_field(proc_ev(v, i), 0), SIGTERM) || sigset_has(ev_field(proc_ev(v, i), 1), SIGTERM)))
			inh = proc_ev(v, i);
	if (!inh || (done >> SIGTERM & 1))
		return;
	/* how it ended: its own lines, else a traced parent's reap (read here: diag_outcome, which
	 * runs after this rule, joins the two) */
	int killed9 = v->exit_known && proc_how(v) && !strcmp(proc_how(v), "signal") && v->exit_signal == SIGKILL;
	int ended = v->exit_known;
	const struct event *e = ended ? NULL : reap_of(r, &sl->reaps, v);
	if (e) {
		ended = 1;
		killed9 = !strcmp(ev_field(e, 2), "signal") && ev_dec(e, 3) == SIGKILL;
	}
	if (ended && !killed9)
		return;
	if (!(why = why_not_arrived(v, SIGTERM, UINT64_MAX, &own)) || own) {
		free(why);
		return;
	}
	{ /* where its parent blocked it, or the program it replaced ignored it, if traced */
		char *by = sigset_has(ev_field(inh, 1), SIGTERM) ? exec_ignored(r, v, SIGTERM) : parent_blocked(r, sl, v, SIGTERM);
		if (by) {
			char *w = xasprintf("%s; %s", why, by);
			free(why);
			free(by);
			why = w;
		}
	}
	f = add_finding(r, "signal-handler", SEV_WARNING, v, inh);
	f->t = proc_t_last(v);
	finding_set_signal(f, SIGTERM);
	f->phase = phase_at_send(v, f->t); /* (its end: when a SIGTERM would have stopped it) */
	f->message = xasprintf("process %d (%s) started with SIGTERM %s, inherited from the program that started it, and "
			       "%s: a SIGTERM sent to it %s", v->pid, base_name(proc_prog(v)->exe),
			       sigset_has(ev_field(inh, 1), SIGTERM) ? "ignored" : "blocked",
			       ended ? "ended by SIGKILL" : "its trace has no end (killed by a signal the shim cannot see, or still running)",
			       sigset_has(ev_field(inh, 1), SIGTERM) ? "is discarded by the kernel" : "stays pending, never delivered");
	f->root_cause = why;
	f->fix = xstrdup("a process must start with the termination signals unblocked and at their default: the parent "
			 "should unblock SIGTERM (and set SIG_DFL) in the child before exec (posix_spawnattr_setsigmask / "
			 "setsigdefault, or restore the mask after fork; a shell's `trap '' TERM` and nohup-like wrappers "
			 "pass SIG_IGN on), or the program should install its own SIGTERM handler at start");
}

/* A termination signal that arrived at the handler Python code had set (its first such arrival),
 * after which the process did not end by it: no teardown began after it (no exit(), main's
 * return, Py_Finalize, Python's own Py_FinalizeEx seen by the handler watcher), and it died by a
 * SIGKILL sent later (*by that SIGKILL) or its trace ends with it still running. The handler's
 * own function is not in the trace (CPython keeps it in its signal module's table, which it does
 * not export); which handler ran is known from the order of the calls. */
static void py_handler_returned(struct report *r, struct signal_lines *sl, struct proc *v)
{
	const struct event *a = NULL, *kill9, *began = proc_exit_began(v);
	struct pyset last, was;
	int i, sig = 0, at_last, was_at = -1, kf = 0, at9;
	struct finding *f;
	char *from, *set, *m;
	unsigned long long py_last = 0; /* per signal, a bit: its last installation was Python's */
	for (i = 0; i < v->nev && !a; i++) {
		const struct event *e = proc_ev(v, i);
		int s = (int)ev_dec(e, 0);
		if (e->type == EV_SIG_HANDLER && s > 0 && s < 64)
			py_last = (py_last & ~(1ull << s)) |
				  (unsigned long long)followed_by_py(v, i) << s;
		else if (e->type == EV_SIG_ARRIVE && termination_signal(s) && !strcmp(ev_field(e, 5), "fn") && (py_last >> s & 1))
			a = e;
	}
	if (!a || !pysets_before(v, (int)ev_dec(a, 0), a->t, &last, &at_last, &was, &was_at))
		return;
	sig = (int)ev_dec(a, 0);
	if (began && began->t >= a->t)
		return; /* it ended after the handler (or began to: its own findings say how) */
	for (i = 0; i < v->nev; i++) {
		int t = proc_ev(v, i)->type;
		if (proc_ev(v, i)->t >= a->t && (t == EV_PY_FIN || t == EV_HANG_ARM || t == EV_EXIT || t == EV__EXIT ||
						 t == EV_QUICK_EXIT || t == EV_MAIN_RETURN || t == EV_EXIT_DONE || t == EV_CRASH))
			return;
	}
	kill9 = next_kill(r, &sl->kills, v, SIGKILL, a->t, &kf, &at9);
	if (!kill9 && (v->exit_known || !v->unfinished))
		return;
	/* one handler, not replaced: the outcome's killed or unfinished finding, where it made one,
	 * says this already (it hedges the same way); only a stop the sender was told to make (timeout
	 * -k, a supervisor's) had none */
	for (i = 0; !was.known && i < r->nfindings; i++)
		if (r->findings[i]->proc == v &&
		    (!strcmp(r->findings[i]->kind, "killed") || !strcmp(r->findings[i]->kind, "unfinished")))
			return;
	from = sender_text(v, a);
	set = pyhandler_words(&last);
	f = add_finding(r, "signal-handler", kill9 ? SEV_ERROR : SEV_WARNING, v, (struct event *)a);
	((struct event *)a)->shown = 1;
	proc_ev(v, at_last)->shown = 1;
	if (was.known)
		proc_ev(v, was_at)->shown = 1;
	finding_set_signal(f, sig);
	f->phase = xstrdup("running");
	if (was.known) {
		char *w = pyhandler_words(&was), *wat = pyset_words(&was), *lat = pyset_words(&last);
		m = xasprintf("the %s handler %s%s was replaced by %s; the %s from %s ran that one, on thread %d",
			      signal_name(sig), was.handler[0] ? w : w + 12, was.handler[0] ? "," : "", set,
			      signal_name(sig), from, a->tid);
		f->root_cause = xasprintf(
			"a process has one handler per signal: the signal.signal(%s, ...) at %s replaced the one at %s "
			"(its return value, the previous handler, is the only way to chain to it), so the %s ran only "
			"the later handler, which did not end the process (it returned, or ran on in pure Python, "
			"which calls nothing the shim sees)%s", signal_name(sig), lat, wat, signal_name(sig),
			was.handler[0] && last.handler[0] ? ""
			: ". A handler's name is known only where the call went through Lib/signal.py's wrapper "
			  "(its frame holds the function); the trace has the places of the calls");
		free(wat);
		free(lat);
		f->fix = xasprintf("set signal handlers in the application's main module only, after its imports; a "
				   "library must not install a handler for %s, or must chain to the previous one it got "
				   "from signal.signal's return value (call it from its own handler when it is callable)",
				   signal_name(sig));
		free(w);
	} else {
		m = xasprintf("the %s from %s ran the Python handler %s, on thread %d, and the process did not end by it",
			      signal_name(sig), from, last.handler[0] ? set : set + 12, a->tid);
		f->root_cause = xasprintf(
			"the process went on after the handler: no exit, no Python finalization, no teardown step and "
			"no wait inside the handler was seen after it. The handler returned, or ran on in pure Python; "
			"a pure-Python shutdown calls nothing the shim sees, so what the handler started (a flag the "
			"main loop did not check, a stop that waited) cannot be told from the trace");
		f->fix = xasprintf("make the %s handler end the process: raise SystemExit (sys.exit()) from it, or set a "
				   "flag the main loop checks often and leave the loop; keep the shutdown within the "
				   "sender's grace period (TLSTRACE_HANG_MS below it shows where a teardown waits)",
				   signal_name(sig));
	}
	if (kill9) {
		f->message = xasprintf("%s; it ran on until the SIGKILL %.3f s later%s", m, (double)(int64_t)(kill9->t - a->t) / 1e9,
				       r->procs[kf]->pid == atoi(ev_field(a, 2)) ? " from the same sender" : "");
		free(m);
	} else {
		f->message = xasprintf("%s; its trace ends with no end after it (still running, or killed by a signal "
				       "no traced process sent)", m);
		free(m);
	}
	free(from);
	free(set);
}

static void signal_report_end(struct report *r)
{
	struct signal_lines sl = {PID_INDEX(EV_KILL, 2, kill_sent), PID_INDEX(EV_REAP, 1, names_pid),
				  PID_INDEX(EV_FORK, 0, names_pid), PID_INDEX(EV_SIG_MASK, PID_TID, NULL)};
	/* per process, whether it has a mask line: a child forked without an exec has the mask of its
	 * parent's forking thread and no line of its own (not_arrived reads the parent's) */
	char *masked = xmalloc((size_t)(r->nprocs ? r->nprocs : 1));
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *v = r->procs[i];
		masked[i] = 0;
		for (int k = 0; k < v->nev && !masked[i]; k++)
			masked[i] = proc_ev(v, k)->type == EV_SIG_MASK || proc_ev(v, k)->type == EV_SIG_INHERIT;
	}
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *v = r->procs[i];
		const struct proc *parent = v->forked ? proc_parent(v) : NULL;
		int any = masked[i] || (parent && masked[parent->index]);
		if (opt.pid && v->pid != opt.pid)
			continue;
		for (int k = 0; k < v->nev && !any; k++)
			any = proc_ev(v, k)->type == EV_SIG_HANDLER && !strcmp(ev_field(proc_ev(v, k), 1), "0x1");
		if (any)
			inherited_term(r, &sl, v, not_arrived(r, &sl, v));
	}
	free(masked);
	pid_index_free(&sl.kills);
	pid_index_free(&sl.reaps);
	pid_index_free(&sl.forks);
	pid_index_free(&sl.masks);
}

const struct diag_rule diag_signal = {"signal", signal_event, signal_proc_end, signal_report_end};

/* After the outcome's rule (its killed and unfinished findings made): py_handler_returned for
 * every process where Python code set a handler */
static void signal_py_report_end(struct report *r)
{
	ignored_handler_ended(); /* (every outcome known now) */
	struct signal_lines sl = {PID_INDEX(EV_KILL, 2, kill_sent), PID_INDEX(EV_REAP, 1, names_pid),
				  PID_INDEX(EV_FORK, 0, names_pid), PID_INDEX(EV_SIG_MASK, PID_TID, NULL)};
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *v = r->procs[i];
		if (opt.pid && v->pid != opt.pid)
			continue;
		for (int k = 0; k < v->nev; k++)
			if (proc_ev(v, k)->type == EV_SIG_HANDLER_PY) {
				py_handler_returned(r, &sl, v);
				break;
			}
	}
	pid_index_free(&sl.kills);
	pid_index_free(&sl.reaps);
	pid_index_free(&sl.forks);
	pid_index_free(&sl.masks);
}

const struct diag_rule diag_signal_py = {"signal-py", NULL, NULL, signal_py_report_end};

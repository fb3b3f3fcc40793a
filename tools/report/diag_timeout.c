/* diag_timeout.c - a request that outlived its server's request timeout: the server stopped the
 * worker serving it, and the person on call needs the server's own words for it (which timeout,
 * which knob), who stopped it and what code the request was in at that moment.
 *
 * gunicorn (20.1, Debian 12; gunicorn/arbiter.py murder_workers): a worker that has not notified
 * the arbiter within --timeout (default 30 s) is sent SIGABRT ("WORKER TIMEOUT" in its log); the
 * worker's Python handler, Worker.handle_abort (gunicorn/workers/base.py), calls sys.exit(1) when
 * the main thread next runs Python code. Where the worker ended that way (exit status 1), no other
 * rule has a finding: the process exited by itself. The SIGKILL the arbiter sends at its next check
 * when the handler has not run (a request in C code) is diag_outcome.c's killed finding; this rule
 * adds to it where the request was. The shim's `sig_where` lines (shim/signals.c
 * signals_arrival_where) say where the thread that took the SIGABRT was: its native frames from the
 * signal's context and its Python traceback.
 *
 * Kind `request-timeout` (an error: the client's request was cut off). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* The place in p's events of the `sig_where` line written for arrival line a (at place at): the
 * same thread's, of the same signal, after it and before that thread's next arrival; *py_from and
 * *py_to the span of its `sig_where_py` lines (the same thread's, right after it). -1 if none (a
 * trace from before these lines, a handler that did not return, a sandboxed process). */
static int where_of(const struct proc *p, int at, int *py_from, int *py_to)
{
	const struct event *a = proc_ev(p, at);
	int i, k;
	for (i = at + 1; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->tid != a->tid)
			continue;
		if (e->type == EV_SIG_ARRIVE)
			return -1;
		if (e->type == EV_SIG_WHERE && ev_dec(e, 0) == ev_dec(a, 0))
			break;
	}
	if (i == p->nev)
		return -1;
	for (*py_from = k = i + 1; k < p->nev; k++)
		if (proc_ev(p, k)->tid == a->tid && proc_ev(p, k)->type != EV_SIG_WHERE_PY)
			break;
	*py_to = k;
	return i;
}

/* whether module m is the interpreter's own code or the C library's (libc, ld.so, the shim):
 * a frame there says nothing of the request's code */
static int runtime_module(const struct module *m)
{
	const char *b = m ? base_name(m->path) : "";
	return !strncmp(b, "libc.so", 7) || !strncmp(b, "ld-linux", 8) || !strncmp(b, "libtlstrace", 11) ||
	       !strncmp(b, "python3", 7) || !strncmp(b, "libpython3", 10) || !strncmp(b, "libpthread", 10);
}

/* frame fr as "select (libc.so.6)", "cwait_forever (cwait.c:12) in libcwait.so"; malloc'd */
static char *frame_in_words(const struct frame *fr)
{
	struct symres sr;
	char where[800];
	const char *mod = fr->code.mod ? base_name(fr->code.mod->path) : "no module";
	if (sym_lookup(&fr->code, fr->is_return, &sr) == 0 && sr.func) {
		int n = (int)strcspn(sr.func, "@"); /* (clock_nanosleep@GLIBC_2.2.5: the symbol's version) */
		return sr.file ? xasprintf("%.*s (%s:%d) in %s", n, sr.func, base_name(sr.file), sr.line, mod)
			       : xasprintf("%.*s (%s)", n, sr.func, mod);
	}
	sym_describe(&fr->code, fr->is_return, where, sizeof where);
	return xstrdup(where);
}

/* (diag.h) */
char *arrival_where(struct finding *f, const struct proc *p, const struct event *a)
{
	int at, w, from, to, i, n = 0;
	char *py = NULL, *c = NULL, *s;
	struct frame *bt;
	for (at = 0; at < p->nev && proc_ev(p, at) != a; at++)
		;
	if (at == p->nev || (w = where_of(p, at, &from, &to)) < 0)
		return NULL;
	for (i = from; i < to && !py; i++) {
		char *text = decode_str(ev_field(proc_ev(p, i), 0));
		struct py_tb_frame fr;
		if (py_tb_frame_parse(text, &fr))
			py = xasprintf("%.*s:%d in %s", fr.blen, fr.base, fr.line, fr.func);
		free(text);
	}
	bt = frames_of(p, proc_ev(p, w), 3, 1, &n);
	if (n > 0) {
		/* the interrupted call, and the first caller of it outside the runtime (an extension's) */
		char *inner = frame_in_words(&bt[0]), *ext = NULL;
		for (i = 1; i < n && !ext; i++)
			if (bt[i].code.mod && !runtime_module(bt[i].code.mod))
				ext = frame_in_words(&bt[i]);
		if (runtime_module(bt[0].code.mod) && bt[0].code.mod &&
		    (!strncmp(base_name(bt[0].code.mod->path), "python3", 7) ||
		     !strncmp(base_name(bt[0].code.mod->path), "libpython3", 10)) && !ext)
			c = xasprintf("running in the interpreter (%s)", inner);
		else
			c = xasprintf("inside the C call %s%s%s", inner, ext ? ", called from " : "", ext ? ext : "");
		free(inner);
		free(ext);
	}
	if (f) {
		if (n > 0 && !detail_of(f)->nbt)
			frames_from(f, p, proc_ev(p, w), 3, 1);
		if (!detail_of(f)->npy)
			for (i = from; i < to; i++)
				finding_add_pyline(f, proc_ev(p, i));
	}
	free(bt);
	if (!py && !c)
		return NULL;
	s = xasprintf("%s%s%s%s", py ? "at " : "", py ? py : "", py && c ? ", " : "", c ? c : "");
	free(py);
	free(c);
	return s;
}

/* 1 if process k is gunicorn's arbiter (python3 -m gunicorn, /usr/bin/gunicorn) */
static int gunicorn(const struct proc *k)
{
	return k && strstr(prog_of(k), "gunicorn") != NULL;
}

/* "--timeout 2" as gunicorn was given it, or its default; malloc'd */
static char *gunicorn_timeout(const struct proc *k)
{
	char *v = argv_option(k, "--timeout"), *s;
	if (!v)
		v = argv_option(k, "-t");
	s = v ? xasprintf("--timeout %s", v) : xstrdup("--timeout, 30 s by default");
	free(v);
	return s;
}

#define GUNICORN_TIMEOUT_FIX \
	"make the request return within --timeout: bound what it waits for (a timeout on the call), or " \
	"move the long work off the request (a task queue, a background job the client polls); or raise " \
	"gunicorn's --timeout above the longest legitimate request (--graceful-timeout is another knob: " \
	"the time workers get to finish at a stop or reload, not a request's limit)"

/* A worker of gunicorn's that took the arbiter's SIGABRT (arrival a, at its handler), then exited
 * with a status or was killed by the arbiter's SIGKILL: the request timeout finding */
static void gunicorn_worker_timeout(struct report *r, struct proc *v, const struct event *a, const struct proc *k)
{
	struct finding *f = add_finding(r, "request-timeout", SEV_ERROR, v, (struct event *)a);
	char *h = py_arrival_handler(v, a), *where = arrival_where(f, v, a), *t = gunicorn_timeout(k), *end;
	if (v->exit_signal == SIGKILL)
		end = xstrdup("the arbiter then killed the worker with SIGKILL (its next check found it still there: "
			      "see the killed finding)");
	else
		end = xasprintf("the worker then exited with status %d", v->exit_status);
	f->sig = SIGABRT;
	f->tid = a->tid;
	f->phase = xstrdup("serving a request");
	f->message = xasprintf("process %d (%s) was stopped by gunicorn's worker timeout: its arbiter, process %d "
			       "(gunicorn arbiter), sent it SIGABRT because the request it was serving had run longer "
			       "than %s; %s%s%s, and %s",
			       v->pid, prog_of(v), k->pid, t, where ? "the request was " : "where the request was is "
			       "not recorded", where ? where : "", where ? " when it arrived" : " (a trace without "
			       "sig_where lines)", end);
	explain_finding(f, GUNICORN_TIMEOUT_FIX,
			"the worker had not notified the arbiter within %s (gunicorn's murder_workers, its log's "
			"\"WORKER TIMEOUT (pid:%d)\"): the request %s; the SIGABRT ran %s, which exits the worker: "
			"the request's client got no answer (a 502 from a proxy in front)",
			t, v->pid, where ? where : "was still running", h ? h : "gunicorn's handler Worker.handle_abort");
	free(h);
	free(where);
	free(t);
	free(end);
}

/* The arbiter's SIGKILL at its next check, the handler not having run (the request in C code that
 * does not return to Python): diag_outcome.c's killed finding of v says so; where the request was
 * when the SIGABRT arrived is added to its root cause, with the frames */
static void gunicorn_worker_killed(struct report *r, struct proc *v, const struct event *a)
{
	for (int i = 0; i < r->nfindings; i++) {
		struct finding *f;
		char *where, *was;
		if (finding_proc(r, i) != v || strcmp(finding_kind(r, i), "killed"))
			continue;
		f = finding_kept(r, i);
		if ((where = arrival_where(f, v, a)) == NULL)
			return;
		was = f->root_cause;
		f->root_cause = str_settle(xasprintf("%s%swhen the arbiter's SIGABRT arrived, the request was %s",
						     was ? was : "", was ? "; " : "", where));
		str_free(was); /* (pooled or malloc'd: str_free knows) */
		free(where);
		return;
	}
}

/* (diag.h) uWSGI 2.0's harakiri (core/master_checks.c, master_utils.c trigger_harakiri): the master
 * logs "HARAKIRI ON WORKER", runs the plugins' harakiri hooks (the Python plugin's logs the worker's
 * traceback from its --py-tracebacker socket, plugins/python/python_plugin.c uwsgi_python_harakiri)
 * and sends SIGKILL, which nothing in the worker can see: where the request was is in uWSGI's log
 * at best, never in the worker's trace. */
char *harakiri_fix(const struct proc *master)
{
	char *h = argv_option(master, "--harakiri"), *tb = argv_option(master, "--py-tracebacker"), *s;
	s = xasprintf("uWSGI's master killed this worker with SIGKILL for harakiri (trigger_harakiri; its log says "
		      "\"HARAKIRI ON WORKER\"): the request it was serving had run longer than --harakiri %s allows; "
		      "which code that request was in is not in this trace (a SIGKILL cannot be caught: nothing ran "
		      "in the worker at it): uWSGI's log line \"HARAKIRI [core N] ... GET /path\" names the request%s; "
		      "make it return sooner (a timeout on what it waits for, or the long work moved off the "
		      "request), or raise --harakiri for it",
		      h ? h : "(seconds)",
		      tb ? ", and the worker's Python traceback is in the log right after \"HARAKIRI ON WORKER\" "
			   "(--py-tracebacker: \"*** uWSGI Python tracebacker output ***\")"
			 : "; run with --py-tracebacker SOCKET (and --enable-threads) for the master to log the worker's "
			   "Python traceback before the kill, --harakiri-verbose for its system call");
	free(h);
	free(tb);
	return s;
}

/* gunicorn's graceful stop (arbiter.py stop: SIGTERM to each worker, then SIGKILL to those left
 * after --graceful-timeout, 30 s by default): the worker's Worker.handle_exit lets the request in
 * progress end first, and v, killed, was still serving it. Its killed finding (diag_outcome.c)
 * gets where the request was when the SIGTERM (arrival a) came, and the fix in gunicorn's terms
 * (FRESH17 item 1: "make the handler end the process", wrong for a graceful stop). */
static void gunicorn_graceful_killed(struct report *r, struct proc *v, const struct event *a, const struct proc *k)
{
	for (int i = 0; i < r->nfindings; i++) {
		struct finding *f;
		char *where, *was, *g;
		if (finding_proc(r, i) != v || strcmp(finding_kind(r, i), "killed"))
			continue;
		f = finding_kept(r, i);
		where = arrival_where(f, v, a);
		g = option_words(k, "--graceful-timeout", "30 s");
		was = f->root_cause;
		f->root_cause = str_settle(xasprintf(
			"%s%sgunicorn's graceful stop sends each worker SIGTERM, whose handler (Worker.handle_exit) lets "
			"the request in progress end first, and SIGKILLs the workers still there after %s: this "
			"worker's request had not ended%s%s",
			was ? was : "", was ? "; " : "", g, where ? "; when the SIGTERM arrived the request was " : "",
			where ? where : ""));
		str_free(was);
		str_free(f->fix);
		f->fix = str_settle(xasprintf(
			"make requests end within gunicorn's %s: bound what the request waits for (a timeout on the "
			"call), or move long work off the request; or raise --graceful-timeout above the longest "
			"legitimate request",
			g));
		free(g);
		free(where);
		return;
	}
}

static void timeout_report_end(struct report *r)
{
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *v = r->procs[i];
		const struct event *a = NULL;
		const struct proc *k;
		int killed = v->exit_signal == SIGKILL;
		if (!killed && (!v->exit_known || v->exit_signal || v->exit_status == 0))
			continue;
		/* the last SIGABRT from another process that reached a handler of v's */
		for (int j = 0; j < v->nev; j++) {
			const struct event *e = proc_ev(v, j);
			if (e->type == EV_SIG_ARRIVE && ev_dec(e, 0) == SIGABRT && ev_dec(e, 1) <= 0 &&
			    !strcmp(ev_field(e, 5), "fn") && atoi(ev_field(e, 2)) != v->pid)
				a = e;
		}
		if (!a && killed) {
			/* no SIGABRT: a SIGTERM from the arbiter whose Python handler ran, and no teardown
			 * after it (the request went on): the graceful stop's SIGKILL */
			const struct event *t = NULL;
			int teardown = 0;
			for (int j = 0; j < v->nev; j++) {
				const struct event *e = proc_ev(v, j);
				if (e->type == EV_SIG_ARRIVE && ev_dec(e, 0) == SIGTERM && !strcmp(ev_field(e, 5), "fn") &&
				    atoi(ev_field(e, 2)) != v->pid)
					t = e, teardown = 0;
				else if (t && (e->type == EV_EXIT || e->type == EV_PY_FIN || e->type == EV_HANG_ARM ||
					       e->type == EV_MAIN_RETURN))
					teardown = 1;
			}
			if (t && !teardown && (k = sender_traced(r, t)) != NULL && gunicorn(k) && gunicorn(v) &&
			    proc_parent(v) == k)
				gunicorn_graceful_killed(r, v, t, k);
			continue;
		}
		if (!a || (k = sender_traced(r, a)) == NULL || !gunicorn(k) || !gunicorn(v))
			continue;
		if (killed)
			gunicorn_worker_killed(r, v, a);
		gunicorn_worker_timeout(r, v, a, k);
	}
}

const struct diag_rule diag_timeout = {"timeout", NULL, NULL, timeout_report_end};

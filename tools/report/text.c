/* text.c - the human-readable report: for each process its outcome and its teardown timeline
 * (exit, TLS destructors, atexit handlers by name, Py_Finalize, thread exits, crash), times relative
 * to the start of its teardown, nested calls indented; then the findings, each with where teardown
 * stood, root cause, fix and symbolized backtrace. Colour only when asked or on a terminal. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *c_err = "", *c_warn = "", *c_dim = "", *c_bold = "", *c_off = "";

static void colors(void)
{
	if (!opt.color)
		return;
	c_err = "\033[1;31m";
	c_warn = "\033[1;33m";
	c_dim = "\033[2m";
	c_bold = "\033[1m";
	c_off = "\033[0m";
}

static const char *sev_name(enum severity s) { return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info"; }
static const char *sev_color(enum severity s) { return s == SEV_ERROR ? c_err : s == SEV_WARNING ? c_warn : c_dim; }

static void code_text(const struct proc *p, const char *tok, int is_return, char *buf, size_t n)
{
	char *s = code_full_name(p, tok, is_return);
	snprintf(buf, n, "%s", s);
	free(s);
}

/* "func (module)" or module+offset */
static void short_code(const struct proc *p, const char *tok, char *buf, size_t n)
{
	const struct module *m = code_module(p, tok);
	char *f = code_func_name(p, tok);
	if (m && strncmp(f, base_name(m->path), strlen(base_name(m->path))) != 0)
		snprintf(buf, n, "%s (%s)", f, base_name(m->path));
	else
		snprintf(buf, n, "%s", f);
	free(f);
}

static void tls_text(const struct proc *p, long long seq, char *buf, size_t n)
{
	const struct module *m = tls_reg_module(p, seq);
	char *sym = tls_display_name(p, seq);
	snprintf(buf, n, "%s%s%s%s", sym, m ? " (" : "", m ? base_name(m->path) : "", m ? ")" : "");
	free(sym);
}

static void duration(const struct event *b, char *buf, size_t n)
{
	if (b->match)
		snprintf(buf, n, "%.3f ms", (double)(b->match->t - b->t) / 1e6);
	else
		snprintf(buf, n, "did not return");
}

static int atexit_leaf(const struct proc *p, int i)
{
	const struct event *b = p->ev[i];
	int j;
	if (b->type != EV_ATEXIT_RUN || !b->match)
		return 0;
	for (j = i + 1; j < p->nev && p->ev[j] != b->match; j++)
		if (p->ev[j]->shown && p->ev[j]->tid == b->tid)
			return 0;
	return 1;
}

/* Four or more handlers of one module in a row that do nothing visible (C++ static destructors
 * of a library, typically) are one line. Returns the index after the run, or -1. */
static int atexit_run_of_module(FILE *out, const struct proc *p, int i, uint64_t t0)
{
	const struct event *e = p->ev[i];
	const struct module *m = code_module(p, ev_field(e, 1));
	uint64_t total = 0;
	int k = 0, last = i, x;
	if (!m || !atexit_leaf(p, i))
		return -1;
	for (x = i; x < p->nev; x++) {
		const struct event *v = p->ev[x];
		if (!v->shown)
			continue;
		if (v->type != EV_ATEXIT_RUN || v->tid != e->tid || !atexit_leaf(p, x) || code_module(p, ev_field(v, 1)) != m)
			break;
		total += v->match->t - v->t;
		k++;
		last = x;
	}
	if (k < 4)
		return -1;
	fprintf(out, "    %s%+10.3f ms%s  %-7d %*s%d atexit handlers of %s  [%.3f ms]\n", c_dim,
		(double)(int64_t)(e->t - t0) / 1e6, c_off, e->tid, 2 * e->depth, "", k, base_name(m->path), (double)total / 1e6);
	return last + 1;
}

/* one timeline line */
static void timeline_line(FILE *out, const struct proc *p, int i, uint64_t t0, char *last_py)
{
	const struct event *e = p->ev[i];
	char a[1400], b[600], d[600];
	const char *mark = "", *mcol = "";

	a[0] = 0;
	switch (e->type) {
	case EV_MAIN_RETURN: snprintf(a, sizeof a, "main returned %lld", ev_dec(e, 0)); break;
	case EV_EXIT: snprintf(a, sizeof a, "exit(%lld)", ev_dec(e, 0)); break;
	case EV__EXIT: snprintf(a, sizeof a, "_exit(%lld)", ev_dec(e, 0)); break;
	case EV_QUICK_EXIT: snprintf(a, sizeof a, "quick_exit(%lld)", ev_dec(e, 0)); break;
	case EV_EXIT_DONE: snprintf(a, sizeof a, "process ends (its last atexit handler ran)"); break;
	case EV_THREAD_EXIT:
		snprintf(a, sizeof a, "thread %d exits (%s)", e->tid,
			 strcmp(ev_field(e, 0), "return") ? "pthread_exit" : "its function returned");
		break;
	case EV_TLS_DTORS_DONE: snprintf(a, sizeof a, "TLS destructors of thread %d done", e->tid); break;
	case EV_TLS_DTOR:
		tls_text(p, ev_dec(e, 0), b, sizeof b);
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "TLS destructor of %s  [%s]", b, d);
		break;
	case EV_ATEXIT_RUN: {
		uint64_t obj;
		short_code(p, ev_field(e, 1), b, sizeof b);
		duration(e, d, sizeof d);
		if (atexit_is_static_dtor(p, ev_dec(e, 0), &obj)) {
			char *o = object_name(p, obj), *sb = short_name(b);
			snprintf(a, sizeof a, "static destructor %s of %s  [%s]", sb, o, d);
			free(o);
			free(sb);
		} else {
			snprintf(a, sizeof a, "atexit handler %s  [%s]", b, d);
		}
		break;
	}
	case EV_PY_FIN:
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "%s  [%s]", ev_field(e, 0), d);
		break;
	case EV_PY_ATEXIT_RUN:
		short_code(p, ev_field(e, 1), b, sizeof b);
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "Py_AtExit function %s  [%s]", b, d);
		break;
	case EV_KEY_DTOR:
		short_code(p, ev_field(e, 2), b, sizeof b);
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "pthread key %lld destructor %s, value %s, round %lld  [%s]", ev_dec(e, 0), b,
			 ev_field(e, 1), ev_dec(e, 3), d);
		break;
	case EV_UAD:
		tls_text(p, ev_dec(e, 0), b, sizeof b);
		code_text(p, ev_field(e, 6), 1, d, sizeof d);
		snprintf(a, sizeof a, "use-after-destroy: %s, from %s", b, d);
		mark = "!! ";
		mcol = strcmp(ev_field(e, 7), "ld?") ? c_err : c_warn;
		break;
	case EV_POISON_HIT:
		tls_text(p, ev_dec(e, 0), b, sizeof b);
		snprintf(a, sizeof a, "poisoned value of destroyed %s used", b);
		mark = "!! ";
		mcol = c_err;
		break;
	case EV_CRASH:
		code_text(p, ev_field(e, 3), 0, b, sizeof b);
		if (ev_dec(e, 1) > 0)
			snprintf(a, sizeof a, "%s (%s) at %s in %s", tlstrace_signal_name((int)ev_dec(e, 0)),
				 si_code_name((int)ev_dec(e, 0), (int)ev_dec(e, 1)), ev_field(e, 2), b);
		else
			snprintf(a, sizeof a, "%s sent (%s) in %s", tlstrace_signal_name((int)ev_dec(e, 0)),
				 si_code_name((int)ev_dec(e, 0), (int)ev_dec(e, 1)), b);
		mark = "!! ";
		mcol = c_err;
		break;
	case EV_TLS_LATE_ALLOC: {
		const struct module *m = proc_module(p, (int)ev_dec(e, 0));
		code_text(p, ev_field(e, 1), 1, b, sizeof b);
		if (m)
			snprintf(d, sizeof d, "%s", base_name(m->path));
		else
			snprintf(d, sizeof d, "module %s", ev_field(e, 0));
		snprintf(a, sizeof a, "thread_locals of %s first used during teardown, from %s%s", d, b,
			 e->normal ? " (its own, normal)" : "");
		if (!e->normal) {
			mark = "!! ";
			mcol = c_warn;
		}
		break;
	}
	case EV_TLS_REG:
		tls_text(p, ev_dec(e, 0), b, sizeof b);
		snprintf(a, sizeof a, "thread_local %s constructed late (%s)", b, ev_field(e, 9));
		mark = "!! ";
		mcol = c_warn;
		break;
	case EV_KEY_LATE:
		code_text(p, ev_field(e, 3), 1, b, sizeof b);
		snprintf(a, sizeof a, "pthread_%sspecific(key %lld) after its destructor ran, from %s", ev_field(e, 1),
			 ev_dec(e, 0), b);
		mark = "!! ";
		mcol = c_warn;
		break;
	case EV_KILL:
		code_text(p, ev_field(e, 8), 1, b, sizeof b);
		if (!strcmp(ev_field(e, 4), "-")) /* aimed at this process */
			snprintf(a, sizeof a, "%s(%s)%s%s from %s%s", ev_field(e, 0), signal_name((int)ev_dec(e, 1)),
				 ev_dec(e, 2) == p->pid ? "" : " to ", ev_dec(e, 2) == p->pid ? "" : ev_field(e, 2), b,
				 !strcmp(ev_field(e, 6), "dfl") && !strcmp(ev_field(e, 7), "0") ? " (default action)" : "");
		else
			snprintf(a, sizeof a, "%s(%s) to %s from %s%s", ev_field(e, 0), signal_name((int)ev_dec(e, 1)),
				 ev_field(e, 2), b, ev_dec(e, 4) ? " (failed)" : "");
		break;
	case EV_REAP:
		if (!strcmp(ev_field(e, 2), "signal"))
			snprintf(a, sizeof a, "%s: child %s was killed by %s%s", ev_field(e, 0), ev_field(e, 1),
				 signal_name((int)ev_dec(e, 3)), ev_dec(e, 4) ? " (core dumped)" : "");
		else
			snprintf(a, sizeof a, "%s: child %s exited with status %lld", ev_field(e, 0), ev_field(e, 1), ev_dec(e, 3));
		break;
	case EV_SIG_HANDLER:
		short_code(p, ev_field(e, 1), b, sizeof b);
		code_text(p, ev_field(e, 4), 1, d, sizeof d);
		snprintf(a, sizeof a, "%s handler %s installed (%s) from %s", signal_name((int)ev_dec(e, 0)),
			 !strcmp(ev_field(e, 1), "0x0") ? "SIG_DFL" : !strcmp(ev_field(e, 1), "0x1") ? "SIG_IGN" : b,
			 ev_field(e, 3), d);
		break;
	default:
		return;
	}
	if (e->py != *last_py && e->py != PY_NONE && e->py != PY_UNKNOWN) {
		fprintf(out, "    %s%13s  %-7s %*s-- %s --%s\n", c_dim, "", "", 2 * e->depth, "", py_state_name(e->py), c_off);
		*last_py = e->py;
	}
	fprintf(out, "    %s%+10.3f ms%s  %-7d %*s%s%s%s%s\n", c_dim, (double)((int64_t)(e->t - t0)) / 1e6, c_off, e->tid,
		2 * e->depth, "", mcol, mark, a, *mcol ? c_off : "");
}

static void proc_header(FILE *out, const struct proc *p)
{
	char outcome[200];
	if (p->exit_known && p->exit_how && !strcmp(p->exit_how, "signal"))
		snprintf(outcome, sizeof outcome, "killed by %s%s%s", signal_name(p->exit_signal), p->exit_core ? " (core dumped)" : "",
			 p->killer && p->killer != p ? " (sent by another process)" : p->reap ? " (known from its parent's wait)" : "");
	else if (p->exit_known)
		snprintf(outcome, sizeof outcome, "exit status %d%s%s", p->exit_status, p->crashed ? ", after a crash handled by the program" : "",
			 !strcmp(p->exit_how, "reap") ? " (known from its parent's wait)" : "");
	else if (p->unfinished)
		snprintf(outcome, sizeof outcome, "unfinished: its trace has no end%s", p->crashed ? " (crashed)" : "");
	else if (p->execed)
		snprintf(outcome, sizeof outcome, "replaced by exec (the same pid runs a new program below)");
	else
		snprintf(outcome, sizeof outcome, "outcome not recorded%s", p->crashed ? " (crashed)" : "");
	fprintf(out, "%sprocess %d%s %s", c_bold, p->pid, c_off, base_name(p->exe));
	if (p->forked)
		fprintf(out, " (forked from %d)", p->ppid);
	fprintf(out, ": %s", outcome);
	if (p->lines_lost)
		fprintf(out, "; %lld trace lines lost", p->lines_lost);
	fputc('\n', out);
	if (p->argv && *p->argv)
		fprintf(out, "    %s%.200s%s\n", c_dim, p->argv, c_off);
}

static void render_frames(FILE *out, const struct finding *f)
{
	int i, shown = 0;
	char buf[800];
	for (i = 0; i < f->nbt && shown < opt.max_frames; i++) {
		if (!opt.show_shim_frames && is_shim_module(f->bt[i].code.mod))
			continue;
		if (f->bt[i].code.mod || f->bt[i].code.off)
			sym_describe(&f->bt[i].code, f->bt[i].is_return, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "?");
		fprintf(out, "      #%-2d %s\n", i, buf);
		shown++;
	}
	if (i < f->nbt)
		fprintf(out, "      %s... %d more frames%s\n", c_dim, f->nbt - i, c_off);
}

void render_text(struct report *r, FILE *out)
{
	int i, j, nerr = 0, nwarn = 0, shown_procs = 0;
	colors();
	fprintf(out, "tlstrace-report: %d file%s, %d process%s, %zu events\n", r->nfiles, r->nfiles == 1 ? "" : "s",
		r->nprocs, r->nprocs == 1 ? "" : "es", r->nev);
	for (i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		uint64_t t0 = 0;
		char last_py = PY_NONE;
		int any = 0;
		if (opt.pid && p->pid != opt.pid)
			continue;
		for (j = 0; j < p->nev; j++)
			if (p->ev[j]->shown) {
				t0 = p->ev[j]->t;
				any = 1;
				break;
			}
		fputc('\n', out);
		proc_header(out, p);
		shown_procs++;
		if (!any) {
			fprintf(out, "    %s(no teardown events)%s\n", c_dim, c_off);
			continue;
		}
		/* the Python state just before the teardown started */
		for (j = 0; j < p->nev && p->ev[j]->t < t0; j++)
			last_py = p->ev[j]->py;
		for (j = 0; j < p->nev;) {
			int next;
			if (!p->ev[j]->shown) {
				j++;
				continue;
			}
			if (p->ev[j]->type == EV_ATEXIT_RUN && (next = atexit_run_of_module(out, p, j, t0)) > 0) {
				j = next;
				continue;
			}
			timeline_line(out, p, j, t0, &last_py);
			j++;
		}
	}
	if (r->nfindings)
		fprintf(out, "\n%sfindings%s\n", c_bold, c_off);
	for (i = 0; i < r->nfindings; i++) {
		struct finding *f = r->findings[i];
		uint64_t t0 = f->proc->t_first; /* when it has no teardown events */
		for (j = 0; j < f->proc->nev; j++)
			if (f->proc->ev[j]->shown) {
				t0 = f->proc->ev[j]->t;
				break;
			}
		if (f->severity == SEV_ERROR)
			nerr++;
		else if (f->severity == SEV_WARNING)
			nwarn++;
		fprintf(out, "\n[%d] %s%s%s %s%s%s  process %d thread %d at %+.3f ms\n", i + 1, sev_color(f->severity),
			sev_name(f->severity), c_off, c_bold, f->kind, c_off, f->proc->pid, f->tid,
			(double)(int64_t)(f->t - t0) / 1e6);
		fprintf(out, "    %s", f->message);
		if (f->count > 1)
			fprintf(out, " (%d times)", f->count);
		fputc('\n', out);
		if (f->phase)
			fprintf(out, "    %sphase:%s      %s\n", c_dim, c_off, f->phase);
		if (f->root_cause)
			fprintf(out, "    %sroot cause:%s %s\n", c_dim, c_off, f->root_cause);
		if (f->fix)
			fprintf(out, "    %sfix:%s        %s\n", c_dim, c_off, f->fix);
		if (f->nbt) {
			fprintf(out, "    %sbacktrace:%s\n", c_dim, c_off);
			render_frames(out, f);
		}
		if (f->npy) {
			fprintf(out, "    %sPython:%s\n", c_dim, c_off);
			for (j = 0; j < f->npy; j++)
				fprintf(out, "      %s\n", f->pylines[j]);
		}
	}
	fprintf(out, "\n%d finding%s: %d error%s, %d warning%s\n", r->nfindings, r->nfindings == 1 ? "" : "s", nerr,
		nerr == 1 ? "" : "s", nwarn, nwarn == 1 ? "" : "s");
	(void)shown_procs;
}

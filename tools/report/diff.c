/* diff.c - --diff A B: how teardown order differs between two traces, e.g. the same app under
 * python3 and under uWSGI. In each trace one process is compared: of the same program in both if
 * there is one, else the one with the most teardown (findings, TLS destructors, Py_Finalize), never
 * a wrapper that only waited for its command (timeout) while another is there; or FILE:PID picks it. Its teardown becomes a list of
 * steps with comparable labels ("exit begins", "Python finalization", "TLS destructor of tls_obj",
 * "atexit handler uwsgi_plugins_atexit", "use-after-destroy of tls_obj", "crash SIGSEGV"). The two
 * lists are aligned (longest common subsequence) and shown as a diff, then every pair of steps
 * present in both whose order differs is named. Exit status 1 if anything differs. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct step {
	char *label;  /* compared */
	char *detail; /* shown */
};

struct steps {
	struct step *s;
	int n, cap;
	const struct proc *p;
};

static void add(struct steps *st, char *label, char *detail)
{
	int i;
	for (i = 0; i < st->n; i++)
		if (!strcmp(st->s[i].label, label) && strcmp(label, "exit begins") != 0 && strncmp(label, "atexit", 6) != 0)
			break;
	if (i < st->n && strncmp(label, "use-after-destroy", 17) == 0) {
		free(label);
		free(detail);
		return; /* once is enough */
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 32;
		st->s = xrealloc(st->s, (size_t)st->cap * sizeof *st->s);
	}
	st->s[st->n].label = label;
	st->s[st->n].detail = detail;
	st->n++;
}

static int leaf_atexit(const struct proc *p, int i)
{
	const struct event *b = p->ev[i], *end = ev_match(b);
	int j;
	if (!end)
		return 0;
	for (j = i + 1; j < p->nev && p->ev[j] != end; j++)
		if (p->ev[j]->shown && p->ev[j]->tid == b->tid)
			return 0;
	return 1;
}

static void build(const struct proc *p, struct steps *st)
{
	int i, py_fin_seen = 0;
	char py = PY_NONE;
	st->p = p;
	for (i = 0; i < p->nev; i++) {
		const struct event *e = p->ev[i];
		/* Python finalization, whether interposed (py_fin) or only seen in the state column */
		if (!py_fin_seen && (e->type == EV_PY_FIN || ((py == PY_INIT || py == PY_NOTINIT) &&
							      (e->py == PY_ATEXIT || e->py == PY_FINALIZING || e->py == PY_DEAD)))) {
			py_fin_seen = 1;
			add(st, xstrdup("Python finalization"),
			    e->type == EV_PY_FIN ? xasprintf("%s called", ev_field(e, 0))
						 : xasprintf("interpreter %s by then", e->py == PY_DEAD ? "finalized" : "finalizing"));
		}
		if (e->py != PY_UNKNOWN)
			py = e->py;
		if (!e->shown)
			continue;
		switch (e->type) {
		case EV_MAIN_RETURN:
			add(st, xstrdup("exit begins"), xasprintf("main returned %s", ev_field(e, 0)));
			break;
		case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT:
			add(st, xstrdup("exit begins"), xasprintf("%s(%s)", ev_name(e), ev_field(e, 0)));
			break;
		case EV_TLS_DTOR: {
			char *t = tls_display_name(p, ev_dec(e, 0));
			add(st, xasprintf("TLS destructor of %s", t), e->tid == p->pid ? xstrdup("") : xasprintf("thread %d", e->tid));
			free(t);
			break;
		}
		case EV_ATEXIT_RUN:
			if (!leaf_atexit(p, i)) {
				char *f = code_func_name(p, ev_field(e, 1));
				add(st, xasprintf("atexit handler %s", f), xstrdup(""));
				free(f);
			}
			break;
		case EV_UAD: {
			char *t = tls_display_name(p, ev_dec(e, 0));
			add(st, xasprintf("use-after-destroy of %s", t), xstrdup(""));
			free(t);
			break;
		}
		case EV_CRASH:
			add(st, xasprintf("crash %s", tlstrace_signal_name((int)ev_dec(e, 0))), xstrdup(""));
			break;
		case EV_EXIT_DONE:
			add(st, xstrdup("process ends"), xstrdup(""));
			break;
		default:
			break;
		}
	}
}

/* how much teardown p shows: its findings (not those about how it ended: a wrapper killed or
 * cut short is no teardown), TLS destructors, Py_Finalize, shown events */
static int score(const struct report *r, const struct proc *p)
{
	int i, s = 0;
	for (i = 0; i < r->nfindings; i++)
		if (!finding_folded(r, i) && r->findings[i]->proc == p && strcmp(r->findings[i]->kind, "killed") && strcmp(r->findings[i]->kind, "unfinished"))
			s += 100;
	for (i = 0; i < p->nev; i++)
		s += p->ev[i]->type == EV_TLS_DTOR ? 5 : p->ev[i]->type == EV_PY_FIN ? 10 : p->ev[i]->shown ? 1 : 0;
	return s;
}

/* a process that only ran another program and waited for it (timeout, a shell's one command):
 * it reaped one child and has no teardown of its own to compare (no TLS destructor, no Python
 * finalization); a program reaping many (a fork-heavy one, a server's workers) is none */
static int wrapper(const struct proc *p)
{
	int i, reaped = 0;
	for (i = 0; i < p->nev; i++) {
		int t = p->ev[i]->type;
		if (t == EV_TLS_DTOR || t == EV_PY_FIN || t == EV_PY_END_INTERP)
			return 0;
		reaped += t == EV_REAP;
	}
	return reaped == 1;
}

/* may p be compared: it has events, is the --diff FILE:PID's if one was given (main.c empties
 * the others), and is no wrapper unless all of r's are */
static int candidate(const struct report *r, const struct proc *p)
{
	int i, others = 0;
	if (!p->nev || p->execed) /* a program replaced by exec: what replaced it is compared */
		return 0;
	if (!wrapper(p))
		return 1;
	for (i = 0; i < r->nprocs; i++)
		others |= r->procs[i]->nev && !r->procs[i]->execed && !wrapper(r->procs[i]);
	return !others;
}

/* the process of r with the most teardown among the candidates */
static const struct proc *pick(const struct report *r)
{
	const struct proc *best = NULL;
	int i, bs = -1;
	for (i = 0; i < r->nprocs; i++) {
		int s;
		if (!candidate(r, r->procs[i]))
			continue;
		s = score(r, r->procs[i]);
		if (s > bs) {
			bs = s;
			best = r->procs[i];
		}
	}
	return best;
}

/* The two processes to compare: of the same program in both traces if there is one (the pair
 * with the most teardown), else each trace's own with the most; *why says which rule chose. */
static void pick_pair(const struct report *ra, const struct report *rb, const struct proc **pa, const struct proc **pb,
		      const char **why)
{
	int i, j, bs = -1;
	*pa = *pb = NULL;
	for (i = 0; i < ra->nprocs; i++)
		for (j = 0; j < rb->nprocs; j++) {
			const struct proc *a = ra->procs[i], *b = rb->procs[j];
			int s;
			if (!candidate(ra, a) || !candidate(rb, b) || !a->prog->exe || !b->prog->exe ||
			    strcmp(base_name(a->prog->exe), base_name(b->prog->exe)))
				continue;
			s = score(ra, a) + score(rb, b);
			if (s > bs) {
				bs = s;
				*pa = a;
				*pb = b;
			}
		}
	*why = "the same program in both traces, the one with the most teardown";
	if (*pa)
		return;
	*pa = pick(ra);
	*pb = pick(rb);
	*why = "no program is in both traces: in each, the process with the most teardown (not a wrapper that only waited for its command)";
}

static void free_steps(struct steps *st)
{
	int i;
	for (i = 0; i < st->n; i++) {
		free(st->s[i].label);
		free(st->s[i].detail);
	}
	free(st->s);
}

static int find(const struct steps *st, const char *label)
{
	int i;
	for (i = 0; i < st->n; i++)
		if (!strcmp(st->s[i].label, label))
			return i;
	return -1;
}

int render_diff(struct report *ra, struct report *rb, FILE *out)
{
	struct steps a = {0}, b = {0};
	const struct proc *pa, *pb;
	int *lcs, i, j, diffs = 0, orders = 0;
	int saved_pid = opt.pid;
	const char *why;

	opt.pid = 0;
	pick_pair(ra, rb, &pa, &pb, &why);
	opt.pid = saved_pid;
	if (!pa || !pb) {
		fprintf(stderr, "tlstrace-report: --diff: %s has no process\n", !pa ? ra->files[0] : rb->files[0]);
		return 2;
	}
	build(pa, &a);
	build(pb, &b);
	fprintf(out, "A: %s, process %d %s\nB: %s, process %d %s\n", ra->files[0], pa->pid, base_name(pa->prog->exe),
		rb->files[0], pb->pid, base_name(pb->prog->exe));
	/* which processes, and why these (FILE:PID leaves one process per side) */
	fprintf(out, "compared: %s%s\n\n", why, ra->nprocs + rb->nprocs > 2 ? "; FILE:PID picks another" : "");

	/* longest common subsequence of labels */
	lcs = xmalloc((size_t)(a.n + 1) * (size_t)(b.n + 1) * sizeof *lcs);
#define L(x, y) lcs[(x) * (b.n + 1) + (y)]
	for (i = a.n; i >= 0; i--)
		for (j = b.n; j >= 0; j--)
			L(i, j) = i == a.n || j == b.n ? 0
				  : !strcmp(a.s[i].label, b.s[j].label) ? 1 + L(i + 1, j + 1)
				  : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	fputs("teardown steps (\"-\" only in A, \"+\" only in B):\n", out);
	for (i = 0, j = 0; i < a.n || j < b.n;) {
		if (i < a.n && j < b.n && !strcmp(a.s[i].label, b.s[j].label)) {
			fprintf(out, "    %s", a.s[i].label);
			if (strcmp(a.s[i].detail, b.s[j].detail))
				fprintf(out, "  [A: %s; B: %s]", *a.s[i].detail ? a.s[i].detail : "-", *b.s[j].detail ? b.s[j].detail : "-");
			else if (*a.s[i].detail)
				fprintf(out, "  [%s]", a.s[i].detail);
			fputc('\n', out);
			i++, j++;
		} else if (j == b.n || (i < a.n && L(i + 1, j) >= L(i, j + 1))) {
			fprintf(out, "  - %s%s%s%s\n", a.s[i].label, *a.s[i].detail ? "  [" : "", a.s[i].detail, *a.s[i].detail ? "]" : "");
			i++, diffs++;
		} else {
			fprintf(out, "  + %s%s%s%s\n", b.s[j].label, *b.s[j].detail ? "  [" : "", b.s[j].detail, *b.s[j].detail ? "]" : "");
			j++, diffs++;
		}
	}
#undef L
	free(lcs);

	fputs("\norder differences (steps in both traces, in opposite order):\n", out);
	for (i = 0; i < a.n; i++)
		for (j = i + 1; j < a.n; j++) {
			int bi = find(&b, a.s[i].label), bj = find(&b, a.s[j].label);
			if (bi < 0 || bj < 0 || bi < bj || find(&a, a.s[i].label) != i || find(&a, a.s[j].label) != j)
				continue;
			fprintf(out, "    A: %s, then %s\n    B: %s, then %s\n", a.s[i].label, a.s[j].label, b.s[bj].label,
				b.s[bi].label);
			orders++;
		}
	if (!orders)
		fputs("    none\n", out);
	free_steps(&a);
	free_steps(&b);
	return diffs || orders ? 1 : 0;
}

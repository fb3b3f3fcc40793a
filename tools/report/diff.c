/* diff.c - --diff A B: how teardown order differs between two traces, e.g. the same app under
 * python3 and under uWSGI. In each trace one process is compared: of the same program in both if
 * there is one, else the one with the most teardown (findings, TLS destructors, Py_Finalize), never
 * a wrapper that only waited for its command (timeout) while another is there; or FILE:PID picks it. Its teardown becomes a list of
 * steps with comparable labels ("exit begins", "Python finalization", "TLS destructor of tls_obj",
 * "atexit handler uwsgi_plugins_atexit", "static destructor Late::~Late()", "use-after-destroy of tls_obj", "crash SIGSEGV", "process
 * ends", "dies by SIGKILL"); an atexit handler with nothing shown inside it only if the other
 * trace shows the same handler as a step (keep_quiet), one that did not return with that said. The two
 * lists are aligned (longest common subsequence) and shown as a diff, then every pair of steps
 * present in both whose order differs is named. Exit status 1 if anything differs (a step's
 * detail too: details_differ). Time near linear in the traces (docs/report-time.md): processes
 * paired through a sort by program name, steps compared by label number, the alignment's table
 * only over what prefix and suffix leave (quadratic there: two bits a cell), the order
 * differences from a tree (log n per pair shown). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "report.h"

struct step {
	char *label;  /* compared */
	char *detail; /* shown; compared where the labels are equal ("" if nothing to say) */
	char *did;    /* what the step did, shown for an empty detail where the other trace's differs
		       * ("returned after 100.000 ms", "main thread"), or NULL: then "-" */
	int id;       /* the label's number in the labels table: equal labels, equal numbers */
	char quiet;   /* an atexit handler that returned with nothing shown inside it: kept only where
		       * the other trace shows the same handler (keep_quiet) */
};

/* each distinct label once (open addressing on its hash), numbered from 0 in order of first
 * sight; both traces' steps share one table, so steps are compared by number in linear time */
struct labels {
	const char **slot; /* the label of each slot (a step's own, not copied), NULL if free */
	int *slot_id;
	size_t cap;
	int n;
};

struct steps {
	struct step *s;
	int n, cap;
	const struct proc *p;
	int *first;        /* label number -> the index of its first step here, -1 if none */
	int nfirst;        /* room in first */
	struct labels *labels;
	char **dropped;    /* labels and details of quiet steps keep_quiet left out: freed with the
			    * steps, not before (the labels table may point at a label) */
	int ndropped;
};

static size_t label_hash(const char *s)
{
	size_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* label's number in t, a new one if unseen (label must live as long as t) */
static int label_id(struct labels *t, const char *label)
{
	size_t i;
	if ((size_t)(t->n + 1) * 2 > t->cap) { /* at most half full */
		struct labels g = {0};
		g.cap = t->cap ? t->cap * 2 : 64;
		g.slot = xmalloc(g.cap * sizeof *g.slot);
		g.slot_id = xmalloc(g.cap * sizeof *g.slot_id);
		memset(g.slot, 0, g.cap * sizeof *g.slot);
		for (i = 0; i < t->cap; i++)
			if (t->slot[i]) {
				size_t k = label_hash(t->slot[i]) & (g.cap - 1);
				while (g.slot[k])
					k = (k + 1) & (g.cap - 1);
				g.slot[k] = t->slot[i];
				g.slot_id[k] = t->slot_id[i];
			}
		g.n = t->n;
		free(t->slot);
		free(t->slot_id);
		*t = g;
	}
	for (i = label_hash(label) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (!strcmp(t->slot[i], label))
			return t->slot_id[i];
	t->slot[i] = label;
	t->slot_id[i] = t->n;
	return t->n++;
}

/* the index of st's first step with label number id, -1 if none */
static int first_step(const struct steps *st, int id)
{
	return id < st->nfirst ? st->first[id] : -1;
}

static void add(struct steps *st, char *label, char *detail);

/* a quiet step (see struct step): added as any other, marked */
static void add_quiet(struct steps *st, char *label, char *detail)
{
	add(st, label, detail);
	st->s[st->n - 1].quiet = 1;
}

/* the step just added did what did says (malloc'd, the step's: see struct step) */
static void add_did(struct steps *st, char *did)
{
	st->s[st->n - 1].did = did;
}

static void add(struct steps *st, char *label, char *detail)
{
	int id = label_id(st->labels, label);
	if (first_step(st, id) >= 0 && strncmp(label, "use-after-destroy", 17) == 0) {
		free(label);
		free(detail);
		return; /* once is enough */
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 32;
		st->s = xrealloc(st->s, (size_t)st->cap * sizeof *st->s);
	}
	if (id >= st->nfirst) {
		int k = st->nfirst;
		st->nfirst = st->labels->n > 2 * st->nfirst ? st->labels->n : 2 * st->nfirst;
		st->first = xrealloc(st->first, (size_t)st->nfirst * sizeof *st->first);
		for (; k < st->nfirst; k++)
			st->first[k] = -1;
	}
	if (st->first[id] < 0)
		st->first[id] = st->n;
	st->s[st->n].label = label;
	st->s[st->n].detail = detail;
	st->s[st->n].did = NULL;
	st->s[st->n].id = id;
	st->s[st->n].quiet = 0;
	st->n++;
}

/* For each atexit_run of p: is it a leaf, i.e. does no shown event of its thread come after it
 * before its end (match) is reached (to the end of p's events if its end is not after it)?
 * Linear in p's events: each one's next shown event on its thread, from the end back, and where
 * each atexit_run's end is. Returns leaf[i] (0 or 1) for every i, malloc'd. */
static char *leaf_atexits(const struct proc *p)
{
	struct index next = {0}, at = {0}; /* tid -> index of its next shown event + 1; end -> index + 1 */
	char *leaf = xmalloc((size_t)p->nev + 1);
	int *next_shown = xmalloc(((size_t)p->nev + 1) * sizeof *next_shown);
	int i;
	for (i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_ATEXIT_RUN && ev_match(proc_ev(p, i)))
			index_put(&at, (long long)(uintptr_t)ev_match(proc_ev(p, i)), (void *)(intptr_t)-1);
	for (i = p->nev - 1; i >= 0; i--) {
		const struct event *e = proc_ev(p, i);
		void *n = index_get(&next, e->tid);
		next_shown[i] = n ? (int)(intptr_t)n - 1 : p->nev;
		/* (the shim's own lines, its hang watchdog armed inside the first handler, say nothing
		 * of the program: FRESH16, two clean runs compared showed one static destructor) */
		if (e->shown && e->type != EV_HANG_ARM && e->type != EV_THREADS_ALIVE)
			index_put(&next, e->tid, (void *)(intptr_t)(i + 1));
		if (index_get(&at, (long long)(uintptr_t)e))
			index_put(&at, (long long)(uintptr_t)e, (void *)(intptr_t)(i + 1));
	}
	for (i = 0; i < p->nev; i++) {
		const struct event *b = proc_ev(p, i);
		const struct event *end = ev_match(b);
		intptr_t m = end ? (intptr_t)index_get(&at, (long long)(uintptr_t)end) - 1 : -1;
		if (m <= i) /* not after it (or not among p's events): the scan went to the end */
			m = p->nev;
		leaf[i] = b->type == EV_ATEXIT_RUN && end && next_shown[i] >= m;
	}
	index_free(&next);
	index_free(&at);
	free(next_shown);
	return leaf;
}

static void build(const struct proc *p, struct steps *st)
{
	int i, py_fin_seen = 0;
	char py = PY_NONE, *leaf = leaf_atexits(p);
	st->p = p;
	for (i = 0; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
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
			if (e->tid == p->pid)
				add_did(st, xstrdup("main thread"));
			free(t);
			break;
		}
		case EV_ATEXIT_RUN: {
			/* one that did not return (no end line: the process died or was cut short in it)
			 * is never quiet: ev_match is its end */
			char *f = code_func_name(p, ev_field(e, 1));
			const struct event *end = ev_match(e);
			uint64_t obj;
			/* (a C++ static object's destructor, as the timeline names it) */
			(leaf[i] ? add_quiet : add)(st, xasprintf("%s %s", atexit_is_static_dtor(p, ev_dec(e, 0), &obj)
									  ? "static destructor" : "atexit handler", f),
						    end ? xstrdup("") : xstrdup("did not return"));
			if (end) {
				char *d = duration_text(end->t > e->t ? end->t - e->t : 0);
				add_did(st, xasprintf("returned after %s", d));
				free(d);
			}
			free(f);
			break;
		}
		case EV_UAD: {
			char *t = tls_display_name(p, ev_dec(e, 0));
			add(st, xasprintf("use-after-destroy of %s", t), xstrdup(""));
			free(t);
			break;
		}
		case EV_CRASH:
			add(st, xasprintf("crash %s", signal_name((int)ev_dec(e, 0))), xstrdup(""));
			break;
		case EV_EXIT_DONE:
			add(st, xstrdup("process ends"), xstrdup(""));
			break;
		default:
			break;
		}
	}
	free(leaf);
	/* a death by a signal is the end's step as "process ends" is an exit's: a SIGKILL or a SIGTERM
	 * taken with the default action leaves no crash line, and a process that dies and one that
	 * exits must not compare as alike */
	if (p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal")) {
		const struct proc_fate *f = fate_of(p);
		add(st, xasprintf("dies by %s", signal_name(p->exit_signal)),
		    f->killer && f->killer != p ? xasprintf("sent by process %d", f->killer->pid)
		    : f->killer == p || p->crashed ? xstrdup("its own") : f->reap ? xstrdup("known from its parent's wait")
		    : xstrdup(""));
	} else if (p->unfinished) {
		/* no end at all (SIGKILL from an untraced sender, or still running): said as a step,
		 * in the words of its unfinished finding, so that it is not the same as an exit */
		add(st, xstrdup("trace ends"),
		    xstrdup("unfinished: killed by a signal the shim cannot see, or still running"));
	}
}

/* a process that only ran another program and waited for it (timeout, a shell's one command):
 * it reaped one child and has no teardown of its own to compare (no TLS destructor, no Python
 * finalization); a program reaping many (a fork-heavy one, a server's workers) is none */
static int wrapper(const struct proc *p)
{
	int i, reaped = 0;
	for (i = 0; i < p->nev; i++) {
		int t = proc_ev(p, i)->type;
		if (t == EV_TLS_DTOR || t == EV_PY_FIN || t == EV_PY_END_INTERP)
			return 0;
		reaped += t == EV_REAP;
	}
	return reaped == 1;
}

/* What picking needs of each process of one trace, computed once (linear in its events and
 * findings): whether it may be compared, and how much teardown it shows. */
struct side {
	const struct report *r;
	long long *score; /* by place in r->procs: 100 per finding that is not about how it ended (a
			   * wrapper killed or cut short is no teardown), 5 per TLS destructor, 10 per
			   * Py_Finalize, 1 per other shown event */
	char *cand;       /* by place in r->procs: it has events, is the --diff FILE:PID's if one was
			   * given (main.c empties the others), is not a program replaced by exec (what
			   * replaced it is compared), and is no wrapper unless all of r's are */
};

/* p's place in r->procs (proc_new numbers them in order: p->index) */
static int proc_place(const struct report *r, const struct proc *p)
{
	int i;
	if (p->index >= 0 && p->index < r->nprocs && r->procs[p->index] == p)
		return p->index;
	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i] == p)
			return i;
	return -1;
}

static void pick_side_init(struct side *sd, const struct report *r)
{
	char *wrap = xmalloc((size_t)r->nprocs + 1);
	int i, j, others = 0;
	sd->r = r;
	sd->score = xmalloc(((size_t)r->nprocs + 1) * sizeof *sd->score);
	sd->cand = xmalloc((size_t)r->nprocs + 1);
	for (i = 0; i < r->nprocs; i++) {
		const struct proc *p = r->procs[i];
		sd->score[i] = 0;
		for (j = 0; j < p->nev; j++)
			sd->score[i] += proc_ev(p, j)->type == EV_TLS_DTOR ? 5 : proc_ev(p, j)->type == EV_PY_FIN ? 10 : proc_ev(p, j)->shown ? 1 : 0;
		wrap[i] = p->nev && !p->execed && wrapper(p);
		others |= p->nev && !p->execed && !wrap[i];
	}
	for (i = 0; i < r->nfindings; i++) {
		const char *kind = finding_kind(r, i);
		int k = strcmp(kind, "killed") && strcmp(kind, "unfinished") ? proc_place(r, finding_proc(r, i)) : -1;
		if (k >= 0)
			sd->score[k] += 100;
	}
	for (i = 0; i < r->nprocs; i++)
		sd->cand[i] = r->procs[i]->nev && !r->procs[i]->execed && (!wrap[i] || !others);
	free(wrap);
}

static void pick_side_free(struct side *sd)
{
	free(sd->score);
	free(sd->cand);
}

/* the process of sd's trace with the most teardown among the candidates (the first of equals) */
static const struct proc *pick(const struct side *sd)
{
	const struct proc *best = NULL;
	long long bs = -1;
	int i;
	for (i = 0; i < sd->r->nprocs; i++)
		if (sd->cand[i] && sd->score[i] > bs) {
			bs = sd->score[i];
			best = sd->r->procs[i];
		}
	return best;
}

/* a candidate of trace B with a known program, for pick_pair's search by program name */
struct named {
	const char *name; /* base_name of its exe */
	long long score;
	int place;        /* in rb->procs */
};

/* by name, then the most teardown first, then the first in the trace */
static int named_cmp(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (a->place > b->place) - (a->place < b->place);
}

/* The two processes to compare: of the same program in both traces if there is one (the pair
 * with the most teardown, the first in A's order, then B's, of equals), else each trace's own
 * with the most; *why says which rule chose. B's candidates sorted by program name: each of A's
 * finds its best partner by binary search (n log n, not one try per pair). */
static void pick_pair(const struct side *sa, const struct side *sb, const struct proc **pa, const struct proc **pb,
		      const char **why)
{
	const struct report *ra = sa->r, *rb = sb->r;
	struct named *nb = xmalloc(((size_t)rb->nprocs + 1) * sizeof *nb);
	long long bs = -1;
	int i, n = 0;
	*pa = *pb = NULL;
	for (i = 0; i < rb->nprocs; i++)
		if (sb->cand[i] && proc_prog(rb->procs[i])->exe) {
			nb[n].name = base_name(proc_prog(rb->procs[i])->exe);
			nb[n].score = sb->score[i];
			nb[n].place = i;
			n++;
		}
	qsort(nb, (size_t)n, sizeof *nb, named_cmp);
	for (i = 0; n && i < ra->nprocs; i++) {
		const char *name;
		int lo = 0, hi = n;
		if (!sa->cand[i] || !proc_prog(ra->procs[i])->exe)
			continue;
		name = base_name(proc_prog(ra->procs[i])->exe);
		while (lo < hi) { /* the first of B's with this name */
			int mid = lo + (hi - lo) / 2;
			if (strcmp(nb[mid].name, name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && !strcmp(nb[lo].name, name) && sa->score[i] + nb[lo].score > bs) {
			bs = sa->score[i] + nb[lo].score;
			*pa = ra->procs[i];
			*pb = rb->procs[nb[lo].place];
		}
	}
	free(nb);
	*why = "the same program in both traces, the one with the most teardown";
	if (*pa)
		return;
	*pa = pick(sa);
	*pb = pick(sb);
	*why = "no program is in both traces: in each, the process with the most teardown (not a wrapper that only waited for its command)";
}

static void free_steps(struct steps *st)
{
	int i;
	for (i = 0; i < st->n; i++) {
		free(st->s[i].label);
		free(st->s[i].detail);
		free(st->s[i].did);
	}
	for (i = 0; i < st->ndropped; i++)
		free(st->dropped[i]);
	free(st->dropped);
	free(st->s);
	free(st->first);
}

/* whether st has a step with label number id that is not quiet */
static int loud_step(const struct steps *st, const char *loud, int id)
{
	return id < st->labels->n && loud[id];
}

/* Leave out st's quiet steps (handlers that returned with nothing shown inside: noise alone)
 * unless other shows the same handler as a step of its own that is not quiet (it did something
 * there, or did not return): then both have the step, and it is no difference. loud: label
 * number -> 1 if other has a step with it that is not quiet. Linear in st's steps. */
static void keep_quiet(struct steps *st, const char *loud)
{
	struct steps k = {0};
	int i;
	k.p = st->p;
	k.labels = st->labels;
	k.dropped = xmalloc(((size_t)st->n * 2 + 1) * sizeof *k.dropped);
	for (i = 0; i < st->n; i++) {
		struct step *s = &st->s[i];
		if (!s->quiet || loud_step(st, loud, s->id)) {
			add(&k, s->label, s->detail);
			add_did(&k, s->did);
		} else {
			k.dropped[k.ndropped++] = s->label;
			k.dropped[k.ndropped++] = s->detail;
			free(s->did);
		}
	}
	free(st->s);
	free(st->first);
	*st = k;
}

/* label number -> 1 if st has a step with it that is not quiet (malloc'd, labels->n entries) */
static char *loud_labels(const struct steps *st)
{
	char *loud = xmalloc((size_t)st->labels->n + 1);
	int i;
	memset(loud, 0, (size_t)st->labels->n + 1);
	for (i = 0; i < st->n; i++)
		if (!st->s[i].quiet)
			loud[st->s[i].id] = 1;
	return loud;
}

/* The alignment of a's and b's steps: a longest common subsequence of their labels, read from
 * the front: equal steps go together; else a's step goes first ("-") when that keeps as long a
 * common subsequence of what remains as taking b's ("+") would, else b's. Only the steps whose
 * label is in both lists can be in common, and the common prefix goes together at once: the table
 * of common subsequence lengths is over the rest of those, two bits a cell (how the length grows
 * one step back in a, one back in b). So is a common suffix, from a step whose label is in
 * neither list before it: every common subsequence of what remains ends with it whole, and once
 * one list reaches it the other's steps before it go first, as the whole table would say. */
struct align {
	int *fa, *fb;          /* step i of a -> how many of a's steps before it have a label in b */
	int ea, eb;            /* where the common suffix begins in a and in b (a->n, b->n: none) */
	int na, nb;            /* how many of a's and b's steps before it have a label in the other */
	int x0, y0, w;         /* the table's first row and column (after the common prefix), width */
	unsigned char *dv, *dh; /* bits: L(x,y) - L(x+1,y) and L(x,y) - L(x,y+1), L over the common steps */
};

static int bit(const unsigned char *bits, const struct align *al, int x, int y)
{
	size_t k;
	if (x >= al->na || y >= al->nb)
		return 0; /* past the last row or column: lengths 0 there */
	k = (size_t)(x - al->x0) * (size_t)al->w + (size_t)(y - al->y0);
	return bits[k >> 3] >> (k & 7) & 1;
}

static void align_init(struct align *al, const struct steps *a, const struct steps *b)
{
	int *ida, *idb, *nxt, *cur, i, x, y, p = 0;
	size_t cells;
	al->fa = xmalloc(((size_t)a->n + 1) * sizeof *al->fa);
	al->fb = xmalloc(((size_t)b->n + 1) * sizeof *al->fb);
	ida = xmalloc(((size_t)a->n + 1) * sizeof *ida);
	idb = xmalloc(((size_t)b->n + 1) * sizeof *idb);
	for (i = 0, al->na = 0; i <= a->n; i++) {
		al->fa[i] = al->na;
		if (i < a->n && first_step(b, a->s[i].id) >= 0)
			ida[al->na++] = a->s[i].id;
	}
	for (i = 0, al->nb = 0; i <= b->n; i++) {
		al->fb[i] = al->nb;
		if (i < b->n && first_step(a, b->s[i].id) >= 0)
			idb[al->nb++] = b->s[i].id;
	}
	while (p < a->n && p < b->n && a->s[p].id == b->s[p].id)
		p++;
	al->ea = a->n, al->eb = b->n;
	for (i = 1; p < a->n - i && p < b->n - i && a->s[a->n - i].id == b->s[b->n - i].id; i++)
		if (first_step(a, a->s[a->n - i].id) == a->n - i && first_step(b, a->s[a->n - i].id) == b->n - i)
			al->ea = a->n - i, al->eb = b->n - i;
	al->na = al->fa[al->ea];
	al->nb = al->fb[al->eb];
	al->x0 = al->fa[p];
	al->y0 = al->fb[p];
	al->w = al->nb - al->y0;
	cells = (size_t)(al->na - al->x0) * (size_t)al->w;
	al->dv = xmalloc(cells / 8 + 1);
	al->dh = xmalloc(cells / 8 + 1);
	memset(al->dv, 0, cells / 8 + 1);
	memset(al->dh, 0, cells / 8 + 1);
	nxt = xmalloc(((size_t)al->w + 1) * sizeof *nxt); /* L(x+1, y0 + k) */
	cur = xmalloc(((size_t)al->w + 1) * sizeof *cur); /* L(x, y0 + k) */
	memset(nxt, 0, ((size_t)al->w + 1) * sizeof *nxt);
	for (x = al->na - 1; x >= al->x0; x--) {
		int *t;
		cur[al->w] = 0;
		for (y = al->nb - 1; y >= al->y0; y--) {
			int k = y - al->y0;
			size_t c = (size_t)(x - al->x0) * (size_t)al->w + (size_t)k;
			cur[k] = ida[x] == idb[y] ? 1 + nxt[k + 1] : nxt[k] > cur[k + 1] ? nxt[k] : cur[k + 1];
			al->dv[c >> 3] |= (unsigned char)((cur[k] - nxt[k]) << (c & 7));
			al->dh[c >> 3] |= (unsigned char)((cur[k] - cur[k + 1]) << (c & 7));
		}
		t = nxt, nxt = cur, cur = t;
	}
	free(nxt);
	free(cur);
	free(ida);
	free(idb);
}

/* at a's step i and b's step j (neither past its end, labels not equal): does a's go first? */
static int a_first(const struct align *al, const struct steps *a, const struct steps *b, int i, int j)
{
	int x = al->fa[i], y = al->fb[j];
	if (i >= al->ea || j >= al->eb)
		return j >= al->eb; /* one list is at the common suffix: the other's steps first */
	if (first_step(b, a->s[i].id) < 0)
		return 1; /* never in common: the common subsequence is as long without it */
	if (first_step(a, b->s[j].id) < 0)
		return !bit(al->dv, al, x, y);
	return bit(al->dh, al, x + 1, y) >= bit(al->dv, al, x, y + 1);
}

static void align_free(struct align *al)
{
	free(al->fa);
	free(al->fb);
	free(al->dv);
	free(al->dh);
}

/* The pairs of steps in both traces, each taken at its first step in each, whose order in b is
 * the opposite of a's: in a's order of the first, then of the second, each pair once. key[k] is
 * the place in b of the k-th such step of a (a's order, pos[k] its place in a); a tree of the
 * least key below each node finds every later step with a smaller key without a look at the
 * others: time linear in the pairs shown, times log. */
struct inversions {
	int *key, *pos, n;
	int *min; /* the tree: node 1 is the root, node v's children 2v and 2v+1 */
	const struct steps *a, *b;
	FILE *out;
	long shown;
};

static void tree_build(struct inversions *iv, int v, int lo, int hi)
{
	int mid = lo + (hi - lo) / 2;
	if (hi - lo == 1) {
		iv->min[v] = iv->key[lo];
		return;
	}
	tree_build(iv, 2 * v, lo, mid);
	tree_build(iv, 2 * v + 1, mid, hi);
	iv->min[v] = iv->min[2 * v] < iv->min[2 * v + 1] ? iv->min[2 * v] : iv->min[2 * v + 1];
}

/* show the pairs (k, k2) for every k2 >= from in [lo, hi) (node v) with key[k2] < key[k] */
static void tree_show(struct inversions *iv, int v, int lo, int hi, int from, int k)
{
	int mid = lo + (hi - lo) / 2;
	if (hi <= from || iv->min[v] >= iv->key[k])
		return;
	if (hi - lo > 1) {
		tree_show(iv, 2 * v, lo, mid, from, k);
		tree_show(iv, 2 * v + 1, mid, hi, from, k);
		return;
	}
	fprintf(iv->out, "    A: %s, then %s\n    B: %s, then %s\n", iv->a->s[iv->pos[k]].label,
		iv->a->s[iv->pos[lo]].label, iv->b->s[iv->key[lo]].label, iv->b->s[iv->key[k]].label);
	iv->shown++;
}

static long show_inversions(const struct steps *a, const struct steps *b, FILE *out)
{
	struct inversions iv = {0};
	int i, k;
	iv.a = a, iv.b = b, iv.out = out;
	iv.key = xmalloc(((size_t)a->n + 1) * sizeof *iv.key);
	iv.pos = xmalloc(((size_t)a->n + 1) * sizeof *iv.pos);
	for (i = 0; i < a->n; i++)
		if (first_step(a, a->s[i].id) == i && first_step(b, a->s[i].id) >= 0) {
			iv.key[iv.n] = first_step(b, a->s[i].id);
			iv.pos[iv.n++] = i;
		}
	iv.min = xmalloc(4 * ((size_t)iv.n + 1) * sizeof *iv.min);
	if (iv.n)
		tree_build(&iv, 1, 0, iv.n);
	for (k = 0; k < iv.n; k++)
		tree_show(&iv, 1, 0, iv.n, k + 1, k);
	free(iv.key);
	free(iv.pos);
	free(iv.min);
	return iv.shown;
}

/* 1 if two details of a step present in both traces say different things: an exit status
 * ("main returned 0" and "exit(3)"), Python finalized by Py_FinalizeEx or seen finalized, an
 * atexit handler that did not return, a TLS destructor on the main thread or another, a death
 * by its own signal or another process's. The ids of a run ("thread 812", "sent by process
 * 4410") are not compared: two runs of the same program have other pids. */
static int details_differ(const char *a, const char *b)
{
	const char *a0 = a;
	for (;;) {
		size_t k = (size_t)(a - a0);
		if ((k >= 7 && !strncmp(a - 7, "thread ", 7)) || (k >= 8 && !strncmp(a - 8, "process ", 8))) {
			while (*a >= '0' && *a <= '9')
				a++;
			while (*b >= '0' && *b <= '9')
				b++;
		}
		if (!*a || *a != *b)
			return *a != *b;
		a++, b++;
	}
}

/* how a step present in both traces is said where its details differ: its detail, else what it
 * did, else "-" (nothing known to say) */
static const char *step_said(const struct step *s)
{
	return *s->detail ? s->detail : s->did ? s->did : "-";
}

int render_diff(struct report *ra, struct report *rb, FILE *out)
{
	struct labels labels = {0};
	struct steps a = {0}, b = {0};
	struct side sa, sb;
	struct align al;
	const struct proc *pa, *pb;
	int i, j, diffs = 0;
	long orders;
	int saved_pid = opt.pid;
	const char *why;

	opt.pid = 0;
	pick_side_init(&sa, ra);
	pick_side_init(&sb, rb);
	pick_pair(&sa, &sb, &pa, &pb, &why);
	pick_side_free(&sa);
	pick_side_free(&sb);
	opt.pid = saved_pid;
	if (!pa || !pb) {
		fprintf(stderr, "tlstrace-report: --diff: %s has no process\n", !pa ? ra->files[0] : rb->files[0]);
		return 2;
	}
	a.labels = b.labels = &labels;
	build(pa, &a);
	build(pb, &b);
	{
		char *loud_a = loud_labels(&a), *loud_b = loud_labels(&b);
		keep_quiet(&a, loud_b);
		keep_quiet(&b, loud_a);
		free(loud_a);
		free(loud_b);
	}
	fprintf(out, "A: %s, process %d %s\nB: %s, process %d %s\n", ra->files[0], pa->pid, base_name(proc_prog(pa)->exe),
		rb->files[0], pb->pid, base_name(proc_prog(pb)->exe));
	/* which processes, and why these (FILE:PID leaves one process per side) */
	fprintf(out, "compared: %s%s\n\n", why, ra->nprocs + rb->nprocs > 2 ? "; FILE:PID picks another" : "");

	align_init(&al, &a, &b);
	fputs("teardown steps (\"-\" only in A, \"+\" only in B):\n", out);
	for (i = 0, j = 0; i < a.n || j < b.n;) {
		if (i < a.n && j < b.n && a.s[i].id == b.s[j].id) {
			fprintf(out, "    %s", a.s[i].label);
			diffs += details_differ(a.s[i].detail, b.s[j].detail);
			if (strcmp(a.s[i].detail, b.s[j].detail))
				fprintf(out, "  [A: %s; B: %s]", step_said(&a.s[i]), step_said(&b.s[j]));
			else if (*a.s[i].detail)
				fprintf(out, "  [%s]", a.s[i].detail);
			fputc('\n', out);
			i++, j++;
		} else if (j == b.n || (i < a.n && a_first(&al, &a, &b, i, j))) {
			fprintf(out, "  - %s%s%s%s\n", a.s[i].label, *a.s[i].detail ? "  [" : "", a.s[i].detail, *a.s[i].detail ? "]" : "");
			i++, diffs++;
		} else {
			fprintf(out, "  + %s%s%s%s\n", b.s[j].label, *b.s[j].detail ? "  [" : "", b.s[j].detail, *b.s[j].detail ? "]" : "");
			j++, diffs++;
		}
	}
	align_free(&al);

	fputs("\norder differences (steps in both traces, in opposite order):\n", out);
	orders = show_inversions(&a, &b, out);
	if (!orders)
		fputs("    none\n", out);
	free(labels.slot);
	free(labels.slot_id);
	free_steps(&a);
	free_steps(&b);
	return diffs || orders ? 1 : 0;
}

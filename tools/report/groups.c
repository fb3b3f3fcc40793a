/* groups.c - findings with the same signature (kind, thread_local or signal, code site, phase)
 * across processes and threads form one group with a count and the pids, and the verdict: one
 * line per distinct root cause, built from the groups, printed before everything else. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* the first frame outside libtlstrace.so as "module+0xoff", or "" */
static void site_of(const struct finding *f, char *buf, size_t n)
{
	int i;
	buf[0] = 0;
	for (i = 0; i < detail_of(f)->nbt; i++)
		if (!is_shim_module(detail_of(f)->bt[i].code.mod)) {
			snprintf(buf, n, "%s+0x%llx", detail_of(f)->bt[i].code.mod ? base_name(detail_of(f)->bt[i].code.mod->path) : "",
				 (unsigned long long)detail_of(f)->bt[i].code.off);
			return;
		}
}

/* s with every decimal number (not a 0x... one) as N: exit(30) and exit(31) are one phase */
static void numbers_out(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	while (s && *s && k + 2 < n) {
		if (s[0] == '0' && s[1] == 'x') {
			while (*s && (strchr("0123456789abcdefx", *s)) && k + 2 < n)
				buf[k++] = *s++;
		} else if (*s >= '0' && *s <= '9') {
			while (*s >= '0' && *s <= '9')
				s++;
			buf[k++] = 'N';
		} else {
			buf[k++] = *s++;
		}
	}
	buf[k] = 0;
}

/* s with the offset of each call site that has a source line out: "main+0x9f (t7.c:25)" as
 * "main (t7.c:25)", so that two kill() calls on one line, or in one function (the line numbers go
 * with numbers_out), are one site; an offset without a line ("timeout+0x2e33": a module's, or a
 * function's of a binary without debug information) is kept. A duration's unit as " s" (1.000 s,
 * 999.905 ms: one time said in two units; the numbers go, N.N s) */
static void line_sites_offsets_out(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	while (s && *s && k + 1 < n) {
		if (s[0] == '+' && s[1] == '0' && s[2] == 'x' && k && (isalnum((unsigned char)buf[k - 1]) || buf[k - 1] == '_')) {
			const char *e = s + 3, *close;
			while (isxdigit((unsigned char)*e))
				e++;
			if (e[0] == ' ' && e[1] == '(' && (close = strchr(e, ')')) != NULL) {
				const char *c = memchr(e, ':', (size_t)(close - e));
				if (c && isdigit((unsigned char)c[1])) {
					s = e;
					continue;
				}
			}
		}
		/* a duration's unit (duration_text): 999.905 ms and 1.000 s are one, N.N s */
		if (s[0] == '.' && k && isdigit((unsigned char)buf[k - 1]) && isdigit((unsigned char)s[1])) {
			const char *e = s + 1;
			while (isdigit((unsigned char)*e))
				e++;
			if (!strncmp(e, " ms", 3) && !isalnum((unsigned char)e[3]))
				e += 3;
			else if (!strncmp(e, " s", 2) && !isalnum((unsigned char)e[2]))
				e += 2;
			while (s < e && k + 1 < n)
				buf[k++] = *s++;
			if (s == e && e[-1] == 's' && e[-2] == 'm') /* (" ms" as " s"; copied whole) */
				buf[k - 2] = 's', k--;
			continue;
		}
		buf[k++] = *s++;
	}
	buf[k] = 0;
}

/* a hang message (diag_hang.c cut_words) without its words on a later snapshot the process's end
 * cut short or the trace has not whole ("; snapshot 3 (at 2.0 s) was cut short by the process's
 * end 0.060 ms after it began: the threads are snapshot 2's, the last complete one"): a kill that
 * came just after a snapshot began is timing, not another hang (FIX13 P7). In place. */
static void cut_snapshot_out(char *msg)
{
	static const char end[] = "the last complete one";
	char *a = strstr(msg, "; snapshot "), *b;
	while (a && (b = strstr(a, end)) != NULL) {
		b += sizeof end - 1;
		memmove(a, b, strlen(b) + 1);
		a = strstr(a, "; snapshot ");
	}
}

/* kind|thread_local|signal|site|phase; a finding without a backtrace has its message (numbers
 * out, module+0x offsets kept, a function's offset where a source line follows out) for a site:
 * pthread_setspecific from one place and pthread_getspecific from another are two groups, two
 * kill() calls of one function that differ only in their offset (FRESH13 m4) one */
static char *signature_of(const struct finding *f)
{
	char site[600], phase[600], msg[MESSAGE_MAX], lines[MESSAGE_MAX];
	site_of(f, site, sizeof site);
	if (!site[0]) {
		const char *m = finding_message(f, msg, sizeof msg);
		if (m != msg) /* (the finding's own text: not changed) */
			snprintf(msg, sizeof msg, "%s", m ? m : "");
		if (!strcmp(f->kind, "hang"))
			cut_snapshot_out(msg);
		line_sites_offsets_out(msg, lines, sizeof lines);
		numbers_out(lines, site, sizeof site);
	}
	numbers_out(f->phase, phase, sizeof phase);
	return xasprintf("%s|%s|%s|%s|%s", f->kind, detail_of(f)->tls_symbol ? detail_of(f)->tls_symbol : "",
			 finding_signal(f) ? signal_name(finding_signal(f)) : "", site, phase);
}

char *group_signature(const struct group *g)
{
	return signature_of(g->first);
}

static int int_order(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

/* the pids of r that more than one process had (an exec, a pid reused), sorted; *n their number */
static int *shared_pids(const struct report *r, int *n)
{
	int *v, i, k = 0, m = 1;
	/* processes in pid order (most big traces: no copy of their pids, 1.2 MB for 300000
	 * processes, and none of glibc's qsort, which takes another to merge into: the peak of such
	 * a trace's report) */
	for (i = 1; i < r->nprocs && r->procs[i - 1]->pid <= r->procs[i]->pid; i++)
		m += r->procs[i - 1]->pid == r->procs[i]->pid;
	if (i >= r->nprocs) {
		v = xmalloc((size_t)m * sizeof *v);
		for (i = 1; i < r->nprocs; i++)
			if (r->procs[i]->pid == r->procs[i - 1]->pid && (!k || v[k - 1] != r->procs[i]->pid))
				v[k++] = r->procs[i]->pid;
		*n = k;
		return v;
	}
	v = xmalloc((size_t)r->nprocs * sizeof *v);
	for (i = 0; i < r->nprocs; i++)
		v[i] = r->procs[i]->pid;
	qsort(v, (size_t)r->nprocs, sizeof *v, int_order);
	for (i = 1; i < r->nprocs; i++)
		if (v[i] == v[i - 1] && (!k || v[k - 1] != v[i]))
			v[k++] = v[i];
	*n = k;
	return xrealloc(v, (size_t)(k ? k : 1) * sizeof *v); /* (most pids are one process's) */
}

int group_finding(const struct group *g, int k)
{
	return g->findings ? g->findings[k] : g->one[0] + k;
}

int group_pid(const struct report *r, const struct group *g, int k)
{
	return g->pids ? g->pids[k] : finding_proc(r, group_finding(g, k))->pid;
}

int group_folded(const struct report *r, int k)
{
	return (uintptr_t)r->groups[k] & 1;
}

const struct group *group_at(const struct report *r, int k)
{
	static struct {
		struct group g;
		struct unfolded u; /* its first finding */
	} ring[FINDING_RING];
	static unsigned next;
	struct group *g;
	struct finding *f;
	int i;
	if (!group_folded(r, k))
		return r->groups[k];
	i = (int)((uintptr_t)r->groups[k] >> 1);
	g = memset(&ring[next % FINDING_RING].g, 0, sizeof *g);
	f = finding_unfold(r, i, &ring[next++ % FINDING_RING].u);
	f->group = g;
	/* as group_build and group_arrays leave a group of one finding: its arrays follow from it */
	g->kind = f->kind;
	g->index = k;
	g->count = 1;
	g->npids = 1;
	g->first = f;
	g->one[0] = i;
	g->one[1] = f->proc->pid;
	return g;
}

/* Fills each group's arrays of findings and pids, once all are counted (group_build), each made
 * to its size, and none where it follows from the findings (group_finding, group_pid): findings
 * that are one run in r->findings (300000 processes' `unfinished` findings, one group) keep their
 * first (g->one[0], as group_build left it); pids one per finding, none; one pid, in g->one[1].
 * adds_pid has a bit per finding that adds its pid. A folded group (group_at) has none. */
static void group_arrays(struct report *r, const unsigned char *adds_pid)
{
	int i, n = r->ngroups ? r->ngroups : 1, *last = xmalloc((size_t)n * sizeof *last);
	int *nf = xmalloc((size_t)n * sizeof *nf), *np = xmalloc((size_t)n * sizeof *np);
	unsigned char *split = xmalloc((size_t)n), *pidless = xmalloc((size_t)n);
	memset(split, 0, (size_t)n);
	memset(pidless, 0, (size_t)n);
	memset(nf, 0, (size_t)n * sizeof *nf);
	memset(np, 0, (size_t)n * sizeof *np);
	for (i = 0; i < r->ngroups; i++)
		last[i] = group_folded(r, i) ? -1 : r->groups[i]->one[0] - 1;
	for (i = 0; i < r->nfindings; i++) {
		int k = r->finding_group[i];
		split[k] |= last[k] != i - 1;
		last[k] = i;
		pidless[k] |= !(adds_pid[i / 8] & (1 << (i % 8)));
	}
	for (i = 0; i < r->ngroups; i++) {
		struct group *g = r->groups[i];
		if (group_folded(r, i))
			continue;
		g->findings = split[i] ? xmalloc((size_t)g->count * sizeof *g->findings) : NULL;
		g->pids = !pidless[i] ? NULL : g->npids > 1 ? xmalloc((size_t)g->npids * sizeof *g->pids) : &g->one[1];
	}
	for (i = 0; i < r->nfindings; i++) {
		int k = r->finding_group[i];
		struct group *g = r->groups[k];
		if (group_folded(r, k))
			continue;
		if (g->findings)
			g->findings[nf[k]++] = i;
		if (g->pids && g->pids != &g->one[1] && adds_pid[i / 8] & (1 << (i % 8)))
			g->pids[np[k]++] = finding_proc(r, i)->pid;
	}
	free(last);
	free(nf);
	free(np);
	free(split);
	free(pidless);
}

/* the groups by a hash of their signature while they are built: their places + 1 (0: an empty
 * slot), at most 3/4 full; 4 bytes a slot (a trace may have a group per finding); each group's
 * hash (a folded group has no struct to keep it in) */
struct sig_table {
	int *slot;
	size_t cap, n;
	uint32_t *hash; /* by group */
};

static size_t sig_slot(const struct sig_table *t, uint32_t hash)
{
	return t->cap ? (size_t)((hash * 2654435761u) ^ (hash >> 15)) & (t->cap - 1) : 0;
}

/* room in t for one group more */
static void sig_room(struct sig_table *t)
{
	struct sig_table g = {.cap = t->cap ? 2 * t->cap : 64, .hash = t->hash};
	size_t i, k;
	if ((t->n + 1) * 4 <= t->cap * 3)
		return;
	g.slot = memset(xmalloc(g.cap * sizeof *g.slot), 0, g.cap * sizeof *g.slot);
	for (i = 0; i < t->cap; i++)
		if (t->slot[i]) {
			for (k = sig_slot(&g, t->hash[t->slot[i] - 1]); g.slot[k]; k = (k + 1) & (g.cap - 1))
				;
			g.slot[k] = t->slot[i];
			g.n++;
		}
	free(t->slot);
	*t = g;
}

/* group k, kept as its only finding's index so far (group_at), made whole: another joins it */
static struct group *group_whole(struct report *r, int k, uint32_t hash)
{
	int i = (int)((uintptr_t)r->groups[k] >> 1);
	struct finding *f = finding_kept(r, i);
	struct group *g = report_alloc(r, sizeof *g);
	g->kind = f->kind;
	g->first = f;
	g->index = k;
	g->hash = hash;
	g->count = 1;
	g->npids = 1;
	g->one[0] = i;
	g->one[1] = f->proc->pid;
	f->group = g;
	return r->groups[k] = g;
}

/* Builds r->groups from r->findings (in their final order: by process); sets each finding's group
 * and index. Groups are in the order of their first finding. Linear in the findings: a signature
 * is found by a hash of its text (the text itself is not kept: a group per finding, 100000
 * thread_locals used late, would keep 100000 texts; group_signature makes it again); a pid is
 * added to a group once (the findings of a process are together: only a pid several processes had
 * needs remembering). A folded use-after-destroy finding that begins a group is all the group
 * keeps until another joins it (group_at). */
void group_build(struct report *r)
{
	struct index seen = {0}; /* (group, shared pid) pairs */
	struct sig_table by_sig = {0};
	int i, k, cap = 0, nshared, *shared = shared_pids(r, &nshared);
	long long pair;
	size_t slot;
	uint32_t hash;
	char *last = NULL; /* the signature of the group found last (most are found again at once) */
	int last_k = -1;
	unsigned char *adds_pid = xmalloc((size_t)r->nfindings / 8 + 1); /* a bit per finding: adds its pid to its group */
	memset(adds_pid, 0, (size_t)r->nfindings / 8 + 1);
	r->finding_group = xrealloc(r->finding_group, (size_t)(r->nfindings ? r->nfindings : 1) * sizeof *r->finding_group);
	memset(r->finding_group, 0xff, (size_t)r->nfindings * sizeof *r->finding_group); /* (-1: none yet) */
	for (i = 0; i < r->nfindings; i++) {
		struct finding *f = finding_at(r, i);
		char *s = signature_of(f);
		struct group *g = NULL;
		int pid = f->proc->pid;
		sig_room(&by_sig);
		/* the group of this text: one of the same hash (of those, the one of the same text) */
		hash = (uint32_t)str_hash(s, strlen(s));
		for (slot = sig_slot(&by_sig, hash); (k = by_sig.slot[slot] - 1) >= 0; slot = (slot + 1) & (by_sig.cap - 1)) {
			if (by_sig.hash[k] != hash)
				continue;
			if (k != last_k) {
				free(last);
				last = group_signature(group_at(r, k));
				last_k = k;
			}
			if (!strcmp(s, last))
				break;
		}
		f->index = i;
		if (k < 0) {
			k = r->ngroups;
			if (r->ngroups == cap) {
				cap = cap ? 2 * cap : 8;
				r->groups = xrealloc(r->groups, (size_t)cap * sizeof *r->groups);
				by_sig.hash = xrealloc(by_sig.hash, (size_t)cap * sizeof *by_sig.hash);
			}
			r->ngroups++;
			by_sig.hash[k] = hash;
			by_sig.slot[slot] = k + 1;
			by_sig.n++;
			free(last);
			last = s;
			last_k = k;
			s = NULL;
			if (finding_folded(r, i) == FOLD_UAD) {
				r->groups[k] = (struct group *)((uintptr_t)i << 1 | 1);
			} else {
				f = finding_kept(r, i); /* (a group's first is kept whole) */
				g = r->groups[k] = report_alloc(r, sizeof *g);
				g->kind = f->kind;
				g->first = f;
				g->index = k;
				g->hash = hash;
			}
		} else if (group_folded(r, k)) {
			g = group_whole(r, k, hash);
		} else {
			g = r->groups[k];
		}
		free(s);
		r->finding_group[i] = k;
		if (!g) { /* (a folded group: its only finding adds its pid, as below) */
			pair = (long long)k << 32 | (unsigned)pid;
			if (bsearch(&pid, shared, (size_t)nshared, sizeof *shared, int_order))
				index_put(&seen, pair, r->groups[k]);
			adds_pid[i / 8] |= (unsigned char)(1 << (i % 8));
			continue;
		}
		if (!g->count++)
			g->one[0] = i;
		f->group = g;
		if (g->npids && g->one[1] == pid)
			continue; /* (this process's, or the same pid's, last) */
		pair = (long long)g->index << 32 | (unsigned)pid;
		if (bsearch(&pid, shared, (size_t)nshared, sizeof *shared, int_order)) {
			if (index_get(&seen, pair))
				continue; /* a pid several processes had, already in g */
			index_put(&seen, pair, g);
		}
		g->one[1] = pid; /* (its last pid while the groups are found) */
		g->npids++;
		adds_pid[i / 8] |= (unsigned char)(1 << (i % 8));
	}
	free(last);
	free(by_sig.slot);
	free(by_sig.hash);
	index_free(&seen);
	free(shared);
	group_arrays(r, adds_pid);
	free(adds_pid);
}

int py_tb_frame_parse(const char *text, struct py_tb_frame *fr)
{
	const char *l = strstr(text, "File \""), *q, *ln, *in, *b, *s;
	if (!l)
		return 0;
	l += 6;
	q = strchr(l, '"');
	ln = q ? strstr(q, "line ") : NULL;
	in = ln ? strstr(ln, " in ") : NULL;
	if (!q || !in)
		return 0;
	for (b = s = l; s < q; s++)
		if (*s == '/')
			b = s + 1;
	fr->path = l;
	fr->base = b;
	fr->blen = (int)(q - b);
	fr->line = atoi(ln + 5);
	fr->func = in + 4;
	return 1;
}

/* "module.function (file.py:line)" of a traceback line ("  File "/p/seed_app.py", line 11 in
 * at_exit"), or 0 if it names no frame */
static int py_frame_name(const char *text, char *buf, size_t n)
{
	struct py_tb_frame fr;
	if (!py_tb_frame_parse(text, &fr))
		return 0;
	snprintf(buf, n, "%.*s.%s (%.*s:%d)", fr.blen > 3 && !strncmp(fr.base + fr.blen - 3, ".py", 3) ? fr.blen - 3 : fr.blen,
		 fr.base, fr.func, fr.blen, fr.base, fr.line);
	return 1;
}

/* The Python function that made f's call, from f's traceback: its innermost frame; while the
 * atexit callbacks run (state A) the outermost frame is the callback itself (native code called
 * it), named first: "seed_app.at_exit (seed_app.py:11)", or "app.on_exit (app.py:30), via
 * lib.close (lib.py:8)". 0 if the traceback names no frame. */
int py_callback(const struct finding *f, char *buf, size_t n)
{
	char inner[512], outer[512];
	int i, first = -1, last = -1;
	for (i = 0; f && i < detail_of(f)->npy; i++)
		if (py_frame_name(detail_of(f)->pylines[i], first < 0 ? inner : outer, sizeof inner)) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first < 0)
		return 0;
	if (last == first || !f->ev || f->ev->py != PY_ATEXIT)
		snprintf(buf, n, "%s", inner);
	else
		snprintf(buf, n, "%s, via %s", outer, inner);
	return 1;
}

/* A hang's callback: the outermost frame of the program's (not the standard library's, not beyond a
 * Python signal handler's frame where the shim found it: hang_handler_place) in the
 * traceback of the snapshot's thread that began the teardown (hang_py lines, innermost first; not a
 * module's top level): the
 * atexit or threading._register_atexit callback Python called from C, named first as
 * py_callback names an atexit callback ("app.drain_queue (app.py:4), via app.<lambda> (app.py:2)",
 * as diag_hang.c's root cause names it). 0 if that thread has no such frame. */
/* the place of thread h's Python signal handler frame in its traceback (0: innermost) where the
 * hang f's snapshot tells it (hang_pyhandler_place), else -1 */
static int hang_handler_place(const struct finding *f, const struct hang_thread *h)
{
	int i, nfile = 0;
	for (i = 0; i < h->npy; i++)
		nfile += strstr(h->py[i], "File \"") != NULL;
	return hang_pyhandler_place(f->proc, f->ev, h->tid, nfile);
}

/* A standard-library function given to atexit.register itself (atexit.register(logging.shutdown),
 * a bound method such as q.join; logging registers its own shutdown on import), which
 * hang_py_callback does not take for the program's: the outermost frame of thread h of f (before
 * a Python signal handler's frame, handler as hang_handler_place's), when the process ran its
 * atexit callbacks (state A) and h is the thread that ran them (a hang's thread that began the
 * teardown; for a kill, the main thread), as "logging.shutdown (logging/__init__.py:2183)",
 * "queue.Queue.join (queue.py:90)": the module from the file's path under lib/python3.N/ (a
 * package's __init__.py is the package), the function by its qualified name as the traceback
 * has it (co_qualname, 3.11+). Not threading._shutdown's frame (the join of the non-daemon
 * threads and its threading._register_atexit callbacks, which run before the atexit callbacks:
 * diag_hang.c names those), nor a module's top level. 0 if none. */
static int stdlib_atexit_callback(const struct finding *f, const struct hang_thread *h, int handler, char *buf, size_t n)
{
	struct py_tb_frame fr;
	const char *outer = NULL, *rel, *q;
	int nfile = 0;
	if (!f->ev || f->ev->py != PY_ATEXIT || (strcmp(f->kind, "hang") && f->tid != f->proc->pid))
		return 0;
	for (int i = 0; i < h->npy; i++)
		if (strstr(h->py[i], "File \"")) {
			if (handler >= 0 && nfile++ > handler)
				break;
			outer = h->py[i];
		}
	if (!outer || !py_tb_frame_parse(outer, &fr) || !(rel = strstr(fr.path, "/lib/python3")) ||
	    !(rel = strchr(rel + 12, '/')) || !(q = strchr(++rel, '"')) || q - rel < 4 || strncmp(q - 3, ".py", 3) ||
	    !strncmp(rel, "site-packages/", 14) || !strncmp(rel, "dist-packages/", 14) || fr.func[0] == '<' ||
	    (!strcmp(fr.func, "_shutdown") && !strncmp(rel, "threading.py\"", 13)))
		return 0;
	char mod[256];
	int len = (int)(q - rel) - 3;
	if (len >= 9 && !strncmp(rel + len - 9, "/__init__", 9))
		len -= 9;
	snprintf(mod, sizeof mod, "%.*s", len, rel);
	for (char *c = mod; *c; c++)
		if (*c == '/')
			*c = '.';
	snprintf(buf, n, "%s.%s (%.*s:%d)", mod, fr.func, (int)(q - rel), rel, fr.line);
	return 1;
}

static int hang_py_callback(const struct finding *f, char *buf, size_t n)
{
	const struct hang_thread *h = NULL;
	char inner[512], outer[512];
	int i, first = -1, last = -1, handler = -1, nfile = 0;
	for (i = 0; (!strcmp(f->kind, "hang") || !strcmp(f->kind, "killed")) && i < detail_of(f)->nthreads; i++)
		if (detail_of(f)->threads[i].tid == f->tid)
			h = &detail_of(f)->threads[i];
	if (h && f->ev && f->ev->type == EV_HANG)
		handler = hang_handler_place(f, h);
	for (i = 0; h && i < h->npy; i++)
		if (handler >= 0 && strstr(h->py[i], "File \"") && nfile++ > handler)
			break; /* (beyond a signal handler's frame: the code it interrupted, no callback) */
		else if (!strstr(h->py[i], "/threading.py\"") && !strstr(h->py[i], "/lib/python3") &&
		    !strstr(h->py[i], "File \"<frozen ") && /* (runpy's: python3 -m) */
		    !strstr(h->py[i], " in <module>") && py_frame_name(h->py[i], first < 0 ? inner : outer, sizeof inner)) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first < 0)
		return h && stdlib_atexit_callback(f, h, handler, buf, n);
	if (last == first)
		snprintf(buf, n, "%s", inner);
	else
		snprintf(buf, n, "%s, via %s", outer, inner);
	return 1;
}

/* The Python callback that made the call of f (from its traceback, or that of the finding it
 * follows from; a hang's from its snapshot): "seed_app.at_exit (seed_app.py:11)". Returns 0 if
 * none is known. */
int finding_py_callback(const struct finding *f, char *buf, size_t n)
{
	return py_callback(f, buf, n) || (detail_of(f)->cause && py_callback(detail_of(f)->cause, buf, n)) ||
	       hang_py_callback(f, buf, n);
}

/* a finding of group g that another finding (in group c) follows from, or NULL */
static const struct group *cause_group(const struct group *g)
{
	return detail_of(g->first)->cause ? detail_of(g->first)->cause->group : NULL;
}

/* for each group (by index), the first group whose findings follow from its own (a crash after a
 * use-after-destroy), a crash's before any other's (a construction during the panic the use
 * started comes before the crash it ends in), or NULL; malloc'd */
static const struct group **effect_groups(const struct report *r)
{
	const struct group **effect = xmalloc((size_t)(r->ngroups ? r->ngroups : 1) * sizeof *effect);
	int k;
	memset(effect, 0, (size_t)(r->ngroups ? r->ngroups : 1) * sizeof *effect);
	for (k = 0; k < r->ngroups; k++) {
		const struct group *c = cause_group(group_at(r, k));
		/* (a group with a cause is none folded: its first has a detail of its own) */
		if (c && (!effect[c->index] || (strcmp(effect[c->index]->kind, "crash") && !strcmp(r->groups[k]->kind, "crash"))))
			effect[c->index] = r->groups[k];
	}
	return effect;
}

/* an order hazard whose every process also has an error use-after-destroy: said by that line
 * (uad: the pids with a use-after-destroy finding) */
static int explained_order(const struct report *r, const struct group *g, const struct index *uad)
{
	int i;
	if (strcmp(g->kind, "order"))
		return 0;
	for (i = 0; i < g->npids; i++)
		if (!index_get(uad, group_pid(r, g, i)))
			return 0;
	return 1;
}

/* The kill that ended a teardown that hung is one verdict line, not two (a killed finding whose
 * fix is its process's hang's: diag_hang.c killed_fix_from_hang, "it was killed while its teardown
 * hung (the hang finding: ...)", or "while its SIGHUP handler hung": killed_while_hung). Where the killed finding has a snapshot of its own at the signal
 * (a SIGTERM's: "killed in the atexit handler log_close, waiting on log_lock held by ..."), its
 * line says it and the hang's is left out; where it has none (SIGKILL: the shim cannot see it
 * come), the hang's line says where the teardown stopped and ends with the kill ("it was then
 * killed by SIGKILL from process N (uwsgi-core)": hang_ended_words), and the killed one is left
 * out. So is an unfinished finding (a trace with no end: killed by a signal the shim cannot see,
 * or still running) of a process whose hang finding's line ends with its trace ("its trace ends
 * there (...: its unfinished finding)", FRESH14). Each is kept unless every process of its group
 * has such a counterpart of its severity or above; both stay in the findings. hung_kills: pid ->
 * the place + 1 of its killed finding with the hang's fix; hangs: pid -> the place + 1 of its
 * hang finding. */
static const struct finding *counterpart(const struct report *r, const struct index *ix, int pid)
{
	intptr_t i = (intptr_t)index_get(ix, pid);
	return i ? finding_at(r, (int)i - 1) : NULL;
}

/* So is the SIGKILL that followed a termination signal that never arrived (blocked or ignored:
 * diag_signal.c's signal-handler finding, "the SIGTERM that process N sent to process M never
 * arrived: it ran on until the SIGKILL 1.001 s later"): that finding's line says the kill, where
 * it came before any teardown (phase "running"; one that ended a teardown says more). lost_stops: pid -> the place + 1 of such a finding. */
static int said_by_counterpart(const struct report *r, const struct group *g, const struct index *hung_kills,
			       const struct index *hangs, const struct index *lost_stops)
{
	int hang = !strcmp(g->kind, "hang"), unfinished = !strcmp(g->kind, "unfinished");
	if (!hang && !unfinished && strcmp(g->kind, "killed"))
		return 0;
	for (int k = 0; k < g->count; k++) {
		int i = group_finding(g, k), pid = finding_proc(r, i)->pid;
		const struct finding *kf = hang ? counterpart(r, hung_kills, pid) : NULL, *c;
		if (!hang && !unfinished && finding_signal(finding_at(r, i)) == SIGKILL && finding_at(r, i)->phase &&
		    !strcmp(finding_at(r, i)->phase, "running") && (c = counterpart(r, lost_stops, pid)) != NULL &&
		    c->severity >= g->first->severity)
			continue; /* (a lost stop's line ends with this kill; not one that came in a teardown) */
		if (hang ? !kf || !detail_of(kf)->nthreads
			 : !unfinished && (!index_get(hung_kills, pid) || detail_of(finding_at(r, i))->nthreads))
			return 0;
		c = hang ? kf : counterpart(r, hangs, pid);
		if (!c || c->severity < g->first->severity)
			return 0;
	}
	return 1;
}

/* "4 processes (uwsgi-core, forked)": the program's name when they all run the same one */
static void procs_text(const struct group *g, const struct report *r, char *buf, size_t n)
{
	const struct proc *p = g->first->proc;
	int forked = 1, same = 1, k;
	for (k = 0; k < g->count; k++) {
		const struct proc *q = finding_proc(r, group_finding(g, k));
		forked &= q->forked;
		same &= !strcmp(base_name(proc_prog(q)->exe), base_name(proc_prog(p)->exe));
	}
	snprintf(buf, n, "%d process%s (%s%s)", g->npids, g->npids == 1 ? "" : "es", same ? base_name(proc_prog(p)->exe) : "several programs",
		 forked ? ", forked" : "");
}

/* the first sentence of s (up to "; " or ". "), at most n-1 bytes */
/* the length of s's first clause: up to a "; " or ". " outside parentheses */
static size_t clause_len(const char *s)
{
	size_t k = 0;
	int depth = 0; /* not inside parentheses */
	for (; s && s[k]; k++) {
		depth += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
		if (depth <= 0 && (s[k] == ';' || s[k] == '.') && s[k + 1] == ' ')
			break;
	}
	return k;
}

/* The verdict's fix: the fix's first clause, and its clause in the host's own terms where it has
 * one ("; under mod_wsgi, `WSGIDestroyInterpreter Off` ...", "; under uWSGI ...", "; under
 * gunicorn ...": what a person on call can change in the server's configuration; FRESH14: h5's
 * verdict had no WSGIDestroyInterpreter). Into buf (n bytes). */
static void first_clause(const char *s, char *buf, size_t n)
{
	size_t k = clause_len(s);
	const char *host = NULL;
	for (const char *c = s ? s + k : NULL; c && *c; c += 2 + clause_len(c + 2)) {
		if (!strncmp(c, "; under ", 8)) {
			host = c;
			break;
		}
		if (!c[1])
			break;
	}
	if (host)
		snprintf(buf, n, "%.*s%.*s", (int)k, s, (int)(2 + clause_len(host + 2)), host);
	else
		snprintf(buf, n, "%.*s", (int)k, s ? s : "");
}

/* When a use-after-destroy finding f that a crash followed happened, for the verdict's "crashed
 * ... because": at a thread's exit (its phase begins there: analyze.c phase_of), at the process's
 * exit (exit(), main's return, _exit, quick_exit), or neither ("" : a dlclose, a running thread) */
static const char *uad_crash_when(const struct finding *f, int several, char *buf, size_t n)
{
	const char *ph = f->phase ? f->phase : "";
	if (!strncmp(ph, "thread exit", 11))
		snprintf(buf, n, several ? " at a thread's exit" : " when its thread %d exited", f->tid);
	else if (!strncmp(ph, "exit(", 5) || !strncmp(ph, "main returned", 13) || !strncmp(ph, "_exit(", 6) ||
		 !strncmp(ph, "quick_exit(", 11))
		snprintf(buf, n, " at exit");
	else
		buf[0] = 0;
	return buf;
}

/* 1 if groups a and b have the same pids (in the order group_pid gives them) */
static int same_pids(const struct report *r, const struct group *a, const struct group *b)
{
	if (a->npids != b->npids)
		return 0;
	for (int i = 0; i < a->npids; i++)
		if (group_pid(r, a, i) != group_pid(r, b, i))
			return 0;
	return 1;
}

/* For the verdict line of a failure (crash, killed) whose root cause names a thread_local it likely
 * used after its destructor ran, with no finding of its own (diag_crash.c's explanation: static
 * TLS, whose reads the default mode does not see): "; in the static destructor IntVec::~IntVec()
 * of main::v, which ran after thread_local this_thread (prof) was destroyed: a likely use after
 * destruction", the innermost step of its phase (not a count of destructors that ran), so that
 * the one line says where and what (FRESH15b item 6: c2 and c10's verdicts said only the signal
 * and the call that raised it). "" otherwise. Into buf (n bytes). */
static const char *failure_tls_words(const struct finding *f, char *buf, size_t n)
{
	const struct finding_detail *d = detail_of(f);
	const char *ph = f->phase, *step = NULL, *c;
	size_t len = 0;
	buf[0] = 0;
	if ((strcmp(f->kind, "crash") && strcmp(f->kind, "killed")) || !d->has_tls || !d->tls_symbol || d->cause)
		return buf;
	/* (steps are joined by " > ", analyze.c phase_of; a name may hold '>': a template's) */
	for (c = ph; c && *c;) {
		const char *sep = strstr(c, " > "), *ran = strstr(c, " ran (");
		size_t k = sep ? (size_t)(sep - c) : strlen(c);
		/* ("1 TLS destructor ran (all)": a count, not a step; "running": none) */
		if (k && !(ran && ran < c + k) && !(k == 7 && !strncmp(c, "running", 7)))
			step = c, len = k;
		c = sep ? sep + 3 : c + k;
	}
	/* ("in the static destructor ...", "in the atexit handler ...", "in Py_Finalize") */
	int the = step && (!strncmp(step, "static ", 7) || !strncmp(step, "TLS ", 4) || !strncmp(step, "atexit ", 7) ||
			   !strncmp(step, "key ", 4) || !strncmp(step, "destructor", 10) || !strncmp(step, "module ", 7));
	snprintf(buf, n, "; %s%.*s%s thread_local %s%s%s%s was destroyed: a likely use after destruction",
		 step ? (the ? "in the " : "in ") : "", (int)len, step ? step : "", step ? ", which ran after" : "after",
		 d->tls_symbol, d->tls_mod ? " (" : "", d->tls_mod ? base_name(d->tls_mod->path) : "", d->tls_mod ? ")" : "");
	return buf;
}

/* A verdict line's asides about the shim itself taken out, in place: a parenthesized part that
 * begins with one of the words below (how the shim sees python3's own Py_FinalizeEx, what an
 * unfinished trace may mean), and the space before it. The finding keeps them; the verdict is what
 * a person on call reads first (FRESH17: verdict lines of 570 characters that opened with the
 * shim's internals). */
static void drop_shim_asides(char *s)
{
	static const char *const shim_words[] = {"(python3 runs its own Py_FinalizeEx",
						  "(it was then killed by a signal the shim cannot see"};
	char *w = s;
	for (char *c = s; *c;) {
		int drop = 0;
		for (size_t k = 0; *c == '(' && k < sizeof shim_words / sizeof *shim_words; k++)
			drop |= !strncmp(c, shim_words[k], strlen(shim_words[k]));
		if (drop) {
			int depth = 0;
			char *e = c;
			for (; *e; e++)
				if ((depth += *e == '(' ? 1 : *e == ')' ? -1 : 0) == 0)
					break;
			if (*e) {
				if (w > s && w[-1] == ' ')
					w--;
				c = e + 1;
				continue;
			}
		}
		*w++ = *c++;
	}
	*w = 0;
}

/* The verdict line of group g (a root cause: no group it follows from) into what and fix (sizes
 * of render_verdict's buffers); effect: effect_groups'; cb, msg, when: scratch */
static void verdict_words(const struct report *r, const struct group *g, const struct group **effect, char *what,
			  size_t nwhat, char *fix, size_t nfix)
{
	const struct finding *f = g->first;
	const struct group *e = effect[g->index];
	char who[200], cb[700], msg[MESSAGE_MAX], when[64], tls[600];
	procs_text(g, r, who, sizeof who);
	cb[0] = 0;
	if (py_callback(f, fix, nfix) || (e && py_callback(e->first, fix, nfix)))
		/* (a request's code, not a teardown's callback, where the process was not in its
		 * teardown: gunicorn's graceful stop, its worker timeout) */
		snprintf(cb, sizeof cb, f->phase && (!strcmp(f->phase, "running") || !strcmp(f->phase, "serving a request"))
						? ", in the Python code at %s" : ", from the Python callback %s", fix);
	if (!strcmp(g->kind, "use-after-destroy"))
		snprintf(what, nwhat, "%s %s%s%s thread_local %s%s%s%s after its destructor ran%s", who,
			 e && !strcmp(e->kind, "crash") ? "crashed" : "",
			 e && !strcmp(e->kind, "crash") ? uad_crash_when(f, g->npids > 1, when, sizeof when) : "",
			 e && !strcmp(e->kind, "crash") ? (g->npids > 1 ? " because they read" : " because it read") : "read",
			 detail_of(f)->tls_symbol ? detail_of(f)->tls_symbol : "?", detail_of(f)->tls_mod ? " (" : "", detail_of(f)->tls_mod ? base_name(detail_of(f)->tls_mod->path) : "",
			 detail_of(f)->tls_mod ? ")" : "", cb);
	else
		snprintf(what, nwhat, "%s: %s: %s%s%s%s%s", who, g->kind, finding_message(f, msg, sizeof msg),
			 failure_tls_words(f, tls, sizeof tls), cb,
			 e && !strcmp(e->kind, "crash") ? "; then crashed with "
			 : e && !strcmp(e->kind, "unfinished")
				 ? "; no teardown step followed: the trace ends there (its unfinished finding: then killed "
				   "by a signal the shim cannot see, such as SIGKILL, or still running)" : "",
			 e && !strcmp(e->kind, "crash") ? signal_name(finding_signal(e->first)) : "");
	first_clause(finding_fix(f, msg, sizeof msg), fix, nfix);
	drop_shim_asides(what);
}

/* a key for a verdict line's words and fix */
static long long verdict_key(const char *what, const char *fix)
{
	return (long long)(str_hash(what, strlen(what)) ^ str_hash(fix, strlen(fix)) * 31);
}

/* Writes the verdict: one line per root-cause group (a group that follows from another is said
 * on that one's line), errors first, then its fix; a group of the same processes whose line says
 * the same words and fix as one of the VERDICT_RECENT lines before it (one cause met at several
 * code sites: two reads of one destroyed thread_local in one atexit handler, whose groups come
 * together) is said by that line, "at N sites". A finding's message is written whole, never cut
 * (what has room for any message, MESSAGE_MAX). The words are made twice (to find the same
 * lines, then to write them), not kept, and no index of every line (a trace of 100000 groups:
 * 2 bytes each). Returns the number of lines. */
enum { VERDICT_RECENT = 8, SAID_ELSEWHERE = 0xffff };

struct verdict_text { FILE *out; const char *indent; };

static void verdict_print(void *ctx, const char *what, const char *fix, const struct group *g)
{
	const struct verdict_text *v = ctx;
	(void)g;
	fprintf(v->out, "%s%s\n%s    fix: %s\n", v->indent, what, v->indent, fix);
}

int render_verdict(const struct report *r, FILE *out, const char *indent)
{
	struct verdict_text v = {out, indent};
	return verdict_lines(r, verdict_print, &v);
}

/* verdict_lines (report.h) */
int verdict_lines(const struct report *r, verdict_emit *emit, void *ctx)
{
	int pass, k, n = 0, round, nrecent = 0;
	char what[MESSAGE_MAX + 1600], fix[600], what2[MESSAGE_MAX + 1600], fix2[600];
	const struct group **effect = effect_groups(r), *recent[VERDICT_RECENT];
	long long recent_key[VERDICT_RECENT];
	struct index uad = {0}, hung_kills = {0}, hangs = {0}, lost_stops = {0};
	char fixbuf[600];
	/* per group: the sites its line says (1 or more), SAID_ELSEWHERE: said by another's line */
	unsigned short *sites = xmalloc((size_t)(r->ngroups ? r->ngroups : 1) * sizeof *sites);
	memset(sites, 0, (size_t)(r->ngroups ? r->ngroups : 1) * sizeof *sites);
	for (k = 0; k < r->nfindings; k++)
		if (!strcmp(finding_kind(r, k), "use-after-destroy"))
			index_put(&uad, finding_proc(r, k)->pid, finding_proc(r, k));
		else if (!strcmp(finding_kind(r, k), "killed") &&
			 killed_while_hung(finding_fix(finding_at(r, k), fixbuf, sizeof fixbuf)))
			index_put(&hung_kills, finding_proc(r, k)->pid, (void *)(intptr_t)(k + 1));
		else if (!strcmp(finding_kind(r, k), "hang"))
			index_put(&hangs, finding_proc(r, k)->pid, (void *)(intptr_t)(k + 1));
		else if (!strcmp(finding_kind(r, k), "signal-handler") && finding_at(r, k)->message &&
			 strstr(finding_at(r, k)->message, " never arrived: it ran on until the SIGKILL "))
			index_put(&lost_stops, finding_proc(r, k)->pid, (void *)(intptr_t)(k + 1));
	for (round = 0; round < 2; round++)
		for (pass = SEV_ERROR; pass >= SEV_INFO; pass--)
			for (k = 0; k < r->ngroups; k++) {
				const struct group *g = group_at(r, k);
				int j, merged = 0;
				if ((int)g->first->severity != pass || cause_group(g) || explained_order(r, g, &uad) ||
				    said_by_counterpart(r, g, &hung_kills, &hangs, &lost_stops) || sites[g->index] == SAID_ELSEWHERE)
					continue;
				verdict_words(r, g, effect, what, sizeof what, fix, sizeof fix);
				if (round == 1) {
					if (sites[g->index] > 1) {
						size_t w = strlen(what);
						snprintf(what + w, sizeof what - w, ", at %d sites", sites[g->index]);
					}
					emit(ctx, what, fix, g);
					n++;
					continue;
				}
				long long key = verdict_key(what, fix);
				for (j = 0; j < nrecent && j < VERDICT_RECENT && !merged; j++) {
					const struct group *same = recent[j];
					if (recent_key[j] != key || !same_pids(r, same, g) || sites[same->index] >= SAID_ELSEWHERE - 1)
						continue;
					verdict_words(r, same, effect, what2, sizeof what2, fix2, sizeof fix2);
					if (!strcmp(what, what2) && !strcmp(fix, fix2)) {
						sites[same->index]++;
						sites[g->index] = SAID_ELSEWHERE;
						merged = 1;
					}
				}
				if (merged)
					continue;
				sites[g->index] = 1;
				recent[nrecent % VERDICT_RECENT] = g;
				recent_key[nrecent++ % VERDICT_RECENT] = key;
			}
	free(sites);
	free(effect);
	index_free(&uad);
	index_free(&hung_kills);
	index_free(&hangs);
	index_free(&lost_stops);
	return n;
}

/* pgrp.c - process groups: which group a process was in at a given time, from the `pgrp` lines
 * (shim/pgrp.c; docs/trace-format.md), so that a group kill (killpg, kill of -pgid or of 0) is
 * tied to every traced member of the group, not only to the leader whose pid names it (Apache
 * prefork's children in their parent's group, a shell job's pipeline, a supervisor's workers).
 *
 * A process's group is, at time t: the latest `pgrp` line about it at or before t, its own (its
 * start, setpgid, setpgrp, setsid, daemon, forkpty) or its parent's (setpgid of that child, as a
 * shell moves a job's processes); else, for a forked child, its parent's group when the child
 * started (fork keeps it: POSIX); else, for a program exec'd by a traced one, that one's (exec
 * keeps it); else unknown. A trace written before the shim wrote `pgrp` lines knows none. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct pgrp_rec {
	const struct proc *p; /* the process the line is about */
	uint64_t t;           /* the line's time (ns) */
	int pgid;
	int seq;              /* order of reading, for lines of one time */
};

static struct {
	struct pgrp_rec *at; /* by process (its index), then time */
	int n;
} pg;

static int rec_order(const void *a, const void *b)
{
	const struct pgrp_rec *x = a, *y = b;
	if (x->p != y->p)
		return x->p->index < y->p->index ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq - y->seq;
}

/* (the forked processes by pid, then start, while pgrp_build runs: for the lines about a child) */
static const struct proc **forked_by_pid;
static int nforked;

static int pid_start_order(const void *a, const void *b)
{
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return proc_t_first(x) < proc_t_first(y) ? -1 : proc_t_first(x) > proc_t_first(y);
}

/* (a line of p's about pid, another process: p's forked child of that pid, the latest to start
 * up to 1 s after the line (its forked line may come after its parent's move of it); NULL if none
 * is traced) */
static const struct proc *child_named(const struct proc *p, int pid, uint64_t t)
{
	const struct proc *best = NULL;
	int lo = 0, hi = nforked;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (forked_by_pid[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nforked && forked_by_pid[lo]->pid == pid; lo++)
		if (proc_parent(forked_by_pid[lo]) == p && proc_t_first(forked_by_pid[lo]) <= t + 1000000000u)
			best = forked_by_pid[lo];
	return best;
}

void pgrp_build(const struct report *r)
{
	int n = 0, others = 0;
	pg.n = 0;
	for (int i = 0; i < r->nprocs; i++)
		for (int k = 0; k < r->procs[i]->nev; k++)
			if (proc_ev(r->procs[i], k)->type == EV_PGRP) {
				n++;
				others += ev_dec(proc_ev(r->procs[i], k), 0) != r->procs[i]->pid;
			}
	pg.at = xmalloc((size_t)(n ? n : 1) * sizeof *pg.at);
	nforked = 0;
	forked_by_pid = NULL;
	if (others) {
		forked_by_pid = xmalloc((size_t)r->nprocs * sizeof *forked_by_pid);
		for (int i = 0; i < r->nprocs; i++)
			if (r->procs[i]->forked && proc_parent(r->procs[i]))
				forked_by_pid[nforked++] = r->procs[i];
		qsort(forked_by_pid, (size_t)nforked, sizeof *forked_by_pid, pid_start_order);
	}
	for (int i = 0; i < r->nprocs; i++) {
		const struct proc *p = r->procs[i];
		for (int k = 0; k < p->nev; k++) {
			const struct event *e = proc_ev(p, k);
			long long pid, pgid;
			const struct proc *q = p;
			if (e->type != EV_PGRP || e->nf < 2)
				continue;
			pid = ev_dec(e, 0), pgid = ev_dec(e, 1);
			if (pgid <= 0 || pgid != (int)pgid)
				continue;
			/* (a setpgid of another process: a child's, the only one a process may move;
			 * the walk over every process only where such lines are, shells and supervisors) */
			if (pid != p->pid && (!others || pid != (int)pid || !(q = child_named(p, (int)pid, e->t))))
				continue;
			pg.at[pg.n] = (struct pgrp_rec){q, e->t, (int)pgid, pg.n};
			pg.n++;
		}
	}
	qsort(pg.at, (size_t)pg.n, sizeof *pg.at, rec_order);
	free(forked_by_pid);
	forked_by_pid = NULL;
}

void pgrp_free(void)
{
	free(pg.at);
	pg.at = NULL;
	pg.n = 0;
}

int pgrp_at(const struct proc *v, uint64_t t)
{
	for (int depth = 0; v && depth < 64; depth++) {
		int lo = 0, hi = pg.n;
		while (lo < hi) { /* the first record of a later process, or of v later than t */
			int mid = lo + (hi - lo) / 2;
			const struct pgrp_rec *x = &pg.at[mid];
			if (x->p->index < v->index || (x->p == v && x->t <= t))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && pg.at[lo - 1].p == v)
			return pg.at[lo - 1].pgid;
		/* (what it started with: its parent's at the fork, or the program's it replaced) */
		if (v->forked && proc_parent(v)) {
			t = proc_t_first(v);
			v = proc_parent(v);
		} else {
			v = proc_exec_before(v);
		}
	}
	return -1;
}

int pgrp_groups(const struct proc *v, int *out, int max)
{
	int n = 0, g = pgrp_at(v, proc_t_first(v)), lo = 0, hi = pg.n;
	/* (the one it started in, then each it moved to) */
	if (g > 0 && max > 0)
		out[n++] = g;
	while (lo < hi) { /* v's first record */
		int mid = lo + (hi - lo) / 2;
		if (pg.at[mid].p->index < v->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < pg.n && pg.at[lo].p == v && n < max; lo++) {
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= out[k] == pg.at[lo].pgid;
		if (!seen)
			out[n++] = pg.at[lo].pgid;
	}
	return n;
}

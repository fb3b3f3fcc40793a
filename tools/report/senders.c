/* senders.c - who sent a signal that arrived: its sig_arrive line names the sender's pid and uid,
 * and the name the shim read from /proc/PID/comm at the arrival (shim/signals.c; "-" where the
 * sender had ended by then: timeout(1) exits once its command is reaped, so a grandchild in its
 * process group whose handler runs later reads nothing). The name is then taken from another
 * arrival line of the report from the same pid and uid; a traced sender is named by its program.
 * No rule of its own: diag_outcome.c (the killed findings' senders) and text.c (the timeline's
 * arrival lines) ask. Each index is made at the first question that needs it and kept until
 * senders_free (report_free): 4 bytes per named arrival line, 16 per process. (diag_outcome.c's
 * bypid, the same order of processes, lives only while its rules run: the timeline asks later.) */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct by_pid {
	int pid;
	const struct proc *p;
};

static struct {
	const struct report *r;
	unsigned *named;         /* places in ev_refs of sig_arrive lines with a name, by pid then time */
	int nnamed;
	struct by_pid *procs;    /* every process with events, by pid then first event's time */
	int nprocs;
} sx;

static int named_order(const void *a, const void *b)
{
	const struct event *x = ev_of_ref(*(const unsigned *)a), *y = ev_of_ref(*(const unsigned *)b);
	long long px = ev_dec(x, 2), py = ev_dec(y, 2);
	return px != py ? (px < py ? -1 : 1) : x->t != y->t ? (x->t < y->t ? -1 : 1) : 0;
}

static int proc_order(const void *a, const void *b)
{
	const struct by_pid *x = a, *y = b;
	uint64_t tx = proc_t_first(x->p), ty = proc_t_first(y->p);
	return x->pid != y->pid ? (x->pid < y->pid ? -1 : 1) : tx != ty ? (tx < ty ? -1 : 1) : 0;
}

static int names_sender(const struct event *e)
{
	return e->type == EV_SIG_ARRIVE && strcmp(ev_field(e, 2), "-") && strcmp(ev_field(e, 6), "-");
}

/* each index is made at the first question that needs it (most reports ask only sender_comm,
 * about a gone sender, or nothing): the other stays unmade */
static void senders_for(const struct report *r)
{
	if (sx.r != r) {
		senders_free();
		sx.r = r;
	}
}

static void named_build(const struct report *r)
{
	int i, k, n = 0;
	for (i = 0; i < r->nprocs; i++)
		for (k = 0; k < r->procs[i]->nev; k++)
			n += names_sender(proc_ev(r->procs[i], k));
	sx.named = xmalloc((size_t)(n ? n : 1) * sizeof *sx.named);
	for (i = 0; i < r->nprocs; i++)
		for (k = 0; k < r->procs[i]->nev; k++)
			if (names_sender(proc_ev(r->procs[i], k)))
				sx.named[sx.nnamed++] = r->procs[i]->ev + (unsigned)k;
	qsort(sx.named, (size_t)sx.nnamed, sizeof *sx.named, named_order);
}

static void procs_build(const struct report *r)
{
	sx.procs = xmalloc((size_t)(r->nprocs ? r->nprocs : 1) * sizeof *sx.procs);
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i]->nev)
			sx.procs[sx.nprocs++] = (struct by_pid){r->procs[i]->pid, r->procs[i]};
	qsort(sx.procs, (size_t)sx.nprocs, sizeof *sx.procs, proc_order);
}

void senders_free(void)
{
	free(sx.named);
	free(sx.procs);
	memset(&sx, 0, sizeof sx);
}

const char *sender_comm(const struct report *r, const struct event *a)
{
	const char *comm = ev_field(a, 6), *best = "-";
	long long pid = ev_dec(a, 2), sig = ev_dec(a, 0);
	uint64_t bestd = UINT64_MAX;
	int lo = 0, hi;
	if (strcmp(comm, "-") || !strcmp(ev_field(a, 2), "-") || !r)
		return comm;
	senders_for(r);
	if (!sx.named)
		named_build(r);
	hi = sx.nnamed;
	while (lo < hi) { /* the first of that pid */
		int mid = lo + (hi - lo) / 2;
		if (ev_dec(ev_of_ref(sx.named[mid]), 2) < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sx.nnamed; lo++) {
		const struct event *e = ev_of_ref(sx.named[lo]);
		uint64_t d = e->t > a->t ? e->t - a->t : a->t - e->t;
		if (ev_dec(e, 2) != pid)
			break;
		/* (within 1 s; within 10 s for the same signal: one blocked until its receiver's
		 * teardown let it in arrives seconds after the others of the same send) */
		if (d < bestd && (d <= 1000000000u || (ev_dec(e, 0) == sig && d <= 10000000000u)) &&
		    !strcmp(ev_field(e, 3), ev_field(a, 3))) {
			bestd = d;
			best = ev_field(e, 6);
		}
	}
	return best;
}

const struct proc *sender_traced(const struct report *r, const struct event *a)
{
	long long pid = ev_dec(a, 2);
	const struct proc *s = NULL;
	int lo = 0, hi;
	if (!strcmp(ev_field(a, 2), "-") || !r)
		return NULL;
	senders_for(r);
	if (!sx.procs)
		procs_build(r);
	hi = sx.nprocs;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (sx.procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sx.nprocs && sx.procs[lo].pid == pid; lo++)
		if (proc_t_first(sx.procs[lo].p) <= a->t)
			s = sx.procs[lo].p; /* (the latest begun before it) */
	return s;
}

/* (report.h) */
char *arrival_from_words(const struct report *r, const struct proc *p, const struct event *a)
{
	int sig = (int)ev_dec(a, 0);
	const struct proc *sp;
	const char *sn;
	if (!strcmp(ev_field(a, 2), "-")) /* (si_code > 0: the kernel's, a terminal's key for these two) */
		return xstrdup(sig == SIGINT ? "from the terminal (Ctrl-C: the kernel sent it)"
			       : sig == SIGQUIT ? "from the terminal (Ctrl-\\: the kernel sent it)" : "from the kernel");
	if (sig == SIGABRT && !strncmp(prog_of(p), "gunicorn", 8))
		return xasprintf("from process %s, gunicorn's arbiter (its worker timeout: the worker had not notified it "
				 "within --timeout; its handler, handle_abort, calls sys.exit(1)),", ev_field(a, 2));
	sp = sender_traced(r, a);
	sn = sp && sp != p ? prog_of(sp) : sender_comm(r, a);
	return xasprintf("from process %s%s%s%s", ev_field(a, 2), strcmp(sn, "-") ? " (" : "", strcmp(sn, "-") ? sn : "",
			 strcmp(sn, "-") ? ")" : "");
}

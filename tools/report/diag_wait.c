/* diag_wait.c - a parent that waits for its child: the wait_begin lines (shim/signals.c: a
 * wait-family call that blocked) and wait_poll lines (an episode of WNOHANG polls for a child it
 * told to stop, or in its teardown) still open when a process ended, hung or its trace stopped,
 * in words for the killed, unfinished and hang findings: "waiting in waitpid for its child 812
 * (worker) for 4.980 s, which hung in its own teardown (exit(0) > atexit handler log_close) and
 * was killed by SIGTERM", "polling waitpid (WNOHANG) for its child 812 (worker) after sending it
 * SIGTERM, from 3.1 s before (its first empty poll; ...), which ...", "polling waitpid (WNOHANG)
 * for its child 812 (job): one empty poll, 54 ms before a termination signal arrived, which ...".
 * No rule of its own: diag_outcome.c and diag_hang.c call it. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* a line that opens a wait of its thread: a blocking call, or an episode of polls; the thread's
 * next reap, wait_end, wait_begin or wait_poll line closes it, or its end (a thread that polled
 * and returned: multiprocessing's pool handler) */
static int opens_wait(int type) { return type == EV_WAIT_BEGIN || type == EV_WAIT_POLL; }
static int closes_wait(int type)
{
	return opens_wait(type) || type == EV_REAP || type == EV_WAIT_END || type == EV_THREAD_EXIT;
}

/* The wait_begin or wait_poll line of p's thread tid (any thread if tid is 0: the latest) that
 * no later wait line of that thread closed before time until; NULL if none. */
const struct event *wait_open(const struct proc *p, int tid, uint64_t until)
{
	static char closed; /* (index_put keeps no NULL) */
	const struct event *open = NULL;
	struct index ix = {0}; /* tid -> its open wait line, or &closed */
	int first = 0; /* (the index is of the lines from its first that opens a wait: none, none made;
			* 100000 threads' thread_exit lines took 6 MB, the peak of their report) */
	while (first < p->nev && !(opens_wait(proc_ev(p, first)->type) && proc_ev(p, first)->t <= until &&
				   (!tid || proc_ev(p, first)->tid == tid)))
		first++;
	if (first == p->nev)
		return NULL;
	for (int i = first; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if ((tid && e->tid != tid) || e->t > until || !closes_wait(e->type))
			continue;
		index_put(&ix, e->tid, opens_wait(e->type) ? (void *)e : &closed);
	}
	for (int i = p->nev - 1; i >= 0 && !open; i--)
		if (opens_wait(proc_ev(p, i)->type) && proc_ev(p, i)->t <= until && index_get(&ix, proc_ev(p, i)->tid) == proc_ev(p, i))
			open = proc_ev(p, i);
	index_free(&ix);
	return open;
}

/* Every thread's wait_open(p, tid, until) at once, in ix (tid -> its open wait line; none for a
 * thread with none): one walk of p's events for a snapshot's thousands of threads. ix empty on
 * entry; the caller frees it. */
void wait_open_all(const struct proc *p, uint64_t until, struct index *ix)
{
	struct index last = {0}; /* tid -> its last line that opens or closes a wait */
	for (int i = 0; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->t <= until && closes_wait(e->type))
			index_put(&last, e->tid, (void *)e);
	}
	for (size_t k = 0; k < last.cap; k++)
		if (last.val[k] && opens_wait(((const struct event *)last.val[k])->type))
			index_put(ix, last.key[k], last.val[k]);
	index_free(&last);
}

/* Each wait_poll line's match: the line that closed its episode (see opens_wait), for the
 * timeline; called by the driver with the other pairs (analyze.c, match_pairs) */
void wait_polls_match(struct proc *p)
{
	struct index ix = {0}; /* tid -> its latest wait line */
	for (int i = 0; i < p->nev; i++) {
		struct event *e = proc_ev(p, i), *prev;
		if (!closes_wait(e->type))
			continue;
		if ((prev = index_get(&ix, e->tid)) && prev->type == EV_WAIT_POLL)
			ev_set_match(prev, e);
		index_put(&ix, e->tid, e);
	}
	index_free(&ix);
}


/* p's traced children a wait for target (waitpid's pid argument) that began at time t could
 * return: started before until (a child's first line may come after its parent's wait began), not
 * reaped before t; each pid once, by its latest record started before until (a child that exec'd
 * has one record per program, each with p as its parent: parse.c start_program; the program it
 * runs is the last one's; a pid used again, the latest child's); at most max into out (by pid
 * where all fit: r->procs is in the order of the trace's lines, which racing children write in
 * any order), the count of pids returned */
int children_waited(const struct report *r, const struct proc *p, long long target, uint64_t t, uint64_t until,
		    struct proc **out, int max)
{
	int n = 0;
	struct index reaped = {0}; /* the pids p reaped before t (a reap line of any thread) */
	struct index latest = {0}; /* pid -> its latest record that qualifies */
	for (int i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_REAP && proc_ev(p, i)->t < t)
			index_put(&reaped, ev_dec(proc_ev(p, i), 1), proc_ev(p, i));
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < r->nprocs; i++) {
			struct proc *q = r->procs[i], *was;
			const struct event *gone;
			if (q == p || q->ppid != p->pid || proc_t_first(q) > until || (target > 0 && q->pid != target) ||
			    ((gone = index_get(&reaped, q->pid)) && gone->t >= proc_t_first(q)))
				continue;
			was = index_get(&latest, q->pid);
			if (!pass) {
				if (!was || proc_t_first(q) >= proc_t_first(was))
					index_put(&latest, q->pid, q);
			} else if (was == q) {
				if (n < max)
					out[n] = q;
				n++;
			}
		}
	for (int i = 1; i < n && n <= max; i++) /* (insertion: a handful) */
		for (int j = i; j > 0 && out[j - 1]->pid > out[j]->pid; j--) {
			struct proc *x = out[j];
			out[j] = out[j - 1], out[j - 1] = x;
		}
	index_free(&latest);
	index_free(&reaped);
	return n;
}

/* p's traced children and its reap lines, kept for many questions about single pids (told_words:
 * one per kill line of p's). children_waited(r, p, pid, t, until, ...) walks every process of the
 * trace and every event of p's: per kill line, a supervisor that told 20000 children to stop took
 * 9 s of CPU (4x per 2x). Built once, O(n log n) in p's children and reaps; each question then a
 * binary search and the pid's own records, with children_waited's answer. */
struct brood {
	struct kid {
		struct proc *q;
		int order; /* its place in r->procs (of two records alike, the later one answers) */
	} *kids;           /* p's children (ppid p's pid, not p): by pid, first event's time, order */
	int nkids;
	struct reaped {
		long long pid;
		uint64_t t;
		int i; /* the reap line's index in p's events */
	} *reaps;          /* p's reap lines: by pid, then their order in p's events */
	int nreaps;
};

static int kid_cmp(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	uint64_t tx = proc_t_first(x->q), ty = proc_t_first(y->q);
	if (x->q->pid != y->q->pid)
		return x->q->pid < y->q->pid ? -1 : 1;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static int reaped_cmp(const void *a, const void *b)
{
	const struct reaped *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static void brood_build(const struct report *r, const struct proc *p, struct brood *b)
{
	memset(b, 0, sizeof *b);
	for (int i = 0; i < r->nprocs; i++)
		b->nkids += r->procs[i] != p && r->procs[i]->ppid == p->pid;
	for (int i = 0; i < p->nev; i++)
		b->nreaps += proc_ev(p, i)->type == EV_REAP;
	b->kids = xmalloc((size_t)(b->nkids + 1) * sizeof *b->kids);
	b->reaps = xmalloc((size_t)(b->nreaps + 1) * sizeof *b->reaps);
	b->nkids = b->nreaps = 0;
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i] != p && r->procs[i]->ppid == p->pid)
			b->kids[b->nkids++] = (struct kid){r->procs[i], i};
	for (int i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_REAP)
			b->reaps[b->nreaps++] = (struct reaped){ev_dec(proc_ev(p, i), 1), proc_ev(p, i)->t, i};
	qsort(b->kids, (size_t)b->nkids, sizeof *b->kids, kid_cmp);
	qsort(b->reaps, (size_t)b->nreaps, sizeof *b->reaps, reaped_cmp);
}

static void brood_free(struct brood *b)
{
	free(b->kids);
	free(b->reaps);
}

/* children_waited(r, p, pid, t, until, &q, 1) for a pid > 0 of b's: the record of that pid the
 * wait could return (its latest that started before until and was not reaped by a reap line of
 * p's before t, the last such line in p's order counting), NULL if none */
static struct proc *brood_waited(const struct brood *b, long long pid, uint64_t t, uint64_t until)
{
	int lo = 0, hi = b->nkids, rlo = 0, rhi = b->nreaps, gone_at = -1;
	struct proc *best = NULL;
	while (lo < hi) { /* the pid's first record */
		int mid = lo + (hi - lo) / 2;
		if (b->kids[mid].q->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (rlo < rhi) { /* the pid's first reap line */
		int mid = rlo + (rhi - rlo) / 2;
		if (b->reaps[mid].pid < pid)
			rlo = mid + 1;
		else
			rhi = mid;
	}
	for (; rlo < b->nreaps && b->reaps[rlo].pid == pid; rlo++)
		if (b->reaps[rlo].t < t)
			gone_at = rlo;
	for (; lo < b->nkids && b->kids[lo].q->pid == pid; lo++) {
		struct proc *q = b->kids[lo].q;
		if (proc_t_first(q) > until || (gone_at >= 0 && b->reaps[gone_at].t >= proc_t_first(q)))
			continue;
		best = q;
	}
	return best;
}

int wait_children(const struct report *r, const struct proc *p, const struct event *w, uint64_t until,
		  struct proc **out, int max)
{
	if (!strncmp(ev_field(w, 1), "fd:", 3))
		return 0;
	return children_waited(r, p, ev_dec(w, 1), w->t, until, out, max);
}

/* what happened to child q, in words after "which", as seen from time until (trace ns: a hang
 * snapshot's, a kill's): "hung in its own teardown (PHASE) and was killed by SIGTERM"; an end
 * after until (its fatal arrival's line, else its last line, later than until) is said as later
 * ("was later killed by SIGTERM"), not as known at until (FRESH11: a hang snapshot's "which was killed by SIGTERM",
 * 1 s before that kill); malloc'd */
static char *child_fate(const struct proc *q, uint64_t until)
{
	int hung = 0;
	uint64_t end = proc_t_last(q); /* (its death: a fatal arrival's line, else its last line) */
	char *how, *s;
	for (int i = 0; i < q->nev; i++) {
		const struct event *e = proc_ev(q, i);
		hung |= e->type == EV_HANG;
		if (e->type == EV_SIG_ARRIVE && !strcmp(ev_field(e, 5), "dfl"))
			end = e->t;
	}
	const char *later = end > until ? "later " : "";
	if (q->exit_known && proc_how(q) && !strcmp(proc_how(q), "signal"))
		how = xasprintf("was %skilled by %s%s", later, signal_name(q->exit_signal), q->exit_core ? " (core dumped)" : "");
	else if (q->exit_known)
		how = xasprintf("%sexited with status %d", later, q->exit_status);
	else
		how = xstrdup("has no end in its trace (still running, or killed by a signal no trace shows)");
	if (hung || (proc_exit_began(q) && !q->ended))
		s = xasprintf("%s in its own teardown (%s) and %s", hung ? "hung" : "was still", proc_end_phase(q) ? proc_end_phase(q) : "?",
			      how);
	else
		s = xasprintf("%s", how);
	free(how);
	return s;
}

/* child_fate (from until) for a child q that was sent sig (0: none) to stop, with how it took the
 * signal where its trace says: "ran its handler on_term for SIGTERM and went on, and has no end ..."; malloc'd */
static char *stopped_fate(const struct proc *q, int sig, uint64_t until)
{
	char *fate = child_fate(q, until), *took = NULL, *s;
	int ignored = 0;
	for (int i = 0; sig && i < q->nev && !took; i++) {
		const struct event *e = proc_ev(q, i);
		if (e->type == EV_SIG_ARRIVE && ev_dec(e, 0) == sig && !strcmp(ev_field(e, 5), "fn")) {
			char *py = py_arrival_handler(q, e), *h = py ? py : handler_func_name(q, ev_field(e, 4));
			took = xasprintf("ran its %shandler %s for %s and went on", py ? "Python " : "", h,
					 signal_name(sig)); /* (never NULL) */
			free(h);
		} else if (e->type == EV_SIG_ARRIVE && ev_dec(e, 0) == sig && !strcmp(ev_field(e, 5), "wait")) {
			took = xasprintf("took %s with sigwait and went on", signal_name(sig));
		} else if (e->type == EV_SIG_INHERIT) {
			ignored = sigset_has(ev_field(e, 1), sig);
		} else if (e->type == EV_SIG_HANDLER && ev_dec(e, 0) == sig) {
			ignored = !strcmp(ev_field(e, 1), "0x1");
		}
	}
	if (!took && ignored)
		took = xasprintf("ignores %s (SIG_IGN)", signal_name(sig));
	if (!took)
		return fate;
	s = xasprintf("%s, and %s", took, fate);
	free(took);
	free(fate);
	return s;
}

/* the children a wait_poll line w of p names as told to stop and not reaped (its KIDS field,
 * "pid:sig,..."), in words: "1743 (poll_child), which ...", each with "sent SIGTERM" where
 * several; their count into *n and the first one's signal into *sig; malloc'd, NULL if none */
static char *polled_kids(const struct report *r, const struct proc *p, const struct event *w, uint64_t until, int *n,
			 int *sig)
{
	char buf[2048];
	size_t len = 0;
	const char *f = ev_field(w, 4);
	int several = strchr(f, ',') != NULL;
	*n = 0;
	buf[0] = 0;
	while (*f >= '0' && *f <= '9' && len < sizeof buf - 400) {
		char *end;
		long long pid = strtoll(f, &end, 10);
		int s = *end == ':' ? (int)strtol(end + 1, &end, 10) : 0;
		struct proc *q = NULL;
		char *fate;
		if (!(*n)++)
			*sig = s;
		if (children_waited(r, p, pid, w->t, until, &q, 1) != 1)
			q = NULL;
		fate = q ? stopped_fate(q, s, until) : NULL;
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld (%s%s%s)%s%s", len ? "; " : "", pid,
					q ? base_name(proc_prog(q)->exe) : "not traced", several ? ", sent " : "",
					several ? signal_name(s) : "", fate ? ", which " : "", fate ? fate : "");
		free(fate);
		f = *end == ',' ? end + 1 : end;
	}
	return *n ? xstrdup(buf) : NULL;
}

char *poll_run_words(const struct event *w)
{
	const char *why = ev_field(w, 3);
	int sig = !strcmp(why, "signal");
	/* MS (field 5): the run's first poll that long before the line; POLLS, LAST (fields 6, 7;
	 * added within version 3): its empty polls, the latest LAST ms after the first */
	unsigned long long ms = strtoull(ev_field(w, 5), NULL, 10), polls, last;
	const char *when = sig ? " before a termination signal arrived" : "";
	if (w->type != EV_WAIT_POLL || (!sig && strcmp(why, "long")))
		return NULL;
	if (w->nf < 8) /* an older shim's line: the run's start, not its polls */
		return sig ? xasprintf("empty polls since %llu ms%s (how many, this trace does not say)", ms, when)
			   : xasprintf("empty polls for %llu ms", ms);
	polls = strtoull(ev_field(w, 6), NULL, 10);
	last = strtoull(ev_field(w, 7), NULL, 10);
	if (last > ms) /* (a garbled line: no claim past the run's length) */
		last = ms;
	if (polls <= 1) /* (a long run has two at least) */
		return sig ? xasprintf("one empty poll, %llu ms%s", ms, when) : xstrdup("one empty poll");
	return sig ? xasprintf("%llu empty polls over %llu ms, the last %llu ms%s", polls, last, ms - last, when)
		   : xasprintf("%llu empty polls over %llu ms (none counted after them)", polls, last);
}

/* "waiting in waitpid for its child 812 (repro) for 4.980 s, which ..." for wait_begin line w of
 * p, up to time until; for a wait_poll line "polling waitpid (WNOHANG) for ..." the same, with
 * the children it told to stop and the time since its first empty poll (the only one the trace
 * has): "for its child 812 (worker) after sending it SIGTERM, from 3.1 s before (its first empty
 * poll; later polls are not recorded), which ...", "for any child after sending SIGTERM to its
 * child 812 (worker), which ..., from 3.1 s before (...)"; for a run of polls of one child its
 * own counts (poll_run_words); malloc'd */
char *wait_words(const struct report *r, const struct proc *p, const struct event *w, uint64_t until)
{
	struct proc *kids[4];
	const char *tok = ev_field(w, 1);
	long long target = strncmp(tok, "fd:", 3) ? ev_dec(w, 1) : 0;
	int poll = w->type == EV_WAIT_POLL, nstop = 0, sig = 0, told = poll && !strcmp(ev_field(w, 3), "kill");
	/* a run of empty polls of one child (why long or signal): its first poll MS before the line */
	int run = poll && (!strcmp(ev_field(w, 3), "long") || !strcmp(ev_field(w, 3), "signal"));
	uint64_t ms = run ? strtoull(ev_field(w, 5), NULL, 10) : 0, t0 = w->t > ms * 1000000 ? w->t - ms * 1000000 : 0;
	char *stopped = told ? polled_kids(r, p, w, until, &nstop, &sig) : NULL;
	int n = strncmp(tok, "fd:", 3) ? children_waited(r, p, target, t0, until, kids, 4) : 0;
	/* (the time is unknown where the trace ends at a line that opened the wait, but a run's length) */
	char *d = until > w->t || (run && ms) ? duration_text((until > w->t ? until : w->t) - t0) : NULL, *fate, *s;
	/* a run's own counts, not the time to until: it may have polled once and done other things */
	char *runw = run ? poll_run_words(w) : NULL;
	/* an episode's line is its first empty poll; the shim records no later one of it (signals.c
	 * wait_polled): the time since that poll, not a time spent polling */
	char *first = poll && !run && d ? xasprintf(", from %s before (its first empty poll; later polls are not recorded)", d)
					: NULL;
	/* an older shim's long run (no counts): the length it had lasted, which is all it says */
	char *least = run && w->nf < 8 && !strcmp(ev_field(w, 3), "long") ? duration_text(ms * 1000000) : NULL;
	char *since = least ? xasprintf(" for at least %s", least)
		      : runw ? xasprintf(": %s", runw)
		      : xasprintf("%s%s%s%s%s", !poll && d ? until > w->t ? " for " : " for at least " : "", !poll && d ? d : "",
				!poll || run ? "" : !strcmp(ev_field(w, 3), "teardown") ? " in its teardown" /* (a why this
				report does not know, of a newer shim's: no claim) */
				: !told ? "" : !stopped ? " after sending stop signals to its children"
				: target > 0 ? " after sending it " : "",
				stopped && target > 0 ? signal_name(sig) : "", stopped && target <= 0 ? "" : first ? first : "");
	char *how = poll ? xasprintf("polling %s (WNOHANG)", ev_field(w, 0)) : xasprintf("waiting in %s", ev_field(w, 0));
	const char *whom = target > 0 ? "its child" : target == -1 ? "any child" : !strncmp(tok, "fd:", 3) ? "the child of pidfd"
		: target == 0 ? "a child in its own process group" : "a child in process group";
	if (stopped && target <= 0 && nstop == 1) {
		s = xasprintf("%s for %s%s%s%s after sending %s to its child %s%s", how, whom, target < -1 ? " " : "",
			      target < -1 ? tok + 1 : "", since, signal_name(sig), stopped, first ? first : "");
	} else if (stopped && target <= 0) {
		s = xasprintf("%s for %s%s%s%s after sending stop signals to %d children it has not reaped: %s%s", how,
			      whom, target < -1 ? " " : "", target < -1 ? tok + 1 : "", since, nstop, stopped, first ? first : "");
	} else if (n == 1) {
		fate = stopped_fate(kids[0], stopped ? sig : 0, until);
		s = xasprintf("%s for %s%s%s%s%d (%s)%s, which %s", how, whom, target < -1 ? " " : "", target < -1 ? tok + 1 : "",
			      target == -1 ? ": its only one, " : target <= 0 ? ": its only traced one, " : " ", kids[0]->pid,
			      base_name(proc_prog(kids[0])->exe), since, fate);
		free(fate);
	} else if (target > 0) {
		s = xasprintf("%s for its child %lld (not traced)%s", how, target, since);
	} else if (n > 1 && n <= 4) { /* (each by its pid and the program it runs) */
		char list[4 * 80] = "";
		for (int i = 0, len = 0; i < n; i++)
			len += snprintf(list + len, sizeof list - (size_t)len, "%s%d (%.60s)", i ? ", " : "", kids[i]->pid,
					base_name(proc_prog(kids[i])->exe));
		s = xasprintf("%s for %s%s%s (%d traced children not reaped: %s)%s", how, whom, target < -1 ? " " : "",
			      target < -1 ? tok + 1 : "", n, list, since);
	} else if (n > 1) {
		s = xasprintf("%s for %s%s%s (%d traced children not reaped, first %d (%s))%s", how, whom,
			      target < -1 ? " " : "", target < -1 ? tok + 1 : "", n, kids[0]->pid,
			      base_name(proc_prog(kids[0])->exe), since);
	} else {
		int named = target < -1 || !strncmp(tok, "fd:", 3); /* a group or a pidfd */
		s = xasprintf("%s for %s%s%s%s", how, whom, named ? " " : "", named ? tok + (target < -1 ? 1 : 3) : "", since);
	}
	free(stopped);
	free(how);
	free(runw);
	free(least);
	free(first);
	free(since);
	free(d);
	return s;
}

/* whether sig is one a parent stops a child with (shim/signals.c: STOP_SIGNAL_BITS) */
static int stop_signal(int sig)
{
	return sig == SIGHUP || sig == SIGINT || sig == SIGQUIT || sig == SIGABRT || sig == SIGKILL || sig == SIGTERM;
}

/* For p with no wait open at time until: the traced children it sent a stop signal with kill()
 * (or killpg, tgkill, sigqueue) and had not reaped by until, each at its latest signal; a parent
 * that sleeps and reaps on SIGCHLD (gunicorn's arbiter in its graceful timeout: time.sleep(0.1)
 * until the worker is gone) waits for them with no wait call at all. In words: "it had not reaped
 * the child it told to stop, and no wait call of its was open (...): SIGTERM to 812 (python3)
 * 2.010 s before, which ran its handler ..."; malloc'd, NULL if none. */
char *told_words(const struct report *r, const struct proc *p, uint64_t until)
{
	enum { MAX = 4 };
	const struct event *kill[MAX];
	uint64_t kill_end[MAX]; /* the kill's time, or its last kill_py line's (the traceback after it) */
	struct proc *kid[MAX];
	char buf[3072];
	size_t len = 0;
	int n = 0, built = 0;
	struct brood b;
	for (int i = 0; i < p->nev && proc_ev(p, i)->t <= until; i++) {
		const struct event *e = proc_ev(p, i);
		struct proc *q = NULL;
		int k;
		if (e->type == EV_REAP) { /* reaped: no longer told and waited for */
			for (k = 0; k < n && kid[k]->pid != ev_dec(e, 1); k++)
				;
			if (k < n) {
				kill[k] = kill[n - 1], kid[k] = kid[n - 1], kill_end[k] = kill_end[n - 1];
				n--;
			}
			continue;
		}
		if (e->type != EV_KILL || strcmp(ev_field(e, 4), "0") || !stop_signal((int)ev_dec(e, 1)) || ev_dec(e, 2) <= 0)
			continue;
		if (!built++) /* (at the first such line: most processes have none) */
			brood_build(r, p, &b);
		if (!(q = brood_waited(&b, ev_dec(e, 2), e->t, until)))
			continue;
		for (k = 0; k < n && kid[k] != q; k++)
			;
		if (k == n && n == MAX)
			continue;
		n += k == n;
		kill[k] = e, kid[k] = q;
		kill_end[k] = e->t;
		for (int from, to = kill_py_span(p, i, &from), j = from; j < to && proc_ev(p, j)->t <= until; j++)
			if (proc_ev(p, j)->tid == e->tid)
				kill_end[k] = proc_ev(p, j)->t;
	}
	if (built)
		brood_free(&b);
	buf[0] = 0;
	for (int k = 0; k < n && len < sizeof buf - 600; k++) {
		char *d = until > kill_end[k] + 1000000 ? duration_text(until - kill[k]->t) : NULL;
		char *fate = stopped_fate(kid[k], (int)ev_dec(kill[k], 1), until);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s to %d (%s) %s%s, which %s", k ? "; " : "",
					signal_name((int)ev_dec(kill[k], 1)), kid[k]->pid, base_name(proc_prog(kid[k])->exe),
					d ? d : "at the end of its trace", d ? " before" : "", fate);
		free(d);
		free(fate);
	}
	if (!n)
		return NULL;
	return xasprintf("it had not reaped the %s it told to stop, and no wait call of its was open (a parent that "
			 "sleeps and reaps on SIGCHLD, as gunicorn's arbiter until its graceful timeout, waits that "
			 "way): %s", n > 1 ? "children" : "child", buf);
}

/* diag_wait.c - a parent that waits for its child: the wait_begin lines (shim/signals.c: a
 * wait-family call that blocked) still open when a process ended, hung or its trace stopped, in
 * words for the killed, unfinished and hang findings: "waiting in waitpid for its child 812
 * (worker) for 4.980 s, which hung in its own teardown (exit(0) > atexit handler log_close) and
 * was killed by SIGTERM". No rule of its own: diag_outcome.c and diag_hang.c call it. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* The wait_begin line of p's thread tid (any thread if tid is 0: the latest) that no reap or
 * wait_end line of that thread closed before time until; NULL if none. */
const struct event *wait_open(const struct proc *p, int tid, uint64_t until)
{
	static char closed; /* (index_put keeps no NULL) */
	const struct event *open = NULL;
	struct index ix = {0}; /* tid -> its open wait_begin, or &closed */
	for (int i = 0; i < p->nev; i++) {
		const struct event *e = p->ev[i];
		if ((tid && e->tid != tid) || e->t > until)
			continue;
		if (e->type == EV_WAIT_BEGIN)
			index_put(&ix, e->tid, (void *)e);
		else if (e->type == EV_REAP || e->type == EV_WAIT_END)
			index_put(&ix, e->tid, &closed);
	}
	for (int i = p->nev - 1; i >= 0 && !open; i--)
		if (p->ev[i]->type == EV_WAIT_BEGIN && p->ev[i]->t <= until && index_get(&ix, p->ev[i]->tid) == p->ev[i])
			open = p->ev[i];
	index_free(&ix);
	return open;
}


/* p's traced children a wait for target (waitpid's pid argument) that began at time t could
 * return: started before until (a child's first line may come after its parent's wait began), not
 * reaped before t; at most max into out, the count returned */
static int children_waited(const struct report *r, const struct proc *p, long long target, uint64_t t,
			   uint64_t until, struct proc **out, int max)
{
	int n = 0;
	struct index reaped = {0}; /* the pids p reaped before t (a reap line of any thread) */
	for (int i = 0; i < p->nev; i++)
		if (p->ev[i]->type == EV_REAP && p->ev[i]->t < t)
			index_put(&reaped, ev_dec(p->ev[i], 1), p->ev[i]);
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *q = r->procs[i];
		const struct event *gone;
		if (q == p || q->ppid != p->pid || q->t_first > until || (target > 0 && q->pid != target) ||
		    ((gone = index_get(&reaped, q->pid)) && gone->t >= q->t_first))
			continue;
		if (target > 0) /* a pid used again: the latest */
			n = 0;
		if (n < max)
			out[n] = q;
		n++;
	}
	index_free(&reaped);
	return n;
}

/* what happened to child q, in words after "which": "hung in its own teardown (PHASE) and was
 * killed by SIGTERM"; malloc'd */
static char *child_fate(const struct proc *q)
{
	int hung = 0;
	char *how, *s;
	for (int i = 0; i < q->nev && !hung; i++)
		hung = q->ev[i]->type == EV_HANG;
	if (q->exit_known && proc_how(q) && !strcmp(proc_how(q), "signal"))
		how = xasprintf("was killed by %s%s", signal_name(q->exit_signal), q->exit_core ? " (core dumped)" : "");
	else if (q->exit_known)
		how = xasprintf("exited with status %d", q->exit_status);
	else
		how = xstrdup("has no end in its trace (still running, or killed by a signal no trace shows)");
	if (hung || (q->exit_began && !q->ended))
		s = xasprintf("%s in its own teardown (%s) and %s", hung ? "hung" : "was still", q->end_phase ? q->end_phase : "?",
			      how);
	else
		s = xasprintf("%s", how);
	free(how);
	return s;
}

/* "waiting in waitpid for its child 812 (repro) for 4.980 s, which ..." for wait_begin line w of
 * p, up to time until; malloc'd */
char *wait_words(const struct report *r, const struct proc *p, const struct event *w, uint64_t until)
{
	struct proc *kids[4];
	const char *tok = ev_field(w, 1);
	long long target = strncmp(tok, "fd:", 3) ? ev_dec(w, 1) : 0;
	int n = strncmp(tok, "fd:", 3) ? children_waited(r, p, target, w->t, until, kids, 4) : 0;
	char *d = until > w->t ? duration_text(until - w->t) : NULL, *fate, *s;
	char *since = d ? xasprintf(" for %s", d) : xstrdup(""); /* unknown where the trace ends there */
	const char *whom = target > 0 ? "its child" : target == -1 ? "any child" : !strncmp(tok, "fd:", 3) ? "the child of pidfd"
										     : "a child in process group";
	if (n == 1) {
		fate = child_fate(kids[0]);
		s = xasprintf("waiting in %s for %s%s%d (%s)%s, which %s", ev_field(w, 0), whom,
			      target == -1 ? ": its only one, " : " ", kids[0]->pid,
			      kids[0]->prog->exe ? base_name(kids[0]->prog->exe) : "?", since, fate);
		free(fate);
	} else if (target > 0) {
		s = xasprintf("waiting in %s for its child %lld (not traced)%s", ev_field(w, 0), target, since);
	} else if (n > 1) {
		s = xasprintf("waiting in %s for %s %s(%d traced children not reaped, first %d (%s))%s",
			      ev_field(w, 0), whom, target < -1 ? tok + 1 : "", n, kids[0]->pid,
			      kids[0]->prog->exe ? base_name(kids[0]->prog->exe) : "?", since);
	} else {
		s = xasprintf("waiting in %s for %s %s%s", ev_field(w, 0), whom,
			      target < -1 || !strncmp(tok, "fd:", 3) ? tok + (target < -1 ? 1 : 3) : "", since);
	}
	free(since);
	free(d);
	return s;
}

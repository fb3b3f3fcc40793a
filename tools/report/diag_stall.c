/* diag_stall.c - a teardown that a termination signal interrupted before the hang watchdog's
 * first snapshot: someone waited (a terminal's Ctrl-C, timeout(1), a supervisor's second signal),
 * the process's handler took the signal and the process then ended by itself, so there is no
 * snapshot, no killed finding and no unfinished one, and without this rule no finding at all
 * (FRESH16: `timeout -s INT 1.2 tlstrace -- python3 hang.py`, an atexit callback that sleeps
 * forever, reported 0 findings; at 3 s the watchdog's snapshot made it a hang finding).
 * Kind `hang` (a warning: the process ended), without threads: where it waited is not known, and
 * the fix says how to see it (TLSTRACE_HANG_MS). */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* A stall shorter than this is not one: a termination signal that comes a moment after a
 * teardown began (a supervisor's SIGTERM to every worker, one of which was exiting anyway) says
 * nothing of a wait. 250 ms is well above the teardowns of the cases and servers tested (under
 * 10 ms; python3 with a thread to join, under 50 ms) and below the first snapshot's default,
 * TLSTRACE_HANG_MS=2000. */
#define STALL_MIN_NS 250000000ull

/* the termination signals a person or a supervisor sends to stop a stuck process */
static int stop_signal(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

/* p's first hang_arm line, NULL if the watchdog was never armed or p has a snapshot (EV_HANG: the
 * hang rule, diag_hang.c, says all this with the snapshot) */
static const struct event *armed_without_snapshot(const struct proc *p)
{
	const struct event *arm = NULL;
	for (int k = 0; k < p->nev; k++) {
		const struct event *e = proc_ev(p, k);
		if (e->type == EV_HANG)
			return NULL;
		if (e->type == EV_HANG_ARM && !arm)
			arm = e;
	}
	return arm;
}

/* whether r has a finding on p of a kind that tells how its teardown ended (hang, killed,
 * unfinished, signal-handler): this rule adds nothing to those */
static int ending_told(const struct report *r, const struct proc *p)
{
	for (int i = 0; i < r->nfindings; i++) {
		const struct finding *f;
		if (finding_proc(r, i) != p)
			continue;
		f = finding_at(r, i);
		if (!strcmp(f->kind, "hang") || !strcmp(f->kind, "killed") || !strcmp(f->kind, "unfinished") ||
		    !strcmp(f->kind, "signal-handler"))
			return 1;
	}
	return 0;
}

/* the teardown step each stop signal's arrival at a handler came in (phase_of at the walk: "main
 * returned 0 > atexit handler drain()"), by the arrival's event; freed at the report's end */
static struct index arrival_phase;

static void stall_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	const struct event *e = proc_ev(p, at);
	(void)r;
	if (e->type == EV_SIG_ARRIVE && stop_signal((int)ev_dec(e, 0)) && !strcmp(ev_field(e, 5), "fn") && t->exit_at)
		index_put(&arrival_phase, (long long)(uintptr_t)e, phase_of(p, t, e->py));
}

static void stall_report_end(struct report *r)
{
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		const struct event *arm, *a = NULL;
		if ((opt.pid && p->pid != opt.pid) || !p->exit_known || !proc_how(p) || !strcmp(proc_how(p), "signal") ||
		    !(arm = armed_without_snapshot(p)))
			continue;
		for (int k = 0; k < p->nev && !a; k++) {
			const struct event *e = proc_ev(p, k);
			if (e->type == EV_SIG_ARRIVE && e->t >= arm->t + STALL_MIN_NS && stop_signal((int)ev_dec(e, 0)) &&
			    !strcmp(ev_field(e, 5), "fn"))
				a = e;
		}
		if (!a || ending_told(r, p))
			continue;
		const char *why = ev_field(arm, 0);
		int sig = (int)ev_dec(a, 0), py_fin = !strcmp(why, "py_fin_stack") || !strcmp(why, "py_fin");
		char *waited = duration_text(a->t - arm->t), *left = duration_text(proc_ev(p, p->nev - 1)->t - a->t);
		char *from = arrival_from_words(r, p, a);
		char *handler = arrival_handler_named(p, a, 0);
		/* (CPython's C-level handler with no Python function named: SIGINT's is Python's default,
		 * signal.default_int_handler, unless a signal.signal the trace does not name replaced it) */
		char *ran = sig == SIGINT && !strcmp(handler, "Python handler")
				    ? xstrdup("CPython's handler (under Python's default SIGINT handler, a KeyboardInterrupt "
					      "raised in the main thread, which ends its wait)")
				    : xasprintf("its handler, %s", handler);
		struct finding *f = add_finding(r, "hang", SEV_WARNING, p, a);
		f->tid = a->tid;
		const char *ph = index_get(&arrival_phase, (long long)(uintptr_t)a);
		f->phase = py_fin ? xstrdup("Py_FinalizeEx (threading shutdown, Python atexit callbacks)")
			   : ph ? xstrdup(ph) : xasprintf("in its teardown (%s)", teardown_words(why));
		f->message = xasprintf(
			"process %d (%s) was still in its teardown %s after it began (%s%s) when %s %s arrived and ran %s; "
			"the process then ended %s later with exit status %d. No snapshot: the hang watchdog's first "
			"comes at %s ms (TLSTRACE_HANG_MS)",
			p->pid, prog_of(p), waited, teardown_words(why),
			py_fin ? ", seen at a blocking wait: joining the non-daemon threads or in an atexit callback" : "",
			signal_name(sig), from, ran,
			left, p->exit_status, ev_field(arm, 1));
		f->root_cause = xasprintf(
			"the teardown waited %s without ending, in %s, until the %s interrupted it%s; where it waited "
			"there is not in the trace, as the signal came before the first snapshot",
			waited, f->phase, signal_name(sig),
			py_fin ? ": Python's Py_FinalizeEx joins the non-daemon threads (threading._shutdown), then runs "
				 "the atexit callbacks, one after another on the main thread, so a thread that does not end "
				 "or a callback that does not return stops the shutdown there"
			       : "");
		f->fix = xasprintf("run it again with TLSTRACE_HANG_MS below %s (e.g. TLSTRACE_HANG_MS=%llu): the hang "
				   "watchdog then writes a snapshot of every thread before the signal (its stack, Python "
				   "traceback, what it waits on and who holds it), and the report names the wait",
				   waited, (unsigned long long)((a->t - arm->t) / 2000000u) < 1 ? 1ull
					   : (unsigned long long)((a->t - arm->t) / 2000000u));
		free(waited);
		free(left);
		free(from);
		free(handler);
		free(ran);
		finding_settle(f);
	}
	for (size_t i = 0; i < arrival_phase.cap; i++)
		free(arrival_phase.val[i]);
	index_free(&arrival_phase);
}

const struct diag_rule diag_stall = {"stall", stall_event, NULL, stall_report_end};

/* diag_outcome.c - how each process ended, told only from what the traces show:
 *   killed      it died by a signal: from a traced parent's reap line, from its own raise/kill of a
 *               signal whose default action ends it, or from the arrival of a termination
 *               signal that met the default action (sig_arrive), with the sender when a traced
 *               process sent it (kill lines) or as the arrival names it (pid, uid, name, traced
 *               or not); crashes the shim's handler reported are the crash rule's
 *   unfinished  its trace has no end (no exit_done, _exit or death) and no traced parent reaped it:
 *               the last event, the phase, the time since its teardown began; only in a trace
 *               of format version 2 or later (TLSTRACE_FORMAT_ENDS), which shows every end
 * A parent's reap line is the kernel's word: it overrides what the child's trace suggests. The
 * processes of all the traces given are searched, so a parent and child in different files meet. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

/* a signal whose default action ends the process */
static int fatal_by_default(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH: case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return 0;
	}
	return sig > 0 && sig < 65;
}

/* a kill line written before a signal to this process that meets the default action unblocked */
static int self_fatal(const struct event *e)
{
	return e->type == EV_KILL && !strcmp(ev_field(e, 4), "-") && !strcmp(ev_field(e, 6), "dfl") &&
	       !strcmp(ev_field(e, 7), "0") && fatal_by_default((int)ev_dec(e, 1));
}

static struct tstate *thread_find(struct pstate *ps, int tid)
{
	int i;
	for (i = 0; i < ps->nt; i++)
		if (ps->t[i].tid == tid)
			return &ps->t[i];
	return NULL;
}

/* a sig_arrive line of a signal that met the default action: the process died of it there */
static int arrival_fatal(const struct event *e)
{
	return e->type == EV_SIG_ARRIVE && !strcmp(ev_field(e, 5), "dfl") && fatal_by_default((int)ev_dec(e, 0));
}

static const struct event *handler_arm(const struct proc *v);

/* where v's main thread was in Python at the hang watchdog's last complete snapshot: its
 * innermost frame ('"app.py", line 5 in h'), malloc'd; NULL if no snapshot has its traceback */
static char *py_main_where(const struct proc *v)
{
	char *w = NULL;
	for (int i = 0; i < v->nev; i++) {
		if (proc_ev(v, i)->type != EV_HANG || !hang_snapshot_complete(v, proc_ev(v, i)))
			continue;
		for (int k = i + 1; k < v->nev && proc_ev(v, k)->type != EV_HANG && proc_ev(v, k)->type != EV_KILL_SNAP; k++) {
			const struct event *e = proc_ev(v, k);
			char *text, *at;
			if (e->type != EV_HANG_PY || ev_dec(e, 0) != v->pid)
				continue;
			text = decode_str(ev_field(e, 1));
			if ((at = strstr(text, "File \"")) != NULL) {
				free(w);
				w = xstrdup(at + 5);
				free(text);
				break;
			}
			free(text);
		}
	}
	return w;
}

/* '"/x/pyterm.py", line 5 in on_term' (a traceback line's text from File) as "on_term
 * (pyterm.py:5)"; malloc'd, NULL if it is not such a line */
static char *py_frame_short(const char *at)
{
	const char *q = strchr(at + 6, '"'), *ln, *in;
	char *file;
	if (!q || !(ln = strstr(q, ", line ")) || !(in = strstr(ln, " in ")))
		return NULL;
	file = xasprintf("%.*s", (int)(q - at - 6), at + 6);
	char *s = xasprintf("%s (%s:%d)", in + 4, base_name(file), atoi(ln + 7));
	free(file);
	return s;
}

/* The Python-level handler CPython's C-level handler (the arrival a of v ran it) stands for, where
 * the hang watchdog's last complete snapshot shows it on the main thread: "on_term (pyterm.py:5)".
 * Where the snapshot has a hang_pyhandler line (the shim found the handler's frame: 3.11,
 * shim/python.c py_handler_frame), that frame of the main thread's traceback, when the traceback
 * has the number of frames the line says (else the two were read at different moments). Else
 * the innermost frame of the program's own (not the standard library's) when the frame that
 * called it is the module's top level (the handler runs from the interrupted frame, so that
 * frame is the handler); "" where the traceback cannot tell the handler from a function the main
 * code called (a deeper own frame under it). NULL if a's handler is not CPython's or no snapshot
 * has the main thread's traceback. malloc'd */
char *py_handler_named(const struct proc *v, const struct event *a)
{
	char *name = NULL;
	if (!cpython_signal_handler(v, ev_field(a, 4)))
		return NULL;
	for (int i = 0; i < v->nev; i++) {
		int own = -1; /* 1 once the innermost own frame was read, then the verdict on the next */
		int nfile = 0, place;
		const struct event **files = NULL; /* the main thread's hang_py lines that are frames */
		if (proc_ev(v, i)->type != EV_HANG || !hang_snapshot_complete(v, proc_ev(v, i)))
			continue;
		for (int k = i + 1; k < v->nev && proc_ev(v, k)->type != EV_HANG && proc_ev(v, k)->type != EV_KILL_SNAP; k++) {
			const struct event *e = proc_ev(v, k);
			char *text, *at, *nm;
			if (e->type != EV_HANG_PY || ev_dec(e, 0) != v->pid)
				continue;
			text = decode_str(ev_field(e, 1));
			if ((at = strstr(text, "File \"")) != NULL) {
				files = xrealloc(files, (size_t)(nfile + 1) * sizeof *files);
				files[nfile++] = e;
			}
			if (own == 2 || !at) {
				; /* (the rule without the shim's line: settled) */
			} else if (own == 1) { /* the frame that called it */
				if (strlen(text) < 12 || strcmp(text + strlen(text) - 12, " in <module>"))
					name[0] = 0;
				own = 2;
			} else if (!strstr(at, "/threading.py\"") && !strstr(at, "/lib/python3") && (nm = py_frame_short(at))) {
				free(name);
				name = nm;
				own = 1;
			}
			free(text);
		}
		if (own == 1 && name) /* (no caller shown: not told apart) */
			name[0] = 0;
		place = hang_pyhandler_place(v, proc_ev(v, i), v->pid, nfile);
		if (place >= 0 && place < nfile) {
			char *text = decode_str(ev_field(files[place], 1)), *marked = py_frame_short(strstr(text, "File \""));
			if (marked) {
				free(name);
				name = marked;
			}
			free(text);
		}
		free(files);
	}
	return name ? name : NULL;
}

/* arrival_handler_named (diag.h): "Python handler on_term (pyterm.py:7)" for CPython's C-level
 * handler (its Python-level one, py_handler_named: "Python handler" alone where the traceback
 * does not tell it), else the C handler where the thread that took the signal is in it in the
 * last complete snapshot (code_where: "on_term (handler_hang.c:20) in handler_hang") */
char *arrival_handler_named(const struct proc *v, const struct event *a, int at)
{
	const char *tok = ev_field(a, 4);
	char *s, *fn = handler_func_name(v, tok);
	if (cpython_signal_handler(v, tok)) {
		char *py = py_handler_named(v, a), *par = py ? strstr(py, " (") : NULL;
		if (at && par && par[strlen(par) - 1] == ')')
			s = xasprintf("Python handler %.*s at %.*s", (int)(par - py), py, (int)strlen(par + 2) - 1, par + 2);
		else
			s = xasprintf("Python handler%s%s", py && *py ? " " : "", py ? py : "");
		free(py);
	} else {
		int n;
		struct frame *bt = hang_last_frames(v, a->tid, &n);
		s = code_where(v, tok, bt, n, at);
		free(bt);
	}
	if (!s) {
		s = fn;
		fn = NULL;
	}
	free(fn);
	return s;
}

/* the handler the arrival a (of v) ran, in words: "loop_sigint (libplugin.so)", or CPython's
 * C-level handler named as what it is, with where the main thread was in Python when the hang
 * watchdog last looked, and the function given to signal.signal where its sig_handler_pyfn line
 * names it (py_arrival_handler); malloc'd */
/* the function at code tok of v and its module where the name does not say it: "end_me
 * (uwsgi-core)"; malloc'd */
static char *code_fn_words(const struct proc *v, const char *tok)
{
	const struct module *m = code_module(v, tok);
	char *fn = handler_func_name(v, tok), *s;
	if (m && strncmp(fn, base_name(m->path), strlen(base_name(m->path))) != 0)
		s = xasprintf("%s (%s)", fn, base_name(m->path));
	else
		s = xstrdup(fn);
	free(fn);
	return s;
}

char *arrival_handler_words(const struct proc *v, const struct event *a)
{
	const char *tok = ev_field(a, 4);
	char *s, *w;
	if (cpython_signal_handler(v, tok)) {
		char *py = py_arrival_handler(v, a); /* (its sig_handler_pyfn line, where written) */
		const struct module *m = code_module(v, tok);
		w = py_main_where(v);
		/* (by its name in CPython's source, Modules/signalmodule.c, not module+offset: static,
		 * so unnamed in Debian's stripped python3) */
		s = xasprintf("CPython's C-level signal handler (signal_handler in %s), which only marks the signal: the Python-level "
			      "handler%s%s%s runs later on the main thread%s%s", m ? base_name(m->path) : "the interpreter",
			      py ? ", " : " (given to signal.signal)", py ? py : "", py ? "," : "", w ? ", which was at " : "", w ? w : "");
		free(py);
		free(w);
	} else
		s = code_fn_words(v, tok);
	return s;
}

const struct event *proc_last_fatal(const struct proc *p)
{
	int i;
	for (i = p->nev - 1; i >= 0; i--)
		if (self_fatal(proc_ev(p, i)) || arrival_fatal(proc_ev(p, i)))
			return proc_ev(p, i);
	return NULL;
}

/* 1 if p has an exit_done line before the event a (both p's) */
static int exit_done_before(const struct proc *p, const struct event *a)
{
	for (int i = 0; i < p->nev && proc_ev(p, i) != a; i++)
		if (proc_ev(p, i)->type == EV_EXIT_DONE)
			return 1;
	return 0;
}

/* After the walk of p: its own fatal raise, and where it stood at its end. */
static void outcome_proc_end(struct report *r, struct proc *p, struct pstate *ps)
{
	const struct event *last = p->nev ? proc_ev(p, p->nev - 1) : NULL, *self = NULL;
	struct tstate *t = NULL;
	int k;
	(void)r;
	if (!last)
		return;
	/* the signal ended it before the call returned: nothing follows on that thread */
	self = proc_last_fatal(p);
	for (k = p->nev - 1; self && proc_ev(p, k) != self; k--)
		if (proc_ev(p, k)->tid == self->tid && !kill_snap_line(p, k)) /* (its snapshot at the kill: before it died) */
			self = NULL;
	/* exit_done is the end of the atexit handlers, not of the process: exit() flushes stdio next
	 * (glibc stdlib/exit.c, _IO_cleanup after __run_exit_handlers' list), and that flush may block
	 * (a pipe nobody reads) until a signal kills it. A fatal arrival after exit_done is the
	 * outcome, over the status exit() was given (a parent's reap, applied later, still overrides) */
	if (self && self->type == EV_SIG_ARRIVE && p->exit_known && p->ended && !p->execed && proc_how(p) &&
	    (!strcmp(proc_how(p), "exit") || !strcmp(proc_how(p), "main_return")) && exit_done_before(p, self))
		p->exit_known = 0;
	if (self && !p->exit_known && !p->execed) {
		p->exit_known = 1;
		proc_set_how(p, "signal");
		if (self->type == EV_SIG_ARRIVE) { /* the sender is found at the end (killed_finding) */
			p->exit_signal = (int)ev_dec(self, 0);
			if (fate_of(p)->killed_by) /* (killer is set with it) */
				proc_fate(p)->killed_by = NULL, proc_fate(p)->killer = NULL;
		} else {
			p->exit_signal = (int)ev_dec(self, 1);
			if (p->side) {
				proc_fate(p)->killed_by = self;
				proc_fate(p)->killer = p;
			} else
				p->killed_self = 1; /* (its fate without a side block: fate_of) */
		}
	}
	if (fate_of(p)->killed_by)
		t = thread_find(ps, fate_of(p)->killed_by->tid);
	else if (self && self->type == EV_SIG_ARRIVE)
		t = thread_find(ps, self->tid);
	else if (proc_exit_began(p))
		t = thread_find(ps, proc_exit_began(p)->tid);
	if (!t) /* never began to end: the main thread's state says most */
		t = thread_find(ps, p->pid);
	if (!t)
		t = thread_find(ps, last->tid);
	if (t) {
		proc_set_end_tid(p, t->tid);
		proc_set_end_phase(p, phase_of(p, t, walk_ev(t->last_at) ? walk_ev(t->last_at)->py : last->py));
	}
	/* no teardown step, and the handler of the termination signal that arrived on that thread
	 * had not returned when the watchdog looked: that handler is where it stood */
	const struct event *a = handler_arm(p) ? teardown_signal(p) : NULL;
	if (a && t && a->tid == t->tid && (!proc_end_phase(p) || !strcmp(proc_end_phase(p), "running")) &&
	    why_py_after(ev_field(handler_arm(p), 0))) {
		/* handler_py: the main thread blocked on a Python lock with no frame of the code that runs
		 * Python's handlers on its stack (shim/python.c): after the handler, not in it;
		 * py_after_handler: a long sleep, poll or timed wait of the main thread soon after the
		 * arrival, outside the handler (py_reaction_sleeps) */
		char *w = py_main_where(p);
		int lock = !strcmp(ev_field(handler_arm(p), 0), "handler_py");
		proc_set_end_phase(p, xasprintf(lock ? "after the %s handler: the main thread blocked on a Python lock outside "
						       "Python's handler (it returned, or had not yet run)%s%s"
						     : "after %s's arrival at Python's handler: the main thread in a long wait "
						       "(a sleep, a poll or a timed wait)%s%s",
						signal_name((int)ev_dec(a, 0)), w ? ", at " : "", w ? w : ""));
		free(w);
	} else if (a && t && a->tid == t->tid && (!proc_end_phase(p) || !strcmp(proc_end_phase(p), "running"))) {
		char *h = arrival_handler_words(p, a);
		proc_set_end_phase(p, xasprintf("in the %s handler: %s", signal_name((int)ev_dec(a, 0)), h));
		free(h);
	}
	/* the same for a SIGHUP handler the watchdog found still running (no teardown: a reload) */
	a = hang_hup_arrival(p);
	if (a && t && a->tid == t->tid && (!proc_end_phase(p) || !strcmp(proc_end_phase(p), "running"))) {
		char *h = arrival_handler_words(p, a);
		proc_set_end_phase(p, xasprintf("in the SIGHUP handler (often a reload): %s", h));
		free(h);
	}
}

/* the processes by pid (then order of appearance), so that a lookup by pid does not walk them
 * all: a trace may hold hundreds of thousands of processes */
struct bypid {
	struct proc **p; /* r->procs itself when that is in pid order already (own: 0) */
	int n, own;
};

static int pid_order(const void *a, const void *b)
{
	const struct proc *x = *(struct proc *const *)a, *y = *(struct proc *const *)b;
	return x->pid != y->pid ? (x->pid < y->pid ? -1 : 1) : x->index - y->index;
}

/* the n processes at a into pid_order in place: a heap sort (qsort would take another n
 * pointers while it sorts, at the report's peak of memory) */
static void pid_sort(struct proc **a, size_t n)
{
	size_t i, end;
	for (end = n, i = n / 2; end > 1;) {
		size_t root, child;
		struct proc *t;
		if (i > 0)
			i--; /* building the heap */
		else { /* the largest to the end */
			t = a[0], a[0] = a[--end], a[end] = t;
		}
		for (root = i; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && pid_order(&a[child], &a[child + 1]) < 0)
				child++;
			if (pid_order(&a[root], &a[child]) >= 0)
				break;
			t = a[root], a[root] = a[child], a[child] = t;
		}
	}
}

/* (processes mostly appear in pid order: then r->procs is the order, no copy of it is made) */
static void bypid_build(struct bypid *bp, struct report *r)
{
	int i;
	bp->n = r->nprocs;
	for (i = 1; i < bp->n && pid_order(&r->procs[i - 1], &r->procs[i]) < 0; i++)
		;
	bp->own = i < bp->n;
	if (!bp->own) {
		bp->p = r->procs;
		return;
	}
	bp->p = xmalloc((size_t)bp->n * sizeof *bp->p);
	memcpy(bp->p, r->procs, (size_t)bp->n * sizeof *bp->p);
	pid_sort(bp->p, (size_t)bp->n);
}

/* the first place of pid in bp (bp->n if none) */
static int bypid_first(const struct bypid *bp, int pid)
{
	int lo = 0, hi = bp->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (bp->p[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the process that reap line e (written by parent) is about: same pid, parent's child, started
 * before it was reaped (the latest such: a pid is reused, an exec starts a new process) */
static struct proc *reaped_proc(const struct bypid *bp, const struct proc *parent, const struct event *e)
{
	struct proc *best = NULL;
	int pid = (int)ev_dec(e, 1), i;
	for (i = bypid_first(bp, pid); i < bp->n && bp->p[i]->pid == pid; i++) {
		struct proc *v = bp->p[i];
		if (v->pid == pid && v != parent && v->ppid == parent->pid && proc_t_first(v) <= e->t &&
		    (!best || proc_t_first(v) >= proc_t_first(best)))
			best = v;
	}
	return best;
}

static void apply_reap(struct proc *v, struct proc *parent, const struct event *e)
{
	int sig = !strcmp(ev_field(e, 2), "signal"), value = (int)ev_dec(e, 3);
	proc_fate(v)->reap = e;
	proc_fate(v)->reaper = parent;
	v->exit_core = (unsigned char)ev_dec(e, 4) != 0; /* (its low byte: an unsigned char before) */
	if (v->exit_known && proc_how(v) && (strcmp(proc_how(v), "signal") == 0) == sig &&
	    (sig ? v->exit_signal == value : (v->exit_status & 0xff) == value))
		return; /* the trace already said so */
	v->exit_known = 1;
	v->exit_signal = sig ? value : 0;
	v->exit_status = sig ? 0 : value;
	proc_set_how(v, sig ? "signal" : "reap");
	if (fate_of(v)->killed_by && fate_of(v)->killer == v && (!sig || value != (int)ev_dec(fate_of(v)->killed_by, 1)))
		proc_fate(v)->killed_by = NULL, proc_fate(v)->killer = NULL;
}

/* every kill line of the report, by process then in order (outcome_report_end builds it and
 * frees it), and the same by target pid: what sender_of and signals_received search, only the
 * lines that can aim at the process asked about (a supervisor that signals 100000 workers). Each
 * array is counted first and made to size: 4 bytes per kill line (its place in ev_refs: kill_line;
 * its sender is the process whose events hold that place, kill_sender), 8 more for one aimed at a
 * pid a process can have (a target outside an int's range names none, and a line that can aim at
 * its sender only is found among its sender's lines: kill_aimed; kept in kills.at only) */
struct aimed {
	int pid; /* the target as given */
	int at;  /* its place in kills.at */
};

static struct {
	unsigned *at;         /* each line's place in ev_refs (kill_line), in the order of r->procs and
			       * their events: a process's events are together there, in that order */
	struct aimed *by_pid; /* sorted by pid, then place */
	int n, naimed;        /* kill lines; those in by_pid */
	const struct report *r;
} kills;

/* the process that wrote kill line i */
static struct proc *kill_sender(int i)
{
	int lo = 0, hi = kills.r->nprocs;
	while (lo < hi) { /* the first process whose events begin past it */
		int mid = lo + (hi - lo) / 2;
		if (kills.r->procs[mid]->ev <= kills.at[i])
			lo = mid + 1;
		else
			hi = mid;
	}
	return kills.r->procs[lo - 1]; /* (one with no event before it begins where it does) */
}

/* kill line i (of kills.at) */
static const struct event *kill_line(int i)
{
	return ev_of_ref(kills.at[i]);
}

static int aimed_order(const void *a, const void *b)
{
	const struct aimed *x = a, *y = b;
	return x->pid != y->pid ? (x->pid < y->pid ? -1 : 1) : x->at - y->at;
}

/* 1 if kill line i needs a place in by_pid: its target fits an int, and is not only its sender
 * (a raise, or a kill of its own pid, by a process whose pid no other process of r had: kills_from
 * finds it among its sender's own lines, and no other process can be its target) */
static int kill_aimed(const struct bypid *bp, int i)
{
	long long pid = ev_dec(kill_line(i), 2);
	int k;
	if (pid != (int)pid)
		return 0;
	if (pid != kill_sender(i)->pid)
		return 1;
	k = bypid_first(bp, (int)pid);
	return k + 1 < bp->n && bp->p[k + 1]->pid == (int)pid;
}

static void kills_build(const struct report *r, const struct bypid *bp)
{
	int i, k, n = 0;
	for (i = 0; i < r->nprocs; i++)
		for (k = 0; k < r->procs[i]->nev; k++)
			n += proc_ev(r->procs[i], k)->type == EV_KILL;
	kills.r = r;
	kills.n = kills.naimed = 0;
	kills.at = xmalloc((size_t)(n ? n : 1) * sizeof *kills.at);
	for (i = 0; i < r->nprocs; i++)
		for (k = 0; k < r->procs[i]->nev; k++)
			if (proc_ev(r->procs[i], k)->type == EV_KILL) {
				kills.at[kills.n++] = r->procs[i]->ev + (unsigned)k;
			}
	for (i = 0; i < kills.n; i++)
		n -= !kill_aimed(bp, i);
	kills.by_pid = xmalloc((size_t)(n ? n : 1) * sizeof *kills.by_pid);
	for (i = 0; i < kills.n; i++)
		if (kill_aimed(bp, i))
			kills.by_pid[kills.naimed++] = (struct aimed){(int)ev_dec(kill_line(i), 2), i};
	qsort(kills.by_pid, (size_t)kills.naimed, sizeof *kills.by_pid, aimed_order);
}

/* The kill lines that may aim at v, in kills.at's order: those given v's pid, those given its
 * pid as a process group's (killpg, kill of -pid: v leads that group), those given another group
 * v was in (pgrp.c: a member it does not lead) or 0 (another member's kill of its own group), and
 * those v wrote (kills.at holds each process's together). Start with kills_from(&it, v);
 * kills_next returns the next place in kills.at, -1 at the end. */
#define KILLS_HEADS 8
struct kills_iter {
	int n;
	struct {
		int cur, end; /* places in kills.by_pid (own: in kills.at) */
		int own;
	} h[KILLS_HEADS]; /* [0] v's own lines, [1] given v's pid, [2] given -v's pid, then the
			   * others */
};

/* v's own kill lines: places *b up to *end (excluded) of kills.at */
static void kills_own(const struct proc *v, int *b, int *end)
{
	int lo = 0, hi = kills.n;
	while (lo < hi) { /* the first written by v or a later process */
		int mid = lo + (hi - lo) / 2;
		if (kills.at[mid] < v->ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*b = *end = lo; *end < kills.n && kills.at[*end] < v->ev + (unsigned)v->nev; ++*end)
		;
}

/* the entries of kills.by_pid given pid: places *from up to *end (excluded) */
static void kills_given(int pid, int *from, int *end)
{
	int lo = 0, hi = kills.naimed;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (kills.by_pid[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*from = *end = lo; *end < kills.naimed && kills.by_pid[*end].pid == pid; ++*end)
		;
}

static void kills_from(struct kills_iter *it, const struct proc *v)
{
	int groups[KILLS_HEADS - 4], ng = pgrp_groups(v, groups, KILLS_HEADS - 4);
	it->n = 3;
	kills_own(v, &it->h[0].cur, &it->h[0].end);
	it->h[0].own = 1;
	kills_given(v->pid, &it->h[1].cur, &it->h[1].end);
	kills_given(-v->pid, &it->h[2].cur, &it->h[2].end);
	it->h[1].own = it->h[2].own = 0;
	for (int g = 0; g < ng; g++)
		if (groups[g] != v->pid && groups[g] > 1) {
			kills_given(-groups[g], &it->h[it->n].cur, &it->h[it->n].end);
			it->h[it->n++].own = 0;
		}
	if (ng) { /* (another member's kill of 0: its own group) */
		kills_given(0, &it->h[it->n].cur, &it->h[it->n].end);
		it->h[it->n++].own = 0;
	}
}

static int kills_next(struct kills_iter *it)
{
	int next = -1;
	/* the least of the heads; a line in two of them (v's own kill of itself or its group) is
	 * taken from both at once */
	for (int k = 0; k < it->n; k++)
		if (it->h[k].cur < it->h[k].end) {
			int at = it->h[k].own ? it->h[k].cur : kills.by_pid[it->h[k].cur].at;
			if (next < 0 || at < next)
				next = at;
		}
	if (next < 0)
		return -1;
	for (int k = 0; k < it->n; k++)
		if (it->h[k].cur < it->h[k].end && (it->h[k].own ? it->h[k].cur : kills.by_pid[it->h[k].cur].at) == next)
			it->h[k].cur++;
	return next;
}

/* a kill line aimed at v (its pid, its thread, or a process group it was in then: killpg or kill
 * of -pgid, whose group id is its leader's pid, a pid the kernel does not give another process
 * while the group lasts; kill of 0 by another member, its own group: pgrp.c), at or before
 * 'until' */
static int aims_at(const struct event *e, const struct proc *v, const struct proc *sender, uint64_t until)
{
	long long pid = ev_dec(e, 2);
	int g;
	if (e->type != EV_KILL || e->t < proc_t_first(v) || e->t > until)
		return 0;
	/* (not -1 for pid 1, a container's init: kill(-1) is every process the sender may signal,
	 * init and itself excluded) */
	if (pid == v->pid || (pid == -(long long)v->pid && v->pid != 1) ||
	    (sender == v && (pid <= 0 || !strcmp(ev_field(e, 0), "raise"))))
		return 1;
	if (pid < -1 || (pid == 0 && sender && sender != v && strcmp(ev_field(e, 0), "raise")))
		return (g = pgrp_at(v, e->t)) > 0 && (pid ? -pid == g : pgrp_at(sender, e->t) == g);
	return 0;
}

/* 1 if kill line e names a group (killpg, kill of 0 or a negative pid) */
static int kill_of_group(const struct event *e) { return ev_dec(e, 2) <= 0 || !strcmp(ev_field(e, 0), "killpg"); }

/* the latest signal sig sent to v by a traced process (any if sig is 0); not a group kill of the
 * same signal by the same sender within 1 s after one aimed at v's pid, which came first (timeout(1)
 * signals its command, then its group: the command had the signal already) */
static const struct event *sender_of(struct report *r, const struct proc *v, int sig, uint64_t until, struct proc **who)
{
	const struct event *best = NULL;
	struct kills_iter it;
	int i;
	(void)r;
	for (kills_from(&it, v); (i = kills_next(&it)) >= 0;) {
		const struct event *e = kill_line(i);
		if (best && kill_sender(i) == *who && kill_of_group(e) && !kill_of_group(best) &&
		    ev_dec(e, 1) == ev_dec(best, 1) && e->t >= best->t && e->t - best->t < 1000000000u)
			continue;
		if (aims_at(e, v, kill_sender(i), until) && (!sig || ev_dec(e, 1) == sig) && (!best || e->t >= best->t)) {
			best = e;
			*who = kill_sender(i);
		}
	}
	return best;
}

static struct bypid *outcome_bp; /* outcome_report_end's, for killed_finding */
/* unfinished_fix's last parent and the wait open at its end (reset with outcome_bp) */
static const struct proc *memo_pp;
static const struct event *memo_pw;

/* The group kill (killpg, or kill of 0 or a negative pid) that sent v the signal of its arrival
 * line arr: a line of the traced process whose pid arr names, alive then, with that signal, aimed
 * at a group, the nearest to the arrival in time (a kill line is written after the call: the
 * arrival may come first) within 1 s; its sender in *who. NULL if none: the group's members are
 * not in the trace, so the arrival's sender pid is what ties the two (ATK11: "sent by process N"
 * without the killpg call that sent it). */
static const struct event *group_sender_of(struct report *r, const struct proc *v, const struct event *arr, struct proc **who)
{
	long long from = ev_dec(arr, 2);
	const struct event *best = NULL;
	uint64_t best_d = 1000000000u;
	(void)r;
	if (!outcome_bp || from != (int)from)
		return NULL;
	for (int p = bypid_first(outcome_bp, (int)from); p < outcome_bp->n && outcome_bp->p[p]->pid == from; p++) {
		struct proc *s = outcome_bp->p[p];
		int i, end;
		if (s == v || proc_t_first(s) > arr->t)
			continue;
		for (kills_own(s, &i, &end); i < end; i++) { /* (its own lines, not those aimed at it) */
			const struct event *e = kill_line(i);
			uint64_t d = e->t > arr->t ? e->t - arr->t : arr->t - e->t;
			if (ev_dec(e, 1) != ev_dec(arr, 0) || d > best_d ||
			    (strcmp(ev_field(e, 0), "killpg") && ev_dec(e, 2) > 0))
				continue;
			best = e, best_d = d;
			*who = s;
		}
	}
	return best;
}

const char *prog_of(const struct proc *p)
{
	static char bufs[4][128];
	static int next;
	const char *exe = base_name(proc_prog(p)->exe), *a = proc_prog(p)->argv, *arg;
	char *out = bufs[next++ & 3], word[96];
	size_t n;
	if (strncmp(exe, "python", 6) || !a || !(a = strchr(a, ' ')))
		return exe;
	a++;
	if (!strncmp(a, "-m ", 3))
		a += 3;
	else if (*a == '-')
		return exe;
	n = strcspn(a, " ");
	snprintf(word, sizeof word, "%.*s", (int)n, a);
	arg = base_name(word);
	n = strlen(arg);
	if (n > 3 && !strcmp(arg + n - 3, ".py"))
		return exe;
	snprintf(out, sizeof bufs[0], "%s (%s)", arg, exe);
	return out;
}

/* The value of option opt ("--graceful-timeout") in p's command line, as "--opt VALUE" or
 * "--opt=VALUE" (the last one given, as argparse takes it); malloc'd, NULL if not there. Only
 * the command line: a config file or an environment variable (GUNICORN_CMD_ARGS) is not seen. */
char *argv_option(const struct proc *p, const char *opt)
{
	const char *a = proc_prog(p)->argv, *v = NULL;
	size_t k = strlen(opt), n = 0;
	for (; a && *a; a += strcspn(a, " "), a += *a == ' ') {
		size_t w = strcspn(a, " ");
		if (w == k && !strncmp(a, opt, k) && a[k] == ' ')
			v = a + k + 1, n = strcspn(v, " ");
		else if (w > k && !strncmp(a, opt, k) && a[k] == '=')
			v = a + k + 1, n = w - k - 1;
	}
	return v && n ? xasprintf("%.*s", (int)n, v) : NULL;
}

/* option_words (report.h) */
char *option_words(const struct proc *p, const char *opt, const char *dflt)
{
	char *v = argv_option(p, opt), *s;
	s = v ? xasprintf("%s (%s s in its command line)", opt, v) : xasprintf("%s (default %s)", opt, dflt);
	free(v);
	return s;
}

/* the last arrival of sig at v (any signal if sig is 0) up to until, or NULL */
static const struct event *arrival_of(const struct proc *v, int sig, uint64_t until)
{
	for (int i = v->nev - 1; i >= 0; i--) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_SIG_ARRIVE && e->t <= until && (!sig || ev_dec(e, 0) == sig))
			return e;
	}
	return NULL;
}

/* killing_arrival (report.h). A process-directed signal is taken by one thread that does not
 * block it (kernel signal.c complete_signal); the shim's handler for the default action keeps the signal blocked
 * on that thread while it writes its line and a snapshot, then re-sends it to that thread
 * (shim/signals.c term_default_handler, crash_die_with), which dies of it. A second such
 * signal meanwhile (timeout(1)'s kill of its command, then of its process group: t4) is taken by
 * another thread, whose handler waits up to 0.2 s for the snapshot (watchdog_kill_snapshot)
 * before its own re-send: so the thread that wrote a whole snapshot (kill_snap ... kill_snap_end)
 * ended the process, else the first arrival with the default action. A process that ran a
 * handler and raised sig again has no such arrival: its last arrival (arrival_of). */
const struct event *killing_arrival(const struct proc *v, int sig, uint64_t until)
{
	const struct event *snap = kill_snapshot_of(v, NULL), *first = NULL, *snapper = NULL;
	for (int i = 0; i < v->nev; i++) {
		const struct event *e = proc_ev(v, i);
		if (e->type != EV_SIG_ARRIVE || e->t > until || ev_dec(e, 0) != sig || strcmp(ev_field(e, 5), "dfl"))
			continue;
		if (!first)
			first = e;
		if (snap && e->tid == (int)ev_dec(snap, 3) && e->t <= snap->t)
			snapper = e;
	}
	return snapper ? snapper : first ? first : arrival_of(v, sig, until);
}

/* Words after the sender's uid of arrival a (its si_uid, field 3) where it is 65534, the default
 * overflow uid (/proc/sys/kernel/overflowuid): the kernel maps si_uid into the receiver's user
 * namespace (kernel/signal.c, from_kuid_munged), and a uid not mapped there reads as the overflow
 * uid, whatever the sender ran as; "" otherwise (a constant) */
static const char *overflow_uid_words(const struct event *a)
{
	return !strcmp(ev_field(a, 3), "65534") ? ": the overflow uid, unmapped in the receiver's user namespace (or nobody)"
						 : "";
}

/* "process 812 (timeout, uid 0)": who sent arrival a (v's), by its pid: the traced process of
 * that pid alive then, else the name the shim read at the arrival; "the kernel" when it sent it */
static char *arrival_sender(const struct proc *v, const struct event *a)
{
	int pid = atoi(ev_field(a, 2));
	const struct proc *s = sender_traced(kills.r, a); /* (senders.c: the latest of its pid begun before it) */
	const char *comm = sender_comm(kills.r, a);
	if (!strcmp(ev_field(a, 2), "-"))
		return xstrdup("the kernel (a terminal, or a fault)");
	if (pid == v->pid)
		return xstrdup("itself");
	if (s)
		return xasprintf("process %d (%s, traced; uid %s%s)", pid, prog_of(s), ev_field(a, 3), overflow_uid_words(a));
	return xasprintf("process %d (%s, not traced; uid %s%s)", pid, strcmp(comm, "-") ? comm : "gone when it arrived",
			 ev_field(a, 3), overflow_uid_words(a));
}


static const char *teardown_named(const struct proc *v);

/* The termination signal's arrival that began v's teardown, or NULL: the shim's watchdog armed
 * with "signal" (hang_arm) when the teardown (exit() from the program's handler, h3's uWSGI
 * worker) came less than TLSTRACE_HANG_MS after such an arrival at a handler of the program; the
 * arrival is the last one of SIGTERM, SIGINT or SIGQUIT at a handler before that hang_arm line (for
 * a handler's arm, "handler", "handler_py": the last of any signal). */
const struct event *teardown_signal(const struct proc *v)
{
	const struct event *a = NULL, *term = NULL;
	int i;
	for (i = 0; i < v->nev; i++) {
		const struct event *e = proc_ev(v, i);
		int sig = e->type == EV_SIG_ARRIVE ? (int)ev_dec(e, 0) : 0;
		if (sig && !strcmp(ev_field(e, 5), "fn")) {
			a = e;
			/* (the shim arms at SIGTERM's, SIGINT's or SIGQUIT's arrival only: shim/watchdog.c
			 * teardown_start; a SIGHUP another thread took just after, as Apache's event MPM
			 * child signals its own threads, did not begin it: t418 read "SIGHUP's arrival") */
			if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
				term = e;
		} else if (e->type == EV_HANG_ARM)
			return !strcmp(ev_field(e, 0), "signal") ? term
			       : why_handler(ev_field(e, 0)) && strcmp(ev_field(e, 0), "handler_hup") ? a : NULL;
	}
	return NULL;
}

/* v's first hang_arm line if it says "handler" (the program's handler of the arrival before it
 * had not returned after TLSTRACE_HANG_MS, and no teardown step came) or "handler_py" (the main
 * thread of Python blocked soon after the arrival at Python's handler), else NULL */
static const struct event *handler_arm(const struct proc *v)
{
	for (int i = 0; i < v->nev; i++)
		if (proc_ev(v, i)->type == EV_HANG_ARM)
			return why_handler(ev_field(proc_ev(v, i), 0)) ? proc_ev(v, i) : NULL;
	return NULL;
}

/* The arrival at a handler of the program's of a signal that the shim does not count as a
 * teardown's start (SIGHUP: often a reload; shim/watchdog.c teardown_start counts SIGTERM, SIGINT
 * and SIGQUIT only) right before the step that began v's teardown (proc_arrival_before_exit:
 * uWSGI's worker, whose gracefully_kill calls exit(17) in its SIGHUP handler as end_me calls
 * exit(30) in its SIGINT one). Its teardown is still counted from that step; the words name the
 * signal as for SIGINT's ("SIGHUP's arrival, then exit"): one wording for a stop by a signal.
 * NULL if none, or if the teardown began at a termination signal's arrival (teardown_signal). */
const struct event *teardown_step_after_signal(const struct proc *v)
{
	return teardown_signal(v) ? NULL : proc_arrival_before_exit(v);
}

/* What began v's teardown, in words: the first of exit(), main's return, Py_Finalize, and the
 * termination signal's arrival that led to it before them (or another signal's arrival at a
 * handler right before that step: teardown_step_after_signal); the same rule for the killed,
 * unfinished and hang findings. malloc'd */
char *teardown_began_text(const struct proc *v)
{
	const struct event *a = teardown_signal(v);
	const char *began = proc_exit_began(v) ? (proc_exit_began(v)->type == EV_MAIN_RETURN ? "main returned" : ev_name(proc_exit_began(v)))
			    : teardown_named(v);
	if (!a)
		a = teardown_step_after_signal(v);
	if (a && strcmp(began, "?"))
		return xasprintf("%s's arrival, then %s", signal_name((int)ev_dec(a, 0)), began);
	if (a && handler_arm(v)) {
		char *s;
		/* Python's C-level handler (python3's, or libpython's: unnamed without symbols) only
		 * marks the signal; the Python function it stands for is the one that blocked */
		if (!strcmp(ev_field(handler_arm(v), 0), "handler_py"))
			s = xasprintf("%s's arrival at Python's handler; the main thread blocked soon after", signal_name((int)ev_dec(a, 0)));
		else if (!strcmp(ev_field(handler_arm(v), 0), "py_after_handler"))
			s = xasprintf("%s's arrival at Python's handler; the main thread went on to a long wait soon after",
				      signal_name((int)ev_dec(a, 0)));
		else {
			/* (this text goes inside parentheses: "on_term at pyterm.py:5") */
			char *hn = arrival_handler_named(v, a, 1);
			s = xasprintf("%s's arrival; its %s%s never returned", signal_name((int)ev_dec(a, 0)),
				      strncmp(hn, "Python handler", 14) ? "handler " : "", hn);
			free(hn);
		}
		return s;
	}
	return xstrdup(a ? signal_name((int)ev_dec(a, 0)) : began);
}

/* Who sent arrival a of v, briefly, for a line that names the sender once: "process 812
 * (uwsgi-core)" (the traced process of that pid, else the name the shim read at the arrival),
 * "itself", "the kernel". malloc'd */
char *arrival_sender_brief(const struct proc *v, const struct event *a)
{
	int pid = atoi(ev_field(a, 2));
	const struct proc *s;
	const char *comm;
	if (!strcmp(ev_field(a, 2), "-"))
		return xstrdup("the kernel");
	if (pid == v->pid)
		return xstrdup("itself");
	s = sender_traced(kills.r, a);
	comm = sender_comm(kills.r, a);
	if (s)
		return xasprintf("process %d (%s)", pid, prog_of(s));
	return comm && strcmp(comm, "-") ? xasprintf("process %d (%s)", pid, comm) : xasprintf("process %d", pid);
}

/* teardown_began_text with the signal's sender and the exit's status where a signal's arrival
 * began it: "SIGHUP's arrival from process 812 (uwsgi-core), then exit(17)", so that a hang's one
 * line in the verdict says who stopped the process and how it went on (FRESH15b item 6, h3: "SIGHUP's
 * arrival, then exit"). malloc'd */
char *teardown_began_sent(const struct proc *v)
{
	const struct event *a = teardown_signal(v), *b = proc_exit_began(v);
	char *base = teardown_began_text(v), *from, *s, arrival[48];
	size_t k;
	if (!a)
		a = teardown_step_after_signal(v);
	if (!a)
		return base;
	k = (size_t)snprintf(arrival, sizeof arrival, "%s's arrival", signal_name((int)ev_dec(a, 0)));
	if (strncmp(base, arrival, k) || (strcmp(ev_field(a, 2), "-") && atoi(ev_field(a, 2)) == v->pid))
		return base; /* (one it sent itself: its own raise, said elsewhere) */
	from = arrival_sender_brief(v, a);
	if (b && b->type == EV_EXIT && strlen(base) >= 11 && !strcmp(base + strlen(base) - 11, ", then exit"))
		s = xasprintf("%s from %s%s(%lld)", arrival, from, base + k, ev_dec(b, 0));
	else
		s = xasprintf("%s from %s%s", arrival, from, base + k);
	free(from);
	free(base);
	return s;
}

/* python3 (libpython linked in) calls its own Py_FinalizeEx, which the shim cannot interpose: a
 * line whose state letter is A (the shim saw Py_FinalizeEx on the main thread's stack: the thread
 * joins and atexit callbacks; a termination signal's default action that ended the process there
 * writes its arrival so) is the first sign of that teardown, but not its start; so is one whose
 * letter is F (the runtime finalizing: after the atexit callbacks, where __del__ methods run;
 * python3's SIGINT restored by _PySignal_Fini is one). The first such event, or NULL */
static const struct event *finalize_seen(const struct proc *v)
{
	for (int i = 0; i < v->nev; i++)
		if (proc_ev(v, i)->py == PY_ATEXIT || proc_ev(v, i)->py == PY_FINALIZING)
			return proc_ev(v, i);
	return NULL;
}

/* when v's teardown began (exit, main's return, Py_Finalize, or the termination signal's arrival
 * that led to one: teardown_signal), trace ns; else the first sign of python3's own Py_FinalizeEx
 * (finalize_seen: it began no later); 0 if none */
static uint64_t teardown_start_seen(const struct proc *v);
static uint64_t teardown_start(const struct proc *v)
{
	uint64_t t = teardown_start_seen(v);
	return t ? t : finalize_seen(v) ? finalize_seen(v)->t : 0;
}

/* v ran Python in a program with libpython linked in (python3 itself: no libpython module), whose
 * own Py_FinalizeEx the shim sees only at a blocking wait, sleep or poll or a fatal signal's arrival
 * (finalize_seen): with no such sign, its teardown may still have begun */
static int finalize_unseen_possible(const struct proc *v)
{
	int i, py = 0;
	for (i = 0; i < v->nev && !py; i++)
		py = proc_ev(v, i)->py != PY_NONE; /* (n: python3 writes its first lines before it initializes) */
	for (i = 0; py && i < proc_nmods(v); i++)
		if (!strncmp(base_name(proc_mods(v)[i].path), "libpython", 9))
			return 0;
	return py;
}

/* teardown_start without the fallback of finalize_seen: a step the trace shows began it */
static uint64_t teardown_start_seen(const struct proc *v)
{
	const struct event *a = teardown_signal(v);
	int i;
	if (a)
		return a->t;
	for (i = 0; i < v->nev; i++) {
		int t = proc_ev(v, i)->type;
		if (t == EV_MAIN_RETURN || t == EV_EXIT || t == EV__EXIT || t == EV_QUICK_EXIT || t == EV_PY_FIN ||
		    t == EV_PY_END_INTERP || (t == EV_HANG_ARM && strcmp(ev_field(proc_ev(v, i), 0), "handler_hup")))
			return proc_ev(v, i)->t; /* (a SIGHUP handler's watch is no teardown) */
	}
	return 0;
}

/* what began the teardown of a process that did not call exit: the interposed Py_Finalize, a
 * sub-interpreter's destruction, or Py_FinalizeEx seen by the hang watchdog */
static const char *teardown_named(const struct proc *v)
{
	for (int i = 0; i < v->nev; i++) {
		int t = proc_ev(v, i)->type;
		if (t == EV_PY_END_INTERP)
			return "Py_EndInterpreter";
		/* (python3's own Py_FinalizeEx is seen where its main thread first blocks: it began
		 * before, and the time counts from there) */
		if (t == EV_HANG_ARM && py_fin_arm_arrival(v, proc_ev(v, i)))
			return !strcmp(ev_field(proc_ev(v, i), 0), "py_fin_late")
				? "python3's own Py_FinalizeEx, in its module teardown after the atexit callbacks, seen on the "
				  "main thread's stack by the hang watchdog after its Python handler of a termination signal "
				  "returned: it began before"
				: "python3's own Py_FinalizeEx, seen on the main thread's stack by the hang watchdog after "
				  "its Python handler of a termination signal returned: it began before";
		if (t == EV_HANG_ARM && !strcmp(ev_field(proc_ev(v, i), 0), "py_fin_late"))
			return "python3's own Py_FinalizeEx, in its module teardown after the atexit callbacks, seen at its "
			       "first blocking wait there: it began before";
		if (t == EV_HANG_ARM && !strcmp(ev_field(proc_ev(v, i), 0), "py_fin_stack"))
			return "python3's own Py_FinalizeEx, seen at its first blocking wait: it began before";
		if (t == EV_PY_FIN || (t == EV_HANG_ARM && !why_handler(ev_field(proc_ev(v, i), 0))))
			return "Py_Finalize";
	}
	return finalize_seen(v) ? "python3's own Py_FinalizeEx" : "?";
}

/* "SIGINT from 812 (supervisor) at +0.512 s, ... (times from the start of its teardown)": every
 * signal traced processes sent v, and every arrival, timed from t0 (proc_time_origin: the origin
 * of the finding's own time in the text report; its teardown's start, its trace's first line or its
 * timeline's first line, said at the end) */

/* t - t0 in seconds for a "%+.3f s" field: within half a millisecond of 0 it is +0.000, never
 * -0.000 (a line written a moment before the teardown's first) */
static double secs_signed(uint64_t t, uint64_t t0)
{
	double s = (double)(int64_t)(t - t0) / 1e9;
	return s > -0.0005 && s < 0.0005 ? 0.0 : s;
}
#define ARRIVALS_SAME_NS 10000000u /* 10 ms: arrivals that close are taken as one send seen twice */
static char *signals_received(struct report *r, const struct proc *v, uint64_t until, uint64_t t0)
{
	char buf[1024];
	size_t n = 0;
	int i, count = 0;
	struct kills_iter it;
	(void)r;
	buf[0] = 0;
	for (kills_from(&it, v); n < sizeof buf - 200 && (i = kills_next(&it)) >= 0;) {
		const struct event *e = kill_line(i);
		const struct proc *s = kill_sender(i);
		if (!aims_at(e, v, s, until))
			continue;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s (%s) from %s%d (%s) at %+.3f s", count++ ? ", " : "",
				      signal_name((int)ev_dec(e, 1)), ev_field(e, 0), s == v ? "itself, " : "",
				      s->pid, prog_of(s), secs_signed(e->t, t0));
	}
	/* and what arrived, as the shim saw it at the receiving end (senders traced or not) */
	for (i = 0; i < v->nev && n < sizeof buf - 300; i++) {
		const struct event *e = proc_ev(v, i);
		char *from, *h;
		if (e->type != EV_SIG_ARRIVE || e->t > until)
			continue;
		from = outcome_bp ? arrival_sender(v, e) : xstrdup(ev_field(e, 2));
		h = py_arrival_handler(v, e);
		if (h) { /* (CPython's C-level handler, named by the Python function it marks) */
			char *t = xasprintf("the Python handler %s", h);
			free(h);
			h = t;
		} else {
			h = handler_func_name(v, ev_field(e, 4));
		}
		/* the same signal from the same sender to the same end again within ARRIVALS_SAME_NS:
		 * one send seen twice (timeout(1) sends it to the process and to its process group;
		 * FRESH17b item 2), said once with its count and threads */
		int again = 0, last = i, prev_tid = e->tid;
		char tids[96], times[24];
		size_t tn = (size_t)snprintf(tids, sizeof tids, "%d", e->tid);
		for (int j = i + 1; j < v->nev; j++) {
			const struct event *x = proc_ev(v, j);
			if (x->type != EV_SIG_ARRIVE)
				continue;
			if (x->t > until || x->t - e->t > ARRIVALS_SAME_NS || ev_dec(x, 0) != ev_dec(e, 0) || !strcmp(ev_field(e, 2), "-") ||
			    strcmp(ev_field(x, 2), ev_field(e, 2)) || strcmp(ev_field(x, 4), ev_field(e, 4)) ||
			    strcmp(ev_field(x, 5), ev_field(e, 5)))
				break;
			again++, last = j;
			if (tn < sizeof tids - 16 && x->tid != prev_tid)
				tn += (size_t)snprintf(tids + tn, sizeof tids - tn, ", %d", x->tid);
			prev_tid = x->tid;
		}
		if (again)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s arrived %s from %s at %+.3f s, within %.1f ms "
					      "(a sender that signals the process and its group, as timeout(1) does, "
					      "delivers it twice), on thread%s %s, %s%s",
					      count++ ? ", " : "", signal_name((int)ev_dec(e, 0)),
					      again == 1 ? "twice" : (snprintf(times, sizeof times, "%d times", again + 1), times), from,
					      secs_signed(e->t, t0), (double)(proc_ev(v, last)->t - e->t) / 1e6,
					      strchr(tids, ',') ? "s" : "", tids,
					      !strcmp(ev_field(e, 5), "dfl") ? "default action" : !strcmp(ev_field(e, 5), "wait") ? "taken by sigwait" : "ran ",
					      !strcmp(ev_field(e, 5), "fn") ? h : "");
		else
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s arrived from %s at %+.3f s on thread %d, %s%s",
					      count++ ? ", " : "", signal_name((int)ev_dec(e, 0)), from,
					      secs_signed(e->t, t0), e->tid,
					      !strcmp(ev_field(e, 5), "dfl") ? "default action" : !strcmp(ev_field(e, 5), "wait") ? "taken by sigwait" : "ran ",
					      !strcmp(ev_field(e, 5), "fn") ? h : "");
		i = last;
		free(from);
		free(h);
	}
	/* one origin for the list, named: the finding's own (its time in the text report counts from
	 * there too) */
	return count ? xasprintf("%s (times from %s)", buf,
				 /* (python3's own Py_FinalizeEx first seen under way, its start unseen: since_teardown) */
				 t0 && !teardown_start_seen(v) && finalize_seen(v) && t0 == finalize_seen(v)->t
				 ? "the first line that found python3's Py_FinalizeEx under way; its start is not in the trace"
				 /* (named as the finding's header names it, "in its timeline", with
				  * what else is there: FRESH15b item 3, "the start of its teardown" beside
				  * another finding's "its timeline's first line", one origin) */
				 : !proc_has_timeline(v) ? "its trace's first line, as this finding's time: it has no timeline"
				 : t0 && t0 == teardown_start(v) ? "its timeline's first line, as this finding's time: the start of its teardown"
				 : "its timeline's first line, as this finding's time") : NULL;
}

/* the event a finding about v's end hangs on: its last on the thread that ended, or its last */
static const struct event *end_event(const struct proc *v)
{
	int i;
	for (i = v->nev - 1; i >= 0; i--)
		if (proc_ev(v, i)->tid == proc_end_tid(v))
			return proc_ev(v, i);
	return proc_ev(v, v->nev - 1);
}

/* whether v's trace is its fork's line alone: a child that wrote nothing more (it ran no call the
 * shim writes a line for, or it exec'd a program without the shim: the shim does not wrap execve) */
static int forked_only(const struct proc *v)
{
	for (int i = 0; i < v->nev; i++)
		if (proc_ev(v, i)->type != EV_FORKED)
			return 0;
	return v->nev > 0;
}

/* TLSTRACE_HANG_MS of v, in ms, as its config line's hang= says it (shim/init.c; a fork child has
 * none: its parent's, which fork copied), -1 where no config line says it (a trace before the
 * shim wrote hang=, or its start lost) */
static long hang_config(const struct proc *v)
{
	/* (the shim writes it at its start, after its tlstrace line: among a process's first events;
	 * a fork child has none, its parent's holds. Not looked for further: a trace without one, of a
	 * parent of 60000 children, made this O(n^2), t227's inherit.trace > 60 s) */
	for (; v; v = v->forked ? proc_parent(v) : NULL)
		for (int i = 0; i < v->nev && i < 8; i++)
			if (proc_ev(v, i)->type == EV_CONFIG && ev_kv(proc_ev(v, i), "hang"))
				return atol(ev_kv(proc_ev(v, i), "hang"));
	return -1;
}

/* TLSTRACE_HANG_MS of v, 0 if off or not known */
static long hang_ms_of(const struct proc *v)
{
	long ms = hang_config(v);
	return ms > 0 ? ms : 0;
}

/* Whether v died by a signal it sent itself (kill/raise of its own pid or group, tgkill of its own
 * thread: the traced sender, fate.killer, is v): its own call is the cause, and no snapshot or
 * supervisor's grace period says anything about it */
static int self_sent(const struct proc *v)
{
	return fate_of(v)->killed_by && fate_of(v)->killer == v;
}

/* "; no snapshot of its threads was taken: ..." for a killed or unfinished v whose teardown began
 * (tb, 0 if none in its trace) or may have begun unseen (python3's own Py_FinalizeEx), where the
 * hang watchdog, or the snapshot at a kill (shim/watchdog.c watchdog_kill_snapshot), would have
 * written one, when its config line says TLSTRACE_HANG_MS=0: then no snapshot is not a sign that
 * nothing was there. "" otherwise (a constant). */
static const char *watchdog_off_words(const struct proc *v, uint64_t tb)
{
	if (hang_config(v) != 0 || (!tb && !finalize_unseen_possible(v)) || self_sent(v))
		return "";
	return "; no snapshot of its threads was taken: the hang watchdog, and with it the snapshot at a "
	       "kill, was off (TLSTRACE_HANG_MS=0)";
}

/* the fix's words for v when watchdog_off_words says something, else "" (a constant) */
static const char *watchdog_off_fix(const struct proc *v, uint64_t tb)
{
	return *watchdog_off_words(v, tb) ? "; to see what its threads were doing, run it again with the hang watchdog "
					    "on (TLSTRACE_HANG_MS unset, 2000 ms, or shorter than the sender waits)"
					  : "";
}

/* Whether v's end at time t (ns, the report's clock: a traced sender's kill, or an unfinished
 * trace's last line) came into its teardown (begun at tb) before the hang watchdog's first
 * snapshot could be taken: TLSTRACE_HANG_MS (its config line's hang=, into *ms; on, not 0) had not
 * passed, and v's trace has no snapshot (hang) and no snapshot at a kill (kill_snap). Then no
 * snapshot is not a sign that nothing was there. With kill, only for a kill a traced sender made
 * (its time known: not a death seen by a reap only). */
static int killed_before_watchdog(const struct proc *v, uint64_t tb, uint64_t t, int kill, long *ms)
{
	*ms = hang_config(v);
	if (*ms <= 0 || !tb || (kill && (!fate_of(v)->killed_by || self_sent(v))) || t < tb ||
	    t - tb >= (uint64_t)*ms * 1000000u)
		return 0;
	for (int i = 0; i < v->nev; i++)
		if (proc_ev(v, i)->type == EV_HANG || proc_ev(v, i)->type == EV_KILL_SNAP)
			return 0;
	return 1;
}

/* For a v killed at t before the watchdog's first snapshot (killed_before_watchdog; kill 0: an
 * unfinished trace whose last line is at t): "; no snapshot of its threads was taken: the kill came
 * 1.000 s into its teardown (it ended ... less than TLSTRACE_HANG_MS into it), before
 * TLSTRACE_HANG_MS (2000 ms, its config line)", then the threads alive when the teardown began
 * (the last threads_alive line before t: the shim's list of threads it saw start and not end),
 * the likely waiters; "" otherwise. malloc'd. */
static char *killed_early_words(const struct proc *v, uint64_t tb, uint64_t t, int kill)
{
	long ms;
	const struct event *alive = NULL;
	char list[600], *d, *s;
	if (!killed_before_watchdog(v, tb, t, kill, &ms))
		return xstrdup("");
	for (int i = 0; i < v->nev && proc_ev(v, i)->t <= t; i++)
		if (proc_ev(v, i)->type == EV_THREADS_ALIVE && strcmp(ev_field(proc_ev(v, i), 0), "fork") &&
		    strncmp(ev_field(proc_ev(v, i), 0), "handler", 7))
			alive = proc_ev(v, i);
	d = duration_text(t - tb);
	if (alive)
		alive_threads_text(v, alive, list, sizeof list);
	int py = alive && !strncmp(ev_field(alive, 0), "py_", 3);
	/* (an unfinished trace's death is not in it: only that it came before the first snapshot) */
	s = xasprintf("; no snapshot of its threads was taken: %s%s into its teardown, before the hang "
		      "watchdog's first snapshot at TLSTRACE_HANG_MS (%ld ms, its config line)%s%s%s",
		      kill ? "the kill came " : "it ended (or its trace was read) less than TLSTRACE_HANG_MS",
		      kill ? d : "", ms,
		      alive ? "; the threads alive at " : "", alive ? teardown_words(ev_field(alive, 0)) : "",
		      !alive ? "" : py ? ", when its teardown began, are the likely waiters (Python joins its non-daemon "
					 "threads there):"
				       : ", when its teardown began, are the likely waiters (an atexit handler or a destructor "
					 "may join one, or wait on a lock one holds):");
	if (alive) {
		char *w = xasprintf("%s%s", s, list);
		free(s);
		s = w;
	}
	free(d);
	return s;
}

/* The grace period's setting of the supervisor that killed v (killer, by its program), in words:
 * uWSGI's --worker-reload-mercy, gunicorn's --graceful-timeout, timeout -k's, Apache's; else the
 * time the sender gives (a constant) */
static const char *grace_setting(const struct proc *killer)
{
	const char *prog = killer ? prog_of(killer) : "";
	if (!strncmp(prog, "uwsgi", 5))
		return "uWSGI's --worker-reload-mercy (--reload-mercy for a whole stop)";
	if (!strncmp(prog, "gunicorn", 8)) {
		/* (the value it ran with, where its command line gives it) */
		static char said[112];
		char *v = argv_option(killer, "--graceful-timeout"), *w = v ? option_words(killer, "--graceful-timeout", "30 s") : NULL;
		snprintf(said, sizeof said, "gunicorn's %.80s", w ? w : "--graceful-timeout");
		free(v);
		free(w);
		return said;
	}
	if (!strcmp(prog, "timeout"))
		return "timeout -k's DURATION, the time between its first signal and the SIGKILL";
	if (!strcmp(prog, "apache2") || !strcmp(prog, "httpd"))
		return "Apache's GracefulShutdownTimeout";
	return "the time the sender gives it before the kill";
}

/* The fix's first words for a v killed at t before the watchdog's first snapshot by killer (the
 * verdict shows them: nothing else says what the threads waited on): set TLSTRACE_HANG_MS below
 * its grace period; "" otherwise. malloc'd */
static char *killed_early_fix(const struct proc *v, uint64_t tb, uint64_t t, const struct proc *killer)
{
	long ms;
	if (!killed_before_watchdog(v, tb, t, 1, &ms))
		return xstrdup("");
	/* (half the time it had, in steps of 50 ms: none below 100 ms, too short for one) */
	long half = (long)((t - tb) / 2000000u) / 50 * 50;
	char here[64] = "";
	if (half >= 50)
		snprintf(here, sizeof here, "; here TLSTRACE_HANG_MS=%ld would do", half);
	return xasprintf("to see what its threads wait on, set TLSTRACE_HANG_MS below the supervisor's grace period "
			 "(%s%s) (no snapshot was taken because the kill came before TLSTRACE_HANG_MS, %ld ms); ",
			 grace_setting(killer), here, ms);
}

static char *since_teardown(uint64_t tb, uint64_t t, const struct proc *v)
{
	double ms = (double)(int64_t)(t - tb) / 1e6;
	char *began, *s;
	if (!tb && forked_only(v))
		return xstrdup(finalize_unseen_possible(v)
				       ? "with nothing of it traced after its fork (so before its teardown began, in python3's own "
					 "Py_FinalizeEx where its main thread did not block, or after an exec into a program the "
					 "shim was not loaded in: an exec writes no line)"
				       : "with nothing of it traced after its fork (so before its teardown began, or after an exec "
					 "into a program the shim was not loaded in: an exec writes no line)");
	if (!tb && finalize_unseen_possible(v))
		return xstrdup("with no teardown step in its trace (python3 runs its own Py_FinalizeEx, which the shim "
			       "sees only where its main thread blocks (a lock, a sleep, a poll, a read or receive, a wait for a child, a signal or a file lock) or at a fatal signal's arrival: it may have begun)");
	if (!tb)
		return xstrdup("before its teardown began");
	if (!teardown_start_seen(v) && finalize_seen(v) && tb == finalize_seen(v)->t)
		return xstrdup(finalize_seen(v)->py == PY_FINALIZING
				       ? "during its teardown (python3's own Py_FinalizeEx had gone past its atexit callbacks: "
					 "its lines were written while Python finalized, freeing what was left; when it began "
					 "is not in the trace)"
				       : "during its teardown (python3's own Py_FinalizeEx, its thread joins or atexit "
					 "callbacks, was on the main thread's stack; when it began is not in the trace)");
	began = teardown_began_text(v);
	for (int i = 0; i < v->nev; i++) {
		/* python3's own Py_FinalizeEx found by the handler watcher after the Python handler
		 * returned (began before; tb is where it was found): the time counts from the arrival,
		 * as the hang finding's, which counts from there (FIX13 P8) */
		const struct event *arm = proc_ev(v, i), *pa;
		if (arm->type != EV_HANG_ARM || arm->t != tb || !(pa = py_fin_arm_arrival(v, arm)) || pa->t > t)
			continue;
		double fa = (double)(tb - pa->t) / 1e6, ka = (double)(t - pa->t) / 1e6;
		s = xasprintf("%.3f %s after %s's arrival (%s; found %.3f %s after the arrival)", ka < 1000 ? ka : ka / 1e3,
			      ka < 1000 ? "ms" : "s", signal_name((int)ev_dec(pa, 0)), began, fa < 1000 ? fa : fa / 1e3,
			      fa < 1000 ? "ms" : "s");
		free(began);
		return s;
	}
	if (ms < 1000)
		s = xasprintf("%.3f ms after its teardown began (%s)", ms, began);
	else
		s = xasprintf("%.3f s after its teardown began (%s)", ms / 1e3, began);
	free(began);
	return s;
}

/* the termination signals a program is asked to stop by */
static int stop_signal(int sig) { return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT; }

/* v's reap line, before t, of a child killed by sig, or NULL */
static const struct event *child_killed_by(const struct proc *v, int sig, uint64_t t)
{
	for (int i = v->nev - 1; i >= 0; i--) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_REAP && e->t <= t && !strcmp(ev_field(e, 2), "signal") && ev_dec(e, 3) == sig)
			return e;
	}
	return NULL;
}

/* v's last arrival of sig at a handler of its own ("fn") before t, or NULL */
static const struct event *handled_arrival(const struct proc *v, int sig, uint64_t t)
{
	for (int i = v->nev - 1; i >= 0; i--) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_SIG_ARRIVE && e->t <= t && ev_dec(e, 0) == sig && !strcmp(ev_field(e, 5), "fn"))
			return e;
	}
	return NULL;
}

/* v's _exit line, when its teardown (begun at tb) began with _exit: no exit handler, destructor or
 * finalization of the program's own can run after it, so a signal arriving then cuts nothing
 * short and hides no hang (multiprocessing's workers end by os._exit while Pool.terminate sends
 * them SIGTERM: either may come first). NULL otherwise. */
static const struct event *exit_only_teardown(const struct proc *v, uint64_t tb)
{
	for (int i = 0; i < v->nev; i++) {
		const struct event *e = proc_ev(v, i);
		if (e->t < tb)
			continue;
		return e->type == EV__EXIT && e->t == tb ? e : NULL;
	}
	return NULL;
}

/* v's last kill line of sig aimed at its own process group or at every process (kill(0, sig),
 * killpg, kill(-1, sig)) that met the default action unblocked in v, when sig is SIGKILL or a
 * termination signal: the sender ends its group on purpose and itself with it (timeout(1) with -s
 * KILL or -k, `kill 0` in a shell); NULL if none. (Written before the call: it may reach v.) */
static const struct event *group_kill(const struct proc *v, int sig)
{
	if (sig != SIGKILL && !stop_signal(sig))
		return NULL;
	for (int i = v->nev - 1; i >= 0; i--) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_KILL && ev_dec(e, 1) == sig && !strcmp(ev_field(e, 4), "-") &&
		    !strcmp(ev_field(e, 6), "dfl") && !strcmp(ev_field(e, 7), "0") &&
		    (ev_dec(e, 2) <= 0 || !strcmp(ev_field(e, 0), "killpg")))
			return e;
	}
	return NULL;
}

/* sig by its name as timeout(1) and kill(1) take it ("KILL", "SIGKILL", "kill", "9"), 0 if none */
static int signal_by_name(const char *name)
{
	char *end;
	long n = strtol(name, &end, 10);
	if (*name && !*end)
		return n > 0 && n < 65 ? (int)n : 0;
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (int sig = 1; sig < 32; sig++)
		if (!strcasecmp(signal_name(sig) + 3, name)) /* (signal_name: "SIGKILL") */
			return sig;
	return 0;
}

/* Whether supervisor s was told by its command line to stop its command with sig, and how in
 * words into how[n] ("timeout -s KILL"): timeout(1)'s -s/--signal SIG (default TERM), and its
 * -k/--kill-after, which sends KILL. Other supervisors' command lines are not read: 0. (argv
 * as the trace has it: space-separated.) */
static int told_signal(const struct proc *s, int sig, char *how, size_t n)
{
	char buf[512], *save = NULL, *tok;
	int said = SIGTERM, kill_after = 0, first = 1;
	if (!proc_prog(s)->argv || strcmp(base_name(proc_prog(s)->exe), "timeout"))
		return 0;
	snprintf(buf, sizeof buf, "%s", proc_prog(s)->argv);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save), first = 0) {
		const char *val = NULL;
		if (first)
			continue;
		if (!strcmp(tok, "--"))
			break;
		if (!strncmp(tok, "--signal", 8) || !strncmp(tok, "--kill-after", 12)) {
			int k = tok[2] == 'k';
			val = strchr(tok, '=') ? strchr(tok, '=') + 1 : strtok_r(NULL, " ", &save);
			if (k)
				kill_after = 1;
			else if (val)
				said = signal_by_name(val);
			continue;
		}
		if (!strncmp(tok, "--", 2)) /* --foreground, --preserve-status, --verbose */
			continue;
		if (tok[0] != '-' || !tok[1])
			break; /* the duration: the command follows */
		for (const char *c = tok + 1; *c; c++) /* a cluster of short options: -v, -s SIG, -kDUR */
			if (*c == 's' || *c == 'k') {
				val = c[1] ? c + 1 : strtok_r(NULL, " ", &save);
				if (*c == 'k')
					kill_after = 1;
				else if (val)
					said = signal_by_name(val);
				break;
			}
	}
	if (sig == said)
		snprintf(how, n, "timeout%s%s", said == SIGTERM ? "" : " -s ", said == SIGTERM ? "'s SIGTERM" : signal_name(said) + 3);
	else if (sig == SIGKILL && kill_after)
		snprintf(how, n, "timeout -k: SIGKILL when the first signal did not end it");
	else
		return 0;
	return 1;
}

/* A death by a signal that is how the program meant to end, not a failure; in words (malloc'd),
 * or NULL. k is the kill line that sent it (killer its writer, or NULL), tb when v's teardown
 * began (0: it had not). The idioms:
 *  - passing a child's death on: v reaped a child killed by the signal, then raised it itself
 *    (timeout(1), shells, wrappers that end as their command did);
 *  - the re-raise after cleanup: a termination signal (TERM, INT, HUP, QUIT) arrived at v's
 *    handler, and v then raised the same signal with the default action in place (in the handler
 *    after restoring SIG_DFL, with SA_RESETHAND, or after the handler returned);
 *  - a normal stop: a termination signal with the default action, sent by v's traced parent,
 *    which then reaped it, before v's teardown began (so not a teardown that hung:
 *    multiprocessing.Pool.terminate, a supervisor's stop);
 *  - a stop its parent was told to make: the signal timeout(1)'s command line names, before v's
 *    teardown began (told_signal), reaped or not (timeout -s KILL kills itself with its group);
 *  - and a kill of the sender's own process group (group_kill). */
/* The traced ancestor of v (its parent, or theirs, up to 64 generations, by pid: the latest
 * process of that pid begun by then) that the same signal from the same sender pid reached
 * within 1 s of v's fatal arrival arr: v then died in one stop of a group (timeout(1) signals its
 * command, then its whole process group, coreutils src/timeout.c; a shell's `kill 0`), in
 * which the ancestor, not v, is the one stopped. The sender itself is no such ancestor (a shell
 * that kills its own group: its children are the victims, t241). NULL if none; *arrived: that
 * ancestor's arrival line. */
/* The places of w's EV_SIG_ARRIVE events, for group_stop_ancestor, which reads the same few
 * ancestors again for each of their children: a supervisor's 30000 workers stopped by a sender
 * it was not stopped by read its whole trace once a worker (7 s, O(n^2)). Kept for the last
 * ARRIVALS_KEPT processes asked; *n their number; valid until the next call. Freed by
 * arrivals_kept_free at outcome_report_end's end. */
#define ARRIVALS_KEPT 4
static struct {
	const struct proc *p;
	int *at, n;
} arrivals_kept[ARRIVALS_KEPT];
static int arrivals_kept_next;

static const int *arrivals_of(const struct proc *w, int *n)
{
	int k, cap = 0;
	for (k = 0; k < ARRIVALS_KEPT; k++)
		if (arrivals_kept[k].p == w) {
			*n = arrivals_kept[k].n;
			return arrivals_kept[k].at;
		}
	k = arrivals_kept_next++ % ARRIVALS_KEPT;
	free(arrivals_kept[k].at);
	arrivals_kept[k].at = NULL;
	arrivals_kept[k].n = 0;
	arrivals_kept[k].p = w;
	for (int i = 0; i < w->nev; i++)
		if (proc_ev(w, i)->type == EV_SIG_ARRIVE) {
			if (arrivals_kept[k].n == cap)
				arrivals_kept[k].at = xrealloc(arrivals_kept[k].at, (size_t)(cap = cap ? 2 * cap : 8) * sizeof(int));
			arrivals_kept[k].at[arrivals_kept[k].n++] = i;
		}
	*n = arrivals_kept[k].n;
	return arrivals_kept[k].at;
}

static void arrivals_kept_free(void)
{
	for (int k = 0; k < ARRIVALS_KEPT; k++) {
		free(arrivals_kept[k].at);
		arrivals_kept[k].at = NULL;
		arrivals_kept[k].p = NULL;
		arrivals_kept[k].n = 0;
	}
}

static const struct proc *group_stop_ancestor(const struct proc *v, const struct event *arr, const struct event **arrived)
{
	long long from = ev_dec(arr, 2);
	int sig = (int)ev_dec(arr, 0), ppid = v->ppid;
	if (!outcome_bp || !strcmp(ev_field(arr, 2), "-") || from <= 0 || from == v->pid)
		return NULL;
	for (int gen = 0; gen < 64 && ppid > 0 && ppid != from; gen++) {
		const struct proc *w = NULL;
		for (int i = bypid_first(outcome_bp, ppid); i < outcome_bp->n && outcome_bp->p[i]->pid == ppid; i++)
			if (proc_t_first(outcome_bp->p[i]) <= arr->t && (!w || proc_t_first(outcome_bp->p[i]) >= proc_t_first(w)))
				w = outcome_bp->p[i];
		if (!w)
			return NULL;
		int na;
		const int *at = arrivals_of(w, &na);
		for (int j = na - 1; j >= 0; j--) {
			const struct event *e = proc_ev(w, at[j]);
			uint64_t d = e->t > arr->t ? e->t - arr->t : arr->t - e->t;
			if (e->type == EV_SIG_ARRIVE && ev_dec(e, 0) == sig && ev_dec(e, 2) == from && d <= 1000000000u) {
				*arrived = e;
				return w;
			}
		}
		ppid = w->ppid;
	}
	return NULL;
}

/* v's header words when v died of a termination signal's default action, while running (no
 * teardown step, no snapshot at the signal: nothing of its own cut short), in the same stop of
 * a group as a traced ancestor (group_stop_ancestor): a bystander of that stop (the stop is the
 * sender's, traced or not; the ancestor may have a finding of its own, or none); NULL otherwise.
 * malloc'd */
static char *group_stop_bystander(const struct proc *v, uint64_t tb)
{
	const struct event *arr = arrival_of(v, v->exit_signal, UINT64_MAX), *warr = NULL;
	const struct proc *w;
	char *from, *s, *d;
	if (tb || !arr || !arrival_fatal(arr) || kill_snapshot_of(v, NULL) ||
	    (finalize_unseen_possible(v) && hang_config(v) <= 0) || !(w = group_stop_ancestor(v, arr, &warr)))
		return NULL;
	from = arrival_sender(v, arr);
	d = duration_text(warr->t > arr->t ? warr->t - arr->t : arr->t - warr->t);
	s = xasprintf("sent by %s; the same %s from it reached process %d (%s), its %s, %s %s: one stop of their "
		      "process group%s; it was running, not in a teardown of its own: a bystander of that stop, "
		      "with nothing of its own to mend", from, signal_name(v->exit_signal), w->pid, prog_of(w),
		      w->pid == v->ppid ? "parent" : "ancestor", d, warr->t > arr->t ? "later" : "earlier",
		      !strcmp(sender_comm(kills.r, arr), "timeout") ? " (timeout(1) signals its command, then its whole process group)" : "");
	free(from);
	free(d);
	return s;
}

/* v killed by a termination signal's default action before any teardown of its own, while blocked
 * in a wait for its children (its open wait_begin line), in one stop of their process group: the
 * same signal from the same sender (the arrival lines' sender pid, or the kernel's "-": a
 * terminal's Ctrl-C) reached each traced child that wait could return, within 1 s of v's
 * (kill -TERM -PGID, killpg, timeout(1)'s group). Whether the sender is traced or not (a traced
 * parent's kill made it "a stop" and an untraced one's a finding, FRESH13 m5), by the children:
 * each ended in that stop as a bystander (died of it while running: no teardown, no snapshot at
 * it) or by itself after it (a handler that drained and exited): *stop says so (malloc'd; no
 * finding, the header says it); one whose own teardown the stop cut short or that still ran:
 * *stop NULL (a finding: what kept v waiting is that child's). 0 if v is no such waiter (*stop
 * untouched). At most 4 children (wait_children), each read once: no O(n^2) over a supervisor's
 * workers (a wait for more than 4 is no such waiter). */
/* whether v runs a shell whose wait builtin waits in sigsuspend for SIGCHLD (dash, Debian's
 * /bin/sh; busybox's ash): no wait call the shim sees (bash's waits in waitpid: a wait_begin line) */
static int runs_shell(const struct proc *v)
{
	static const char *const shells[] = {"sh", "dash", "ash", "busybox"};
	const char *exe = base_name(proc_prog(v)->exe);
	for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++)
		if (!strcmp(exe, shells[i]))
			return 1;
	return 0;
}

static int group_stop_waiter(struct report *r, const struct proc *v, uint64_t tb, char **stop)
{
	enum { MAX = 4 };
	struct proc *kids[MAX];
	const struct event *arr = arrival_of(v, v->exit_signal, UINT64_MAX), *w = NULL, *qa;
	char list[MAX * 80] = "", *from;
	int n, len = 0, all_ended = 1;
	if (tb || !stop_signal(v->exit_signal) || !arr || !arrival_fatal(arr) || kill_snapshot_of(v, NULL))
		return 0;
	if ((w = wait_open(v, 0, arr->t)) != NULL && w->type == EV_WAIT_BEGIN)
		n = wait_children(r, v, w, UINT64_MAX, kids, MAX);
	else if (runs_shell(v) && ev_dec(arr, 2) != v->pid) /* (dash's wait builtin: sigsuspend; its children
								  * then: FRESH14; its own kill 0: deliberate_stop) */
		w = NULL, n = children_waited(r, v, -1, arr->t, UINT64_MAX, kids, MAX);
	else
		return 0;
	if (n < 1 || n > MAX)
		return 0;
	for (int i = 0; i < n; i++) {
		const struct proc *q = kids[i];
		qa = arrival_of(q, v->exit_signal, UINT64_MAX);
		if (!qa || strcmp(ev_field(qa, 2), ev_field(arr, 2)) ||
		    (qa->t > arr->t ? qa->t - arr->t : arr->t - qa->t) > 1000000000u)
			return 0;
		/* a bystander: died of it while running; or it ended by itself after it */
		int bystander = q->exit_known && proc_how(q) && !strcmp(proc_how(q), "signal") &&
				q->exit_signal == v->exit_signal && !teardown_start(q) && !kill_snapshot_of(q, NULL);
		int ended = q->exit_known && proc_how(q) && strcmp(proc_how(q), "signal");
		all_ended &= bystander || ended;
		len += snprintf(list + len, sizeof list - (size_t)len, "%s%d (%.60s)", !i ? "" : i == n - 1 ? " and " : ", ",
				q->pid, prog_of(q));
	}
	if (!all_ended) {
		*stop = NULL;
		return 1;
	}
	from = outcome_bp ? arrival_sender(v, arr) : xasprintf("process %s", ev_field(arr, 2));
	*stop = xasprintf("sent by %s; the same %s reached %s %s, for which it was waiting %s%s: one stop of their "
			  "process group, before any teardown of its own; %s ended in it (killed by it while running, or "
			  "by %s after it)", from, signal_name(v->exit_signal), n == 1 ? "its child" : "its children", list,
			  w ? "in " : "(a shell's wait builtin: dash waits in sigsuspend, which the trace does not show)",
			  w ? ev_field(w, 0) : "", n == 1 ? "that child" : "they", n == 1 ? "itself" : "themselves");
	free(from);
	return 1;
}

/* A stop signal or SIGKILL (the caller checks which, and for SIGKILL that no gentler signal came
 * before it: then it is that signal's failure; the default action: a fatal one) that v's
 * traced parent sent it (k, a kill that returned 0) and then reaped it, before v's teardown began
 * (tb 0) or once v was in its own _exit: the header's words (malloc'd), not a finding
 * (multiprocessing.Pool.terminate, a parent's atexit that kills and reaps its worker); NULL
 * otherwise */
/* 1 if the kill k of process killer was uWSGI's harakiri: its site in trigger_harakiri (uWSGI 2.0
 * core/master_checks.c: the master's SIGKILL of a worker whose request has run longer than
 * --harakiri), a request killed, not a stop */
static int harakiri_kill(const struct proc *killer, const struct event *k)
{
	char *fn = k && killer && k->nf > 8 ? code_func_name(killer, ev_field(k, 8)) : NULL;
	int yes = fn && !strncmp(fn, "trigger_harakiri", 16);
	free(fn);
	return yes;
}

static char *parent_reaped_stop(const struct proc *v, const struct event *k, const struct proc *killer, uint64_t tb)
{
	if (harakiri_kill(killer, k)) /* (a finding: killed_fix's words) */
		return NULL;
	if (k && killer && killer != v && killer->pid == v->ppid && fate_of(v)->reaper == killer && ev_dec(k, 4) == 0) {
		const struct event *x = tb ? exit_only_teardown(v, tb) : NULL;
		if (!tb && forked_only(v)) /* (an exec writes no line: it may have run another program) */
			return xasprintf("sent by its parent %d (%s), which reaped it: a stop, with nothing of it traced "
					 "after its fork (before any teardown of its own, or after an exec into a program "
					 "the shim was not loaded in)", killer->pid, prog_of(killer));
		if (!tb)
			return xasprintf("sent by its parent %d (%s), which reaped it: a stop, before any teardown of its own",
					 killer->pid, prog_of(killer));
		if (x) /* the stop crossed its own _exit: nothing of the program's was left to run or hang */
			return xasprintf("sent by its parent %d (%s), which reaped it: a stop that crossed its own _exit(%lld)",
					 killer->pid, prog_of(killer), ev_dec(x, 0));
	}
	return NULL;
}

static int gentler_before(struct report *r, const struct proc *v, uint64_t until);

/* v's last arrival, at or before t, of a SIGABRT another process sent (a kill: its sender's pid is
 * known and not v's) that ran a handler of v's (how fn): a stop asked for, gunicorn's worker
 * timeout (gunicorn/arbiter.py murder_workers: SIGABRT, then SIGKILL at its next check), not a
 * fault; NULL if none */
static const struct event *handled_abort(const struct proc *v, uint64_t t)
{
	for (int i = v->nev - 1; i >= 0; i--) {
		const struct event *a = proc_ev(v, i);
		if (a->type == EV_SIG_ARRIVE && a->t <= t && ev_dec(a, 0) == SIGABRT && !strcmp(ev_field(a, 5), "fn") &&
		    strcmp(ev_field(a, 2), "-") && atoi(ev_field(a, 2)) != v->pid && atoi(ev_field(a, 2)) > 0)
			return a;
	}
	return NULL;
}

static char *deliberate_stop(struct report *r, const struct proc *v, const struct event *k, const struct proc *killer,
			     uint64_t tb)
{
	const struct event *a, *c, *own = NULL;
	char *s_by;
	int sig = v->exit_signal, i;
	/* its own last raise/kill of sig with the default action in place, or the fatal arrival of
	 * sig sent by itself (a parent's kill line written after it, the kill returning late, does
	 * not hide it; timeout's kill of its process group writes no line aimed at itself) */
	for (i = v->nev - 1; i >= 0 && !own; i--) {
		const struct event *e = proc_ev(v, i);
		if ((e->type == EV_KILL && !strcmp(ev_field(e, 4), "-") && ev_dec(e, 1) == sig && !strcmp(ev_field(e, 6), "dfl")) ||
		    (arrival_fatal(e) && ev_dec(e, 0) == sig && ev_dec(e, 2) == v->pid))
			own = e;
	}
	/* (a child reaped after v's own kill of its group died of that kill: v's own SIGTERM may be
	 * delivered after that reap, where the shell blocked it meanwhile) */
	if (own && (c = child_killed_by(v, sig, own->t)) != NULL && !(group_kill(v, sig) && group_kill(v, sig)->t < c->t))
		return xasprintf("raised again after its child %s was killed by it (it ends as its child did)", ev_field(c, 1));
	if ((c = group_kill(v, sig)) != NULL) {
		char *site = kill_site(v, c), *s;
		s = xasprintf("sent to its own process group (%s(%lld, %s) from %s): it ended its whole group on purpose, "
			      "itself included, as timeout(1) and a shell's `kill 0` do", ev_field(c, 0),
			      !strcmp(ev_field(c, 0), "killpg") ? -ev_dec(c, 2) : ev_dec(c, 2), /* (the line: minus the group) */
			      signal_name(sig), site);
		free(site);
		return s;
	}
	/* the stop its supervisor was told to make, before any teardown: what the user asked for */
	if (k && killer && killer != v && killer->pid == v->ppid && !tb && ev_dec(k, 4) == 0) {
		char how[96];
		if (told_signal(killer, sig, how, sizeof how))
			return xasprintf("sent by its parent %d (%s) as it was told to (%s): the stop asked for, while "
					 "running, before any teardown (none in its trace%s)", killer->pid, prog_of(killer), how,
					 /* (python3: a pure-Python atexit callback that spins makes no call the
					  * shim sees: issue 15's known gap) */
					 finalize_unseen_possible(v) ? "; but python3's own Py_FinalizeEx writes no line until "
					 "it blocks, so it may have been in its atexit callbacks or later" : "");
	}
	/* (SIGKILL alone: after a gentler signal that did not end it, ignored or handled, the SIGKILL
	 * is that signal's failure, a finding) */
	if (sig == SIGKILL)
		return k && !gentler_before(r, v, k->t) ? parent_reaped_stop(v, k, killer, tb) : NULL;
	if (!stop_signal(sig))
		return NULL;
	if ((s_by = group_stop_bystander(v, tb)) != NULL)
		return s_by;
	/* (not where the shim found it in its teardown at the re-raise: a teardown cut short, its
	 * snapshot at the signal in the killed finding) */
	if (own && (a = handled_arrival(v, sig, own->t)) != NULL && !kill_snapshot_of(v, NULL)) {
		char *from = outcome_bp ? arrival_sender(v, a) : xstrdup("?");
		char *s = xasprintf("re-raised after it arrived at its handler from %s (the idiom to die by the signal "
				    "after cleanup)", from);
		free(from);
		return s;
	}
	return parent_reaped_stop(v, k, killer, tb);
}

/* "process 812 (worker) was killed by SIGTERM, BY, WHEN": a killed finding's message; malloc'd */
static char *killed_text(const struct proc *v, const char *by, const char *when)
{
	return xasprintf("process %d (%s) was killed by %s%s, %s, %s", v->pid, prog_of(v), signal_name(v->exit_signal),
			 v->exit_core ? " (core dumped)" : "", by, when);
}

/* a killed finding's message, built when it is shown (finding.say) from its process, its time
 * and f->message: who sent the signal (killed_finding) */
static void killed_message(const struct finding *f, char *buf, size_t n)
{
	const struct proc_fate *fate = fate_of(f->proc);
	uint64_t tb = teardown_start(f->proc);
	char *when = since_teardown(tb, f->t, f->proc), *s;
	if (!fate->killed_by && fate->reap && tb && fate->reap->t > f->t) {
		/* no traced sender: it died between its last line and its parent's reap */
		char *d = duration_text(fate->reap->t - tb), *w = when;
		when = xasprintf("after its last traced line, %s, and before its parent reaped it %s after it began", w, d);
		free(w);
		free(d);
	}
	s = killed_text(f->proc, f->message, when);
	char *early = killed_early_words(f->proc, tb, f->t, 1);
	snprintf(buf, n, "%s%s%s", s, watchdog_off_words(f->proc, tb), early);
	free(early);
	free(s);
	free(when);
}

/* Whether the traces show a gentler stop signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) for v before
 * time until: its own arrival line, or a traced sender's kill (sender_of) */
static int gentler_before(struct report *r, const struct proc *v, uint64_t until)
{
	struct proc *who = NULL;
	for (int i = 0; i < v->nev && proc_ev(v, i)->t <= until; i++)
		if (proc_ev(v, i)->type == EV_SIG_ARRIVE && stop_signal((int)ev_dec(proc_ev(v, i), 0)))
			return 1;
	if (handled_abort(v, until))
		return 1;
	return sender_of(r, v, SIGTERM, until, &who) || sender_of(r, v, SIGINT, until, &who) ||
	       sender_of(r, v, SIGHUP, until, &who) || sender_of(r, v, SIGQUIT, until, &who);
}

/* The fix of v, killed while blocked in wait line a (wait_begin) up to until, when every traced
 * child that wait could return died in the same stop of a group as v (group_stop_bystander: a
 * bystander, so no finding of its own to see): "SIGTERM came while thread N was blocked in wait3
 * for any of its children, and the same SIGTERM ended them: one stop of their process group ...".
 * NULL otherwise (a child with findings of its own, one alive, none traced). malloc'd */
static char *wait_group_stop_fix(struct report *r, const struct proc *v, const struct event *a, uint64_t until)
{
	enum { MAX = 4 };
	struct proc *kids[MAX];
	const struct event *arr, *warr;
	char list[MAX * 80] = "", *s;
	int n = wait_children(r, v, a, until, kids, MAX), len = 0;
	if (n < 1 || n > MAX)
		return NULL;
	for (int i = 0; i < n; i++) {
		const struct proc *q = kids[i];
		if (!q->exit_known || !proc_how(q) || strcmp(proc_how(q), "signal") || q->exit_signal != v->exit_signal ||
		    !stop_signal(q->exit_signal) || !(arr = arrival_of(q, q->exit_signal, UINT64_MAX)) ||
		    group_stop_ancestor(q, arr, &warr) != v || !(s = group_stop_bystander(q, teardown_start(q))))
			return NULL;
		free(s);
		len += snprintf(list + len, sizeof list - (size_t)len, "%s%d (%.60s)", !i ? "" : i == n - 1 ? " and " : ", ",
				q->pid, prog_of(q));
	}
	s = xasprintf("%s came while thread %d was blocked in %s for %s, and the same %s ended %s %s, %s of one "
		      "stop of their process group (no finding%s of %s own): the stop was the group's, and the wait "
		      "was for %s that signal ended too; if it came too soon, see why %s ran that long (%s "
		      "timeline%s) or give the command longer (the sender's timeout)",
		      signal_name(v->exit_signal), a->tid, ev_field(a, 0),
		      ev_dec(a, 1) > 0 ? "its child" : "any of its children", signal_name(v->exit_signal),
		      n == 1 ? "that child," : "those children,", list, n == 1 ? "a bystander" : "bystanders",
		      n == 1 ? "" : "s", n == 1 ? "its" : "their", n == 1 ? "a child" : "children",
		      n == 1 ? "it" : "they", n == 1 ? "its" : "their", n == 1 ? "" : "s");
	return s;
}

/* v's last arrival of SIGHUP at a handler of its own (sig_arrive, how fn) at or before t, NULL if
 * none */
static const struct event *last_hup_handled(const struct proc *v, uint64_t t)
{
	for (int i = v->nev - 1; i >= 0; i--) {
		const struct event *a = proc_ev(v, i);
		if (a->type == EV_SIG_ARRIVE && a->t <= t && ev_dec(a, 0) == SIGHUP && !strcmp(ev_field(a, 5), "fn"))
			return a;
	}
	return NULL;
}

/* A killed finding's fix, from what the trace shows before the kill (k, by killer, from site;
 * its teardown began at tb, 0 if it did not; until: its reap or the end), never one that
 * contradicts it (a handler to install where one ran, a teardown to mend where none began). A
 * teardown that hung gets its hang finding's fix instead (diag_hang.c). malloc'd */
/* v's forked line (its first event in a child fork made), NULL if v was not forked */
static const struct event *proc_forked_line(const struct proc *v)
{
	return v->forked && v->nev && proc_ev(v, 0)->type == EV_FORKED ? proc_ev(v, 0) : NULL;
}

/* For the arrival a (sig_arrive, a handler ran) in v, a forked child: v's own later installation
 * of another handler for that signal (its sig_handler line), where v had installed none for it
 * before a: the handler that ran was its parent's, which fork copies (POSIX: the child inherits
 * the dispositions), not the one the child meant to have. NULL otherwise */
static const struct event *inherited_handler_ran(const struct proc *v, const struct event *a)
{
	long long sig = ev_dec(a, 0);
	int i;
	if (!proc_forked_line(v))
		return NULL;
	for (i = 0; i < v->nev && proc_ev(v, i) != a; i++)
		if (proc_ev(v, i)->type == EV_SIG_HANDLER && ev_dec(proc_ev(v, i), 0) == sig)
			return NULL;
	for (; i < v->nev; i++) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_SIG_HANDLER && ev_dec(e, 0) == sig)
			return strcmp(ev_field(e, 1), ev_field(a, 4)) ? e : NULL;
	}
	return NULL;
}

/* the processes with a signal-handler finding (diag_signal.c's, made before this rule's
 * findings): proc index + 1 -> the process; built and freed by outcome_report_end */
static struct index handler_findings;

static char *killed_fix(struct report *r, const struct proc *v, const struct event *k, const struct proc *killer,
			const char *site, uint64_t tb, uint64_t until)
{
	const char *sig = signal_name(v->exit_signal);
	const struct event *a;
	struct proc *who = NULL;
	char *s;
	if (harakiri_kill(killer, k))
		return harakiri_fix(killer);
	if (k && killer == v)
		return xasprintf("see why %s raised %s in its phase%s", site, sig,
				 v->exit_signal == SIGABRT || v->exit_signal == SIGTRAP || v->exit_signal == SIGILL
					 ? " (a failed check's trap or abort path)" : "");
	if (tb && v->exit_signal == SIGKILL && gentler_before(r, v, k ? k->t : until))
		return xstrdup("SIGKILL is what a supervisor sends when a process did not stop in time after a "
			       "gentler signal: find what its teardown waited on in its phase (a thread "
			       "not joined, a lock, a handler that does not end the process)");
	if (tb && v->exit_signal == SIGKILL)
		return xstrdup("SIGKILL came while its teardown (its phase) was under way, with no gentler signal "
			       "before it (that the traces show): the sender killed it outright (a hard stop, a "
			       "timeout -s KILL, a shell's kill -9, the OOM killer); if it did so because the "
			       "process did not end in time, find what its teardown waited on in its phase (a "
			       "thread not joined, a lock, a slow atexit handler)");
	if (tb && (a = arrival_of(v, v->exit_signal, k ? k->t : until)) != NULL && !strcmp(ev_field(a, 2), "-"))
		/* (the kernel sent it: a terminal's Ctrl-C; no sender to give it longer) */
		return xasprintf("%s came from the kernel (a terminal's Ctrl-C or Ctrl-\\) while its teardown (its "
				 "phase) was under way: find what the teardown waited on there, or wait for it to end "
				 "before interrupting it", sig);
	if (tb)
		return xasprintf("%s came while its teardown (its phase) was under way: find what the teardown "
				 "waited on there, or why the sender did not give it longer", sig);
	/* no teardown began: a gentler stop signal that reached its handler and did not end it */
	for (int i = v->nev - 1; i >= 0; i--) {
		a = proc_ev(v, i);
		if (a->type == EV_SIG_ARRIVE && a->t <= (k ? k->t : until) && stop_signal((int)ev_dec(a, 0)) &&
		    ev_dec(a, 0) != SIGHUP && !strcmp(ev_field(a, 5), "fn")) { /* (SIGHUP: often a reload) */
			char *h = arrival_handler_words(v, a), *s;
			const struct event *own = inherited_handler_ran(v, a);
			if (own) {
				/* (the child's own handler came later: a just forked uWSGI worker's SIGINT ran
				 * the master's kill_them_all, and end_me came 7 ms after it, HANG15) */
				const struct event *fk = proc_forked_line(v);
				char *ow = code_fn_words(v, ev_field(own, 1));
				int uwsgi = !strncmp(prog_of(v), "uwsgi", 5);
				char *mercy = option_words(v, "--worker-reload-mercy", "60 s");
				s = xasprintf("the %s before it arrived %.3f ms after this process was forked from process %d, before "
					      "it installed its own %s handler (%s, %.3f ms later): it ran %s, the handler "
					      "inherited from its parent through fork, which did not end this process, and the "
					      "stop was lost; a process that forks must block the termination signals around "
					      "fork (pthread_sigmask) and unblock them in the child only once its own handlers "
					      "are installed, or the sender must wait until the child is ready%s%s%s",
					      signal_name((int)ev_dec(a, 0)), fk ? (double)(a->t - fk->t) / 1e6 : 0.0, v->ppid,
					      signal_name((int)ev_dec(a, 0)), ow, (double)(own->t - a->t) / 1e6, h,
					      uwsgi ? "; under uWSGI this is a worker (re)spawned just as the stop began, "
						      "and the master waits " : "", uwsgi ? mercy : "",
					      uwsgi ? " before it sends SIGKILL: lower it to bound such a stop" : "");
				free(ow);
				free(mercy);
			} else if (cpython_signal_handler(v, ev_field(a, 4))) /* (python3's own Py_FinalizeEx writes no line: hedged) */
				s = xasprintf("the %s that arrived before it ran a handler, and the trace shows no exit or "
					      "return from main after it (the handler: %s); python3's own Py_FinalizeEx "
					      "(sys.exit(), main's return) writes no line while it calls nothing the shim "
					      "sees, so either the handler did not end the process (make it end it, or stop "
					      "the loop that main then returns from) or the process was killed in its "
					      "Py_FinalizeEx (an atexit callback) before the hang watchdog's first look; see "
					      "the signal-handler findings if another handler replaced the one meant for it",
					      signal_name((int)ev_dec(a, 0)), h);
			else
				s = xasprintf("the %s that arrived before it ran a handler that did not end the process (no exit "
					      "or return from main followed; the handler: %s): make the handler end it, or stop "
					      "the loop that main then returns from; see the signal-handler findings if another "
					      "handler replaced the one meant for it", signal_name((int)ev_dec(a, 0)), h);
			free(h);
			return s;
		}
	}
	/* a SIGABRT another process sent ran a handler, and the process went on until the SIGKILL:
	 * python3's is CPython's C-level handler, which only marks the signal for the main thread
	 * (Modules/signalmodule.c signal_handler), so the Python one (gunicorn's Worker.handle_abort)
	 * waits until the main thread runs Python code again */
	if (v->exit_signal == SIGKILL && (a = handled_abort(v, k ? k->t : until)) != NULL) {
		char *h = arrival_handler_words(v, a);
		int py = cpython_signal_handler(v, ev_field(a, 4));
		int gunicorn = killer && atoi(ev_field(a, 2)) == killer->pid && strstr(prog_of(killer), "gunicorn");
		/* (the Python handler named where its setter's lines were written: signals.c, SIGABRT's slot) */
		int named = strstr(h, "Worker.handle_abort") != NULL;
		if (gunicorn && py)
			s = xasprintf("the SIGABRT before it was gunicorn's worker timeout (the arbiter's, as the worker had not "
				      "notified it within --timeout); it ran %s%s when the arbiter's next check sent "
				      "SIGKILL: the request was inside a call that does not return to Python (C code, an "
				      "extension, a call that goes on after a signal) or kept the GIL; make that call return "
				      "within --timeout (a timeout on what it waits for), move long work out of the request, "
				      "or raise --timeout", h,
				      named ? "; that handler exits, but the main thread had not run Python code again"
					    : ": gunicorn's own handler (Worker.handle_abort, which exits) runs when the main thread "
					      "next runs Python code, and it had not");
		else
			s = xasprintf("the SIGABRT that process %s sent before it ran the handler %s, which did not end the "
				      "process%s; the sender then killed it: make the handler end the process (or the "
				      "code it interrupted return promptly)", ev_field(a, 2), h,
				      py ? " (the Python handler had not run: the main thread was in a call that does not "
					   "return to Python)" : "");
		free(h);
		return s;
	}
	/* a SIGHUP's handler ran and returned (no teardown followed): a graceful reload that waits for
	 * the work in progress (uWSGI's gracefully_kill in a worker, core/uwsgi.c 2.0: a worker in a
	 * request goes on with it and exits at its end), and the SIGKILL is the sender's when its grace
	 * ran out (uWSGI's master: --worker-reload-mercy, uwsgi_master_check_mercy) */
	if (v->exit_signal == SIGKILL && (a = last_hup_handled(v, k ? k->t : until)) != NULL) {
		char *h = arrival_handler_words(v, a), *mercy = option_words(v, "--worker-reload-mercy", "60 s");
		if (strstr(h, "gracefully_kill"))
			s = xasprintf("the SIGHUP before it (a graceful reload) ran uWSGI's handler %s, which lets a worker "
				      "finish the request it is serving before it exits: that request had not ended when "
				      "%s passed, and the master killed the worker; bound "
				      "the request (a timeout on what it waits for, or uWSGI's --harakiri), or raise "
				      "--worker-reload-mercy above the longest legitimate request", h, mercy);
		else
			s = xasprintf("the SIGHUP before it ran the handler %s, which did not end the process (no exit or "
				      "return from main followed): a SIGHUP often asks for a graceful reload, which lets the "
				      "work in progress (a request, a task) end first, and that work had not ended when the "
				      "sender's grace period passed; bound that work, or give the sender's grace period "
				      "longer", h);
		free(h);
		free(mercy);
		return s;
	}
	/* no teardown, no handler: a process blocked waiting for its child (h6's parent) was stopped
	 * because of that wait, not for want of a handler */
	a = wait_open(v, 0, k ? k->t : until);
	if (a && a->type == EV_WAIT_BEGIN && (s = wait_group_stop_fix(r, v, a, until)) != NULL)
		return s;
	if (a && a->type == EV_WAIT_BEGIN) /* (the message says what became of the child: add_open_wait) */
		return xasprintf("%s came while thread %d was blocked in %s for %s%s: what kept it there is the "
				 "child's (see that child's findings); bound the wait (a timeout, then stop the child) "
				 "if this process must stop by itself", sig, a->tid, ev_field(a, 0),
				 ev_dec(a, 1) > 0 ? "its child " : "any of its children",
				 ev_dec(a, 1) > 0 ? ev_field(a, 1) : "");
	if (v->exit_signal != SIGKILL)
		return xasprintf("a process with no handler for %s dies by it: install one that shuts down "
				 "cleanly, or find why the sender sent it", sig);
	if (sender_of(r, v, SIGTERM, until, &who) || sender_of(r, v, SIGINT, until, &who) ||
	    sender_of(r, v, SIGHUP, until, &who) || sender_of(r, v, SIGQUIT, until, &who))
		return xstrdup(index_get(&handler_findings, v->index + 1)
				       ? "a gentler signal sent before the SIGKILL did not end it and no handler of its ran "
					 "for it (no arrival line): it was ignored or blocked; see the signal-handler "
					 "findings (a handler replaced, signals blocked in a thread or inherited blocked)"
				       /* (none says which: FRESH15b item 2, a child forked with it blocked whose
					* parent's mask the trace does not show pointed at findings not there) */
				       : "a gentler signal sent before the SIGKILL did not end it and no handler of its ran "
					 "for it (no arrival line): it was ignored or blocked, and the trace does not show "
					 "where (a child made by fork starts with its parent's thread's signal mask and "
					 "ignored signals, and an exec keeps both): make sure the process can take the "
					 "signal its supervisor stops it with (unblock it, and set SIG_DFL or a handler, "
					 "in the child after fork), or have the supervisor wait longer before the SIGKILL");
	if (finalize_unseen_possible(v))
		return xstrdup("SIGKILL came with no gentler signal before it (that the traces show) and before any "
			       "teardown of its own that its trace shows (python3's own Py_FinalizeEx is seen only at a "
			       "blocking wait, sleep or poll, or at a fatal signal's arrival): if the sender waited for it to exit, "
			       "look at its atexit callbacks and non-daemon threads; for a clean stop, have the sender "
			       "send SIGTERM first and wait");
	return xstrdup("SIGKILL came with no gentler signal before it (that the traces show) and before any "
		       "teardown of its own: the sender killed it outright (timeout -s KILL, a supervisor's hard "
		       "stop, the OOM killer); nothing of this process's to mend; for a clean stop, have the "
		       "sender send SIGTERM first and wait");
}

static void killed_finding(struct report *r, struct proc *v)
{
	const struct proc_fate *fate = fate_of(v);
	uint64_t until = fate->reap ? fate->reap->t : UINT64_MAX, tb = teardown_start(v);
	const struct event *e = end_event(v), *k = fate->killed_by, *reap = fate->reap;
	struct proc *killer = fate->killer;
	struct finding *f;
	char *when, *recv, *site = NULL, *by, sig[24];
	/* a copy: signal_name's buffers rotate, and signals_received names more than four */
	snprintf(sig, sizeof sig, "%s", signal_name(v->exit_signal));
	const struct event *arr = v->exit_signal != SIGKILL ? killing_arrival(v, v->exit_signal, until) : NULL;
	char *from = arr && outcome_bp ? arrival_sender(v, arr) : NULL;
	if (arr && k && killer == v && k->t > arr->t)
		arr = NULL, free(from), from = NULL; /* it raised it itself later */
	if (!k && (k = sender_of(r, v, v->exit_signal, until, &killer)) != NULL) {
		proc_fate(v)->killed_by = k;
		proc_fate(v)->killer = killer;
	}
	if (!k && arr && ev_dec(arr, 2) > 0 && ev_dec(arr, 2) != v->pid && (k = group_sender_of(r, v, arr, &killer)) != NULL) {
		proc_fate(v)->killed_by = k;
		proc_fate(v)->killer = killer;
	}
	{
		char *stop = NULL;
		if (!group_stop_waiter(r, v, tb, &stop))
			stop = deliberate_stop(r, v, k, killer, tb);
		if (stop) { /* no finding: the process header says how it ended */
			report_keep(r, stop);
			proc_fate(v)->stop = stop;
			free(from);
			return;
		}
	}
	f = add_finding(r, "killed", SEV_ERROR, v, k && killer == v ? k : e);
	if (k && killer == v && arr && kill_to_other_thread(k))
		f->tid = arr->tid; /* (the thread that took it, from its arrival line, not the sender's) */
	finding_set_signal(f, v->exit_signal);
	f->phase = xstrdup(proc_end_phase(v) ? proc_end_phase(v) : "?");
	if (k && killer == v && reap)
		f->t = k->t;
	else if (k && arr && !strcmp(ev_field(arr, 5), "dfl"))
		f->t = arr->t; /* its death: a kill line of another process may be later (shims before
				* format 3's at-field took its time when the call returned) */
	else if (k)
		f->t = k->t > proc_t_last(v) ? k->t : proc_t_last(v);
	else if (!arr || strcmp(ev_field(arr, 5), "dfl")) /* (a fatal arrival is the death's time) */
		f->t = proc_t_last(v); /* alive until its last line, whichever thread wrote it (a watchdog's snapshot) */
	when = since_teardown(tb, f->t, v);
	recv = signals_received(r, v, until, proc_time_origin(v));
	if (k)
		site = kill_site(killer, k);
	/* its handler's re-raise after the signal arrived (the idiom, a finding here only where the shim
	 * found the process in its teardown: deliberate_stop) */
	const struct event *handled = k && killer == v && stop_signal(v->exit_signal) ? handled_arrival(v, v->exit_signal, k->t) : NULL;
	char *hfrom = handled && outcome_bp ? arrival_sender(v, handled) : NULL;
	if (k && killer == v && arr && kill_to_other_thread(k))
		by = xasprintf("sent by its own thread %d with %s() from %s, taken by thread %d%s", k->tid, ev_field(k, 0),
			       site, arr->tid, !strcmp(ev_field(arr, 5), "dfl") ? " with the default action" : "");
	else if (handled)
		by = xasprintf("re-raised by its handler (%s from %s) after it arrived from %s", ev_field(k, 0), site,
			       hfrom ? hfrom : "?");
	else if (k && killer == v)
		by = xasprintf("which it sent itself (%s from %s)", ev_field(k, 0), site);
	else if (from && k)
		by = xasprintf("sent by %s with %s() from %s, taken by thread %d %s", from, ev_field(k, 0), site, arr->tid,
			       !strcmp(ev_field(arr, 5), "dfl") ? "with the default action" : "");
	else if (from)
		by = xasprintf("sent by %s, taken by thread %d%s", from, arr->tid,
			       !strcmp(ev_field(arr, 5), "dfl") ? " with the default action" : "");
	else if (k)
		by = xasprintf("sent by process %d (%s%s) with %s() from %s", killer->pid, prog_of(killer),
			       killer->pid == v->ppid ? ", its parent" : "", ev_field(k, 0), site);
	else
		by = xstrdup("sent by a process the traces do not cover (or the kernel)");
	/* a SIGABRT/SIGSEGV... sent from outside: the shim's crash report says what the thread that
	 * took it was doing */
	if (v->exit_signal != SIGKILL)
		received_signal_frames(f, v, v->exit_signal);
	if (strlen(by) < MESSAGE_MAX / 2) { /* (always but for a symbol of kilobytes) */
		f->message = by; /* who sent it: the same words for a supervisor's workers, kept once */
		by = NULL;
		f->say = killed_message;
	} else
		f->message = killed_text(v, by, when);
	if (k && killer == v && arr && kill_to_other_thread(k))
		f->root_cause = xasprintf("thread %d sent %s to thread %d with %s(), which met %s there: the process "
					  "ended, in: %s. No exit status was returned, whatever main or exit() were "
					  "about to return",
					  k->tid, sig, arr->tid, ev_field(k, 0), "the default action", f->phase);
	else if (handled)
		f->root_cause = xasprintf("%s arrived at its handler from %s during its teardown, and the handler raised it "
					  "again with the default action (the idiom to die by the signal after cleanup): that "
					  "ended the process in: %s, before its teardown finished", sig, hfrom ? hfrom : "?",
					  f->phase);
	else if (k && killer == v)
		f->root_cause = xasprintf("the process raised %s itself while %s was still in place for it: the "
					  "signal ended the process before the call returned, in: %s. No exit status "
					  "was returned, whatever main or exit() were about to return",
					  sig, "the default action", f->phase);
	else
		/* (said as a sentence, not as fields: FRESH17b item 5) */
		f->root_cause = xasprintf("%s ended the process %s%s%s%s%s%s", sig,
					  !strcmp(f->phase, "running") ? "while it was running, before any teardown step"
					  : strncmp(f->phase, "in ", 3) ? "in: " : "",
					  !strcmp(f->phase, "running") ? "" : f->phase,
					  !strcmp(f->phase, "running") ? "" : ", where its trace ends",
					  reap ? " (its parent's wait tells how it died)"
					  : v->exit_signal == SIGKILL && killer && killer != v
						  ? ": nobody traced reaped it, but SIGKILL cannot be caught, blocked or "
						    "ignored, so the process ended there"
						  : "",
					  recv ? ". Signals sent to it: " : "", recv ? recv : "");
	f->fix = killed_fix(r, v, k, killer, site, tb, until);
	{
		char *early = killed_early_fix(v, tb, f->t, killer);
		if (*watchdog_off_fix(v, tb) || *early) {
			char *fix = xasprintf("%s%s%s", early, f->fix, watchdog_off_fix(v, tb));
			free(f->fix);
			f->fix = fix;
		}
		free(early);
	}
	if (k && killer == v)
		explain_failure(f); /* what made it raise, if a rule of the order family knows */
	finding_settle(f);
	finding_fold_like(r, f);
	free(when);
	free(recv);
	free(site);
	free(by);
	free(from);
	free(hfrom);
}

/* A process whose trace has no end, that another traced process sent SIGKILL after its last line
 * (and the kill succeeded): it died by it, as nothing can catch, block or ignore SIGKILL, though
 * nobody traced reaped it (a server that kills its workers on its way out: gunicorn's graceful
 * timeout). */
static void sigkill_inferred(struct report *r, struct proc *v)
{
	struct proc *who = NULL;
	const struct event *k = sender_of(r, v, SIGKILL, UINT64_MAX, &who);
	if (!k || who == v || k->t < proc_t_last(v) || ev_dec(k, 4) != 0)
		return;
	v->exit_known = 1;
	proc_set_how(v, "signal");
	v->exit_signal = SIGKILL;
	proc_fate(v)->killed_by = k;
	proc_fate(v)->killer = who;
}

/* an unfinished finding's message, built when it is shown (finding.say) */
static void unfinished_message(const struct finding *f, char *buf, size_t n)
{
	const struct proc *v = f->proc;
	const struct event *e = f->ev;
	char *when = since_teardown(teardown_start(v), e->t, v), *early = killed_early_words(v, teardown_start(v), e->t, 0);
	snprintf(buf, n, "process %d (%s): its trace has no end; the last event is %s on thread %d%s, %s; "
		 "its phase is thread %d's%s%s", v->pid, prog_of(v), event_type_words(e->type), e->tid,
		 shim_thread(v, e->tid) ? " (tlstrace watchdog)" : "", when, proc_end_tid(v),
		 watchdog_off_words(v, teardown_start(v)), early);
	free(early);
	free(when);
}

#define UNFINISHED_FIX                                                                                   \
	"trace its parent too (the supervisor under LD_PRELOAD, or run the whole service with the "      \
	"tlstrace wrapper): its wait calls record how this process ended; its phase is where it " \
	"stood last"
#define UNFINISHED_CAUSE                                                                              \
	"nothing in the traces says how it ended: its trace has no end of exit() (its last atexit " \
	"handler), no _exit() and no fatal signal, and no traced parent's wait reaped it. It was still " \
	"running when the trace was read, hung, or "    \
	"was killed by a signal the shim cannot see (SIGKILL, or a signal with no handler that ends "   \
	"the process)"

/* 1 if v was left running as a daemon: its traced parent's last lines are its fork of v, then
 * the parent's own _exit on that thread (glibc's daemon(), misc/daemon.c: fork, then _exit(0) in
 * the parent; the first fork of a server's own double fork alike). Nothing is to reap it, and its
 * trace has no end while it runs. */
static int left_as_daemon(const struct proc *v)
{
	const struct proc *p = v->forked ? proc_parent(v) : NULL;
	const struct event *last, *prev = NULL;
	if (!p || p->nev < 2 || (last = proc_ev(p, p->nev - 1))->type != EV__EXIT)
		return 0;
	for (int i = p->nev - 2; i >= 0 && !prev; i--)
		if (proc_ev(p, i)->tid == last->tid)
			prev = proc_ev(p, i);
	return prev && prev->type == EV_FORK && ev_dec(prev, 0) == v->pid;
}

#define DAEMON_FIX                                                                                   \
	"it is a daemon: its parent forked it and ended at once (daemon(), or the first fork of a "      \
	"server's double fork), so nothing was to reap it and its trace has no end while it runs: it was " \
	"still running when the trace was read, or ended later by a signal the shim cannot see; stop it " \
	"(as its service manager would) before the trace is read to see its end; its phase is where it " \
	"stood last"

/* The first image of v's process: v, or, where v began with an exec (the same pid ran another
 * program before it: a forked `sh -c 'sleep 2 &'` that execs sleep), the earliest program of that
 * pid that v's line of execs goes back to (proc_exec_before), which the fork made: its parent
 * and ppid are v's process's first (v's own start line has the ppid at the exec: 1, or a
 * subreaper, where the parent had already ended) */
static const struct proc *exec_first(const struct proc *v)
{
	const struct proc *f = v, *b;
	while (!f->forked && (b = proc_exec_before(f)) != NULL)
		f = b;
	return f;
}

/* v's traced parent (its fork's: exec_first) if it ended (exit, _exit or a signal: exit_known) without reaping v,
 * which has no end of its own: v was orphaned (the kernel re-parents it to init or a subreaper,
 * kernel/exit.c forget_original_parent), so nothing traced was left to reap it: a multiprocessing
 * pool's workers when the pool's process is killed in pool.join(). NULL if not (no traced
 * parent, or the parent was replaced by exec: the new program could still reap it). */
static const struct proc *orphaned_by(const struct proc *v)
{
	const struct proc *first = exec_first(v);
	const struct proc *p = first->forked ? proc_parent(first) : NULL;
	if (!p || !p->exit_known || p->execed || !proc_how(p))
		return NULL;
	return p;
}

#define ORPHAN_FIX                                                                                    \
	"it was orphaned: its parent %d (%s) ended (%s) without waiting for it, so nothing traced reaped " \
	"it, and it was still running when the trace was read, or ended later by a signal the shim "      \
	"cannot see (ps shows it with another parent: 1, or a subreaper); make the parent stop and reap its "\
	"children before it ends, in its termination handler too (Python multiprocessing: "               \
	"pool.terminate() and pool.join(), or the pool's with block; C: kill and waitpid them), make "     \
	"them end with it (prctl(PR_SET_PDEATHSIG)), or stop the whole group (systemd's "                  \
	"KillMode=control-group, a kill of the process group); its phase is where it stood last"

/* For v, orphaned by o: o's stop signal to its own process group (killpg, or kill of -pid: a
 * forked child stays in its parent's group unless it calls setsid or setpgid; not one v had left
 * then, where its pgrp lines say so: pgrp.c) after v began, for which v had set SIG_IGN before it: the signal never reached v, in
 * words to put before the orphan's fix ("" if none); an Apache child in prefork's graceful stop
 * said so (its SIGUSR1 handler sets SIGTERM and SIGHUP to SIG_IGN while the child ends, and after
 * GracefulShutdownTimeout the parent signals its group and ends: HANG15, a child left hung in
 * mod_wsgi's Py_Finalize). malloc'd */
static char *orphan_group_kill_ignored(const struct proc *v, const struct proc *o)
{
	const struct event *k = NULL, *ign = NULL, *usr1 = NULL;
	for (int i = 0; i < o->nev && !k; i++) {
		const struct event *e = proc_ev(o, i);
		int g;
		if (e->type == EV_KILL && ev_dec(e, 2) == -(long long)o->pid && stop_signal((int)ev_dec(e, 1)) &&
		    e->t >= proc_t_first(v) && ((g = pgrp_at(v, e->t)) <= 0 || g == o->pid))
			k = e;
	}
	for (int i = 0; k && i < v->nev && proc_ev(v, i)->t <= k->t; i++) {
		const struct event *e = proc_ev(v, i);
		if (e->type == EV_SIG_HANDLER && ev_dec(e, 0) == ev_dec(k, 1))
			ign = !strcmp(ev_field(e, 1), "0x1") ? e : NULL;
		if (e->type == EV_SIG_ARRIVE && ev_dec(e, 0) == SIGUSR1)
			usr1 = e;
	}
	if (!ign)
		return xstrdup("");
	char *site = kill_site(o, k);
	int apache = !strcmp(prog_of(o), "apache2") || !strcmp(prog_of(o), "httpd");
	char *s = xasprintf("its parent's %s to its process group (%s from %s, %.3f s after this process's teardown began) "
			    "never reached it: it had set %s to SIG_IGN %.3f s before%s; %s",
			    signal_name((int)ev_dec(k, 1)), ev_field(k, 0), site,
			    (double)(k->t - teardown_start(v)) / 1e9, signal_name((int)ev_dec(k, 1)), (double)(k->t - ign->t) / 1e9,
			    usr1 && usr1->t <= ign->t ? " (after SIGUSR1's arrival, in that handler)" : "",
			    apache && usr1 ? "under Apache's prefork MPM a graceful stop (apachectl -k graceful-stop: SIGWINCH to "
					     "the parent) sends each child SIGUSR1, whose handler ignores "
					     "SIGTERM and SIGHUP while the child finishes and exits; the parent waits "
					     "GracefulShutdownTimeout, then signals its group and ends without reaping, so a "
					     "child whose exit hangs is left running: bound what its exit runs (its hang "
					     "finding), or stop with apachectl -k stop, whose SIGTERM the children take (and "
					     "whose last resort is SIGKILL); "
					   : "");
	free(site);
	return s;
}

/* The sanitizer runtime library among v's modules (gcc's libasan.so.8, libtsan.so.2, ...; clang's
 * -shared-libsan libclang_rt.*), its base name, or NULL. Such a runtime ends the process after its
 * report with a direct exit (sanitizer_common's internal__exit: the exit_group system call, no
 * exit(), so no line of the shim's), ASan's status 1 by default (ASAN_OPTIONS exitcode). */
static const char *sanitizer_runtime(const struct proc *v)
{
	static const char *const libs[] = {"libasan.", "libtsan.", "libubsan.", "liblsan.", "libmsan.", "libhwasan.",
					   "libclang_rt."};
	const struct module *m = proc_mods(v);
	for (int i = 0; m && i < proc_nmods(v); i++)
		for (size_t k = 0; m[i].path && k < sizeof libs / sizeof *libs; k++)
			if (!strncmp(base_name(m[i].path), libs[k], strlen(libs[k])))
				return base_name(m[i].path);
	return NULL;
}

/* The unfinished finding's fix for v. Under the tlstrace wrapper (opt.wrapped_pid), which traces
 * all the command starts and waits for the command, "trace its parent, run it under the wrapper"
 * cannot help: what the wrapper saw of the command (its status: a signal from outside the traced
 * processes), or, for another process, that nothing reaped it. A constant or pooled string. */
static const char *unfinished_fix(const struct proc *v)
{
	int s = opt.wrapped_status;
	const struct proc *o;
	if (left_as_daemon(v))
		return DAEMON_FIX;
	const char *san = sanitizer_runtime(v);
	if (san) /* (FRESH17b: an ASan report's exit read as "still running, or killed") */
		return str_settle(xasprintf(
			"%s, a sanitizer's runtime, is loaded: after it reports an error (on stderr: \"ERROR: "
			"AddressSanitizer: ...\") it ends the process with a direct exit the shim cannot see (no "
			"exit(), no line), status 1 by default (ASAN_OPTIONS=exitcode=N): read its report on the "
			"process's stderr; if it printed none, the process was killed or still runs; its phase is "
			"where it stood last", san));
	if ((o = orphaned_by(v)) != NULL) {
		char ended[64];
		if (!strcmp(proc_how(o), "signal"))
			snprintf(ended, sizeof ended, "killed by %s", signal_name(o->exit_signal));
		else
			snprintf(ended, sizeof ended, "exit status %d", o->exit_status);
		char *before = orphan_group_kill_ignored(v, o), *fix = xasprintf(ORPHAN_FIX, o->pid, prog_of(o), ended);
		const char *r = str_settle(xasprintf("%s%s", before, fix));
		free(before);
		free(fix);
		return r;
	}
	/* its traced parent was still waiting for it when the parent's own trace ended (FRESH17: the
	 * wrapper's words said that parent "did not wait for it") */
	const struct proc *first = exec_first(v), *pp = first->forked ? proc_parent(first) : NULL;
	const struct event *pw;
	/* (a child started by posix_spawn or vfork and exec has no forked line: its parent by pid,
	 * the latest of that pid begun before it) */
	if (!pp && outcome_bp)
		for (int k = bypid_first(outcome_bp, first->ppid); k < outcome_bp->n && outcome_bp->p[k]->pid == first->ppid; k++)
			if (outcome_bp->p[k]->nev && proc_t_first(outcome_bp->p[k]) <= proc_t_first(first))
				pp = outcome_bp->p[k];
	/* (the parent's wait open at its end, found once per parent: a parent of 100,000 children,
	 * each unfinished, would read its lines for each: t227's told.trace) */
	if (pp && pp != memo_pp) {
		memo_pp = pp;
		memo_pw = !pp->exit_known || (proc_how(pp) && !strcmp(proc_how(pp), "signal")) ? wait_open(pp, 0, UINT64_MAX) : NULL;
	}
	pw = pp ? memo_pw : NULL;
	if (pw && pw->type == EV_WAIT_BEGIN && (ev_dec(pw, 1) == v->pid || ev_dec(pw, 1) == -1))
		return str_settle(xasprintf(
			"its parent %d (%s) is traced and was waiting for it (%s) when the parent's own trace ended (its "
			"finding says how: killed, or still waiting), so no wait returned to record how this process "
			"ended: it ran on, or was killed by a signal the shim cannot see; find why it did not end when "
			"it was told to (its signal-handler finding, if it has one); its phase is where it stood last",
			pp->pid, prog_of(pp), ev_field(pw, 0)));
	if (!opt.wrapped_pid)
		return UNFINISHED_FIX;
	if (v->ppid == opt.wrapped_pid && !v->forked && s > 128 && s <= 128 + 64)
		return str_settle(xasprintf(
			"this is the command the tlstrace wrapper ran and waited for: it got status %d, so it died by %s, "
			"which no traced process sent (another shell's kill, the OOM killer, a supervisor above the "
			"wrapper; the shim cannot see SIGKILL arrive): find what sent it (for the OOM killer, the "
			"kernel log); its phase is where it stood then", s, signal_name(s - 128)));
	if (v->ppid == opt.wrapped_pid && !v->forked)
		return str_settle(xasprintf(
			"this is the command the tlstrace wrapper ran and waited for: it got status %d, but the trace "
			"has no end of it (lines lost, or an exit the shim does not see, as a raw exit system call): its "
			"phase is its last known step", s));
	return str_settle(xasprintf(
		"the tlstrace wrapper traced it, but waits only for its command: nothing traced reaped this "
		"process, so its parent %d did not wait for it (see that process's wait calls, if it is in the "
		"report): it outlived the command, or was killed after it by a signal the shim cannot see; make "
		"its parent stop and reap its children before it ends; its phase is where it stood last", exec_first(v)->ppid));
}

#define UNFINISHED_EARLY_FIX                                                                         \
	"; to see what its threads waited on, set TLSTRACE_HANG_MS below the time it is given before it " \
	"is killed (its supervisor's grace period): its trace ends in its teardown before the hang "     \
	"watchdog's first snapshot"

/* unfinished_fix(v), and where the hang watchdog was off in v's teardown, or its trace ends there
 * before the watchdog's first snapshot (killed_before_watchdog), how to see its threads
 * (watchdog_off_fix, UNFINISHED_EARLY_FIX): a constant or pooled string (one per fix text, not
 * per process: no number in it) */
static const char *unfinished_fix_said(const struct proc *v)
{
	const char *off = watchdog_off_fix(v, teardown_start(v));
	long ms;
	if (!*off && killed_before_watchdog(v, teardown_start(v), proc_t_last(v), 0, &ms))
		off = UNFINISHED_EARLY_FIX;
	return *off ? str_settle(xasprintf("%s%s", unfinished_fix(v), off)) : unfinished_fix(v);
}

/* f (zeroed) made v's unfinished finding, as far as v alone says (all of it when no traced
 * process sent v a signal): its texts are constants or v's (in the string pool), nothing to free */
void unfinished_fill(struct finding *f, struct proc *v)
{
	const struct event *e = proc_ev(v, v->nev - 1); /* its last line, whichever thread wrote it */
	f->kind = "unfinished";
	f->severity = SEV_WARNING;
	f->proc = v;
	f->ev = e;
	f->tid = shim_thread(v, e->tid) ? proc_end_tid(v) : e->tid; /* (the program's thread, not the watchdog) */
	f->t = e->t;
	f->count = 1;
	f->phase = (char *)(proc_end_phase(v) ? proc_end_phase(v) : str_intern("?"));
	f->say = unfinished_message;
	f->root_cause = (char *)UNFINISHED_CAUSE;
	f->fix = (char *)unfinished_fix_said(v);
}

/* The signal-handler finding of r on v whose event is the installation of the handler the
 * arrival a ran, for a's signal (diag_signal.c's `replaced`: a module's handler over the
 * program's, s1), or NULL: then the handler that did not end the process is not the one meant
 * for the signal, and that finding is the cause. Findings of that kind are never folded. */
static struct finding *replacing_install(const struct report *r, const struct proc *v, const struct event *a)
{
	char ab[48], ib[48];
	for (int i = 0; i < r->nfindings; i++) {
		struct finding *f;
		if (finding_proc(r, i) != v || strcmp(finding_kind(r, i), "signal-handler") || finding_folded(r, i))
			continue;
		f = finding_at(r, i);
		if (f->ev && f->ev->type == EV_SIG_HANDLER && ev_dec(f->ev, 0) == ev_dec(a, 0) &&
		    !strcmp(code_tok(v, f->ev, 1, ib, sizeof ib), code_tok(v, a, 4, ab, sizeof ab)))
			return f;
	}
	return NULL;
}

/* An unfinished v whose last step was a termination signal (SIGTERM, SIGINT, SIGQUIT) that ran a
 * handler of its own, with no teardown step anywhere and no snapshot of that handler still
 * running: the handler did not end the process. Its message, root cause and fix into f; 0 if
 * the trace does not show that. Where the handler that ran had replaced the one meant for the
 * signal (replacing_install), f follows from that finding (its cause: the verdict says both on
 * that one's line), and the fix is to give the signal back to that one. */
static int unfinished_after_handler(struct finding *f, struct proc *v, const char *recv)
{
	const struct event *a = NULL;
	long ms = hang_ms_of(v);
	char *from, *h, *after, *s;
	for (int i = v->nev - 1; i >= 0 && !a; i--) {
		const struct event *e = proc_ev(v, i);
		int sig = e->type == EV_SIG_ARRIVE ? (int)ev_dec(e, 0) : 0;
		if ((sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) && !strcmp(ev_field(e, 5), "fn"))
			a = e;
	}
	if (!a || teardown_start(v) || handler_arm(v))
		return 0;
	from = outcome_bp ? arrival_sender(v, a) : xasprintf("process %s", ev_field(a, 2));
	h = arrival_handler_words(v, a);
	after = proc_t_last(v) > a->t ? duration_text(proc_t_last(v) - a->t) : NULL;
	/* python3: a handler that set a flag and returned, then sys.exit() or main's return, runs
	 * python3's own Py_FinalizeEx, which writes no line unless it waits in a call the shim
	 * interposes; the watchdog looks for it only at its deadlines (shim/watchdog.c hw_main) */
	int py = cpython_signal_handler(v, ev_field(a, 4));
	s = ms > 0 ? xasprintf("the hang watchdog, which snapshots a termination handler still running %ld ms after "
			       "the arrival%s, wrote nothing: it returned%s, unless the process ended before then", ms,
			       py ? " (and python3's own Py_FinalizeEx, its atexit callbacks, running then, x2 and x4)" : "",
			       py ? " and no Py_FinalizeEx was running then" : "")
		   : xstrdup("whether it returned the trace cannot show (the hang watchdog was off)");
	/* (a sender of its own that is not traced: a SIGKILL from it, s1's supervisor script's, is
	 * seen by nobody; the report says so rather than guess it) */
	int untraced = outcome_bp && strcmp(ev_field(a, 2), "-") && atoi(ev_field(a, 2)) != v->pid &&
		       !sender_traced(kills.r, a);
	f->message = xasprintf("process %d (%s): %s arrived from %s and ran its handler %s, but %s: %s%s%s; it was then killed by a signal the shim cannot see (SIGKILL, e.g. "
			       "from its supervisor%s%s%s) or still runs", v->pid, prog_of(v), signal_name((int)ev_dec(a, 0)),
			       from, h, py ? "the trace shows no teardown step after it (python3's own Py_FinalizeEx, "
			       "which sys.exit() or main's return runs, writes none while it calls nothing the shim "
			       "sees: one killed before the watchdog's first look may have been in it)"
			       : "no teardown step followed", after ? "its trace ends " : "the arrival is its trace's last line",
			       after ? after : "", after ? " after the arrival" : "", untraced ? "; the " : "",
			       untraced ? signal_name((int)ev_dec(a, 0)) : "",
			       untraced ? "'s sender is not traced: a kill it made later is not seen" : "");
	f->say = NULL;
	struct finding *took = replacing_install(kills.r, v, a);
	char tookfix[600];
	if (took)
		finding_detail(f)->cause = took;
	char *fix = took ? xasprintf("the handler that ran had replaced the one meant for %s (the signal-handler "
				     "finding): %s; %s", signal_name((int)ev_dec(a, 0)),
				     finding_fix(took, tookfix, sizeof tookfix), opt.wrapped_pid ? unfinished_fix(v)
				     : "to see who ended it and how, trace its supervisor too (its kill and wait calls)")
		  : xasprintf("%s; if another handler replaced the one meant for this signal, see the "
			      "signal-handler finding; %s", py ? "make the Python handler end the process (sys.exit(), or make "
			      "main leave its loop and return), and if it did, look at what runs after it: the process "
			      "may have been killed in its Py_FinalizeEx (an atexit callback) before the watchdog "
			      "looked (give it longer than TLSTRACE_HANG_MS before the kill, so that a snapshot shows "
			      "where)" : "make the handler end the process (or make main leave its "
			      "loop and return, so that exit() runs)", opt.wrapped_pid ? unfinished_fix(v)
			      : "to see who ended it and how, trace its supervisor too (its kill and wait calls)");
	explain_finding(f, fix,
			"the %s handler, %s, ran on thread %d; %s; no exit(), return from main or Py_Finalize "
			"came after it%s; the last line of its trace is %s on thread %d, %s after the arrival%s%s",
			signal_name((int)ev_dec(a, 0)), h, a->tid, s,
			py ? " that the shim sees: python3's own Py_FinalizeEx is not interposed, so the trace cannot "
			"tell a Python handler that did not end the process from one whose Py_FinalizeEx was killed "
			"before the watchdog's first look"
			: ": the handler did not end the process, and nothing else made it end",
			event_type_words(proc_ev(v, v->nev - 1)->type), proc_ev(v, v->nev - 1)->tid,
			after ? after : "0 ms", recv ? "; signals sent to it: " : "", recv ? recv : "");
	free(fix);
	free(from);
	free(h);
	free(after);
	free(s);
	return 1;
}

/* v's unfinished finding: only its process kept (add_folded) when v alone says all of it */
static void unfinished_finding(struct report *r, struct proc *v)
{
	char *recv = signals_received(r, v, UINT64_MAX, proc_time_origin(v));
	struct finding *f;
	if (!recv) {
		add_folded(r, v);
		return;
	}
	f = add_finding(r, "unfinished", SEV_WARNING, v, proc_ev(v, v->nev - 1));
	unfinished_fill(f, v);
	f->phase = xstrdup(f->phase);
	f->root_cause = f->fix = NULL;
	if (unfinished_after_handler(f, v, recv)) {
		finding_settle(f);
		free(recv);
		return;
	}
	explain_finding(f, unfinished_fix_said(v), UNFINISHED_CAUSE ". Signals sent to it: %s", recv);
	finding_settle(f);
	free(recv);
}

/* 1 if v, whose trace has no end, is still running as the report is made: its pid is alive on this
 * machine and started no later than v's first line (a pid is not reused while its process lives;
 * one reused since started after it) nor more than a minute before it (a fork's exec may come a
 * while after it). /proc/PID/stat's starttime is in clock ticks since boot (proc(5)), on the boot
 * clock, which runs ahead of the trace's CLOCK_MONOTONIC by the time suspended: taken out. And it
 * runs the same executable (/proc/PID/exe against the trace's executable with its links resolved here,
 * or as the trace names it where it is gone; its file replaced since counts as the same): a trace
 * read on another machine or after a reboot matches only by a triple chance. Not readable
 * (another user's process, not root): 0. */
static int still_running(const struct proc *v)
{
	char path[64], buf[1024], *s, *real;
	struct timespec mono, boot;
	unsigned long long start;
	long tick = sysconf(_SC_CLK_TCK);
	int fd, i;
	ssize_t n;
	uint64_t start_ns, first = proc_t_first(v);
	const char *exe = proc_prog(v)->exe;
	size_t len;
	/* the same program (a pid alive by chance, from another boot or machine, runs another) */
	snprintf(path, sizeof path, "/proc/%d/exe", v->pid);
	if (!exe || (n = readlink(path, buf, sizeof buf - 1)) <= 0)
		return 0;
	buf[n] = 0;
	/* a program file replaced or removed since it started (a package upgrade renames the new file
	 * over it): the kernel's link reads "PATH (deleted)" (proc(5)), PATH the name it had */
	if ((len = (size_t)n) > sizeof " (deleted)" - 1 && !strcmp(buf + len - (sizeof " (deleted)" - 1), " (deleted)"))
		buf[len - (sizeof " (deleted)" - 1)] = 0;
	if (!(real = realpath(exe, NULL)))
		real = xstrdup(exe); /* (removed here since: compared as the trace names it) */
	n = strcmp(buf, real);
	free(real);
	if (n)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/stat", v->pid);
	if (tick <= 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* fields after the command's closing parenthesis: state is field 3, starttime field 22 */
	if (!(s = strrchr(buf, ')')) || s[1] != ' ' || s[2] == 'Z' || s[2] == 'X') /* (a zombie has ended) */
		return 0;
	for (i = 2; i < 22 && s; i++)
		s = strchr(s + 1, ' ');
	if (!s || sscanf(s + 1, "%llu", &start) != 1 || clock_gettime(CLOCK_MONOTONIC, &mono) ||
	    clock_gettime(CLOCK_BOOTTIME, &boot))
		return 0;
	start_ns = (uint64_t)(start * (1000000000.0 / (double)tick)) -
		   (((uint64_t)boot.tv_sec - (uint64_t)mono.tv_sec) * 1000000000u + (uint64_t)boot.tv_nsec - (uint64_t)mono.tv_nsec);
	return start_ns <= first + 2 * 1000000000u / (uint64_t)tick && start_ns + 60 * 1000000000ull >= first;
}

/* A killed or unfinished process one of whose threads was blocked in a wait for a child (h6: the
 * parent of a hung child): its message (killed) or root cause (unfinished) says so, with what
 * became of the child. After every process's outcome is known. */
static void add_open_wait(struct report *r, int i)
{
	struct finding *f = finding_at(r, i);
	const struct proc *v = f->proc;
	uint64_t until = strcmp(f->kind, "killed") ? proc_t_last(v) : f->t > proc_t_last(v) ? f->t : proc_t_last(v);
	const struct event *w = wait_open(v, 0, until);
	char *words = w ? wait_words(r, v, w, until) : told_words(r, v, until), **into;
	if (!words)
		return;
	f = finding_kept(r, i); /* (changed: kept whole) */
	if (f->say && !strcmp(f->kind, "killed")) { /* its whole message kept from now on */
		char buf[MESSAGE_MAX], *m = str_settle(xstrdup(finding_message(f, buf, sizeof buf)));
		str_free(f->message);
		f->message = m;
		f->say = NULL;
	}
	into = strcmp(f->kind, "killed") ? &f->root_cause : &f->message;
	if (w)
		*into = str_settle(xasprintf("%s%sthread %d was %s", *into ? *into : "", *into ? "; " : "", w->tid, words));
	else
		*into = str_settle(xasprintf("%s%s%s", *into ? *into : "", *into ? "; " : "", words));
	free(words);
}

static void outcome_report_end(struct report *r)
{
	struct bypid bp;
	int i, k, first = r->nfindings;
	bypid_build(&bp, r);
	outcome_bp = &bp;
	memo_pp = NULL, memo_pw = NULL;
	kills_build(r, &bp);
	pgrp_build(r);
	for (i = 0; i < r->nprocs; i++) {
		struct proc *parent = r->procs[i];
		for (k = 0; k < parent->nev; k++) {
			const struct event *e = proc_ev(parent, k);
			struct proc *v;
			if (e->type == EV_REAP && (v = reaped_proc(&bp, parent, e)) != NULL)
				apply_reap(v, parent, e);
		}
	}
	for (i = 0; i < first; i++) /* (diag_signal's, made before this rule) */
		if (!strcmp(finding_kind(r, i), "signal-handler"))
			index_put(&handler_findings, finding_proc(r, i)->index + 1, finding_proc(r, i));
	for (i = 0; i < r->nprocs; i++) {
		struct proc *v = r->procs[i];
		if ((opt.pid && v->pid != opt.pid) || !v->nev)
			continue;
		/* a program exec'd by the same pid, its trace in another file: this one was replaced */
		for (k = bypid_first(&bp, v->pid); k < bp.n && bp.p[k]->pid == v->pid && !v->exit_known && !v->execed; k++)
			if (bp.p[k] != v && bp.p[k]->ppid == v->ppid && proc_file(r, bp.p[k]) != proc_file(r, v) && !bp.p[k]->forked &&
			    proc_t_first(bp.p[k]) >= proc_t_last(v))
				v->execed = 1;
		if (!v->exit_known && !v->execed)
			sigkill_inferred(r, v);
		if (v->exit_known && proc_how(v) && !strcmp(proc_how(v), "signal") && !v->crashed)
			killed_finding(r, v);
		else if (!v->exit_known && !v->execed && v->format >= TLSTRACE_FORMAT_ENDS && !left_as_daemon(v) &&
			 !orphaned_by(v) && still_running(v))
			/* (FRESH17: a live process's trace was an unfinished finding; one its traced
			 * parent left behind, orphaned or as a daemon, keeps its finding: that it runs on
			 * is the finding) */
			v->running = 1;
		else if (!v->exit_known && !v->execed && v->format >= TLSTRACE_FORMAT_ENDS) {
			v->unfinished = 1;
			unfinished_finding(r, v);
		}
	}
	finding_fold_end();
	for (i = first; i < r->nfindings; i++)
		add_open_wait(r, i);
	outcome_bp = NULL;
	index_free(&handler_findings);
	memset(&handler_findings, 0, sizeof handler_findings);
	pgrp_free();
	arrivals_kept_free();
	if (bp.own)
		free(bp.p);
	free(kills.at);
	free(kills.by_pid);
	kills.at = NULL;
	kills.by_pid = NULL;
	kills.n = kills.naimed = 0;
}

const struct diag_rule diag_outcome = {"outcome", NULL, outcome_proc_end, outcome_report_end};

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

/* a code token of a line written at time t (ns), named (code_full_name_at: an address in a module
 * unloaded by then is named from the module's file, "(unloaded)" after it) */
static void code_text(const struct proc *p, const char *tok, int is_return, uint64_t t, char *buf, size_t n)
{
	char *s = code_full_name_at(p, tok, is_return, t);
	snprintf(buf, n, "%s", s);
	free(s);
}

/* "func (module)" or module+offset; "func (module, unloaded)" for an address in a module unloaded
 * by time t (code_func_name_at; code_parse_at 1, not 2: a module loaded after) */
static void short_code(const struct proc *p, const char *tok, uint64_t t, char *buf, size_t n)
{
	const struct module *m = code_module_at(p, tok, t);
	char *f = code_func_name_at(p, tok, t);
	struct code c;
	const char *gone = m && code_parse_at(p, tok, t, &c) == 1 ? ", unloaded" : "";
	if (m && strncmp(f, base_name(m->path), strlen(base_name(m->path))) != 0)
		snprintf(buf, n, "%s (%s%s)", f, base_name(m->path), gone);
	else
		snprintf(buf, n, "%s%s", f, *gone ? " (unloaded)" : "");
	free(f);
}

/* short_code for a signal handler: handler_func_name's name (CPython's signal_handler, or "is
 * stripped"), its module where the name does not say it */
static void handler_text(const struct proc *p, const char *tok, uint64_t t, char *buf, size_t n)
{
	const struct module *m = code_module_at(p, tok, t);
	char *f = handler_func_name(p, tok);
	/* (only where it adds to short_code's, which names a module loaded at t: a plugin's
	 * constructor installs its handler before its mod line) */
	if (m && !strcmp(f, "signal_handler"))
		snprintf(buf, n, "%s (%s)", f, base_name(m->path));
	else if (m && strstr(f, " is stripped)"))
		snprintf(buf, n, "%s", f);
	else
		short_code(p, tok, t, buf, n);
	free(f);
}

static void tls_text(const struct proc *p, long long seq, char *buf, size_t n)
{
	const struct module *m = tls_reg_module(p, seq);
	char *sym = tls_display_name(p, seq);
	snprintf(buf, n, "%s%s%s%s", sym, m ? " (" : "", m ? base_name(m->path) : "", m ? ")" : "");
	free(sym);
}

/* The innermost step of the process being shown whose time holds the start of the shim's hang
 * watchdog thread (its first hang_arm line of a teardown, written by the thread that then makes
 * the watchdog's with pthread_create: shim/watchdog.c wd_start_thread; 0.1-0.5 ms on an idle
 * machine, milliseconds on a loaded one, as the new thread can take the CPU), NULL if none: its
 * duration says it includes that (FRESH16: a static destructor of one printf at 3.380 ms) */
static const struct event *arm_step;

static void arm_step_find(const struct proc *p)
{
	const struct event *arm = NULL;
	arm_step = NULL;
	for (int i = 0; i < p->nev && !arm; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->type == EV_HANG_ARM && !why_handler(ev_field(e, 0)))
			arm = e;
	}
	for (int i = 0; arm && i < p->nev && proc_ev(p, i) != arm; i++) {
		const struct event *b = proc_ev(p, i), *end = ev_match(b);
		if (b->tid == arm->tid && end && end->t >= arm->t && end != b &&
		    (b->type == EV_ATEXIT_RUN || b->type == EV_TLS_DTOR || b->type == EV_PY_FIN ||
		     b->type == EV_PY_ATEXIT_RUN || b->type == EV_KEY_DTOR || b->type == EV_DLCLOSE_BEGIN ||
		     b->type == EV_CXA_FIN))
			arm_step = b; /* (the latest to begin: the innermost) */
	}
}

/* The teardown's own hang_arm line of the process being shown and the event its teardown began
 * at (main's return, exit(), the arrival of the signal whose handler ended the process), or NULL:
 * the shim writes hang_arm when it makes the watchdog's thread, inside the first teardown step,
 * so the line is shown at that beginning, with its time, where the messages' "after its
 * teardown began" count from (FRESH16b: "teardown began" at +0.062 ms, after the first step,
 * while the message counted from +0.000) */
static const struct event *arm_line_ev, *arm_anchor;

static void arm_anchor_find(const struct proc *p, int *ord, int n)
{
	int a = -1, b = -1;
	arm_line_ev = arm_anchor = NULL;
	for (int k = 0; k < n && a < 0; k++) {
		const struct event *e = proc_ev(p, ord[k]);
		if (e->type == EV_HANG_ARM && (!strcmp(ev_field(e, 0), "exit") || !strcmp(ev_field(e, 0), "main_return") ||
					       !strcmp(ev_field(e, 0), "signal")))
			a = k;
	}
	if (a < 0)
		return;
	const struct event *arm = proc_ev(p, ord[a]), *begin = NULL;
	if (!strcmp(ev_field(arm, 0), "signal")) {
		for (int i = 0; i < p->nev && proc_ev(p, i) != arm; i++)
			if (proc_ev(p, i)->type == EV_SIG_ARRIVE && !strcmp(ev_field(proc_ev(p, i), 5), "fn"))
				begin = proc_ev(p, i);
	} else if (proc_exit_began(p) && proc_exit_began(p)->tid == arm->tid) {
		begin = proc_exit_began(p);
	}
	for (int k = 0; begin && k < a && b < 0; k++)
		if (proc_ev(p, ord[k]) == begin)
			b = k;
	if (b < 0)
		return;
	/* (the line right after its beginning: the others between move down one) */
	int at = ord[a];
	memmove(ord + b + 2, ord + b + 1, (size_t)(a - b - 1) * sizeof *ord);
	ord[b + 1] = at;
	arm_line_ev = arm;
	arm_anchor = begin;
}

static void duration(const struct event *b, char *buf, size_t n)
{
	if (ev_match(b))
		snprintf(buf, n, "%.3f ms%s", (double)(ev_match(b)->t - b->t) / 1e6,
			 b == arm_step ? ", with the start of the shim's hang watchdog thread" : "");
	else
		snprintf(buf, n, "did not return");
}

static int atexit_leaf(const struct proc *p, int i)
{
	const struct event *b = proc_ev(p, i), *end = ev_match(b);
	int j;
	if (b->type != EV_ATEXIT_RUN || !end)
		return 0;
	for (j = i + 1; j < p->nev && proc_ev(p, j) != end; j++)
		if (proc_ev(p, j)->shown && proc_ev(p, j)->tid == b->tid)
			return 0;
	return 1;
}

/* Four or more handlers of one module in a row that do nothing visible (C++ static destructors
 * of a library, typically) are one line. Returns the index after the run, or -1. */
static int atexit_run_of_module(FILE *out, const struct proc *p, int i, uint64_t t0)
{
	const struct event *e = proc_ev(p, i);
	const struct module *m = code_module(p, ev_field(e, 1));
	uint64_t total = 0;
	int k = 0, last = i, x;
	if (!m || !atexit_leaf(p, i))
		return -1;
	for (x = i; x < p->nev; x++) {
		const struct event *v = proc_ev(p, x);
		if (!v->shown)
			continue;
		if (v->type != EV_ATEXIT_RUN || v->tid != e->tid || !atexit_leaf(p, x) || code_module(p, ev_field(v, 1)) != m)
			break;
		total += ev_match(v)->t - v->t;
		k++;
		last = x;
	}
	if (k < 4)
		return -1;
	fprintf(out, "    %s%+10.3f ms%s  %-7d %*s%d atexit handlers of %s  [%.3f ms]\n", c_dim,
		(double)(int64_t)(e->t - t0) / 1e6, c_off, e->tid, 2 * e->depth, "", k, base_name(m->path), (double)total / 1e6);
	return last + 1;
}

/* a wait_begin or wait_poll line's target in words: "child 812", "any child", "a child in
 * process group 7", "a child in its own process group", "the child of pidfd 3"; into buf */
static const char *wait_target(const struct event *e, char *buf, size_t n)
{
	const char *tok = ev_field(e, 1);
	long long t = ev_dec(e, 1);
	if (!strncmp(tok, "fd:", 3))
		snprintf(buf, n, "the child of pidfd %s", tok + 3);
	else if (t > 0)
		snprintf(buf, n, "child %s", tok);
	else if (t == -1)
		snprintf(buf, n, "any child");
	else if (t == 0)
		snprintf(buf, n, "a child in its own process group");
	else
		snprintf(buf, n, "a child in process group %s", tok + 1);
	return buf;
}

/* one timeline line */
static const struct report *timeline_report; /* render_text's: arrivals' senders (senders.c) */

static void timeline_line(FILE *out, const struct proc *p, int i, uint64_t t0, char *last_py)
{
	const struct event *e = proc_ev(p, i);
	char a[1400], b[600], d[600];
	const char *mark = "", *mcol = "";
	int depth = e->depth; /* its nesting in the timeline */

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
		short_code(p, ev_field(e, 1), e->t, b, sizeof b);
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
		short_code(p, ev_field(e, 1), e->t, b, sizeof b);
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "Py_AtExit function %s  [%s]", b, d);
		break;
	case EV_KEY_DTOR:
		short_code(p, ev_field(e, 2), e->t, b, sizeof b);
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "pthread key %lld destructor %s, value %s, round %lld  [%s]", ev_dec(e, 0), b,
			 ev_field(e, 1), ev_dec(e, 3), d);
		break;
	case EV_UAD:
		tls_text(p, ev_dec(e, 0), b, sizeof b);
		code_text(p, ev_field(e, 6), 1, e->t, d, sizeof d);
		snprintf(a, sizeof a, "use-after-destroy: %s, from %s", b, d);
		mark = "!! ";
		mcol = strcmp(ev_field(e, 7), "ld?") ? c_err : c_warn;
		break;
	case EV_POISON_HIT:
		tls_text(p, ev_dec(e, 0), b, sizeof b);
		snprintf(a, sizeof a, watch_hw(p) ? "destroyed %s read or written, caught by a hardware watchpoint"
						  : "poisoned value of destroyed %s used", b);
		mark = "!! ";
		mcol = c_err;
		break;
	case EV_CRASH:
		code_text(p, ev_field(e, 3), 0, e->t, b, sizeof b);
		if (ev_dec(e, 1) > 0)
			snprintf(a, sizeof a, "%s (%s) at %s in %s", signal_name((int)ev_dec(e, 0)),
				 si_code_name((int)ev_dec(e, 0), (int)ev_dec(e, 1)), ev_field(e, 2), b);
		else if ((ev_hex(e, 2) & 0xffffffffu) && (int)(ev_hex(e, 2) & 0xffffffffu) != p->pid)
			/* si_pid in the address field: sent by another process, taken here */
			snprintf(a, sizeof a, "%s from pid %u (%s) taken in %s", signal_name((int)ev_dec(e, 0)),
				 (unsigned)(ev_hex(e, 2) & 0xffffffffu), si_code_name((int)ev_dec(e, 0), (int)ev_dec(e, 1)), b);
		else {
			/* (where the program raised it, as the crash finding's message says: diag_crash.c;
			 * after a reap of a child killed by it, passed on: no crash, diag_crash.c) */
			char *raised = crash_raised_where(p, i);
			const struct event *c = passed_on_from(p, e);
			char on[64] = "";
			if (c)
				snprintf(on, sizeof on, ": passed on from its child %s", ev_field(c, 1));
			if (raised)
				snprintf(a, sizeof a, "%s sent (%s) %s%s", signal_name((int)ev_dec(e, 0)),
					 si_code_name((int)ev_dec(e, 0), (int)ev_dec(e, 1)), raised, on);
			else
				snprintf(a, sizeof a, "%s sent (%s) in %s%s", signal_name((int)ev_dec(e, 0)),
					 si_code_name((int)ev_dec(e, 0), (int)ev_dec(e, 1)), b, on);
			free(raised);
			if (c)
				break; /* (no mark: not a failure of its own) */
		}
		mark = "!! ";
		mcol = c_err;
		break;
	case EV_TLS_LATE_ALLOC: {
		const struct module *m = proc_module(p, (int)ev_dec(e, 0));
		code_text(p, ev_field(e, 1), 1, e->t, b, sizeof b);
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
		code_text(p, ev_field(e, 3), 1, e->t, b, sizeof b);
		snprintf(a, sizeof a, "pthread_%sspecific(key %lld) after its destructor ran, from %s%s", ev_field(e, 1),
			 ev_dec(e, 0), b, e->normal ? " (a sanitizer runtime's own key, on purpose: normal)" : "");
		if (!e->normal) {
			mark = "!! ";
			mcol = c_warn;
		}
		break;
	case EV_KILL: {
		char *site = kill_site(p, e);
		snprintf(b, sizeof b, "%s", site);
		free(site);
		if (!strcmp(ev_field(e, 4), "-")) /* aimed at this process */
			snprintf(a, sizeof a, "%s(%s)%s%s from %s%s", ev_field(e, 0), signal_name((int)ev_dec(e, 1)),
				 ev_dec(e, 2) == p->pid ? "" : " to ", ev_dec(e, 2) == p->pid ? "" : ev_field(e, 2), b,
				 !strcmp(ev_field(e, 6), "dfl") && !strcmp(ev_field(e, 7), "0") ? " (default action)" : "");
		else
			snprintf(a, sizeof a, "%s(%s) to %s from %s%s", ev_field(e, 0), signal_name((int)ev_dec(e, 1)),
				 ev_field(e, 2), b, ev_dec(e, 4) ? " (failed)" : "");
		break;
	}
	case EV_REAP:
		if (!strcmp(ev_field(e, 2), "signal"))
			snprintf(a, sizeof a, "%s: child %s was killed by %s%s", ev_field(e, 0), ev_field(e, 1),
				 signal_name((int)ev_dec(e, 3)), ev_dec(e, 4) ? " (core dumped)" : "");
		else
			snprintf(a, sizeof a, "%s: child %s exited with status %lld", ev_field(e, 0), ev_field(e, 1), ev_dec(e, 3));
		break;
	case EV_WAIT_BEGIN:
		snprintf(a, sizeof a, "%s: blocked waiting for %s%s", ev_field(e, 0), wait_target(e, b, sizeof b),
			 ev_match(e) ? "" : "  [did not return]");
		break;
	case EV_WAIT_POLL: { /* KIDS "812:15,813:15" as "812 (SIGTERM), 813 (SIGTERM)" */
		const char *why = ev_field(e, 3);
		char *run = poll_run_words(e); /* (long, signal) */
		int known = run || !strcmp(why, "kill") || !strcmp(why, "teardown"); /* (another, a newer shim's: shown as it is) */
		size_t n = (size_t)snprintf(a, sizeof a, "%s(WNOHANG): polling for %s, %s%s%s", ev_field(e, 0),
					    wait_target(e, b, sizeof b),
					    !strcmp(why, "kill") ? "told to stop:" : !strcmp(why, "teardown") ? "in its teardown"
					    : run ? run : "why ", run ? "" : known ? "" : why,
					    known ? "" : " (not known to this report)");
		for (const char *k = ev_field(e, 4); !strcmp(ev_field(e, 3), "kill") && *k >= '0' && *k <= '9' && n < sizeof a;) {
			char *end;
			long long pid = strtoll(k, &end, 10);
			int sig = *end == ':' ? (int)strtol(end + 1, &end, 10) : 0;
			n += (size_t)snprintf(a + n, sizeof a - n, "%s %lld (%s)", k == ev_field(e, 4) ? "" : ",", pid, signal_name(sig));
			k = *end == ',' ? end + 1 : end;
		}
		/* an episode's line is its first empty poll: the shim records no later one (a run's
		 * line has its own counts) */
		if (!run && known && n < sizeof a)
			n += (size_t)snprintf(a + n, sizeof a - n, " (its first empty poll; later ones are not recorded)");
		free(run);
		if (!ev_match(e) && n < sizeof a)
			snprintf(a + n, sizeof a - n, "  [no later wait call of this thread ended it]");
		break;
	}
	case EV_THREADS_ALIVE: {
		/* at a fork: the child it made (the fork line the same thread writes once fork returned),
		 * which has only the calling thread (FRESH16: h6's parent showed no fork) */
		long long child = 0;
		for (int k = i + 1; !strcmp(ev_field(e, 0), "fork") && k < p->nev && !child; k++)
			if (proc_ev(p, k)->tid == e->tid && proc_ev(p, k)->type == EV_FORK)
				child = ev_dec(proc_ev(p, k), 0);
		size_t n = child > 0 ? (size_t)snprintf(a, sizeof a, "fork() made child %lld, which has only the calling thread; "
							"%lld other thread%s alive then:", child, ev_dec(e, 1),
							ev_dec(e, 1) == 1 ? " was" : "s were")
				     : (size_t)snprintf(a, sizeof a, "%lld other thread%s alive at %s:", ev_dec(e, 1),
							ev_dec(e, 1) == 1 ? "" : "s", teardown_words(ev_field(e, 0)));
		if (n < sizeof a)
			alive_threads_text(p, e, a + n, sizeof a - n);
		break;
	}
	case EV_HANG_ARM:
		if (!strcmp(ev_field(e, 0), "signal")) {
			/* the shim counts from the arrival only when the teardown ran inside its handler */
			int sig = 0;
			for (int i = 0; i < p->nev && proc_ev(p, i) != e; i++)
				if (proc_ev(p, i)->type == EV_SIG_ARRIVE && !strcmp(ev_field(proc_ev(p, i), 5), "fn"))
					sig = (int)ev_dec(proc_ev(p, i), 0);
			snprintf(b, sizeof b, "at %s's arrival (its handler went on to end the process)",
				 sig ? signal_name(sig) : "a termination signal");
		} else if (!strcmp(ev_field(e, 0), "exit") && proc_arrival_before_exit(p)) {
			/* (a SIGHUP handler's exit, say: its signal named as a termination signal's is; the
			 * shim counts from exit) */
			snprintf(b, sizeof b, "(exit() called right after %s's arrival at its handler)",
				 signal_name((int)ev_dec(proc_arrival_before_exit(p), 0)));
		} else {
			const char *why = ev_field(e, 0);
			snprintf(b, sizeof b, "(%s%s)", !strcmp(why, "py_fin_stack") ? "Py_FinalizeEx, seen at a blocking wait"
				 : !strcmp(why, "py_fin_late") ? "Py_FinalizeEx's module teardown, after the atexit callbacks, "
								 "seen at a blocking wait"
				 : teardown_words(why), !strcmp(why, "exit") || !strcmp(why, "py_fin") || !strcmp(why, "py_end_interp")
				 ? " called" : "");
		}
		/* a handler's watcher writes its hang_arm line at its first look (at the first
		 * deadline, or later for a handler asleep then: watchdog.c hw_main), not at the
		 * arrival its times count from. It looks at 1x, 2x and 4x; a handler asleep in a call
		 * a signal cuts short is looked at again for up to an eighth of the time to the next
		 * deadline before its snapshot is taken from outside (hw_main): its snapshots may come
		 * that much after each deadline, so these lines say "looks at", not "snapshots at" */
		if (!strcmp(ev_field(e, 0), "handler_hup"))
			snprintf(a, sizeof a, "the SIGHUP handler has not returned: hang watchdog armed, looks at %lld ms, x2, x4 "
				 "after the signal's arrival", ev_dec(e, 1));
		else if (!strcmp(ev_field(e, 0), "handler"))
			snprintf(a, sizeof a, "the termination handler has not returned: hang watchdog armed, looks at "
				 "%lld ms, x2, x4 after the signal's arrival (its teardown began there)", ev_dec(e, 1));
		else if (!strcmp(ev_field(e, 0), "py_after_handler"))
			snprintf(a, sizeof a, "Python's main thread waits (a sleep, a poll or a timed wait) after a termination "
				 "signal: hang watchdog armed, looks at %lld ms, x2, x4 after the signal's arrival (its teardown "
				 "began there)", ev_dec(e, 1));
		else if (!strcmp(ev_field(e, 0), "handler_py"))
			snprintf(a, sizeof a, "Python's main thread blocks after a termination signal: hang watchdog armed, "
				 "looks at %lld ms, x2, x4 after the signal's arrival (its teardown began there)", ev_dec(e, 1));
		else if (py_fin_arm_arrival(p, e))
			/* (the handler watcher's, kept past the Python handler's return: its times from
			 * the arrival; Py_FinalizeEx began between, unseen) */
			snprintf(a, sizeof a, "Py_FinalizeEx%s, seen on the main thread's stack after the %s handler returned: "
				 "hang watchdog armed, looks at %lld ms, x2, x4 after the signal's arrival (its teardown "
				 "began between)", !strcmp(ev_field(e, 0), "py_fin_late") ? "'s module teardown, after the atexit callbacks" : "",
				 signal_name((int)ev_dec(py_fin_arm_arrival(p, e), 0)), ev_dec(e, 1));
		else
			snprintf(a, sizeof a, "teardown began %s: hang watchdog armed, snapshots at %lld ms, x2, x4", b, ev_dec(e, 1));
		break;
	case EV_HANG:
		snprintf(a, sizeof a, "%s after %lld ms: snapshot %lld (%s)",
			 !strcmp(ev_field(e, 2), "handler_hup") ? "the SIGHUP handler has not returned" : "still in teardown",
			 ev_dec(e, 1), ev_dec(e, 0), hang_snapshot_complete(p, e) ? "see the hang finding" : "cut short: not complete");
		mark = "!! ";
		mcol = c_warn;
		break;
	case EV_DLCLOSE_BEGIN:
		code_text(p, ev_field(e, 1), 1, e->t, b, sizeof b);
		duration(e, d, sizeof d);
		{
			long long ids[4];
			int k = 0, n;
			size_t len;
			while (k < p->nev && proc_ev(p, k) != e)
				k++;
			n = dlclose_unloaded(p, k, ids, 4);
			len = (size_t)snprintf(a, sizeof a, "dlclose(%s) from %s  [%s]", ev_field(e, 0), b, d);
			for (k = 0; k < n && len < sizeof a; k++) {
				const struct module *m = proc_module(p, (int)ids[k]);
				len += (size_t)snprintf(a + len, sizeof a - len, "%s%s", k ? ", " : ": unloaded ",
							m ? base_name(m->path) : "?");
			}
		}
		break;
	case EV_DL_FINI: {
		/* the threads that ended meanwhile: a destructor function stopping its workers */
		size_t n;
		int k, count = 0;
		duration(e, d, sizeof d);
		n = (size_t)snprintf(a, sizeof a, "module destructors (_dl_fini)  [%s]", d);
		for (k = 0; k < p->nev && n < sizeof a - 200 && count < 8; k++) {
			uint64_t end = thread_end_time(proc_ev(p, k));
			char *w;
			if (!end || proc_ev(p, k)->tid == e->tid || end < e->t || (ev_match(e) && end > ev_match(e)->t))
				continue;
			w = dtor_window_at(p, e, end);
			n += (size_t)snprintf(a + n, sizeof a - n, "%s thread %d ended %+.3f ms in, during %s", count++ ? "," : ";",
					      proc_ev(p, k)->tid, (double)(end - e->t) / 1e6, w ? w : "the module destructors");
			free(w);
		}
		break;
	}
	case EV_CXA_FIN: {
		const struct module *m = code_module(p, ev_field(e, 0));
		duration(e, d, sizeof d);
		snprintf(a, sizeof a, "destructors of module %s (__cxa_finalize)  [%s]", m ? base_name(m->path) : ev_field(e, 0), d);
		break;
	}
	case EV_PY_END_INTERP:
		duration(e, d, sizeof d);
		if (e->nf > 1) { /* its name: mod_wsgi's application group */
			char *nm = decode_str(ev_field(e, 1));
			snprintf(a, sizeof a, "Py_EndInterpreter (sub-interpreter '%s', thread state %s)  [%s]", nm, ev_field(e, 0), d);
			free(nm);
		} else {
			snprintf(a, sizeof a, "Py_EndInterpreter (sub-interpreter, thread state %s)  [%s]", ev_field(e, 0), d);
		}
		break;
	case EV_SIG_ARRIVE: {
		/* (of two arrivals with the default action, the one the process did not die of) */
		const struct event *k = !strcmp(ev_field(e, 5), "dfl") ? killing_arrival(p, (int)ev_dec(e, 0), UINT64_MAX) : NULL;
		char other[96] = "";
		if (k && k->tid != e->tid)
			snprintf(other, sizeof other, "default action, the process already dying of its arrival on thread %d",
				 k->tid);
		handler_text(p, ev_field(e, 4), e->t, b, sizeof b);
		/* (its sender: a traced one by its program, as the findings name it; else the name read
		 * at the arrival or at another of the same send: senders.c) */
		const struct proc *sp = sender_traced(timeline_report, e);
		const char *sn = sp && sp != p ? prog_of(sp) : sender_comm(timeline_report, e);
		snprintf(a, sizeof a, "%s arrived%s%s%s%s%s, %s", signal_name((int)ev_dec(e, 0)),
			 strcmp(ev_field(e, 2), "-") ? " from pid " : " from the kernel", strcmp(ev_field(e, 2), "-") ? ev_field(e, 2) : "",
			 strcmp(sn, "-") ? " (" : "", strcmp(sn, "-") ? sn : "", strcmp(sn, "-") ? ")" : "",
			 other[0] ? other : !strcmp(ev_field(e, 5), "dfl") ? "default action: the process dies of it" :
			 !strcmp(ev_field(e, 5), "wait") ? "taken by sigwait/sigwaitinfo/sigtimedwait" : "");
		if (!strcmp(ev_field(e, 5), "fn")) {
			char *py = py_arrival_handler(p, e);
			snprintf(a + strlen(a), sizeof a - strlen(a), "ran the %shandler %s", py ? "Python " : "", py ? py : b);
			free(py);
		}
		break;
	}
	case EV_KILL_SNAP: /* (shim/watchdog.c watchdog_kill_snapshot; its threads are the killed finding's) */
		snprintf(a, sizeof a, "snapshot of every thread as %s was about to end it%s", signal_name((int)ev_dec(e, 0)),
			 kill_snapshot_of(p, NULL) == e ? " (see the killed finding)" : ": cut short, not complete");
		mark = "!! ";
		mcol = c_warn;
		break;
	case EV_SIG_HANDLER: {
		char *py = py_handler_line_words(p, e);
		if (py) { /* (Python's signal.signal: its place, not PyOS_setsig's) */
			snprintf(a, sizeof a, "%s", py);
			free(py);
			break;
		}
		handler_text(p, ev_field(e, 1), e->t, b, sizeof b);
		code_text(p, ev_field(e, 4), 1, e->t, d, sizeof d);
		snprintf(a, sizeof a, "%s handler %s installed (%s) from %s", signal_name((int)ev_dec(e, 0)),
			 !strcmp(ev_field(e, 1), "0x0") ? "SIG_DFL" : !strcmp(ev_field(e, 1), "0x1") ? "SIG_IGN" : b,
			 ev_field(e, 3), d);
		break;
	}
	case EV_SIG_IGNORED: /* (its finding counts from here: s3's "+0.000 ms" named a line not shown) */
		snprintf(a, sizeof a, "%s ignored the application's registration of a %s handler", ev_field(e, 1),
			 signal_name((int)ev_dec(e, 0)));
		mark = "!! ";
		mcol = c_warn;
		break;
	default:
		return;
	}
	if (e->type == EV_HANG_ARM && proc_exit_began(p) && proc_exit_began(p)->tid == e->tid &&
	    proc_exit_began(p)->depth < depth)
		/* the shim arms the watchdog at the first teardown step it sees (main's return is seen
		 * from the first atexit handler or TLS destructor, inside it): the line belongs where
		 * the teardown began, not nested in that step */
		depth = proc_exit_began(p)->depth;
	if (e->py != *last_py && e->py != PY_NONE && e->py != PY_UNKNOWN) {
		/* the shim's state A (tlstrace(5)) begins in Py_FinalizeEx before it joins the
		 * non-daemon threads, and covers the atexit callbacks after */
		fprintf(out, "    %s%13s  %-7s %*s-- %s --%s\n", c_dim, "", "", 2 * depth, "",
			e->py == PY_ATEXIT ? "in Py_Finalize (thread joins, atexit callbacks)" : py_state_name(e->py), c_off);
		*last_py = e->py;
	}
	fprintf(out, "    %s%+10.3f ms%s  %-7d %*s%s%s%s%s%s\n", c_dim,
		(double)((int64_t)((e == arm_line_ev ? arm_anchor->t : e->t) - t0)) / 1e6, c_off, e->tid,
		2 * depth, "", mcol, mark, a, *mcol ? c_off : "", shim_thread(p, e->tid) ? "  [tlstrace watchdog]" : "");
}

static void proc_header(FILE *out, const struct proc *p)
{
	const struct proc_routine *q = routine_of(p);
	char outcome[400];
	const char *watch, *why;
	if (p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal"))
		snprintf(outcome, sizeof outcome, "killed by %s%s%s%s", signal_name(p->exit_signal), p->exit_core ? " (core dumped)" : "",
			 fate_of(p)->stop ? ", " : "", fate_of(p)->stop ? fate_of(p)->stop
			 : fate_of(p)->killer && fate_of(p)->killer != p ? " (sent by another process)" : fate_of(p)->reap ? " (known from its parent's wait)" : "");
	else if (p->exit_known)
		snprintf(outcome, sizeof outcome, "exit status %d%s%s", p->exit_status, p->crashed ? ", after a crash handled by the program" : "",
			 !strcmp(proc_how(p), "reap") ? " (known from its parent's wait)" : "");
	else if (p->running)
		snprintf(outcome, sizeof outcome, "still running: pid %d is alive as this report is made, and its trace has no "
			 "end yet", p->pid);
	else if (p->unfinished)
		snprintf(outcome, sizeof outcome, "unfinished: its trace has no end%s", p->crashed ? " (crashed)" : "");
	else if (p->execed)
		snprintf(outcome, sizeof outcome, "replaced by exec (the same pid runs a new program below)");
	else
		snprintf(outcome, sizeof outcome, "outcome not recorded%s", p->crashed ? " (crashed)" : "");
	fprintf(out, "%sprocess %d%s %s", c_bold, p->pid, c_off, base_name(proc_prog(p)->exe));
	if (p->forked)
		fprintf(out, " (forked from %d)", p->ppid);
	fprintf(out, ": %s", outcome);
	if (q && q->lines_lost)
		fprintf(out, "; %lld trace lines lost", q->lines_lost);
	fputc('\n', out);
	if (proc_prog(p)->argv && *proc_prog(p)->argv)
		fprintf(out, "    %s%.200s%s\n", c_dim, proc_prog(p)->argv, c_off);
	if (q && q->quiet_threads)
		fprintf(out, "    %s%lld thread%s ended cleanly, one line each in the trace (%lld thread_local%s registered, %lld "
			"TLS destructor%s and %lld key destructor%s run)%s\n", c_dim, q->quiet_threads,
			q->quiet_threads == 1 ? "" : "s", q->quiet_regs, q->quiet_regs == 1 ? "" : "s", q->quiet_dtors,
			q->quiet_dtors == 1 ? "" : "s", q->quiet_keys, q->quiet_keys == 1 ? "" : "s", c_off);
	watch = proc_watch_mode(p, &why);
	if (watch && why && !strcmp(watch, "off")) {
		/* TLSTRACE_WATCH=hw or auto, and nothing watched: no finding can come of a watch */
		char *w = decode_str(why);
		fprintf(out, "    TLSTRACE_WATCH asked for a hardware watch, off here (%s): nothing was watched\n", w);
		free(w);
	}
	if (q && (q->dropped_lines || q->dropped_other_lines)) {
		fprintf(out, "    trace at its size bound (TLSTRACE_MAX_SIZE): this process dropped %lld line%s (%lld bytes) "
			"of threads that ended cleanly", q->dropped_lines, q->dropped_lines == 1 ? "" : "s", q->dropped_bytes);
		if (q->dropped_other_lines)
			fprintf(out, ", and %lld other line%s (%lld bytes) past the bound", q->dropped_other_lines,
				q->dropped_other_lines == 1 ? "" : "s", q->dropped_other_bytes);
		fputs("\n", out);
	}
}

/* modules whose frames had no function name (said once, after the findings) */
static const struct module *unnamed[8];
static int nunnamed;

static void note_unnamed(const struct frame *fr)
{
	struct symres s;
	int k;
	if (!opt.symbols || !fr->code.mod || (sym_lookup(&fr->code, fr->is_return, &s) == 0 && s.func))
		return;
	for (k = 0; k < nunnamed; k++)
		if (!strcmp(base_name(unnamed[k]->path), base_name(fr->code.mod->path)))
			return;
	if (nunnamed < 8)
		unnamed[nunnamed++] = fr->code.mod;
}

/* The Debian 12 package with the debug information of a system module, or NULL: python's from
 * python3.X-dbg / libpython3.X-dbg (role::debug-symbols), glibc's from libc6-dbg. */
static const char *debug_package(const char *base, char *buf, size_t n)
{
	int minor;
	if (sscanf(base, "libpython3.%d", &minor) == 1 || sscanf(base, "python3.%d", &minor) == 1) {
		snprintf(buf, n, "libpython3.%d-dbg", minor);
		return buf;
	}
	if (!strncmp(base, "libc.so", 7) || !strncmp(base, "ld-linux", 8) || !strncmp(base, "libm.so", 7))
		return "libc6-dbg";
	return NULL;
}

static void unnamed_note(FILE *out)
{
	char pk[8][64], b[64];
	int k, j, np = 0;
	if (!nunnamed)
		return;
	fprintf(out, "\n%snames missing for frames in", c_dim);
	for (k = 0; k < nunnamed; k++)
		fprintf(out, "%s %s", k ? "," : "", base_name(unnamed[k]->path));
	fputs(" (no symbols or debug file under /usr/lib/debug/.build-id)", out);
	for (k = 0; k < nunnamed; k++) {
		const char *p = debug_package(base_name(unnamed[k]->path), b, sizeof b);
		for (j = 0; p && j < np && strcmp(pk[j], p); j++)
			;
		if (p && j == np)
			snprintf(pk[np++], sizeof pk[0], "%s", p);
	}
	if (np) {
		fputs("; on Debian 12: apt-get install", out);
		for (k = 0; k < np; k++)
			fprintf(out, " %s", pk[k]);
	} else {
		fputs("; the packages' -dbgsym files (debian-debug archive) give them", out);
	}
	fprintf(out, "%s\n", c_off);
}

static void render_frames(FILE *out, const struct frame *bt, int nbt, const char *indent)
{
	int i, shown = 0, marks = 0;
	char buf[800];
	/* numbered consecutively; the shim's own frames (its trampolines) are marked, and without
	 * --all-frames a run of them is one marked line */
	for (i = 0; i < nbt && shown - marks < opt.max_frames; i++) {
		if (!opt.show_shim_frames && is_shim_module(bt[i].code.mod)) {
			int k = i;
			while (k + 1 < nbt && is_shim_module(bt[k + 1].code.mod))
				k++;
			fprintf(out, "%s%s#%-2d [tlstrace] libtlstrace.so (%d frame%s)%s\n", indent, c_dim, shown, k - i + 1, k > i ? "s" : "",
				c_off);
			shown++;
			marks++;
			i = k;
			continue;
		}
		note_unnamed(&bt[i]);
		if (bt[i].code.mod || bt[i].code.off)
			sym_describe(&bt[i].code, bt[i].is_return, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "?");
		fprintf(out, "%s#%-2d %s%s%s\n", indent, shown, buf, bt[i].unloaded ? " (unloaded)" : "",
			is_shim_module(bt[i].code.mod) ? "  [tlstrace]" : "");
		shown++;
	}
	if (i < nbt)
		fprintf(out, "%s%s... %d more frames%s\n", indent, c_dim, nbt - i, c_off);
}

/* How far (in findings) the text looks for one that already printed a finding's backtrace, fix or
 * thread stacks: the findings that share them are neighbours (a crash and the finding that
 * explains it, a process's killed and hang findings) */
#define SAID_ONCE_NEAR 8

/* 1 if backtraces a (na frames) and b (nb) are the same frames */
static int same_frames(const struct frame *a, int na, const struct frame *b, int nb)
{
	if (na != nb)
		return 0;
	for (int i = 0; i < na; i++)
		if (a[i].code.mod != b[i].code.mod || a[i].code.off != b[i].code.off || a[i].is_return != b[i].is_return ||
		    a[i].unloaded != b[i].unloaded)
			return 0;
	return 1;
}

/* 1 if threads a and b (the same thread in two snapshots) show the same stacks: native frames
 * and Python traceback ("Current thread 0x..." and "Thread 0x..." are the same heading: the one
 * names the thread that wrote the snapshot) */
static int same_stacks(const struct hang_thread *a, const struct hang_thread *b)
{
	if (a->tid != b->tid || !same_frames(a->bt, a->nbt, b->bt, b->nbt) || a->npy != b->npy ||
	    (a->unwinder ? 1 : 0) != (b->unwinder ? 1 : 0) || (a->unwinder && strcmp(a->unwinder, b->unwinder)))
		return 0;
	for (int j = 0; j < a->npy; j++) {
		const char *x = a->py[j], *y = b->py[j];
		x += !strncmp(x, "Current thread ", 15) ? 15 : !strncmp(x, "Thread ", 7) ? 7 : 0;
		y += !strncmp(y, "Current thread ", 15) ? 15 : !strncmp(y, "Thread ", 7) ? 7 : 0;
		if (strcmp(x, y))
			return 0;
	}
	return 1;
}

/* The finding (its index in r) where the stacks of thread h of finding f (index fi) are printed
 * instead, or -1 for f itself: so a hang's snapshot is printed once (REPORT17 item 2). Among the
 * other findings of f's process that list the same thread with the same stacks, a hang finding
 * (the snapshot is the hang's; a killed finding's, taken as the signal came, repeats it when
 * nothing moved), else the first one, if it comes before f. */
static int stacks_shown_in(const struct report *r, int fi, const struct finding *f, const struct hang_thread *h)
{
	int first = -1;
	if (!h->nbt && !h->npy)
		return -1;
	int lo = fi, hi = fi;
	/* (the findings of a process are together: its near neighbours only, so a report of 300000
	 * processes, or of one with 100000 findings, stays linear: t227, t059) */
	while (lo > 0 && fi - lo < SAID_ONCE_NEAR && finding_proc(r, lo - 1) == f->proc)
		lo--;
	while (hi + 1 < r->nfindings && hi - fi < SAID_ONCE_NEAR && finding_proc(r, hi + 1) == f->proc)
		hi++;
	for (int i = lo; i <= hi; i++) {
		const struct finding *g;
		if (i == fi || finding_folded(r, i))
			continue;
		g = finding_at(r, i);
		if (i == fi || g->proc != f->proc || !detail_of(g)->nthreads)
			continue; /* (g: not folded, so built by nobody: f, perhaps folded, stays whole) */
		for (int k = 0; k < detail_of(g)->nthreads; k++) {
			if (!same_stacks(h, &detail_of(g)->threads[k]))
				continue;
			if (!strcmp(g->kind, "hang") && strcmp(f->kind, "hang"))
				return i;
			if (first < 0)
				first = i;
		}
	}
	return first >= 0 && first < fi && strcmp(f->kind, "hang") ? first : -1;
}

/* The earlier finding of f's process (f at index fi) whose backtrace is f's, or -1: printed once,
 * in the first finding that has it (a crash, then the exit-while-running that explains it) */
static int backtrace_shown_in(const struct report *r, int fi, const struct finding *f)
{
	int first = -1; /* (the earliest: the one that printed it, not another that refers to it) */
	for (int i = fi - 1; i >= 0 && fi - i <= SAID_ONCE_NEAR && finding_proc(r, i) == f->proc; i--) { /* (as stacks_shown_in) */
		const struct finding *g;
		if (finding_folded(r, i)) /* (a folded one would be built into a buffer f may be in: finding_at) */
			continue;
		g = finding_at(r, i);
		if (g->proc == f->proc && detail_of(g)->nbt &&
		    same_frames(detail_of(g)->bt, detail_of(g)->nbt, detail_of(f)->bt, detail_of(f)->nbt))
			first = i;
	}
	return first;
}

/* The earlier finding of f's process (f at index fi) whose fix is fix, word for word, or -1: said
 * once (a crash and the exit-while-running or python-after-finalize finding that explains it) */
static int fix_shown_in(const struct report *r, int fi, const struct finding *f, const char *fix)
{
	char buf[4096];
	int first = -1; /* (the earliest: the one that printed it, not another that refers to it) */
	for (int i = fi - 1; i >= 0 && fi - i <= SAID_ONCE_NEAR && finding_proc(r, i) == f->proc; i--) { /* (as stacks_shown_in) */
		const struct finding *g;
		const char *said;
		if (finding_folded(r, i))
			continue;
		g = finding_at(r, i);
		if (g->proc == f->proc && (said = finding_fix(g, buf, sizeof buf)) && !strcmp(said, fix))
			first = i;
	}
	return first;
}

/* a hang snapshot's threads: state, what each waits on and who holds it, its stacks (f is
 * finding fi of r: a thread whose stacks another finding prints refers to it) */
static void render_threads(FILE *out, const struct report *r, int fi, const struct finding *f)
{
	int i, j, in;
	fprintf(out, "    %sthreads:%s\n", c_dim, c_off);
	for (i = 0; i < detail_of(f)->nthreads; i++) {
		const struct hang_thread *h = &detail_of(f)->threads[i];
		fprintf(out, "      thread %d%s%s%s (%s)%s state %c, in %s%s%s", h->tid, h->py_name ? " \"" : "",
			h->py_name ? h->py_name : "", h->py_name ? "\"" : "", h->name,
			h->tid != f->tid ? "" : !strcmp(f->kind, "killed") ? " [took the signal]"
			: hang_hup_arrival(f->proc) ? " [in the SIGHUP handler]" : " [began the teardown]",
			h->state,
			/* (asleep, but running when /proc's syscall file was read a moment apart from its
			 * stat: shim/watchdog.c reads them one after another) */
			h->state != 'R' && !strcmp(h->syscall, "no system call (running)")
				? "no system call when its syscall file was read (running then, between two calls)"
				: h->syscall,
			/* (a call /proc did not give is said from the wchan, which it names already) */
			h->syscall_unknown && h->wchan && strstr(h->syscall, h->wchan) ? "" : ", wchan ",
			h->syscall_unknown && h->wchan && strstr(h->syscall, h->wchan) ? "" : h->wchan);
		if (h->waits && !strcmp(h->waits, "join") && h->holder_text) /* (a Python join: diag_hang.c) */
			fprintf(out, "; waits on the join of %s", h->holder_text);
		else if (h->waits && h->object)
			fprintf(out, "; waits on %s%s%s (0x%llx)", strcmp(h->waits, "gil") ? h->waits : "",
				strcmp(h->waits, "gil") ? " " : "", h->object, (unsigned long long)h->addr);
		else if (h->waits && h->addr)
			fprintf(out, "; waits on %s 0x%llx", h->waits, (unsigned long long)h->addr);
		else if (h->waits)
			fprintf(out, "; waits on %s", h->waits);
		if (h->holder_text && h->waits && !strcmp(h->waits, "join"))
			;
		else if (h->holder_text)
			fprintf(out, h->waits && !strcmp(h->waits, "child") ? ": %s" : " held by %s", h->holder_text);
		else if (h->holder) { /* (a holder with no kind of wait: a hand-made or garbled line; found by the fuzzer) */
			const char *w = h->waits ? h->waits : "";
			fprintf(out, " %s %d%s", !strcmp(w, "join") ? "of thread" : !strcmp(w, "child") ? "pid" : "held by thread",
				h->holder, h->holder_alive || !strcmp(w, "child") ? "" : " (not a thread of this process)");
		}
		if (h->lock_text) /* (a file lock's wait: diag_hang.c, hang_filelock) */
			fprintf(out, "; waits for the file lock %s", h->lock_text);
		fputc('\n', out);
		if ((in = stacks_shown_in(r, fi, f, h)) >= 0) {
			fprintf(out, "          %s(its stacks: as in finding [%d])%s\n", c_dim, in + 1, c_off);
			continue;
		}
		if (h->nbt && h->unwinder && !strcmp(h->unwinder, "scan"))
			fprintf(out, "          %s(frames found by a scan of its stack, as it could not be interrupted: a stale address may show)%s\n", c_dim, c_off);
		if (h->nbt)
			render_frames(out, h->bt, h->nbt, "          ");
		else if (h->unwinder)
			fprintf(out, "          %s(no native backtrace: %s)%s\n", c_dim,
				!strcmp(h->unwinder, "asleep") ? "asleep in a call a signal would cut short"
				: !strcmp(h->unwinder, "masked") ? "the thread blocks the signals that would take it"
				: !strcmp(h->unwinder, "state") ? "stopped, in an uninterruptible wait, or a zombie"
				: !strcmp(h->unwinder, "nosignal") ? "no free real-time signal"
				: !strcmp(h->unwinder, "undelivered") ? "the signal was not taken within 0.5 s"
				: !strcmp(h->unwinder, "nostack") ? "no shim stack free to unwind on" : h->unwinder, c_off);
		for (j = 0; j < h->npy; j++)
			fprintf(out, "          %s\n", h->py[j]);
	}
}

/* the verdict (groups.c) and the groups of more than one finding: "G1 error use-after-destroy x4
 * tls_obj  pids ... findings [2] [5]" (one of a single finding says nothing the findings do not:
 * not shown, nor the heading when none is left, FRESH16; G numbers count the groups shown, JSON
 * has them all) */
static void render_head(const struct report *r, FILE *out)
{
	int k, i, shown = 0;
	if (!r->nfindings)
		return;
	fprintf(out, "%sverdict%s\n", c_bold, c_off);
	render_verdict(r, out, "  ");
	for (k = 0; k < r->ngroups; k++) {
		const struct group *g = group_at(r, k);
		const struct finding *f = g->first;
		if (g->count < 2)
			continue;
		if (!shown++)
			fprintf(out, "\n%sgroups%s (the same finding in several processes or threads)\n", c_bold, c_off);
		fprintf(out, "  G%d %s%s%s %s x%d", shown, sev_color(f->severity), sev_name(f->severity), c_off, g->kind, g->count);
		if (detail_of(f)->tls_symbol)
			fprintf(out, "  %s", detail_of(f)->tls_symbol);
		else if (finding_signal(f))
			fprintf(out, "  %s", signal_name(finding_signal(f)));
		fprintf(out, "  pid%s", g->npids == 1 ? "" : "s");
		for (i = 0; i < g->npids && i < 16; i++)
			fprintf(out, " %d", group_pid(r, g, i));
		if (i < g->npids)
			fprintf(out, " and %d more", g->npids - i);
		fputs("  findings", out);
		for (i = 0; i < g->count && i < 16; i++)
			fprintf(out, " [%d]", group_finding(g, i) + 1);
		if (i < g->count)
			fprintf(out, " and %d more", g->count - i);
		fputc('\n', out);
	}
}

/* A process that did nothing but start and end (the id, stat, chmod a control script runs, a
 * shell, timeout): no finding, ended with status 0 (or replaced by exec), and nothing in
 * its timeline but the exit, atexit handlers, reaped children, the watchdog armed and the end, and not the parent of a process shown. Folded into one line
 * when the report has other processes (flag 1). Likewise the forked children of one parent and
 * program that ended so with a status other than 0 (a fork-heavy program's workers), when
 * there are FOLD_STATUS_MIN of them: one line per parent and program (flag 2, status_lines).
 * Returns a calloc'd flag per process (index), or NULL when nothing is folded. */
#define FOLD_STATUS_MIN 8

/* a child folded with its siblings by exit status: of the same parent and program as another */
struct kin {
	const struct proc *parent;
	const char *name; /* base_name of its program */
	int index;
};

static int kin_cmp(const void *x, const void *y)
{
	const struct kin *a = x, *b = y;
	int c;
	if (a->parent != b->parent)
		return (uintptr_t)a->parent < (uintptr_t)b->parent ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return (a->index > b->index) - (a->index < b->index);
}

/* The processes of fold flag 2 by kin (same parent and program), sorted once, not compared in
 * pairs (a fork-heavy trace has a parent per child): next[i] is the index of the next of
 * procs[i]'s kin in the trace's order (-1: none), count[i] how many kin it has, itself
 * included (both by index, malloc'd; only those of flag 2 set). */
static void kin_groups(const struct report *r, const char *fold, int **next, int **count)
{
	struct kin *k = xmalloc(((size_t)r->nprocs + 1) * sizeof *k);
	int i, j, n = 0;
	*next = xmalloc(((size_t)r->nprocs + 1) * sizeof **next);
	*count = xmalloc(((size_t)r->nprocs + 1) * sizeof **count);
	for (i = 0; i < r->nprocs; i++)
		if (fold[r->procs[i]->index] == 2) {
			k[n].parent = proc_parent(r->procs[i]);
			k[n].name = base_name(proc_prog(r->procs[i])->exe);
			k[n++].index = r->procs[i]->index;
		}
	qsort(k, (size_t)n, sizeof *k, kin_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j].parent == k[i].parent && !strcmp(k[j].name, k[i].name); j++)
			(*next)[k[j - 1].index] = k[j].index;
		(*next)[k[j - 1].index] = -1;
		for (int m = i; m < j; m++)
			(*count)[k[m].index] = j - i;
	}
	free(k);
}

static char *fold_flags(const struct report *r)
{
	char *fold;
	int i, j, n = 0, *kin_next, *kin_count;
	if (r->nprocs < 2 || opt.pid)
		return NULL;
	fold = xmalloc((size_t)r->nprocs);
	memset(fold, 1, (size_t)r->nprocs);
	for (j = 0; j < r->nfindings; j++)
		fold[finding_proc(r, j)->index] = 0;
	for (i = 0; i < r->nprocs; i++) {
		const struct proc *p = r->procs[i];
		if (p->crashed || p->unfinished ||
		    (!p->execed && (!p->exit_known || !proc_how(p) || !strcmp(proc_how(p), "signal"))))
			fold[p->index] = 0;
		else if (!p->execed && p->exit_status && fold[p->index]) /* (status_lines says 1 to 255) */
			fold[p->index] = p->forked && proc_parent(p) && p->exit_status > 0 && p->exit_status < 256 ? 2 : 0;
		for (j = 0; fold[p->index] && j < p->nev; j++) {
			const struct event *e = proc_ev(p, j);
			if (e->shown && e->type != EV_EXIT && e->type != EV_MAIN_RETURN && e->type != EV_EXIT_DONE &&
			    e->type != EV_TLS_DTORS_DONE && e->type != EV_ATEXIT_RUN && e->type != EV__EXIT && e->type != EV_REAP && e->type != EV_WAIT_BEGIN &&
			    e->type != EV_WAIT_POLL &&
			    e->type != EV_DLCLOSE_BEGIN &&
			    e->type != EV_HANG_ARM && e->type != EV_HANG_END && e->type != EV_THREADS_ALIVE)
				fold[p->index] = 0;
		}
	}
	/* children by status: only as many together */
	kin_groups(r, fold, &kin_next, &kin_count);
	for (i = 0; i < r->nprocs; i++)
		if (fold[i] == 2 && kin_count[i] < FOLD_STATUS_MIN)
			fold[i] = 0;
	free(kin_next);
	free(kin_count);
	/* a program replaced by exec is shown with what replaced it (looked for among the next 64) */
	for (i = r->nprocs - 1; i >= 0; i--) {
		const struct proc *p = r->procs[i];
		if (!p->execed || !fold[p->index])
			continue;
		fold[p->index] = 0;
		for (j = i + 1; j < r->nprocs && j <= i + 64; j++)
			if (r->procs[j]->pid == p->pid) {
				fold[p->index] = fold[r->procs[j]->index];
				break;
			}
	}
	/* the parents of a process shown, or of children said by their status, are their context:
	 * shown too */
	for (i = 0; i < r->nprocs; i++) {
		const struct proc *q = r->procs[i];
		if (fold[q->index] == 1)
			continue;
		for (q = proc_parent(q); q && fold[q->index] == 1; q = proc_parent(q))
			fold[q->index] = 0;
	}
	for (i = 0; i < r->nprocs; i++)
		n += fold[i];
	if (!n) {
		free(fold);
		return NULL;
	}
	return fold;
}

/* "5 processes only started and ended: id (2), stat, chmod, sh (pids 10 11 ...)": at most 16
 * program names and 16 pids; a process counts once whatever it exec'd (its programs' entries
 * are next to each other, one pid: "1 process only started and ended: bash, sleep (pid 2334;
 * bash exec'd sleep)") */
static int folded_line(const struct report *r, const char *fold, FILE *out)
{
	const char *names[16];
	char chain[200] = ""; /* the first exec chain: "bash exec'd bash, then sleep" */
	int counts[16], nn = 0, i, j, n = 0, shown = 0, npid = 0, nexec = 0, last = 0, chain_pid = 0, other_exec = 0;
	size_t cl = 0;
	for (i = 0; i < r->nprocs; i++) {
		const char *b = base_name(proc_prog(r->procs[i])->exe);
		if (fold[r->procs[i]->index] != 1)
			continue;
		n++;
		if (last && r->procs[last - 1]->pid == r->procs[i]->pid) {
			if (!nexec++)
				chain_pid = r->procs[i]->pid;
			other_exec |= chain_pid != r->procs[i]->pid;
			if (chain_pid == r->procs[i]->pid && cl < sizeof chain)
				cl += (size_t)snprintf(chain + cl, sizeof chain - cl, "%s%s%s",
						       cl ? ", then " : base_name(proc_prog(r->procs[last - 1])->exe),
						       cl ? "" : " exec'd ", b);
		} else
			npid++;
		last = i + 1;
		for (j = 0; j < nn && strcmp(names[j], b); j++)
			;
		if (j < nn)
			counts[j]++;
		else if (nn < 16)
			names[nn] = b, counts[nn++] = 1;
	}
	if (n)
		fprintf(out, "\n%d process%s only started and ended:", npid, npid == 1 ? "" : "es");
	for (j = 0; j < nn; j++)
		fprintf(out, counts[j] > 1 ? "%s %s (%d)" : "%s %s", j ? "," : "", names[j], counts[j]);
	if (!n)
		return 0;
	fputs(" (pid", out);
	fputs(npid > 1 ? "s" : "", out);
	for (i = 0, j = 0; i < r->nprocs && shown < 16; i++)
		if (fold[r->procs[i]->index] == 1) {
			if (r->procs[i]->pid != j) /* an exec keeps the pid: once */
				fprintf(out, " %d", r->procs[i]->pid);
			j = r->procs[i]->pid;
			shown++;
		}
	fprintf(out, "%s", shown < n ? " ..." : "");
	if (nexec)
		fprintf(out, "; %s%s", chain, other_exec ? "; others exec'd too" : "");
	fputs(")\n", out);
	return n;
}

/* "165 children of 1234 (forkheavy) exited with status 1, 2, 3, 4, 5, 6, no finding (pids ...)":
 * one line per parent and program folded by status (fold flag 2, cleared here as they are said) */
static void status_lines(const struct report *r, char *fold, int first, FILE *out)
{
	int *next, *count;
	kin_groups(r, fold, &next, &count);
	for (int i = 0; i < r->nprocs; i++) {
		const struct proc *p = r->procs[i];
		unsigned char seen[256] = {0};
		int shown = 0, j, st, k;
		if (fold[p->index] != 2)
			continue;
		for (j = p->index; j >= 0; j = next[j])
			seen[r->procs[j]->exit_status] = 1;
		fprintf(out, "%s%d children of %d (%s) exited with status", first ? "\n" : "", count[p->index],
			proc_parent(p)->pid, base_name(proc_prog(proc_parent(p))->exe));
		first = 0;
		for (st = 1, k = 0; st < 256; st++)
			if (seen[st])
				fprintf(out, "%s %d", k++ ? "," : "", st);
		fprintf(out, ", nothing else in their timelines, no finding (pid%s", count[p->index] > 1 ? "s" : "");
		for (j = p->index; j >= 0; j = next[j]) {
			if (shown++ < 16)
				fprintf(out, " %d", r->procs[j]->pid);
			fold[j] = 3;
		}
		fprintf(out, "%s)\n", shown > 16 ? " ..." : "");
	}
	free(next);
	free(count);
}

/* The indexes of p's shown events in time order (*ord, allocated; the caller frees it); returns
 * their number. A timeline and its findings count from the earliest (never a negative time): the
 * trace is in write order, not time order, as a thread's records can be written after later ones
 * of other threads (a thread that exited before the teardown began appears after it). */
static int shown_in_time_order(const struct proc *p, int **ord)
{
	int j, n = 0;
	*ord = xmalloc(((size_t)p->nev + 1) * sizeof **ord);
	for (j = 0; j < p->nev; j++)
		if (proc_ev(p, j)->shown)
			(*ord)[n++] = j;
	events_in_time_order(p, *ord, n);
	return n;
}

void render_text(struct report *r, FILE *out)
{
	int i, j, nerr = 0, nwarn = 0, shown_procs = 0;
	uint64_t ft0 = 0; /* the current finding's process's time origin (its timeline's first event's) */
	int ftl = 0;      /* and whether it has a timeline (else its origin is its trace's first line) */
	char *fold = fold_flags(r), buf[400], msg[MESSAGE_MAX];
	const char *said;
	timeline_report = r;
	colors();
	fprintf(out, "tlstrace-report: %d file%s, %d process%s, %zu events\n", r->nfiles, r->nfiles == 1 ? "" : "s",
		r->nprocs, r->nprocs == 1 ? "" : "es", r->nev);
	if (r->newer_format)
		fprintf(out, "note: trace format version %d is newer than this report reads (up to %d): read as version "
			"%d, what it can; a line whose meaning changed since may be misread\n",
			r->newer_format, TLSTRACE_FORMAT_VERSION, TLSTRACE_FORMAT_VERSION);
	render_head(r, out);
	for (i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		uint64_t t0 = 0;
		char last_py = PY_NONE, *used;
		int *ord, n, k, next;
		if ((opt.pid && p->pid != opt.pid) || (fold && fold[p->index]))
			continue;
		fputc('\n', out);
		proc_header(out, p);
		shown_procs++;
		if (!(n = shown_in_time_order(p, &ord))) {
			fprintf(out, "    %s(no teardown events)%s\n", c_dim, c_off);
			free(ord);
			continue;
		}
		t0 = proc_ev(p, ord[0])->t;
		arm_step_find(p);
		arm_anchor_find(p, ord, n);
		/* the Python state just before the teardown started */
		for (j = 0; j < p->nev && proc_ev(p, j)->t < t0; j++)
			last_py = proc_ev(p, j)->py;
		used = xmalloc((size_t)p->nev);
		memset(used, 0, (size_t)p->nev);
		for (k = 0; k < n; k++) {
			if (used[j = ord[k]])
				continue;
			if (proc_ev(p, j)->type == EV_ATEXIT_RUN && (next = atexit_run_of_module(out, p, j, t0)) > 0) {
				memset(used + j, 1, (size_t)(next - j)); /* the run's handlers: one line */
				continue;
			}
			timeline_line(out, p, j, t0, &last_py);
		}
		free(used);
		free(ord);
	}
	if (fold) {
		int n = folded_line(r, fold, out);
		status_lines(r, fold, !n, out);
	}
	free(fold);
	if (r->nfindings)
		fprintf(out, "\n%sfindings%s\n", c_bold, c_off);
	for (i = 0; i < r->nfindings; i++) {
		struct finding *f = finding_at(r, i);
		/* its process's first teardown event (the findings of a process are together: found once) */
		if (!i || f->proc != finding_proc(r, i - 1)) {
			ft0 = proc_time_origin(f->proc);
			ftl = proc_has_timeline(f->proc);
		}
		if (f->severity == SEV_ERROR)
			nerr++;
		else if (f->severity == SEV_WARNING)
			nwarn++;
		/* (its time's origin said, as every time the report prints says or shares its own:
		 * FRESH15b item 3) */
		fprintf(out, "\n[%d] %s%s%s %s%s%s  process %d thread %d at %+.3f ms %s\n", i + 1, sev_color(f->severity),
			sev_name(f->severity), c_off, c_bold, f->kind, c_off, f->proc->pid, f->tid,
			(double)(int64_t)(f->t - ft0) / 1e6,
			ftl ? "in its timeline" : "from its trace's first line (it has no timeline)");
		fprintf(out, "    %s", finding_message(f, msg, sizeof msg));
		if (f->count > 1)
			fprintf(out, " (%d times)", f->count);
		fputc('\n', out);
		if (f->phase)
			fprintf(out, "    %sphase:%s      %s\n", c_dim, c_off, f->phase);
		if ((said = finding_root_cause(f, msg, sizeof msg)))
			fprintf(out, "    %sroot cause:%s %s\n", c_dim, c_off, said);
		j = -1;
		if ((said = finding_fix(f, msg, sizeof msg)) && (j = fix_shown_in(r, i, f, said)) >= 0)
			fprintf(out, "    %sfix:%s        as in finding [%d]\n", c_dim, c_off, j + 1);
		else if (said)
			fprintf(out, "    %sfix:%s        %s\n", c_dim, c_off, said);
		/* (JSON's caused_by: where the verdict says the story once; not again where the fix
		 * referred there) */
		if (detail_of(f)->cause && detail_of(f)->cause->index >= 0 && detail_of(f)->cause->index < r->nfindings &&
		    detail_of(f)->cause->index != j)
			fprintf(out, "    %sfollows:%s    finding [%d]\n", c_dim, c_off, detail_of(f)->cause->index + 1);
		if (detail_of(f)->nbt && (j = backtrace_shown_in(r, i, f)) >= 0) {
			fprintf(out, "    %sbacktrace:%s  as in finding [%d]\n", c_dim, c_off, j + 1);
		} else if (detail_of(f)->nbt) {
			fprintf(out, "    %sbacktrace:%s\n", c_dim, c_off);
			render_frames(out, detail_of(f)->bt, detail_of(f)->nbt, "      ");
		}
		/* (a module's top level is no callback: the main code, or an import; FRESH17b item 8) */
		if (finding_py_callback(f, buf, sizeof buf))
			fprintf(out, "    %s%s%s %s\n", c_dim, strstr(buf, ".<module> (") ? "Python code:" : "Python callback:",
				c_off, buf);
		if (detail_of(f)->npy) {
			fprintf(out, "    %sPython:%s\n", c_dim, c_off);
			for (j = 0; j < detail_of(f)->npy; j++)
				fprintf(out, "      %s\n", detail_of(f)->pylines[j]);
		}
		if (detail_of(f)->nthreads)
			render_threads(out, r, i, f);
	}
	unnamed_note(out);
	fprintf(out, "\n%d finding%s: %d error%s, %d warning%s\n", r->nfindings, r->nfindings == 1 ? "" : "s", nerr,
		nerr == 1 ? "" : "s", nwarn, nwarn == 1 ? "" : "s");
	(void)shown_procs;
}

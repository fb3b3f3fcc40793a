/* diag_signal.c - diagnoses of signal handlers (the shim's sig_handler lines):
 *   signal-handler  a termination signal's handler (SIGTERM, SIGINT, SIGHUP, SIGQUIT) that one
 *                   module installed, replaced by a handler or SIG_IGN installed from another
 *                   module (a plugin's event loop taking over a server's shutdown signal)
 * The lines involved join the timeline. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static int termination_signal(int sig) { return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT; }

static int is_function(const char *handler) { return strcmp(handler, "0x0") != 0 && strcmp(handler, "0x1") != 0; }

/* "shutdown_handler (server), installed by main (server)" */
static char *handler_text(const struct proc *p, const struct event *e)
{
	char *h = code_func_name(p, ev_field(e, 1)), *site = code_full_name(p, ev_field(e, 4), 1), *s;
	const struct module *m = code_module(p, ev_field(e, 1));
	if (!is_function(ev_field(e, 1)))
		s = xasprintf("%s, installed from %s", !strcmp(ev_field(e, 1), "0x1") ? "SIG_IGN" : "SIG_DFL", site);
	else
		s = xasprintf("%s%s%s%s, installed from %s", h, m ? " (" : "", m ? base_name(m->path) : "", m ? ")" : "", site);
	free(h);
	free(site);
	return s;
}

/* the module whose code installed a handler (the caller of sigaction/signal) */
static const struct module *installer(const struct proc *p, const struct event *e) { return code_module(p, ev_field(e, 4)); }

static void replaced(struct report *r, struct proc *p, struct tstate *t, struct event *prev, struct event *e)
{
	int sig = (int)ev_dec(e, 0), kept_old = !strcmp(ev_field(e, 3), "sigaction+old");
	struct finding *f = add_finding(r, "signal-handler", kept_old ? SEV_INFO : SEV_WARNING, p, e);
	char *was = handler_text(p, prev), *now = handler_text(p, e);
	const struct module *mp = installer(p, prev), *mn = installer(p, e);
	prev->shown = e->shown = 1;
	f->signal = sig;
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("the %s handler %s was replaced by %s, on thread %d", signal_name(sig), was, now, e->tid);
	f->root_cause = xasprintf(
		"%s installed its own %s handler over the one %s had installed; a process has one handler "
		"per signal, so %s now %s%s",
		mn ? base_name(mn->path) : "another module", signal_name(sig), mp ? base_name(mp->path) : "the program",
		signal_name(sig), is_function(ev_field(e, 1)) ? "runs only the new handler" : "is ignored",
		kept_old ? " (it asked for the previous action: it may chain to it, which the trace cannot tell)"
			 : ", not the first one (it did not even ask for it, so it cannot chain to it)");
	f->fix = xasprintf("a library must not take over process signals: make it leave %s alone (an option of "
			   "its event loop) or chain to the previous handler; or let the host install its handler "
			   "again after loading the module, or block %s in the library's threads",
			   signal_name(sig), signal_name(sig));
	free(was);
	free(now);
}

/* per signal, the last installation in the process being walked; cleared after each */
static struct event *current[65];

static void signal_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = p->ev[at], *prev;
	int sig;
	if (e->type != EV_SIG_HANDLER)
		return;
	sig = (int)ev_dec(e, 0);
	if (sig <= 0 || sig >= 65)
		return;
	prev = current[sig];
	current[sig] = e;
	if (prev && termination_signal(sig) && is_function(ev_field(prev, 1)) &&
	    strcmp(ev_field(prev, 1), ev_field(e, 1)) != 0 && strcmp(ev_field(e, 1), "0x0") != 0 &&
	    installer(p, prev) != installer(p, e))
		replaced(r, p, t, prev, e);
}

static void signal_proc_end(struct report *r, struct proc *p, struct pstate *ps)
{
	(void)r, (void)p, (void)ps;
	memset(current, 0, sizeof current);
}

const struct diag_rule diag_signal = {"signal", signal_event, signal_proc_end, NULL};

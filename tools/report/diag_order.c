/* diag_order.c - diagnoses of teardown order: Python finalized from an atexit handler after exit()
 * destroyed the calling thread's thread_locals (kind order; the crash rule adds the other order
 * finding, a thread_local destructor calling into a finalized Python, where it sees the crash). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void on_py_fin(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT);
	struct finding *f;
	char objs[512];
	size_t n = 0;
	int i, k = 0;
	char *h;
	if (!ax || !t->exit_ev || !t->tls_dtors || t->order)
		return;
	objs[0] = 0;
	for (i = 0; i < p->nev && p->ev[i] != e; i++) {
		struct event *x = p->ev[i];
		if (x->type == EV_TLS_DTOR && x->tid == t->tid && x->t >= t->exit_ev->t && n < sizeof objs - 64) {
			char *nm = tls_display_name(p, ev_dec(x, 0));
			n += (size_t)snprintf(objs + n, sizeof objs - n, "%s%s", k++ ? ", " : "", nm);
			free(nm);
		}
	}
	f = add_finding(r, "order", SEV_WARNING, p, e);
	h = code_func_name(p, ev_field(ax->e, 1));
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("%s called from the atexit handler %s after exit() destroyed this thread's "
			       "thread_locals (%s)",
			       ev_field(e, 0), h, k ? objs : "?");
	f->root_cause = xasprintf("glibc's exit() runs the calling thread's thread_local destructors before the "
				  "atexit handlers; %s finalizes Python from one, so Python atexit callbacks and "
				  "finalizers run after native thread_locals are gone (standalone python3 finalizes "
				  "before exit() and is not affected)",
				  h);
	f->fix = xstrdup("uWSGI: --skip-atexit-teardown (Python is not finalized at exit); or finalize Python "
			 "before exit(); or do not touch thread_locals from Python atexit callbacks and finalizers");
	free(h);
	t->order = f;
}

static void order_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	if (p->ev[at]->type == EV_PY_FIN)
		on_py_fin(r, p, t, p->ev[at]);
}

const struct diag_rule diag_order = {"order", order_event, NULL, NULL};

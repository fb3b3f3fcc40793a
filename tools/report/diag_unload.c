/* diag_unload.c - destructor-after-unload: a pthread key destructor, a thread_local destructor or
 * an atexit handler called at an address in a module that dlclose had unloaded (a library that
 * created a key with a destructor in its own code and never deleted it; Rust std's key destructor
 * in a cdylib). The shim writes such an address as absolute (no loaded module holds it); the module
 * is found among those unloaded by then and the function named from its file, which is no longer
 * mapped. A crash inside that call (or in code at such an address) is explained by it. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* the dlclose line after which module id was unloaded: the last one before its unmod line */
static const struct event *unloading_dlclose(const struct proc *p, const struct event *unmod)
{
	const struct event *d = NULL;
	int i;
	for (i = 0; i < p->nev && p->ev[i] != unmod; i++)
		if (p->ev[i]->type == EV_DLCLOSE && p->ev[i]->tid == unmod->tid)
			d = p->ev[i];
	return d;
}

/* the key_create line of key, the last one before 'before', and whether a key_delete followed it */
static const struct event *key_created(const struct proc *p, long long key, const struct event *before, int *deleted)
{
	const struct event *c = NULL;
	int i;
	*deleted = 0;
	for (i = 0; i < p->nev && p->ev[i] != before; i++) {
		const struct event *x = p->ev[i];
		if (x->type == EV_KEY_CREATE && ev_dec(x, 0) == key)
			c = x, *deleted = 0;
		else if (x->type == EV_KEY_DELETE && ev_dec(x, 0) == key && c)
			*deleted = 1;
	}
	return c;
}

/* index of begin events (key_dtor, tls_dtor, atexit_run) to their finding */
static struct index found;

static void on_call(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = p->ev[at];
	int fi = e->type == EV_ATEXIT_RUN ? 1 : 2, deleted = 0;
	const char *tok = ev_field(e, fi);
	const struct event *unmod, *dl, *created = NULL;
	const struct module *m;
	struct code c;
	struct finding *f;
	char fn[800], *what, *step, *since, *by, *site = NULL;
	uint64_t addr;
	(void)t;
	if (strncmp(tok, "0x", 2) != 0 || !(addr = strtoull(tok, NULL, 16)))
		return;
	if (!(m = module_holding(p, addr, e->t, 1, &unmod)))
		return;
	c.mod = m;
	c.off = addr - m->base;
	sym_describe(&c, 0, fn, sizeof fn);
	dl = unloading_dlclose(p, unmod);
	if (e->type == EV_KEY_DTOR) {
		what = xasprintf("the destructor of pthread key %lld, %s,", ev_dec(e, 0), fn);
		step = xasprintf("destructor of pthread key %lld", ev_dec(e, 0));
		created = key_created(p, ev_dec(e, 0), e, &deleted);
	} else if (e->type == EV_TLS_DTOR) {
		char *obj = tls_display_name(p, ev_dec(e, 0));
		what = xasprintf("the destructor of thread_local %s, %s,", obj, fn);
		step = xstrdup("TLS destructor");
		free(obj);
	} else {
		what = xasprintf("the exit handler %s", fn);
		step = xstrdup("exit handler");
	}
	since = duration_text(e->t - unmod->t);
	if (dl && strcmp(ev_field(dl, 2), "") != 0) {
		site = code_full_name(p, ev_field(dl, 2), 1);
		by = xasprintf("dlclose(0x%llx) from %s on thread %d", ev_hex(dl, 0), site, dl->tid);
	} else {
		by = xstrdup(dl ? "dlclose" : "an unload the trace does not show");
	}
	f = add_finding(r, "destructor-after-unload", SEV_ERROR, p, e);
	{
		char *ph = phase_of(p, t, e->py);
		f->phase = xasprintf("%s > %s", ph, step);
		free(ph);
	}
	finding_detail(f)->bt = xmalloc(sizeof *detail_of(f)->bt);
	detail_of(f)->bt[0].code = c;
	detail_of(f)->bt[0].is_return = 0;
	finding_detail(f)->nbt = 1;
	f->message = xasprintf("%s was called on thread %d %s after %s was unloaded by %s", what, e->tid, since,
			       base_name(m->path), by);
	if (e->type == EV_KEY_DTOR) {
		f->root_cause = xasprintf("pthread key %lld was created %s with a destructor in %s's own code%s; "
					  "%s unloaded that code while thread %d still held a value for the key, so "
					  "at that thread's exit glibc called the destructor at an address that is no "
					  "longer %s's (unmapped, or another module's now)",
					  ev_dec(e, 0), created ? "by that library" : "(the trace does not show by whom)",
					  base_name(m->path), created && !deleted ? " and never deleted" : "", by, e->tid,
					  base_name(m->path));
		f->fix = xasprintf("in %s, delete the key when the library unloads (pthread_key_delete in its "
				   "destructor function, after freeing the values it can reach), or keep the library "
				   "loaded: dlopen it with RTLD_NODELETE, or link it with -z nodelete (a Rust cdylib: "
				   "std's thread_local! destructors keep it loaded by themselves, its own keys do not)",
				   base_name(m->path));
	} else {
		f->root_cause = xasprintf("%s registered this call with code in its own module, and %s unloaded "
					  "the module before the call ran: the address is no longer its code",
					  base_name(m->path), by);
		f->fix = xasprintf("keep %s loaded while its registrations can run (RTLD_NODELETE, -z nodelete), or "
				   "end the threads that hold its state before dlclose",
				   base_name(m->path));
	}
	index_put(&found, (long long)(uintptr_t)e, f);
	free(what);
	free(step);
	free(since);
	free(by);
	free(site);
}

/* a crash in such a call: the innermost key/TLS destructor or handler running on the thread */
static void on_failure(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = p->ev[at];
	struct finding *cause = NULL, *crash;
	int i;
	for (i = t->depth - 1; i >= 0 && !cause; i--)
		cause = index_get(&found, (long long)(uintptr_t)t->stack[i].e);
	if (!cause)
		return;
	explain_add(e, cause, NULL, xasprintf("%s: %s", cause->message, cause->root_cause), xstrdup(cause->fix));
	if ((crash = finding_for(r, e, "crash")) != NULL && explain_failure(crash)) {
		/* its frames at the unloaded address, named from the module's file */
		for (i = 0; i < detail_of(crash)->nbt; i++)
			if (!detail_of(crash)->bt[i].code.mod) {
				const struct event *un;
				const struct module *m = module_holding(p, detail_of(crash)->bt[i].code.off, e->t, 1, &un);
				if (m) {
					detail_of(crash)->bt[i].code.off -= m->base;
					detail_of(crash)->bt[i].code.mod = m;
				}
			}
	}
}

static void unload_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	int type = p->ev[at]->type;
	if (type == EV_KEY_DTOR || type == EV_TLS_DTOR || type == EV_ATEXIT_RUN)
		on_call(r, p, t, at);
	else if (is_failure(p, p->ev[at]))
		on_failure(r, p, t, at);
}

static void unload_report_end(struct report *r)
{
	(void)r;
	index_free(&found);
	memset(&found, 0, sizeof found);
}

const struct diag_rule diag_unload = {"unload", unload_event, NULL, unload_report_end};

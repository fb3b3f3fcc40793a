/* diag_unload.c - destructor-after-unload: a pthread key destructor, a thread_local destructor or
 * an atexit handler called at an address in a module that dlclose had unloaded (a library that
 * created a key with a destructor in its own code and never deleted it; Rust std's key destructor
 * in a cdylib). The shim writes such an address as absolute (no loaded module holds it); the module
 * is found among those unloaded by then and the function named from its file, which is no longer
 * mapped. A crash inside that call (or in code at such an address) is explained by it. Any other
 * crash whose pc, fault address or a return address lies in such a module's former range (a
 * callback, vtable or function pointer kept past dlclose; a frame of the module still on the
 * stack) gets a use-after-unload finding that explains it. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* the dlclose line after which module id was unloaded: the last one before its unmod line */
static const struct event *unloading_dlclose(const struct proc *p, const struct event *unmod)
{
	const struct event *d = NULL;
	int i;
	for (i = 0; i < p->nev && proc_ev(p, i) != unmod; i++)
		if (proc_ev(p, i)->type == EV_DLCLOSE && proc_ev(p, i)->tid == unmod->tid)
			d = proc_ev(p, i);
	return d;
}

/* who unloaded the module whose unmod line is unmod: "dlclose(0x55d0...) from main+0x38 (host.c:30)
 * in host on thread 812", "dlclose" (no caller in the line), "an unload the trace does not show";
 * malloc'd */
static char *unloaded_by(const struct proc *p, const struct event *unmod)
{
	const struct event *dl = unloading_dlclose(p, unmod);
	char *site, *by;
	if (!dl || !strcmp(ev_field(dl, 2), ""))
		return xstrdup(dl ? "dlclose" : "an unload the trace does not show");
	site = code_full_name(p, ev_field(dl, 2), 1);
	by = xasprintf("dlclose(0x%llx) from %s on thread %d", ev_hex(dl, 0), site, dl->tid);
	free(site);
	return by;
}

/* the key_create line of key, the last one before 'before', and whether a key_delete followed it */
static const struct event *key_created(const struct proc *p, long long key, const struct event *before, int *deleted)
{
	const struct event *c = NULL;
	int i;
	*deleted = 0;
	for (i = 0; i < p->nev && proc_ev(p, i) != before; i++) {
		const struct event *x = proc_ev(p, i);
		if (x->type == EV_KEY_CREATE && ev_dec(x, 0) == key)
			c = x, *deleted = 0;
		else if (x->type == EV_KEY_DELETE && ev_dec(x, 0) == key && c)
			*deleted = 1;
	}
	return c;
}

/* The module that registered the exit handler whose atexit_run line is e: the one its dso handle
 * (the atexit_reg line's dso: the registering module's __dso_handle, which atexit() in
 * libc_nonshared.a and a C++ static's __cxa_atexit pass; glibc stdlib/cxa_atexit.c keeps it to run
 * the handler at that module's dlclose, __cxa_finalize) lay in when it registered; NULL where the
 * trace does not tell (on_exit passes none, no registration line, a handle in no module) */
static const struct module *exit_registrant(const struct proc *p, const struct event *e)
{
	const struct event *reg = proc_find_reg(p, EV_ATEXIT_REG, ev_dec(e, 0));
	uint64_t dso = reg && !strcmp(ev_field(reg, 1), "cxa") ? ev_hex(reg, 4) : 0;
	return dso ? module_holding(p, dso, reg->t, 0, NULL) : NULL;
}

/* index of begin events (key_dtor, tls_dtor, atexit_run) to their finding */
static struct index found;

static void on_call(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at);
	int fi = e->type == EV_ATEXIT_RUN ? 1 : 2, deleted = 0;
	const char *tok = ev_field(e, fi);
	const struct event *unmod, *created = NULL;
	const struct module *m, *reg;
	struct code c;
	struct finding *f;
	char fn[800], *what, *step, *since, *by;
	uint64_t addr;
	(void)t;
	if (strncmp(tok, "0x", 2) != 0 || !(addr = strtoull(tok, NULL, 16)))
		return;
	if (!(m = module_holding(p, addr, e->t, 1, &unmod)))
		return;
	c.mod = m;
	c.off = addr - m->base;
	sym_describe(&c, 0, fn, sizeof fn);
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
	by = unloaded_by(p, unmod);
	f = add_finding(r, "destructor-after-unload", SEV_ERROR, p, e);
	{
		char *ph = phase_of(p, t, e->py);
		f->phase = xasprintf("%s > %s", ph, step);
		free(ph);
	}
	finding_detail(f)->bt = xmalloc(sizeof *detail_of(f)->bt);
	detail_of(f)->bt[0].code = c;
	detail_of(f)->bt[0].is_return = 0;
	detail_of(f)->bt[0].unloaded = 1;
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
	} else if (e->type == EV_TLS_DTOR) {
		f->root_cause = xasprintf("%s registered this call with code in its own module, and %s unloaded "
					  "the module before the call ran: the address is no longer its code",
					  base_name(m->path), by);
		f->fix = xasprintf("keep %s loaded while its registrations can run (RTLD_NODELETE, -z nodelete), or "
				   "end the threads that hold its state before dlclose",
				   base_name(m->path));
	} else if ((reg = exit_registrant(p, e)) != NULL && reg != m) {
		/* (another module's function: its own dlclose, whose __cxa_finalize runs the handlers of
		 * the unloaded module's handle, did not run it) */
		f->root_cause = xasprintf("%s registered %s as an exit handler (the registration's __dso_handle is "
					  "%s's: atexit or __cxa_atexit called from its code); %s unloaded %s, and the "
					  "handler ran at exit, after it: the address is no longer its code",
					  base_name(reg->path), fn, base_name(reg->path), by, base_name(m->path));
		f->fix = xasprintf("do not register %s's function as an exit handler from %s (let %s clean up in its "
				   "own destructor function, which its dlclose runs), or keep %s loaded until exit: "
				   "dlopen it with RTLD_NODELETE, or leave it loaded (no dlclose: exit runs the exit handlers before it unmaps anything)",
				   base_name(m->path), base_name(reg->path), base_name(m->path), base_name(m->path));
	} else {
		f->root_cause = reg ? xasprintf("%s registered this exit handler with code in its own module, and %s "
						"unloaded the module before the call ran: the address is no longer its code",
						base_name(reg->path), by)
				    : xasprintf("the exit handler's code is %s's (the trace does not show which module "
						"registered it: on_exit passes no module handle), and %s unloaded %s before "
						"the call ran: the address is no longer its code",
						base_name(m->path), by, base_name(m->path));
		f->fix = xasprintf("keep %s loaded until exit, when its exit handlers run: dlopen it with RTLD_NODELETE, "
				   "link it with -z nodelete, or leave it loaded (no dlclose: exit runs the exit handlers before it unmaps anything)%s",
				   base_name(m->path), reg ? "" : "; or do not register its function as an exit handler "
								"from another module");
	}
	index_put(&found, (long long)(uintptr_t)e, f);
	free(what);
	free(step);
	free(since);
	free(by);
}

/* crash's frames at unloaded addresses (absolute: no loaded module held them) as offsets in the
 * module that had been there, to be named from its file; the index of the first, or -1. known: the
 * crash is already explained by a call into an unloaded module (a destructor's): a module whose
 * file is gone is taken by the window module_holding assumes; else only by the file's span */
static int unloaded_frames(const struct proc *p, const struct event *e, struct finding *crash, int known)
{
	struct finding_detail *d = finding_detail(crash);
	int i, first = -1;
	for (i = 0; i < d->nbt; i++) {
		const struct module *m;
		if (d->bt[i].code.mod)
			continue;
		m = known ? module_holding(p, d->bt[i].code.off, e->t, 1, NULL) : module_unloaded_holding(p, d->bt[i].code.off, e->t, NULL);
		if (!m)
			continue;
		d->bt[i].code.off -= m->base;
		d->bt[i].code.mod = m;
		d->bt[i].unloaded = 1;
		if (first < 0)
			first = i;
	}
	return first;
}

/* A crash whose code or data lies in a module dlclose had unloaded (a pointer into an unloaded
 * library kept past dlclose: a callback, a vtable, a function pointer; or a frame of it still on
 * the stack): a finding of kind use-after-unload that explains crash (the crash's finding), its
 * frames at the unloaded addresses named from the module's file. Checked in this order: the
 * faulting pc (a call or jump into it), the fault address (si_addr: a read or write of its data),
 * a return address of the backtrace (a frame of it). */
static void on_unloaded_use(struct report *r, struct proc *p, struct tstate *t, const struct event *e,
			    struct finding *crash)
{
	struct finding_detail *d = finding_detail(crash);
	const struct module *m = NULL, *dm;
	const struct event *unmod = NULL, *dunmod;
	struct finding *f;
	int data = 0;
	struct code c;
	char fn[800], *what, *since, *by, *ph, *in;
	int first = unloaded_frames(p, e, crash, 0);
	if (first >= 0)
		m = module_holding(p, d->bt[first].code.mod->base + d->bt[first].code.off, e->t, 1, &unmod);
	if (first == 0) {
		c = d->bt[0].code;
		sym_describe(&c, 0, fn, sizeof fn);
		what = xasprintf("a call into %s after it was unloaded: the faulting code, %s, is gone", base_name(m->path), fn);
	} else if (d->si_code > 0 && (dm = module_unloaded_holding(p, d->fault_addr, e->t, &dunmod)) != NULL) {
		uint64_t off = 0, size = 0;
		char *obj;
		m = dm;
		unmod = dunmod;
		data = 1;
		c.mod = m;
		c.off = d->fault_addr - m->base;
		obj = sym_data(&c, &off, &size);
		if (obj)
			snprintf(fn, sizeof fn, "%s+0x%llx in %s", obj, (unsigned long long)off, base_name(m->path));
		else
			snprintf(fn, sizeof fn, "%s+0x%llx", base_name(m->path), (unsigned long long)c.off);
		free(obj);
		what = xasprintf("an access to %s's memory after it was unloaded: the fault address 0x%llx is %s", base_name(m->path),
				 (unsigned long long)d->fault_addr, fn);
		/* the faulting frame stays first; the object is the finding's place */
		c = d->nbt ? d->bt[0].code : c;
	} else if (first > 0) {
		c = d->bt[first].code;
		sym_describe(&c, d->bt[first].is_return, fn, sizeof fn);
		what = xasprintf("a crash with a frame of %s still on the stack after it was unloaded: frame #%d, %s, "
				 "returns into code that is gone", base_name(m->path), first, fn);
	} else {
		return;
	}
	since = duration_text(e->t - unmod->t);
	by = unloaded_by(p, unmod);
	f = add_finding(r, "use-after-unload", SEV_ERROR, p, (struct event *)e);
	ph = phase_of(p, t, e->py);
	f->phase = ph;
	finding_detail(f)->bt = xmalloc(sizeof *detail_of(f)->bt);
	detail_of(f)->bt[0].code = c;
	detail_of(f)->bt[0].is_return = first > 0 && !data && d->bt[first].is_return;
	detail_of(f)->bt[0].unloaded = c.mod == m;
	finding_detail(f)->nbt = 1;
	f->message = xasprintf("%s; %s was unloaded by %s %s before", what, base_name(m->path), by, since);
	if (first == 0 && crash->message && (in = strstr(crash->message, " in ")) != NULL) {
		/* the crash's place, named: "... at 0x7f.. in plugin_cb+0x0 (plug.c:7) in libplug.so (unloaded)" */
		char *msg = xasprintf("%.*s in %s (unloaded)", (int)(in - crash->message), crash->message, fn);
		str_free(crash->message);
		crash->message = msg;
	}
	if (first > 0 && !data)
		f->root_cause = xasprintf("%s was unloaded while its own code was still running on this thread (a dlclose "
					  "from a callback it called, or from another thread): the return into it finds its "
					  "code unmapped, or another module's",
					  base_name(m->path));
	else
		f->root_cause = xasprintf("a pointer into an unloaded library: a callback, a vtable or a function pointer "
					  "(or a pointer to its data) kept past the dlclose that unloaded %s; its address is "
					  "unmapped now, or another module's",
					  base_name(m->path));
	f->fix = xasprintf("unregister %s's callbacks and drop every pointer into it (functions, vtables, data) before "
			   "dlclose; or keep it loaded: dlopen it with RTLD_NODELETE, link it with -z nodelete, or do "
			   "not dlclose it",
			   base_name(m->path));
	explain_add(e, f, NULL, xasprintf("%s: %s", f->message, f->root_cause), xstrdup(f->fix));
	explain_failure(crash);
	free(what);
	free(since);
	free(by);
}

/* a crash in such a call: the innermost key/TLS destructor or handler running on the thread;
 * else a crash in an unloaded module's code or data (on_unloaded_use) */
static void on_failure(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at);
	struct finding *cause = NULL, *crash;
	int i;
	for (i = t->depth - 1; i >= 0 && !cause; i--)
		cause = index_get(&found, (long long)(uintptr_t)tstack(t)[i].e);
	if (!cause) {
		if (e->type == EV_CRASH && !explained(e) && (crash = finding_for(r, e, "crash")) != NULL &&
		    !detail_of(crash)->cause)
			on_unloaded_use(r, p, t, e, crash);
		return;
	}
	explain_add(e, cause, NULL, xasprintf("%s: %s", cause->message, cause->root_cause), xstrdup(cause->fix));
	if ((crash = finding_for(r, e, "crash")) != NULL && explain_failure(crash))
		unloaded_frames(p, e, crash, 1);
}

static void unload_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	int type = proc_ev(p, at)->type;
	if (type == EV_KEY_DTOR || type == EV_TLS_DTOR || type == EV_ATEXIT_RUN)
		on_call(r, p, t, at);
	else if (is_failure(p, proc_ev(p, at)))
		on_failure(r, p, t, at);
}

static void unload_report_end(struct report *r)
{
	(void)r;
	index_free(&found);
	memset(&found, 0, sizeof found);
}

const struct diag_rule diag_unload = {"unload", unload_event, NULL, unload_report_end};

/* diag_keys.c - diagnoses of pthread keys: pthread_getspecific/setspecific on a key whose
 * destructor already ran on that thread (kind key-after-destroy, from the shim's key_late lines,
 * with the Python traceback of its key_late_py lines); none for a key whose destructor is a
 * sanitizer runtime's (TSan re-sets its own on purpose). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* The destructor of key (code, as a trace writes it) of p: from its key_create line before e, or
 * NULL */
static const char *key_destructor(const struct proc *p, long long key, const struct event *e)
{
	const char *d = NULL;
	for (int i = 0; i < p->nev && proc_ev(p, i) != e; i++)
		if (proc_ev(p, i)->type == EV_KEY_CREATE && ev_dec(proc_ev(p, i), 0) == key)
			d = ev_field(proc_ev(p, i), 1);
	return d;
}

/* 1 if the destructor (code token) of p lies in a sanitizer's runtime, which uses its keys as it
 * means to: TSan's thread_finalize sets its key again from its own destructor, on purpose, so as
 * to run after every other key destructor (compiler-rt tsan_interceptors_posix.cpp). The runtime
 * is a library of its own (gcc: libtsan.so.2, libasan.so.8...; clang -shared-libsan:
 * libclang_rt.*.so), or linked into the program (clang's default): then the function is named in
 * the sanitizer's namespaces (__tsan::, __asan::, __sanitizer::...), or it is TSan's
 * thread_finalize in a module that holds __tsan_init */
static int sanitizer_destructor(const struct proc *p, const char *tok)
{
	static const char *const libs[] = {"libtsan.", "libasan.", "liblsan.", "libubsan.", "libmsan.", "libhwasan.",
					   "libclang_rt."};
	static const char *const spaces[] = {"__tsan", "__asan", "__lsan", "__ubsan", "__msan", "__hwasan", "__sanitizer"};
	struct code c;
	const char *fn;
	size_t i;
	if (!tok || code_parse(p, tok, &c) != 0 || !c.mod)
		return 0;
	for (i = 0; i < sizeof libs / sizeof *libs; i++)
		if (!strncmp(base_name(c.mod->path), libs[i], strlen(libs[i])))
			return 1;
	if (!(fn = sym_func(&c)))
		return 0;
	for (i = 0; i < sizeof spaces / sizeof *spaces; i++)
		if (!strncmp(fn, spaces[i], strlen(spaces[i])))
			return 1;
	if (strncmp(fn, "thread_finalize", 15) != 0)
		return 0;
	/* (a walk of the symbol table: once per module, a TSan program's every thread re-sets it) */
	static const struct module *asked;
	static int holds;
	if (asked != c.mod) {
		asked = c.mod;
		holds = sym_module_defines(c.mod, "__tsan_init");
	}
	return holds;
}

static void on_key_late(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f;
	const char *op = ev_field(e, 1);
	const struct tframe *kd = innermost(t, FK_KEYDTOR);
	long long key = ev_dec(e, 0);
	char *site;
	int own = kd && ev_dec(kd->e, 0) == key;
	if (sanitizer_destructor(p, own ? ev_field(kd->e, 2) : key_destructor(p, key, e))) {
		e->normal = 1; /* a sanitizer runtime's own key: no finding (the timeline says whose) */
		if (t->fx)
			tfx_set(t)->py_for = NULL;
		return;
	}
	f = tfx_set(t)->py_for = add_finding(r, "key-after-destroy", SEV_WARNING, p, e);
	site = code_full_name(p, ev_field(e, 3), 0);
	f->phase = phase_of(p, t, e->py);
	f->message = xasprintf("thread %d called pthread_%sspecific(key %lld) %s its destructor ran, from %s", e->tid,
			       op, key, own ? "while" : "after", site);
	if (!strcmp(op, "set") && own)
		f->root_cause = xasprintf("the destructor of key %lld sets a value again: glibc runs it another round "
					  "(at most %d)",
					  key, 4);
	else
		f->root_cause = xasprintf("key %lld's value was released by its destructor on this thread; "
					  "pthread_%sspecific now %s",
					  key, op, !strcmp(op, "get") ? "returns NULL" : "stores a value that may leak");
	f->fix = xasprintf("do not use key %lld from other key destructors or after its destructor ran", key);
	free(site);
}

static void keys_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	if (proc_ev(p, at)->type == EV_KEY_LATE)
		on_key_late(r, p, t, proc_ev(p, at));
	else if (proc_ev(p, at)->type == EV_KEY_LATE_PY)
		finding_add_pyline(tfx(t)->py_for, proc_ev(p, at));
}

const struct diag_rule diag_keys = {"keys", keys_event, NULL, NULL};

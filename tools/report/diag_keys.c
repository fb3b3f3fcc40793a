/* diag_keys.c - diagnoses of pthread keys: pthread_getspecific/setspecific on a key whose
 * destructor already ran on that thread (kind key-after-destroy, from the shim's key_late lines,
 * with the Python traceback of its key_late_py lines). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void on_key_late(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f = tfx_set(t)->py_for = add_finding(r, "key-after-destroy", SEV_WARNING, p, e);
	const char *op = ev_field(e, 1);
	const struct tframe *kd = innermost(t, FK_KEYDTOR);
	long long key = ev_dec(e, 0);
	char *site = code_full_name(p, ev_field(e, 3), 0);
	int own = kd && ev_dec(kd->e, 0) == key;
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
	if (p->ev[at]->type == EV_KEY_LATE)
		on_key_late(r, p, t, p->ev[at]);
	else if (p->ev[at]->type == EV_KEY_LATE_PY)
		finding_add_pyline(tfx(t)->py_for, p->ev[at]);
}

const struct diag_rule diag_keys = {"keys", keys_event, NULL, NULL};

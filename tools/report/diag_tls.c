/* diag_tls.c - diagnoses of C++ thread_locals: each lookup or use after the object's destructor
 * ran, with why it happened where it did (kind use-after-destroy, from the shim's uad and
 * poison_hit lines), and thread_locals constructed after the thread's teardown began or during
 * Py_Finalize (kind construct-during-teardown, from late tls_reg and tls_late_alloc lines). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Why a thread_local was read after its destructor, from where it happened (thread t's state
 * then): the UAD_ case, and the events its words name (*a, *b; NULL if none), kept in the
 * finding's detail so that the words are built when shown (uad_words). */
enum { UAD_KEPT, UAD_PYFIN, UAD_TLSDTOR, UAD_KEYDTOR, UAD_ATEXIT, UAD_ALONE };
static int uad_why(const struct tstate *t, const struct event **a, const struct event **b)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT), *pf = innermost(t, FK_PYFIN);
	const struct tframe *td = innermost(t, FK_TLSDTOR), *kd = innermost(t, FK_KEYDTOR);
	*a = *b = NULL;
	if (pf && ax && walk_ev(t->exit_at)) {
		*a = ax->e;
		*b = pf->e;
		return UAD_PYFIN;
	}
	if (td) {
		*a = td->e;
		return UAD_TLSDTOR;
	}
	if (kd) {
		*a = kd->e;
		return UAD_KEYDTOR;
	}
	if (ax) {
		*a = ax->e;
		return UAD_ATEXIT;
	}
	return UAD_ALONE;
}

/* tls_order_fix (diag.h) */
char *tls_order_fix(const struct proc *p, long long used, long long user)
{
	char *a = tls_display_name(p, used), *b = tls_display_name(p, user), *s;
	const struct module *ma = tls_reg_module(p, used), *mb = tls_reg_module(p, user);
	if (tls_is_rust(p, used) || tls_is_rust(p, user))
		/* (c10: THREAD_GUARD declared first and still destroyed first; used first, it outlives
		 * WRITER: FRESH15b with Debian's rustc 1.63) */
		s = xasprintf("use %s before %s on each thread (touch it first, e.g. %s.with(|_| ()), where the "
			      "thread starts) so that it is destroyed after: Rust registers a thread_local's "
			      "destructor at its first use, and a thread's destructors run in reverse order of "
			      "registration, whatever the order of their declarations",
			      a, b, a);
	else if (ma && ma == mb)
		s = xasprintf("declare %s before %s (swap their declarations) so that it is constructed first and "
			      "destroyed after: GCC constructs all of one file's dynamic thread_locals in declaration "
			      "order at the first use of any of them (the file's __tls_init), so using %s first does "
			      "not reorder them; or move %s to another file and use it first on the thread",
			      a, b, a, a);
	else
		s = xasprintf("construct %s before %s (use it first on the thread: a module's thread_locals are "
			      "constructed at their first use) so that it is destroyed after", a, b);
	free(a);
	free(b);
	return s;
}

/* The root cause and fix (malloc'd) of a use of thread_local sym (registered as seq) of p after
 * its destructor, for case why with its events a, b (uad_why); maybe: an uncertain lookup (ld?). */
static void uad_words(const struct proc *p, int why, const struct event *a, const struct event *b, const char *sym,
		      long long seq, int maybe, char **root, char **fix)
{
	if (why == UAD_PYFIN) {
		char *h = code_func_name(p, ev_field(a, 1));
		*root = xasprintf(
			"exit() ran this thread's thread_local destructors first (glibc runs them before atexit "
			"handlers); then the atexit handler %s called %s, and Python code run by it (atexit "
			"callbacks, finalizers) called into native code that reads %s, already destroyed",
			h, ev_field(b, 0), sym);
		*fix = xasprintf(
			"Finalize Python before exit() destroys the thread's thread_locals%s, or not at all at exit%s; "
			"or make the native code check that %s still exists (e.g. a flag its destructor sets) before "
			"Python atexit callbacks use it",
			host_is_uwsgi(p, h) ? "" : " (call Py_FinalizeEx where the program ends its work, not from an atexit handler)",
			host_is_uwsgi(p, h) ? " (uWSGI: --skip-atexit-teardown)" : "", sym);
		free(h);
	} else if (why == UAD_TLSDTOR) {
		char *other = tls_display_name(p, ev_dec(a, 0));
		*root = xasprintf(
			"the destructor of %s reads %s, which was destroyed before it: a thread's thread_locals are "
			"destroyed in reverse order of construction",
			other, sym);
		char *order = tls_order_fix(p, seq, ev_dec(a, 0));
		*fix = xasprintf("%s; or do not use other thread_locals in %s's destructor", order, other);
		free(order);
		free(other);
	} else if (why == UAD_KEYDTOR) {
		*root = xasprintf("the destructor of pthread key %lld reads %s: key destructors run after "
				  "the thread's thread_local destructors",
				  ev_dec(a, 0), sym);
		*fix = xasprintf("do not use C++ thread_locals from pthread key destructors, or release what "
				 "the key holds from %s's destructor instead", sym);
	} else if (why == UAD_ATEXIT) {
		char *h = code_func_name(p, ev_field(a, 1));
		uint64_t obj;
		if (atexit_is_static_dtor(p, ev_dec(a, 0), &obj)) {
			/* (a C++ static object's destructor: __cxa_atexit with the object, as the
			 * timeline and the phase call it) */
			char *o = object_name(p, obj);
			*root = xasprintf("the static destructor %s of %s (registered with __cxa_atexit) reads %s, but "
					  "exit() destroys the calling thread's thread_locals before it runs the atexit "
					  "handlers and static destructors",
					  h, o, sym);
			*fix = xasprintf("do not use thread_locals from static destructors (use a function-local static), "
					 "or release the resource from %s's own destructor", sym);
			free(o);
		} else {
			*root = xasprintf("the atexit handler %s reads %s, but exit() destroys the calling thread's "
					  "thread_locals before it runs atexit handlers",
					  h, sym);
			*fix = xasprintf("do not use thread_locals from atexit handlers (use a function-local static), "
					 "or release the resource from %s's own destructor", sym);
		}
		free(h);
	} else {
		*root = xasprintf("%s is used after its destructor ran on this thread", sym);
		*fix = xasprintf("do not use %s during this thread's teardown", sym);
	}
	if (maybe) {
		char *c = *root;
		*root = xasprintf("%s (uncertain: a local-dynamic TLS lookup of this module whose operand "
				  "could not be decoded; the module has destroyed thread_locals)", c);
		free(c);
	}
}

/* a uad finding's message, built when shown (finding.say) from its uad line and detail */
static void uad_message(const struct finding *f, char *buf, size_t n)
{
	const struct finding_detail *d = detail_of(f);
	char *site = code_full_name(f->proc, ev_field(f->ev, 6), 1);
	snprintf(buf, n, "thread %d %s thread_local %s%s%s, %.3f ms after its destructor ran, from %s", f->tid,
		 strcmp(ev_field(f->ev, 7), "ld?") ? "read" : "may have read", d->tls_symbol, d->tls_mod ? " of " : "",
		 d->tls_mod ? base_name(d->tls_mod->path) : "", (double)d->destroyed_ns / 1e6, site);
	free(site);
}

const char *uad_text(const struct finding *f, int fix, char *buf, size_t n)
{
	const struct finding_detail *d = detail_of(f);
	char *root, *fx;
	uad_words(f->proc, d->uad_why, d->uad_ev[0], d->uad_ev[1], d->tls_symbol, ev_dec(f->ev, 0), d->uad_maybe, &root,
		  &fx);
	snprintf(buf, n, "%s", fix ? fx : root);
	free(root);
	free(fx);
	return buf;
}

/* f's root cause and fix for a use of its thread_local after the destructor, by thread t: kept
 * in f as the case and its events when the words fit a shown text's room (MESSAGE_MAX; most:
 * 100000 thread_locals used late keep no three texts each), else made now. A uad line's
 * message (say: its line holds all of it) too, when it fits. */
static void uad_cause(struct finding *f, const struct proc *p, const struct tstate *t, int maybe, int say)
{
	const struct event *a, *b;
	int why = uad_why(t, &a, &b);
	char *root, *fix, msg[MESSAGE_MAX];
	struct finding_detail *d = finding_detail(f);
	uad_words(p, why, a, b, d->tls_symbol, ev_dec(f->ev, 0), maybe, &root, &fix); /* (uad, poison_hit: seq first) */
	if (say) {
		uad_message(f, msg, sizeof msg);
		if (strlen(msg) + 1 >= sizeof msg) /* (would be cut when shown: kept whole) */
			f->message = xstrdup(msg), say = 0;
	}
	if (strlen(root) + 1 >= MESSAGE_MAX || strlen(fix) + 1 >= MESSAGE_MAX) {
		f->root_cause = root;
		f->fix = fix;
		if (say)
			f->message = xstrdup(msg);
		return;
	}
	free(root);
	free(fix);
	d->uad_why = (unsigned char)why;
	d->uad_maybe = (unsigned char)maybe;
	d->uad_ev[0] = a;
	d->uad_ev[1] = b;
	if (say)
		f->say = uad_message;
}

/* the module of the thread_local a uad line e of p names: its field mod (e's field 2), else its
 * registration's */
static const struct module *uad_tls_mod(const struct proc *p, const struct event *e, const char *mod)
{
	return strcmp(mod, "-") ? proc_module(p, (int)strtoll(mod, NULL, 10)) : tls_reg_module(p, ev_dec(e, 0));
}

/* the name of the thread_local seq a uad line of p names, malloc'd: its registration's, or the
 * line's own (sym: its field 4) when the registration is missing (a trace cut at the front) */
static char *uad_tls_name(const struct proc *p, long long seq, const char *sym)
{
	const struct event *reg = proc_find_reg(p, EV_TLS_REG, seq);
	char *name, *dsym;
	if (reg || !strcmp(sym, "-"))
		return tls_reg_name(reg, seq);
	dsym = decode_str(sym);
	name = *dsym ? demangled(dsym) : tls_reg_name(NULL, seq);
	free(dsym);
	return name;
}

int uad_fill(struct unfolded *u, const struct uad_fold *c)
{
	const struct event *e = proc_ev(c->proc, c->at);
	struct finding *f = memset(&u->f, 0, sizeof u->f);
	struct finding_detail *d = memset(&u->d, 0, sizeof u->d);
	const char *fld[8] = {"", "", "", "", "", "", "", ""}, *s = ev_fields(e); /* (its fields in one walk) */
	for (int k = 0; k < e->nf && k < 8; k++, s += strlen(s) + 1)
		fld[k] = s;
	int maybe = !strcmp(fld[7], "ld?");
	f->kind = "use-after-destroy";
	f->severity = maybe ? SEV_WARNING : SEV_ERROR;
	f->proc = c->proc;
	f->tid = e->tid;
	f->t = e->t;
	f->ev = e;
	f->count = 1;
	f->phase = (char *)c->phase;
	f->say = uad_message;
	f->detail = d;
	d->has_tls = 1;
	d->tls_symbol = u->sym = uad_tls_name(c->proc, strtoll(fld[0], NULL, 10), fld[4]);
	d->tls_address = strtoull(fld[1], NULL, 16);
	d->tls_mod = uad_tls_mod(c->proc, e, fld[2]);
	d->destroyed_ns = strtoll(fld[5], NULL, 10);
	d->nbt = e->nf > 8 ? e->nf - 8 : 0;
	if (d->nbt > UAD_FOLD_FRAMES)
		return -1;
	if (d->nbt) /* (as frames_from: none, no frames) */
		frames_into(c->proc, e, 8, 0, d->bt = u->bt, d->nbt);
	d->uad_why = (unsigned char)(c->why_at[0] >> (32 - UAD_WHY_BITS));
	d->uad_maybe = (unsigned char)maybe;
	for (int k = 0; k < 2; k++) {
		uint32_t at = k ? c->why_at[1] : c->why_at[0] & ((1u << (32 - UAD_WHY_BITS)) - 1);
		d->uad_ev[k] = at ? proc_ev(c->proc, at - 1) : NULL;
	}
	return 0;
}

static void on_uad(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f;
	const char *how = ev_field(e, 7);
	int maybe = !strcmp(how, "ld?");

	/* the thread's last one, which its state names no more, folded */
	uad_fold(r, tfx(t)->last_uad);
	/* fold a repeat of the same (object, site) */
	f = add_finding(r, "use-after-destroy", maybe ? SEV_WARNING : SEV_ERROR, p, e);
	finding_detail(f)->has_tls = 1;
	/* (its phase pooled now, not at the end of the walk: 100000 uses in one process would hold
	 * 100000 heap copies of one phase until then; its name, most often one of its own, is
	 * pooled then, or freed when the finding is folded: uad_fold) */
	finding_detail(f)->tls_symbol = uad_tls_name(p, ev_dec(e, 0), ev_field(e, 4));
	finding_detail(f)->tls_address = ev_hex(e, 1);
	finding_detail(f)->tls_mod = uad_tls_mod(p, e, ev_field(e, 2));
	finding_detail(f)->destroyed_ns = ev_dec(e, 5);
	frames_from(f, p, e, 8, 0);
	f->phase = str_settle(phase_of(p, t, e->py));
	uad_cause(f, p, t, maybe, 1);
	tfx_set(t)->last_uad = tfx_set(t)->py_for = f;
	if (tfx(t)->order && tfx(t)->order->severity < SEV_ERROR)
		tfx(t)->order->severity = SEV_ERROR;
}

static void on_uad_count(struct report *r, struct proc *p, const struct event *e)
{
	int i;
	for (i = r->nfindings - 1; i >= 0; i--) {
		struct finding *f = finding_folded(r, i) == FOLD_UAD ? finding_at(r, i) : r->findings[i];
		if (finding_folded(r, i) && finding_folded(r, i) != FOLD_UAD) /* (killed, unfinished) */
			continue;
		if (f->proc == p && f->ev && f->ev->type == EV_UAD && f->tid == e->tid &&
		    ev_dec(f->ev, 0) == ev_dec(e, 0) && !strcmp(ev_field(f->ev, 6), ev_field(e, 1))) {
			finding_kept(r, i)->count = (int)ev_dec(e, 2);
			return;
		}
	}
}

/* The use-after-destroy on t's thread whose failure the late construction e is part of, or NULL:
 * one made earlier inside the destructor or handler still running there (t's innermost frame,
 * begun before it) that never returned: the use started a panic, an unwinding or an abort that
 * ended the thread or the process in that frame, and e's thread_local was constructed on the way
 * (Rust's panic machinery makes std's THREAD_INFO for the thread's name in its message). The
 * frames' ends are known before the walk (analyze.c match_pairs). */
static struct finding *late_in_failure(const struct tstate *t, const struct event *e)
{
	struct finding *u = tfx(t)->last_uad;
	const struct event *in;
	if (!u || !u->ev || !t->depth)
		return NULL;
	in = tstack(t)[t->depth - 1].e;
	if (ev_match(in) || in->t > u->ev->t || u->ev->t > e->t)
		return NULL;
	return u;
}

/* Whether thread_local sym (demangled) is a language runtime's own: Rust's std, core and alloc
 * (their panic and thread machinery make them on first use, on any thread); m its module if known
 * (a C++ runtime's: is_cxx_runtime) */
static int is_cxx_runtime(const struct module *m);
static int runtime_tls(const char *sym, const struct module *m)
{
	return !strncmp(sym, "std::", 5) || !strncmp(sym, "core::", 6) || !strncmp(sym, "alloc::", 7) ||
	       (m && is_cxx_runtime(m));
}

/* f, a late construction in the failure a use-after-destroy u started (late_in_failure): caused
 * by u (kept out of the verdict's root causes, as a crash after it is), its root cause and fix u's;
 * an info, not a warning, where the object is a language runtime's own */
static void late_caused_by_uad(struct finding *f, struct finding *u)
{
	char said[MESSAGE_MAX], fix[MESSAGE_MAX];
	const char *sym = detail_of(f)->tls_symbol, *in = f->phase;
	/* the frame it happened in: the last step of its phase ("TLS destructor of tlsorder::WRITER") */
	for (const char *k = in; (k = strstr(k, " > ")) != NULL; k += 3)
		in = k + 3;
	finding_detail(f)->cause = u;
	free(f->root_cause);
	free(f->fix);
	f->root_cause = xasprintf("it follows the use-after-destroy of %s on this thread: the %s it happened in never "
				  "returned (the use started a panic, an unwinding or an abort that ended it), and %s "
				  "was constructed on the way%s: %s",
				  detail_of(u)->tls_symbol, in, sym,
				  runtime_tls(sym, detail_of(f)->tls_mod)
				  ? ", by the language runtime for its own use (not the program's to fix)" : "",
				  finding_root_cause(u, said, sizeof said));
	f->fix = xstrdup(finding_fix(u, fix, sizeof fix));
	/* the runtime's own object, made by the failure u began: nothing of the program's to warn of
	 * beyond u (FRESH17b item 7: a warning that said so was noise) */
	if (runtime_tls(sym, detail_of(f)->tls_mod))
		f->severity = SEV_INFO;
}

static void on_late_reg(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const char *why = ev_field(e, 9);
	char *sym = tls_display_name(p, ev_dec(e, 0));
	struct finding *f = add_finding(r, "construct-during-teardown", SEV_WARNING, p, e);
	finding_detail(f)->has_tls = 1;
	finding_detail(f)->tls_symbol = sym;
	finding_detail(f)->tls_address = ev_hex(e, 1);
	finding_detail(f)->tls_mod = strcmp(ev_field(e, 4), "-") ? proc_module(p, (int)ev_dec(e, 4)) : NULL;
	f->phase = phase_of(p, t, e->py);
	if (!strcmp(why, "dtors")) {
		f->message = xasprintf("thread %d constructed thread_local %s while its thread_local destructors were "
				       "running",
				       e->tid, sym);
		f->root_cause = xasprintf("a destructor (or code it calls) used %s for the first time on this thread; "
					  "glibc destroys it in the same pass, but anything destroyed earlier is gone",
					  sym);
		f->fix = xasprintf("construct %s earlier on this thread, or do not use it from destructors", sym);
		if (late_in_failure(t, e))
			late_caused_by_uad(f, late_in_failure(t, e));
	} else if (!strcmp(why, "exit")) {
		f->message = xasprintf("thread %d constructed thread_local %s after it began exiting: its destructor "
				       "will never run",
				       e->tid, sym);
		f->root_cause = xasprintf("%s was first used during teardown (%s), after glibc ran or committed to "
					  "this thread's thread_local destructors",
					  sym, f->phase);
		f->fix = xasprintf("do not use %s from atexit handlers or after the thread's function returned", sym);
	} else {
		f->message = xasprintf("thread %d constructed thread_local %s during Py_Finalize", e->tid, sym);
		f->root_cause = xasprintf("Python code run during finalization (atexit callbacks, finalizers) uses %s "
					  "on a thread where it did not exist yet, e.g. the main thread, while the "
					  "threads that used it are gone",
					  sym);
		f->fix = xasprintf("do not rely on per-thread state (%s) in Python atexit callbacks: they run on "
				   "whichever thread finalizes Python",
				   sym);
	}
	tfx_set(t)->last_late = tfx_set(t)->py_for = f;
}

/* Whether module M is a C++ runtime library, whose own per-thread state (exception globals,
 * __cxa_get_globals) its own functions make on first use, on any thread, at any time. */
static int is_cxx_runtime(const struct module *m)
{
	static const char *const names[] = {"libstdc++.so", "libc++.so", "libc++abi.so", "libgcc_s.so"};
	const char *b = base_name(m->path);
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strncmp(b, names[i], strlen(names[i])))
			return 1;
	return 0;
}

/* Whether a module's TLS block first allocated on a thread during its teardown (tls_late_alloc E,
 * the block of module M) is normal, not a finding: the module's own code asked for it (the site
 * is in M), and either during M's own static teardown (the innermost atexit handler running is
 * M's: libstdc++'s std::ios_base::Init::~Init reaching __cxa_get_globals, on Debian 13 and
 * unstable in every process that dlopens libstdc++), or M is a C++ runtime (a static
 * destructor elsewhere that writes to std::cout or throws reaches the same accessor). A
 * thread_local with a destructor constructed then still shows as a late tls_reg, a finding of
 * its own. */
static int late_alloc_is_normal(const struct proc *p, const struct tstate *t, const struct module *m,
				const struct event *e)
{
	const struct tframe *ax = innermost(t, FK_ATEXIT);
	if (!m || code_module(p, ev_field(e, 1)) != m)
		return 0;
	return (ax && code_module(p, ev_field(ax->e, 1)) == m) || is_cxx_runtime(m);
}

static void on_late_alloc(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	const struct module *m = strcmp(ev_field(e, 0), "-") ? proc_module(p, (int)ev_dec(e, 0)) : NULL;
	if (late_alloc_is_normal(p, t, m, e)) {
		e->normal = 1;
		if (t->fx)
			tfx_set(t)->py_for = NULL;
		return;
	}
	struct finding *f = tfx_set(t)->py_for = add_finding(r, "construct-during-teardown", SEV_WARNING, p, e);
	char *site = code_full_name(p, ev_field(e, 1), 1);
	f->phase = phase_of(p, t, e->py);
	finding_detail(f)->tls_mod = m;
	f->message = xasprintf("%s's thread_locals were first used on thread %d after its teardown began, from %s",
			       m ? base_name(m->path) : "a module", e->tid, site);
	f->root_cause = xasprintf("the module's TLS block was allocated during teardown (%s): its thread_locals "
				  "are constructed after the thread's destructors ran or committed",
				  f->phase);
	f->fix = xstrdup("do not use this module's thread_locals during teardown");
	free(site);
}

/* How to confirm a likely use of thread_local seq of p after its destructor, for a fix: "to
 * confirm, " WATCH_CONFIRM, or where the trace ran under a watch mode already (its `watch` line,
 * shim/watch.c), what that mode showed and what is left to try: under poison, the object poisoned
 * (a `poison` line of seq) and no poison_hit (no dereference through its pointers faulted: the
 * use reads a plain word, which poison keeps), or not poisoned (no size known); under hw, no
 * breakpoint hit (poison_hit) for it. malloc'd */
char *watch_confirm(const struct proc *p, long long seq)
{
	const char *why, *mode = proc_watch_mode(p, &why);
	int poisoned = 0, hit = 0;
	for (int i = 0; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->type == EV_POISON && ev_dec(e, 0) == seq)
			poisoned = 1;
		else if (e->type == EV_POISON_HIT && ev_dec(e, 0) == seq)
			hit = 1;
	}
	if (mode && !strcmp(mode, "poison") && !hit)
		return xasprintf("this run had TLSTRACE_WATCH=poison (its watch line), and %s; to see each access with "
				 "its backtrace, run with TLSTRACE_WATCH=hw where breakpoints fire (the trace's watch "
				 "line then says hw), or in a debugger with a watchpoint on the object",
				 poisoned ? "the object was poisoned after its destructor (its poison line) but no "
					    "dereference through its pointers faulted (no poison_hit line): the use "
					    "reads a word that holds no pointer (an integer, a flag, a lock's state), "
					    "which poison keeps as the destructor left it"
					  : "the object was not poisoned (no poison line for it: its size is not "
					    "known), so poison could not show a use");
	if (mode && !strcmp(mode, "hw") && !hit)
		return xstrdup("this run had TLSTRACE_WATCH=hw (its watch line), and no breakpoint on the object "
			       "fired (no poison_hit line): the use is not of the watched bytes, or came from the "
			       "kernel; TLSTRACE_WATCH=poison overwrites its pointers, so a dereference through one "
			       "faults and names it (that changes the run: a silent read becomes a crash)");
	if (mode && !strcmp(mode, "off")) {
		/* hw or auto asked for, nothing watched: breakpoints do not fire here, or were not
		 * tried under a seccomp filter (shim/sandbox.c seccomp_filtered) */
		char *w = decode_str(why ? why : "-"), *s = xasprintf("this run asked for a hardware watch (TLSTRACE_WATCH=hw or auto), but nothing was "
				 "watched (its watch line: %s); %srun with TLSTRACE_WATCH=poison, which overwrites the "
				 "object's pointers so that a dereference through one faults and names it (that changes "
				 "the run: a silent read becomes a crash), or in a debugger with a watchpoint on the object",
				 w, strstr(w, "seccomp") ? "run it where no seccomp filter refuses perf_event_open "
							  "(systemd's SystemCallFilter= without @debug does), " : "");
		free(w);
		return s;
	}
	return xstrdup("to confirm, " WATCH_CONFIRM);
}

/* watch_hw (report.h) */
int watch_hw(const struct proc *p)
{
	const char *mode = proc_watch_mode(p, NULL);
	return mode && !strcmp(mode, "hw");
}

static void on_poison_hit(struct report *r, struct proc *p, struct tstate *t, struct event *e)
{
	struct finding *f = add_finding(r, "use-after-destroy", SEV_ERROR, p, e);
	long long seq = ev_dec(e, 0);
	char *site = code_full_name(p, ev_field(e, 4), 0);
	finding_detail(f)->has_tls = 1;
	finding_detail(f)->tls_symbol = tls_display_name(p, seq);
	finding_detail(f)->tls_mod = tls_reg_module(p, seq);
	finding_detail(f)->tls_address = ev_hex(e, 1);
	f->phase = phase_of(p, t, e->py);
	/* (TLSTRACE_WATCH=hw: a read-write breakpoint on the object fired, the line's addr is the
	 * object's; poison: a fault at the poison pattern, addr the poisoned value: shim/watch.c) */
	if (watch_hw(p))
		f->message = xasprintf("thread %d used thread_local %s after its destructor ran (read or written at 0x%llx, "
				       "caught by a hardware watchpoint), at %s", e->tid, detail_of(f)->tls_symbol, ev_hex(e, 3), site);
	else
		f->message = xasprintf("thread %d used thread_local %s after its destructor ran (poisoned value 0x%llx), at %s",
				       e->tid, detail_of(f)->tls_symbol, ev_hex(e, 3), site);
	uad_cause(f, p, t, 0, 0);
	free(site);
	tfx_set(t)->last_uad = tfx_set(t)->py_for = f;
}

static void tls_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at);
	switch (e->type) {
	case EV_TLS_REG:
		if (strcmp(ev_field(e, 9), "-") != 0)
			on_late_reg(r, p, t, e);
		break;
	case EV_UAD:
		on_uad(r, p, t, e);
		break;
	case EV_UAD_COUNT:
		on_uad_count(r, p, e);
		break;
	case EV_UAD_PY:
	case EV_LATE_PY:
		finding_add_pyline(tfx(t)->py_for, e);
		break;
	case EV_POISON_HIT:
		on_poison_hit(r, p, t, e);
		break;
	case EV_TLS_LATE_ALLOC:
		on_late_alloc(r, p, t, e);
		break;
	}
}

const struct diag_rule diag_tls = {"tls", tls_event, NULL, NULL};

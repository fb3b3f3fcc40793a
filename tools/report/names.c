/* names.c - how the report names things, the same way in every renderer: a code token (function,
 * else module+offset), a thread_local by its registration seq (demangled STT_TLS symbol), and the
 * registrations a forked child inherited from its parent. */
#include <stdlib.h>
#include <string.h>

#include <libiberty/demangle.h>

#include "report.h"

/* C++ and both Rust manglings (legacy "_ZN...17h<hash>E", whose hash libiberty drops unless
 * DMGL_VERBOSE, and v0 "_R...") by libiberty's cplus_demangle (Debian's libiberty-dev), the
 * demangler binutils and gdb use. A name it does not take comes back as it is. */
char *demangled(const char *name)
{
	char *d, *plain;
	const char *llvm = strstr(name, ".llvm.");
	if (strncmp(name, "_Z", 2) != 0 && strncmp(name, "_R", 2) != 0)
		return xstrdup(name);
	/* LLVM (rustc, clang with LTO) appends .llvm.<hash> to local symbols: not mangling */
	plain = llvm ? strndup(name, (size_t)(llvm - name)) : xstrdup(name);
	d = cplus_demangle(plain, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
	free(plain);
	return d ? d : xstrdup(name);
}

/* Rust's thread_local! keeps the value in a hidden static of the accessor it generates
 * (std 1.63-1.7x: "NAME::__getit::__KEY" or "NAME::__getit::VAL"; later "NAME::{{constant}}::...",
 * "NAME::{K#0}::..." in v0 mangling):
 * the variable a person wrote is NAME. Cut in place. */
static void rust_tls_name(char *name)
{
	static const char *const tails[] = {"::__getit::__KEY", "::__getit::VAL", "::__getit::STATE", "::{{constant}}",
					    "::{K#0}"};
	size_t i;
	for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		char *t = strstr(name, tails[i]);
		if (t && t != name) {
			*t = 0;
			return;
		}
	}
}

static int reg_order(const void *a, const void *b)
{
	const struct reg *x = a, *y = b;
	return x->seq != y->seq ? (x->seq < y->seq ? -1 : 1) : x->at - y->at;
}

/* Registrations by number: a child runs what its parent registered, hence the walk up. The
 * tables are built on the first lookup, after parsing, sorted by number (16 bytes each: a
 * process may register 100000 thread_locals); the last registration of a number wins. */
static void build_indexes(struct proc *p)
{
	int i, n[2] = {0, 0}, k[2];
	struct reg_table *regs; /* not in struct proc: most processes never need them */
	for (i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_TLS_REG || proc_ev(p, i)->type == EV_ATEXIT_REG)
			n[proc_ev(p, i)->type != EV_TLS_REG]++;
	regs = xmalloc(sizeof *regs + (size_t)(n[0] + n[1]) * sizeof *regs->v);
	regs->n[0] = n[0];
	regs->n[1] = n[1];
	k[0] = 0;
	k[1] = n[0];
	for (i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_TLS_REG || proc_ev(p, i)->type == EV_ATEXIT_REG)
			regs->v[k[proc_ev(p, i)->type != EV_TLS_REG]++] = (struct reg){ev_dec(proc_ev(p, i), 0), i};
	qsort(regs->v, (size_t)n[0], sizeof *regs->v, reg_order);
	qsort(regs->v + n[0], (size_t)n[1], sizeof *regs->v, reg_order);
	proc_routine(p)->regs = regs;
}

/* p's last registration of seq in its table of type (0: tls_reg, 1: atexit_reg), or NULL */
static const struct event *reg_get(const struct proc *p, int type, long long seq)
{
	const struct reg_table *t = routine_of(p)->regs;
	const struct reg *v = t->v + (type ? t->n[0] : 0);
	int lo = 0, hi = t->n[type];
	while (lo < hi) { /* the first past seq */
		int mid = lo + (hi - lo) / 2;
		if (v[mid].seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && v[lo - 1].seq == seq ? proc_ev(p, v[lo - 1].at) : NULL;
}

/* the registration seq of type (EV_TLS_REG or EV_ATEXIT_REG) in cp or, for a forked child, its
 * parents; *owner (if not NULL): the process whose line it is */
static const struct event *find_reg(const struct proc *cp, int type, long long seq, const struct proc **owner)
{
	struct proc *p;
	for (p = (struct proc *)cp; p; p = proc_parent(p)) {
		const struct event *e;
		if (!routine_of(p) || !routine_of(p)->regs)
			build_indexes(p);
		e = reg_get(p, type == EV_TLS_REG ? 0 : 1, seq);
		if (e) {
			if (owner)
				*owner = p;
			return e;
		}
	}
	return NULL;
}

const struct event *proc_find_reg(const struct proc *cp, int type, long long seq)
{
	return find_reg(cp, type, seq, NULL);
}

char *tls_display_name(const struct proc *p, long long seq)
{
	return tls_reg_name(proc_find_reg(p, EV_TLS_REG, seq), seq);
}

char *tls_reg_name(const struct event *reg, long long seq)
{
	char *raw, *name;
	if (!reg)
		return xasprintf("thread_local #%lld", seq);
	raw = decode_str(ev_field(reg, 6));
	if (!*raw) {
		free(raw);
		return xasprintf("thread_local #%lld at 0x%llx", seq, ev_hex(reg, 1));
	}
	name = demangled(raw);
	free(raw);
	rust_tls_name(name);
	return name;
}

/* tls_is_rust (report.h) */
int tls_is_rust(const struct proc *p, long long seq)
{
	const struct event *reg = proc_find_reg(p, EV_TLS_REG, seq);
	const char *h;
	char *raw;
	int rust;
	if (!reg)
		return 0;
	raw = decode_str(ev_field(reg, 6));
	/* v0 ("_R..."), or legacy: a path ending in a hash segment "17h" + 16 hex digits + "E" */
	rust = !strncmp(raw, "_R", 2);
	for (h = raw; !rust && (h = strstr(h, "17h")) != NULL; h++)
		rust = strspn(h + 3, "0123456789abcdef") == 16 && h[19] == 'E';
	free(raw);
	return rust;
}

const struct module *tls_reg_module(const struct proc *p, long long seq)
{
	const struct proc *owner;
	const struct event *reg = find_reg(p, EV_TLS_REG, seq, &owner);
	if (!reg || !strcmp(ev_field(reg, 4), "-"))
		return NULL;
	return proc_module(owner, (int)ev_dec(reg, 4));
}

char *code_func_name(const struct proc *p, const char *tok)
{
	struct code c;
	const char *f;
	if (code_parse(p, tok, &c) != 0)
		return xstrdup(tok);
	f = sym_func(&c);
	if (f)
		return xstrdup(f);
	return c.mod ? xasprintf("%s+0x%llx", base_name(c.mod->path), (unsigned long long)c.off)
		     : xasprintf("0x%llx", (unsigned long long)c.off);
}

char *code_full_name(const struct proc *p, const char *tok, int is_return)
{
	struct code c;
	char buf[800];
	if (code_parse(p, tok, &c) != 0)
		return xstrdup(tok);
	sym_describe(&c, is_return, buf, sizeof buf);
	return xstrdup(buf);
}

/* the module whose mod line came first after time t (ns) among those whose file's span holds
 * addr: one loaded later, as the one being loaded at t (its constructors run inside dlopen, before
 * the shim reads its line); NULL if none */
static const struct module *module_loaded_after(const struct proc *p, uint64_t addr, uint64_t t)
{
	for (int i = 0; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		const struct module *m;
		uint64_t end;
		if (e->type == EV_MOD && e->t > t && (m = proc_module(p, (int)ev_dec(e, 0))) && m->base <= addr &&
		    sym_module_span(m, &end) == 0 && addr - m->base < end)
			return m;
	}
	return NULL;
}

int code_parse_at(const struct proc *p, const char *tok, uint64_t t, struct code *c)
{
	const struct module *m;
	int how = 1;
	int near = 0;
	if (code_parse(p, tok, c) != 0 || c->mod || c->off < 4096)
		return 0;
	/* (no module of p within 256 MiB below the address: nothing to look for in p's events, which
	 * both searches below walk: a hostile trace's absolute sites, one per process of 60000) */
	for (int i = 0; i < proc_nmods(p) && !near; i++)
		near = proc_mods(p)[i].base <= c->off && c->off - proc_mods(p)[i].base < (256u << 20);
	if (!near)
		return 0;
	if (!(m = module_unloaded_holding(p, c->off, t, NULL))) {
		how = 2;
		if (!(m = module_loaded_after(p, c->off, t)))
			return 0;
	}
	c->off -= m->base;
	c->mod = m;
	return how;
}


char *code_func_name_at(const struct proc *p, const char *tok, uint64_t t)
{
	struct code c;
	const char *f;
	if (!code_parse_at(p, tok, t, &c))
		return code_func_name(p, tok);
	f = sym_func(&c);
	return f ? xstrdup(f) : xasprintf("%s+0x%llx", base_name(c.mod->path), (unsigned long long)c.off);
}

const struct module *code_module_at(const struct proc *p, const char *tok, uint64_t t)
{
	struct code c;
	return code_parse_at(p, tok, t, &c) ? c.mod : code_module(p, tok);
}

char *code_full_name_at(const struct proc *p, const char *tok, int is_return, uint64_t t)
{
	struct code c;
	char buf[800];
	int how = code_parse_at(p, tok, t, &c);
	if (!how)
		return code_full_name(p, tok, is_return);
	sym_describe(&c, is_return, buf, sizeof buf);
	return how == 1 ? xasprintf("%s (unloaded)", buf) : xstrdup(buf);
}

const struct module *code_module(const struct proc *p, const char *tok)
{
	struct code c;
	return code_parse(p, tok, &c) == 0 ? c.mod : NULL;
}

/* The module whose file spans addr, among those loaded when at_time came (unloaded == 0), or those
 * unloaded by then (unloaded == 1: *unmod is its unmod line). The span comes from the file; without
 * it (--no-symbols, the file gone), the module with the nearest base below addr, within 256 MB. */
const struct module *module_holding(const struct proc *p, uint64_t addr, uint64_t at_time, int unloaded,
				    const struct event **unmod)
{
	const struct module *best = NULL;
	const struct event *best_un = NULL;
	int i, k;
	for (i = 0; i < proc_nmods(p); i++) {
		const struct module *m = &proc_mods(p)[i];
		const struct event *un = NULL;
		uint64_t end;
		if (m->base > addr || (best && best->base > m->base))
			continue;
		for (k = 0; k < p->nev && proc_ev(p, k)->t <= at_time; k++)
			if (proc_ev(p, k)->type == EV_UNMOD && ev_dec(proc_ev(p, k), 0) == m->id)
				un = proc_ev(p, k);
		if (!un != !unloaded)
			continue;
		if (sym_module_span(m, &end) == 0 ? addr - m->base >= end : addr - m->base >= (256u << 20))
			continue;
		best = m;
		best_un = un;
	}
	if (unmod)
		*unmod = best_un;
	return best;
}

/* The unloaded module whose former range holds addr at time t (its unmod line in *unmod), only
 * when no module loaded then holds it and the file on disk gives the module's span (the trace's
 * mod lines have no size; without the file, an address past the module's end would be blamed on
 * it); else NULL */
const struct module *module_unloaded_holding(const struct proc *p, uint64_t addr, uint64_t t,
					     const struct event **unmod)
{
	const struct module *m = module_holding(p, addr, t, 1, unmod);
	uint64_t end;
	if (!m || module_holding(p, addr, t, 0, NULL) || sym_module_span(m, &end) != 0)
		return NULL;
	return m;
}

/* "g_db_info" for a static object's address (a symbol of a module loaded at the end), else
 * "the object at 0x..." */
char *object_name(const struct proc *p, uint64_t addr)
{
	const struct module *m = module_holding(p, addr, UINT64_MAX, 0, NULL);
	struct code c = {m, m ? addr - m->base : addr};
	uint64_t off = 0, size = 0;
	char *n = m ? sym_data(&c, &off, &size) : NULL, *r;
	if (!n)
		return m ? xasprintf("the object at %s+0x%llx", base_name(m->path), (unsigned long long)c.off)
			 : xasprintf("the object at 0x%llx", (unsigned long long)addr);
	if (!off)
		return n;
	r = xasprintf("%s+0x%llx", n, (unsigned long long)off);
	free(n);
	return r;
}

/* A __cxa_atexit registration with an object is a static destructor (C++ compilers register
 * each static's destructor so; atexit() passes no argument): 1 and its object, else 0. */
int atexit_is_static_dtor(const struct proc *p, long long seq, uint64_t *obj)
{
	const struct event *reg = proc_find_reg(p, EV_ATEXIT_REG, seq);
	if (!reg || strcmp(ev_field(reg, 1), "cxa") != 0 || !ev_hex(reg, 3))
		return 0;
	*obj = ev_hex(reg, 3);
	return 1;
}

/* Template arguments cut to "<...>": "std::unordered_map<...>::~unordered_map()". */
char *short_name(const char *name)
{
	char *out = xmalloc(5 * strlen(name) + 1), *o = out; /* each "<" may become "<...>" (unbalanced input) */
	int depth = 0;
	const char *c;
	for (c = name; *c; c++) {
		/* "operator<" and "operator<<" are not templates */
		if (*c == '<' && !(c - name >= 8 && !strncmp(c - 8, "operator", 8)) && depth++ == 0) {
			memcpy(o, "<...>", 5);
			o += 5;
			continue;
		}
		if (*c == '>' && depth > 0) {
			depth--;
			continue;
		}
		if (!depth)
			*o++ = *c;
	}
	*o = 0;
	return out;
}

/* how a running handler is named: "static destructor IntVec::~IntVec() of main::v" for a static
 * destructor, "atexit handler f" otherwise */
char *atexit_display(const struct proc *p, long long seq, const char *fn_tok)
{
	uint64_t obj;
	char *fn = code_func_name(p, fn_tok), *sfn = short_name(fn), *o, *r;
	free(fn);
	if (!atexit_is_static_dtor(p, seq, &obj)) {
		r = xasprintf("atexit handler %s", sfn);
		free(sfn);
		return r;
	}
	o = object_name(p, obj);
	r = xasprintf("static destructor %s of %s", sfn, o);
	free(o);
	free(sfn);
	return r;
}

/* Does the static object at obj (its data symbol's extent, from the module loaded at time at) hold
 * addr? 0 when unknown (no symbol, --no-symbols). */
int object_holds(const struct proc *p, uint64_t obj, uint64_t addr, uint64_t at)
{
	const struct module *m = module_holding(p, obj, at, 0, NULL);
	struct code c = {m, m ? obj - m->base : 0};
	uint64_t off = 0, size = 0;
	char *nm = m ? sym_data(&c, &off, &size) : NULL;
	int yes = nm && addr >= obj - off && addr < obj - off + size;
	free(nm);
	return yes;
}

/* a module of the system (libc, libstdc++, the loader, the shim) rather than the program's own */
int is_system_module(const struct module *m)
{
	return !m || !m->path || is_shim_module(m) || !strncmp(m->path, "/lib/", 5) || !strncmp(m->path, "/lib64/", 7) ||
	       !strncmp(m->path, "/usr/lib/", 9);
}

/* p's sig_handler line at place i was written at a signal.signal call: its thread's next line
 * is a sig_handler_py (shim/signals.c writes them at CPython's PyOS_setsig while Python code
 * runs; other threads' lines may come between: a few looked past) */
static int handler_line_from_python(const struct proc *p, int i)
{
	for (int j = i + 1; j < p->nev && j <= i + 16; j++)
		if (proc_ev(p, j)->tid == proc_ev(p, i)->tid)
			return proc_ev(p, j)->type == EV_SIG_HANDLER_PY;
	return 0;
}

int cpython_signal_handler(const struct proc *p, const char *tok)
{
	struct code c, h;
	const char *fn;
	const struct module *m;
	if (code_parse(p, tok, &c) != 0 || !c.mod)
		return 0;
	if ((fn = sym_func(&c)) != NULL)
		return !strcmp(fn, "signal_handler");
	for (const struct proc *q = p; q; q = proc_parent(q))
		for (int i = 0; i < q->nev; i++) {
			const struct event *e = proc_ev(q, i);
			if (e->type == EV_SIG_HANDLER && code_parse(q, ev_field(e, 1), &h) == 0 && h.mod && h.off == c.off &&
			    !strcmp(h.mod->path, c.mod->path) && handler_line_from_python(q, i))
				return 1;
		}
	m = c.mod;
	return !strncmp(base_name(m->path), "python", 6) || !strncmp(base_name(m->path), "libpython", 9);
}

char *handler_func_name(const struct proc *p, const char *tok)
{
	struct code c;
	if (code_parse(p, tok, &c) != 0 || !c.mod || sym_func(&c))
		return code_func_name(p, tok);
	if (cpython_signal_handler(p, tok))
		return xstrdup("signal_handler");
	if (sym_module_stripped(c.mod))
		return xasprintf("%s+0x%llx (%s is stripped)", base_name(c.mod->path), (unsigned long long)c.off,
				 base_name(c.mod->path));
	return code_func_name(p, tok);
}

char *type_demangled(const char *name)
{
	char *d = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_TYPES);
	return d ? d : xstrdup(name);
}

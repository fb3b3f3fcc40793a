/* names.c - how the report names things, the same way in every renderer: a code token (function,
 * else module+offset), a thread_local by its registration seq (demangled STT_TLS symbol), and the
 * registrations a forked child inherited from its parent. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

char *demangled(const char *name)
{
	int st = 0;
	char *d, *plain;
	const char *llvm = strstr(name, ".llvm.");
	if (strncmp(name, "_Z", 2) != 0)
		return xstrdup(name);
	/* LLVM (rustc, clang with LTO) appends .llvm.<hash> to local symbols: not mangling */
	plain = llvm ? strndup(name, (size_t)(llvm - name)) : xstrdup(name);
	if ((d = __cxa_demangle(plain, NULL, NULL, &st)) != NULL && st == 0) {
		free(plain);
		return d;
	}
	free(plain);
	return xstrdup(name);
}

/* Registrations by number: a child runs what its parent registered, hence the walk up. The
 * indexes are built on the first lookup, after parsing; the last registration of a number wins. */
static void build_indexes(struct proc *p)
{
	int i;
	p->regs = xmalloc(2 * sizeof *p->regs); /* not in struct proc: most processes never need them */
	memset(p->regs, 0, 2 * sizeof *p->regs);
	for (i = 0; i < p->nev; i++) {
		struct event *e = p->ev[i];
		if (e->type == EV_TLS_REG)
			index_put(&p->regs[0], ev_dec(e, 0), e);
		else if (e->type == EV_ATEXIT_REG)
			index_put(&p->regs[1], ev_dec(e, 0), e);
	}
}

const struct event *proc_find_reg(const struct proc *cp, int type, long long seq)
{
	struct proc *p;
	for (p = (struct proc *)cp; p; p = p->parent) {
		const struct event *e;
		if (!p->regs)
			build_indexes(p);
		e = index_get(&p->regs[type == EV_TLS_REG ? 0 : 1], seq);
		if (e)
			return e;
	}
	return NULL;
}

char *tls_display_name(const struct proc *p, long long seq)
{
	const struct event *reg = proc_find_reg(p, EV_TLS_REG, seq);
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
	return name;
}

const struct module *tls_reg_module(const struct proc *p, long long seq)
{
	const struct event *reg = proc_find_reg(p, EV_TLS_REG, seq);
	if (!reg || !strcmp(ev_field(reg, 4), "-"))
		return NULL;
	return proc_module(reg->proc, (int)ev_dec(reg, 4));
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

const struct module *code_module(const struct proc *p, const char *tok)
{
	struct code c;
	return code_parse(p, tok, &c) == 0 ? c.mod : NULL;
}

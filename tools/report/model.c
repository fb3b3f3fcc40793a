/* model.c - the pieces of the model shared by all stages: allocation that never returns NULL,
 * event type names, per-process module tables, code tokens (ID+0xOFF), decoding of strings. */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("tlstrace-report: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("tlstrace-report: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

struct options opt = {.symbols = 1, .max_frames = 24};

/* the last component of path; "?" for NULL */
const char *base_name(const char *path)
{
	const char *s;
	if (!path)
		return "?";
	s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static const char *const type_names[EV_NTYPES] = {
	[EV_UNKNOWN] = "?",
	[EV_TLSTRACE] = "tlstrace", [EV_FORKED] = "forked", [EV_CONFIG] = "config", [EV_NOTE] = "note",
	[EV_MOD] = "mod", [EV_UNMOD] = "unmod", [EV_DLOPEN] = "dlopen", [EV_DLCLOSE] = "dlclose",
	[EV_FORK] = "fork", [EV_MAIN_RETURN] = "main_return", [EV_EXIT] = "exit", [EV__EXIT] = "_exit",
	[EV_QUICK_EXIT] = "quick_exit", [EV_EXIT_DONE] = "exit_done", [EV_ATEXIT_REG] = "atexit_reg",
	[EV_ATEXIT_RUN] = "atexit_run", [EV_ATEXIT_END] = "atexit_end", [EV_THREAD_START] = "thread_start",
	[EV_THREAD_EXIT] = "thread_exit", [EV_TLS_DTORS_DONE] = "tls_dtors_done", [EV_TLS_REG] = "tls_reg",
	[EV_TLS_DTOR] = "tls_dtor", [EV_TLS_DTOR_END] = "tls_dtor_end", [EV_TLS_LATE_ALLOC] = "tls_late_alloc",
	[EV_KEY_CREATE] = "key_create", [EV_KEY_DELETE] = "key_delete", [EV_KEY_DTOR] = "key_dtor",
	[EV_KEY_DTOR_END] = "key_dtor_end", [EV_KEY_LATE] = "key_late", [EV_PY_FIN] = "py_fin",
	[EV_PY_FIN_END] = "py_fin_end", [EV_PY_ATEXIT_REG] = "py_atexit_reg", [EV_PY_ATEXIT_RUN] = "py_atexit_run",
	[EV_PY_ATEXIT_END] = "py_atexit_end", [EV_UAD] = "uad", [EV_UAD_COUNT] = "uad_count",
	[EV_POISON_HIT] = "poison_hit", [EV_UAD_PY] = "uad_py", [EV_LATE_PY] = "late_py", [EV_KEY_LATE_PY] = "key_late_py", [EV_CRASH] = "crash", [EV_CRASH_PHASE] = "crash_phase",
	[EV_CRASH_BT] = "crash_bt", [EV_CRASH_TLS] = "crash_tls", [EV_CRASH_PY] = "crash_py",
	[EV_CRASH_END] = "crash_end", [EV_WATCH] = "watch", [EV_POISON] = "poison",
	[EV_KILL] = "kill", [EV_REAP] = "reap", [EV_SIG_HANDLER] = "sig_handler", [EV_LOST] = "lost",
	[EV_SIG_HANDLED] = "sig_handled",
	[EV_HANG_ARM] = "hang_arm", [EV_HANG] = "hang", [EV_HANG_THREAD] = "hang_thread", [EV_HANG_BT] = "hang_bt",
	[EV_HANG_PY] = "hang_py", [EV_HANG_END] = "hang_end", [EV_PY_NEW_INTERP] = "py_new_interp",
	[EV_PY_END_INTERP] = "py_end_interp", [EV_PY_END_INTERP_END] = "py_end_interp_end",
	[EV_THREAD_QUIET] = "thread_quiet", [EV_DROPPED] = "dropped",
	[EV_DL_FINI] = "dl_fini", [EV_DL_FINI_END] = "dl_fini_end", [EV_CXA_FIN] = "cxa_fin", [EV_CXA_FIN_END] = "cxa_fin_end",
	[EV_DLCLOSE_BEGIN] = "dlclose_begin", [EV_THREADS_ALIVE] = "threads_alive",
	[EV_SIG_ARRIVE] = "sig_arrive", [EV_SIG_MASK] = "sig_mask", [EV_SIG_INHERIT] = "sig_inherit",
	[EV_SIG_IGNORED] = "sig_ignored",
	[EV_WAIT_BEGIN] = "wait_begin", [EV_WAIT_END] = "wait_end", [EV_WAIT_POLL] = "wait_poll",
	[EV_HANG_PYLOCK] = "hang_pylock", [EV_HANG_PYHANDLER] = "hang_pyhandler", [EV_HANG_RWLOCK] = "hang_rwlock",
	[EV_KILL_SNAP] = "kill_snap", [EV_KILL_SNAP_END] = "kill_snap_end", [EV_HANG_STDIO] = "hang_stdio", [EV_HANG_FILELOCK] = "hang_filelock",
	[EV_SIG_HANDLER_PY] = "sig_handler_py", [EV_SIG_HANDLER_PYFN] = "sig_handler_pyfn",
	[EV_KILL_PY] = "kill_py", [EV_PGRP] = "pgrp", [EV_SIG_WHERE] = "sig_where", [EV_SIG_WHERE_PY] = "sig_where_py",
	[EV_CRASH_EXC] = "crash_exc",
};

int alive_thread(const struct proc *p, const struct event *e, int i, int *tid, char **routine, char **name)
{
	int k = 2 + 3 * i;
	if (k + 2 >= e->nf)
		return 0;
	*tid = (int)ev_dec(e, k);
	*routine = code_func_name(p, ev_field(e, k + 1));
	if (!*routine)
		*routine = xstrdup(ev_field(e, k + 1));
	*name = strcmp(ev_field(e, k + 2), "-") ? decode_str(ev_field(e, k + 2)) : NULL;
	return 1;
}

/* thread_name_later (report.h) */
char *thread_name_later(const struct proc *p, const struct event *e, int tid)
{
	for (int at = 0; at < p->nev; at++) {
		const struct event *x = proc_ev(p, at);
		if (x->t < e->t || x == e)
			continue;
		if (x->type == EV_THREAD_EXIT && x->tid == tid)
			break;
		if (x->type != EV_THREADS_ALIVE)
			continue;
		for (int j = 2; j + 2 < (int)x->nf; j += 3)
			if (ev_dec(x, j) == tid && strcmp(ev_field(x, j + 2), "-"))
				return decode_str(ev_field(x, j + 2));
	}
	return NULL;
}

void alive_threads_text(const struct proc *p, const struct event *e, char *buf, size_t n)
{
	size_t u = 0;
	char *r, *name;
	buf[0] = 0;
	for (int k = 0, tid; u < n && alive_thread(p, e, k, &tid, &r, &name); k++) {
		/* a Python thread by its name; its routine only where it has a name of its own */
		int routine = !(name && strstr(r, "+0x"));
		u += (size_t)snprintf(buf + u, n - u, "%s %d%s%s%s%s%s%s", k ? "," : "", tid, name ? " \"" : "",
				      name ? name : "", name ? "\"" : "", routine ? " (" : "", routine ? r : "",
				      routine ? ")" : "");
		free(r);
		free(name);
	}
}

/* the shim's names for where teardown began (hang_arm, threads_alive lines), in words */
const char *teardown_words(const char *why)
{
	return !strcmp(why, "exit") ? "exit()" : !strcmp(why, "main_return") ? "main returned"
		: !strcmp(why, "py_fin") ? "Py_Finalize" : !strcmp(why, "py_end_interp") ? "Py_EndInterpreter"
		: !strcmp(why, "py_fin_stack") ? "Py_FinalizeEx" : !strcmp(why, "fork") ? "fork()"
		: !strcmp(why, "py_fin_late") ? "Py_FinalizeEx's module teardown"
		: !strcmp(why, "handler") ? "a termination handler still running"
		: !strcmp(why, "handler_hup") ? "a SIGHUP handler still running (not a teardown)"
		: !strcmp(why, "handler_py") ? "Python's main thread blocking after a termination signal"
		: !strcmp(why, "py_after_handler") ? "Python's main thread waiting after a termination signal" : why;
}

int why_handler(const char *why) { return !strncmp(why, "handler", 7) || !strcmp(why, "py_after_handler"); }

int why_py_after(const char *why) { return !strcmp(why, "handler_py") || !strcmp(why, "py_after_handler"); }

const struct event *py_fin_arm_arrival(const struct proc *p, const struct event *arm)
{
	const struct event *a = NULL;
	int i;
	if (arm->type != EV_HANG_ARM || (strcmp(ev_field(arm, 0), "py_fin_stack") && strcmp(ev_field(arm, 0), "py_fin_late")))
		return NULL;
	for (i = 0; i < p->nev && proc_ev(p, i) != arm; i++)
		if (proc_ev(p, i)->type == EV_SIG_ARRIVE && !strcmp(ev_field(proc_ev(p, i), 5), "fn"))
			a = proc_ev(p, i);
	/* the first snapshot after it: the watchdog's counts from its hang_arm line (ms about the
	 * time between), the watcher's from the arrival, before the line by half TLSTRACE_HANG_MS
	 * (its hang_arm field) at least: it writes hang_arm with its first snapshot */
	for (i++; a && i < p->nev; i++) {
		const struct event *h = proc_ev(p, i);
		if (h->type != EV_HANG)
			continue;
		return h->t >= arm->t && (h->t - arm->t) / 1000000 + (uint64_t)ev_dec(arm, 1) / 2 < (uint64_t)ev_dec(h, 1) ? a : NULL;
	}
	return NULL;
}

const char *event_type_name(int type) { return type > 0 && type < EV_NTYPES ? type_names[type] : "?"; }

/* each event type in words, for a reader (the trace's names are for readers of the format:
 * docs/trace-format.md) */
static const char *const type_words[EV_NTYPES] = {
	[EV_UNKNOWN] = "an unknown line",
	[EV_TLSTRACE] = "its start", [EV_FORKED] = "its start in fork()", [EV_CONFIG] = "the shim's settings",
	[EV_NOTE] = "a note of the shim", [EV_MOD] = "a module loaded", [EV_UNMOD] = "a module unloaded",
	[EV_DLOPEN] = "dlopen()", [EV_DLCLOSE] = "dlclose()'s return", [EV_FORK] = "fork()",
	[EV_MAIN_RETURN] = "main's return", [EV_EXIT] = "exit()", [EV__EXIT] = "_exit()",
	[EV_QUICK_EXIT] = "quick_exit()", [EV_EXIT_DONE] = "the end of its atexit handlers",
	[EV_ATEXIT_REG] = "an atexit registration", [EV_ATEXIT_RUN] = "an atexit handler's start",
	[EV_ATEXIT_END] = "an atexit handler's return", [EV_THREAD_START] = "a thread's start",
	[EV_THREAD_EXIT] = "a thread's exit", [EV_TLS_DTORS_DONE] = "the end of a thread's TLS destructors",
	[EV_TLS_REG] = "a thread_local constructed", [EV_TLS_DTOR] = "a TLS destructor's start",
	[EV_TLS_DTOR_END] = "a TLS destructor's return", [EV_TLS_LATE_ALLOC] = "a first use of thread_locals in teardown",
	[EV_KEY_CREATE] = "pthread_key_create()", [EV_KEY_DELETE] = "pthread_key_delete()",
	[EV_KEY_DTOR] = "a pthread key destructor's start", [EV_KEY_DTOR_END] = "a pthread key destructor's return",
	[EV_KEY_LATE] = "a pthread key used after its destructor", [EV_PY_FIN] = "Py_Finalize's start",
	[EV_PY_FIN_END] = "Py_Finalize's return", [EV_PY_ATEXIT_REG] = "a Py_AtExit registration",
	[EV_PY_ATEXIT_RUN] = "a Py_AtExit function's start", [EV_PY_ATEXIT_END] = "a Py_AtExit function's return",
	[EV_UAD] = "a use of a destroyed thread_local", [EV_UAD_COUNT] = "a count of uses of a destroyed thread_local",
	[EV_POISON_HIT] = "a use of a poisoned thread_local", [EV_UAD_PY] = "a Python traceback line",
	[EV_LATE_PY] = "a Python traceback line", [EV_KEY_LATE_PY] = "a Python traceback line",
	[EV_CRASH] = "a crash", [EV_CRASH_PHASE] = "a crash report", [EV_CRASH_BT] = "a crash report",
	[EV_CRASH_TLS] = "a crash report", [EV_CRASH_PY] = "a crash report", [EV_CRASH_END] = "the end of a crash report",
	[EV_WATCH] = "the watch mode", [EV_POISON] = "a destroyed thread_local poisoned", [EV_KILL] = "a signal it sent",
	[EV_REAP] = "a child reaped", [EV_SIG_HANDLER] = "a signal handler installed", [EV_LOST] = "a count of lost lines",
	[EV_SIG_HANDLED] = "a count of handled signals", [EV_HANG_ARM] = "the hang watchdog armed",
	[EV_HANG] = "a hang snapshot's start", [EV_HANG_THREAD] = "a hang snapshot", [EV_HANG_BT] = "a hang snapshot",
	[EV_HANG_PY] = "a hang snapshot", [EV_HANG_END] = "a hang snapshot's end",
	[EV_PY_NEW_INTERP] = "a sub-interpreter created", [EV_PY_END_INTERP] = "Py_EndInterpreter's start",
	[EV_PY_END_INTERP_END] = "Py_EndInterpreter's return", [EV_THREAD_QUIET] = "a thread that ended cleanly",
	[EV_DROPPED] = "a count of dropped lines", [EV_DL_FINI] = "_dl_fini's start", [EV_DL_FINI_END] = "_dl_fini's return",
	[EV_CXA_FIN] = "a module's __cxa_finalize", [EV_CXA_FIN_END] = "a module's __cxa_finalize's return",
	[EV_DLCLOSE_BEGIN] = "dlclose()", [EV_THREADS_ALIVE] = "the threads alive", [EV_SIG_ARRIVE] = "a signal's arrival",
	[EV_SIG_MASK] = "a change of its signal mask", [EV_SIG_INHERIT] = "the signals it inherited blocked or ignored",
	[EV_SIG_IGNORED] = "a handler registration its host ignored", [EV_WAIT_BEGIN] = "a blocking wait for a child",
	[EV_WAIT_END] = "a wait's return", [EV_WAIT_POLL] = "a poll for a child",
	[EV_HANG_PYHANDLER] = "a hang snapshot", [EV_HANG_RWLOCK] = "a hang snapshot",
	[EV_KILL_SNAP] = "a snapshot at a kill's start", [EV_KILL_SNAP_END] = "a snapshot at a kill's end",
	[EV_HANG_STDIO] = "a hang snapshot", [EV_HANG_FILELOCK] = "a hang snapshot",
	[EV_SIG_HANDLER_PY] = "a Python traceback line", [EV_SIG_HANDLER_PYFN] = "a Python signal handler's name",
	[EV_KILL_PY] = "a signal it sent (its Python traceback)", [EV_PGRP] = "its process group",
	[EV_SIG_WHERE] = "where a signal from another process interrupted it",
	[EV_SIG_WHERE_PY] = "where a signal from another process interrupted it (its Python traceback)",
	[EV_CRASH_EXC] = "a crash report",
};

const char *event_type_words(int type) { return type > 0 && type < EV_NTYPES && type_words[type] ? type_words[type] : "a line"; }


int event_type_of(const char *name)
{
	/* a small perfect-enough hash: the names are few and lookups are per line */
	static int built;
	static unsigned char slot[512];
	unsigned h = 0;
	const char *s;
	int i;
	if (!built) {
		for (i = 1; i < EV_NTYPES; i++) {
			h = 0;
			for (s = type_names[i]; *s; s++)
				h = h * 31 + (unsigned char)*s;
			h &= 511;
			while (slot[h])
				h = (h + 1) & 511;
			slot[h] = (unsigned char)i;
		}
		built = 1;
	}
	for (s = name, h = 0; *s; s++)
		h = h * 31 + (unsigned char)*s;
	for (h &= 511; slot[h]; h = (h + 1) & 511)
		if (!strcmp(type_names[slot[h]], name))
			return slot[h];
	return EV_UNKNOWN;
}

const char *ev_field(const struct event *e, int i)
{
	const char *p = ev_fields(e);
	if (i < 0 || i >= e->nf)
		return "";
	while (i--)
		p += strlen(p) + 1;
	return p;
}

long long ev_dec(const struct event *e, int i) { return strtoll(ev_field(e, i), NULL, 10); }

unsigned long long ev_hex(const struct event *e, int i) { return strtoull(ev_field(e, i), NULL, 16); }

const char *ev_kv(const struct event *e, const char *key)
{
	size_t n = strlen(key);
	int i;
	for (i = 0; i < e->nf; i++) {
		const char *f = ev_field(e, i);
		if (!strncmp(f, key, n) && f[n] == '=')
			return f + n + 1;
	}
	return NULL;
}

/* %XX-decode tok into out (room for strlen(tok) + 1 bytes); "-" is the empty string. Returns the
 * length written, without the NUL. */
size_t decode_into(char *out, const char *tok)
{
	char *o = out;
	if (!strcmp(tok, "-")) {
		*out = 0;
		return 0;
	}
	while (*tok) {
		if (tok[0] == '%' && tok[1] && tok[2]) {
			char hex[3] = {tok[1], tok[2], 0};
			char *end;
			long v = strtol(hex, &end, 16);
			if (!*end) {
				*o++ = (char)v;
				tok += 3;
				continue;
			}
		}
		*o++ = *tok++;
	}
	*o = 0;
	return (size_t)(o - out);
}

/* word as a shell reads it back (POSIX sh, bash): as it is when it holds only characters no shell
 * treats specially ([A-Za-z0-9] and _@%+=:,./-, not empty, not starting with ~), else in single
 * quotes (a ' inside as '\''), or, when it holds a control byte (< 0x20, 0x7f: a newline, a tab),
 * as $'...' with each such byte \n, \t, \r or \xHH (bash, zsh, ksh, POSIX.1-2024 sh). Into out (room for
 * SHELL_QUOTE_MAX(strlen(word)) bytes); returns the length written, without the NUL. */
size_t shell_quote_into(char *out, const char *word)
{
	const unsigned char *c;
	char *o = out;
	int plain = *word && *word != '~', control = 0;
	for (c = (const unsigned char *)word; *c; c++) {
		control |= *c < 0x20 || *c == 0x7f;
		plain &= (isalnum(*c) && *c < 0x80) || strchr("_@%+=:,./-", *c) != NULL;
	}
	if (plain)
		return (size_t)sprintf(out, "%s", word);
	if (control) {
		*o++ = '$', *o++ = '\'';
		for (c = (const unsigned char *)word; *c; c++)
			if (*c == '\n' || *c == '\t' || *c == '\r')
				*o++ = '\\', *o++ = *c == '\n' ? 'n' : *c == '\t' ? 't' : 'r';
			else if (*c < 0x20 || *c == 0x7f)
				o += sprintf(o, "\\x%02x", *c);
			else if (*c == '\'' || *c == '\\')
				*o++ = '\\', *o++ = (char)*c;
			else
				*o++ = (char)*c;
		*o++ = '\'';
	} else {
		*o++ = '\'';
		for (c = (const unsigned char *)word; *c; c++)
			if (*c == '\'')
				o += sprintf(o, "'\\''");
			else
				*o++ = (char)*c;
		*o++ = '\'';
	}
	*o = 0;
	return (size_t)(o - out);
}

/* %XX-decoded copy, malloc'd */
char *decode_str(const char *tok)
{
	char *out = xmalloc(strlen(tok) + 1);
	decode_into(out, tok);
	return out;
}

/* ---- index ---- */

static size_t ix_slot(long long key, size_t cap)
{
	unsigned long long h = (unsigned long long)key * 0x9e3779b97f4a7c15ull;
	return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

void *index_get(const struct index *ix, long long key)
{
	size_t i;
	if (!ix->cap)
		return NULL;
	for (i = ix_slot(key, ix->cap); ix->val[i]; i = (i + 1) & (ix->cap - 1))
		if (ix->key[i] == key)
			return ix->val[i];
	return NULL;
}

void index_put(struct index *ix, long long key, void *val)
{
	size_t i;
	if (!val)
		return;
	if ((ix->n + 1) * 4 > ix->cap * 3) { /* at most 3/4 full */
		struct index g;
		g.cap = ix->cap ? ix->cap * 2 : 64;
		g.n = 0;
		g.key = xmalloc(g.cap * sizeof *g.key);
		g.val = xmalloc(g.cap * sizeof *g.val);
		memset(g.val, 0, g.cap * sizeof *g.val);
		for (i = 0; i < ix->cap; i++)
			if (ix->val[i])
				index_put(&g, ix->key[i], ix->val[i]);
		index_free(ix);
		*ix = g;
	}
	for (i = ix_slot(key, ix->cap); ix->val[i]; i = (i + 1) & (ix->cap - 1))
		if (ix->key[i] == key) {
			ix->val[i] = val;
			return;
		}
	ix->key[i] = key;
	ix->val[i] = val;
	ix->n++;
}

void index_free(struct index *ix)
{
	free(ix->key);
	free(ix->val);
	memset(ix, 0, sizeof *ix);
}

/* ---- int map ---- */

static size_t intmap_slot(int key, size_t cap)
{
	return (size_t)(((unsigned)key * 2654435761u) ^ ((unsigned)key >> 16)) & (cap - 1);
}

int intmap_get(const struct intmap *m, int key)
{
	size_t i;
	if (!m->cap)
		return 0;
	for (i = intmap_slot(key, m->cap); m->slot[i].val; i = (i + 1) & (m->cap - 1))
		if (m->slot[i].key == key)
			return m->slot[i].val;
	return 0;
}

void intmap_put(struct intmap *m, int key, int val)
{
	size_t i;
	if ((m->n + 1) * 4 > m->cap * 3) { /* at most 3/4 full: made twice as big */
		struct intmap g = {.cap = m->cap ? m->cap * 2 : 64};
		g.slot = memset(xmalloc(g.cap * sizeof *g.slot), 0, g.cap * sizeof *g.slot);
		for (i = 0; i < m->cap; i++)
			if (m->slot[i].val) {
				size_t k = intmap_slot(m->slot[i].key, g.cap);
				while (g.slot[k].val)
					k = (k + 1) & (g.cap - 1);
				g.slot[k] = m->slot[i];
				g.n++;
			}
		free(m->slot);
		*m = g;
	}
	for (i = intmap_slot(key, m->cap); m->slot[i].val; i = (i + 1) & (m->cap - 1))
		if (m->slot[i].key == key)
			break;
	if (!m->slot[i].val)
		m->n++;
	m->slot[i].key = key;
	m->slot[i].val = val;
}

void intmap_free(struct intmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof *m);
}

/* ---- begin/end pairs ---- */

/* the types whose events have an end (analyze.c: match_pairs and its end_type_of; diag_wait.c:
 * a wait_poll's is the line that closed its episode) */
int ev_has_end(int type)
{
	switch (type) {
	case EV_TLS_DTOR: case EV_ATEXIT_RUN: case EV_PY_FIN: case EV_KEY_DTOR: case EV_PY_ATEXIT_RUN:
	case EV_PY_END_INTERP: case EV_DL_FINI: case EV_CXA_FIN: case EV_DLCLOSE_BEGIN: case EV_WAIT_BEGIN:
	case EV_WAIT_POLL:
		return 1;
	}
	return 0;
}

struct event *ev_match(const struct event *e)
{
	struct event *m = NULL;
	if (ev_has_end(e->type))
		memcpy(&m, e->f, sizeof m); /* (the room parse.c keeps, NULL until set) */
	return m;
}

/* b's end is e: b's type has one (ev_has_end) */
void ev_set_match(struct event *b, struct event *e)
{
	if (ev_has_end(b->type))
		memcpy(b->f, &e, sizeof e);
}

/* ---- the string pool ---- */

/* Interned strings: each distinct text once, in chunks that live until str_pool_free. The root
 * causes, fixes and phases of many findings are often the same text (300000 processes that never
 * finished share one of each); a finding keeps pointers into the pool instead of copies. One pool
 * for the program (a --diff holds two reports): str_pool_free is for the end (report_free). */
/* memory handed out in pieces from chunks of its own, freed all at once (chunks_free): the pool's
 * texts, the side blocks */
struct chunks {
	char **v;
	size_t n;
	char *at;            /* free room in the current chunk */
	size_t left;
};

/* n bytes from c (a chunk of `size`, or of n if more, when the room left is too small) */
static void *chunk_take(struct chunks *c, size_t n, size_t size)
{
	if (n > c->left) {
		if (n > size)
			size = n;
		c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
		c->v[c->n++] = c->at = xmalloc(size);
		c->left = size;
	}
	c->at += n;
	c->left -= n;
	return c->at - n;
}

static void chunks_free(struct chunks *c)
{
	size_t k;
	for (k = 0; k < c->n; k++)
		free(c->v[k]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static struct {
	const char **slot;   /* open addressing, by hash of the text */
	size_t cap, n;
	struct chunks texts; /* where the texts live */
} pool;

/* a hash of the n bytes at s, eight at a time */
size_t str_hash(const char *s, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15ull, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return (size_t)(h ^ h >> 29);
}

/* the slot holding text s (n bytes), or the empty one where it would go */
static size_t pool_slot(const char *s, size_t n)
{
	size_t i = str_hash(s, n) & (pool.cap - 1);
	while (pool.slot[i] && (pool.slot[i] != s && (strncmp(pool.slot[i], s, n) || pool.slot[i][n])))
		i = (i + 1) & (pool.cap - 1);
	return i;
}

static char *pool_copy(const char *s, size_t n)
{
	return memcpy(chunk_take(&pool.texts, n, n > (256 << 10) ? n : (size_t)1 << 20), s, n);
}

/* the slot of s's text in the pool, grown first if it is half full; *n: strlen(s) */
static size_t pool_find(const char *s, size_t *n)
{
	if ((pool.n + 1) * 2 > pool.cap) {
		const char **old = pool.slot;
		size_t oldcap = pool.cap, k;
		pool.cap = pool.cap ? pool.cap * 2 : 1024;
		pool.slot = xmalloc(pool.cap * sizeof *pool.slot);
		memset(pool.slot, 0, pool.cap * sizeof *pool.slot);
		for (k = 0; k < oldcap; k++)
			if (old[k])
				pool.slot[pool_slot(old[k], strlen(old[k]))] = old[k];
		free(old);
	}
	*n = strlen(s);
	return pool_slot(s, *n);
}

/* The pooled copy of s (NULL for NULL): the same pointer for the same text. Never fails. */
const char *str_intern(const char *s)
{
	size_t n, i;
	if (!s)
		return NULL;
	i = pool_find(s, &n);
	if (!pool.slot[i]) {
		pool.slot[i] = pool_copy(s, n + 1);
		pool.n++;
	}
	return pool.slot[i];
}

/* 1 if s is a pooled string (str_intern returned it), not a malloc'd one */
int str_interned(const char *s)
{
	size_t n, i;
	if (!s || !pool.cap)
		return 0;
	i = pool_find(s, &n); /* (first: it may grow the table, pool.slot then another block) */
	return pool.slot[i] == s;
}

/* s, malloc'd, replaced by its pooled copy (and freed); a pooled or NULL s as it is */
char *str_settle(char *s)
{
	size_t n, i;
	if (!s)
		return NULL;
	i = pool_find(s, &n);
	if (pool.slot[i] == s)
		return s;
	if (!pool.slot[i]) {
		pool.slot[i] = pool_copy(s, n + 1);
		pool.n++;
	}
	free(s);
	return (char *)pool.slot[i]; /* never written to: the pool's chunks are plain memory */
}

/* free s unless it is pooled */
void str_free(char *s)
{
	if (!str_interned(s))
		free(s);
}

void str_pool_free(void)
{
	chunks_free(&pool.texts);
	free(pool.slot);
	memset(&pool, 0, sizeof pool);
}

/* ---- processes and modules ---- */

/* the programs: open addressing over (exe, argv) pointers (pooled strings: equal texts are one
 * pointer), at most half full */
static struct {
	struct program **slot;
	size_t cap, n;
	struct program **list; /* by id, from 1 (n of them) */
} progs;

static size_t prog_slot(const char *exe, const char *argv, size_t cap)
{
	unsigned long long h = ((uintptr_t)exe * 0x9e3779b97f4a7c15ull) ^ ((uintptr_t)argv * 0xc2b2ae3d27d4eb4full);
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

const struct program *program_of(const char *exe, const char *argv)
{
	static const struct program none;
	size_t i;
	if (!exe && !argv)
		return &none;
	if (progs.n % 64 == 0)
		progs.list = xrealloc(progs.list, (progs.n + 64 + 1) * sizeof *progs.list);
	if ((progs.n + 1) * 2 > progs.cap) {
		size_t cap = progs.cap ? progs.cap * 2 : 64;
		struct program **slot = memset(xmalloc(cap * sizeof *slot), 0, cap * sizeof *slot);
		for (i = 0; i < progs.cap; i++)
			if (progs.slot[i]) {
				size_t k = prog_slot(progs.slot[i]->exe, progs.slot[i]->argv, cap);
				while (slot[k])
					k = (k + 1) & (cap - 1);
				slot[k] = progs.slot[i];
			}
		free(progs.slot);
		progs.slot = slot;
		progs.cap = cap;
	}
	for (i = prog_slot(exe, argv, progs.cap); progs.slot[i]; i = (i + 1) & (progs.cap - 1))
		if (progs.slot[i]->exe == exe && progs.slot[i]->argv == argv)
			return progs.slot[i];
	progs.slot[i] = xmalloc(sizeof **progs.slot);
	progs.slot[i]->exe = exe;
	progs.slot[i]->argv = argv;
	progs.slot[i]->id = (unsigned)++progs.n;
	progs.list[progs.n] = progs.slot[i];
	return progs.slot[i];
}

const struct program *proc_prog(const struct proc *p)
{
	return p->prog ? progs.list[p->prog] : program_of(NULL, NULL);
}

/* The texts of where processes' teardowns stood (proc_set_end_phase), each once: a process keeps
 * its text's place here, 1 up (0: none), 4 bytes instead of a pointer (a trace may hold hundreds
 * of thousands of processes, most at one of a few phases); by the pooled text's address */
static struct {
	const char **text;
	int n, cap;
	struct index at; /* address -> place + 1 */
} phases;

const char *proc_end_phase(const struct proc *p) { return p->end_phase ? phases.text[p->end_phase - 1] : NULL; }

void proc_set_end_phase(struct proc *p, char *s)
{
	const char *t = str_settle(s);
	uintptr_t k;
	if (!t) {
		p->end_phase = 0;
		return;
	}
	k = (uintptr_t)index_get(&phases.at, (long long)(uintptr_t)t);
	if (!k) {
		if (phases.n == phases.cap)
			phases.text = xrealloc(phases.text, (size_t)(phases.cap = phases.cap ? 2 * phases.cap : 16) * sizeof *phases.text);
		phases.text[phases.n++] = t;
		k = (uintptr_t)phases.n;
		index_put(&phases.at, (long long)(uintptr_t)t, (void *)k);
	}
	p->end_phase = (unsigned)k;
}

void program_free(void)
{
	free(phases.text);
	index_free(&phases.at);
	memset(&phases, 0, sizeof phases);
	size_t i;
	for (i = 0; i < progs.cap; i++)
		free(progs.slot[i]);
	free(progs.slot);
	free(progs.list);
	memset(&progs, 0, sizeof progs);
}

struct proc *proc_new(struct report *r, int pid, int file)
{
	struct proc *p = report_alloc(r, sizeof *p); /* zeroed; freed with the report */
	p->pid = pid;
	p->index = r->nprocs;
	if (file >= r->nfile_start) { /* (files before it that had no process start here too) */
		r->file_start = xrealloc(r->file_start, (size_t)(file + 1) * sizeof *r->file_start);
		while (r->nfile_start <= file)
			r->file_start[r->nfile_start++] = r->nprocs;
	}
	p->exit_signal = 0;
	if (r->nprocs == r->capprocs) {
		r->capprocs = r->capprocs ? r->capprocs * 2 : 16;
		r->procs = xrealloc(r->procs, (size_t)r->capprocs * sizeof *r->procs);
	}
	r->procs[r->nprocs++] = p;
	return p;
}

/* Records of one size made for some processes only (struct proc_side, struct proc_kin): in
 * chunks of RECORDS_CHUNK, never moved, each found by its place + 1 (4 bytes in struct proc, not
 * a pointer's 8), all freed at once by side_free */
#define RECORDS_CHUNK 4096
struct records {
	char **chunk;
	unsigned n;  /* records made */
	size_t size; /* of each, bytes (a multiple of 8) */
};

static void *record_at(const struct records *t, unsigned k)
{
	return t->chunk[(k - 1) / RECORDS_CHUNK] + (size_t)((k - 1) % RECORDS_CHUNK) * t->size;
}

/* a new zeroed record of t: its place + 1 */
static unsigned record_new(struct records *t)
{
	if (t->n % RECORDS_CHUNK == 0) {
		t->chunk = xrealloc(t->chunk, (t->n / RECORDS_CHUNK + 1) * sizeof *t->chunk);
		t->chunk[t->n / RECORDS_CHUNK] = xmalloc(RECORDS_CHUNK * t->size);
	}
	memset(record_at(t, t->n + 1), 0, t->size);
	return ++t->n;
}

static void records_free(struct records *t)
{
	unsigned k;
	for (k = 0; k * RECORDS_CHUNK < t->n; k++)
		free(t->chunk[k]);
	free(t->chunk);
	t->chunk = NULL;
	t->n = 0;
}

/* what a process has only when a trace says (its side record: 56 bytes, p->side) */
struct proc_side {
	struct proc_fate fate;
	struct proc_routine *routine;
	int end_tid; /* (when not its pid: proc_end_tid) */
};
static struct records sides = {.size = sizeof(struct proc_side)};
#define side_of(p) ((struct proc_side *)record_at(&sides, (p)->side))

const struct proc_fate *fate_of(const struct proc *p)
{
	static const struct proc_fate none;
	static struct proc_fate made[8];
	static unsigned next;
	struct proc_fate *f;
	if (p->side)
		return &side_of(p)->fate;
	if (!p->killed_self)
		return &none;
	/* (built each time: a process's address may be another's of a report read later) */
	f = &made[next++ % 8];
	*f = (struct proc_fate){.killed_by = proc_last_fatal(p), .killer = (struct proc *)p};
	return f;
}

const struct proc_routine *routine_of(const struct proc *p)
{
	return p->side ? side_of(p)->routine : NULL;
}

int proc_file(const struct report *r, const struct proc *p)
{
	int lo = 0, hi = r->nfile_start;
	while (lo < hi) { /* the first file that starts past p */
		int mid = lo + (hi - lo) / 2;
		if (r->file_start[mid] <= p->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

int proc_end_tid(const struct proc *p)
{
	return p->end_tid_at == 1 ? p->pid : p->end_tid_at == 2 ? side_of(p)->end_tid : 0;
}

static struct proc_side *side_get(struct proc *p);

void proc_set_end_tid(struct proc *p, int tid)
{
	p->end_tid_at = tid == 0 ? 0 : tid == p->pid ? 1 : 2;
	if (p->end_tid_at == 2)
		side_get(p)->end_tid = tid;
}

/* Side blocks (a process's routine lines, a finding's detail; a process's side and kin records
 * are struct records): n bytes aligned to 8, zeroed, in chunks of 256 KB that side_free frees all
 * at once (with the report: report_free). One a finding of a big trace may have (100000
 * thread_locals used late): no heap block's header each. */
static struct chunks side;

static void *side_alloc(size_t n)
{
	n = (n + 7) & ~(size_t)7; /* (each 8-aligned: chunks are malloc's, pieces multiples of 8) */
	return memset(chunk_take(&side, n, (size_t)256 << 10), 0, n);
}

/* one finding's detail given back (detail_give_back), reused by the next made: side blocks are
 * not freed one by one */
static struct finding_detail *detail_spare;

/* A process's modules, parent and odd times (struct proc: proc_mods, proc_parent, proc_t_first),
 * only where it has them: each process of a big trace that has none keeps 4 bytes for them (its
 * kin, 0), not 36 (40 bytes here, a record of kins) */
struct proc_kin {
	struct module *mods;  /* its module table (in the arena), nmods of them */
	struct proc *parent;  /* a forked child's, if traced */
	struct proc *exec_before; /* the program the same pid ran before this one's exec, if traced */
	uint64_t t_first, t_last; /* when not its first and last events' (first_at_0, last_at_end) */
	int nmods;
};
static struct records kins = {.size = sizeof(struct proc_kin)};

static const struct proc_kin *kin_of(const struct proc *p)
{
	static const struct proc_kin none;
	return p->kin ? record_at(&kins, p->kin) : &none;
}

/* p's kin record to write, made (zeroed) on first use; valid until side_free */
static struct proc_kin *kin_get(struct proc *p)
{
	if (!p->kin)
		p->kin = record_new(&kins);
	return record_at(&kins, p->kin);
}

struct module *proc_mods(const struct proc *p) { return kin_of(p)->mods; }
int proc_nmods(const struct proc *p) { return kin_of(p)->nmods; }
struct proc *proc_parent(const struct proc *p) { return kin_of(p)->parent; }
struct proc *proc_exec_before(const struct proc *p) { return kin_of(p)->exec_before; }

void proc_set_exec_before(struct proc *p, struct proc *before)
{
	if (before)
		kin_get(p)->exec_before = before;
}

const struct event *proc_exit_began(const struct proc *p)
{
	int i;
	for (i = 0; p->walked && i < p->nev; i++)
		switch (proc_ev(p, i)->type) {
		case EV_MAIN_RETURN: case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT:
			return proc_ev(p, i);
		}
	return NULL;
}

const struct event *proc_arrival_before_exit(const struct proc *p)
{
	const struct event *step = proc_exit_began(p), *prev = NULL;
	for (int i = 0; step && i < p->nev && proc_ev(p, i) != step; i++)
		if (proc_ev(p, i)->tid == step->tid && proc_ev(p, i)->t <= step->t)
			prev = proc_ev(p, i);
	return prev && prev->type == EV_SIG_ARRIVE && !strcmp(ev_field(prev, 5), "fn") && step->t - prev->t < 10000000u
		       ? prev : NULL;
}

uint64_t proc_t_first(const struct proc *p)
{
	return p->first_at_0 ? proc_ev(p, 0)->t : kin_of(p)->t_first;
}

uint64_t proc_t_last(const struct proc *p)
{
	return p->last_at_end ? proc_ev(p, p->nev - 1)->t : kin_of(p)->t_last;
}

void proc_set_mods(struct proc *p, struct module *mods, int n)
{
	if (mods || p->kin) {
		struct proc_kin *k = kin_get(p);
		k->mods = mods;
		k->nmods = n;
	}
}

void proc_set_parent(struct proc *p, struct proc *parent)
{
	if (parent || p->kin)
		kin_get(p)->parent = parent;
}

void proc_set_times(struct proc *p, uint64_t first, uint64_t last)
{
	p->first_at_0 = p->nev && proc_ev(p, 0)->t == first;
	p->last_at_end = p->nev && proc_ev(p, p->nev - 1)->t == last;
	if ((!p->first_at_0 && first) || (!p->last_at_end && last)) {
		struct proc_kin *k = kin_get(p);
		k->t_first = first;
		k->t_last = last;
	}
}

void proc_hide_events(struct proc *p)
{
	uint64_t first = proc_t_first(p), last = proc_t_last(p);
	p->nev = 0;
	proc_set_times(p, first, last);
}

void side_free(void)
{
	chunks_free(&side);
	detail_spare = NULL;
	records_free(&kins);
	records_free(&sides);
}

/* p's side block, made on first use (with the fate killed_self stood for) */
static struct proc_side *side_get(struct proc *p)
{
	if (!p->side) {
		p->side = record_new(&sides);
		if (p->killed_self) { /* (made whole: to change it) */
			side_of(p)->fate.killed_by = proc_last_fatal(p);
			side_of(p)->fate.killer = p;
			p->killed_self = 0;
		}
	}
	return side_of(p);
}

struct proc_fate *proc_fate(struct proc *p)
{
	return &side_get(p)->fate;
}

struct proc_routine *proc_routine(struct proc *p)
{
	struct proc_side *s = side_get(p);
	if (!s->routine)
		s->routine = side_alloc(sizeof *s->routine);
	return s->routine;
}

/* the words proc_set_how was given, each once (a handful of static strings: event names,
 * "signal", "reap"); a process keeps its word's place here, 1 up (0: none) */
static const char *hows[255];
static int nhows;

const char *proc_how(const struct proc *p) { return p->how ? hows[p->how - 1] : NULL; }

int proc_has_timeline(const struct proc *p)
{
	for (int i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->shown)
			return 1;
	return 0;
}

uint64_t proc_time_origin(const struct proc *p)
{
	uint64_t t = 0;
	int i, seen = 0;
	for (i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->shown && (!seen || proc_ev(p, i)->t < t))
			t = proc_ev(p, i)->t, seen = 1;
	return seen ? t : proc_t_first(p);
}

const char *proc_watch_mode(const struct proc *p, const char **reason)
{
	const struct event *w = NULL;
	for (int i = 0; i < p->nev; i++)
		if (proc_ev(p, i)->type == EV_WATCH && proc_ev(p, i)->nf > 0)
			w = proc_ev(p, i);
	if (reason)
		*reason = w && w->nf > 1 ? ev_field(w, 1) : NULL;
	return w ? ev_field(w, 0) : NULL;
}

void proc_set_how(struct proc *p, const char *how)
{
	int k;
	if (!how) {
		p->how = 0;
		return;
	}
	for (k = 0; k < nhows && strcmp(hows[k], how); k++)
		;
	if (k == nhows) {
		if (nhows == (int)(sizeof hows / sizeof *hows))
			abort(); /* (callers pass event names and two words: never this many) */
		hows[nhows++] = how;
	}
	p->how = (unsigned char)(k + 1);
}

/* Module tables of MOD_INDEX_MIN modules or more, each with an index of id -> module, made when
 * an id is not at its place: a process with thousands of modules (or a hostile trace's ids in
 * any order) is not searched whole for each id, nor for each new one (parse.c asks first).
 * By the table's address: forked children share their parent's table; a table that grows or is
 * copied is another (the old one stays in the arena until report_free: no address reused). */
#define MOD_INDEX_MIN 64
struct mod_index {
	struct index ix; /* id -> its module */
	int n;           /* the table's first n modules are in it (modules are added at the end, and
			  * one written again keeps its place and id) */
};
static struct index mod_tables; /* table address -> its struct mod_index */

void mod_index_free(void)
{
	size_t i;
	for (i = 0; i < mod_tables.cap; i++)
		if (mod_tables.val[i]) {
			index_free(&((struct mod_index *)mod_tables.val[i])->ix);
			free(mod_tables.val[i]);
		}
	index_free(&mod_tables);
}

struct module *proc_module(const struct proc *p, int id)
{
	struct mod_index *mi;
	int i;
	/* the shim numbers modules from 0 up as it writes them: most are at their id (ids are unique
	 * in mods: parse.c replaces one written again) */
	const struct proc_kin *k = kin_of(p);
	struct module *mods = k->mods;
	int nmods = k->nmods;
	if (id >= 0 && id < nmods && mods[id].id == id)
		return &mods[id];
	if (nmods >= MOD_INDEX_MIN) {
		mi = index_get(&mod_tables, (long long)(uintptr_t)mods);
		if (!mi) {
			mi = xmalloc(sizeof *mi);
			memset(mi, 0, sizeof *mi);
			index_put(&mod_tables, (long long)(uintptr_t)mods, mi);
		}
		for (; mi->n < nmods; mi->n++)
			index_put(&mi->ix, mods[mi->n].id, &mods[mi->n]);
		return index_get(&mi->ix, id);
	}
	for (i = 0; i < nmods; i++)
		if (mods[i].id == id)
			return &mods[i];
	return NULL;
}

int is_shim_module(const struct module *m) { return m && !strcmp(base_name(m->path), "libtlstrace.so"); }

/* "ID+0xOFF", "0xABS" */
int code_parse(const struct proc *p, const char *tok, struct code *c)
{
	const char *plus = strchr(tok, '+');
	char *end;
	c->mod = NULL;
	c->off = 0;
	if (plus) {
		long id = strtol(tok, &end, 10);
		if (end != plus || plus[1] != '0' || plus[2] != 'x')
			return -1;
		c->off = strtoull(plus + 3, &end, 16);
		if (*end)
			return -1;
		c->mod = p ? proc_module(p, (int)id) : NULL;
		if (!c->mod)
			return -1;
		return 0;
	}
	if (tok[0] != '0' || tok[1] != 'x')
		return -1;
	c->off = strtoull(tok + 2, &end, 16);
	return *end ? -1 : 0;
}

const char *code_module_name(const struct code *c) { return c->mod ? base_name(c->mod->path) : NULL; }

const struct finding_detail *detail_of(const struct finding *f)
{
	static const struct finding_detail none = {.destroyed_ns = -1};
	return f->detail ? f->detail : &none;
}

int finding_signal(const struct finding *f) { return f->sig == SHRT_MIN ? detail_of(f)->signal : f->sig; }

void finding_set_signal(struct finding *f, int sig)
{
	if (sig > SHRT_MIN && sig <= SHRT_MAX) {
		f->sig = (short)sig;
		return;
	}
	f->sig = SHRT_MIN;
	finding_detail(f)->signal = sig;
}

void detail_give_back(struct finding_detail *d)
{
	if (!detail_spare)
		detail_spare = d;
}

struct finding_detail *finding_detail(struct finding *f)
{
	if (!f->detail) {
		f->detail = detail_spare ? memset(detail_spare, 0, sizeof *detail_spare) : side_alloc(sizeof *f->detail);
		detail_spare = NULL;
		f->detail->destroyed_ns = -1;
	}
	return f->detail;
}

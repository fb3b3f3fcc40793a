/* pylock_infer.c - a likely holder of a threading.Lock, inferred from a snapshot's tracebacks and
 * the program's source (HANG16 3).
 *
 * A threading.Lock records no owner (CPython 3.11-3.14 Modules/_threadmodule.c lockobject: the
 * lock and a flag, no thread id; an RLock has rlock_owner), so the shim cannot read one
 * (hang_pylock's holder is always `-` for a Lock). What can be said soundly enough to name a
 * likely holder: the waiting thread's innermost Python frame is at a `with E:` statement (or
 * `E.acquire()`), and another thread of the snapshot has a frame of the same file at a line inside
 * the body of a `with E:` statement with the same expression E. A frame inside that body has
 * returned from E.__enter__ (the acquire) and not yet reached E.__exit__ (the release: 3.11+
 * attributes the exit call to the `with` line, which is not inside), so that thread holds the
 * lock E named in its frame. It is only inferred: E may name another object in the other frame
 * (`self._lock` of another instance, a name rebound), and the file is read as it is now, not as it
 * was when the program ran; a lock taken with acquire() without `with`, or in another file, is not
 * found. Named only when exactly one thread is found. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* the lines of a file, read once per call of py_lock_inferred_holder (a few small files) */
struct src {
	char *text;
	char **line; /* line[i]: line i + 1, NUL-terminated */
	int n;
};

static int src_read(const char *path, size_t plen, struct src *s)
{
	char name[4096];
	FILE *fp;
	size_t cap = 0, len = 0, got;
	memset(s, 0, sizeof *s);
	if (plen >= sizeof name || plen == 0 || path[0] != '/')
		return 0;
	memcpy(name, path, plen);
	name[plen] = 0;
	if (!(fp = fopen(name, "r")))
		return 0;
	for (;;) {
		if (len + 4096 + 1 > cap)
			s->text = xrealloc(s->text, cap = cap * 2 + 8192);
		got = fread(s->text + len, 1, 4096, fp);
		len += got;
		if (got < 4096 || len > (8u << 20)) /* (a source file: at most 8 MiB read) */
			break;
	}
	fclose(fp);
	s->text[len] = 0;
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += s->text[i] == '\n';
	s->line = xmalloc(lines * sizeof *s->line);
	for (char *c = s->text, *start = c;; c++)
		if (!*c || *c == '\n') {
			int end = !*c;
			*c = 0;
			s->line[s->n++] = start;
			if (end)
				break;
			start = c + 1;
		}
	return 1;
}

static void src_free(struct src *s)
{
	free(s->text);
	free(s->line);
}

static int indent_of(const char *l)
{
	int n = 0;
	for (; *l == ' ' || *l == '\t'; l++)
		n += *l == '\t' ? 8 - n % 8 : 1;
	return n;
}

/* 1 if l is blank or a comment */
static int no_code(const char *l)
{
	l += strspn(l, " \t\r");
	return !*l || *l == '#';
}

/* The lock expression of a `with E:` (one item, `as NAME` allowed) or `E.acquire()` statement at
 * line l, into e (at most n bytes), spaces removed; 0 if l is neither. acquire: whether
 * E.acquire() is allowed. */
static int lock_expr(const char *l, int acquire, char *e, size_t n)
{
	const char *s = l + strspn(l, " \t"), *end;
	size_t k = 0;
	if (!strncmp(s, "with ", 5)) {
		s += 5;
		end = strrchr(s, ':');
		if (!end)
			return 0;
		for (const char *c = end + 1; *c; c++) /* (nothing after the colon but a comment) */
			if (*c == '#')
				break;
			else if (!isspace((unsigned char)*c))
				return 0;
		const char *as = strstr(s, " as ");
		if (as && as < end)
			end = as;
	} else if (acquire && (end = strstr(s, ".acquire(")) != NULL) {
		const char *c = end + 9;
		c += strspn(c, " \t");
		if (*c != ')')
			return 0; /* (acquire(timeout=...), acquire(False): it may not hold it) */
	} else {
		return 0;
	}
	for (; s < end && k + 1 < n; s++) {
		if (*s == ',') /* (several context managers: not one lock) */
			return 0;
		if (!isspace((unsigned char)*s))
			e[k++] = *s;
	}
	e[k] = 0;
	return k > 0;
}

/* 1 if line (1-based) of s lies inside the body of a `with E:` statement, E being expr; its line
 * into *with_line */
static int inside_with(const struct src *s, int line, const char *expr, int *with_line)
{
	int cur;
	char e[256];
	if (line < 2 || line > s->n || no_code(s->line[line - 1]))
		return 0;
	cur = indent_of(s->line[line - 1]);
	for (int i = line - 2; i >= 0 && cur > 0; i--) {
		int ind;
		if (no_code(s->line[i]) || (ind = indent_of(s->line[i])) >= cur)
			continue;
		cur = ind; /* an enclosing block's header (or a continued line's start: taken as one) */
		if (lock_expr(s->line[i], 0, e, sizeof e) && !strcmp(e, expr)) {
			*with_line = i + 1;
			return 1;
		}
	}
	return 0;
}

/* (innermost first: the first traceback line of h naming a frame) */
static int innermost_frame(const struct hang_thread *h, struct py_tb_frame *fr)
{
	for (int i = 0; i < h->npy; i++)
		if (py_tb_frame_parse(h->py[i], fr))
			return 1;
	return 0;
}

int py_lock_inferred_holder(const struct finding *f, const struct hang_thread *w, char **words)
{
	struct py_tb_frame wf, fr;
	struct src src;
	char expr[256];
	int holder = 0, found = 0, with_line = 0, hline = 0, wl;
	size_t plen;
	*words = NULL;
	if (!w->waits || strcmp(w->waits, "lock") || !innermost_frame(w, &wf) || wf.line <= 0)
		return 0;
	plen = strcspn(wf.path, "\"");
	if (!src_read(wf.path, plen, &src))
		return 0;
	if (wf.line > src.n || !lock_expr(src.line[wf.line - 1], 1, expr, sizeof expr)) {
		src_free(&src);
		return 0;
	}
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		const struct hang_thread *t = &detail_of(f)->threads[i];
		if (t == w || (t->waits && !strcmp(t->waits, "lock") && t->addr == w->addr))
			continue; /* (another waiter on the same lock) */
		for (int k = 0; k < t->npy; k++)
			if (py_tb_frame_parse(t->py[k], &fr) && strcspn(fr.path, "\"") == plen &&
			    !strncmp(fr.path, wf.path, plen) && inside_with(&src, fr.line, expr, &wl)) {
				if (holder != t->tid)
					found++;
				holder = t->tid, hline = fr.line, with_line = wl;
				break;
			}
	}
	if (found == 1)
		*words = xasprintf("(inferred, not read: a threading.Lock records no owner; its frame at %.*s:%d is inside "
				   "`with %s:` at line %d, and the waiting thread waits at line %d for the same "
				   "expression, which is the same lock if it names the same object in both frames; the "
				   "file as it reads now)",
				   wf.blen, wf.base, hline, expr, with_line, wf.line);
	src_free(&src);
	return found == 1 ? holder : 0;
}

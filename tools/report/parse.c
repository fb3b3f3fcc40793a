/* parse.c - the one trace parser (docs/trace-format.md). A file is read whole and tokenized in
 * place; each line is checked (pid, tid, time, Python state, event name) and becomes an event of
 * its process. Processes are found per file: a `tlstrace` line starts one (a new program: first
 * open or exec), a `forked` line starts one that inherits its parent's modules.
 *
 * Bad input never stops the report: a line that is not an event, an event type from a newer
 * version, a last line cut short, are warned about (file:line) and skipped; what can be read is
 * reported. A file that cannot be read at all (missing, a directory, empty, not a trace, a format
 * version outside what this report knows) sets r->unreadable. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

long warn_limit = 20;

void warnf(const struct report *r, int file, int line, const char *fmt, ...)
{
	static long printed;
	va_list ap;
	if (opt.quiet)
		return;
	if (printed++ >= warn_limit) {
		if (printed == warn_limit + 1)
			fprintf(stderr, "tlstrace-report: more warnings not shown\n");
		return;
	}
	if (line > 0)
		fprintf(stderr, "tlstrace-report: %s:%d: ", r->files[file], line);
	else
		fprintf(stderr, "tlstrace-report: %s: ", r->files[file]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* pids whose format version we refused: their lines are skipped */
struct pidset {
	int *pid;
	int n, cap;
};

static void refuse(struct pidset *s, int pid)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->pid = xrealloc(s->pid, (size_t)s->cap * sizeof *s->pid);
	}
	s->pid[s->n++] = pid;
}

static int is_refused(const struct pidset *s, int pid)
{
	int i;
	for (i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			return 1;
	return 0;
}

static void unrefuse(struct pidset *s, int pid)
{
	int i;
	for (i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			s->pid[i] = -1;
}

/* ---- numbers ---- */

static int parse_uint(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (~0ull - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return 0;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return 0;
	return 1;
}

static int valid_py(const char *s)
{
	return s[0] && !s[1] && strchr("-nIAFD?", s[0]);
}

/* ---- events ---- */

/* memory the report frees at the end (file buffers, event slabs) */
void report_keep(struct report *r, void *block)
{
	if (r->nblocks == r->capblocks) {
		r->capblocks = r->capblocks ? r->capblocks * 2 : 16;
		r->blocks = xrealloc(r->blocks, (size_t)r->capblocks * sizeof *r->blocks);
	}
	r->blocks[r->nblocks++] = block;
}

static struct event *event_alloc(struct report *r)
{
	if (!r->slab_left) {
		r->slab_left = 4096;
		r->slab = xmalloc(r->slab_left * sizeof *r->slab);
		report_keep(r, r->slab);
	}
	r->slab_left--;
	memset(r->slab, 0, sizeof *r->slab);
	return r->slab++;
}

static void add_event(struct report *r, struct proc *p, struct event *e)
{
	if (r->nev == r->capev) {
		r->capev = r->capev ? r->capev * 2 : 1024;
		r->ev = xrealloc(r->ev, r->capev * sizeof *r->ev);
	}
	r->ev[r->nev++] = e;
	if (p->nev == p->capev) {
		p->capev = p->capev ? p->capev * 2 : 64;
		p->ev = xrealloc(p->ev, (size_t)p->capev * sizeof *p->ev);
	}
	p->ev[p->nev++] = e;
	if (!p->t_first || e->t < p->t_first)
		p->t_first = e->t;
	if (e->t > p->t_last)
		p->t_last = e->t;
	e->proc = p;
}

static void apply_mod(struct report *r, struct proc *p, struct event *e)
{
	struct module *m;
	char *end;
	int id;
	if (e->nf < 5) {
		warnf(r, e->file, e->line, "mod: expected 5 fields, got %d", e->nf);
		return;
	}
	id = (int)strtol(ev_field(e, 0), &end, 10);
	if (*end || id < 0) {
		warnf(r, e->file, e->line, "mod: bad module id '%s'", ev_field(e, 0));
		return;
	}
	m = proc_module(p, id);
	if (m) {
		/* the same id again (a garbled or hand-made trace): the last one wins */
		free(m->buildid);
		free(m->path);
	} else {
		if (p->nmods == p->capmods) {
			p->capmods = p->capmods ? p->capmods * 2 : 32;
			p->mods = xrealloc(p->mods, (size_t)p->capmods * sizeof *p->mods);
		}
		m = &p->mods[p->nmods++];
	}
	m->id = id;
	m->base = strtoull(ev_field(e, 1), NULL, 16);
	m->tlsmodid = strtol(ev_field(e, 2), NULL, 10);
	m->buildid = strcmp(ev_field(e, 3), "-") ? xstrdup(ev_field(e, 3)) : NULL;
	m->path = decode_str(ev_field(e, 4));
	m->loaded = 1;
	if (is_shim_module(m))
		p->is_shim_lib_id = id;
}

/* A line: "PID TID TIME PY EVENT FIELD..." tokenized in place. Returns 0 if it is an event. */
static int split_line(char *s, char **tok, int *ntok)
{
	int n = 0;
	while (*s) {
		while (*s == ' ')
			*s++ = 0;
		if (!*s)
			break;
		if (n < 5)
			tok[n] = s;
		n++;
		while (*s && *s != ' ')
			s++;
	}
	*ntok = n;
	return n >= 5 ? 0 : -1;
}

int parse_file(struct report *r, const char *path, int fi)
{
	struct stat st;
	char *buf;
	ssize_t got;
	size_t size, total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		warnf(r, fi, 0, "cannot open: %s", strerror(errno));
		r->unreadable = 1;
		return -1;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		warnf(r, fi, 0, S_ISDIR(st.st_mode) ? "is a directory, not a trace" : "cannot stat: %s", strerror(errno));
		close(fd);
		r->unreadable = 1;
		return -1;
	}
	size = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 1 << 16;
	buf = xmalloc(size + 1);
	for (;;) {
		if (total == size) {
			size *= 2;
			buf = xrealloc(buf, size + 1);
		}
		got = read(fd, buf + total, size - total);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			warnf(r, fi, 0, "read error: %s", strerror(errno));
			close(fd);
			free(buf);
			r->unreadable = 1;
			return -1;
		}
		if (got == 0)
			break;
		total += (size_t)got;
	}
	close(fd);
	buf[total] = 0;
	report_keep(r, buf); /* the events point into it */
	return parse_buffer(r, buf, total, fi);
}

/* buf: total bytes, NUL-terminated, writable (tokenized in place), kept until report_free. */
int parse_buffer(struct report *r, char *buf, size_t total, int fi)
{
	struct index pm = {0}; /* pid -> its current process, in this file */
	struct pidset refused = {0};
	char *line, *next;
	int lineno = 0, header_ok = 0;

	r->bytes_read += total;
	if (total == 0) {
		warnf(r, fi, 0, "empty file, not a trace");
		r->unreadable = 1;
		return -1;
	}

	for (line = buf; line < buf + total; line = next) {
		char *nl = memchr(line, '\n', (size_t)(buf + total - line));
		char *tok[5];
		unsigned long long pid, tid, t;
		int ntok, type;
		struct event *e;
		struct proc *p;

		lineno++;
		if (!nl) {
			r->cut_lines++;
			warnf(r, fi, lineno, "last line cut short (no newline; the process died while writing?), ignored");
			break;
		}
		*nl = 0;
		next = nl + 1;
		if (strlen(line) != (size_t)(nl - line)) {
			r->garbage_lines++;
			warnf(r, fi, lineno, "binary data, not an event; skipped");
			continue;
		}
		if (nl - line >= TLSTRACE_LINE_MAX)
			warnf(r, fi, lineno, "line longer than %d bytes", TLSTRACE_LINE_MAX);
		if (split_line(line, tok, &ntok) != 0 || parse_uint(tok[0], &pid) || parse_uint(tok[1], &tid) ||
		    parse_uint(tok[2], &t) || !valid_py(tok[3]) || !valid_name(tok[4]) || pid > 0x7fffffff ||
		    tid > 0x7fffffff) {
			if (!header_ok) {
				warnf(r, fi, lineno, "not a tlstrace trace: expected \"PID TID TIME PY tlstrace VERSION ...\"");
				index_free(&pm);
				r->unreadable = 1;
				return -1;
			}
			r->garbage_lines++;
			warnf(r, fi, lineno, "not an event line (expected PID TID TIME PY EVENT ...); skipped");
			continue;
		}
		type = event_type_of(tok[4]);
		if (!header_ok) {
			if (type != EV_TLSTRACE) {
				warnf(r, fi, lineno, "not a tlstrace trace: the first line is \"%s\", expected \"tlstrace\"", tok[4]);
				index_free(&pm);
				r->unreadable = 1;
				return -1;
			}
			header_ok = 1;
		}
		if (type == EV_UNKNOWN) {
			int k;
			r->unknown_events++;
			for (k = 0; k < r->nunknown; k++)
				if (!strcmp(r->unknown_names[k], tok[4]))
					break;
			if (k == r->nunknown && r->nunknown < 64) {
				snprintf(r->unknown_names[r->nunknown++], sizeof r->unknown_names[0], "%s", tok[4]);
				warnf(r, fi, lineno, "unknown event type \"%s\" (from a newer tlstrace?); skipped", tok[4]);
			}
			continue;
		}
		e = event_alloc(r);
		e->pid = (int)pid;
		e->tid = (int)tid;
		e->t = t;
		e->py = tok[3][0];
		e->type = (unsigned char)type;
		e->file = fi;
		e->line = lineno;
		e->name = event_type_name(type);
		e->nf = (unsigned short)(ntok - 5 > 0xffff ? 0xffff : ntok - 5);
		e->f = tok[4] + strlen(tok[4]) + 1;
		/* fields follow the name, separated by one or more NULs: compact them */
		if (e->nf) {
			char *w = e->f, *rd = e->f;
			int k;
			for (k = 0; k < e->nf; k++) {
				while (!*rd)
					rd++;
				while (*rd)
					*w++ = *rd++;
				*w++ = 0;
			}
		}

		if (type == EV_TLSTRACE) {
			long version = ev_dec(e, 0);
			if (e->nf < 3) {
				warnf(r, fi, lineno, "tlstrace line: expected VERSION PPID EXE");
				continue;
			}
			if (version < TLSTRACE_FORMAT_MIN || version > TLSTRACE_FORMAT_VERSION) {
				warnf(r, fi, lineno, "format version %ld; this report reads versions %d to %d", version,
				      TLSTRACE_FORMAT_MIN, TLSTRACE_FORMAT_VERSION);
				if (lineno == 1) {
					index_free(&pm);
					r->unreadable = 1;
					return -1;
				}
				refuse(&refused, e->pid);
				continue;
			}
			{
				struct proc *before = index_get(&pm, e->pid);
				if (before)
					before->execed = 1; /* the same pid starts a new program: exec */
			}
			p = proc_new(r, e->pid, fi);
			p->ppid = (int)ev_dec(e, 1);
			p->exe = decode_str(ev_field(e, 2));
			{
				size_t cap = 1, k;
				char *a;
				for (k = 3; k < e->nf; k++)
					cap += strlen(ev_field(e, (int)k)) + 1;
				p->argv = xmalloc(cap);
				p->argv[0] = 0;
				for (k = 3; k < e->nf; k++) {
					a = decode_str(ev_field(e, (int)k));
					if (k > 3)
						strcat(p->argv, " ");
					strncat(p->argv, a, cap - strlen(p->argv) - 1);
					free(a);
				}
			}
			unrefuse(&refused, e->pid);
			index_put(&pm, e->pid, p);
		} else if (type == EV_FORKED) {
			struct proc *parent = index_get(&pm, (int)ev_dec(e, 0));
			p = proc_new(r, e->pid, fi);
			p->ppid = (int)ev_dec(e, 0);
			p->forked = 1;
			p->parent = parent;
			if (parent) {
				p->exe = parent->exe ? xstrdup(parent->exe) : NULL;
				p->argv = parent->argv ? xstrdup(parent->argv) : NULL;
				if (parent->nmods) {
					int k;
					p->mods = xmalloc((size_t)parent->nmods * sizeof *p->mods);
					memcpy(p->mods, parent->mods, (size_t)parent->nmods * sizeof *p->mods);
					for (k = 0; k < parent->nmods; k++) { /* its own copies: freed per process */
						p->mods[k].path = xstrdup(parent->mods[k].path);
						p->mods[k].buildid = parent->mods[k].buildid ? xstrdup(parent->mods[k].buildid) : NULL;
					}
					p->nmods = p->capmods = parent->nmods;
				}
				p->is_shim_lib_id = parent->is_shim_lib_id;
			}
			index_put(&pm, e->pid, p);
		} else {
			p = index_get(&pm, e->pid);
			if (!p && is_refused(&refused, e->pid))
				continue;
			if (!p) {
				/* a process whose first line is missing (a trace cut at the front) */
				p = proc_new(r, e->pid, fi);
				warnf(r, fi, lineno, "process %d has no tlstrace/forked line before this one", e->pid);
				index_put(&pm, e->pid, p);
			}
		}
		if (type == EV_MOD)
			apply_mod(r, p, e);
		else if (type == EV_UNMOD) {
			struct module *m = proc_module(p, (int)ev_dec(e, 0));
			if (m)
				m->loaded = 0;
		}
		add_event(r, p, e);
	}
	index_free(&pm);
	free(refused.pid);
	return 0;
}

void report_free(struct report *r)
{
	int i, j;
	for (i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		for (j = 0; j < p->nmods; j++) {
			free(p->mods[j].buildid);
			free(p->mods[j].path);
		}
		free(p->mods);
		free(p->ev);
		index_free(&p->tls_regs);
		index_free(&p->atexit_regs);
		free(p->exe);
		free(p->argv);
		free(p->end_phase);
		free(p);
	}
	for (i = 0; i < r->nfindings; i++) {
		struct finding *f = r->findings[i];
		free(f->phase);
		free(f->message);
		free(f->root_cause);
		free(f->fix);
		free(f->tls_symbol);
		free(f->bt);
		for (j = 0; j < f->npy; j++)
			free(f->pylines[j]);
		free(f->pylines);
		free(f);
	}
	for (i = 0; i < r->nblocks; i++)
		free(r->blocks[i]);
	free(r->blocks);
	free(r->findings);
	free(r->procs);
	free(r->ev);
	memset(r, 0, sizeof *r);
}

/* parse.c - the one trace parser (docs/trace-format.md). A file is read in chunks (never whole:
 * memory stays about the size of the events, not of the file) and each line is tokenized in the
 * read buffer; each line is checked (pid, tid, time, Python state, event name) and becomes an
 * event of its process, its fields copied after it (the events of a file back to back, in read
 * order: parser_end gives each process its array). Processes are found per file:
 * a `tlstrace` line starts one (a new program: first open or exec), a `forked` line starts one
 * that inherits its parent's modules.
 *
 * The first line must be a `tlstrace` line, within the format's line limit: anything else (binary
 * data, a line without an end, NUL bytes) is "not a trace" at once, without reading on.
 * Bad input after it never stops the report: a line that is not an event, an event type from a
 * newer version, a line longer than the format allows (skipped, never kept whole), a last line
 * cut short, are warned about (file:line) and skipped; what can be read is reported. A file that
 * cannot be read at all (missing, a directory, empty, not a trace, a format version outside what
 * this report knows) sets r->unreadable. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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

/* ---- memory ---- */

/* memory the report frees at the end (event slabs, arena chunks, event pointer arrays) */
void report_keep(struct report *r, void *block)
{
	if (r->nblocks == r->capblocks) {
		r->capblocks = r->capblocks ? r->capblocks * 2 : 16;
		r->blocks = xrealloc(r->blocks, (size_t)r->capblocks * sizeof *r->blocks);
	}
	r->blocks[r->nblocks++] = block;
}

/* n bytes aligned to 8 from the report's arena, zeroed, freed by report_free: the fields of
 * events, decoded strings, processes. Never NULL. */
void *report_alloc(struct report *r, size_t n)
{
	/* chunks from 16 KB (a small trace stays small) to 1 MB as the report grows */
	size_t chunk = (size_t)16 << (10 + (r->nblocks < 6 ? r->nblocks : 6));
	size_t pad = (size_t)(-(uintptr_t)r->arena & 7);
	void *p;
	if (pad + n > r->arena_left) {
		size_t size = n > chunk / 4 ? n : chunk; /* big pieces alone: the chunk's rest stays usable */
		char *c = xmalloc(size);
		report_keep(r, c);
		if (size != chunk)
			return memset(c, 0, n);
		r->arena = c;
		r->arena_left = size;
		pad = 0;
	}
	p = r->arena + pad;
	r->arena += pad + n;
	r->arena_left -= pad + n;
	return memset(p, 0, n);
}

/* the %XX-decoded text of a trace token (decode_str's rules) in the string pool: a module path
 * or build-id is the same in every process of a program */
static const char *pool_decode(const char *tok)
{
	char text[TLSTRACE_LINE_MAX]; /* (a token is part of a line: never longer) */
	decode_into(text, tok);
	return str_intern(text);
}

/* ---- one file ---- */

/* pid -> its current process in the file being read: its place in r->procs + 1 (struct intmap:
 * 8 bytes a slot; a trace may start hundreds of thousands of processes, and this map is alive
 * while they are read) */
static struct proc *pidmap_get(const struct report *r, const struct intmap *m, long long pid)
{
	int at = intmap_get(m, (int)pid);
	return at ? r->procs[at - 1] : NULL;
}

/* p (of r->procs) is pid's process from now on */
static void pidmap_put(struct intmap *m, int pid, const struct proc *p) { intmap_put(m, pid, p->index + 1); }

struct parser {
	struct report *r;
	int fi, lineno, header_ok;
	int format;               /* the version of this file's latest tlstrace line */
	struct intmap pm;         /* pid -> its current process, in this file (pidmap_get) */
	struct pidset refused;
	int first_proc;           /* r->procs index of this file's first process */
	size_t long_line;         /* bytes so far of a line too long for the format */
	char cut[TLSTRACE_LINE_MAX]; /* its beginning, the part kept */
	int not_trace;            /* the first line was not a trace's: stop reading */
	int newer;                /* the newest format version past ours met in this file (warned once) */
	struct event *line_ev;    /* the line being read, with room for any line's fields */
	/* a line that is the start of an event line and no more, not yet warned of: the shim's
	 * write that failed part-way (a full filesystem) leaves one, then a newline, and the next
	 * line of that process is a `lost` line counting it (shim/trace.c); no warning then */
	int torn_lineno;          /* 0: none */
	char torn_pid[12];        /* its first word (the pid, or its start) */
	char torn_name[65];       /* "": it did not parse; else the unknown event name it ends in */
	/* this file's events in read order, back to back in chunks of their own (walked by
	 * parser_end), each with its process's place among the file's (event.file_proc: no
	 * pointer in each event chaining its process's, no per-process array growing line by line,
	 * no array of their processes while the file is read) */
	struct evchunk {
		char *base;
		size_t start; /* where this file's events begin in it (the first may be the last
			       * file's chunk: ev_open) */
		size_t used, size;
		uint32_t no; /* its number in ev_chunk */
	} *chunks;
	int nchunks;
};

/* (file_proc is the room of depth, shown, normal and their padding: no byte more per event) */
_Static_assert(sizeof(struct event) == 24, "struct event: 24 bytes");
_Static_assert(sizeof(struct proc) == 48, "struct proc: 48 bytes");

/* (a chunk is at most 1 MB: an event's offset in it, in units of 4 bytes, fits EV_PLACE_BITS) */
_Static_assert((((size_t)64 << 14) >> 2) <= ((size_t)1 << EV_PLACE_BITS), "event chunks: at most 1 MB");

/* the bytes an event with flen bytes of fields takes in its chunk (4-aligned: struct event) */
static size_t event_size(size_t flen) { return (sizeof(struct event) + flen + 3) & ~(size_t)3; }

char **ev_chunk;
static uint32_t nev_chunk;
/* the last chunk of the last file read, with the report it is of: the next file of that report
 * puts its first events in the room left there */
static struct {
	const struct report *r;
	char *base;
	size_t used, size;
	uint32_t no;
} ev_open;
uint32_t *ev_refs;
static size_t nev_refs, cap_refs;

/* room for an event of size bytes at the end of this file's events (the chunks are the
 * report's: report_keep) */
static struct event *event_room(struct parser *ps, size_t size)
{
	struct evchunk *c = ps->nchunks ? &ps->chunks[ps->nchunks - 1] : NULL;
	if (!c && ev_open.r == ps->r && ev_open.size - ev_open.used >= size) {
		/* the room left in the last file's last chunk (a fleet directory of 20000 small
		 * traces takes a few chunks, not one each: there are at most EV_CHUNKS_MAX) */
		ps->chunks = xrealloc(ps->chunks, sizeof *ps->chunks);
		c = &ps->chunks[ps->nchunks++];
		*c = (struct evchunk){.base = ev_open.base, .start = ev_open.used, .used = ev_open.used,
				      .size = ev_open.size, .no = ev_open.no};
	}
	if (!c || c->size - c->used < size) {
		/* 64 KB (a small trace stays small) to 1 MB, by the chunks made so far in every file
		 * (20000 files of 200 KB take 1 MB chunks, not three small ones each: at most
		 * EV_CHUNKS_MAX); at most a line's worth unused in each */
		size_t sz = (size_t)64 << (10 + (nev_chunk < 4 ? nev_chunk : 4));
		ps->chunks = xrealloc(ps->chunks, (size_t)(ps->nchunks + 1) * sizeof *ps->chunks);
		c = &ps->chunks[ps->nchunks++];
		c->base = xmalloc(sz);
		c->start = c->used = 0;
		c->size = sz;
		report_keep(ps->r, c->base);
		if (nev_chunk == EV_CHUNKS_MAX) {
			fprintf(stderr, "tlstrace-report: more than %u chunks of events (16 GB): too big a trace\n",
				EV_CHUNKS_MAX);
			exit(2);
		}
		if (nev_chunk % 64 == 0)
			ev_chunk = xrealloc(ev_chunk, (nev_chunk + 64) * sizeof *ev_chunk);
		c->no = nev_chunk;
		ev_chunk[nev_chunk++] = c->base;
	}
	c->used += size;
	return (struct event *)(c->base + c->used - size);
}

/* the line's event (ps->line_ev, flen bytes of fields) kept, as p's (in its place in the file:
 * parser_end gives each process its array) */
static void add_event(struct parser *ps, struct proc *p, struct event *line, size_t flen)
{
	size_t end = ev_has_end(line->type) ? sizeof(struct event *) : 0; /* (room for its end: ev_match) */
	size_t size = event_size(end + flen);
	struct event *e = memcpy(event_room(ps, size), line, sizeof *e);
	memset(e->f, 0, end);
	memcpy(e->f + end, line->f, flen);
	e->file_proc = (uint32_t)(p->index - ps->first_proc);
	ps->r->nev++;
	p->nev++;
}

/* Make p's module table its own, with room for `more` modules. A forked child shares its
 * parent's table until one of them loads or unloads a module (both are marked shared): 10000
 * workers of a master with 100 modules hold one table, not 10000. Tables live in the arena: a
 * grown or copied one is left there (at most doubling what is kept). */
static int mods_room(const struct proc *p)
{
	int cap = 0;
	if (proc_mods(p) && !p->mods_shared) /* (a table of its own is 32 times a power of 2) */
		for (cap = 32; cap < proc_nmods(p); cap *= 2)
			;
	return cap;
}

static void own_mods(struct report *r, struct proc *p, int more)
{
	struct module *m;
	int cap = mods_room(p), n = proc_nmods(p);
	if (!p->mods_shared && n + more <= cap)
		return;
	while (cap < n + more)
		cap = cap ? cap * 2 : 32;
	m = report_alloc(r, (size_t)cap * sizeof *m);
	if (n)
		memcpy(m, proc_mods(p), (size_t)n * sizeof *m);
	proc_set_mods(p, m, n);
	p->mods_shared = 0;
}

static void apply_mod(struct report *r, struct proc *p, struct event *e)
{
	struct module *m;
	char *end;
	int id;
	if (e->nf < 5) {
		warnf(r, proc_file(r, p), e->line, "mod: expected 5 fields, got %d", e->nf);
		return;
	}
	id = (int)strtol(ev_field(e, 0), &end, 10);
	if (*end || id < 0) {
		warnf(r, proc_file(r, p), e->line, "mod: bad module id '%.32s'", ev_field(e, 0));
		return;
	}
	own_mods(r, p, !proc_module(p, id));
	m = proc_module(p, id); /* the same id again (a garbled or hand-made trace): the last one wins */
	if (!m) {
		m = &proc_mods(p)[proc_nmods(p)];
		proc_set_mods(p, proc_mods(p), proc_nmods(p) + 1);
	}
	m->id = id;
	m->base = strtoull(ev_field(e, 1), NULL, 16);
	m->tlsmodid = strtol(ev_field(e, 2), NULL, 10);
	m->buildid = strcmp(ev_field(e, 3), "-") ? pool_decode(ev_field(e, 3)) : NULL;
	m->path = pool_decode(ev_field(e, 4));
	m->loaded = 1;
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

/* the first line is not a trace's: say why, stop reading the file */
static int not_a_trace(struct parser *ps, const char *why)
{
	warnf(ps->r, ps->fi, ps->lineno, "not a tlstrace trace: %s", why);
	ps->r->unreadable = 1;
	ps->not_trace = 1;
	return -1;
}

/* the process a `tlstrace` line starts */
static struct proc *start_program(struct parser *ps, struct event *e, int pid)
{
	struct report *r = ps->r;
	struct proc *before = pidmap_get(r, &ps->pm, pid), *p;
	size_t cap = 1, k, at = 0;
	char *text;
	const char *exe;
	if (before)
		before->execed = 1; /* the same pid starts a new program: exec */
	p = proc_new(r, pid, ps->fi);
	proc_set_exec_before(p, before);
	p->ppid = (int)ev_dec(e, 1);
	p->format = (unsigned char)ps->format;
	char *word;
	for (k = 2; k < e->nf; k++)
		cap += SHELL_QUOTE_MAX(strlen(ev_field(e, (int)k))) + 1;
	text = xmalloc(cap);
	word = xmalloc(cap);
	decode_into(text, ev_field(e, 2));
	exe = str_intern(text);
	/* argv as a shell command line: each argument shell-quoted where it needs it (FRESH15b: an
	 * argument with a space read as two), so that it can be pasted */
	for (k = 3; k < e->nf; k++) {
		if (k > 3)
			text[at++] = ' ';
		decode_into(word, ev_field(e, (int)k));
		at += shell_quote_into(text + at, word);
	}
	text[at] = 0;
	p->prog = program_of(exe, str_intern(text))->id;
	free(word);
	free(text);
	unrefuse(&ps->refused, pid);
	pidmap_put(&ps->pm, pid, p);
	return p;
}

/* the process a `forked` line starts: its parent's program, argv and modules (the strings are
 * shared: they live in the arena and are never changed) */
static struct proc *start_child(struct parser *ps, struct event *e, int pid)
{
	struct proc *parent = pidmap_get(ps->r, &ps->pm, (int)ev_dec(e, 0));
	struct proc *p = proc_new(ps->r, pid, ps->fi);
	p->ppid = (int)ev_dec(e, 0);
	p->forked = 1;
	proc_set_parent(p, parent);
	p->format = (unsigned char)(parent ? parent->format : ps->format);
	if (parent) {
		p->prog = parent->prog;
		if (proc_nmods(parent)) {
			proc_set_mods(p, proc_mods(parent), proc_nmods(parent));
			p->mods_shared = parent->mods_shared = 1;
		}
	}
	pidmap_put(&ps->pm, pid, p);
	return p;
}

/* One line without its newline, NUL-terminated, n bytes (NULs inside are binary data).
 * Returns -1 if the file is not a trace (its first line is not a tlstrace line). */
/* The field of an event of this type that holds a signal number or an exit status, or -1 if
 * none (docs/trace-format.md). The report keeps these in an int and shows them as read (a
 * signal 300 as "signal 300"); a number that does not fit one (a hostile or corrupted trace:
 * the shim writes 1 to 64 and ints) would be shown as another, so its line is skipped with a
 * warning, as a pid past 2^31 is. */
static int int_field(int type)
{
	switch (type) {
	case EV_CRASH: case EV_SIG_HANDLED: case EV_SIG_HANDLER: case EV_SIG_ARRIVE: case EV_SIG_IGNORED:
	case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT: case EV_MAIN_RETURN:
		return 0;
	case EV_KILL:
		return 1;
	case EV_REAP:
		return 3;
	}
	return -1;
}

/* 1 if field k of e is a decimal number outside an int's range */
static int past_int(const struct event *e, int k)
{
	const char *f = ev_field(e, k);
	char *end;
	long long v;
	if (k < 0 || !*f)
		return 0;
	errno = 0;
	v = strtoll(f, &end, 10);
	return !*end && (errno == ERANGE || v < INT_MIN || v > INT_MAX);
}

/* an event line of a type this report does not know (name): counted, warned of once per name */
static void unknown_event(struct report *r, int fi, int lineno, const char *name)
{
	int k;
	r->unknown_events++;
	for (k = 0; k < r->nunknown; k++)
		if (!strcmp(r->unknown_names[k], name))
			break;
	if (k == r->nunknown && r->nunknown < 64) {
		snprintf(r->unknown_names[r->nunknown++], sizeof r->unknown_names[0], "%s", name);
		warnf(r, fi, lineno, "unknown event type \"%.64s\" (from a newer tlstrace?); skipped", name);
	}
}

/* the pending torn line warned of as what it looked like: not an event line, or one of an
 * unknown type */
static void torn_flush(struct parser *ps)
{
	if (!ps->torn_lineno)
		return;
	if (ps->torn_name[0]) {
		unknown_event(ps->r, ps->fi, ps->torn_lineno, ps->torn_name);
	} else {
		ps->r->garbage_lines++;
		warnf(ps->r, ps->fi, ps->torn_lineno, "not an event line (expected PID TID TIME PY EVENT ...); skipped");
	}
	ps->torn_lineno = 0;
}

/* line (not an event's, or one of an unknown type: name) may be the start of one a failed write
 * cut: its first word digits (a pid, or its start), its bytes printable; kept as pending
 * (torn_flush warns of an older one). A line cut where what is left reads as an event of a known
 * type is read as that event (the `lost` line after it does not say the line before was cut). */
static int torn_keep(struct parser *ps, const char *line, const char *name)
{
	size_t k = strspn(line, "0123456789"), i;
	if (k == 0 || k >= sizeof ps->torn_pid || (line[k] && line[k] != ' '))
		return 0;
	for (i = k; line[i]; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] >= 0x7f)
			return 0;
	torn_flush(ps);
	memcpy(ps->torn_pid, line, k);
	ps->torn_pid[k] = 0;
	snprintf(ps->torn_name, sizeof ps->torn_name, "%s", name ? name : "");
	ps->torn_lineno = ps->lineno;
	return 1;
}

/* an event line of process pid (its text) after a pending torn line: a `lost` line of that
 * process counts it (no warning); any other line of it means the torn one was not its write's */
static void torn_check(struct parser *ps, const char *pid, int type)
{
	if (!ps->torn_lineno || strncmp(pid, ps->torn_pid, strlen(ps->torn_pid)))
		return;
	if (type == EV_LOST)
		ps->torn_lineno = 0;
	else
		torn_flush(ps);
}

static int parse_line(struct parser *ps, char *line, size_t n)
{
	struct report *r = ps->r;
	char *tok[5];
	unsigned long long pid, tid, t;
	int ntok, type, fi = ps->fi, lineno = ps->lineno;
	size_t flen = 0;
	struct event *e;
	struct proc *p;

	if (strlen(line) != n) {
		if (!ps->header_ok)
			return not_a_trace(ps, "binary data in the first line");
		r->garbage_lines++;
		warnf(r, fi, lineno, "binary data, not an event; skipped");
		return 0;
	}
	if (split_line(line, tok, &ntok) != 0 || parse_uint(tok[0], &pid) || parse_uint(tok[1], &tid) ||
	    parse_uint(tok[2], &t) || !valid_py(tok[3]) || !valid_name(tok[4]) || pid > 0x7fffffff ||
	    tid > 0x7fffffff) {
		if (!ps->header_ok)
			return not_a_trace(ps, "expected \"PID TID TIME PY tlstrace VERSION ...\"");
		if (torn_keep(ps, line, NULL))
			return 0;
		r->garbage_lines++;
		warnf(r, fi, lineno, "not an event line (expected PID TID TIME PY EVENT ...); skipped");
		return 0;
	}
	type = event_type_of(tok[4]);
	if (type == EV_UNKNOWN && ps->header_ok && ntok == 5 && torn_keep(ps, tok[0], tok[4]))
		return 0; /* (its first word only: the line was split in place) */
	torn_check(ps, tok[0], type);
	if (!ps->header_ok) {
		if (type != EV_TLSTRACE) {
			warnf(r, fi, lineno, "not a tlstrace trace: the first line is \"%.64s\", expected \"tlstrace\"", tok[4]);
			r->unreadable = 1;
			ps->not_trace = 1;
			return -1;
		}
		ps->header_ok = 1;
	}
	if (type == EV_UNKNOWN) {
		unknown_event(r, fi, lineno, tok[4]);
		return 0;
	}
	e = ps->line_ev;
	memset(e, 0, sizeof *e);
	e->tid = (int)tid;
	e->t = t;
	e->py = tok[3][0];
	e->type = (unsigned char)type;
	e->line = lineno;
	e->nf = (unsigned short)(ntok - 5 > 0xffff ? 0xffff : ntok - 5);
	/* fields follow the name, separated by one or more NULs: compacted into the event */
	if (e->nf) {
		char *w = e->f, *rd = tok[4] + strlen(tok[4]) + 1;
		int k;
		for (k = 0; k < e->nf; k++) {
			while (!*rd)
				rd++;
			while (*rd)
				*w++ = *rd++;
			*w++ = 0;
		}
		flen = (size_t)(w - e->f);
	}
	if (type == EV_CRASH && e->nf > 5) {
		/* its sixth field (added within version 3): when the signal arrived. A handler of the
		 * program that ended the process (crash_end chain) ran, and wrote its lines, between
		 * that and the line: the fault is placed at its arrival, before them */
		unsigned long long at;
		if (!parse_uint(ev_field(e, 5), &at) && at && at < e->t)
			e->t = at;
	}
	if (past_int(e, int_field(type))) {
		warnf(r, fi, lineno, "%s: %s %.32s does not fit an int; skipped", tok[4],
		      type == EV_EXIT || type == EV__EXIT || type == EV_QUICK_EXIT || type == EV_MAIN_RETURN ||
		      (type == EV_REAP && strcmp(ev_field(e, 2), "signal")) ? "status" : "signal",
		      ev_field(e, int_field(type)));
		return 0;
	}

	if (type == EV_TLSTRACE) {
		long version = ev_dec(e, 0);
		if (e->nf < 3) {
			warnf(r, fi, lineno, "tlstrace line: expected VERSION PPID EXE");
			if (lineno == 1) /* a header without its fields starts no process */
				return not_a_trace(ps, "the tlstrace line has no VERSION PPID EXE");
			return 0;
		}
		if (version > TLSTRACE_FORMAT_VERSION && version <= INT_MAX) {
			/* a newer shim's: read as our newest version, said once per file (and in the
			 * report: r->newer_format); what changed since, this report cannot know */
			if (!ps->newer)
				warnf(r, fi, lineno, "format version %ld is newer than this report reads (%d to %d): read "
				      "as version %d, what it can (unknown event types skipped, unknown values shown "
				      "as they are); a line whose meaning changed since may be misread: read the trace "
				      "with the tlstrace-report of the tlstrace that wrote it", version,
				      TLSTRACE_FORMAT_MIN, TLSTRACE_FORMAT_VERSION, TLSTRACE_FORMAT_VERSION);
			if (version > ps->newer)
				ps->newer = (int)version;
			if (version > r->newer_format)
				r->newer_format = (int)version;
			version = TLSTRACE_FORMAT_VERSION;
		}
		if (version < TLSTRACE_FORMAT_MIN || version > TLSTRACE_FORMAT_VERSION) {
			warnf(r, fi, lineno, "format version %ld; this report reads versions %d to %d", version,
			      TLSTRACE_FORMAT_MIN, TLSTRACE_FORMAT_VERSION);
			if (lineno == 1) {
				r->unreadable = 1;
				ps->not_trace = 1;
				return -1;
			}
			refuse(&ps->refused, (int)pid);
			return 0;
		}
		ps->format = (int)version;
		p = start_program(ps, e, (int)pid);
		e->nf = 0; /* its fields are the process's now (format, ppid, exe, argv) */
		flen = 0;
	} else if (type == EV_FORKED) {
		p = start_child(ps, e, (int)pid);
	} else {
		p = pidmap_get(r, &ps->pm, (long long)pid);
		if (!p && is_refused(&ps->refused, (int)pid)) {
			return 0;
		}
		if (!p) {
			/* a process whose first line is missing (a trace cut at the front) */
			p = proc_new(r, (int)pid, fi);
			p->format = (unsigned char)ps->format;
			warnf(r, fi, lineno, "process %d has no tlstrace/forked line before this one", (int)pid);
			pidmap_put(&ps->pm, (int)pid, p);
		}
	}
	if (type == EV_MOD)
		apply_mod(r, p, e);
	else if (type == EV_UNMOD) {
		struct module *m = proc_module(p, (int)ev_dec(e, 0));
		if (m && m->loaded) {
			own_mods(r, p, 0);
			proc_module(p, (int)ev_dec(e, 0))->loaded = 0;
		}
	}
	add_event(ps, p, e, flen);
	return 0;
}

/* the end of a line longer than the format allows: reported with its length, and only its first
 * TLSTRACE_LINE_MAX - 1 bytes are read as an event (never kept or echoed whole) */
static void long_line_done(struct parser *ps, int cut)
{
	ps->lineno++;
	if (cut) {
		ps->r->cut_lines++;
		warnf(ps->r, ps->fi, ps->lineno, "last line cut short (no newline) and longer than %d bytes (%zu); ignored",
		      TLSTRACE_LINE_MAX, ps->long_line);
	} else {
		warnf(ps->r, ps->fi, ps->lineno, "line longer than %d bytes (%zu bytes: not written by libtlstrace.so); read as its first %d",
		      TLSTRACE_LINE_MAX, ps->long_line, TLSTRACE_LINE_MAX - 1);
		ps->cut[TLSTRACE_LINE_MAX - 1] = 0;
		parse_line(ps, ps->cut, TLSTRACE_LINE_MAX - 1);
	}
	ps->long_line = 0;
}

/* The lines that end in buf[0..len) (writable; lines are tokenized in place). At eof the rest is a
 * last line cut short. Returns the bytes used: the caller keeps the rest (a line not yet ended,
 * shorter than TLSTRACE_LINE_MAX) in front of what it reads next. Sets ps->not_trace to stop. */
static size_t parse_lines(struct parser *ps, char *buf, size_t len, int eof)
{
	size_t at = 0;
	while (at < len && !ps->not_trace) {
		char *line = buf + at, *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;
		if (ps->long_line || n >= TLSTRACE_LINE_MAX) {
			if (!ps->header_ok) {
				ps->lineno++;
				not_a_trace(ps, "no line end within the format's line limit");
				break;
			}
			if (!ps->long_line) /* the first piece: at least TLSTRACE_LINE_MAX bytes */
				memcpy(ps->cut, line, TLSTRACE_LINE_MAX - 1);
			ps->long_line += n;
			if (!nl) {
				if (eof)
					long_line_done(ps, 1);
				return len;
			}
			long_line_done(ps, 0);
			at += n + 1;
			continue;
		}
		if (!nl) {
			if (!eof)
				return at;
			ps->lineno++;
			if (!ps->header_ok) {
				not_a_trace(ps, "its only line has no end");
				break;
			}
			ps->r->cut_lines++;
			warnf(ps->r, ps->fi, ps->lineno, "last line cut short (no newline: the process died while writing it, or "
				"its write failed part-way, as on a full filesystem), ignored");
			return len;
		}
		*nl = 0;
		ps->lineno++;
		parse_line(ps, line, n);
		at += n + 1;
	}
	if (eof && ps->long_line) /* its last piece was read before the end was seen */
		long_line_done(ps, 1);
	return ps->not_trace ? len : at;
}

static void parser_begin(struct parser *ps, struct report *r, int fi)
{
	memset(ps, 0, sizeof *ps);
	ps->line_ev = xmalloc(sizeof *ps->line_ev + TLSTRACE_LINE_MAX);
	ps->r = r;
	ps->fi = fi;
	ps->first_proc = r->nprocs;
}

/* each process of this file gets its events as one array (one block for the whole file), filled
 * by walking the file's events in read order */
static void parser_end(struct parser *ps)
{
	struct report *r = ps->r;
	size_t n = 0;
	int i, c;
	torn_flush(ps);
	intmap_free(&ps->pm); /* (before the arrays: not both at once) */
	free(ps->line_ev);
	ps->line_ev = NULL;
	for (i = ps->first_proc; i < r->nprocs; i++)
		n += (size_t)r->procs[i]->nev;
	if (n) {
		size_t at = nev_refs;
		if (n > UINT32_MAX - nev_refs) {
			fprintf(stderr, "tlstrace-report: more than %u events: too big a trace\n", UINT32_MAX);
			exit(2);
		}
		/* (a process keeps a place in it, not a pointer; its room at least doubled when it
		 * grows, for many small files: a big one is a mapping of its own, whose pages not yet
		 * written cost nothing, moved without a copy by mremap) */
		if (nev_refs + n > cap_refs) {
			cap_refs = nev_refs + n > 2 * cap_refs ? nev_refs + n : 2 * cap_refs;
			ev_refs = xrealloc(ev_refs, cap_refs * sizeof *ev_refs);
		}
		nev_refs += n;
		for (i = ps->first_proc; i < r->nprocs; i++) {
			struct proc *p = r->procs[i];
			p->ev = (unsigned)at;
			at += (size_t)p->nev;
			p->nev = 0; /* counted again as they are filled in */
		}
	}
	for (c = 0; c < ps->nchunks; c++) {
		char *at = ps->chunks[c].base + ps->chunks[c].start, *end = ps->chunks[c].base + ps->chunks[c].used;
		while (at < end) {
			struct event *e = (struct event *)at;
			struct proc *p = r->procs[ps->first_proc + (int)e->file_proc];
			const char *fields = ev_fields(e);
			size_t flen = 0;
			int k;
			for (k = 0; k < e->nf; k++)
				flen += strlen(fields + flen) + 1;
			ev_refs[p->ev + (unsigned)p->nev++] = ps->chunks[c].no << EV_PLACE_BITS |
							   (uint32_t)((at - ps->chunks[c].base) >> 2);
			e->file_proc = 0; /* (depth, shown, normal: analyze's) */
			at += event_size((size_t)(fields - e->f) + flen);
		}
	}
	/* its earliest and latest times, folded over its events in read order (the earliest: a line's
	 * below every one before it, or any line's after one of time 0), are its first and last
	 * events' in most processes: struct proc keeps no times (proc_set_times) */
	for (i = ps->first_proc; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		uint64_t first = 0, last = 0;
		for (c = 0; c < p->nev; c++) {
			uint64_t t = proc_ev(p, c)->t;
			if (!first || t < first)
				first = t;
			if (t > last)
				last = t;
		}
		proc_set_times(p, first, last);
	}
	if (ps->nchunks) {
		const struct evchunk *last = &ps->chunks[ps->nchunks - 1];
		ev_open.r = r;
		ev_open.base = last->base;
		ev_open.used = last->used;
		ev_open.size = last->size;
		ev_open.no = last->no;
	}
	free(ps->chunks);
	free(ps->refused.pid);
}

/* buf: len bytes, writable (tokenized in place), kept by the caller until report_free. */
int parse_buffer(struct report *r, char *buf, size_t len, int fi)
{
	struct parser ps;
	r->bytes_read += len;
	if (len == 0) {
		warnf(r, fi, 0, "empty file, not a trace");
		r->unreadable = 1;
		return -1;
	}
	parser_begin(&ps, r, fi);
	parse_lines(&ps, buf, len, 1);
	parser_end(&ps);
	return ps.not_trace ? -1 : 0;
}

/* wait until fd (a pipe, FIFO or terminal, maybe O_NONBLOCK) has data or an end; 0 or -1 */
static int wait_readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Read a trace: PATH, or standard input for "-". A regular file, or a stream (pipe, FIFO,
 * `<(...)`, a terminal) read to its end: the user named it. The open never blocks (O_NONBLOCK:
 * a FIFO without a writer); a FIFO is then waited on like cat(1) would. Read in chunks: only the
 * events are kept, and a file whose first line is not a trace's is left after one chunk. */
int parse_file(struct report *r, const char *path, int fi)
{
	enum { CHUNK = 256 << 10 };
	struct parser ps;
	struct stat st;
	char *buf;
	size_t have = 0, used;
	ssize_t got;
	int fd, err = 0, eof = 0;
	uint64_t total = 0;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) : 0;
	if (fd < 0) {
		warnf(r, fi, 0, "cannot open: %s", strerror(errno));
		r->unreadable = 1;
		return -1;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode)) {
		/* a directory reaches here only without regular files (main.c: expand_dirs) */
		warnf(r, fi, 0, "%s", S_ISDIR(st.st_mode) ? "is a directory with no file in it (it stands for its files)"
				      : S_ISBLK(st.st_mode) ? "is a block device, not a trace" : strerror(errno));
		if (fd)
			close(fd);
		r->unreadable = 1;
		return -1;
	}
	if (S_ISFIFO(st.st_mode) && wait_readable(fd) != 0)
		err = errno;
	buf = xmalloc(CHUNK);
	parser_begin(&ps, r, fi);
	while (!err && !eof && !ps.not_trace) {
		got = read(fd, buf + have, CHUNK - have);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && wait_readable(fd) == 0)
				continue;
			err = errno;
			break;
		}
		eof = got == 0;
		have += (size_t)got;
		total += (uint64_t)got;
		if (eof && total == 0)
			break;
		used = parse_lines(&ps, buf, have, eof);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (fd)
		close(fd);
	free(buf);
	r->bytes_read += total;
	parser_end(&ps);
	if (err) {
		warnf(r, fi, 0, "read error: %s", strerror(err));
		r->unreadable = 1;
		return -1;
	}
	if (total == 0) {
		warnf(r, fi, 0, "empty file, not a trace");
		r->unreadable = 1;
		return -1;
	}
	return ps.not_trace ? -1 : 0;
}

/* What f holds: its texts (in the string pool once settled, str_free either way), frames,
 * Python lines and hang threads. f itself lives in the report's arena (add_finding). */
void finding_free(struct finding *f)
{
	struct finding_detail *d = f->detail;
	int j;
	str_free(f->phase);
	str_free(f->message);
	str_free(f->root_cause);
	str_free(f->fix);
	f->phase = f->message = f->root_cause = f->fix = NULL;
	if (!d)
		return;
	str_free(d->tls_symbol);
	free(d->bt);
	for (j = 0; j < d->npy; j++)
		free(d->pylines[j]);
	free(d->pylines);
	for (j = 0; j < d->nthreads; j++) {
		struct hang_thread *h = &d->threads[j];
		free(h->name);
		free(h->py_name);
		free(h->wchan);
		free(h->syscall);
		free(h->holder_text);
		free(h->wait_text);
		free(h->lock_text);
		free(h->lock_path);
		free(h->object);
		free(h->bt);
		for (int k = 0; k < h->npy; k++)
			free(h->py[k]);
		free(h->py);
	}
	free(d->threads);
	f->detail = NULL; /* (d itself is freed with the others: side_free) */
}

void report_free(struct report *r)
{
	int i;
	senders_free();
	for (i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		/* the process, its strings and events live in the arena and kept blocks */
		if (routine_of(p))
			free(routine_of(p)->regs);
	}
	for (i = 0; i < r->nfindings; i++)
		if (!finding_folded(r, i))
			finding_free(r->findings[i]);
	for (i = 0; i < r->ngroups; i++) {
		if (group_folded(r, i))
			continue;
		free(r->groups[i]->findings);
		if (r->groups[i]->pids && r->groups[i]->pids != &r->groups[i]->one[1])
			free(r->groups[i]->pids);
	}
	free(r->groups);
	mod_index_free(); /* (by the addresses of tables in the arena, freed next) */
	str_pool_free(); /* after the last str_free */
	side_free();     /* (the fates, routines and details) */
	program_free(); /* (its pointers were into the pool) */
	for (i = 0; i < r->nblocks; i++)
		free(r->blocks[i]);
	free(r->blocks);
	memset(&ev_open, 0, sizeof ev_open);
	free(ev_chunk); /* (all reports' chunks: report_free is the last use of any, as of the pool) */
	ev_chunk = NULL;
	nev_chunk = 0;
	free(ev_refs);
	ev_refs = NULL;
	nev_refs = cap_refs = 0;
	free(r->findings);
	free(r->finding_group);
	free(r->procs);
	free(r->file_start);
	memset(r, 0, sizeof *r);
}

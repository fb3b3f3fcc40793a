/* json.c - --json: the report as one JSON object (schema in README.md, "JSON output"). Stable:
 * fields are only ever added. A field that does not apply is null. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* s as a JSON string (UTF-8 passed through when well formed, anything else escaped), or null
 * for NULL; also chrome.c's */
void json_str(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		} else if (c >= 0x80) {
			/* pass UTF-8 through only if well formed, else escape byte by byte */
			int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1, k;
			for (k = 1; n > 0 && k <= n; k++)
				if (((unsigned char)s[k] & 0xc0) != 0x80)
					n = -1;
			if (n < 0 || c > 0xf4) {
				fprintf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
			} else {
				fwrite(s, 1, (size_t)n + 1, out);
				s += n;
			}
		} else {
			fputc(c, out);
		}
	}
	fputc('"', out);
}

/* ,"key":"s" (json_str) */
void json_member(FILE *out, const char *key, const char *s)
{
	fprintf(out, ",\"%s\":", key);
	json_str(out, s);
}

static const char *sev(enum severity s) { return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info"; }

static void frame(FILE *out, const struct frame *fr)
{
	struct symres s;
	int ok = sym_lookup(&fr->code, fr->is_return, &s) == 0;
	fputs("{\"module\":", out);
	json_str(out, fr->code.mod ? fr->code.mod->path : NULL);
	fprintf(out, ",\"offset\":%llu,\"function\":", (unsigned long long)fr->code.off);
	json_str(out, ok ? s.func : NULL);
	fputs(",\"file\":", out);
	json_str(out, ok ? s.file : NULL);
	fputs(",\"line\":", out);
	if (ok && s.file)
		fprintf(out, "%d", s.line);
	else
		fputs("null", out);
	fputs(",\"inlined_at\":", out);
	if (ok && s.call_file) {
		char at[4200];
		snprintf(at, sizeof at, "%s:%d", s.call_file, s.call_line);
		json_str(out, at);
	} else {
		fputs("null", out);
	}
	if (ok && s.prog_func) { /* (only then, as "unloaded": the program's function inlined there, symbolize.c) */
		char at[4200];
		fputs(",\"program_function\":", out);
		json_str(out, s.prog_func);
		snprintf(at, sizeof at, "%s:%d", s.prog_file, s.prog_line);
		fputs(",\"program_line\":", out);
		json_str(out, at);
	}
	if (fr->unloaded) /* (only then: the key is new) */
		fputs(",\"unloaded\":true", out);
	fputc('}', out);
}

static void frames(FILE *out, const struct frame *bt, int n)
{
	fputc('[', out);
	for (int j = 0; j < n; j++) {
		if (j)
			fputc(',', out);
		frame(out, &bt[j]);
	}
	fputc(']', out);
}

/* (only when there are some) "threads_alive": [{"at", "time_ns", "count", "threads": [{"tid",
 * "routine", "python_name"}]}]: the other threads alive when exit(), main's return, Py_Finalize or
 * fork() began (threads_alive lines) */
static void threads_alive(FILE *out, const struct proc *p)
{
	int n = 0;
	char *r, *name;
	for (int i = 0; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->type != EV_THREADS_ALIVE)
			continue;
		fprintf(out, "%s{\"at\":", n++ ? "," : ",\"threads_alive\":[");
		json_str(out, ev_field(e, 0));
		fprintf(out, ",\"time_ns\":%llu,\"count\":%lld,\"threads\":[", (unsigned long long)e->t, ev_dec(e, 1));
		for (int k = 0, tid; alive_thread(p, e, k, &tid, &r, &name); k++) {
			fprintf(out, "%s{\"tid\":%d,\"routine\":", k ? "," : "", tid);
			json_str(out, r);
			fputs(",\"python_name\":", out);
			json_str(out, name);
			fputc('}', out);
			free(r);
			free(name);
		}
		fputs("]}", out);
	}
	if (n)
		fputc(']', out);
}

/* a hang snapshot: each thread with waits_on {kind, address, holder, holder_in_process} or null */
static void threads(FILE *out, const struct finding *f)
{
	char st[2] = {0, 0};
	fputc('[', out);
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		const struct hang_thread *h = &detail_of(f)->threads[i];
		fprintf(out, "%s{\"tid\":%d,\"name\":", i ? "," : "", h->tid);
		json_str(out, h->name);
		fputs(",\"python_name\":", out);
		json_str(out, h->py_name);
		st[0] = h->state;
		fputs(",\"state\":", out);
		json_str(out, st);
		fputs(",\"wchan\":", out);
		json_str(out, h->wchan);
		fputs(",\"syscall\":", out);
		json_str(out, h->syscall);
		fputs(",\"waits_on\":", out);
		if (h->waits) {
			fputs("{\"kind\":", out);
			json_str(out, h->waits);
			fprintf(out, ",\"address\":%llu,\"holder\":", (unsigned long long)h->addr);
			if (h->holder)
				fprintf(out, "%d", h->holder);
			else
				fputs("null", out);
			fputs(",\"object\":", out);
			json_str(out, h->object);
			fprintf(out, ",\"holder_in_process\":%s,\"holder_text\":", h->holder_alive ? "true" : "false");
			json_str(out, h->holder_text);
			fputc('}', out);
		} else {
			fputs("null", out);
		}
		if (h->lock_call) { /* (a file lock's wait: hang_filelock) */
			fputs(",\"file_lock\":{\"call\":", out);
			json_str(out, h->lock_call);
			fputs(",\"path\":", out);
			json_str(out, h->lock_path);
			if (h->lock_holder)
				fprintf(out, ",\"holder_pid\":%d}", h->lock_holder);
			else
				fputs(",\"holder_pid\":null}", out);
		}
		fputs(",\"backtrace\":", out);
		frames(out, h->bt, h->nbt);
		fputs(",\"python_traceback\":[", out);
		for (int j = 0; j < h->npy; j++) {
			if (j)
				fputc(',', out);
			json_str(out, h->py[j]);
		}
		fputs("]}", out);
	}
	fputc(']', out);
}

/* one line of the verdict: {"line": its words, "fix": its fix's first clause, "group": the index
 * in "groups" of the group it stands for, "findings": that group's findings (groups.c
 * verdict_lines) */
struct verdict_json { FILE *out; int n; };

static void verdict_json_line(void *ctx, const char *what, const char *fix, const struct group *g)
{
	struct verdict_json *v = ctx;
	fputs(v->n++ ? ",{\"line\":" : "{\"line\":", v->out);
	json_str(v->out, what);
	fputs(",\"fix\":", v->out);
	json_str(v->out, fix);
	fprintf(v->out, ",\"group\":%d,\"findings\":[", g->index);
	for (int k = 0; k < g->count; k++)
		fprintf(v->out, k ? ",%d" : "%d", group_finding(g, k));
	fputs("]}", v->out);
}

void render_json(struct report *r, FILE *out)
{
	int i, j, first = 1;
	char msg[MESSAGE_MAX];
	fprintf(out, "{\"version\":1,\"files\":[");
	for (i = 0; i < r->nfiles; i++) {
		if (i)
			fputc(',', out);
		json_str(out, r->files[i]);
	}
	fprintf(out, "],\"input\":{\"events\":%zu,\"unknown_events\":%ld,\"bad_lines\":%ld,\"cut_lines\":%ld,\"unreadable\":%s",
		r->nev, r->unknown_events, r->garbage_lines, r->cut_lines, r->unreadable ? "true" : "false");
	if (r->newer_format) /* (only then: a trace of a version this report reads has no such field) */
		fprintf(out, ",\"newer_format\":%d", r->newer_format);
	fputs("},", out);
	fputs("\"processes\":[", out);
	for (i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		int signal = p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal");
		if (opt.pid && p->pid != opt.pid)
			continue;
		if (!first)
			fputc(',', out);
		first = 0;
		fprintf(out, "{\"pid\":%d,\"ppid\":%d,\"exe\":", p->pid, p->ppid);
		json_str(out, proc_prog(p)->exe);
		fputs(",\"argv\":", out);
		json_str(out, proc_prog(p)->argv);
		fprintf(out, ",\"forked\":%s,\"exit\":", p->forked ? "true" : "false");
		if (p->exit_known && !signal)
			fprintf(out, "%d", p->exit_status);
		else
			fputs("null", out);
		fputs(",\"exit_via\":", out);
		json_str(out, p->exit_known ? proc_how(p) : p->execed ? "exec" : NULL);
		fputs(",\"signal\":", out);
		if (signal)
			fprintf(out, "%d", p->exit_signal);
		else
			fputs("null", out);
		fprintf(out, ",\"crashed\":%s,\"ended\":%s,\"unfinished\":%s,\"running\":%s,\"reaped_by\":",
			p->crashed ? "true" : "false", p->ended ? "true" : "false", p->unfinished ? "true" : "false",
			p->running ? "true" : "false");
		if (fate_of(p)->reaper)
			fprintf(out, "%d", fate_of(p)->reaper->pid);
		else
			fputs("null", out);
		fputs(",\"killed_by\":", out);
		if (fate_of(p)->killer)
			fprintf(out, "%d", fate_of(p)->killer->pid);
		else
			fputs("null", out);
		/* the origin of the text report's times for it (its timeline's "+0.000 ms" and its
		 * findings' "at +N ms"), so that time_ns can be read as the text reads it */
		fprintf(out, ",\"time_origin_ns\":%llu,\"has_timeline\":%s", (unsigned long long)proc_time_origin(p),
			proc_has_timeline(p) ? "true" : "false");
		/* a death by a signal that was how it meant to end (diag_outcome.c): said, no finding */
		if (fate_of(p)->stop) {
			fputs(",\"stop\":", out);
			json_str(out, fate_of(p)->stop);
		}
		/* (only when there are some: a trace of no routine thread reads as before) */
		if (routine_of(p) && routine_of(p)->quiet_threads)
			fprintf(out, ",\"quiet_threads\":{\"threads\":%lld,\"tls_registrations\":%lld,\"tls_destructors\":%lld,"
				"\"key_destructors\":%lld}", routine_of(p)->quiet_threads, routine_of(p)->quiet_regs, routine_of(p)->quiet_dtors, routine_of(p)->quiet_keys);
		threads_alive(out, p);
		if (routine_of(p) && (routine_of(p)->dropped_lines || routine_of(p)->dropped_other_lines))
			fprintf(out, ",\"dropped\":{\"routine_lines\":%lld,\"routine_bytes\":%lld,\"other_lines\":%lld,"
				"\"other_bytes\":%lld}", routine_of(p)->dropped_lines, routine_of(p)->dropped_bytes, routine_of(p)->dropped_other_lines,
				routine_of(p)->dropped_other_bytes);
		fputc('}', out);
	}
	fputs("],\"findings\":[", out);
	for (i = 0; i < r->nfindings; i++) {
		struct finding *f = finding_at(r, i);
		if (i)
			fputc(',', out);
		fputs("{\"kind\":", out);
		json_str(out, f->kind);
		fputs(",\"severity\":", out);
		json_str(out, sev(f->severity));
		fprintf(out, ",\"pid\":%d,\"tid\":%d,\"time_ns\":%llu", f->proc->pid, f->tid, (unsigned long long)f->t);
		json_member(out, "phase", f->phase);
		json_member(out, "message", finding_message(f, msg, sizeof msg));
		json_member(out, "root_cause", finding_root_cause(f, msg, sizeof msg));
		json_member(out, "fix", finding_fix(f, msg, sizeof msg));
		fputs(",\"tls\":", out);
		if (detail_of(f)->has_tls) {
			fputs("{\"module\":", out);
			json_str(out, detail_of(f)->tls_mod ? detail_of(f)->tls_mod->path : NULL);
			fputs(",\"symbol\":", out);
			json_str(out, detail_of(f)->tls_symbol);
			fprintf(out, ",\"address\":%llu}", (unsigned long long)detail_of(f)->tls_address);
		} else {
			fputs("null", out);
		}
		fputs(",\"destroyed_ns\":", out);
		if (detail_of(f)->destroyed_ns >= 0)
			fprintf(out, "%lld", detail_of(f)->destroyed_ns);
		else
			fputs("null", out);
		fputs(",\"signal\":", out);
		if (finding_signal(f))
			fprintf(out, "%d,\"si_code\":%d,\"fault_address\":%llu", finding_signal(f), detail_of(f)->si_code, (unsigned long long)detail_of(f)->fault_addr);
		else
			fputs("null,\"si_code\":null,\"fault_address\":null", out);
		fprintf(out, ",\"count\":%d,\"backtrace\":", f->count);
		frames(out, detail_of(f)->bt, detail_of(f)->nbt);
		fputs(",\"python_traceback\":", out);
		if (detail_of(f)->npy) {
			fputc('[', out);
			for (j = 0; j < detail_of(f)->npy; j++) {
				if (j)
					fputc(',', out);
				json_str(out, detail_of(f)->pylines[j]);
			}
			fputc(']', out);
		} else {
			fputs("null", out);
		}
		{
			char cb[400];
			fputs(",\"python_callback\":", out);
			json_str(out, finding_py_callback(f, cb, sizeof cb) ? cb : NULL);
		}
		fputs(",\"threads\":", out);
		if (detail_of(f)->nthreads)
			threads(out, f);
		else
			fputs("null", out);
		fputs(",\"caused_by\":", out);
		if (detail_of(f)->cause) {
			fprintf(out, "%d", detail_of(f)->cause->index);
		} else {
			fputs("null", out);
		}
		fputc('}', out);
	}
	fputs("],\"verdict\":[", out);
	struct verdict_json vj = {out, 0};
	verdict_lines(r, verdict_json_line, &vj);
	fputs("],\"groups\":[", out);
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = group_at(r, i);
		int k;
		fputs(i ? ",{\"kind\":" : "{\"kind\":", out);
		json_str(out, g->kind);
		char *sig = group_signature(g);
		fputs(",\"signature\":", out);
		json_str(out, sig);
		free(sig);
		fprintf(out, ",\"count\":%d,\"pids\":[", g->count);
		for (k = 0; k < g->npids; k++)
			fprintf(out, k ? ",%d" : "%d", group_pid(r, g, k));
		fputs("],\"findings\":[", out);
		for (k = 0; k < g->count; k++)
			fprintf(out, k ? ",%d" : "%d", group_finding(g, k));
		fputs("]}", out);
	}
	fputs("]}\n", out);
}

/* chrome.c - --chrome FILE: Chrome Trace Event JSON for Perfetto / chrome://tracing. Processes
 * and threads are named; Py_Finalize, each atexit handler, TLS destructor, key destructor and
 * Py_AtExit function is a duration event ("X"); exits, thread exits, forks, signals sent,
 * arrived and reaped, the hang watchdog's arming and snapshots, and findings are instant events
 * ("i"). Timestamps in microseconds from the earliest event of the report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static int first;

static void sep(FILE *out)
{
	if (!first)
		fputs(",\n", out);
	first = 0;
}

/* Writes the trace events to out, which the caller opened (main.c opens every output before it
 * writes anything) and this closes unless it is stdout; path names it in messages. Returns 0, or
 * -1 after a message on stderr when the file could not be written. */
int render_chrome(struct report *r, FILE *out, const char *path)
{
	uint64_t t0 = ~0ull;
	int i, j;
	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i]->nev && proc_t_first(r->procs[i]) < t0)
			t0 = proc_t_first(r->procs[i]);
	first = 1;
	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n", out);
	for (i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		struct intmap named = {0}; /* threads given their name already (a process may have many: 8
					    * bytes a slot, not struct index's 16) */
		char pname[300], nm[600];
		if (opt.pid && p->pid != opt.pid)
			continue;
		snprintf(pname, sizeof pname, "%s %d%s", base_name(proc_prog(p)->exe), p->pid, p->forked ? " (forked)" : "");
		sep(out);
		fprintf(out, "{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":", p->index + 1);
		json_str(out, pname);
		fputs("}}", out);
		for (j = 0; j < p->nev; j++) {
			struct event *e = proc_ev(p, j);
			double ts = (double)(e->t - t0) / 1e3;
			const char *cat = NULL;
			if (!intmap_get(&named, e->tid)) {
				intmap_put(&named, e->tid, 1);
				sep(out);
				fprintf(out, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":\"%s %d\"}}",
					p->index + 1, e->tid, e->tid == p->pid ? "main thread" : shim_thread(p, e->tid)
					? "tlstrace watchdog, thread" : "thread", e->tid);
			}
			nm[0] = 0;
			switch (e->type) {
			case EV_TLS_DTOR: {
				char *s = tls_display_name(p, ev_dec(e, 0));
				snprintf(nm, sizeof nm, "TLS destructor %s", s);
				free(s);
				cat = "tls";
				break;
			}
			case EV_ATEXIT_RUN: {
				char *b = code_func_name(p, ev_field(e, 1));
				snprintf(nm, sizeof nm, "atexit %s", b);
				free(b);
				cat = "atexit";
				break;
			}
			case EV_PY_FIN: snprintf(nm, sizeof nm, "%s", ev_field(e, 0)); cat = "python"; break;
			case EV_KEY_DTOR: snprintf(nm, sizeof nm, "key %s destructor", ev_field(e, 0)); cat = "key"; break;
			case EV_PY_ATEXIT_RUN: {
				char *b = code_func_name(p, ev_field(e, 1));
				snprintf(nm, sizeof nm, "Py_AtExit %s", b);
				free(b);
				cat = "python";
				break;
			}
			case EV_DL_FINI: snprintf(nm, sizeof nm, "module destructors (_dl_fini)"); cat = "atexit"; break;
			case EV_CXA_FIN: {
				const struct module *m = code_module(p, ev_field(e, 0));
				snprintf(nm, sizeof nm, "destructors of %s", m ? base_name(m->path) : ev_field(e, 0));
				cat = "atexit";
				break;
			}
			default: break;
			}
			if (cat) {
				uint64_t end = ev_match(e) ? ev_match(e)->t : proc_t_last(p);
				sep(out);
				fprintf(out, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,\"cat\":\"%s\",\"name\":",
					p->index + 1, e->tid, ts, (double)(end - e->t) / 1e3, cat);
				json_str(out, nm);
				fputs("}", out);
				continue;
			}
			switch (e->type) {
			case EV_MAIN_RETURN: case EV_EXIT: case EV__EXIT: case EV_QUICK_EXIT:
				snprintf(nm, sizeof nm, "%s(%s)", ev_name(e), ev_field(e, 0));
				break;
			case EV_THREAD_EXIT: snprintf(nm, sizeof nm, "thread exit"); break;
			case EV_TLS_DTORS_DONE: snprintf(nm, sizeof nm, "TLS destructors done"); break;
			case EV_EXIT_DONE: snprintf(nm, sizeof nm, "process ends"); break;
			case EV_FORK: snprintf(nm, sizeof nm, "fork() -> %s", ev_field(e, 0)); break;
			case EV_SIG_ARRIVE: /* sig code pid ...: from pid (0: the kernel or unknown) */
				snprintf(nm, sizeof nm, "%s arrived from pid %s", signal_name((int)ev_dec(e, 0)), ev_field(e, 2));
				break;
			case EV_KILL: /* call sig pid ... */
				snprintf(nm, sizeof nm, "%s(%s) %s", ev_field(e, 0), ev_field(e, 2), signal_name((int)ev_dec(e, 1)));
				break;
			case EV_REAP: /* call pid how value ... */
				snprintf(nm, sizeof nm, "%s reaped %s: %s %s", ev_field(e, 0), ev_field(e, 1), ev_field(e, 2),
					 !strcmp(ev_field(e, 2), "signal") ? signal_name((int)ev_dec(e, 3)) : ev_field(e, 3));
				break;
			case EV_HANG_ARM: snprintf(nm, sizeof nm, "hang watchdog armed (%s)", teardown_words(ev_field(e, 0))); break;
			case EV_HANG: snprintf(nm, sizeof nm, "hang snapshot %s after %s ms", ev_field(e, 0), ev_field(e, 1)); break;
			default: break;
			}
			if (nm[0]) {
				sep(out);
				fprintf(out, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"cat\":\"teardown\",\"name\":",
					p->index + 1, e->tid, ts);
				json_str(out, nm);
				fputs("}", out);
			}
		}
		intmap_free(&named);
	}
	for (i = 0; i < r->nfindings; i++) {
		struct finding *f = finding_at(r, i);
		char nm[300], msg[MESSAGE_MAX];
		snprintf(nm, sizeof nm, "%s%s%s", f->kind, detail_of(f)->tls_symbol ? " " : "", detail_of(f)->tls_symbol ? detail_of(f)->tls_symbol : "");
		sep(out);
		fprintf(out, "{\"ph\":\"i\",\"s\":\"p\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"cat\":\"finding\",\"name\":",
			f->proc->index + 1, f->tid, (double)(f->t - t0) / 1e3);
		json_str(out, nm);
		fputs(",\"args\":{\"message\":", out);
		json_str(out, finding_message(f, msg, sizeof msg));
		json_member(out, "root_cause", finding_root_cause(f, msg, sizeof msg));
		fputs("}}", out);
	}
	fputs("\n]}\n", out);
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "tlstrace-report: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

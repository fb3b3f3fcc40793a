/* diag.h - what the diagnoses (tools/report/diag_*.c) share with their driver (analyze.c).
 *
 * The driver walks each process's events once, in write order, keeping per thread the teardown
 * state (the exit call, the nest of atexit handlers, Py_Finalize, TLS and key destructors running
 * now). A diagnosis is a rule over that walk: it sees each event with its thread's state as it
 * stood when the event was written, may look at the process's events around it, and adds
 * findings with add_finding. Rules are listed in one table (analyze.c, diag_rules); a new family
 * is a new diag_<family>.c and one line there. Renderers see only the findings. */
#ifndef TLSTRACE_DIAG_H
#define TLSTRACE_DIAG_H

#include "report.h"

enum frame_kind { FK_ATEXIT, FK_PYFIN, FK_TLSDTOR, FK_KEYDTOR, FK_PYATEXIT };

struct tframe {
	int kind;
	struct event *e;
};

/* one thread of the process being walked, as of the current event */
struct tstate {
	int tid;
	struct tframe stack[64];
	int depth;
	const struct event *exit_ev;        /* exit/main_return/... by this thread */
	const struct event *thread_exit_ev; /* thread_exit */
	int tls_dtors;                      /* TLS destructors run on this thread */
	int tls_done;
	const struct event *last_ev;        /* its latest event */
	struct finding *last_uad;
	struct finding *last_late;          /* the last late construction on this thread */
	struct finding *order;              /* the order finding of this thread's Py_Finalize */
};

struct pstate {
	struct proc *p;
	struct tstate *t;
	int nt, capt, last;
};

struct diag_rule {
	const char *family;
	/* event p->ev[at], by thread t (whose state does not yet include a begin event's own frame) */
	void (*event)(struct report *r, struct proc *p, struct tstate *t, int at);
	/* after the last event of p, with the state of all its threads */
	void (*proc_end)(struct report *r, struct proc *p, struct pstate *ps);
	/* after every process was walked: rules across processes and trace files */
	void (*report_end)(struct report *r);
};

extern const struct diag_rule diag_tls, diag_keys, diag_order, diag_crash, diag_outcome,
	diag_signal;

/* analyze.c: the driver's helpers for rules */
const struct tframe *innermost(const struct tstate *t, int kind);
/* where teardown stood on thread t: "exit(1) > atexit handler f > Py_Finalize"; malloc'd */
char *phase_of(const struct proc *p, const struct tstate *t, char py);
/* a new finding on p at event e (time, thread), appended to r->findings */
struct finding *add_finding(struct report *r, const char *kind, enum severity sev, struct proc *p,
			    const struct event *e);
/* f's backtrace from e's fields first..; fault_first: the first is a faulting pc, not a return */
void frames_from(struct finding *f, const struct proc *p, const struct event *e, int first, int fault_first);

#endif

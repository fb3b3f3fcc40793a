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

/* How to confirm a likely use of a destroyed static-TLS object, in the fix of each finding that
 * suspects one (diag_order.c, diag_crash.c): hw where breakpoints fire; where they do not (the
 * shim then watches nothing, watch.c), poison, which changes the run. */
#define WATCH_CONFIRM "run again with TLSTRACE_WATCH=hw: a hardware watchpoint on the destroyed object " \
	"reports each access with its backtrace; where breakpoints do not fire (the trace's watch line says " \
	"off), TLSTRACE_WATCH=poison: the object's pointers are overwritten, so a dereference through one " \
	"faults and names it; that changes the run (a silent read becomes a crash; a lock word holding " \
	"a pointer could block)"
/* "to confirm, " WATCH_CONFIRM, or what the trace's watch mode showed already (diag_tls.c) */
char *watch_confirm(const struct proc *p, long long seq);

/* FK_DLFINI: ld.so's _dl_fini, run by exit() after the handlers (every module's destructor
 * functions); FK_DLCLOSE: a dlclose (the unloaded modules' destructors); FK_MODDTOR: one module's
 * __cxa_finalize (at dlclose, its static destructors) */
enum frame_kind { FK_ATEXIT, FK_PYFIN, FK_TLSDTOR, FK_KEYDTOR, FK_PYATEXIT, FK_PYENDINTERP, FK_DLFINI, FK_MODDTOR,
		  FK_DLCLOSE };

struct tframe { /* (9 bytes, packed: one is kept in each thread's state, tstate.inl) */
	struct event *e;
	unsigned char kind; /* enum frame_kind */
} __attribute__((packed));

/* the findings of a thread that rules come back to (most threads have none: apart from struct
 * tstate, made on the first write, freed after the walk) */
struct tstate_findings {
	struct finding *last_uad;
	struct finding *py_for;    /* the finding its next uad_py, late_py, key_late_py lines (its
				    * Python traceback) belong to */
	struct finding *last_late; /* the last late construction on this thread */
	struct finding *order;     /* the order finding of this thread's Py_Finalize */
};

/* one thread of the process being walked, as of the current event: 36 bytes (a process may have
 * hundreds of thousands of threads, each a state for the whole walk); the events it names are
 * places in the walked process's events (walk_ev), its findings a place in the walk's (tfx), and
 * the first frame of its nest is kept in it (most threads nest one destructor or handler at most) */
struct tstate {
	int tid;
	int tls_dtors;                      /* TLS destructors run on this thread */
	int exit_at;                        /* its exit/main_return/...'s place + 1, 0 if none: walk_ev */
	int thread_exit_at;                 /* its thread_exit's */
	int last_at;                        /* its latest event's */
	unsigned fx;                        /* its findings the rules come back to: their place + 1 in
					     * pstate.fx, 0 if none yet: read with tfx, write with tfx_set */
	unsigned char depth;                /* frames in its stack (at most 64): tstack */
	unsigned char capstack;             /* room in its stack: 1 (inl) or a power of 2 (heap) */
	unsigned char tls_done;
	union {
		struct tframe inl[1];       /* the stack while it has one frame at most */
		struct tframe *heap;        /* else, malloc'd */
	} __attribute__((packed));
};

/* t's nest of begin/end pairs, outermost first (depth frames) */
static inline struct tframe *tstack(const struct tstate *t)
{
	return t->capstack == 1 ? (struct tframe *)t->inl : t->heap;
}

struct pstate {
	struct proc *p;
	struct tstate *t;
	int nt, capt, last;
	int at;           /* the index in p->ev of the event being walked */
	/* each thread id of p, sorted, and its place in t plus one (0: not met yet), made before
	 * the walk (analyze.c: thread_places): a process may have many threads */
	struct tid_place {
		int tid, at;
	} *pos, one;
	int npos;
	struct tstate_findings **fx; /* the threads' findings blocks (tstate.fx), nfx of them */
	int nfx;
};

struct diag_rule {
	const char *family;
	/* event proc_ev(p, at), by thread t (whose state does not yet include a begin event's own frame) */
	void (*event)(struct report *r, struct proc *p, struct tstate *t, int at);
	/* after the last event of p, with the state of all its threads */
	void (*proc_end)(struct report *r, struct proc *p, struct pstate *ps);
	/* after every process was walked: rules across processes and trace files */
	void (*report_end)(struct report *r);
};

extern const struct diag_rule diag_tls, diag_keys, diag_order, diag_crash, diag_outcome,
	diag_signal, diag_signal_py, diag_unload, diag_pyfin, diag_exitrun, diag_hang, diag_stall, diag_timeout;

/* the process being walked, all its threads as of the current event */
extern struct pstate *diag_walk;

/* the event at place at - 1 of the process being walked (a tstate's exit_at, thread_exit_at,
 * last_at), NULL if at is 0 */
static inline struct event *walk_ev(int at)
{
	return at ? proc_ev(diag_walk->p, at - 1) : NULL;
}

/* t's findings to read (all NULL if none) and to write (made on first use; analyze.c), of the
 * walk (diag_walk) */
static inline const struct tstate_findings *tfx(const struct tstate *t)
{
	static const struct tstate_findings none;
	return t->fx ? diag_walk->fx[t->fx - 1] : &none;
}
struct tstate_findings *tfx_set(struct tstate *t);

/* Explanations of a failure (a crash, or a fatal signal the process raised itself) found by a
 * rule that is not the one adding the failure's finding. explain_add keeps the first for each
 * failure event (rules are asked in table order: the most specific first); cause is a finding of
 * its own (listed) or NULL; root and fix are taken over (malloc'd). explain_failure applies the
 * one for f->ev to f unless f already has a cause: 1 if it did. */
struct explanation {
	const struct event *failure;
	struct finding *cause;
	char *phase, *root, *fix;
	char *tls_symbol; /* a thread_local named as the likely cause without a finding of its own */
	const struct module *tls_mod;
	uint64_t tls_address;
	long long destroyed_ns;
};
struct explanation *explain_add(const struct event *failure, struct finding *cause, char *phase, char *root,
				char *fix); /* NULL: the failure had one */
int explained(const struct event *failure);
int explain_failure(struct finding *f);
void explain_free(void);
/* the failure at proc_ev(p, at): a crash line, or a kill line that raised a signal meeting its default
 * action on this process; its frames (the crash's backtrace, or the raise's caller), malloc'd */
int is_failure(const struct proc *p, const struct event *e);
/* e is a `kill` line of pthread_kill or tgkill whose target is another thread than the caller
 * (its tid field, `-` for pthread_kill's of another thread: docs/trace-format.md): a thread
 * stopping the process, not a raise of its own */
int kill_to_other_thread(const struct event *e);
int failure_frames(const struct proc *p, int at, struct frame **bt);
/* the finding of kind added for event e, or NULL */
struct finding *finding_for(struct report *r, const struct event *e, const char *kind);
/* diag_tls.c: a use-after-destroy finding's root cause (fix: 0) or fix (1) built into buf */
const char *uad_text(const struct finding *f, int fix, char *buf, size_t n);
/* A use-after-destroy finding kept folded (report.h: finding_at): what its uad line and its
 * process do not say, 32 bytes in the arena (for 104 of finding, 112 of detail, its frames and
 * its thread_local's name in the string pool: built again from the uad line when read) */
struct uad_fold {
	struct proc *proc;
	const char *phase;  /* (pooled) */
	uint32_t at;        /* its uad line's place in proc->ev */
	uint32_t why_at[2]; /* its detail's uad_ev, each as its place in proc->ev + 1 (0: NULL);
			     * its uad_why in why_at[0]'s top UAD_WHY_BITS bits */
};
#define UAD_WHY_BITS 3
/* diag_tls.c: the finding c stands for built in u (its detail, frames and thread_local's name
 * there too: u->sym, malloc'd, NULL before); -1 if its frames do not fit (UAD_FOLD_FRAMES) */
int uad_fill(struct unfolded *u, const struct uad_fold *c);
/* analyze.c: f, a use-after-destroy finding of the process being walked that its thread's state
 * no longer names (a later one on the thread), folded if nothing else does and uad_fill makes it
 * again exactly; NULL: none */
void uad_fold(struct report *r, struct finding *f);
/* a line of a Python traceback (crash_py, uad_py...: its text the first field) added to f's; f may be NULL */
void finding_add_pyline(struct finding *f, const struct event *e);
/* diag_wait.c: the wait_begin or wait_poll line of p's thread tid (0: any) still open at time
 * until (no reap, wait_end or later wait line of the thread closed it), or NULL; and it in words
 * ("waiting in waitpid for its child 812 (repro) for 4.980 s, which hung in its own teardown
 * (...) and was killed by SIGTERM", "polling waitpid (WNOHANG) for its child 812 (repro) for 3.1
 * s after sending it SIGTERM, which ..."), malloc'd; each wait_poll line's match (its closer) */
const struct event *wait_open(const struct proc *p, int tid, uint64_t until);
void wait_open_all(const struct proc *p, uint64_t until, struct index *ix);
char *wait_words(const struct report *r, const struct proc *p, const struct event *w, uint64_t until);
void wait_polls_match(struct proc *p);
/* diag_wait.c: p's traced children a wait for target (waitpid's pid argument: -1 any) begun at
 * time t could return, by time until: each pid once, its latest program; at most max into out,
 * the count of pids returned */
int children_waited(const struct report *r, const struct proc *p, long long target, uint64_t t, uint64_t until,
		    struct proc **out, int max);
/* diag_wait.c: the traced children of p that wait line w (wait_begin, wait_poll; its pid
 * argument) could return, by time until: each pid once, its latest program (one exec'd: the
 * program it runs); at most max into out, the count returned (0 for a pidfd's wait) */
int wait_children(const struct report *r, const struct proc *p, const struct event *w, uint64_t until,
		  struct proc **out, int max);
/* diag_wait.c: with no wait of p open at until, the children it sent a stop signal and had not
 * reaped, in words (malloc'd, NULL if none) */
char *told_words(const struct report *r, const struct proc *p, uint64_t until);
/* "1.234 ms" or "2.5 s" */
char *duration_text(uint64_t ns);

/* analyze.c: the driver's helpers for rules */
int dtor_function_frame(const struct frame *bt, int n);
char *frame_func_text(const struct frame *f);
const struct tframe *innermost(const struct tstate *t, int kind);
/* where teardown stood on thread t: "exit(1) > atexit handler f > Py_Finalize"; malloc'd */
char *phase_of(const struct proc *p, const struct tstate *t, char py);
/* the phase of python3's main thread in Py_FinalizeEx after its atexit callbacks (the state F;
 * the shim's hang_arm py_fin_late): CPython 3.11's Python/pylifecycle.c, from
 * _PyRuntimeState_SetFinalizing through _PyGC_CollectNoFail and finalize_modules */
#define PY_FIN_LATE_PHASE "Py_FinalizeEx (module teardown and garbage collection, after the atexit callbacks)"
char *teardown_began_text(const struct proc *v); /* diag_outcome.c: what began its teardown, malloc'd */
/* diag_outcome.c: the same with the signal's sender and exit's status ("SIGHUP's arrival from
 * process 812 (uwsgi-core), then exit(17)"), and the sender of arrival a briefly ("process 812
 * (uwsgi-core)"); malloc'd */
char *teardown_began_sent(const struct proc *v);
char *arrival_sender_brief(const struct proc *v, const struct event *a);
/* diag_outcome.c: the arrival of a termination signal at a handler of v's that began its teardown
 * (the watchdog counted from it: hang_arm signal or handler), or NULL */
const struct event *teardown_signal(const struct proc *v);
/* diag_outcome.c: the arrival at a handler of a signal not counted as a teardown's start (SIGHUP)
 * right before the step that began v's teardown, named with it; NULL if none */
const struct event *teardown_step_after_signal(const struct proc *v);
/* diag_outcome.c: the handler a sig_arrive line a of v ran, in words (CPython's C-level handler
 * named as such), malloc'd */
char *arrival_handler_words(const struct proc *v, const struct event *a);
/* diag_outcome.c: the Python-level handler that CPython's C-level handler, run by the arrival a
 * of v, stands for, "on_term (pyterm.py:5)" where the snapshot tells it, "" where it does not;
 * NULL if a's handler is not CPython's. malloc'd */
char *py_handler_named(const struct proc *v, const struct event *a);
/* diag_outcome.c: the handler the arrival a of v ran, named where the trace tells it: a C one as
 * diag_hang.c's code_where names it (at: for text inside parentheses), CPython's as its Python-level
 * handler ("the Python handler on_term (pyterm.py:7)", or with at "... on_term at pyterm.py:7";
 * "the Python handler" where the traceback does not tell it). malloc'd */
char *arrival_handler_named(const struct proc *v, const struct event *a, int at);
/* diag_signal.c: field i of p's line e, a code field (a handler, the caller that installed it), as
 * "ID+0xOFF" where the shim wrote it absolute, in a module it did not know yet (code_parse_at: a
 * library's constructor installing a handler inside its dlopen) or one unloaded since: a
 * handler's one name, whichever line wrote it. buf (32 bytes or more) holds the rewritten token;
 * the field itself otherwise (valid while e is). */
const char *code_tok(const struct proc *p, const struct event *e, int i, char *buf, size_t n);
/* diag_hang.c: a function of the program's where a thread with frames bt[0, nbt) is in it:
 * "f (f.c:6) in prog" (at: "f at f.c:6 in prog"); NULL for an address in no module. malloc'd */
char *code_where(const struct proc *p, const char *tok, const struct frame *bt, int nbt, int at);
/* diag_hang.c: thread tid's frames in p's last complete hang snapshot, malloc'd, *n their number */
struct frame *hang_last_frames(const struct proc *p, int tid, int *n);
/* v's unfinished finding appended to r->findings as v alone (a folded finding: finding_at
 * builds it with unfinished_fill when read); one that v alone does not say all of is added whole */
void add_folded(struct report *r, struct proc *v);
void unfinished_fill(struct finding *f, struct proc *v);
/* f, the last finding added, settled and held by nobody else, folded (report.h: finding_at) if an
 * earlier one had the same words; finding_fold_end when no more are (the lookup freed) */
void finding_fold_like(struct report *r, struct finding *f);
void finding_fold_end(void);
/* a new finding on p at event e (time, thread), appended to r->findings */
struct finding *add_finding(struct report *r, const char *kind, enum severity sev, struct proc *p,
			    const struct event *e);
/* f's texts into the string pool (report.h: str_intern); done by the driver after each process
 * and by rules that add many findings at the end */
void finding_settle(struct finding *f);
/* diag_timeout.c: where the thread that took arrival line a of p (a SIGABRT or SIGTERM another
 * process sent, at a handler) was at that moment, from the shim's sig_where lines: "at app.py:11
 * in application, inside the C call select (libc.so.6)"; NULL where they are not in the trace.
 * With f (may be NULL), its frames and Python lines are added to f where it has none. malloc'd */
char *arrival_where(struct finding *f, const struct proc *p, const struct event *a);
/* diag_timeout.c: the fix of a worker uWSGI's master (its process) killed for harakiri: the
 * --harakiri it was given, where the request's code can be found, what to do; malloc'd */
char *harakiri_fix(const struct proc *master);
/* f's root cause (printf-style) and its fix (a constant text), both malloc'd into f */
void explain_finding(struct finding *f, const char *fix, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* f's backtrace from e's fields first..; fault_first: the first is a faulting pc, not a return */
/* diag_crash.c: the crash report's frames after signal sig sent to p from outside, added to f;
 * 1 if there was one */
int received_signal_frames(struct finding *f, const struct proc *p, int sig);
/* diag_tls.c: the fix's words for thread_local used (its registration seq) read by the destructor
 * of user after its own destructor ran (a thread's thread_locals are destroyed in reverse order
 * of construction): construct used first. Two of one module: declare it first, as g++ 12
 * constructs one file's dynamic thread_locals together in declaration order (its __tls_init),
 * whichever is touched first; malloc'd */
char *tls_order_fix(const struct proc *p, long long used, long long user);
void frames_from(struct finding *f, const struct proc *p, const struct event *e, int first, int fault_first);
/* the same as a new array; *n its length */
struct frame *frames_of(const struct proc *p, const struct event *e, int first, int fault_first, int *n);
/* the same into bt (n frames: e->nf - first) */
void frames_into(const struct proc *p, const struct event *e, int first, int fault_first, struct frame *bt, int n);

/* diag_order.c: 1 if p is uWSGI or handler (an atexit handler's name, or NULL) is its
 * uwsgi_plugins_atexit: where --skip-atexit-teardown is an option */
int host_is_uwsgi(const struct proc *p, const char *handler);

/* Process groups (pgrp.c), from the `pgrp` lines: pgrp_build(r) once before the questions (it
 * keeps a table of the lines, r's processes must stay where they are until pgrp_free). pgrp_at:
 * the process group v was in at time t (ns), its own line's, its parent's move of it, else the
 * group it started in (a forked child's parent's at the fork, an exec'd program's predecessor's);
 * -1 unknown (a trace without pgrp lines). pgrp_groups: the groups v was in, the one it started
 * in first, at most max into out; their count. */
void pgrp_build(const struct report *r);
void pgrp_free(void);
int pgrp_at(const struct proc *v, uint64_t t);
int pgrp_groups(const struct proc *v, int *out, int max);

/* pylock_infer.c: the likely holder of the threading.Lock thread w of f's snapshot waits on
 * (w->waits "lock"), inferred from the source: another thread of the snapshot with a frame inside
 * a `with E:` body of the same file and expression E that w's innermost frame waits at; its tid,
 * and *words (malloc'd): why, in parentheses, saying it is inferred; 0 and NULL if none or
 * several. Reads the file the traceback names. */
int py_lock_inferred_holder(const struct finding *f, const struct hang_thread *w, char **words);

/* Why the last termination signal process p sent (kill) to its child `child` up to time t (ns,
 * CLOCK_MONOTONIC) never arrived there, from the child's own trace: "it ignores SIGTERM: ...",
 * "thread N blocked it ..." (diag_signal.c why_not_arrived); *sig_out (if not NULL) gets the
 * signal, *child_out (if not NULL) the child's process. NULL when no such kill is in p's trace, the
 * child is not traced, the signal arrived, or nothing recorded says why. malloc'd */
char *child_stop_lost(const struct report *r, const struct proc *p, int child, uint64_t t, int *sig_out,
		      const struct proc **child_out);

#endif

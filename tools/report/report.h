/* report.h - tlstrace-report's model: traces parsed into processes, threads and events
 * (parse.c), symbols from the module map (symbolize.c, elfutils libdw), teardown phases and
 * findings (analyze.c drives the rules of diag_*.c), and the renderers over that one model (text.c,
 * json.c, chrome.c, diff.c). */
#ifndef TLSTRACE_REPORT_H
#define TLSTRACE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"

/* ---- events ---- */

enum ev_type {
	EV_UNKNOWN,
	EV_TLSTRACE, EV_FORKED, EV_CONFIG, EV_NOTE, EV_MOD, EV_UNMOD, EV_DLOPEN, EV_DLCLOSE, EV_FORK,
	EV_MAIN_RETURN, EV_EXIT, EV__EXIT, EV_QUICK_EXIT, EV_EXIT_DONE,
	EV_ATEXIT_REG, EV_ATEXIT_RUN, EV_ATEXIT_END,
	EV_THREAD_START, EV_THREAD_EXIT, EV_TLS_DTORS_DONE,
	EV_TLS_REG, EV_TLS_DTOR, EV_TLS_DTOR_END, EV_TLS_LATE_ALLOC,
	EV_KEY_CREATE, EV_KEY_DELETE, EV_KEY_DTOR, EV_KEY_DTOR_END, EV_KEY_LATE,
	EV_PY_FIN, EV_PY_FIN_END, EV_PY_ATEXIT_REG, EV_PY_ATEXIT_RUN, EV_PY_ATEXIT_END,
	EV_UAD, EV_UAD_COUNT, EV_POISON_HIT, EV_UAD_PY, EV_LATE_PY, EV_KEY_LATE_PY,
	EV_CRASH, EV_CRASH_PHASE, EV_CRASH_BT, EV_CRASH_TLS, EV_CRASH_PY, EV_CRASH_END,
	EV_WATCH, EV_POISON,
	EV_KILL, EV_REAP, EV_SIG_HANDLER, EV_LOST, EV_SIG_HANDLED,
	EV_HANG_ARM, EV_HANG, EV_HANG_THREAD, EV_HANG_BT, EV_HANG_PY, EV_HANG_END,
	EV_PY_NEW_INTERP, EV_PY_END_INTERP, EV_PY_END_INTERP_END,
	EV_THREAD_QUIET, EV_DROPPED,
	EV_DL_FINI, EV_DL_FINI_END, EV_CXA_FIN, EV_CXA_FIN_END, EV_DLCLOSE_BEGIN, EV_THREADS_ALIVE,
	EV_SIG_ARRIVE, EV_SIG_MASK, EV_SIG_INHERIT, EV_SIG_IGNORED,
	EV_WAIT_BEGIN, EV_WAIT_END, EV_WAIT_POLL,
	EV_HANG_PYLOCK, EV_HANG_PYHANDLER, EV_HANG_RWLOCK, EV_KILL_SNAP, EV_KILL_SNAP_END, EV_HANG_STDIO, EV_SIG_HANDLER_PY, EV_SIG_HANDLER_PYFN,
	EV_KILL_PY, EV_HANG_FILELOCK, EV_PGRP, EV_SIG_WHERE, EV_SIG_WHERE_PY, EV_CRASH_EXC,
	EV_NTYPES
};

struct proc;
struct proc_side;
struct report;

/* (the members in an order without padding: 24 bytes and the fields, one per trace line kept,
 * each event at an address that is a multiple of 4, not 8 (packed, aligned(4): its time may be
 * read unaligned, never through a pointer to it), 2 bytes an event fewer on average; its pid,
 * file and name are its process's, whose array holds it, and its type's: ev_name; an event of a
 * type that has an end (ev_has_end) keeps a pointer to it first in f (read by memcpy: ev_match),
 * its fields after: ev_fields) */
struct event {
	uint64_t t;         /* CLOCK_MONOTONIC ns */
	int tid;
	int line;           /* where it was read (in proc->file) */
	char py;            /* Python state letter */
	unsigned char type; /* enum ev_type */
	unsigned short nf;  /* number of fields after the event name */
	union {
		struct { /* (analyze.c) */
			unsigned char depth;  /* nesting of begin/end pairs on its thread when it happened */
			unsigned char shown;  /* part of the teardown timeline */
			unsigned char normal; /* looks like a hazard, is normal teardown (no finding) */
		};
		/* while its file is read (parse.c, 0 after): its process's place among the file's,
		 * where no array per event need say it */
		uint32_t file_proc;
	};
	char f[];           /* fields: nf NUL-terminated tokens, back to back (after its end: ev_fields) */
} __attribute__((packed, aligned(4)));

#define ev_name(e) event_type_name((e)->type)
/* 1 if events of this type have an end (tls_dtor, atexit_run, wait_begin, wait_poll ...): room
 * for it is kept in each (8 bytes; the others, most events, have none) */
int ev_has_end(int type);
/* its fields (nf tokens), after its end's room if it has one */
static inline const char *ev_fields(const struct event *e)
{
	return e->f + (ev_has_end(e->type) ? sizeof(struct event *) : 0);
}
/* for a begin event: its end, or NULL (set by analyze: ev_set_match) */
struct event *ev_match(const struct event *e);
void ev_set_match(struct event *b, struct event *e);
/* field i of e (0-based), or "" if absent */
const char *ev_field(const struct event *e, int i);
long long ev_dec(const struct event *e, int i);
unsigned long long ev_hex(const struct event *e, int i);
/* "key=value" field lookup, e.g. crash_phase; returns NULL if absent */
const char *ev_kv(const struct event *e, const char *key);

/* ---- modules ---- */

struct module {
	int id;
	int loaded;
	uint64_t base;
	long tlsmodid;
	const char *buildid; /* hex or NULL (both in the string pool) */
	const char *path;
};

/* a code address as written in the trace, resolved */
struct code {
	const struct module *mod; /* NULL: absolute address, no module */
	uint64_t off;             /* offset in mod, or the absolute address */
};

struct symres {
	const char *func;   /* demangled function name, or NULL */
	uint64_t funcoff;
	const char *file;   /* source file, or NULL */
	int line;
	/* when the address is in code inlined into a function: the line of that function where the
	 * outermost inlined call was made (DW_AT_call_file/line of the DW_TAG_inlined_subroutine), and
	 * the function inlined there; NULL/0 if not inlined or unknown */
	const char *call_file;
	int call_line;
	const char *inlined; /* the inlined function's DWARF name, or NULL */
	/* where the address is in code inlined into the symbol's function: the innermost function of
	 * the program's own source around it (a std::thread's lambda, not libstdc++'s _M_run) and
	 * the line in it; NULL/0 where that is the symbol's function or not known (symbolize.c) */
	const char *prog_func;
	const char *prog_file;
	int prog_line;
};

/* key -> pointer, open addressing (registration numbers to their events, threads to state) */
struct index {
	long long *key;
	void **val;
	size_t cap, n;
};
void *index_get(const struct index *ix, long long key);
void index_put(struct index *ix, long long key, void *val);
void index_free(struct index *ix);

/* int -> int (a value > 0), open addressing, 8 bytes a slot (struct index takes 16), at most 3/4
 * full: a trace's pids to their processes while a file is read (parse.c: hundreds of thousands) */
struct intmap {
	struct intslot {
		int key;
		int val; /* 0: an empty slot */
	} *slot;
	size_t cap, n;
};
int intmap_get(const struct intmap *m, int key); /* 0 if absent */
void intmap_put(struct intmap *m, int key, int val); /* val > 0; replaces key's */
void intmap_free(struct intmap *m);

/* ---- processes and threads ---- */

/* a program and its arguments, each pair once (program_of): a thousand workers share one */
struct program {
	const char *exe;     /* (both in the string pool, NULL if not known) */
	const char *argv;    /* decoded, each argument shell-quoted where it needs it (parse.c), space-separated */
	unsigned id;         /* its place among the programs (struct proc keeps it), 0: none known */
};

struct proc { /* one per process: kept small (48 bytes), a trace may hold hundreds of thousands */
	unsigned ev;         /* where its events are in ev_refs (nev of them, in write order: parse.c,
			      * parser_end): read with proc_ev */
	unsigned prog;       /* its program and arguments: their id (program_of's), read with proc_prog */
	unsigned side;       /* who reaped or killed it (fate_of), its thread_quiet, dropped and lost
			      * lines summed up and its registrations' indexes (routine_of): its side
			      * record's place + 1 in model.c's table of those, 0 if none (most) */
	int pid, ppid;
	int index;           /* order of appearance */
	unsigned end_phase;  /* where teardown stood at its last event (analyze): proc_end_phase */
	unsigned kin;        /* its modules, parent and times when not its first and last events':
			      * its place + 1 in model.c's table of those (proc_mods, proc_parent,
			      * proc_t_first), 0 if none (most processes of a big trace) */
	int nev;
	/* outcome */
	int exit_status;
	unsigned forked : 1;                      /* started by fork, not exec */
	unsigned exit_known : 1;
	unsigned exit_core : 1;                   /* dumped core (known from a reap only) */
	unsigned unfinished : 1;                  /* its trace has no end and nothing tells how it ended */
	unsigned crashed : 1;                     /* a crash was recorded */
	unsigned ended : 1;                       /* exit_done seen */
	unsigned execed : 1;                      /* replaced by a new program (exec) */
	unsigned mods_shared : 1;                 /* its modules are another process's too: copy them
						     to change them (parse.c) */
	unsigned killed_self : 1;                 /* its fate is only that it killed itself with
						     proc_last_fatal's line (fate_of: no side block) */
	unsigned end_tid_at : 2;                  /* where its end_tid is: proc_end_tid */
	unsigned first_at_0 : 1;                  /* proc_t_first is its first event's time */
	unsigned last_at_end : 1;                 /* proc_t_last is its last event's (ev[nev - 1]) */
	unsigned walked : 1;                      /* analyze.c has walked its events: proc_exit_began */
	unsigned running : 1;                     /* no end in its trace, and alive as the report is
						     made: still running (diag_outcome.c still_running) */
	unsigned char format;                     /* its trace's format version (its tlstrace line's,
						     its parent's if forked, else its file's) */
	unsigned char how;                        /* how it ended: proc_how(p), set by proc_set_how */
	int exit_signal;                          /* signal if it died by one (crash + default), as
						     read (a number past 255 too: parse.c skips a line
						     whose signal does not fit an int) */
};
/* p's program and arguments (never NULL: all NULL if not known) */
const struct program *proc_prog(const struct proc *p);
/* Its modules (a forked child shares its parent's until either loads or unloads one: parse.c),
 * its parent (for a forked child, if traced), and the times (ns) of its earliest and latest lines
 * (as the lines were read: the earliest is the last line's time that is below every one before
 * it, or any line's after one of time 0; 0 if it has none): kept in a record apart (model.c,
 * struct proc_kin), made only for a process that has modules or a parent, or whose first and
 * last events are not its earliest and latest (most processes of a big trace have none). */
struct module *proc_mods(const struct proc *p);
int proc_nmods(const struct proc *p);
struct proc *proc_parent(const struct proc *p);
/* the program the same pid ran before p's exec (its trace's `tlstrace` line for that pid came
 * before p's), or NULL; set by the parser (proc_set_exec_before) */
struct proc *proc_exec_before(const struct proc *p);
void proc_set_exec_before(struct proc *p, struct proc *before);
uint64_t proc_t_first(const struct proc *p);
uint64_t proc_t_last(const struct proc *p);
/* (parse.c) mods: in the arena, n of them */
void proc_set_mods(struct proc *p, struct module *mods, int n);
void proc_set_parent(struct proc *p, struct proc *parent);
/* (parse.c: parser_end) p's earliest and latest times, once its events are in p->ev */
void proc_set_times(struct proc *p, uint64_t first, uint64_t last);
/* p's events hidden (nev 0: main.c's --diff of one process of each side), its times kept */
void proc_hide_events(struct proc *p);
/* The chunks the events of every file read live in (parse.c: event_room), numbered in the order
 * made, until report_free. Each event is known by a 4-byte place: its chunk's number (at most 2^14
 * chunks: 16 GB of events) and its offset there in units of 4 bytes (a chunk is at most 1 MB:
 * EV_PLACE_BITS bits; events are 4-aligned), 8 bytes an event less than a pointer; ev_refs holds
 * those of every process, each process's together (proc.ev, nev of them). */
extern char **ev_chunk;
extern uint32_t *ev_refs;
#define EV_PLACE_BITS 18
#define EV_CHUNKS_MAX (1u << (32 - EV_PLACE_BITS))
/* the event whose place is ev_refs[ref] */
static inline struct event *ev_of_ref(unsigned ref)
{
	uint32_t at = ev_refs[ref];
	return (struct event *)(ev_chunk[at >> EV_PLACE_BITS] + ((size_t)(at & ((1u << EV_PLACE_BITS) - 1)) << 2));
}
/* event i of p's (0 to p->nev - 1), in write order */
static inline struct event *proc_ev(const struct proc *p, int i)
{
	return ev_of_ref(p->ev + (unsigned)i);
}
/* p's first exit/main_return/_exit/quick_exit: the end began here (NULL if none, or if analyze.c
 * has not walked p yet: walked; model.c, found again at each call, not kept) */
const struct event *proc_exit_began(const struct proc *p);
/* the sig_arrive line, of a signal that ran a handler of the program's, that is the line just
 * before proc_exit_began(p) on its thread, less than 10 ms before it (uWSGI's worker: its SIGHUP
 * handler gracefully_kill calls exit(17)); NULL if none. model.c */
const struct event *proc_arrival_before_exit(const struct proc *p);
/* the trace file p was read from (its place in r->files): the processes of a file are together in
 * r->procs (r->file_start), none keeps it */
int proc_file(const struct report *r, const struct proc *p);
/* the thread p's end is told of (where its teardown stood: proc_end_phase), 0 if none; set by
 * diag_outcome.c (its pid, most often, is kept as 2 bits; another in its side block) */
int proc_end_tid(const struct proc *p);
void proc_set_end_tid(struct proc *p, int tid);
/* where p's teardown stood at its last event, or NULL (diag_outcome.c sets it: s malloc'd or
 * pooled, kept pooled; its place in a table of such texts is all p keeps) */
const char *proc_end_phase(const struct proc *p);
void proc_set_end_phase(struct proc *p, char *s);
/* how p ended: "exit", "main_return", "_exit", "quick_exit", "signal", "reap" (the name of the
 * event or word given to proc_set_how; kept as a number: a process is small), or NULL if unknown */
const char *proc_how(const struct proc *p);
void proc_set_how(struct proc *p, const char *how);
/* the time (ns) p's times are counted from in the text report, its timeline's and its findings'
 * ("at +687.078 ms") and a finding's own list of times: its earliest event shown in the timeline,
 * else its first line (model.c; final once the rules have marked what is shown) */
uint64_t proc_time_origin(const struct proc *p);
/* 1 if p has a timeline in the text report (an event shown), so that proc_time_origin is its
 * first line's time; 0: its trace's first line's */
int proc_has_timeline(const struct proc *p);

/* model.c: the watch mode of p from its `watch` line (shim/watch.c watch_decide writes one a
 * process, under TLSTRACE_WATCH: "poison", "hw" or "off"; docs/trace-format.md), or NULL where it
 * has none (the last, should a damaged trace have more); *reason (if reason is not NULL) its
 * detail, still %-encoded as in the trace (decode_str), or NULL where the line has none. Both
 * point into p's events: valid while the report holds them. */
const char *proc_watch_mode(const struct proc *p, const char **reason);
/* diag_outcome.c: the arrival line (sig_arrive) of signal sig that ended v, up to until (ns), or
 * NULL: of two with the default action, the one on the thread that wrote the whole snapshot at
 * the signal, else the first; with none, v's last arrival of sig (sig not SIGKILL, which has no
 * arrival line). Reads v's events once (O(events)) */
const struct event *killing_arrival(const struct proc *v, int sig, uint64_t until);
/* diag_crash.c: the reap line of the child whose death by signal the crash line e of p passes
 * on, or NULL: e reports a signal p sent itself (si_code SI_USER 0, SI_TKILL -6 or SI_QUEUE -1
 * from its own pid: raise, kill or sigqueue) and the last child p reaped before it died of that
 * signal (a supervisor that ends as its child did: coreutils timeout.c raises WTERMSIG after
 * waitpid; a shell) */
const struct event *passed_on_from(const struct proc *p, const struct event *e);
/* diag_tls.c: 1 if p's watch mode was hw (its watch line): its poison_hit lines are hardware
 * watchpoint hits on the destroyed object (shim/watch.c trap_handler), not poisoned values */
int watch_hw(const struct proc *p);

/* diag_outcome.c: p's last line that raised or took a fatal signal itself (a kill/raise with the
 * default action, a fatal arrival), or NULL */
const struct event *proc_last_fatal(const struct proc *p);
/* who ended a process, when a trace says (diag_outcome.c); apart from struct proc, since most
 * processes of a big trace end by themselves */
struct proc_fate {
	const struct event *reap;      /* a traced parent's reap line for it */
	struct proc *reaper;
	const struct event *killed_by; /* the kill line that sent the signal it died by */
	struct proc *killer;           /* the process that wrote it */
	const char *stop;              /* a deliberate end by a signal, in words (diag_outcome.c); kept */
};
/* p's fate to read (all NULL if none), and to write (made on first use; freed by report_free).
 * One that says only that p killed itself (100000 processes that abort) is kept as a bit
 * (killed_self) and built when read, into one of 8 buffers that later reads reuse: keep the
 * pointer only while reading it. */
const struct proc_fate *fate_of(const struct proc *p);
struct proc_fate *proc_fate(struct proc *p);
/* p's summed-up lines (and registrations' indexes) to read (NULL if none), and to write (made on
 * first use; freed by report_free) */
const struct proc_routine *routine_of(const struct proc *p);
struct proc_routine *proc_routine(struct proc *p);
/* the fates, routines and details (model.c: side_alloc's chunks), all at once: report_free */
void side_free(void);

/* a process's registrations by number (names.c): n[0] tls_reg lines, then n[1] atexit_reg ones,
 * each part sorted by number, then place in its events */
struct reg_table {
	int n[2];
	struct reg {
		long long seq;
		int at; /* its place in the process's events */
	} v[];
};

/* threads that ended cleanly, each summed up in one thread_quiet line: how many, their
 * thread_local registrations, TLS and key destructor runs; the trace's size bound: lines and
 * bytes the process dropped, routine ones and others (its last dropped line) (analyze.c) */
struct proc_routine {
	struct reg_table *regs; /* its tls_reg and atexit_reg lines by number, built on first use (names.c) */
	long long lines_lost; /* sum of its `lost` lines */
	long long quiet_threads, quiet_regs, quiet_dtors, quiet_keys;
	long long dropped_lines, dropped_bytes, dropped_other_lines, dropped_other_bytes;
};

/* ---- findings ---- */

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct frame {
	struct code code;
	int is_return; /* a return address: symbolize the call before it */
	int unloaded;  /* code.mod had been unloaded when the frame was taken (the trace gave an
			* absolute address; diag_unload.c named it from the module's file): shown so */
};

/* what a crash, hang or thread_local finding (or one that follows from another) adds to one
 * (most findings of a big trace, one `unfinished` per process, have none of it): apart from
 * struct finding, made on first write */
struct finding_detail { /* (the 8-byte members first: 112 bytes, no padding) */
	/* the thread_local involved, if any */
	const struct module *tls_mod;
	char *tls_symbol;
	uint64_t tls_address;
	long long destroyed_ns; /* time since its destructor ran, -1 if n/a */
	uint64_t fault_addr;
	struct frame *bt;
	char **pylines; /* Python traceback lines (crash) */
	struct hang_thread *threads; /* hang: the snapshot's threads (nthreads) */
	struct finding *cause; /* the finding this one follows from (a crash after a use-after-destroy) */
	/* a use-after-destroy's root cause and fix, built when shown (finding_root_cause): why it
	 * happened where it did and the events that say so (diag_tls.c), 0 if they are kept */
	const struct event *uad_ev[2];
	int signal;             /* its signal when it does not fit finding.sig (finding_signal) */
	int si_code;
	int nbt;
	int npy;
	int nthreads;
	unsigned char uad_why, uad_maybe;
	unsigned char has_tls;  /* the tls_ members say a thread_local */
};

struct finding { /* one per finding, and a trace may have one per process: no padding (104 bytes) */
	const char *kind; /* use-after-destroy, crash, construct-during-teardown, order, key-after-destroy,
			     killed, unfinished, signal-handler */
	struct proc *proc;
	uint64_t t;
	char *phase;
	char *message;  /* its message, or what say builds it from (finding_message) */
	void (*say)(const struct finding *f, char *buf, size_t n); /* (one per process: not kept) */
	char *root_cause;
	char *fix;
	const struct event *ev;
	struct group *group;   /* its group (groups.c) */
	struct finding_detail *detail; /* NULL if none: read it with detail_of, write with finding_detail */
	int tid;
	int count;      /* repeated hits folded into this finding */
	int index;      /* its place in report.findings (group_build) */
	unsigned char severity; /* enum severity */
	unsigned char hazard;   /* a hazard, not a failure: kept only where its process has a finding
				 * that is not one (analyze.c) */
	short sig;              /* its signal (crash, killed, handler), 0 if n/a; SHRT_MIN: in the
				 * detail (a number from a trace that does not fit): finding_signal */
};
/* f's signal (0 if none), and to set it (without a detail block for a signal that fits a short:
 * a killed finding per process of a big trace has no other detail) */
int finding_signal(const struct finding *f);
/* Finding i of r->findings (0-based). Three kinds are kept folded, built when read: a process's
 * `unfinished` finding that says nothing its process does not (most of them: 300000 processes
 * that never finished) as the process alone (r->findings[i] is the proc's address + 1), a
 * killed one with the same words as another's (a supervisor's workers) as its process, event and
 * time and the words kept once (struct finding_like's address + 2; analyze.c), and most
 * use-after-destroy ones (below: FOLD_UAD). finding_at builds
 * a folded one into one of FINDING_RING buffers that later reads reuse: keep no pointer to it
 * across other reads; finding_kept makes it whole (in the arena) to change it or keep it.
 * finding_proc is its process without building it, finding_folded says if it is folded. */
#define FINDING_RING 4
struct finding *finding_at(const struct report *r, int i);
struct finding *finding_kept(struct report *r, int i);
struct proc *finding_proc(const struct report *r, int i);
int finding_folded(const struct report *r, int i);
/* what finding_folded says of a folded finding: kept as its process (unfinished), as a killed
 * one's template and place, as a use-after-destroy's (uad_fold) */
enum { FOLD_UNFINISHED = 1, FOLD_KILLED, FOLD_UAD };
/* finding i's kind without building it */
const char *finding_kind(const struct report *r, int i);
/* A third kind kept folded: a use-after-destroy finding whose uad line says all of it but its
 * phase and the events its words name (most: 100000 thread_locals used late), as its process,
 * line, phase and those events (struct uad_fold, diag.h; its address + FOLD_UAD); built with its
 * detail, frames and thread_local name into a struct unfolded (at most UAD_FOLD_FRAMES frames:
 * one with more is kept whole). */
#define UAD_FOLD_FRAMES 8
struct unfolded {
	struct finding f;
	struct finding_detail d;
	struct frame bt[UAD_FOLD_FRAMES];
	char *sym; /* d's tls_symbol (malloc'd, NULL if none: zero it first, free it last) */
};
/* folded finding i built in u (its sym freed first): its index and group as group_build set them
 * (NULL for the only finding of a folded group: group_at builds that group) */
struct finding *finding_unfold(const struct report *r, int i, struct unfolded *u);
/* the process of an entry of r->findings, folded or not */
struct proc *finding_slot_proc(const struct finding *slot);
void finding_set_signal(struct finding *f, int sig);
/* f's root cause and fix: kept in f, or (most use-after-destroy findings: detail uad_why) built
 * into buf (n bytes, MESSAGE_MAX for any) when shown; NULL if none */
const char *finding_root_cause(const struct finding *f, char *buf, size_t n);
const char *finding_fix(const struct finding *f, char *buf, size_t n);
/* f's detail to read (the one of no crash, hang or thread_local if none), and to write (made on
 * first use; what it points to freed by finding_free, it by report_free) */
const struct finding_detail *detail_of(const struct finding *f);
struct finding_detail *finding_detail(struct finding *f);
/* d, of a finding folded (analyze.c: uad_fold), the next one finding_detail makes */
void detail_give_back(struct finding_detail *d);

/* findings of one signature (kind, thread_local or signal, code site, phase) across processes */
struct group {
	const char *kind;        /* (its signature: group_signature) */
	int index;
	int count;               /* findings */
	int *findings;           /* their indices in report.findings, or NULL if they are one run from
				  * one[0]: read with group_finding */
	int *pids, npids;        /* distinct, in order of appearance, or NULL if one per finding (of its
				  * process), or &one[1] if one: read with group_pid */
	uint32_t hash;           /* its signature's (group_build) */
	const struct finding *first;
	int one[2];              /* the first finding and the pid when no array holds them (a trace
				  * may have a group per finding, 100000 thread_locals used late, or
				  * a group of 300000 processes' findings in a row) */
};
/* Group k of r->groups. A group of one folded use-after-destroy finding alone (100000
 * thread_locals used late: a group each) is kept as that finding's index (r->groups[k] is 2 x
 * index + 1: group_folded) and built when read, into one of FINDING_RING buffers that later reads
 * reuse, with its first finding (groups.c): keep no pointer to it across other reads. */
const struct group *group_at(const struct report *r, int k);
int group_folded(const struct report *r, int k);
/* the k-th finding of g (its index in report.findings) and the k-th of its npids pids (groups.c) */
int group_finding(const struct group *g, int k);
int group_pid(const struct report *r, const struct group *g, int k);

/* diag_hang.c: 1 if p->ev[k] is a line of a snapshot the shim wrote as a signal was about to end the
 * process (kill_snap, kill_snap_end and the hang_thread, hang_bt, hang_py... lines between them) */
int kill_snap_line(const struct proc *p, int k);
/* diag_hang.c: p's complete snapshot at a kill (its kill_snap line; *at, unless NULL, its place in
 * p->ev), or NULL: the shim found the process in its teardown as the signal was about to end it */
const struct event *kill_snapshot_of(const struct proc *p, int *at);
/* diag_crash.c: for a signal a thread sent itself (si_code <= 0: abort, raise, pthread_kill), where
 * the program raised it, from its backtrace bt[0, nbt) (innermost first): "by abort() in
 * prof_free(void*, unsigned long)+0x7e (prof.cc:22) in prof", the first frame below glibc's
 * functions that carry it to the kernel (abort, raise, pthread_kill and their internal names,
 * glibc 2.36+: stdlib/abort.c, signal/raise.c, nptl/pthread_kill.c; the outermost of them named as
 * the public call made). NULL where frame #0 is none of those, nothing or the shim's frame follows
 * them (a tail call left no program frame), or libc has no symbols: the caller names frame #0.
 * Needs the symbolizer (sym_init); malloc'd */
char *raised_where(const struct frame *bt, int nbt);
/* diag_crash.c: raised_where for the crash line p->ev[i], from its crash_bt line (NULL if none) */
char *crash_raised_where(const struct proc *p, int i);

/* diag_hang.c: 1 if the snapshot whose hang line is e (of p) is complete (its hang_end follows) */
int hang_snapshot_complete(const struct proc *p, const struct event *e);
/* diag_hang.c: where the snapshot whose hang line is snap (of p) has a hang_pyhandler line for
 * thread tid (the shim found which frame runs the Python signal handler: shim/python.c
 * py_handler_frame; docs/trace-format.md), that frame's place among the thread's traceback frames
 * (0: the innermost), when nframes, the number of frames ("File" lines) in the caller's copy of
 * that thread's traceback (the snapshot's hang_py lines for tid), is the number the line says
 * (else the two were read at different moments); -1 otherwise. snap must be one of p->ev; reads
 * p's events only (linear in them), keeps nothing. */
int hang_pyhandler_place(const struct proc *p, const struct event *snap, int tid, int nframes);

/* one thread of a hang snapshot (diag_hang.c) */
struct hang_thread {
	int tid;
	char state;         /* /proc stat letter */
	char syscall_unknown; /* its line's system call was `?` (/proc/TID/syscall not readable): syscall
			       * is then what its wchan says, or that /proc did not show it */
	char *name;         /* comm */
	char *py_name;      /* its threading.Thread's name where the shim could read it, or NULL */
	char *wchan;
	char *syscall;      /* "futex", "wait4", a number, "running", in words (diag_hang.c syscall_words) */
	const char *waits;  /* mutex, join, futex, child, gil, rlock, lock (a Python one), rwlock, stdio (a
			     * stream's lock: hang_stdio), or NULL */
	uint64_t addr;      /* the futex word (rwlock: the pthread_rwlock_t) */
	char *object;       /* the data symbol holding it ("log_lock"), or NULL */
	int holder;         /* the owner's or joined thread's tid, the awaited child's pid; 0 unknown */
	int holder_alive;   /* the holder is a thread of this process (in the snapshot) */
	char *holder_text;  /* who the holder is, in words, or NULL */
	char *wait_text;    /* a futex wait's glibc call and object in words ("waiting on the semaphore s in
			     * sem_wait (...)": diag_hang.c cond_wait_words), or NULL */
	char *lock_text;    /* a file lock's wait (hang_filelock): "in flock for the file lock on /run/x.pid,
			     * held by process 812 (python3)", or NULL */
	const char *lock_call; /* its call: "flock", "fcntl"; NULL if none */
	char *lock_path;    /* the file, as its descriptor's /proc link names it */
	int lock_holder;    /* the pid /proc/locks names as the lock's holder, 0 if none */
	const char *unwinder;
	struct frame *bt;
	int nbt;
	char **py;          /* its Python traceback lines */
	int npy;
};

/* ---- the whole report ---- */

struct report {
	const char **files;
	int nfiles;
	size_t nev;        /* events read (each is in its process's ev) */
	struct proc **procs;
	int nprocs, capprocs;
	int *file_start, nfile_start; /* the place in procs of each file's first process (proc_file) */
	struct finding **findings; /* in order of time within each process; folded ones: finding_at */
	int *finding_group;        /* each finding's index in groups (group_build) */
	int nfindings, capfindings;
	struct group **groups;     /* groups.c, after analyze */
	int ngroups;
	/* memory the events point into, freed by report_free */
	void **blocks;
	int nblocks, capblocks;
	char *arena;       /* report_alloc's current chunk */
	size_t arena_left;
	char unknown_names[64][32]; /* event types warned about */
	int nunknown;
	/* input problems */
	int unreadable;            /* a file could not be read at all */
	long warnings;
	long unknown_events, garbage_lines, cut_lines;
	int newer_format;          /* the newest format version past the report's read (0: none) */
	size_t bytes_read;
};

/* options */
struct options {
	int json, color, symbols, show_shim_frames, max_frames;
	const char *chrome;
	int diff;
	int pid; /* only this process (0: all) */
	int quiet;
	/* run by the tlstrace wrapper (TLSTRACE_WRAPPED="PID STATUS": its pid, the parent of the
	 * command, and the command's status as its shell got it, 128+N for signal N); 0: not */
	int wrapped_pid, wrapped_status;
};
extern struct options opt;

/* parse.c */
int parse_file(struct report *r, const char *path, int file_index);
int parse_buffer(struct report *r, char *buf, size_t len, int file_index);
void report_keep(struct report *r, void *block);
void *report_alloc(struct report *r, size_t n);
void report_free(struct report *r);
void finding_free(struct finding *f);
void warnf(const struct report *r, int file, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
extern long warn_limit;

/* model.c */
struct proc *proc_new(struct report *r, int pid, int file);
/* the one record of exe and argv (both from str_intern, or NULL), kept until program_free */
const struct program *program_of(const char *exe, const char *argv);
void program_free(void);
struct module *proc_module(const struct proc *p, int id);
void mod_index_free(void); /* proc_module's indexes of big module tables (report_free) */
int code_parse(const struct proc *p, const char *tok, struct code *c);
const char *code_module_name(const struct code *c);
const char *event_type_name(int type);
/* the event type in words for a reader ("a hang snapshot's end", "main's return"): a text report
 * never shows a trace's type names */
const char *event_type_words(int type);
int event_type_of(const char *name);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *decode_str(const char *tok);
size_t decode_into(char *out, const char *tok);
/* word shell-quoted, so that it can be pasted (model.c): out needs SHELL_QUOTE_MAX(strlen(word)) bytes */
#define SHELL_QUOTE_MAX(n) (4 * (n) + 4)
size_t shell_quote_into(char *out, const char *word);
const char *base_name(const char *path);
/* the string pool (model.c): each distinct text kept once, until str_pool_free */
const char *str_intern(const char *s);
size_t str_hash(const char *s, size_t n); /* a hash of the n bytes at s */
int str_interned(const char *s);
char *str_settle(char *s);
void str_free(char *s);
void str_pool_free(void);
int is_shim_module(const struct module *m);

/* names.c */
char *demangled(const char *name);
const struct event *proc_find_reg(const struct proc *p, int type, long long seq);
char *tls_display_name(const struct proc *p, long long seq);
/* the same for its tls_reg line reg (proc_find_reg's: NULL if none) */
char *tls_reg_name(const struct event *reg, long long seq);
const struct module *tls_reg_module(const struct proc *p, long long seq);
/* 1 if thread_local seq of p was declared in Rust (thread_local!): its registered symbol is
 * Rust-mangled (v0 "_R", or legacy "_ZN...17h<16 hex digits>E"). Rust registers each one's
 * destructor at its first use on the thread (std's register_dtor: __cxa_thread_atexit_impl on
 * glibc), so their order is that of first use, not of declaration (names.c) */
int tls_is_rust(const struct proc *p, long long seq);
char *code_func_name(const struct proc *p, const char *tok);
/* (names.c) a C++ type's mangled name as std::type_info holds it ("St12out_of_range") in C++
 * words ("std::out_of_range"), malloc'd; the name as given where libiberty cannot read it */
char *type_demangled(const char *name);
/* (names.c) 1 if the signal handler at code tok of p is CPython's C-level one (signal_handler in
 * Modules/signalmodule.c): by its symbol, or by the trace (p, or a process it was forked from,
 * installed it from signal.signal: a sig_handler line followed by its thread's sig_handler_py
 * lines), or, for traces before those lines, an unnamed address in python3 or libpython */
int cpython_signal_handler(const struct proc *p, const char *tok);
/* (names.c) the signal handler at code tok of p named: its symbol; "signal_handler" for CPython's
 * C-level handler (its name in CPython's source, where the module is stripped); else
 * "module+0xoff (module is stripped)" where the file was read and has no symbol table (the bare
 * module+offset under --no-symbols or where the file could not be read). malloc'd */
char *handler_func_name(const struct proc *p, const char *tok);
/* diag_hang.c: the SIGHUP arrival whose handler the watchdog watched (its first hang_arm says
 * handler_hup: a hang, not a teardown), or NULL */
const struct event *hang_hup_arrival(const struct proc *p);
/* diag_hang.c: 1 if fix is a killed finding's that its process's hang gave it (killed_fix_from_hang:
 * "it was killed while its teardown hung ..." or "... while its SIGHUP handler hung ...") */
int killed_while_hung(const char *fix);
/* 1 if tid is a thread of the shim's own in p (its hang watchdog or handler watcher), not the
 * program's (diag_hang.c) */
int shim_thread(const struct proc *p, int tid);
/* the i-th thread (from 0) of a threads_alive line e: its tid, start routine and Python name
 * (malloc'd; the name NULL if none); 0 past the last */
int alive_thread(const struct proc *p, const struct event *e, int i, int *tid, char **routine, char **name);
/* thread tid's Python name from a threads_alive line of p after e, before the thread's exit (a
 * Python thread's name is read where the shim finds its Thread object, which may come after the
 * fork e is of: FRESH17's "thread 25910 (started at libpython3.11.so.1.0+0x2c2120)" was
 * "refresher"); malloc'd, NULL if none. Reads all of p's lines: for a finding's words, not per line */
char *thread_name_later(const struct proc *p, const struct event *e, int tid);
/* threads_alive line e's threads in words into buf (n bytes, cut there): ' 812 "consumer", 813
 * (io_loop)', each with a leading space: a Python thread by its name, its routine only where it
 * has one of its own (alive_thread) */
void alive_threads_text(const struct proc *p, const struct event *e, char *buf, size_t n);
const char *teardown_words(const char *why); /* "exit" -> "exit()", "fork" -> "fork()" ... */
/* a hang_arm why counted from a signal's arrival at a handler: "handler", "handler_hup",
 * "handler_py", "py_after_handler" (model.c) */
int why_handler(const char *why);
/* "handler_py" (a lock's wait) or "py_after_handler" (a sleep, a poll or a timed wait: HANG15):
 * Python's main thread blocked soon after the arrival at Python's handler, in it or not */
int why_py_after(const char *why);
/* model.c: the arrival (a sig_arrive line, how fn) of a termination signal at Python's handler
 * that the hang_arm line arm of p counts from where arm says py_fin_stack and was written by the
 * handler watcher after that handler returned (shim/watchdog.c hw_main: python3's own
 * Py_FinalizeEx seen on the main thread's stack at a deadline, the hang lines' ms from the
 * arrival, not from arm); NULL for the watchdog's py_fin_stack (seen at a blocking wait) */
const struct event *py_fin_arm_arrival(const struct proc *p, const struct event *arm);
char *code_full_name(const struct proc *p, const char *tok, int is_return);
/* analyze.c: module destructors */
uint64_t thread_end_time(const struct event *e);
/* the modules the dlclose_begin line proc_ev(p, i) unloaded (their ids, at most max), the count */
int dlclose_unloaded(const struct proc *p, int i, long long *ids, int max);
char *dtor_window_at(const struct proc *p, const struct event *dlfini, uint64_t t);
const struct module *code_module(const struct proc *p, const char *tok);
const struct module *module_holding(const struct proc *p, uint64_t addr, uint64_t at_time, int unloaded,
				    const struct event **unmod);
/* the module dlclose had unloaded by time t whose former span (from its file) holds addr, no loaded
 * one holding it then; NULL if none (names.c) */
const struct module *module_unloaded_holding(const struct proc *p, uint64_t addr, uint64_t t,
					     const struct event **unmod);
/* tok (a code token of p, written at time t, ns) as a place in a module the shim did not know
 * then: it writes an address no module it knows holds as absolute ("0x7f87cef8f195"). One in the
 * former range of a module dlclose had unloaded by t (module_unloaded_holding): 1, that module's
 * code, named from its file; else one a module loaded after t holds (the first such: the module
 * being loaded, a library's constructor run inside its dlopen before the shim reads its line):
 * 2; *c so. 0 otherwise (a module token, an address no module held)
 * (names.c) */
int code_parse_at(const struct proc *p, const char *tok, uint64_t t, struct code *c);
/* code_func_name, code_module and code_full_name of a token written at time t (ns), with its
 * module found by code_parse_at; code_full_name_at's with " (unloaded)" after it for a module
 * unloaded by then, as a backtrace frame there is shown; malloc'd */
char *code_func_name_at(const struct proc *p, const char *tok, uint64_t t);
const struct module *code_module_at(const struct proc *p, const char *tok, uint64_t t);
char *code_full_name_at(const struct proc *p, const char *tok, int is_return, uint64_t t);
char *object_name(const struct proc *p, uint64_t addr);
int atexit_is_static_dtor(const struct proc *p, long long seq, uint64_t *obj);
char *atexit_display(const struct proc *p, long long seq, const char *fn_tok);
char *short_name(const char *name);
int object_holds(const struct proc *p, uint64_t obj, uint64_t addr, uint64_t at);
int is_system_module(const struct module *m);

/* symbolize.c */
void sym_init(void);
int sym_lookup(const struct code *c, int is_return, struct symres *out);
void sym_describe(const struct code *c, int is_return, char *buf, size_t n);
const char *sym_func(const struct code *c);
int sym_module_span(const struct module *m, uint64_t *end);
int sym_module_defines(const struct module *m, const char *name);
/* (symbolize.c) 1 if m's file was read and has no symbol table, nor a debug file with one */
int sym_module_stripped(const struct module *m);
char *sym_data(const struct code *c, uint64_t *off, uint64_t *size);
int sym_func_refers(const struct code *c, uint64_t lo, uint64_t hi);
/* (symbolize.c) module m's destructor functions (.fini_array, without crtbegin's
 * __do_global_dtors_aux), at most max, each with the function it tail-calls or NULL; -1 if the
 * file cannot be read */
int sym_fini_functions(const struct module *m, uint64_t *fns, const char **callees, int max);
const char *sym_data_at(const struct proc *p, uint64_t addr);
void sym_finish(void);

/* analyze.c */
void analyze(struct report *r);
/* (analyze.c) sorts ord, n indexes of p's events, by the events' times, equal times in trace
 * order: the trace is in write order, a thread's records written after later ones of others */
void events_in_time_order(const struct proc *p, int *ord, int n);
const char *finding_message(const struct finding *f, char *buf, size_t n);
#define MESSAGE_MAX 8192 /* room for any finding's message: a few trace fields and words */
const char *si_code_name(int sig, int code);
const char *py_state_name(char py);
const char *signal_name(int sig); /* "SIGTRAP", or "signal 40" (a static buffer for unknown ones) */
/* bit sig of a signal set written in hex (bit n: signal n), 0 for a sig outside its 64 bits (a
 * number read from a trace: a shift by it would be undefined) */
int sigset_has(const char *hex, int sig);

/* diag_wait.c: a wait_poll line of a run of empty polls of one child (why long or signal) in
 * words, "3 empty polls over 20 ms, the last 55 ms before a termination signal arrived"; NULL for
 * another line. Its counts are the line's own (shim/signals.c poll_run_line): none after it. */
char *poll_run_words(const struct event *w);

/* diag_outcome.c: a process's program: its executable's name, or for a Python interpreter running
 * a module (python3 -m gunicorn) or an installed script (/usr/bin/gunicorn) that one's: the
 * server a supervisor's signals come from (a copy in one of four rotating buffers) */
const char *prog_of(const struct proc *p);
/* (diag_outcome.c) the value of option opt in p's command line ("--opt V", "--opt=V"; the last);
 * malloc'd, NULL if not there */
char *argv_option(const struct proc *p, const char *opt);
/* "OPT (V s in its command line)" for option opt ("--worker-reload-mercy") given as V in p's
 * command line (argv_option), else "OPT (default DFLT)"; malloc'd. A value set in a config file
 * (uWSGI's --ini, gunicorn's -c) is not seen, and the default is then named. */
char *option_words(const struct proc *p, const char *opt, const char *dflt);
/* senders.c: the name of the sender of sig_arrive line a of report r: the one the shim read at the
 * arrival (field 6), else, where the sender had ended by then ("-"), the one another arrival line
 * of r read for the same pid and uid within 1 s (10 s for the same signal: one blocked until later),
 * else "-". Pointers into r's events. */
const char *sender_comm(const struct report *r, const struct event *a);
/* senders.c: the traced process of r that sent arrival a (its pid, the latest begun by a's time),
 * or NULL (the kernel's "-", not traced) */
const struct proc *sender_traced(const struct report *r, const struct event *a);
/* The index span [*from, returned end) among p's events of the kill_py lines of p's kill line at
 * (its Python traceback: shim/signals.c), the other threads' lines between them included (the
 * caller skips those): right after the kill, or right before it for one that may reach its own
 * process (RET "-", written before the call). diag_signal.c */
int kill_py_span(const struct proc *p, int at, int *from);
/* senders.c: where arrival a (of p) came from, in words, for a sentence "SIGTERM <this> then...":
 * "from the terminal (Ctrl-C: the kernel sent it)", "from the kernel", "from process 812
 * (uwsgi)" (a traced sender by its program, else sender_comm's name; none where not known), and
 * for a SIGABRT to a gunicorn worker its arbiter's worker timeout (ending with a comma: a clause
 * follows). malloc'd. diag_hang.c (a hang's end) and diag_stall.c (a stall's signal) say it so */
char *arrival_from_words(const struct report *r, const struct proc *p, const struct event *a);
/* senders.c: frees the indexes the two above keep (report_free calls it) */
void senders_free(void);

/* diag_signal.c: the site of kill line k of p in words, malloc'd: its caller, or "a signal
 * handler (...)" where the caller is glibc's signal return trampoline (a handler's tail call) */
char *kill_site(const struct proc *p, const struct event *k);
/* diag_signal.c: a sig_handler line that Python code wrote (its sig_handler_py traceback after it) in
 * words, "SIGTERM handler metrics._metrics_term installed by signal.signal at metrics.py:4 (module
 * metrics, imported at app.py:15)"; NULL for another. malloc'd */
char *py_handler_line_words(const struct proc *p, const struct event *e);
/* diag_signal.c: the Python handler sig_arrive line a of p ran, "on_term (set at t.py:7)": the
 * function of the last sig_handler line of that signal before a, where Python code set it
 * (sig_handler_py, sig_handler_pyfn lines) and it is the code the arrival ran (CPython's C-level
 * signal_handler, which marks the signal for the main thread); where no sig_handler_pyfn line
 * names the function (_signal.signal called directly, CPython 3.12), "set at t.py:7 in setup";
 * NULL where the trace does not name it (then the caller says the address). malloc'd */
char *py_arrival_handler(const struct proc *p, const struct event *a);
/* groups.c: one Python traceback line ("  File "/p/app.py", line 11 in at_exit") taken apart, its
 * pointers into the text: 1, or 0 if it names no frame */
struct py_tb_frame {
	const char *path;  /* the file as written, up to its closing quote */
	const char *base;  /* its last path element, blen bytes: "app.py" */
	int blen;
	int line;          /* 0 if not a number ("???") */
	const char *func;  /* to the end of the text: "at_exit", "<module>" */
};
int py_tb_frame_parse(const char *text, struct py_tb_frame *fr);

/* syscalls.c */
const char *syscall_name(long nr);

/* groups.c */
void group_build(struct report *r);
/* g's signature, "kind|thread_local|signal|site|phase" (made again from its first finding), malloc'd */
char *group_signature(const struct group *g);
int py_callback(const struct finding *f, char *buf, size_t n);
int finding_py_callback(const struct finding *f, char *buf, size_t n);
int render_verdict(const struct report *r, FILE *out, const char *indent);
/* The verdict's lines, each given to emit with its words (with ", at N sites" where one line says
 * several groups), the first clause of its fix and the group it stands for; the text report's
 * verdict (render_verdict) and JSON's "verdict" are made by it. Returns the number of lines. */
typedef void verdict_emit(void *ctx, const char *what, const char *fix, const struct group *g);
int verdict_lines(const struct report *r, verdict_emit *emit, void *ctx);

/* renderers; json.c's JSON strings are also chrome.c's */
void json_str(FILE *out, const char *s);
void json_member(FILE *out, const char *key, const char *s);
void render_text(struct report *r, FILE *out);
void render_json(struct report *r, FILE *out);
int render_chrome(struct report *r, FILE *out, const char *path);
int render_diff(struct report *a, struct report *b, FILE *out);

#endif

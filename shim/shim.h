/* shim.h - internal interfaces of libtlstrace.so, shared by the files in shim/.
 *
 * Rules every file follows (they are why the shim can live inside production processes):
 * - every interposed function reaches its real counterpart through REAL() (resolved on first use), saves errno on
 *   entry and restores it before calling the real function or returning;
 * - shim work runs under the per-thread guard (shim_enter/shim_leave) so that a function we call
 *   which lands in another wrapper passes straight through;
 * - the trace writer and everything marked "async-signal-safe" uses no malloc, no stdio, no locks.
 */
#ifndef TLSTRACE_SHIM_H
#define TLSTRACE_SHIM_H

#include <link.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "format.h"
#include "str.h"

#define EXPORT __attribute__((visibility("default")))
/* Large zero-filled arrays that most processes never write: placed after all other data (gcc emits
 * .lbss as NOBITS; ld puts it right after .bss) so that the small variables every process touches
 * share a few pages. In this VM each first write to a page costs ~10 us. */
#define COLD_BSS __attribute__((section(".lbss")))
/* Code no process start runs (the crash report, the unwinder, the checks on threads in teardown,
 * the watchpoints): linked after everything else (shim/layout.ld), out of the pages a start
 * touches. Placement only: the code is compiled as any other. */
#define COLD_TEXT __attribute__((section(".tlstrace.cold")))
/* Cold code and zero-filled data that the end of most processes runs and touches (exit's and
 * main's return's checks, _dl_fini's, python3's finalization): grouped first in the cold code
 * and in a page of their own (shim/layout.ld), so that an exit faults one window of code and one
 * page of data, not one of each per file they come from (measured with perf's page-fault events:
 * docs/design.md, start-up). */
#define EXIT_TEXT __attribute__((section(".tlstrace.cold.exit")))
#define EXIT_BSS __attribute__((section(".lbss.exit")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---- configuration (init.c) ---- */

enum watch_mode { WATCH_OFF, WATCH_POISON, WATCH_HW, WATCH_AUTO };

struct config {
	int signals;   /* TLSTRACE_SIGNALS: install the crash handler (default 1) */
	int to_stderr; /* TLSTRACE_STDERR: crash report on stderr too (default 1); 2 ("line", set by the
			* tlstrace wrapper, which prints the report after the command): the crash's first
			* line only, pointing at that report */
	int watch;     /* TLSTRACE_WATCH: enum watch_mode (default off) */
	int bt_depth;  /* TLSTRACE_BACKTRACE: frames per use-after-destroy (default 16) */
	int debug;     /* TLSTRACE_DEBUG: diagnostics on stderr */
	int hang_ms;   /* TLSTRACE_HANG_MS: snapshot after this long in teardown (default 2000, 0 off) */
	const char *path; /* TLSTRACE_FILE made absolute, in the arena; NULL: no trace */
	unsigned long long max_size; /* TLSTRACE_MAX_SIZE, bytes of the whole file; 0: no bound */
	int all_thread_lines; /* TLSTRACE_THREADS=all: every line of every thread, none summed up */
};
extern struct config cfg;
extern const char *shim_exe; /* /proc/self/exe, read once; "" if unreadable */

/* 1 once the constructor finished and tracing is on; wrappers test it through shim_enter. */
extern atomic_int shim_active;
void shim_init(void);
void shim_debug(const char *msg, const char *detail);
const char *shim_getenv(const char *name); /* getenv, without touching libc's code */

/* ---- real functions (init.c) ---- */

struct real_fns {
	int (*cxa_thread_atexit_impl)(void (*)(void *), void *, void *);
	int (*cxa_atexit)(void (*)(void *), void *, void *);
	void (*cxa_finalize)(void *); /* exitfns.c: module destructors */
	int (*on_exit)(void (*)(int, void *), void *);
	void (*exit)(int) __attribute__((noreturn));
	void (*_exit)(int) __attribute__((noreturn));
	void (*_Exit)(int) __attribute__((noreturn));
	void (*quick_exit)(int) __attribute__((noreturn));
	int (*libc_start_main)(int (*)(int, char **, char **), int, char **, void (*)(void),
			       void (*)(void), void (*)(void), void *);
	int (*pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	void (*pthread_exit)(void *) __attribute__((noreturn));
	int (*pthread_join)(pthread_t, void **);
	int (*pthread_key_create)(pthread_key_t *, void (*)(void *));
	int (*pthread_key_delete)(pthread_key_t);
	void *(*pthread_getspecific)(pthread_key_t);
	int (*pthread_setspecific)(pthread_key_t, const void *);
	pid_t (*fork)(void);
	pid_t (*_Fork)(void);
	int (*clone)(int (*)(void *), void *, int, void *, ...);
	void *(*dlopen)(const char *, int);
	int (*dlclose)(void *);
	int (*sigaction)(int, const struct sigaction *, struct sigaction *);
	void *(*tls_get_addr)(void *);
	int (*kill)(pid_t, int); /* signals.c */
	int (*killpg)(pid_t, int);
	int (*tgkill)(pid_t, pid_t, int);
	int (*pthread_kill)(pthread_t, int);
	int (*raise)(int);
	int (*sigqueue)(pid_t, int, const union sigval);
	int (*sigprocmask)(int, const sigset_t *, sigset_t *);
	int (*pthread_sigmask)(int, const sigset_t *, sigset_t *);
	pid_t (*wait)(int *);
	pid_t (*waitpid)(pid_t, int *, int);
	pid_t (*wait3)(int *, int, struct rusage *);
	pid_t (*wait4)(pid_t, int *, int, struct rusage *);
	int (*waitid)(idtype_t, id_t, siginfo_t *, int);
	int (*sem_wait)(void *); /* python.c */
	/* the resource an int, the limits struct rlimit or rlimit64 (the same on 64-bit) */
	int (*setrlimit)(int, const void *);
	int (*setrlimit64)(int, const void *);
	int (*prlimit)(pid_t, int, const void *, void *);
	int (*prlimit64)(pid_t, int, const void *, void *);
	int (*prctl)(int, unsigned long, unsigned long, unsigned long, unsigned long); /* sandbox.c */
	long (*syscall)(long, long, long, long, long, long, long);
	int (*system)(const char *); /* sigcompat.c */
	ssize_t (*read)(int, void *, size_t); /* reads.c: every python3 start calls these */
	int (*fcntl64)(int, int, ...);
};
extern struct real_fns real;
void real_resolve_one(size_t offset);
void *real_lookup(const char *name); /* the next definition of name after ours (init.c) */
/* *slot, real_lookup(name) stored there first if it is NULL (a table of a file's own, EXIT_BSS:
 * sleeps.c, reads.c); NULL where there is no such function. init.c */
void *real_lookup_once(void **slot, const char *name);
/* string literal s placed in the cold code's section, not in .rodata, which lies before the code
 * a start runs (shim/layout.ld: t040's window): for names only a lookup on first use reads */
#define COLD_NAME(s)                                                                   \
	({                                                                             \
		static const char name_[] __attribute__((section(".tlstrace.cold.names"))) = s; \
		name_;                                                                 \
	})
/* the real function, looked up on first use: a short-lived process pays only for what it calls */
#define REAL(fn) (likely(real.fn != NULL) ? (void)0 : real_resolve_one(offsetof(struct real_fns, fn)), real.fn)

/* ---- per-thread state (init.c) ---- */

struct tls_rec;
struct arena_chunk;

enum thread_teardown {
	TD_EXIT = 1,        /* this thread called exit() or returned from main */
	TD_THREAD_EXIT = 2, /* its start routine returned or it called pthread_exit */
	TD_TLS_DTORS = 4,   /* one of its TLS destructors ran */
};

struct thread_state {
	int in_shim;                   /* reentrancy guard */
	int teardown;                  /* enum thread_teardown bits */
	int in_crash;                  /* inside the crash handler */
	unsigned key_round;            /* glibc's key destructor round, from 1 */
	int last_key;                  /* key of the previous destructor run + 1 */
	struct tls_rec *destroyed;     /* destroyed objects, newest first */
	unsigned ndestroyed;
	unsigned tls_dtors_run;
	struct tls_rec *cur_dtor;      /* innermost running TLS destructor */
	int cur_key;                   /* running key destructor + 1, 0 if none */
	struct arena_chunk *chunks;    /* this thread's record memory */
	struct arena_chunk **chunks_out; /* once retired: where the reclaimer finds them (arena.c) */
	unsigned char *key_bits;       /* NULL, or 128 bytes with a bit per key: its destructor ran on
					* this thread, then 128: key_late already reported (keys.c) */
	void *altstack;                /* sigaltstack we installed (main thread only), or NULL */
	size_t altstack_size;
	uint64_t key_rounds;           /* key destructor calls seen on this thread */
	struct tbuf *tb;               /* kept lines of a routine thread (routine.c), or NULL */
	unsigned term_blocked;         /* termination signals this thread blocks (bit sig), as last
					* seen by the shim: inherited, or set through its wrappers */
	unsigned mask_lines;           /* sig_mask lines written for this thread (signals.c) */
	unsigned wait_poll;            /* its wait_poll line's mark while a poll episode is open, 0
					* none (signals.c) */
	unsigned poll_runs;            /* slots of poll_run in use (signals.c: runs of empty polls of one pid) */
	int poll_stop_arrived;         /* a stop signal arrived at a handler during a run: its line after it */
	int term_handlers;             /* program's termination handlers running on this thread, from
					* term_trampoline (a handler left by siglongjmp stays counted) */
	uintptr_t interrupted_sp;      /* while a signal's default action ends the process
					* (term_default_handler), or while term_trampoline records an
					* arrival at a program's handler: the interrupted stack pointer
					* (bytes), where python.c looks for Py_FinalizeEx on the stack
					* (py_state); else 0 */
	uintptr_t stack_top;           /* the thread's own stack as the shim knows it: the main
					* thread's __libc_stack_end (set at its first arrival), a
					* thread's start frame (0: not known, a thread the shim did
					* not start) ... */
	size_t stack_size;             /* ... and how far below it that stack may reach (bytes):
					* signals.c on_own_stack */
	struct poll_run {              /* a run of this thread's empty WNOHANG polls of one child */
		pid_t pid;             /* the child, 0 a free slot */
		int options;           /* the latest poll's options */
		const char *call;      /* and its call: "waitpid", ... */
		uint64_t t0, last;     /* the run's first and latest empty poll (ns, CLOCK_MONOTONIC) */
		unsigned polls;        /* its empty polls so far (until its line: then no more counted) */
		int noted;             /* its wait_poll line was written */
	} poll_run[4];
	int in_end_interp;             /* inside Py_EndInterpreter (python.c), nested calls counted:
					* the crash line's phase (crash.c). Last: the hot fields keep
					* their short offsets (t040's code window) */
};
extern __thread struct thread_state ts;
/* nonzero when __tls_get_addr must look closer on this thread (tga.S reads it) */
extern __thread int tlstrace_thread_hot;
/* nonzero once any thread of the process has a destroyed object or began teardown: from then
 * on __tls_get_addr goes through the shim (tlsaccess.c) */
extern int tlstrace_tls_watch;

extern atomic_int tlstrace_vfork_live; /* threads.c: threads inside vfork; VFORK_CLONED a CLONE_VM child was made */
int in_vfork_child(void);      /* exitfns.c: a vfork child shares our memory, not our pid */
/* Enter the shim's own work on this thread: 1, then shim_leave; 0 if the shim is off or not yet
 * started, this thread is already inside it, or this is a vfork child (which shares our memory:
 * its exit, kill, abort are its own and write nothing). A call, not inline: ~150 callers, and
 * the start's code must stay within 64 KiB (t040). init.c */
int shim_enter(void);
static inline void shim_leave(void) { ts.in_shim = 0; }

/* process-wide teardown state, read by the crash handler */
struct proc_state {
	atomic_int exit_tid;       /* tid that called exit/returned from main, 0 if none */
	atomic_int exit_status;
	atomic_uint atexit_seq;    /* seq of the running atexit handler + 1, 0 if none */
	atomic_uint atexit_static; /* 1: it is a static destructor (__cxa_atexit with an object: a C++
				    * static's), 0: an atexit or on_exit handler (in the padding before
				    * atexit_fn: no byte more of .bss, t040) */
	atomic_uintptr_t atexit_fn;
	atomic_int pyfin_depth;    /* nesting of interposed Py_Finalize calls */
	atomic_uint main_term_blocked; /* the main thread's blocked termination signals, bit sig (signals.c;
					* in the struct's padding: no byte more of .bss) */
};
extern struct proc_state proc;

/* ---- trace writer (trace.c); all async-signal-safe ---- */

/* A line being built. It starts in the small buffer inside the struct (the caller's frame: a
 * few hundred bytes on a program's thread stack) and moves to a buffer of the shim's line pool
 * (trace.c) when it outgrows it; with the pool exhausted it is cut there. Every tl_begin is
 * followed by a tl_end, which gives the pool buffer back. */
#define TL_INLINE 256
struct tline {
	char *buf;               /* inline, or a pool buffer of TLSTRACE_LINE_MAX bytes */
	unsigned short len, cap;
	unsigned char cut, pooled;
	unsigned char cls;       /* enum tl_class, set by the caller after tl_begin (routine.c) */
	uint64_t t;              /* the line's time */
	char inline_buf[TL_INLINE];
};
/* What a line is to a routine thread's buffer (routine.c): lines of a thread the shim saw start
 * are kept in memory while they are routine and summed up in one line if it ends cleanly. */
enum tl_class {
	TL_MATTERS = 0,   /* the default: the thread's kept lines go out first, then it writes directly */
	TL_NEUTRAL,       /* written directly, the thread stays routine (module map lines) */
	TL_ROUTINE,       /* kept (thread_start, thread_exit, tls_dtors_done, ..._end lines) */
	TL_ROUTINE_REG,   /* kept, counted as a thread_local registration */
	TL_ROUTINE_DTOR,  /* kept, counted as a TLS destructor run */
	TL_ROUTINE_KEY,   /* kept, counted as a key destructor run */
};
void tl_begin(struct tline *l, const char *event);
void tl_begin_py(struct tline *l, const char *event, char py);
void tl_begin_at(struct tline *l, const char *event, uint64_t t);
void tl_str(struct tline *l, const char *s);
void tl_strn(struct tline *l, const char *s, size_t n);
void tl_dec(struct tline *l, long long v);
void tl_hex(struct tline *l, uintptr_t v);
void tl_code(struct tline *l, uintptr_t addr);
void tl_append_code(struct tline *l, uintptr_t addr);
void tl_word(struct tline *l, const char *w);         /* token with no escaping */
void tl_append(struct tline *l, const char *s);       /* glued to the previous token */
void tl_append_dec(struct tline *l, long long v);
void tl_append_hex(struct tline *l, uintptr_t v);
void tl_frames(struct tline *l, const uintptr_t *ips, int n);
void tl_end(struct tline *l);
void tl_end_direct(struct tline *l, int routine);
/* brackets (dl_fini, cxa_fin) written only if a line falls inside them (trace.c) */
int trace_held_open(const char *event, uintptr_t code, int outer);
int trace_held_close(int h);
void trace_held_touch(void);
int trace_open(void);
void trace_fsize_may_change(void); /* RLIMIT_FSIZE may become finite (rlimit.c) */
void trace_write(const char *buf, size_t len);
void trace_write_routine(const char *buf, size_t len);
void trace_dropped_line(void);
void tl_begin_as(struct tline *l, const char *event, pid_t tid, uint64_t t, char py);
void trace_note(const char *text, const char *detail);
/* pgrp.c: a `pgrp` line with this process's group and session as the kernel has them now (two
 * system calls), naming call ("start", "daemon", "forkpty"); async-signal-safe. The caller holds
 * the shim's guard, or writes the process's first lines (init.c). */
void pgrp_write_own(const char *call);
void trace_after_fork_child(pid_t ppid);
void trace_batch_begin(void);
void trace_batch_flush(int stop);
void trace_batch_end(void);
pid_t shim_gettid_for(pid_t pid);
pid_t trace_pid_get(void);
int trace_fd_get(void);
/* fd moved above the numbers the program uses, as the trace's (trace.c); returns the new
 * number, or -1 (fd closed) where it would stay within the program's limit. async-signal-safe */
int fd_place_high(int fd);
size_t fmt_dec(char *out, long long v);
long proc_read(const char *path, char *buf, size_t cap); /* trace.c: a /proc file, raw calls */
size_t fmt_hex(char *out, uintptr_t v);
uint64_t now_ns(void);
uint64_t now_coarse_ns(void); /* CLOCK_MONOTONIC_COARSE, for rate limits (trace.c) */
void trace_sandboxed(void);
/* the program has read the clock through the vDSO itself: the shim's clock goes there too */
void trace_clock_program_read(void);
extern atomic_int trace_sandboxed_flag;
/* sandbox.c: 1 under a seccomp filter (the program's, or inherited across exec: /proc/self/status
 * read once), 2 where that file cannot be read; the caller then makes only the calls every
 * program makes. async-signal-safe */
int seccomp_filtered(void);
/* filter.c: the families of the shim's system calls a seccomp filter of the program's refuses
 * (its program run by the shim before it goes in: filter_check), OR'ed over every filter seen;
 * FILTER_UNSEEN: a filter not seen refused a call (the clock's errno, trace.c) */
enum { FILTER_TRACE = 1, FILTER_SIGNALS = 2, FILTER_WATCHDOG = 4, FILTER_PROC = 8, FILTER_UNSEEN = 16, FILTER_HW = 32 };
extern atomic_int filter_refused;
/* filter.c: prog, the program's struct sock_fprog *, run over the shim's calls before it goes
 * in; a refused family turned off (a note says which call). async-signal-safe */
void filter_check(const void *prog);
/* filter.c: the call a filter refuses the hang watchdog's thread, or NULL. No system call */
const char *filter_watchdog_refused(void);
void filter_watchdog_note(void); /* filter.c: the note "hang watchdog not started: ..." */
/* filter.c: 1 if /proc may be read under the program's filters (all seen, openat allowed) */
int filter_allows_proc(void);
/* filter.c: the call the program's filter refuses the termination handler's watcher (watchdog.c
 * hw_make_one), or NULL; and the note that says so, once */
const char *filter_hw_refused(void);
void filter_hw_note(void);
/* sandbox.c: up to len (<= 65536) bytes of our own memory at addr, never faulting: the bytes
 * read, or -1; process_vm_readv, or a pipe under a filter. errno kept. async-signal-safe */
long self_read(uintptr_t addr, void *buf, size_t len);
/* glibc's syscall(): the number and up to six arguments, -1 and errno on failure; raw, so the
 * shim's own calls do not go through its syscall wrapper (sandbox.c). In the cold code: a start
 * and a thread's path use sys.h's calls. async-signal-safe */
long shim_syscall(long nr, ...);
void trace_clock_hold(void);
void trace_open_done(void);
void trace_clock_release(void);
pid_t shim_gettid(void);
void shim_tid_from_pthread(void);

/* ---- routine records: per-thread buffers, summaries, the size bound (routine.c) ---- */

struct tbuf;
/* A line of a routine kind: written now, or on a routine thread kept as a record (event, time,
 * Python state, four values) and formatted by fmt only if it must be written after all. */
typedef void (*line_fmt)(struct tline *l, const uintptr_t *a);
void routine_line(const char *event, enum tl_class cls, char py, line_fmt fmt, uintptr_t a0, uintptr_t a1,
		  uintptr_t a2, uintptr_t a3);
void fmt_nothing(struct tline *l, const uintptr_t *a);
void fmt_word(struct tline *l, const uintptr_t *a);   /* a[0]: a string */
void fmt_dec1(struct tline *l, const uintptr_t *a);   /* a[0]: a number */
int routine_keep(struct tline *l);  /* from tl_end: 1 if the line was kept, not written */
void routine_thread_start(pid_t parent, uintptr_t routine);
void routine_thread_exit(const char *how);
int routine_thread(void);           /* the calling thread is routine (nothing written of it yet) */
void routine_thread_loud(void);     /* its kept lines out now; from now on it writes directly */
void routine_summary(struct tbuf *b); /* its thread is gone: one line, or its lines (threads.c) */
void routine_flush_all(int reclaim); /* kept lines and summaries out (teardown, crash) */
extern int routine_used;
/* Before a finding's line (a late registration, a use-after-destroy, a key used after its
 * destructor, a poisoned access): what every thread keeps goes out first, so that the report sees
 * other threads' ends (a thread_local destroyed on another thread) before it. */
static inline void routine_before_finding(void)
{
	if (routine_used)
		routine_flush_all(0);
}
/* the same where a process without routine threads must not reach cold code: where teardown
 * begins (exit, Py_Finalize: the kept lines of threads that ended since the last thread creation
 * come before it, in full) and at the end (reclaim: the summaries too) */
static inline void routine_flush_end(int reclaim)
{
	if (routine_used)
		routine_flush_all(reclaim);
	else
		trace_dropped_line();
}
void routine_before_fork(void);
void routine_after_fork_child(void);

/* ---- modules (modules.c) ---- */

struct elf_symtab;
struct module {
	uintptr_t base;            /* l_addr */
	uintptr_t lo, hi;          /* lowest and highest address of its PT_LOAD segments */
	const ElfW(Phdr) *phdr;    /* identifies the loaded object */
	int phnum;
	int dyn_ok;                /* dyn_* below are filled (modules.c) */
	const void *dyn_sym, *dyn_str, *dyn_hash, *dyn_versym; /* its .dynamic, read once */
	size_t tls_modid;          /* glibc TLS module id, 0 if no PT_TLS */
	size_t tls_memsz;
	int id;
	atomic_int loaded;
	int is_self;               /* libtlstrace.so itself */
	int seen_gen;              /* last modules_sync pass that saw it */
	const char *path;
	struct elf_symtab *_Atomic symtab; /* the file's .symtab/.dynsym, mapped on first need */
};
void modules_sync(void);
int shim_dl_iterate(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data); /* dl_iterate_phdr, fork-safe */
void loader_enter(void); /* around the program's dlopen/dlclose */
void loader_leave(void);

/* ---- the start-up page (arena.c) ----
 * What every process writes before main, in .bss, which with .data fills the one page of the
 * shim that ld.so writes anyway (it zeroes the page's tail beyond .data): in this VM the first
 * touch of any other page costs a fault of ~15 us. STARTUP_BYTES is what the rest of .data and
 * .bss leave of that page; t040 fails when they outgrow it. Each region overflows into memory of
 * its own beyond it. python3 -c pass: 8 modules, a 1124-byte header and module map; of the arena
 * python3 -S -c pass uses 288 bytes, /bin/true 160 (gdb: first_chunk.used at _exit). */
#define STARTUP_BYTES 2784
#define MOD_HOT 8    /* first modules of the table (modules.c) */
#define BATCH_HOT 1184 /* the lines collected before main (trace.c), flushed when full */
struct held_slot {              /* a begin line held back (trace.c) */
	atomic_uint state;
	char py;
	const char *event;
	uintptr_t code;
	uint64_t t;
};
#define HELD_MAX 4
/* A line kept to be written later (signals.c: a termination signal's arrival at a program's
 * handler, and what that handler installs, written after it). state: ARR_* in signals.c. */
struct kept_line {
	atomic_int state;
	int sig, code;     /* an arrival's si_code; a handler line's flags */
	pid_t pid, uid, tid;
	uintptr_t handler;
	uintptr_t caller;  /* a handler line's call site; an arrival's interrupted stack pointer (0 not
			    * known), from which its line's state letter is read (python.c py_state_interrupted) */
	const char *call;  /* a handler line's call ("signal", ...); NULL for an arrival */
	uint64_t t;        /* ns, CLOCK_MONOTONIC */
};
#define KEPT_MAX 8
/* What the arrival of a termination signal at a program's handler writes before that handler
 * runs (signals.c, watchdog.c). Once main began it lives in the start-up page, which every
 * process, and every fork child (trace_after_fork_child), has written already: the first write
 * to any other page costs a fault of ~20 us here, and until the handler sets SIG_IGN a second
 * signal may run it on another thread (t122, bench/run race). Before that, in a page of its own
 * (signal_keep, trace.c). */
struct signal_keep {
	_Atomic uint64_t arrival_ns;   /* the latest arrival at a handler: ns, CLOCK_MONOTONIC */
	atomic_int arrival_pid;        /* ... in this process (not a fork parent's) */
	atomic_int arrival_tid;        /* ... on this thread */
	struct kept_line line[KEPT_MAX];
};
struct signal_keep *signal_keep(void);       /* the one in use (trace.c); async-signal-safe */
struct signal_keep *signal_keep_early(void); /* the one of before main, read by flushes (trace.c) */
struct startup_page {
	struct module mods[MOD_HOT];
	union { /* trace.c: the batch until main starts, then the held begin lines and signals.c's kept lines */
		char batch[BATCH_HOT];
		struct {
			struct held_slot held[HELD_MAX];
			struct signal_keep keep;
		};
	};
	_Alignas(16) char arena[STARTUP_BYTES - BATCH_HOT - MOD_HOT * sizeof(struct module)]; /* arena.c */
};
extern struct startup_page startup;
struct module *module_of(uintptr_t addr);
/* modules.c: the version ("GLIBC_2.15") m's import of name binds to, NULL if none */
const char *module_import_version(const struct module *m, const char *name);
int mapped_pointer(uint64_t v); /* watch.c */
struct module *module_by_tls_modid(size_t modid);
struct module *module_by_id(int id);
int module_count(void);
void modules_after_fork_child(void);
const char *module_tls_symbol(struct module *m, size_t off, size_t *symoff, size_t *size);
uintptr_t module_dynsym_lookup(struct module *m, const char *name);
uintptr_t module_dynsym_lookup_size(struct module *m, const char *name, size_t *size);
/* [*lo, *hi): the code of m's one .eh_frame FDE that covers addr (a function, or a part GCC split
 * off one, such as `.cold`); 0, or -1 without one. async-signal-safe (modules.c) */
int module_fde_range(const struct module *m, uintptr_t addr, uintptr_t *lo, uintptr_t *hi);
void *libc_function(const char *name);
void *next_definition(const char *name);
void *next_definition_walk(const char *name);
void *vdso_function(const char *name); /* async-signal-safe */
int dl_info_holds(const struct dl_phdr_info *info, uintptr_t addr);
int file_name_is(const char *path, const char *name); /* path's last component is name */
const char *module_func_name(struct module *m, uintptr_t addr, uintptr_t *symoff);
void module_got_slots(struct module *m, const char *name, int (*keep)(const ElfW(Dyn) *, const char *),
		      void (*each)(struct module *, void **, void *), void *arg);
int module_got_store(struct module *m, void **slot, void *value);
int module_self_addr(uintptr_t addr);

/* ---- memory for records (arena.c) ---- */

void *arena_global_alloc(size_t size);
char *arena_strdup(const char *s); /* NULL if out of memory */
void *arena_thread_alloc(size_t size);
void *arena_thread_take(size_t size); /* not zeroed */
void arena_thread_detach(struct arena_chunk **out);
void arena_chunks_free(struct arena_chunk *c);

/* ---- C++ thread_local records (cxa.c) ---- */

#define TLS_SITES 4
struct tls_rec {
	void (*dtor)(void *);
	void *obj;
	void *dso;
	unsigned seq;
	atomic_int state;          /* 0 registered, 1 running, 2 destroyed */
	struct module *mod;        /* module whose TLS block holds obj, or NULL */
	size_t tls_modid, tls_off;
	const char *sym;
	size_t symoff, size;
	uint64_t destroyed_ns;
	struct tls_rec *next_destroyed;
	uintptr_t site[TLS_SITES];
	unsigned site_hits[TLS_SITES];
	unsigned other_hits;
};
struct tls_rec *tls_destroyed_at(size_t modid, size_t off, int *how_exact);
void tl_tls_place(struct tline *l, const struct tls_rec *r);
int tls_module_has_destroyed(size_t modid);
void tls_flush_counts(void);
const char *thread_late_reason(char *py);

/* ---- exit functions (exitfns.c), threads (threads.c), keys (keys.c) ---- */

void exitfns_init(void);
void threads_setup_current(void);
void threads_reclaim(int probe);
void thread_note(void);

/* ---- Python (python.c) ---- */

char py_state(void);
extern atomic_int py_ready; /* python.c: the interpreter's module and functions were found */
/* a process with an interpreter: one relaxed load, the test the shim's hot wrappers make first */
static inline int py_interp_found(void) { return unlikely(atomic_load_explicit(&py_ready, memory_order_relaxed)); }
/* the calling thread is about to block (a lock wait; sleeps.c: a sleep, poll or timed wait with a
 * timeout not zero; reads.c, signals.c: a read, a wait for a peer, a signal, a lock or a child):
 * on python3's main thread inside its own Py_FinalizeEx, teardown begins (the
 * hang watchdog): PY_FIN_BEGAN, or PY_FIN_SIGNALLED if a SIGTERM, SIGINT or SIGQUIT arrived at a
 * handler of this thread meanwhile (the wait then returns EINTR at once: python.c); 0 if not.
 * After py_interp_found; errno may change (python.c) */
enum { PY_FIN_BEGAN = 1, PY_FIN_SIGNALLED = 2 };
int py_fin_blocking(void);
/* the same for a call on descriptor fd (reads.c) that blocks only where fd does: fd_may_block(fd)
 * asked after the cheap gates, before the stack scan (fd < 0: none to ask) */
int py_fin_blocking_fd(int fd);
int py_fin_signal_restarts(void); /* a termination handler has SA_RESTART (python.c) */
/* a read, recv or accept on fd may wait (reads.c): fd is open, not O_NONBLOCK, and no regular
 * file, directory, block device or character device that seeks (those never wait for a peer;
 * not told apart: /dev/random before its pool is ready), or an anonymous inode that seeks
 * (eventfd, timerfd, signalfd, inotify: they wait for an event); 1 where it cannot be told (the
 * process sandboxed itself: no system call of the shim's). Two raw system calls; errno kept */
int fd_may_block(int fd);

/* Before a call of the program's that may block (sleeps.c, reads.c; may_block: the call's
 * arguments say it may, fd >= 0: and so does its descriptor, fd_may_block): a C termination
 * handler's watcher put off from its arrival (watchdog.c) is made now if this thread runs that
 * handler (it blocks: a sleep, a poll, a read), or taken by this thread if another thread's
 * handler published it (watchdog_before_block, below: a thread whose only calls are a sleep loop
 * takes it too); then python.c's test (BLOCKING_PY). */
#define BLOCKING_FD(fd, may_block, interrupted)                                                 \
	do {                                                                                    \
		/* (fd_may_block's system calls only inside such a handler) */                  \
		watchdog_before_block(unlikely(hw_put_off.sig) && (may_block) &&                \
				      ((fd) < 0 || fd_may_block(fd)));                          \
		BLOCKING_PY(fd, may_block, interrupted);                                        \
	} while (0)
/* python.c's test, in a process with an interpreter only (signals.c's waits call it alone: they
 * make the watcher their own way). Where a termination signal arrived at a handler while the
 * test began the teardown (PY_FIN_SIGNALLED), `interrupted` returns what the call returns when a
 * handler cuts it short (EINTR, the time left) after acting on a pending cancellation as the
 * call would (pthread_testcancel: the caller includes pthread.h): Python then runs its handler
 * now, as it would had the signal come a moment later, inside the call (python.c
 * fin_signal_since). errno kept. */
#define BLOCKING_PY(fd, may_block, interrupted)                                                 \
	do {                                                                                    \
		if (py_interp_found() && (may_block)) {                                         \
			int saved_ = errno, fin_ = py_fin_blocking_fd(fd);                      \
			errno = saved_;                                                         \
			if (unlikely(fin_ == PY_FIN_SIGNALLED)) {                               \
				pthread_testcancel();                                           \
				interrupted;                                                    \
			}                                                                       \
		}                                                                               \
	} while (0)
#define BLOCKING(may_block, interrupted) BLOCKING_FD(-1, may_block, interrupted)
#define EINTR_RETURN            \
	do {                    \
		errno = EINTR;  \
		return -1;      \
	} while (0)
/* py_state as the code a signal interrupted at stack pointer sp saw it (0: the caller's own) */
char py_state_interrupted(uintptr_t sp);
void py_startup(int preloaded); /* from init: whether the shim came with the program's start */
void py_main_started(void);
char py_state_at(const uintptr_t *ips, int n);
char py_state_here(void);
void py_resolve_from(struct module *m);
void py_module_gone(struct module *m);
void py_dlclose_begin(void);
void py_dlclose_end(void);
int py_dump_traceback(int fd);
int py_dump_all_threads(int fd);
int py_dump_interpreters(int fd); /* the hang watchdog's: every interpreter */
/* 3.11's faulthandler lines with the frames' qualified names (co_qualname): python.c */
struct py_qual {
	uintptr_t ident; /* the thread the last header named (its thread_id, a pthread_t) */
	uintptr_t frame; /* its frame the last frame line was about (_PyInterpreterFrame *), 0 none yet */
	int done;        /* a frame was not found: the block's other lines keep co_name */
};
const char *py_line_qualified(struct py_qual *q, const char *line, char *out, size_t cap);
int py_gil(uintptr_t *gil, pid_t *holder); /* the hang watchdog's: the GIL and its holder */
#define PY_GIL_SIZE 208 /* struct _gil_runtime_state, 3.11 to 3.14 on x86-64 glibc */
int py_thread_name(pid_t tid, char *out, size_t cap); /* a threading.Thread's name (3.11) */
/* what a thread blocked on a Python lock waits for (python.c py_lock_wait; hang_pylock lines) */
struct py_lock_wait {
	const char *what; /* "join", "rlock", "lock"; NULL: not known */
	uintptr_t lock;   /* the lock object (a 3.13+ join: the joined thread's handle's event) */
	pid_t holder;     /* the joined thread's or the RLock owner's tid, 0 none or not known */
};
int py_lock_wait(uintptr_t futex, uintptr_t sp, struct py_lock_wait *w);
int py_trace_traceback(const char *event, char py, int all);
void py_trace_traceback_deep(const char *event, char py); /* on a shim stack, for findings */
int py_signal_handler_name(char *mod, size_t nmod, char *qual, size_t nqual); /* python.c: signal.signal's handler */
/* Py_AtExit (pyatexit.c) */
void pyatexit_found(struct module *m, void *real); /* python.c: the module defining Py_AtExit */
void pyatexit_module_added(struct module *m);
void pyatexit_module_gone(struct module *m); /* python.c: a module being unloaded */
int py_read(uintptr_t addr, void *buf, size_t len); /* python.c: read, or -1 where it would fault */
void pyatexit_finalizing(void); /* a call seen during a finalization the shim cannot interpose */
void pyatexit_scan(void); /* the interpreter's list read: after a dlopen, as finalization starts */
int py_exitfuncs_where(uintptr_t *fns, uintptr_t *count); /* python.c: where that list is */

/* ---- __tls_get_addr (tlsaccess.c, tga.S) ---- */

void tlsaccess_thread_hot(void);
void tlsaccess_module_added(struct module *m);
void modwsgi_module_added(struct module *m); /* modwsgi.c */
int tls_dtv_allocated(size_t modid);

/* ---- backtraces (unwind.c) ---- */

int unwind_here(uintptr_t *ips, int max);
int unwind_from_signal(void *ucontext, uintptr_t *ips, int max, const char **how);
void unwind_fault_escape(int sig, const siginfo_t *si); /* for the crash handler: returns unless a walk faulted */

/* ---- the shim's own stacks (stacks.c) ---- */

int shim_stack_run(void (*fn)(void *), void *arg); /* 1 if fn ran, 0 if no stack was free */
void stacks_after_fork_child(void);

/* ---- crash handler (crash.c), static-TLS modes (watch.c) ---- */

void crash_init(void);
void crash_thread_init(void);
/* crash.c: the main thread's signal stack cut to 64 KiB, for a program's mlockall that failed
 * with ENOMEM (rlimit.c); 1 if cut. async-signal-safe */
int crash_altstack_shrink(void);
void crash_after_fork_child(void); /* threads.c: a fork or clone child that is its pid namespace's init */
int crash_exit_check(void);    /* exit paths: a handler of the program ending the process (1) */
void crash_flush_counts(void); /* sig_handled lines; async-signal-safe */
void watch_init(void);
void watch_destroyed(struct tls_rec *r);

/* ---- hang watchdog (watchdog.c) ---- */

void threads_alive_line(const char *at, int py); /* threads.c: the threads alive, one line */
void watchdog_teardown(const char *why);
/* Before code of the program runs in a teardown: the watchdog's thread, if the teardown began
 * without one */
void watchdog_may_hang(const char *where);
int exitfns_main_seen(void);   /* exitfns.c: main was wrapped (the shim came with the start) */
int threads_live_count(void);  /* threads.c: threads the shim saw start and not end */
int watchdog_armed(void);
/* around a call of the program's that the watchdog's thread would make fail (a call Linux
 * refuses in a process of more than one thread: namespaces.c, any 0; a retry after EAGAIN, a
 * task limit: any 1): aside ends the thread (1 if it did), back, after the call and only then,
 * makes it again (later: at the next step that may hang). The caller is outside the shim. */
int watchdog_aside(int any);
void watchdog_back(int later);
void watchdog_resume_deferred(void); /* python.c: a blocking call; the thread if it is to be made */
/* namespaces.c: 1 if system call nr with arguments a0, a1 needs a single-threaded process
 * (SYS_unshare, SYS_setns): watchdog_aside(0) and watchdog_back(0) around it */
int ns_needs_one_thread(long nr, long a0, long a1);
pid_t shim_fork(void);                         /* threads.c: the shim's fork, called directly */
__attribute__((noreturn)) void shim__exit(int status); /* exitfns.c: the shim's _exit, likewise */
void watchdog_after_fork_child(void);
/* before fork/_Fork: a Python handler's watcher thread ends first (watchdog.c) */
void watchdog_before_fork(void);
/* around a program's handler of a termination signal (signals.c): a watcher of a handler that
 * does not return; begin returns what end takes. async-signal-safe */
int watchdog_handler_begin(int sig, int flags, const void *handler, uintptr_t frame);
void watchdog_handler_end(int made);
/* a C handler's watcher put off from its arrival (a process whose other threads may take the
 * signal; watchdog.c), per thread; sig 0: none */
struct hw_put_off {
	int sig, flags, made;
	atomic_int taken; /* published and taken by another thread: 0 not (yet), 2 it made the
			   * watcher, 3 it made none */
	pid_t tid;        /* the handler's thread */
	uint64_t t;       /* the arrival, ns CLOCK_MONOTONIC */
	uintptr_t frame;  /* the stack pointer the handler was called with */
	uintptr_t tp;     /* the handler's thread's thread pointer (its dtv for the watcher) */
};
extern __thread struct hw_put_off hw_put_off;
void watchdog_handler_action(int sig, const void *handler); /* sig's action became handler */
int watchdog_handler_join(pthread_t t, void **retval);      /* pthread_join in that handler */
void watchdog_handler_blocks(void); /* that handler blocks in an interposed wait (the wait family,
				     * sem_wait, sigwaitinfo): the watcher first */
void watchdog_handler_left(uintptr_t sp); /* a siglongjmp to stack pointer sp (crash.c) */
/* one put-off record published process-wide (its address; | 1 once another thread took it),
 * for the other threads' cold paths: watchdog_put_off_poll */
extern atomic_uintptr_t hw_pending;
void watchdog_put_off_take(void);
/* In a cold path of any thread (a trace line, a thread's start or end, an interposed wait, join
 * or mask change): a handler whose watcher was put off has run for a while on another thread,
 * which may be blocked: the watcher made from here (watchdog.c). One load when none is. */
static inline void watchdog_put_off_poll(void)
{
	if (unlikely(atomic_load_explicit(&hw_pending, memory_order_relaxed)))
		watchdog_put_off_take();
}
/* Before an interposed call that may block (sleeps.c's sleep, poll and timed-wait family, sem_wait,
 * sigtimedwait, the wait family, pthread_join; PY10's read and recv): watchdog_put_off_poll, then,
 * if this thread runs a C termination handler whose watcher was put off (hw_put_off.sig) and
 * may_block says the call may block, that watcher now (watchdog_handler_blocks: the handler
 * blocks). Returns nonzero when this thread runs such a handler, for a caller that acts on it
 * itself (pthread_join: a join bounded by the watch, watchdog_handler_join; it passes 0). One
 * load and one thread variable's when nothing is put off; a may_block that costs a system call
 * is best computed only when hw_put_off.sig is set (python.c, signals.c). The name and signature
 * are kept for the other interposers that call it. async-signal-safe */
static inline int watchdog_before_block(int may_block)
{
	watchdog_put_off_poll();
	if (unlikely(hw_put_off.sig) && may_block)
		watchdog_handler_blocks();
	return hw_put_off.sig;
}
/* a termination signal arrived at Python's C-level handler less than TLSTRACE_HANG_MS ago, and
 * the main thread has not blocked since (python.c asks before a blocking sem_wait of it) */
int watchdog_py_arrival_pending(void);
extern atomic_int wd_arrival_py; /* nonzero: the call above may say yes (python.c's fast test) */
/* ... and now it blocks (in_handler: inside the Python handler, seen on the stack; sleep: in a
 * sleep, a poll or a timed wait, sleeps.c, not a lock's sem_wait): the watchdog, from the
 * arrival; 1 if the caller must call watchdog_py_wait_end after the wait */
int watchdog_py_handler_blocks(int in_handler, int sleep);
/* python.c, for sleeps.c: the main thread of a Python process is about to sleep, poll or wait with
 * a timeout of timeout_ns (UINT64_MAX: none) after a termination signal's arrival or in a
 * watched teardown (retry: its last such call was cut short by a signal, and CPython retries it):
 * 1 if the caller must call watchdog_py_wait_end after its call */
int py_reaction_sleeps(uint64_t timeout_ns, int retry);
int watchdog_py_wait_begin(void); /* a later blocking wait of the main thread: the same */
void watchdog_py_wait_end(void);
int py_owns_code(uintptr_t pc);        /* python.c: pc is in the interpreter's module */
void py_handler_prepare(void);          /* python.c: before py_handler_frames (async-signal-safe) */
int py_handler_frames(const uintptr_t *ips, int n); /* python.c: a return address into the code running Python's signal handlers */
/* python.c: the place of the main thread's Python handler among its frames (3.11), -1 if not known */
int py_handler_frame(pid_t tid, uintptr_t (*sp_of)(pid_t), int *nframes);
int py_handler_running_at(uintptr_t sp); /* python.c: the main thread, interrupted at stack pointer sp, runs a Python signal handler (async-signal-safe) */
int py_fin_running_at(uintptr_t sp); /* python.c: ... is in python3's own Py_FinalizeEx (async-signal-safe) */
int py_fin_frames(const uintptr_t *ips, int n); /* python.c: a return address into Py_FinalizeEx (memory reads only) */
/* python.c: the main thread interrupted by a signal (context uc, stack pointer sp): in
 * Py_FinalizeEx (the result), in a Python handler (*in_handler); by its unwound frames where they
 * reach main's caller, else by a word scan. async-signal-safe */
int py_frames_in_context(void *uc, uintptr_t sp, int *in_handler);
int exitfns_main_caller(uintptr_t ip); /* exitfns.c: ip returns into main's caller (the shim's trampoline) */

/* ---- signal provenance (signals.c) ---- */

void signals_handler_set(int sig, const void *handler, int flags, const char *call, const void *caller);
/* sigaddset without libc's, which a sanitizer intercepts (str.h): sig in [1, 64], the bit as
 * glibc's __sigaddset sets it (glibc signal/sigsetops.h); no error. async-signal-safe */
static inline void sigset_add(sigset_t *set, int sig)
{
	set->__val[(sig - 1) / (8 * sizeof(unsigned long))] |= 1ul << ((sig - 1) % (8 * sizeof(unsigned long)));
}

/* The signals the kernel delivers before any other pending one (Linux 6.1 kernel/signal.c
 * SYNCHRONOUS_MASK, next_signal), bit sig - 1. Left unblocked while crash_handler runs: the shim's
 * own fault recovery needs SIGSEGV and SIGBUS (unwind_fault_escape, a fault inside the report:
 * report_escape, die_with), and a synchronous signal the kernel raises while it is blocked is
 * forced to its default action (force_sig_info_to_task): a SIGTRAP of TLSTRACE_WATCH=hw, a
 * SIGSYS of a program's seccomp filter (SECCOMP_RET_TRAP) met by a system call of the report, a
 * SIGFPE or SIGILL of the shim's would end the process by that signal, not by the program's
 * crash. Nothing is lost by it: pending with the fatal signal, the kernel took these first, so
 * their handlers' frames lie below ours, as without the shim. */
#define CRASH_SYNCHRONOUS_BITS                                                                                         \
	(1ull << (SIGSEGV - 1) | 1ull << (SIGBUS - 1) | 1ull << (SIGILL - 1) | 1ull << (SIGTRAP - 1) |                   \
	 1ull << (SIGFPE - 1) | 1ull << (SIGSYS - 1))

/* the termination signals whose arrivals and masks are recorded, bit sig */
#define TERM_SIGNAL_BITS                                                                                        \
	(1u << SIGHUP | 1u << SIGINT | 1u << SIGQUIT | 1u << SIGUSR1 | 1u << SIGUSR2 | 1u << SIGPIPE | 1u << SIGTERM)
void term_default_handler(int sig, siginfo_t *si, void *uc); /* the kernel's, for the program's SIG_DFL */
int sigcompat_restart(int sig); /* sigcompat.c: signal()'s SA_RESTART, 0 after siginterrupt(sig, 1) */
void crash_vfork_child_signal(int sig, siginfo_t *si, void *uc); /* crash.c: a vfork child's signal, the program's action only */
void crash_program_handler_mask(int sig, const void *uc); /* crash.c: the mask a program's handler gets there */
void term_trampoline(int sig, siginfo_t *si, void *uc);      /* ... for the program's handler (termentry.S:
							       * the kernel's entry only, never called from C) */
void term_call(int sig, siginfo_t *si, void *uc);            /* signals.c: the same from C */
void signals_arrival(int sig, const siginfo_t *si, const void *handler, int dying);
void signals_arrival_done(void);       /* after the program's handler returned */
void signals_arrival_where(int sig, const siginfo_t *si, void *uc); /* then: where it interrupted */
void signals_flush_arrivals(void);     /* write the kept arrivals' lines, any thread */
void signals_after_fork_child(void);
/* arrivals kept, not yet written (signals.c); tl_begin writes them first when nonzero */
extern atomic_int signal_arrivals_kept;
/* how the last child this process reaped ended: the reaping process's pid << 8 | the signal it
 * died of, 0 if it exited or none was reaped (pid_max is at most 2^22, so it fits), set by the
 * wait-family wrappers (signals.c reaped); a fork child's inherited value names its parent's
 * pid, not its own: no reset (EXIT_BSS: the page an exit touches anyway, untouched until a reap). A crash signal the process then raises itself
 * is its child's passed on (timeout(1), a shell), not a crash (crash.c). Read in a signal
 * handler: a lock-free atomic */
extern atomic_int child_death_signal;
void signals_init(void);                  /* at start: the inherited mask and ignored set */
unsigned signals_blocked_for_new_thread(const pthread_attr_t *attr); /* in pthread_create */
void signals_thread_start(unsigned blocked); /* in the new thread */
void signals_thread_creating(int delta, unsigned term_blocked); /* pthread_create: +1 before, -1 on failure or at start */
void signals_thread_exit(void);              /* as it ends */
void signals_threads_forgotten(void);        /* in a fork child of a process with threads */
int signals_others_block(int sig);           /* every other thread blocks sig; async-signal-safe */
void *crash_program_handler(int sig, int *flags); /* crash.c: the program's action of an owned signal */
void crash_program_reset(int sig);
long kernel_action_put_exact(int sig, const struct sigaction *a); /* crash.c: a read action back as it was */
int crash_install_hold(int sig, const siginfo_t *si); /* crash.c: arrived in install()'s window */
void crash_system(void); /* sigcompat.c: at the start of glibc's system(), which sets SIGINT and SIGQUIT ignored and back */
int crash_uc_stack_hide(void *uc, stack_t *orig); /* crash.c: uc_stack as the program's handler would find it */
void crash_uc_stack_back(void *uc, const stack_t *orig); /* ... and what its return installs */
int crash_raw_sigaction(long sig, const void *act, void *old, long size, long *rc); /* crash.c: syscall(SYS_rt_sigaction) as sigaction */
void crash_give_back_all(void); /* crash.c: every owned signal's action back to the program's (strict mode) */
void crash_die_with(int sig, void *uc); /* crash.c: the default action; uc: the handler's context (its mask lets sig in) */
unsigned crash_term_ignored(void);
void watchdog_signal_arrival(uint64_t t, const void *handler); /* watchdog.c: a termination signal at t (ns) ran handler; async-signal-safe */
int watch_fault(const siginfo_t *si, void *uc);
/* SIGTRAP's action as the program reads and sets it while TLSTRACE_WATCH=hw keeps it apart
 * (watch.c): 1 if it handled the call (*rc its result), 0 if the caller goes on. Not for a vfork
 * child (the caller checks in_vfork_child). */
int watch_trap_sigaction(int sig, const struct sigaction *act, struct sigaction *old, int *rc);
/* 1 while watch.c keeps SIGTRAP apart (hw mode): the caller's test before watch_trap_sigaction */
extern atomic_int watch_trap_held;
/* The handlers of the real-time signals the hang watchdog borrows (watchdog.c: capsig, whose
 * handler parks a thread for its snapshot; the handler watcher's signal, x86-64 only) */
void watchdog_capture_handler(int sig, siginfo_t *si, void *uc);
void watchdog_hw_trigger(int sig, siginfo_t *si, void *uc);
/* watchdog.c: a signal about to end the process with its default action, on this thread with
 * context uc: a snapshot of every thread if the process is in its teardown (python3's own
 * Py_FinalizeEx read from ts.interrupted_sp, which the caller sets). async-signal-safe */
void watchdog_kill_snapshot(int sig, void *uc);
/* h, an action's handler the kernel reported: one of the watchdog's (the signal is borrowed) */
static inline int watchdog_borrows(void *h)
{
#if defined(__x86_64__)
	return h == (void *)watchdog_capture_handler || h == (void *)watchdog_hw_trigger;
#else
	return h == (void *)watchdog_capture_handler;
#endif
}
/* old, read from the kernel with a watchdog's handler in it: the action the watchdog found there,
 * as glibc's sigaction hands it over (handler, flags, restorer, the kernel's 64 mask bits) */
void watchdog_borrowed_action(struct sigaction *old);

#endif

/* crash.c - the crash signals: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT.
 *
 * The kernel's action for each follows the program's (kernel_action_for), so that a program
 * that handles its own faults sees what it would see without the shim:
 * - the program's SIG_DFL: our reporting handler. Modeled on CPython's faulthandler: everything
 *   is prepared before the crash (handlers installed, a guarded sigaltstack for the main thread,
 *   the unwinder linked in); the report is written with write(2) from buffers on the shim's own
 *   stack; then the default action is restored and the fault re-executed (synchronous faults, so
 *   the core shows the program's context) or the signal re-sent (abort, kill);
 * - SIG_IGN: SIG_IGN;
 * - the program's handler: a thin trampoline installed with the program's flags and mask (the
 *   kernel picks the stack and mask it would pick without us) that calls it. A handler that
 *   returns or siglongjmps out handled the signal: no report, only a count at exit. One that ends
 *   the process (exit() from the handler, or the default action re-raised) gets the report then,
 *   with the context of the fault it was handling.
 * The program keeps seeing its own actions and signal stack: sigaction, signal and sigaltstack
 * are interposed for these signals and report what the program installed, as glibc would. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/auxv.h>
#include <ucontext.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* asm/signal.h: glibc sets it and its restorer on every action */
#endif

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define NCRASH (int)(sizeof crash_signals / sizeof crash_signals[0])
/* the termination signals whose arrivals signals.c records: owned the same way, with its
 * handlers in place of the crash handler (term_kernel_action) */
static const int term_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGTERM};
#define NTERM (int)(sizeof term_signals / sizeof term_signals[0])

/* indexed by signal number; the crash and termination signals are all small */
#define SIG_SLOTS 16
_Static_assert(SIGSEGV < SIG_SLOTS && SIGBUS < SIG_SLOTS && SIGILL < SIG_SLOTS && SIGFPE < SIG_SLOTS &&
		       SIGABRT < SIG_SLOTS && SIGTERM < SIG_SLOTS && SIGUSR2 < SIG_SLOTS && SIGPIPE < SIG_SLOTS,
	       "an owned signal beyond SIG_SLOTS");
/* What the program believes is installed, as the kernel and glibc report it (read back from the
 * kernel: glibc's restorer, the flags and mask as stored); all zero is SIG_DFL. Only program_put
 * writes an entry, once it is not SIG_DFL, and an entry is read only once written (bit sig of
 * program_set): a process start, python3's query of every signal included, leaves its pages
 * untouched (COLD_BSS). */
static struct sigaction program_action[SIG_SLOTS] COLD_BSS;
static atomic_uint program_set;
static int (*libc_sigaction)(int, const struct sigaction *, struct sigaction *); /* crash_init */
static atomic_uint owned_bits;                /* bit sig: our handler is installed for sig */
static int owned(int sig) { return atomic_load(&owned_bits) >> sig & 1; }
static void owned_set(int sig, int on)
{
	if (on)
		atomic_fetch_or(&owned_bits, 1u << sig);
	else
		atomic_fetch_and(&owned_bits, ~(1u << sig));
}
/* The termination signals' records. python3 installs SIGINT's handler and ignores SIGPIPE at
 * every start: that must not write a cold page, and the start-up page has no room for seven
 * struct sigaction. So the kernel's record is the program's, but for what the shim changes in
 * it (kernel_action_for): the handler, kept here, and the flags it adds, whose program's values
 * term_own keeps: bit k SA_SIGINFO, 8 + k SA_ONSTACK, 16 + k SA_RESTART, 24 + k SA_RESETHAND,
 * 32 + k SIG_IGN, 40 + k a function (kept in term_handler_at(k): SIGINT's in the start-up page,
 * the others' in cold memory, written only when a program installs a function for them),
 * 48 + k a program's SIG_DFL with a mask not empty (kept in term_dfl_mask[k]: the kernel holds
 * term_default_handler with every signal blocked, kernel_action_for), k = term_slot(sig). */
static void *term_handler_int; /* SIGINT's: python3 installs one at every start */
static void *term_handler_cold[7] COLD_BSS; /* the others', by term_slot */
static void **term_handler_at(int k) { return k == 1 ? &term_handler_int : &term_handler_cold[k]; }
static _Atomic uint64_t term_own;
static uint64_t term_dfl_mask[7] COLD_BSS; /* the program's sa_mask of a SIG_DFL (term_own 48 + k) */
/* the program's handler for term_slot k: SIG_DFL, SIG_IGN or a function */
static void *term_handler_of(int k)
{
	uint64_t own = atomic_load(&term_own) >> k;
	return own >> 40 & 1 ? *term_handler_at(k) : own >> 32 & 1 ? (void *)SIG_IGN : (void *)SIG_DFL;
}
static int term_slot(int sig)
{
	switch (sig) {
	case SIGHUP: return 0;
	case SIGINT: return 1;
	case SIGQUIT: return 2;
	case SIGUSR1: return 3;
	case SIGUSR2: return 4;
	case SIGPIPE: return 5;
	case SIGTERM: return 6;
	}
	return -1;
}
static int test_handler_fault;                /* TLSTRACE_TEST_HANDLER_FAULT: tests only */

enum { CS_NONE, CS_REPORTING };
static __thread int crash_state, crash_sig;
static __thread char crash_py; /* the Python state of the crash, on all its lines */

/* async-signal-safe */
static void cl_begin(struct tline *l, const char *event) { tl_begin_py(l, event, crash_py ? crash_py : py_state()); }


/* ---- stderr text ---- */

struct ebuf {
	size_t len;
	int quiet; /* nothing written (e_flush drops the text) */
	char buf[512];
};

static void e_str(struct ebuf *e, const char *s)
{
	size_t n = shim_strlen(s);
	if (n > sizeof e->buf - 1 - e->len)
		n = sizeof e->buf - 1 - e->len;
	memcpy(e->buf + e->len, s, n);
	e->len += n;
}

static void e_dec(struct ebuf *e, long long v)
{
	char tmp[24];
	tmp[fmt_dec(tmp, v)] = 0;
	e_str(e, tmp);
}

static void e_hex(struct ebuf *e, uintptr_t v)
{
	char tmp[24];
	tmp[fmt_hex(tmp, v)] = 0;
	e_str(e, tmp);
}

/* Whether a line of the report may be written to stderr now without blocking: fd 2 takes it
 * within STDERR_WAIT_MS (poll, POLLOUT: a pipe with a free slot takes a write of up to PIPE_BUF
 * bytes at once, Linux 6.1 fs/pipe.c pipe_poll and pipe_write), or is closed or broken (the
 * write then fails at once). A stderr that takes nothing for that long (a pipe whose reader
 * stalled: a log collector, a parent that reads its child's stderr only after waiting for it)
 * gets no more of the report, from this process: the blocking write made a process that died of
 * a fault without the shim hang in its report for as long as the reader did (HOSTILE15, t412).
 * Under a seccomp filter of the program's no poll (its filter may kill it): the write as before.
 * Raw system calls; async-signal-safe */
#define STDERR_WAIT_MS 100
static int stderr_stalled COLD_BSS;
COLD_TEXT static int stderr_takes_line(void)
{
	struct pollfd p = {2, POLLOUT, 0};
	long r;
	if (stderr_stalled)
		return 0;
	if (atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed))
		return 1;
	r = sys3(SYS_poll, &p, 1, STDERR_WAIT_MS);
	if (r == 0) {
		stderr_stalled = 1;
		return 0;
	}
	return 1; /* (writable, closed, broken, or poll refused: the write answers at once, as before) */
}

static void e_flush(struct ebuf *e)
{
	if (cfg.to_stderr && e->len && !e->quiet && stderr_takes_line()) {
		e->buf[e->len++] = '\n';
		if (sys3(SYS_write, 2, e->buf, e->len) < 0) {
			/* stderr closed: nothing else to do */
		}
	}
	e->len = 0;
}

static const char *basename_of(const char *p)
{
	const char *s = p ? shim_strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "?";
}

/* "module(func+0xoff)" or "module+0xoff" or the bare address. ret: addr is a return address
 * (a caller's frame of a backtrace): its module and function are those of addr - 1, the call's
 * last byte, since a noreturn call (exit at main's end) returns to one past its function; the
 * offset printed is still addr's. async-signal-safe */
COLD_TEXT static void e_code_as(struct ebuf *e, uintptr_t addr, int ret)
{
	uintptr_t at = ret && addr ? addr - 1 : addr;
	struct module *m = module_of(at);
	uintptr_t off = 0;
	const char *fn;
	e_hex(e, addr);
	if (!m)
		return;
	e_str(e, " ");
	e_str(e, basename_of(m->path));
	fn = module_func_name(m, at, &off);
	if (fn) {
		e_str(e, "(");
		e_str(e, fn);
		e_str(e, "+");
		e_hex(e, off + (addr - at));
		e_str(e, ")");
	} else {
		e_str(e, "+");
		e_hex(e, addr - m->base);
	}
}

COLD_TEXT static void e_code(struct ebuf *e, uintptr_t addr) { e_code_as(e, addr, 0); }

/* ---- the report ---- */

COLD_TEXT static void report_phase(struct tline *l, struct ebuf *e, char py)
{
	int exit_tid = atomic_load(&proc.exit_tid);
	unsigned atexit_seq = atomic_load(&proc.atexit_seq);
	uintptr_t atexit_fn = atomic_load(&proc.atexit_fn);
	int pyfin = atomic_load(&proc.pyfin_depth) > 0 || py == PY_ATEXIT;
	const char *thread = ts.teardown & (TD_EXIT | TD_THREAD_EXIT | TD_TLS_DTORS) ? "exiting" : "running";

	cl_begin(l, "crash_phase");
	tl_word(l, "exit=");
	if (exit_tid)
		tl_append_dec(l, exit_tid);
	else
		tl_append(l, "-");
	tl_word(l, "atexit=");
	if (atexit_seq) {
		tl_append_dec(l, atexit_seq - 1);
		tl_append(l, ":");
		tl_append_code(l, atexit_fn);
	} else {
		tl_append(l, "-");
	}
	tl_word(l, "pyfin=");
	tl_append_dec(l, pyfin);
	tl_word(l, "tls_dtors=");
	tl_append_dec(l, ts.tls_dtors_run);
	tl_word(l, "in_tls_dtor=");
	if (ts.cur_dtor)
		tl_append_dec(l, ts.cur_dtor->seq);
	else
		tl_append(l, "-");
	tl_word(l, "in_key_dtor=");
	if (ts.cur_key)
		tl_append_dec(l, ts.cur_key - 1);
	else
		tl_append(l, "-");
	tl_word(l, "thread=");
	tl_append(l, thread);
	tl_end(l);

	e_str(e, "tlstrace: teardown: ");
	if (!exit_tid && !ts.teardown && !pyfin && !atexit_seq && py == PY_FINALIZING && !ts.in_end_interp) {
		/* python3's own Py_FinalizeEx, which the shim does not see called (python.c py_state) */
		e_str(e, COLD_NAME("Py_FinalizeEx (module teardown and garbage collection, after the atexit callbacks)"));
	} else if (!exit_tid && !ts.teardown && !pyfin && !atexit_seq && !ts.in_end_interp) {
		e_str(e, "none (the process was running normally)");
	} else {
		if (exit_tid) {
			e_str(e, "exit(");
			e_dec(e, atomic_load(&proc.exit_status));
			e_str(e, ") called by thread ");
			e_dec(e, exit_tid);
		}
		if (atexit_seq && atomic_load(&proc.atexit_static)) {
			/* (a C++ static object's destructor, as the report's phase names it) */
			e_str(e, "; in static destructor ");
			e_code(e, atexit_fn);
			e_str(e, " (registered with __cxa_atexit)");
		} else if (atexit_seq) {
			e_str(e, "; in atexit handler ");
			e_code(e, atexit_fn);
		}
		if (pyfin)
			e_str(e, " -> Py_Finalize");
		if (ts.in_end_interp) /* (strings in the cold section: t040's window) */
			e_str(e, COLD_NAME(" -> Py_EndInterpreter (a sub-interpreter's destruction)") +
					 (exit_tid || atexit_seq || pyfin ? 0 : 4));
		if (ts.cur_dtor) {
			e_str(e, "; inside this thread's TLS destructor #");
			e_dec(e, ts.cur_dtor->seq);
		} else if (ts.tls_dtors_run) {
			e_str(e, "; after ");
			e_dec(e, ts.tls_dtors_run);
			e_str(e, " TLS destructor(s) of this thread ran");
		}
		if (ts.cur_key) {
			e_str(e, "; in the destructor of pthread key ");
			e_dec(e, ts.cur_key - 1);
		}
	}
	e_flush(e);
}

COLD_TEXT static void report_tls(struct tline *l, struct ebuf *e, uintptr_t ip)
{
	struct module *fault_mod = module_of(ip);
	struct tls_rec *r;
	uint64_t now = now_ns();
	int n = 0;
	for (r = ts.destroyed; r && n < 32; r = r->next_destroyed, n++) {
		int owner = fault_mod && r->mod == fault_mod;
		cl_begin(l, "crash_tls");
		tl_dec(l, r->seq);
		tl_hex(l, (uintptr_t)r->obj);
		tl_str(l, r->sym);
		tl_dec(l, (long long)(now - r->destroyed_ns));
		tl_dec(l, owner);
		tl_end(l);
		if (n == 0)
			e_str(e, "tlstrace: destroyed thread_locals of this thread:"), e_flush(e);
		e_str(e, "tlstrace:   ");
		e_str(e, r->sym ? r->sym : "?");
		e_str(e, " at ");
		e_hex(e, (uintptr_t)r->obj);
		if (r->mod) {
			e_str(e, " in ");
			e_str(e, basename_of(r->mod->path));
		}
		e_str(e, ", destroyed ");
		e_dec(e, (long long)((now - r->destroyed_ns) / 1000));
		e_str(e, " us ago");
		if (owner)
			e_str(e, "  <- the faulting code is in this module");
		e_flush(e);
	}
}

/* A crash_exc line with the type's mangled name of the C++ ABI's current exception of this
 * thread, for a SIGABRT from std::terminate after an uncaught throw: libstdc++'s __cxa_throw
 * calls __cxa_begin_catch before std::terminate (libsupc++/eh_throw.cc, GCC 12), so the thrown
 * exception is the thread's current one, as __gnu_cxx::__verbose_terminate_handler reads it for
 * its "terminate called after throwing an instance of" line. __cxa_current_exception_type is
 * looked up in the loaded libstdc++'s .dynsym (modules.c, async-signal-safe: a module dlopen'ed
 * later too), not linked (a weak reference's symbol and relocation grew the start-up pages past
 * t040's bound). The name is std::type_info's __name, after its vtable pointer (libsupc++/
 * typeinfo; a leading '*', a type local to its file, dropped). Only in the fatal path of a
 * SIGABRT the thread raised itself; what() is not called (a program's own may allocate). A read
 * of the thread's exception globals, which the code that aborted made: async-signal-safe */
COLD_TEXT static void report_cxx_exception(int sig, const siginfo_t *si)
{
	const void *(*current)(void) = NULL;
	const void *ti;
	const char *name;
	struct tline l;
	int i, n = module_count();
	if (sig != SIGABRT || si->si_code > 0 || si->si_pid != (pid_t)sys0(SYS_getpid))
		return;
	for (i = 0; i < n && !current; i++) {
		struct module *m = module_by_id(i);
		if (m && m->path && shim_strstr(m->path, COLD_NAME("/libstdc++.so")))
			current = (const void *(*)(void))module_dynsym_lookup(m, COLD_NAME("__cxa_current_exception_type"));
	}
	if (!current || !(ti = current()) || !(name = ((const char *const *)ti)[1]))
		return;
	if (*name == '*')
		name++;
	cl_begin(&l, "crash_exc");
	tl_str(&l, name);
	tl_end(&l);
}

static void report_python(void)
{
	if (py_trace_traceback("crash_py", crash_py, 0) && cfg.to_stderr) {
		struct ebuf e = {0};
		e_str(&e, "tlstrace: Python traceback of this thread:");
		e_flush(&e);
		if (stderr_takes_line())
			py_dump_traceback(2); /* (Python's writes, blocking: only where stderr takes lines) */
	}
}

/* The name of a signal's si_code, for the crash line on stderr ("SEGV_MAPERR"; NULL if not known):
 * the codes of <asm-generic/siginfo.h> (Linux 6.x), the senders' (<= 0, any signal) and those of
 * the fault signals. Constant arrays of characters in the cold code's section (no pointers: no
 * relocations, nothing in the data a start reads, t040), found by a loop (a switch on sig would
 * be a jump table in .rodata, before the code a start runs): async-signal-safe. */
#define SI_COLD __attribute__((section(".tlstrace.cold.names")))
COLD_TEXT static const char *si_code_word(int sig, int code)
{
	static const char sent[][11] SI_COLD = {"SI_USER", "SI_QUEUE", "SI_TIMER", "SI_MESGQ", "SI_ASYNCIO", "SI_SIGIO", "SI_TKILL"};
	static const char kernel[] SI_COLD = "SI_KERNEL";
	static const unsigned char sigs[] SI_COLD = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
	static const unsigned char count[] SI_COLD = {4, 5, 8, 8, 2};
	static const char fault[][8][14] SI_COLD = {
		{"SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR"},
		{"BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"},
		{"FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB"},
		{"ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK"},
		{"TRAP_BRKPT", "TRAP_TRACE"},
	};
	if (code <= 0)
		return -code < (int)(sizeof sent / sizeof *sent) ? sent[-code] : NULL;
	if (code == 0x80)
		return kernel;
	for (unsigned i = 0; i < sizeof sigs; i++)
		if (sig == sigs[i])
			return code <= count[i] ? fault[i][code - 1] : NULL;
	return NULL;
}
#undef SI_COLD

/* at: CLOCK_MONOTONIC ns when the signal arrived (the crash line's last field: a handler of the
 * program may run, and write lines, between the arrival and this report) */
COLD_TEXT static void crash_report(int sig, siginfo_t *si, void *uc, uint64_t at)
{
	ucontext_t *u = uc;
	uintptr_t ip = (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
	uintptr_t sp = (uintptr_t)u->uc_mcontext.gregs[REG_RSP];
	uintptr_t ips[64];
	struct tline l;
	struct ebuf e = {0};
	const char *how = "none";
	char py;
	int i, n;

	/* a poisoned pointer first, so that the crash lines stay together and follow their cause */
	watch_fault(si, uc);
	n = unwind_from_signal(uc, ips, 64, &how);
	if (n == 0)
		ips[n++] = ip;
	py = py_state_at(ips, n);
	crash_py = py;
	cl_begin(&l, "crash");
	tl_dec(&l, sig);
	tl_dec(&l, si->si_code);
	tl_hex(&l, (uintptr_t)si->si_addr);
	tl_code(&l, ip);
	tl_hex(&l, sp);
	tl_dec(&l, (long long)at);
	tl_end(&l);
	if (test_handler_fault)
		*(volatile int *)(uintptr_t)test_handler_fault = 1;

	e_str(&e, "tlstrace: process ");
	e_dec(&e, sys0(SYS_getpid));
	e_str(&e, " thread ");
	e_dec(&e, shim_gettid());
	e_str(&e, ": ");
	e_str(&e, tlstrace_signal_name(sig));
	e_str(&e, " (si_code ");
	e_dec(&e, si->si_code);
	if (si_code_word(sig, si->si_code)) { /* (the report's words for it: FRESH16) */
		e_str(&e, COLD_NAME(": "));
		e_str(&e, si_code_word(sig, si->si_code));
	}
	/* sent by itself after it reaped a child that died of it: passed on (coreutils timeout.c
	 * raises its child's signal so; a shell): one line, no crash report on stderr (the trace's
	 * lines stay, the report reads them so: tools/report/diag_crash.c passed_on) */
	if (si->si_code <= 0 && si->si_pid == (pid_t)sys0(SYS_getpid) &&
	    atomic_load_explicit(&child_death_signal, memory_order_relaxed) == (int)((unsigned)sys0(SYS_getpid) << 8 | (unsigned)sig)) {
		e_str(&e, ") raised by the process itself after a child of its died of it: passed on, not a crash");
		e_flush(&e);
		e.quiet = 1;
	}
	/* si_code <= 0 (SI_USER, SI_TKILL, SI_QUEUE...): sent by a process, si_addr's place holds
	 * the sender's pid, not an address (sigaction(2)) */
	if (si->si_code <= 0) {
		e_str(&e, ") sent by pid ");
		e_dec(&e, si->si_pid);
	} else {
		e_str(&e, ") at ");
		e_hex(&e, (uintptr_t)si->si_addr);
	}
	e_str(&e, ", ip ");
	e_code(&e, ip);
	if (cfg.to_stderr == 2 && !e.quiet) { /* (under the wrapper: its report says the rest, once) */
		e_str(&e, COLD_NAME("; the report follows when the command ends"));
		e_flush(&e);
		e.quiet = 1;
	}
	e_flush(&e);

	report_cxx_exception(sig, si);
	report_phase(&l, &e, py);
	report_tls(&l, &e, ip);

	cl_begin(&l, "crash_bt");
	tl_word(&l, how);
	tl_frames(&l, ips, n);
	tl_end(&l);
	e_str(&e, "tlstrace: backtrace (");
	e_str(&e, how);
	e_str(&e, "):");
	e_flush(&e);
	for (i = 0; i < n; i++) {
		e_str(&e, "tlstrace:   #");
		e_dec(&e, i);
		e_str(&e, " ");
		e_code_as(&e, ips[i], i > 0);
		e_flush(&e);
	}
	if (!e.quiet)
		report_python();
}

/* ---- what the program installed ---- */

static void crash_handler(int sig, siginfo_t *si, void *uc);
static void crash_handler_as(int sig, siginfo_t *si, void *uc, int dfl);
static void fault_trampoline(int sig, siginfo_t *si, void *uc);

static int is_fault(int sig, const siginfo_t *si) { return sig != SIGABRT && si->si_code > 0; }

static void crash_end(const char *action)
{
	struct tline l;
	cl_begin(&l, "crash_end");
	tl_word(&l, action);
	tl_end(&l);
}

/* SIG_DFL as the kernel reports it: what an untouched (all zero) program_action entry stands for.
 * Only the kernel's 64 signal bits of the mask count: glibc fills the rest of sa_mask with
 * whatever lies on its stack. */
static int is_default(const struct sigaction *a)
{
	uint64_t mask;
	memcpy(&mask, &a->sa_mask, sizeof mask);
	return a->sa_handler == SIG_DFL && a->sa_flags == 0 && mask == 0;
}

static void mask_tail_clear(struct sigaction *a);

/* A termination signal's record as the program installed it: the kernel's, with the program's
 * handler and flags put back (see term_own). */
EXIT_TEXT static void term_program_of(int k, struct sigaction *a);
EXIT_TEXT __attribute__((noinline)) static void term_program_get(int sig, int k, struct sigaction *a)
{
	memset(a, 0, sizeof *a);
	if (libc_sigaction(sig, NULL, a) == 0)
		term_program_of(k, a);
}

/* the kernel's action a for termination signal slot k, made the program's record in place */
EXIT_TEXT static void term_program_of(int k, struct sigaction *a)
{
	uint64_t own64 = atomic_load(&term_own) >> k, mask;
	unsigned own = (unsigned)own64;
	void *kh;
	mask_tail_clear(a);
	kh = (void *)a->sa_handler;
	if (kh != (void *)term_trampoline && kh != (void *)term_default_handler && kh != (void *)SIG_DFL)
		return; /* SIG_IGN, or what a call the shim did not see put there: the kernel's is the truth */
	a->sa_handler = (sighandler_t)term_handler_of(k);
	a->sa_flags &= ~SA_SIGINFO;
	if (kh == (void *)term_default_handler) { /* the shim's flags and mask out, the program's in */
		a->sa_flags &= ~(SA_ONSTACK | SA_RESTART);
		mask = own64 >> 48 & 1 ? term_dfl_mask[k] : 0;
		memcpy(&a->sa_mask, &mask, sizeof mask);
	}
	a->sa_flags |= (own & 1 ? SA_SIGINFO : 0) | (own >> 8 & 1 ? SA_ONSTACK : 0) | (own >> 16 & 1 ? SA_RESTART : 0) |
		       (own >> 24 & 1 ? (int)SA_RESETHAND : 0);
	if (kh == (void *)SIG_DFL) /* SA_RESETHAND delivered, not yet seen by the trampoline */
		a->sa_handler = SIG_DFL;
}

static void program_get(int sig, struct sigaction *a)
{
	int k = term_slot(sig);
	if (!(atomic_load(&program_set) & 1u << sig)) {
		memset(a, 0, sizeof *a); /* SIG_DFL */
	} else if (k >= 0) {
		term_program_get(sig, k, a);
	} else {
		*a = program_action[sig];
	}
}

/* A program's SIG_DFL action a for termination signal slot k: its mask kept in term_dfl_mask[k]
 * where it has one (the kernel holds every signal blocked then, kernel_action_for); term_own's bit
 * 48 + k to set (0: an empty mask, cold memory untouched). With the code most ends run (EXIT_TEXT):
 * python3 puts SIGINT's default back at its end. */
EXIT_TEXT __attribute__((noinline)) static uint64_t term_dfl_mask_put(int k, const struct sigaction *a)
{
	uint64_t mask;
	memcpy(&mask, &a->sa_mask, sizeof mask);
	if (!mask)
		return 0;
	term_dfl_mask[k] = mask;
	return (uint64_t)1 << (48 + k);
}

static void program_put(int sig, const struct sigaction *a)
{
	if (!(atomic_load(&program_set) & 1u << sig) && is_default(a))
		return;
	int k = term_slot(sig);
	if (k >= 0) {
		unsigned own = 0, m = 1u << k;
		uint64_t m64 = (uint64_t)1 << k;
		int fn = a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
		if (fn)
			*term_handler_at(k) = (void *)a->sa_handler;
		if (a->sa_flags & SA_SIGINFO)
			own |= m;
		if (a->sa_flags & SA_ONSTACK)
			own |= m << 8;
		if (a->sa_flags & SA_RESTART)
			own |= m << 16;
		if (a->sa_flags & SA_RESETHAND)
			own |= m << 24;
		uint64_t dfl_mask = a->sa_handler == SIG_DFL ? term_dfl_mask_put(k, a) : 0;
		atomic_store(&term_own, (atomic_load(&term_own) & ~(uint64_t)(m | m << 8 | m << 16 | m << 24) &
					 ~(m64 << 32 | m64 << 40 | m64 << 48)) |
					    own | (a->sa_handler == SIG_IGN ? m64 << 32 : 0) | (fn ? m64 << 40 : 0) | dfl_mask);
	} else {
		program_action[sig] = *a;
	}
	atomic_fetch_or(&program_set, 1u << sig);
}

/* install()'s window: from its first rt_sigaction, which puts our handler in, to its record of
 * what was there (program_put), the record says SIG_DFL whatever the program's action is. A
 * signal arriving then (a SIGHUP storm at a nohup'd program's start ended ~1 start in 1000, t279)
 * is kept (install_held_si) and sent again once the record is right. install_sig: the signal
 * install() is at, 0 outside it. Written by install() only, in the constructor. */
static atomic_int install_sig;
static atomic_int install_held;
static siginfo_t install_held_si COLD_BSS;

/* For our handlers of an owned signal, first thing: 1 if sig arrived inside install()'s window
 * and was kept for later (the handler returns at once). async-signal-safe */
COLD_TEXT int crash_install_hold(int sig, const siginfo_t *si)
{
	if (likely(atomic_load_explicit(&install_sig, memory_order_relaxed) != sig) || (atomic_load(&program_set) & 1u << sig))
		return 0;
	install_held_si = *si;
	atomic_store(&install_held, sig);
	return 1;
}

/* The program's handler, SIG_DFL or SIG_IGN. async-signal-safe */
static void *program_handler(int sig)
{
	int k = term_slot(sig);
	if (!(atomic_load(&program_set) & 1u << sig))
		return (void *)SIG_DFL;
	return k >= 0 ? term_handler_of(k) : (void *)program_action[sig].sa_handler;
}

/* For signals.c's handlers: the program's handler of an owned signal (SIG_DFL, SIG_IGN or a
 * function) and its flags. async-signal-safe */
EXIT_TEXT void *crash_program_handler(int sig, int *flags)
{
	int k = term_slot(sig);
	if (!(atomic_load(&program_set) & 1u << sig)) {
		*flags = 0;
	} else if (k >= 0) {
		unsigned own = (unsigned)(atomic_load(&term_own) >> k);
		*flags = (own & 1 ? SA_SIGINFO : 0) | (own >> 24 & 1 ? SA_RESETHAND : 0);
	} else {
		*flags = program_action[sig].sa_flags;
	}
	return program_handler(sig);
}

static void program_reset_handler(int sig);
/* SA_RESETHAND on an owned termination signal (signals.c): as for the crash signals. */
void crash_program_reset(int sig) { program_reset_handler(sig); }

static void die_with(int sig, int fault, void *uc);
/* signals.c's default action: SIG_DFL back in, sig re-sent to this thread and let in by uc's
 * mask. */
void crash_die_with(int sig, void *uc) { die_with(sig, 0, uc); }

/* glibc's sigaction returns an old action's sa_mask beyond the kernel's 64 bits from its own
 * uninitialized stack; a record keeps zeros there, what a program most often finds */
static void mask_tail_clear(struct sigaction *a)
{
	memset((char *)&a->sa_mask + sizeof(uint64_t), 0, sizeof a->sa_mask - sizeof(uint64_t));
}

/* The old action as glibc's sigaction hands it to the program: handler, flags, restorer, mask. */
static void report_action(const struct sigaction *a, struct sigaction *old)
{
	old->sa_handler = a->sa_handler;
	old->sa_flags = a->sa_flags;
	old->sa_restorer = a->sa_restorer;
	old->sa_mask = a->sa_mask;
}

/* The kernel holds SIG_IGN for an owned signal, not our handler, while the program ignores it:
 * exec keeps SIG_IGN and resets handlers, so what the program runs (execve, a vfork or
 * posix_spawn child, system, popen) starts ignoring the signal as it would without the shim. A
 * fault while ignored still ends the process by the signal (the kernel forces the default
 * action), only without a crash report. SIGSEGV under TLSTRACE_WATCH=poison too (before
 * 2026-12-01 our handler stayed for it, and a program exec'd from one that ignored SIGSEGV
 * started with it at its default, t288): a poisoned pointer followed while the program ignores
 * SIGSEGV ends the process by SIGSEGV as the fault would, without the poison_hit and crash
 * lines. Why not SIG_IGN put in only around an exec: glibc's system, popen and wordexp start
 * their children through its internal posix_spawn, which no wrapper sees. */
static int kernel_should_ignore(const struct sigaction *a)
{
	return a->sa_handler == SIG_IGN;
}

/* 1 for the termination signals owned for their arrivals (signals.c) */
static int term_signal(int sig) { return TERM_SIGNAL_BITS >> sig & 1; }

/* 1 in the init (pid 1) of its pid namespace: a container's init, the child of
 * unshare(CLONE_NEWPID) + fork, or the system's. The kernel drops every signal sent to it whose
 * action is SIG_DFL, from inside the namespace or from an ancestor one (SIGKILL and SIGSTOP from
 * an ancestor excepted), before it is queued (Linux 6.1 kernel/signal.c sig_task_ignored:
 * SIGNAL_UNKILLABLE), and ends it only by a fault the kernel forces (force_sig_info_to_task
 * clears SIGNAL_UNKILLABLE where the action is SIG_DFL). A handler of the shim's in the kernel
 * takes such a signal instead: a sleep or wait of the program cut short (EINTR), a crash report
 * of a `kill -SEGV` that did nothing (HOSTILE16, t450). So there a termination signal at its
 * default action is SIG_DFL in the kernel too (no arrival lines: it cannot end the process), and
 * crash_handler lets a sent crash signal go (it keeps its handler for the faults). Set by
 * install (install_ns_init) and, in a fork or clone child, by crash_after_fork_child; not in a raw clone system
 * call's child, nor in one of clone(CLONE_VM | CLONE_NEWPID), which shares this memory. */
#define NS_INIT_BIT (1u << 31) /* kept in owned_bits: no .bss page more at every start (t040) */
static int ns_init(void) { return atomic_load_explicit(&owned_bits, memory_order_relaxed) & NS_INIT_BIT; }


/* The kernel's action for an owned signal follows the program's:
 * - SIG_DFL: our reporting handler, on the shim's signal stack where the thread has one; for a
 *   termination signal with every signal blocked while it runs (the program's mask kept in
 *   term_dfl_mask): the kernel delivers every pending signal it may before a handler runs, each
 *   frame on the last, so a signal of the program's pending with it (a SIGCHLD after its `kill
 *   0`) would have its handler run first, where without the shim the default action ends the
 *   process at once (the lowest pending signal is taken first; bash reaped its child so, t241);
 *   for a crash signal with every signal blocked but the synchronous ones (CRASH_SYNCHRONOUS_BITS)
 *   for the same reason (a SIGUSR1 of the program's pending with a kill -ABRT had its handler run
 *   first, t362; the program's own mask is kept in program_action as for any action);
 * - SIG_IGN: SIG_IGN;
 * - a handler: the trampoline, with the program's own flags and mask, so that the kernel picks the
 *   stack, the mask and the restart behaviour it would pick without the shim. */
static void kernel_action_for(int sig, const struct sigaction *prog, struct sigaction *k)
{
	memset(k, 0, sizeof *k); /* (an empty sa_mask: no sigemptyset, see str.h) */
	if (kernel_should_ignore(prog)) {
		k->sa_handler = SIG_IGN;
		if (term_signal(sig)) { /* the program's record, as the kernel keeps it */
			k->sa_flags = prog->sa_flags & ~SA_RESTORER;
			k->sa_mask = prog->sa_mask;
		}
	} else if (term_signal(sig)) {
		/* the program's flags and mask kept in the kernel's record (term_program_get) */
		k->sa_flags = prog->sa_flags & ~SA_RESTORER;
		k->sa_mask = prog->sa_mask;
		if (prog->sa_handler == SIG_DFL) {
			if (ns_init()) /* SIG_DFL (k's handler is 0): the kernel drops it, ns_init */
				return;
			k->sa_sigaction = term_default_handler;
			k->sa_flags |= SA_SIGINFO | SA_ONSTACK | SA_RESTART;
			memset(&k->sa_mask, 0xff, sizeof(uint64_t)); /* (the kernel leaves SIGKILL, SIGSTOP out) */
		} else {
			k->sa_sigaction = term_trampoline;
			k->sa_flags |= SA_SIGINFO;
		}
	} else if (prog->sa_handler == SIG_DFL || prog->sa_handler == SIG_IGN) {
		uint64_t mask = ~CRASH_SYNCHRONOUS_BITS;
		/* (SA_RESTART: a sent signal it lets go, ns_init(), or one the program ignores since,
		 * leaves a read or wait of the program's to go on, as the kernel's dropping would) */
		k->sa_sigaction = crash_handler;
		k->sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART;
		memcpy(&k->sa_mask, &mask, sizeof mask);
	} else {
		k->sa_sigaction = fault_trampoline;
		k->sa_flags = (prog->sa_flags & ~SA_RESTORER) | SA_SIGINFO;
		k->sa_mask = prog->sa_mask;
	}
}

/* ---- faults the program's handler takes ---- */

/* Per thread, the program's handlers running now (outermost first): what a process that ends
 * inside one reports as its crash. A record is live while the marker in its trampoline's frame
 * still holds the cookie and the stack pointer is below that frame: a handler left by siglongjmp
 * (or anything else) drops out at the next look. */
#define PENDING_MAX 4
struct pending {
	volatile uintptr_t *marker; /* in the trampoline's frame */
	uintptr_t cookie;
	int sig;
	siginfo_t *si;
	void *uc;
	uint64_t t; /* its arrival, CLOCK_MONOTONIC ns */
};
static __thread struct pending pending[PENDING_MAX];
static __thread int npending;
static __thread uintptr_t pending_gen;

/* Forget the records of handlers no longer running when the stack pointer is sp.
 * async-signal-safe */
static void pending_prune(uintptr_t sp)
{
	while (npending > 0) {
		struct pending *p = &pending[npending - 1];
		if (*p->marker == p->cookie && sp < (uintptr_t)p->marker)
			break;
		npending--;
	}
}

/* Signals delivered to the program's own handlers, by signal, in this process (handled_pid: a
 * fork child starts from zero); written as sig_handled lines when the process ends. */
static atomic_ulong handled[SIG_SLOTS] EXIT_BSS;
static atomic_int handled_pid EXIT_BSS;

static void count_handled(int sig)
{
	pid_t pid = trace_pid_get();
	int old = atomic_load_explicit(&handled_pid, memory_order_relaxed);
	/* one thread claims the counts for this process; it clears them only when they are another
	 * process's (a fork parent's): in the first process they are zero already, and threads
	 * faulting at once there all count (t045's 4 threads lost one of 400 when each cleared).
	 * Left: two threads of a fork child counting their first faults at the same moment. */
	if (unlikely(old != pid) && atomic_compare_exchange_strong(&handled_pid, &old, pid) && old != 0)
		for (int i = 0; i < SIG_SLOTS; i++)
			atomic_store_explicit(&handled[i], 0, memory_order_relaxed);
	atomic_fetch_add_explicit(&handled[sig], 1, memory_order_relaxed);
}

/* The counts so far, one line per signal, then zero. async-signal-safe */
void crash_flush_counts(void)
{
	struct tline l;
	int i;
	/* (program_set first: a process that never installed an action reads no cold page) */
	if (!atomic_load(&program_set) || atomic_load(&handled_pid) != trace_pid_get())
		return;
	for (i = 0; i < NCRASH; i++) {
		unsigned long n = atomic_exchange(&handled[crash_signals[i]], 0);
		if (!n)
			continue;
		tl_begin(&l, "sig_handled");
		tl_dec(&l, crash_signals[i]);
		tl_dec(&l, (long long)n);
		tl_end(&l);
	}
}

/* SA_RESETHAND: the kernel reset its action (ours) to SIG_DFL on delivery, keeping flags and
 * mask; the program's record does the same, and our reporting handler goes back in. */
__attribute__((noinline)) static void program_reset_handler(int sig)
{
	struct sigaction k;
	int saved = errno;
	struct sigaction a;
	program_get(sig, &a);
	a.sa_handler = SIG_DFL;
	program_put(sig, &a);
	kernel_action_for(sig, &a, &k);
	libc_sigaction(sig, &k, NULL);
	errno = saved;
}

static void report_if_resent(int sig, siginfo_t *si, void *uc, uint64_t at);

/* TLSTRACE_WATCH=poison: a poisoned pointer the program's handler is given is still reported */
__attribute__((noinline)) static void watch_note(siginfo_t *si, void *uc)
{
	int saved = errno;
	if (ts.in_shim)
		return;
	ts.in_shim = 1;
	watch_fault(si, uc);
	ts.in_shim = 0;
	errno = saved;
}

/* The kernel's entry for a signal the program handles: a few dozen bytes of stack, then the
 * program's handler with what the kernel gave us. A return is a handled signal; a handler that
 * ends the process (exit, _exit, re-raising with the default action) is reported from there
 * (crash_exit_check, crash_handler). async-signal-safe */
/* Whether the program's handler of fault sig could not have run without the shim: the main
 * thread's stack overflowed (the fault at or below the interrupted stack pointer) and the kernel
 * delivered the signal on the shim's signal stack, which the program does not have (it set none:
 * the kernel holds ours), so without the shim the kernel would have pushed the signal frame below
 * that stack pointer, found no memory there, and killed the process with SIGSEGV (Linux
 * arch/x86/kernel/signal.c: get_sigframe on the current stack, a failed setup_rt_frame,
 * force_sigsegv). Room is there where the pages of the frame's span (the red zone's 128 bytes
 * and AT_MINSIGSTKSZ, the kernel's own size of a frame with this CPU's extended state) are
 * mapped (mincore: ENOMEM for a hole; the stack cannot grow into one when it just failed to).
 * FRESH14b: an SA_ONSTACK SIGSEGV handler of a program with no signal stack caught its stack
 * overflow with the shim (exit 3; 139 without). A cheap test first: most faults (a GC's write
 * barrier) are far from the stack pointer or on another thread. async-signal-safe */
COLD_TEXT static int overflow_undeliverable(int sig, const siginfo_t *si, const void *uc)
{
	static size_t frame;
	uintptr_t sp = (uintptr_t)((const ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP], a = (uintptr_t)si->si_addr, here;
	unsigned char vec;
	here = (uintptr_t)&vec;
	if ((sig != SIGSEGV && sig != SIGBUS) || !ts.altstack || here < (uintptr_t)ts.altstack ||
	    here >= (uintptr_t)ts.altstack + ts.altstack_size || a > sp + 4096 || a + (1u << 20) < sp)
		return 0;
	if (!frame)
		frame = getauxval(AT_MINSIGSTKSZ) ? getauxval(AT_MINSIGSTKSZ) : 4096;
	for (uintptr_t at = (sp - 128 - frame) & ~(uintptr_t)4095; at < sp - 128; at += 4096)
		if (sys3(SYS_mincore, at, 4096, &vec) != 0)
			return 1;
	return 0;
}

COLD_TEXT static void fault_trampoline(int sig, siginfo_t *si, void *uc)
{
	volatile uintptr_t marker = 0;
	void *h = program_handler(sig);
	int flags = program_action[sig].sa_flags, hidden;
	stack_t orig;
	uint64_t t;
	if (unlikely(in_vfork_child())) {
		crash_vfork_child_signal(sig, si, uc);
		return;
	}
	unwind_fault_escape(sig, si); /* a fault of the shim's unwinder, not the program's */
	if (unlikely(crash_state == CS_REPORTING || h == (void *)SIG_DFL || h == (void *)SIG_IGN)) {
		/* a fault in our report, or the program reset the action since the kernel chose */
		crash_handler(sig, si, uc);
		return;
	}
	if (unlikely(overflow_undeliverable(sig, si, uc))) {
		/* a stack overflow its handler could not have taken without the shim: the default action */
		crash_handler_as(sig, si, uc, 1);
		return;
	}
	if (flags & SA_RESETHAND)
		program_reset_handler(sig);
	if (si->si_code <= 0 && si->si_pid != trace_pid_get())
		signals_arrival(sig, si, h, 0); /* sent by another process (gunicorn's SIGABRT) */
	if (unlikely(cfg.watch == WATCH_POISON) && sig == SIGSEGV)
		watch_note(si, uc);
	count_handled(sig);
	t = now_ns(); /* (a vDSO read: the crash line's time of the fault if the handler ends the process) */
	pending_prune((uintptr_t)&marker);
	if (npending < PENDING_MAX) {
		struct pending *p = &pending[npending];
		p->marker = &marker;
		p->cookie = marker = ++pending_gen * 0x9e3779b97f4a7c15ull | 1;
		p->sig = sig;
		p->si = si;
		p->uc = uc;
		p->t = t;
		npending++;
	}
	hidden = crash_uc_stack_hide(uc, &orig);
	if (flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))h)(sig, si, uc);
	else
		((void (*)(int))h)(sig);
	if (hidden)
		crash_uc_stack_back(uc, &orig);
	signals_arrival_done();
	if (si->si_code <= 0)
		signals_arrival_where(sig, si, uc); /* (gunicorn's SIGABRT: where the request was) */
	while (npending > 0 && pending[npending - 1].marker <= &marker)
		npending--;
	marker = 0;
	if (unlikely(program_handler(sig) == (void *)SIG_DFL))
		report_if_resent(sig, si, uc, t);
}

/* ---- the report ---- */


struct report_args {
	int sig;
	siginfo_t *si;
	void *uc;
	uint64_t at;
};

/* The report, run on a shim stack (report_crash). While it runs the thread's signal stack, if it
 * has one, is disabled: a fault inside the report (the unwinder reading the bytes at a return
 * address in no module, a module dlclose unmapped) would otherwise take its signal frame at the
 * top of that stack (Linux get_sigframe: SA_ONSTACK and sp not on it) - over the kernel's frame of
 * the crash being reported when that one arrived on it, whose context the return from our
 * handler restores (seen: the crash re-executed from a clobbered context, faulting again inside
 * the shim's handler, 60 nested reports). With it disabled such a fault lands here, below us. The
 * stack is given back as it was before this returns to it; sigaltstack refuses (EPERM) when we
 * still run on it (no shim stack free), and then nothing changes. async-signal-safe */
COLD_TEXT static void report_on_stack(void *p)
{
	struct report_args *a = p;
	stack_t off = {.ss_flags = SS_DISABLE}, was;
	int disabled = sys2(SYS_sigaltstack, &off, &was) == 0 && !(was.ss_flags & SS_DISABLE);
	crash_report(a->sig, a->si, a->uc, a->at);
	if (disabled) {
		was.ss_flags &= ~SS_ONSTACK;
		sys2(SYS_sigaltstack, &was, NULL);
	}
}

/* The crash lines and the stderr report of sig, from the context the kernel saved (si, uc), then
 * crash_end ACTION; at: when sig arrived (CLOCK_MONOTONIC ns; 0: now). async-signal-safe */
COLD_TEXT static void report_crash(int sig, siginfo_t *si, void *uc, uint64_t at, const char *action)
{
	int in_shim = ts.in_shim;
	struct report_args a = {sig, si, uc, at ? at : now_ns()};
	crash_state = CS_REPORTING;
	crash_sig = sig;
	ts.in_crash = 1;
	if (!in_shim) /* not if the fault interrupted the shim appending to the batch */
		trace_batch_end();
	routine_flush_all(0); /* what threads keep (routine.c), before the crash */
	ts.in_shim = 1;
	/* on one of the shim's stacks: the program's (a thread's, its signal stack) have room we do
	 * not know; with none free, here */
	if (!shim_stack_run(report_on_stack, &a))
		crash_report(sig, si, uc, a.at);
	crash_end(action);
	crash_flush_counts();
	ts.in_shim = in_shim;
	ts.in_crash = 0;
	crash_state = CS_NONE;
}

/* The signal a handler of the program already reported (report_if_resent); 0 if none */
static atomic_int reported_sig COLD_BSS;

/* The program's handler returned after restoring the default action and sending the signal again
 * (Apache's sig_coredump: kill(getpid(), sig), blocked until the handler returns): it is about to
 * end the process. Reported now, while the context of the fault is still at hand; the re-sent
 * signal then only ends it (crash_handler). */
COLD_TEXT static void report_if_resent(int sig, siginfo_t *si, void *uc, uint64_t at)
{
	sigset_t set;
	int saved = errno;
	memset(&set, 0, sizeof set); /* (the kernel fills its 8 bytes) */
	if (sys2(SYS_rt_sigpending, &set, 8) == 0 && sigismember(&set, sig) && (is_fault(sig, si) || si->si_pid == (pid_t)sys0(SYS_getpid))) {
		report_crash(sig, si, uc, at, "default");
		atomic_store(&reported_sig, sig);
	}
	errno = saved;
}

/* ---- ending the process ---- */

/* Default action for sig, then let it happen: a synchronous fault re-executes when we return;
 * anything else is re-sent to this thread and delivered when the handler returns. Called from a
 * signal handler only, which returns after it (or, for a fault inside the report, unblocks it).
 * The kernel gets the program's own record of sig (program_get: SIG_DFL, or SIG_IGN for a
 * fault, which the kernel turns into SIG_DFL at the re-fault), exactly, with the raw
 * rt_sigaction: through glibc it would carry SA_RESTORER and glibc's restorer where the
 * program's action (never set since exec) has neither, which the program would read back where
 * the fault does not recur (a signal it queued to itself with a fault's si_code, t287) or
 * another thread reads meanwhile. Any other handler (a fault inside the report of a handler's
 * chain) gives way to a plain SIG_DFL. */
/* The mask sigreturn puts back (uc's uc_sigmask) without sig. It is the interrupted code's mask,
 * but in sigsuspend, ppoll, pselect, epoll_pwait and the like it is the mask from before the call
 * (Linux 6.1 kernel/signal.c set_user_sigmask/restore_saved_sigmask: the frame saves
 * saved_sigmask), where the program has sig blocked: the signal let in only by the call's own
 * mask. Without the shim the default action ended the process there; with sig left blocked at
 * the return, the re-sent signal stayed pending and the call returned EINTR: a process in
 * sigsuspend lived on after a SIGTERM (t394). Nothing of the program runs with this mask: the
 * pending sig ends the process at the return. uc may be 0 (nothing changed). async-signal-safe */
COLD_TEXT static void uc_let_in(void *uc, int sig)
{
	if (uc)
		sigdelset(&((ucontext_t *)uc)->uc_sigmask, sig);
}

COLD_TEXT static void die_with(int sig, int fault, void *uc)
{
	struct sigaction dfl;
	sigset_t set;
	program_get(sig, &dfl);
	if (dfl.sa_handler != SIG_DFL && !(fault && dfl.sa_handler == SIG_IGN)) {
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
	}
	if (kernel_action_put_exact(sig, &dfl) != 0) {
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		libc_sigaction(sig, &dfl, NULL);
	}
	owned_set(sig, 0);
	if (fault)
		return;
	/* blocked here (also under SA_NODEFER), pending, and delivered when the handler returns:
	 * sigreturn puts back uc's mask, which let sig in (uc_let_in: also in sigsuspend). So the process
	 * dies at the program's pc, and a core (SIGABRT, SIGQUIT) has the program's frames on top
	 * (abort's raise), not the shim's handler (t330) */
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	uc_let_in(uc, sig);
	/* the kernel's tid, not shim_gettid's: in a fork child before the shim's fork wrapper has
	 * its pid (a program's pthread_atfork child handler) the cache holds the parent's tid, and
	 * the signal went nowhere: the child lived on (t287) */
	shim_syscall(SYS_tgkill, (pid_t)sys0(SYS_getpid), (pid_t)sys0(SYS_gettid), sig);
}

/* 1 if the interrupted pc (uc's RIP) follows a `syscall` instruction (0f 05) in a module's code:
 * the signal was delivered on the return from a system call. A fault's si_code there is one the
 * program queued to itself (rt_tgsigqueueinfo and rt_sigqueueinfo let a thread give itself any
 * si_code): no instruction faults again when the handler returns, and the default action put
 * back by die_with would never run (without the shim the program died of it). A real fault at
 * an instruction right after an inline system call takes the same way, to the same end.
 * async-signal-safe */
COLD_TEXT static int delivered_after_syscall(const siginfo_t *si, const void *uc)
{
	const ucontext_t *u = uc;
	uintptr_t pc = (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
	/* the two bytes are read only on pc's own page, and only where the instruction at pc was
	 * fetched (a fetch fault's si_addr lies within its first 16 bytes: pc may be unreadable) */
	if ((uintptr_t)si->si_addr - pc < 16 || (pc & 4095) < 2 || !module_of(pc))
		return 0;
	return ((const unsigned char *)pc)[-2] == 0x0f && ((const unsigned char *)pc)[-1] == 0x05;
}

/* After die_with put the default action back: sig queued again to this thread with the same
 * siginfo, blocked here until the handler returns, so that it ends the process at the program's
 * pc with the siginfo it had (the core's top frames and NT_SIGINFO the program's). Where the
 * kernel refuses, or under a seccomp filter (seccomp_filtered: it may kill that call, which
 * programs seldom make), tgkill: the same death, si_code SI_TKILL. async-signal-safe */
COLD_TEXT static void requeue_to_self(int sig, siginfo_t *si, void *uc)
{
	uint64_t set = 1ull << (sig - 1);
	pid_t pid = (pid_t)sys0(SYS_getpid), tid = (pid_t)sys0(SYS_gettid);
	sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, sizeof set);
	uc_let_in(uc, sig);
	if (seccomp_filtered() || sys4(SYS_rt_tgsigqueueinfo, pid, tid, sig, si) != 0)
		shim_syscall(SYS_tgkill, pid, tid, sig);
}

/* A signal taken by a vfork child, which shares our memory but has actions of its own (the
 * kernel's copy of ours at the vfork): the program's action as recorded, which the child
 * inherited, with none of the shim's bookkeeping (counts, pending faults, records, lines: all
 * in the parent's memory). The default action in the child's own kernel record, then the signal
 * again (a fault: the instruction again). async-signal-safe */
COLD_TEXT void crash_vfork_child_signal(int sig, siginfo_t *si, void *uc)
{
	struct sigaction dfl;
	sigset_t set;
	int flags;
	void *h = crash_program_handler(sig, &flags);
	if (h == (void *)SIG_IGN && !is_fault(sig, si))
		return;
	if (h != (void *)SIG_DFL && h != (void *)SIG_IGN) {
		if (flags & SA_SIGINFO)
			((void (*)(int, siginfo_t *, void *))h)(sig, si, uc);
		else
			((void (*)(int))h)(sig);
		return;
	}
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	libc_sigaction(sig, &dfl, NULL);
	if (is_fault(sig, si))
		return;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sys6(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), sig, 0, 0, 0); /* (not shim_gettid: the parent's cache) */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Before a program's handler runs from term_default_handler or crash_handler (its action set since
 * the kernel chose ours, or a vfork child's): the thread's mask as the kernel would have set it
 * for that handler, where ours blocked every signal (but the synchronous ones: kernel_action_for):
 * the one uc interrupted, the handler's sa_mask and sig but with SA_NODEFER. The action: a
 * termination signal's from the kernel's record (the program's action now), a crash signal's from
 * program_action (exact; in a vfork child the kernel may still hold crash_handler's).
 * async-signal-safe */
COLD_TEXT void crash_program_handler_mask(int sig, const void *uc)
{
	struct sigaction a;
	uint64_t set, m;
	memcpy(&set, &((const ucontext_t *)uc)->uc_sigmask, sizeof set);
	memset(&a, 0, sizeof a);
	if (term_slot(sig) < 0)
		program_get(sig, &a);
	if (term_slot(sig) < 0 || libc_sigaction(sig, NULL, &a) == 0) {
		memcpy(&m, &a.sa_mask, sizeof m);
		set |= m | (a.sa_flags & SA_NODEFER ? 0 : 1ull << (sig - 1));
	}
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, sizeof set);
}

/* a fault inside a report made from crash_exit_check: back there, the exit goes on */
static __thread void *report_escape[5];
static __thread int report_escape_armed;

/* The kernel's entry while the program's action is SIG_DFL: this signal ends the process.
 * Report it, or, when a handler of the program is still running on this thread (it restored the
 * default and re-raised, as faulthandler does), the fault that handler was given; then the
 * default action, so that the exit status and the core are the program's. */
/* crash_handler; dfl: as if the program had no handler (the default action, whatever it set:
 * fault_trampoline's stack overflow its handler could not have taken) */
COLD_TEXT static void crash_handler_as(int sig, siginfo_t *si, void *uc, int dfl)
{
	int saved = errno, sent;
	void *h = dfl ? (void *)SIG_DFL : program_handler(sig);
	/* (every signal but the synchronous ones blocked here, kernel_action_for: a program's
	 * handler run from here gets the mask the kernel would have given it) */
	if (unlikely(in_vfork_child())) {
		if (h != (void *)SIG_DFL && h != (void *)SIG_IGN)
			crash_program_handler_mask(sig, uc);
		crash_vfork_child_signal(sig, si, uc);
		errno = saved;
		return;
	}
	if (unlikely(!is_fault(sig, si) && crash_install_hold(sig, si))) {
		errno = saved;
		return;
	}
	unwind_fault_escape(sig, si); /* the unwinder read a bad address: only its walk ends */
	if (crash_state == CS_REPORTING) {
		/* a fault in our own report */
		if (report_escape_armed)
			__builtin_longjmp(report_escape, 1);
		die_with(crash_sig, 0, 0);
		/* now, here: returning would run the report's faulting instruction again, into this
		 * handler again (another signal than crash_sig is still the shim's) */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, crash_sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		errno = saved;
		return;
	}
	if (h != (void *)SIG_DFL && h != (void *)SIG_IGN) {
		/* the program installed a handler since the kernel chose ours */
		crash_program_handler_mask(sig, uc);
		fault_trampoline(sig, si, uc);
		errno = saved;
		return;
	}
	if (h == (void *)SIG_IGN && !is_fault(sig, si)) {
		errno = saved; /* the program set SIG_IGN after the kernel chose ours */
		return;
	}
	if (unlikely(ns_init()) && h == (void *)SIG_DFL && !is_fault(sig, si)) {
		errno = saved; /* sent to a namespace's init: the kernel would have dropped it */
		return;
	}
	pending_prune((uintptr_t)&saved);
	sent = si->si_code <= 0 && si->si_pid != trace_pid_get();
	/* (the state letter, and python3's own Py_FinalizeEx, read from the stack it interrupted: this
	 * handler runs on the signal stack) */
	ts.interrupted_sp = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP];
	if (sent)
		signals_arrival(sig, si, SIG_DFL, 1); /* sent by another process: kill -ABRT */
	if (atomic_exchange(&reported_sig, 0) == sig) {
		/* reported by report_if_resent: this is the signal the handler sent */
	} else if (npending > 0) {
		struct pending p = pending[npending - 1];
		npending = 0;
		if (p.sig == sig) {
			report_crash(p.sig, p.si, p.uc, p.t, "default");
		} else {
			/* another signal ends it (the handler called abort()): both, in order */
			report_crash(p.sig, p.si, p.uc, p.t, "chain");
			report_crash(sig, si, uc, 0, "default");
		}
	} else {
		report_crash(sig, si, uc, 0, "default");
	}
	if (sent) /* a request to end: in its teardown, a snapshot of every thread first */
		watchdog_kill_snapshot(sig, uc);
	ts.interrupted_sp = 0;
	die_with(sig, is_fault(sig, si), uc);
	if (is_fault(sig, si) && delivered_after_syscall(si, uc))
		requeue_to_self(sig, si, uc);
	errno = saved;
}

COLD_TEXT static void crash_handler(int sig, siginfo_t *si, void *uc) { crash_handler_as(sig, si, uc, 0); }

/* From exit, _exit, _Exit and quick_exit: a process that ends while a handler of the program runs
 * on this thread (uWSGI's SIGSEGV handler prints and calls exit(1)) ends because of that fault:
 * report it now, with the context it came with, before the exit is traced. Returns 1 when the
 * exit comes from such a handler, else 0. */
COLD_TEXT int crash_exit_check(void)
{
	struct pending p;
	sigset_t mask;
	int saved = errno, in_shim = ts.in_shim;
	if (likely(npending == 0))
		return 0;
	pending_prune((uintptr_t)__builtin_frame_address(0));
	if (npending == 0 || in_vfork_child())
		return 0;
	p = pending[npending - 1];
	npending = 0;
	if (!is_fault(p.sig, p.si) && p.si->si_pid != (pid_t)sys0(SYS_getpid))
		return 1; /* sent by another process (kill -ABRT): a request to end, not a crash */
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	if (__builtin_setjmp(report_escape) == 0) {
		report_escape_armed = 1;
		report_crash(p.sig, p.si, p.uc, p.t, "chain");
	} else {
		/* (the shim stack the report ran on stays taken: one of the pool) */
		crash_state = CS_NONE;
		ts.in_crash = 0;
		ts.in_shim = in_shim;
		pthread_sigmask(SIG_SETMASK, &mask, NULL);
	}
	report_escape_armed = 0;
	errno = saved;
	return 1;
}

/* Seccomp's strict mode is about to begin (sandbox.c): from then on only read, write, _exit and
 * sigreturn are allowed, anything else kills the process, and on x86 rdtsc faults (the kernel
 * disables the TSC: the vDSO's clock raises SIGSEGV). A handler of the shim's would make such
 * calls: a SIGTERM whose handler only writes killed the process by SIGSEGV (the clock), a
 * default-action signal's re-send or a crash report by SIGKILL (HOSTILE15, t414). So every owned
 * signal's action goes back to the program's own, as its record holds it (the kernel runs the
 * program's handlers itself from now on: no arrival lines), while the system call is still
 * allowed. The caller turns the shim off after. Cold; async-signal-safe (raw calls) */
COLD_TEXT void crash_give_back_all(void)
{
	for (int sig = 1; sig < SIG_SLOTS; sig++) {
		struct sigaction a;
		if (!owned(sig))
			continue;
		program_get(sig, &a);
		if (kernel_action_put_exact(sig, &a) == 0)
			owned_set(sig, 0);
	}
}

/* ---- setting up ---- */

/* An action put back in the kernel exactly as a was read from it (through glibc's sigaction,
 * which copies the kernel's flags and restorer as they are): handler, flags, restorer and the 64
 * mask bits, with the raw rt_sigaction (struct kernel_sigaction, Linux's
 * include/linux/signal_types.h for x86-64). glibc's sigaction would add SA_RESTORER and its
 * restorer (glibc 2.36 sysdeps/unix/sysv/linux/libc_sigaction.c), which an action inherited
 * across exec, or one never set since, does not have (the kernel's flush_signal_handlers clears
 * both): the program would read them back. Returns 0 or -errno. async-signal-safe */
long kernel_action_put_exact(int sig, const struct sigaction *a)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} ka;
	ka.handler = (void *)a->sa_handler;
	ka.flags = (unsigned long)(unsigned)a->sa_flags;
	ka.restorer = (void *)a->sa_restorer;
	memcpy(&ka.mask, &a->sa_mask, sizeof ka.mask);
	return sys4(SYS_rt_sigaction, sig, &ka, NULL, sizeof ka.mask);
}

/* ours in, and what was there before kept as what the program believes is installed (a shim
 * loaded late may find a handler). An action inherited ignored (nohup, a shell's trap '' TERM)
 * goes back as it was, flags 0 and no restorer, which is what the program reads from then on
 * (term_program_get asks the kernel). From the first call to program_put the kernel holds our
 * handler and the record says SIG_DFL: a signal arriving then is held and sent again at the end
 * (crash_install_hold), rather than read the action first: one more system call per owned signal
 * at every start. */
static int test_install_raise; /* TLSTRACE_TEST_INSTALL_RAISE: tests only */
/* install() of termination signal sig in a namespace's init (the trace's pid, getpid at its
 * opening, is 1; the first such call marks it, ns_init): nothing to put in for the program's
 * SIG_DFL, only its record (0); -1 if the kernel cannot be asked; 1: another action, to be
 * installed as anywhere. Cold: out of the start-up code's pages (t040). */
COLD_TEXT __attribute__((noinline)) static int install_ns_init(int sig)
{
	struct sigaction old;
	atomic_fetch_or(&owned_bits, NS_INIT_BIT);
	memset(&old, 0, sizeof old);
	if (libc_sigaction(sig, NULL, &old) != 0)
		return -1;
	mask_tail_clear(&old);
	program_put(sig, &old);
	return old.sa_handler == SIG_DFL ? 0 : 1;
}

static int install(int sig)
{
	struct sigaction old, k, dfl;
	int held;
	memset(&old, 0, sizeof old);
	memset(&dfl, 0, sizeof dfl);
	if (unlikely(trace_pid_get() == 1) && term_signal(sig) && (held = install_ns_init(sig)) <= 0)
		return held;
	kernel_action_for(sig, &dfl, &k);
	atomic_store(&install_sig, sig);
	if (libc_sigaction(sig, &k, &old) != 0) {
		atomic_store(&install_sig, 0);
		return -1;
	}
	if (unlikely(test_install_raise == sig)) /* a signal inside the window (crash_install_hold) */
		sys4(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), sig, 0);
	mask_tail_clear(&old);
	program_put(sig, &old);
	if (kernel_should_ignore(&old)) {
		if (kernel_action_put_exact(sig, &old) != 0) {
			kernel_action_for(sig, &old, &k);
			libc_sigaction(sig, &k, NULL);
		}
	} else if (old.sa_handler != SIG_DFL) {
		kernel_action_for(sig, &old, &k);
		libc_sigaction(sig, &k, NULL);
	}
	atomic_store(&install_sig, 0);
	if (unlikely((held = atomic_exchange(&install_held, 0)) != 0)) {
		/* kept by crash_install_hold: now as the program's action says (dropped where it
		 * ignores it; the sender's siginfo kept: a queue to ourselves may carry any si_code;
		 * under a seccomp filter, which may kill rt_tgsigqueueinfo, a tgkill: the signal
		 * arrives with si_code SI_TKILL and our pid as its sender) */
		if (program_handler(held) != (void *)SIG_IGN &&
		    (seccomp_filtered() ||
		     sys4(SYS_rt_tgsigqueueinfo, sys0(SYS_getpid), sys0(SYS_gettid), held, &install_held_si) != 0))
			sys4(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), held, 0);
	}
	return 0;
}

void crash_init(void)
{
	const char *t = shim_getenv("TLSTRACE_TEST_HANDLER_FAULT"), *end;
	int i;
	if (t && *t)
		test_handler_fault = (int)shim_strtoll(t, &end); /* (as atoi: 0 without digits) */
	t = shim_getenv("TLSTRACE_TEST_INSTALL_RAISE");
	if (t && *t)
		test_install_raise = (int)shim_strtoll(t, &end);
	if (!cfg.signals)
		return;
	libc_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))libc_function("sigaction");
	if (!libc_sigaction)
		libc_sigaction = REAL(sigaction);
	for (i = 0; i < NCRASH; i++)
		if (install(crash_signals[i]) == 0)
			owned_set(crash_signals[i], 1);
	for (i = 0; i < NTERM; i++)
		if (install(term_signals[i]) == 0)
			owned_set(term_signals[i], 1);
}

/* In a fork child (threads.c after_fork) that is its pid namespace's init (the first child of
 * unshare(CLONE_NEWPID) or setns into a new one), or a clone(CLONE_NEWPID) child (clone_ns_start): each owned termination signal at the program's
 * default action goes back to SIG_DFL in the kernel, exactly as the program's record holds it
 * (flags 0 and no restorer where it never set one), so the kernel drops what is sent to it
 * (ns_init()). Cold: once per such child. */
COLD_TEXT void crash_after_fork_child(void)
{
	if (ns_init() || sys0(SYS_getpid) != 1 || !cfg.signals || !libc_sigaction)
		return;
	atomic_fetch_or(&owned_bits, NS_INIT_BIT);
	for (int i = 0; i < NTERM; i++) {
		struct sigaction a;
		int sig = term_signals[i];
		if (!owned(sig) || program_handler(sig) != (void *)SIG_DFL)
			continue;
		program_get(sig, &a);
		kernel_action_put_exact(sig, &a);
	}
}

/* At the start of glibc's system() (sigcompat.c). It sets SIGINT and SIGQUIT to SIG_IGN and back
 * with its internal __sigaction, which the shim does not see (glibc 2.36 sysdeps/posix/system.c,
 * do_system; the last of concurrent calls puts back what the first found, on return or in the
 * cleanup handler of a thread cancelled inside it). What it puts back is the kernel's action as
 * it found it, ours, through glibc's sigaction, which adds SA_RESTORER and glibc's restorer to
 * every action: without the shim the program reads them from then on, where before it read flags
 * 0 and no restorer (an action not installed since exec). The kernel's record, with our handler
 * and flags taken out (term_program_of), is what it reads without the shim: such a signal is from
 * now on read from there (bit sig of program_set; the program's handler and flags in term_own
 * stay SIG_DFL and none). A signal the kernel ignores (system() under way, or an inherited
 * SIG_IGN) is read from the kernel as it is. Marked before the call: a cancelled thread never
 * comes back to the wrapper. Left: another thread that reads SIGINT or SIGQUIT between this mark
 * and glibc's first __sigaction reads SA_RESTORER and glibc's restorer where the program never
 * set the signal (the shim's own installation wrote them; a window of a few instructions).
 *
 * Why not tell "glibc reinstalled this" from the kernel's record alone: glibc puts back the handler,
 * flags and mask it read, so only the restorer could differ, had the shim installed its own
 * restorer. That would cost a kernel query for every query of a signal never set (python3 asks
 * for all 64 at every start: none today) and a restorer of the shim's own, without glibc's
 * unwind information, at the top of every handler's frame. glibc 2.36's other internal callers
 * do not change an owned signal the program can read afterwards: abort() sets SIGABRT to SIG_DFL
 * only to die by it; posix_spawn's child resets handlers in its own copy before exec; sigvec (a
 * compat symbol) installs the program's handler itself, which term_program_of then reports from
 * the kernel; utmp, lckpwdf, profil and sprofil use SIGALRM and SIGPROF, not owned. */
void crash_system(void)
{
	if (owned(SIGINT))
		atomic_fetch_or(&program_set, 1u << SIGINT);
	if (owned(SIGQUIT))
		atomic_fetch_or(&program_set, 1u << SIGQUIT);
}

/* The termination signals this process inherited ignored (bit sig), as the program sees them. */
unsigned crash_term_ignored(void)
{
	unsigned bits = 0;
	int i;
	for (i = 0; i < NTERM; i++)
		if (owned(term_signals[i]) && program_handler(term_signals[i]) == (void *)SIG_IGN)
			bits |= 1u << term_signals[i];
	return bits;
}

/* The main thread's signal stack (ts.altstack), for the report of a stack overflow: mapped at
 * start with a guard below it (a handler that overflows it faults instead of writing over other memory).
 * Other threads get none: a mapping per thread would cost every thread two of the process's
 * vm.max_map_count mappings; a stack overflow on one of them ends the process by SIGSEGV, as it
 * would without the shim, without a report. */
#define GUARD_SIZE (64 * 1024)
/* 512 KiB: a handler the program installs with SA_ONSTACK while the main thread has no signal
 * stack of its own runs on this one (the kernel takes the thread's, whoever set it), where
 * without the shim it would run on the main stack: at 64 KiB, one that used 56 KiB died of
 * SIGSEGV (hostile14's onstack_noalt; issue 14: "a handler needing 256 KiB of stack works",
 * t397). Address space only (MAP_NORESERVE: no commit charge under overcommit heuristics; below
 * 2 MiB, no transparent huge page), but 448 KiB more of it than at 64 KiB: under RLIMIT_AS
 * 256 MiB, review/resources.c makes 249 threads of 1 MiB stacks, 250 before, 252 without the
 * shim. A handler needing more than about 500 KiB still differs. */
#define ALTSTACK_SIZE (512 * 1024)
/* a page of plain memory below the guard: the program's next anonymous mapping, placed below
 * ours, merges with it as it would have merged with what lay there without the shim (no
 * mapping more in /proc/self/maps at a program's first allocations, t049) */
#define PAD_SIZE 4096

/* ALTSTACK_SIZE bytes of stack with GUARD_SIZE of PROT_NONE below: the lowest usable address,
 * or NULL. Address space only until used. */
static char *map_altstack(void)
{
	/* raw calls: the constructor maps it, maybe inside a sanitizer's initialization (str.h) */
	char *p = sys_mmap(PAD_SIZE + GUARD_SIZE + ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
	if (p == MAP_FAILED)
		return NULL;
	if (sys3(SYS_mprotect, p + PAD_SIZE, GUARD_SIZE, PROT_NONE) != 0) {
		sys2(SYS_munmap, p, PAD_SIZE + GUARD_SIZE + ALTSTACK_SIZE);
		return NULL;
	}
	return p + PAD_SIZE + GUARD_SIZE;
}

void crash_thread_init(void)
{
	stack_t cur, ss;
	char *p;
	if (!cfg.signals || ts.altstack || shim_gettid() != trace_pid_get())
		return;
	if (sys2(SYS_sigaltstack, NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
		return; /* the program has its own */
	p = map_altstack();
	if (!p)
		return;
	ss.ss_sp = p;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sys2(SYS_sigaltstack, &ss, NULL) != 0) {
		sys2(SYS_munmap, p - GUARD_SIZE - PAD_SIZE, PAD_SIZE + GUARD_SIZE + ALTSTACK_SIZE);
		return;
	}
	ts.altstack = p; /* (never retired: the main thread's) */
	ts.altstack_size = ALTSTACK_SIZE;
}

/* What stays of the main thread's signal stack where the program's mlockall(MCL_CURRENT) fails
 * for the shim's mappings (crash_altstack_shrink): room for the kernel's frame (~3.3 KiB with
 * AVX-512 state) and the crash handler's first frames, which move to a shim stack (stacks.c) */
#define ALTSTACK_SMALL (64 * 1024)
#define SMALL_GUARD 4096

/* The program's mlockall(MCL_CURRENT) failed with ENOMEM (rlimit.c): Linux compares the whole
 * address space (mm->total_vm, PROT_NONE guards too) with RLIMIT_MEMLOCK (mm/mlock.c
 * SYSCALL_DEFINE1(mlockall)), and the main thread's signal stack is the shim's largest mapping
 * (580 KiB with its guard and pad): under `ulimit -l 3000` as nobody mlockall failed where it
 * succeeds without the shim (HOSTILE15, hostile15_mlock). The stack is cut to its top
 * ALTSTACK_SMALL bytes with a SMALL_GUARD guard below (the rest unmapped, 516 KiB), every signal
 * blocked meanwhile, so that the caller may try again; the crash path stays prepared. An
 * SA_ONSTACK handler of the program's that runs on it (the program set no signal stack of its
 * own) then has 64 KiB, not 512 (hostile14's onstack_noalt). Main thread only (ts.altstack is
 * its own); not while a handler runs on it. 1 if cut. async-signal-safe */
COLD_TEXT int crash_altstack_shrink(void)
{
	uint64_t all = ~0ull, old;
	stack_t cur, ss;
	char *low, *keep;
	int done = 0;
	if (!ts.altstack || ts.altstack_size <= ALTSTACK_SMALL || shim_gettid() != trace_pid_get())
		return 0;
	low = ts.altstack - GUARD_SIZE - PAD_SIZE;
	keep = ts.altstack + ts.altstack_size - ALTSTACK_SMALL;
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
	if (sys2(SYS_sigaltstack, NULL, &cur) == 0 && !(cur.ss_flags & SS_ONSTACK) &&
	    sys3(SYS_mprotect, keep - SMALL_GUARD, SMALL_GUARD, PROT_NONE) == 0) {
		ss.ss_sp = keep;
		ss.ss_size = ALTSTACK_SMALL;
		ss.ss_flags = 0;
		/* (a signal stack the program set since stays: ours is only what it had before) */
		if (cur.ss_sp != ts.altstack || (cur.ss_flags & SS_DISABLE) || sys2(SYS_sigaltstack, &ss, NULL) == 0) {
			sys2(SYS_munmap, low, (keep - SMALL_GUARD) - low);
			ts.altstack = keep;
			ts.altstack_size = ALTSTACK_SMALL;
			done = 1;
		}
	}
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
	return done;
}

/* ---- what the program sees ---- */

/* glibc's siglongjmp (also its longjmp and _longjmp: one function) and __longjmp_chk: libc's own,
 * found on first need (out of the start-up page: most processes never jump); in a passive shim
 * (no module table, so no libc_function) the next definition (before: a call through NULL, every
 * longjmp of a set-uid program, or one whose trace could not be opened, died of SIGSEGV) */
typedef void jmp_fn(struct __jmp_buf_tag *, int);
static struct {
	jmp_fn *siglongjmp, *longjmp_chk;
} real_jmp COLD_BSS;

static void longjmp_resolve(void)
{
	if (!real_jmp.siglongjmp)
		real_jmp.siglongjmp = (jmp_fn *)libc_function("siglongjmp");
	if (!real_jmp.siglongjmp)
		real_jmp.siglongjmp = (jmp_fn *)real_lookup("siglongjmp");
	if (!real_jmp.longjmp_chk)
		real_jmp.longjmp_chk = (jmp_fn *)libc_function("__longjmp_chk");
	if (!real_jmp.longjmp_chk)
		real_jmp.longjmp_chk = (jmp_fn *)real_lookup("__longjmp_chk");
}

/* The program's sigaction on an owned signal. Its action goes into the kernel for a moment, so
 * that the kernel checks it (the program gets the kernel's error) and gives it back in the form
 * it reports (glibc's restorer, the flags and mask as stored); ours replaces it at once. Until
 * then a signal takes the program's action, as it would without the shim. */
static atomic_int vfork_child_acted; /* a vfork child has set an action through us (never cleared) */
static int owned_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction prev, now, k;
	/* A query (act NULL) in a vfork child reads what the parent's records say, which is what the
	 * kernel copied for the child, until the child sets an action of its own: only then do queries
	 * ask whose they are (a getpid: python3 queries all 64 signals at every start). */
	if ((act || atomic_load_explicit(&vfork_child_acted, memory_order_relaxed)) && in_vfork_child()) {
		if (act)
			atomic_store(&vfork_child_acted, 1);
		/* a vfork child shares our memory but not the kernel's actions: its own go to the
		 * kernel; ours, which it inherited, read as what the parent's program installed */
		void *h;
		if (REAL(sigaction)(sig, act, old) != 0)
			return -1;
		h = old ? (void *)old->sa_sigaction : NULL;
		if (h == (void *)crash_handler || h == (void *)fault_trampoline || h == (void *)term_trampoline ||
		    h == (void *)term_default_handler || (h == (void *)SIG_IGN && program_handler(sig) == (void *)SIG_IGN)) {
			program_get(sig, &prev);
			report_action(&prev, old);
		}
		return 0;
	}
	if (act && term_slot(sig) >= 0 && (atomic_load(&program_set) & 1u << sig)) {
		/* the old action in the same call (a termination signal's record is the kernel's):
		 * one system call less inside a handler's window (t122) */
		memset(&prev, 0, sizeof prev);
		if (libc_sigaction(sig, act, &prev) != 0)
			return -1;
		term_program_of(term_slot(sig), &prev);
	} else {
		program_get(sig, &prev);
		if (act && libc_sigaction(sig, act, NULL) != 0)
			return -1;
	}
	if (act) {
		if (term_signal(sig) && kernel_should_ignore(act)) {
			/* the kernel holds act as kernel_action_for would make it, and a termination
			 * signal's record is the kernel's (term_program_get): no second call, which a
			 * handler's SIG_IGN would pay inside its window (Apache's just_die, t122) */
			program_put(sig, act);
			if (old)
				report_action(&prev, old);
			return 0;
		}
		memset(&now, 0, sizeof now);
		kernel_action_for(sig, act, &k);
		libc_sigaction(sig, &k, &now);
		mask_tail_clear(&now);
		program_put(sig, &now);
		/* now, in a normal context, for a fault handler's siglongjmp; a termination signal's
		 * handler (python3 installs SIGINT's at every start) resolves it at its first jump
		 * (libc_function is a lock-free table walk): its page stays untouched until then */
		if (now.sa_handler != SIG_DFL && now.sa_handler != SIG_IGN && !term_signal(sig))
			longjmp_resolve();
	}
	if (old)
		report_action(&prev, old);
	return 0;
}

/* A handler of the shim's own that the program passes to sigaction or signal: it read it through
 * a call the shim did not see (raw rt_sigaction; glibc's internal __sigaction, as sigset and
 * sysv_signal used before sigcompat.c) and gives it back, meaning "the action that was there":
 * the program's own, as recorded. Installed as given it would make the shim call itself. */
static void *own_handler_back(int sig, void *h)
{
	if (h == (void *)term_default_handler || h == (void *)crash_handler)
		return (void *)SIG_DFL;
	if (h == (void *)term_trampoline || h == (void *)fault_trampoline)
		return program_handler(sig);
	return h;
}

/* A signal the shim does not own, as the program sets and reads it: the kernel's action, but for
 * SIGTRAP while TLSTRACE_WATCH=hw keeps the program's apart (watch_trap_sigaction), and a
 * real-time signal the hang watchdog borrows (watchdog_borrowed_action: the action it found
 * there). A program's own action set during a borrow goes to the kernel and stays after it (the
 * watchdog puts back only its own). sigaction's result and errno. */
static int unowned_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	int rc;
	/* (watch_trap_held first: watch_trap_sigaction is cold code, and python3 queries SIGTRAP at
	 * every start) */
	if (sig == SIGTRAP && unlikely(atomic_load_explicit(&watch_trap_held, memory_order_relaxed)) && !in_vfork_child() &&
	    watch_trap_sigaction(sig, act, old, &rc))
		return rc;
	rc = REAL(sigaction)(sig, act, old);
	/* (two address compares: no page touched at start, where python3 queries all 64) */
	if (rc == 0 && old && unlikely(watchdog_borrows((void *)old->sa_sigaction)))
		watchdog_borrowed_action(old);
	return rc;
}

/* The installation is recorded after it took effect (signals_handler_set writes a line): a
 * handler that sets SIG_IGN as its first step (Apache's just_die) must not leave the window in
 * which a second signal runs it on another thread open longer than without the shim (t122). */
EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction new;
	int rc, saved;
	if (act) { /* first: act and old may be the same struct */
		new = *act;
		act = &new;
		if (sig > 0 && sig < SIG_SLOTS && owned(sig)) /* (sa_handler and sa_sigaction: one union) */
			new.sa_handler = (sighandler_t)own_handler_back(sig, (void *)new.sa_handler);
	}
	if (sig <= 0 || sig >= SIG_SLOTS || !owned(sig))
		rc = unowned_sigaction(sig, act, old);
	else
		rc = owned_sigaction(sig, act, old);
	if (act && rc == 0) {
		saved = errno;
		signals_handler_set(sig, (const void *)act->sa_handler, act->sa_flags, old ? "sigaction+old" : "sigaction", __builtin_return_address(0));
		errno = saved;
	}
	return rc;
}

/* The kernel's struct sigaction for x86-64 (Linux uapi asm/signal.h; glibc 2.36
 * sysdeps/unix/sysv/linux/kernel_sigaction.h): the mask is the kernel's 64 bits. */
struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* syscall(SYS_rt_sigaction, sig, act, old, 8) through libc's syscall() (sandbox.c), as the
 * program would have it without the shim: through sigaction, so that it reads its own action (not
 * the shim's handler and flags: "other, 0x1c000004" where it set nothing, hostile14's
 * rawsigaction, t396) and a raw SIG_IGN or handler is the program's record too (before, sigaction
 * still said SIG_DFL after a raw SIG_IGN). act's restorer gives way to glibc's (__restore_rt, the
 * same rt_sigreturn), as when glibc's sigaction installs it. Returns 1 with *rc syscall()'s result
 * (and errno) when taken, 0 for the kernel (another set size, a signal outside 1..64: the
 * kernel's EINVAL). act and old are read and written here: a bad address faults instead of the
 * kernel's EFAULT. */
COLD_TEXT int crash_raw_sigaction(long sig, const void *act, void *old, long size, long *rc)
{
	const struct kernel_sigaction *k = act;
	struct kernel_sigaction *ko = old;
	struct sigaction a, o;
	if (size != sizeof(uint64_t) || sig < 1 || sig > 64)
		return 0;
	if (k) {
		memset(&a, 0, sizeof a);
		a.sa_handler = (sighandler_t)k->handler;
		a.sa_flags = (int)k->flags;
		a.sa_restorer = k->restorer;
		memcpy(&a.sa_mask, &k->mask, sizeof k->mask);
	}
	*rc = sigaction((int)sig, k ? &a : NULL, ko ? &o : NULL);
	if (*rc == 0 && ko) {
		ko->handler = (void *)o.sa_handler;
		ko->flags = (unsigned int)o.sa_flags;
		ko->restorer = o.sa_restorer;
		memcpy(&ko->mask, &o.sa_mask, sizeof ko->mask);
	}
	return 1;
}

/* glibc's signal(): BSD semantics, through sigaction (glibc 2.36 sysdeps/posix/signal.c): the
 * handler with sig in its mask and SA_RESTART, unless siginterrupt(sig, 1) asked otherwise
 * (glibc's _sigintr, kept by sigcompat.c: glibc's own signal would read its own record, which
 * sigcompat.c's siginterrupt does not write). EINVAL for SIG_ERR; sigaction refuses the rest
 * (a number out of range, glibc's internal SIGCANCEL and SIGSETXID) as glibc's signal does. */
EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa, old;
	sighandler_t rc;
	int saved;
	if (handler == SIG_ERR) {
		errno = EINVAL;
		return SIG_ERR;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = sigcompat_restart(sig);
	if (sig >= 1 && sig <= 64) /* (sigaddset's range; the memset emptied the mask) */
		sigset_add(&sa.sa_mask, sig);
	if (sig <= 0 || sig >= SIG_SLOTS || !owned(sig)) {
		rc = unowned_sigaction(sig, &sa, &old) != 0 ? SIG_ERR : old.sa_handler;
	} else {
		sa.sa_handler = (sighandler_t)own_handler_back(sig, (void *)handler);
		rc = owned_sigaction(sig, &sa, &old) != 0 ? SIG_ERR : old.sa_handler;
		handler = sa.sa_handler;
	}
	saved = errno; /* (recorded after it took effect, as sigaction's) */
	if (rc != SIG_ERR)
		signals_handler_set(sig, (const void *)handler, sa.sa_flags, "signal", __builtin_return_address(0));
	errno = saved;
	return rc;
}

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* Linux uapi linux/signal.h; glibc 2.36 has no name for it */
#endif

/* The ss_flags of the program's last SS_DISABLE while the kernel holds ours: the kernel reports
 * them back (SS_DISABLE, with SS_AUTODISARM if given). Main thread only (ts.altstack). */
static int prog_disabled_flags = SS_DISABLE;
/* 1 once the program dropped a signal stack (its own or, as it believes, none) while the kernel
 * holds ours: the kernel's sas_ss_flags are its flags from then on, 0 before (Linux 6.1
 * do_sigaltstack, __save_altstack: what a handler finds in uc_stack.ss_flags). Main thread only. */
static int prog_disable_seen;
/* the program has set a signal stack of its own through sigaltstack at least once (main thread):
 * without one, a handler's return under the program's seccomp filter asks the kernel nothing
 * (crash_uc_stack_back) */
static int prog_stack_set_seen COLD_BSS;

/* The program sees its own signal stack: on the main thread, while the kernel holds the shim's,
 * sigaltstack reports none, as it would without the shim; a stack the program sets replaces
 * ours, and when it drops its own, ours goes back. */
COLD_TEXT EXPORT int sigaltstack(const stack_t *ss, stack_t *old)
{
	stack_t cur, in;
	int ours;
	if (!ts.altstack || in_vfork_child())
		return (int)shim_syscall(SYS_sigaltstack, ss, old);
	if (ss) { /* ss and old may be the same struct */
		in = *ss;
		ss = &in;
	}
	if (shim_syscall(SYS_sigaltstack, NULL, &cur) != 0)
		return -1;
	ours = cur.ss_sp == ts.altstack;
	if (ss && (ss->ss_flags & SS_DISABLE) && ours) {
		/* the kernel is not asked to drop ours (the program has none): its answer as it would
		 * give it (kernel/signal.c do_sigaltstack, Linux 6.1): EPERM on the stack, EINVAL for
		 * a mode other than SS_DISABLE (SS_DISABLE is one bit of, e.g., ss_flags 99) */
		if (cur.ss_flags & SS_ONSTACK) {
			errno = EPERM;
			return -1;
		}
		if (((unsigned)ss->ss_flags & ~SS_AUTODISARM) != SS_DISABLE) {
			errno = EINVAL;
			return -1;
		}
		prog_disabled_flags = ss->ss_flags;
		prog_disable_seen = 1;
	}
	if (ss && (!(ss->ss_flags & SS_DISABLE) || !ours)) {
		prog_stack_set_seen = 1;
		if (shim_syscall(SYS_sigaltstack, ss, NULL) != 0)
			return -1;
		if (ss->ss_flags & SS_DISABLE) {
			prog_disabled_flags = ss->ss_flags;
			prog_disable_seen = 1;
			stack_t mine = {.ss_sp = ts.altstack, .ss_flags = 0, .ss_size = ts.altstack_size};
			int saved = errno;
			shim_syscall(SYS_sigaltstack, &mine, NULL);
			errno = saved;
		}
	}
	if (old) {
		if (ours) {
			old->ss_sp = NULL;
			old->ss_flags = prog_disabled_flags;
			old->ss_size = 0;
		} else {
			*old = cur;
		}
	}
	return 0;
}

/* uc_stack of the frame the kernel gave a program's handler on the main thread, as it would be
 * without the shim: the kernel saves the thread's signal stack there (Linux 6.1 __save_altstack),
 * ours where the program has none, and sigreturn installs it again (restore_altstack). So a
 * handler read ours (ss_sp and ss_size 65536 where it finds NULL and 0), and a signal stack the
 * program set inside a handler was replaced by ours at the handler's return: its SA_ONSTACK
 * handlers then ran on the shim's stack, and sigaltstack said it had none (hostile14, t395).
 * Without the shim the kernel's restore of {NULL, 0, 0} fails (ENOMEM, ignored) and the program's
 * stack stays. crash_uc_stack_hide puts the program's view in before its handler runs (orig
 * receives the kernel's; returns 1 if it changed uc); crash_uc_stack_back, after a handler that
 * returned, puts in what sigreturn must install: ours again, or the stack the program set in the
 * handler (one it set in uc itself stays; one dropped through uc: ours stays, as sigaltstack
 * keeps it). Only the handlers the shim's trampolines run (crash and termination signals): the
 * kernel runs the program's other handlers (SIGALRM, SIGCHLD, ...) itself. async-signal-safe */
COLD_TEXT int crash_uc_stack_hide(void *uc, stack_t *orig)
{
	stack_t *s = &((ucontext_t *)uc)->uc_stack;
	if (!ts.altstack || s->ss_sp != ts.altstack)
		return 0;
	*orig = *s;
	s->ss_sp = NULL;
	s->ss_size = 0;
	s->ss_flags = prog_disable_seen ? prog_disabled_flags : 0;
	return 1;
}

COLD_TEXT void crash_uc_stack_back(void *uc, const stack_t *orig)
{
	stack_t *s = &((ucontext_t *)uc)->uc_stack, cur;
	int dflags = prog_disable_seen ? prog_disabled_flags : 0;
	if (s->ss_sp == NULL && s->ss_size == 0 && s->ss_flags == dflags) {
		/* (a view with SS_DISABLE: without the shim the return drops any stack set since; a
		 * program under a seccomp filter of its own that never set a stack set none here: its
		 * filter may kill a sigaltstack it never makes itself, HOSTILE15, t409) */
		if ((dflags & SS_DISABLE) ||
		    (!prog_stack_set_seen && atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed)) ||
		    sys2(SYS_sigaltstack, NULL, &cur) != 0 || cur.ss_sp == ts.altstack ||
		    (cur.ss_flags & SS_DISABLE)) {
			*s = *orig;
			return;
		}
		cur.ss_flags &= ~SS_ONSTACK;
		*s = cur;
		return;
	}
	if (s->ss_flags & SS_DISABLE)
		*s = *orig;
}

/* A handler left by siglongjmp/longjmp is no longer running: its record goes now (the jump's
 * target frame is above it), so that an exit later is not taken for the end of that fault; a
 * termination handler's put-off watcher record too (watchdog.c). The target's stack pointer is
 * in the jmp_buf, mangled by glibc with the thread's pointer guard (x86-64: __jmpbuf[6], rotated
 * left 0x11 after an xor with %fs:0x30). async-signal-safe */
static void pending_leave(const struct __jmp_buf_tag *env)
{
	uintptr_t sp, guard;
	if (likely(npending == 0) && likely(!hw_put_off.sig))
		return;
	sp = (uintptr_t)env->__jmpbuf[6];
	__asm__("movq %%fs:0x30, %0" : "=r"(guard));
	sp = ((sp >> 0x11) | (sp << (64 - 0x11))) ^ guard;
	if (unlikely(hw_put_off.sig))
		watchdog_handler_left(sp);
	pending_prune(sp);
}

EXPORT void siglongjmp(sigjmp_buf env, int val)
{
	pending_leave(env);
	longjmp_resolve();
	real_jmp.siglongjmp(env, val);
	__builtin_unreachable();
}

EXPORT void longjmp(jmp_buf env, int val) __attribute__((alias("siglongjmp")));
EXPORT void _longjmp(jmp_buf env, int val) __attribute__((alias("siglongjmp")));

void __longjmp_chk(jmp_buf env, int val) __attribute__((noreturn));
EXPORT void __longjmp_chk(jmp_buf env, int val)
{
	pending_leave(env);
	longjmp_resolve();
	real_jmp.longjmp_chk(env, val);
	__builtin_unreachable();
}

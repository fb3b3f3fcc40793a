/* crash.c - the fatal-signal handler: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT.
 *
 * Modeled on CPython's faulthandler: everything is prepared before the crash (handlers installed
 * and a sigaltstack per thread, the unwinder linked in); the handler writes with write(2) from
 * stack buffers, then hands the signal on so the exit status and the core dump stay true:
 * - to the handler the program installed (uWSGI's, faulthandler's), called as the kernel would;
 * - or, with none, the default action is restored and the fault re-executed (synchronous faults,
 *   so the core shows the real faulting context) or the signal re-sent (abort, kill).
 * The program keeps seeing its own handlers: sigaction and signal are interposed for these
 * signals, record what the program asks for and report it back, while ours stays installed.
 * A fault inside our report ends the process with the original signal; a chained handler that
 * faults or re-raises is treated as the kernel would treat it without us. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "shim.h"

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define NCRASH (int)(sizeof crash_signals / sizeof crash_signals[0])

/* indexed by signal number; the crash signals are all small */
#define SIG_SLOTS 12
_Static_assert(SIGSEGV < SIG_SLOTS && SIGBUS < SIG_SLOTS && SIGILL < SIG_SLOTS && SIGFPE < SIG_SLOTS &&
		       SIGABRT < SIG_SLOTS,
	       "a crash signal beyond SIG_SLOTS");
/* What the program believes is installed; all zero is SIG_DFL. Only program_put writes an entry,
 * once it is not SIG_DFL, and only program_get reads one, once written (bit sig of program_set):
 * a process start, python3's query of every signal included, leaves its pages untouched
 * (COLD_BSS). */
static struct sigaction program_action[SIG_SLOTS] COLD_BSS;
static atomic_uint program_set;
static int (*libc_sigaction)(int, const struct sigaction *, struct sigaction *); /* crash_init */
static atomic_int owned[SIG_SLOTS];                /* our handler is installed for this signal */
static int test_handler_fault;                /* TLSTRACE_TEST_HANDLER_FAULT: tests only */

enum { CS_NONE, CS_REPORTING, CS_CHAINING };
static __thread int crash_state, crash_sig, crash_depth;
static __thread char crash_py; /* the Python state of the crash, on all its lines */

/* async-signal-safe */
static void cl_begin(struct tline *l, const char *event) { tl_begin_py(l, event, crash_py ? crash_py : py_state()); }

#define ALTSTACK_SIZE (64 * 1024)

/* ---- stderr text ---- */

struct ebuf {
	size_t len;
	char buf[512];
};

static void e_str(struct ebuf *e, const char *s)
{
	size_t n = strlen(s);
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

static void e_flush(struct ebuf *e)
{
	if (cfg.to_stderr && e->len) {
		e->buf[e->len++] = '\n';
		if (write(2, e->buf, e->len) < 0) {
			/* stderr closed: nothing else to do */
		}
	}
	e->len = 0;
}

static const char *basename_of(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "?";
}

/* "module(func+0xoff)" or "module+0xoff" or the bare address */
COLD_TEXT static void e_code(struct ebuf *e, uintptr_t addr)
{
	struct module *m = module_of(addr);
	uintptr_t off = 0;
	const char *fn;
	e_hex(e, addr);
	if (!m)
		return;
	e_str(e, " ");
	e_str(e, basename_of(m->path));
	fn = module_func_name(m, addr, &off);
	if (fn) {
		e_str(e, "(");
		e_str(e, fn);
		e_str(e, "+");
		e_hex(e, off);
		e_str(e, ")");
	} else {
		e_str(e, "+");
		e_hex(e, addr - m->base);
	}
}

/* ---- the report ---- */

static void report_phase(struct tline *l, struct ebuf *e, char py)
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
	if (!exit_tid && !ts.teardown && !pyfin && !atexit_seq) {
		e_str(e, "none (the process was running normally)");
	} else {
		if (exit_tid) {
			e_str(e, "exit(");
			e_dec(e, atomic_load(&proc.exit_status));
			e_str(e, ") called by thread ");
			e_dec(e, exit_tid);
		}
		if (atexit_seq) {
			e_str(e, "; in atexit handler ");
			e_code(e, atexit_fn);
		}
		if (pyfin)
			e_str(e, " -> Py_Finalize");
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

static void report_tls(struct tline *l, struct ebuf *e, uintptr_t ip)
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

static void report_python(void)
{
	if (py_trace_traceback("crash_py", crash_py, 0) && cfg.to_stderr) {
		struct ebuf e = {0};
		e_str(&e, "tlstrace: Python traceback of this thread:");
		e_flush(&e);
		py_dump_traceback(2);
	}
}

COLD_TEXT static void crash_report(int sig, siginfo_t *si, void *uc)
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
	tl_end(&l);
	if (test_handler_fault)
		*(volatile int *)(uintptr_t)test_handler_fault = 1;

	e_str(&e, "tlstrace: process ");
	e_dec(&e, getpid());
	e_str(&e, " thread ");
	e_dec(&e, shim_gettid());
	e_str(&e, ": ");
	e_str(&e, tlstrace_signal_name(sig));
	e_str(&e, " (si_code ");
	e_dec(&e, si->si_code);
	e_str(&e, ") at ");
	e_hex(&e, (uintptr_t)si->si_addr);
	e_str(&e, ", ip ");
	e_code(&e, ip);
	e_flush(&e);

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
		e_code(&e, ips[i]);
		e_flush(&e);
	}
	report_python();
}

/* ---- handing the signal on ---- */

static void crash_handler(int sig, siginfo_t *si, void *uc);

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

static void program_get(int sig, struct sigaction *a)
{
	if (atomic_load(&program_set) & 1u << sig)
		*a = program_action[sig];
	else
		memset(a, 0, sizeof *a); /* SIG_DFL */
}

static void program_put(int sig, const struct sigaction *a)
{
	if (!(atomic_load(&program_set) & 1u << sig) && is_default(a))
		return;
	program_action[sig] = *a;
	atomic_fetch_or(&program_set, 1u << sig);
}

/* Default action for sig, then let it happen: a synchronous fault re-executes when we return;
 * anything else is re-sent to this thread and delivered as soon as it is unblocked. */
COLD_TEXT static void die_with(int sig, int fault)
{
	struct sigaction dfl;
	sigset_t set;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	REAL(sigaction)(sig, &dfl, NULL);
	atomic_store(&owned[sig], 0);
	if (fault)
		return;
	sigemptyset(&set);
	sigaddset(&set, sig);
	syscall(SYS_tgkill, getpid(), shim_gettid(), sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

COLD_TEXT static void chain(int sig, siginfo_t *si, void *uc, int report)
{
	struct sigaction pa;
	void *h;
	sigset_t mask, old;

	program_get(sig, &pa);
	h = pa.sa_flags & SA_SIGINFO ? (void *)pa.sa_sigaction : (void *)pa.sa_handler;
	if (h == (void *)SIG_IGN && !is_fault(sig, si)) {
		if (report)
			crash_end("ignore");
		return;
	}
	if (h == (void *)SIG_DFL || h == (void *)SIG_IGN || h == (void *)crash_handler) {
		if (report)
			crash_end("default");
		die_with(sig, is_fault(sig, si));
		return;
	}
	if (report)
		crash_end("chain");
	if (pa.sa_flags & SA_RESETHAND) {
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl); /* SIG_DFL */
		program_put(sig, &dfl);
	}
	/* the mask the kernel would have set for their handler */
	mask = pa.sa_mask;
	if (!(pa.sa_flags & SA_NODEFER))
		sigaddset(&mask, sig);
	pthread_sigmask(SIG_BLOCK, &mask, &old);
	if (pa.sa_flags & SA_SIGINFO)
		pa.sa_sigaction(sig, si, uc);
	else
		pa.sa_handler(sig);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

COLD_TEXT static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno, in_shim = ts.in_shim;

	unwind_fault_escape(sig); /* the unwinder read a bad address: only its walk ends */
	if (crash_state == CS_REPORTING) {
		/* a fault in our own report: end with the signal we were reporting */
		die_with(crash_sig, 0);
		errno = saved;
		return;
	}
	if (crash_state == CS_CHAINING) {
		/* the program's handler re-raised or faulted: what happens now ends the crash */
		struct sigaction pa;
		program_get(sig, &pa);
		if (++crash_depth > 8 || (sig == crash_sig && !(pa.sa_flags & SA_NODEFER))) {
			crash_end("default");
			die_with(sig, 0);
		} else {
			chain(sig, si, uc, 1);
		}
		errno = saved;
		return;
	}
	crash_state = CS_REPORTING;
	crash_sig = sig;
	crash_depth = 0;
	ts.in_crash = 1;
	if (!in_shim) /* not if the fault interrupted the shim appending to the batch */
		trace_batch_end();
	ts.in_shim = 1;
	crash_report(sig, si, uc);
	/* the program's handler may call exit() (uWSGI does): let the shim trace that */
	ts.in_shim = 0;
	crash_state = CS_CHAINING;
	chain(sig, si, uc, 1);
	crash_state = CS_NONE;
	ts.in_crash = 0;
	ts.in_shim = in_shim;
	errno = saved;
}

static int set_kernel_action(int sig, int ignore, struct sigaction *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (ignore) {
		sa.sa_handler = SIG_IGN;
	} else {
		sa.sa_sigaction = crash_handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	}
	sigemptyset(&sa.sa_mask);
	return libc_sigaction(sig, &sa, old);
}

/* The kernel holds SIG_IGN for an owned signal, not our handler, while the program ignores it:
 * exec keeps SIG_IGN and resets handlers, so what the program runs starts ignoring the signal as
 * it would without the shim. A fault while ignored still ends the process by the signal (the
 * kernel forces the default action), only without a crash report. Not SIGSEGV while
 * TLSTRACE_WATCH poisons: the poisoned accesses need our handler. */
static int kernel_should_ignore(int sig, const struct sigaction *a)
{
	return a->sa_handler == SIG_IGN && !(sig == SIGSEGV && cfg.watch != WATCH_OFF);
}

/* The program installs a for an owned signal; the kernel's action follows (a system call only
 * when whether it ignores the signal changes) */
static void program_change(int sig, const struct sigaction *a)
{
	struct sigaction before;
	int ignore = kernel_should_ignore(sig, a);
	program_get(sig, &before);
	program_put(sig, a);
	if (ignore != kernel_should_ignore(sig, &before))
		set_kernel_action(sig, ignore, NULL);
}

/* ours in, and what was there before kept as what the program believes is installed */
static int install(int sig)
{
	struct sigaction old;
	if (set_kernel_action(sig, 0, &old) != 0)
		return -1;
	program_put(sig, &old);
	if (kernel_should_ignore(sig, &old)) /* inherited ignored: it stays so */
		set_kernel_action(sig, 1, NULL);
	return 0;
}

void crash_init(void)
{
	const char *t = shim_getenv("TLSTRACE_TEST_HANDLER_FAULT");
	int i;
	if (t && *t)
		test_handler_fault = atoi(t);
	if (!cfg.signals)
		return;
	libc_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))libc_function("sigaction");
	if (!libc_sigaction)
		libc_sigaction = REAL(sigaction);
	for (i = 0; i < NCRASH; i++)
		if (install(crash_signals[i]) == 0)
			atomic_store(&owned[crash_signals[i]], 1);
}

/* The main thread's sigaltstack is static (no mmap at every process start); other threads get
 * an mmap'd one with a guard page, freed once they are gone. */
static char main_altstack[ALTSTACK_SIZE] COLD_BSS __attribute__((aligned(16)));

void crash_thread_init(void)
{
	stack_t cur, ss;
	char *p;
	if (!cfg.signals || ts.altstack)
		return;
	if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
		return; /* the program has its own */
	if (shim_gettid() == trace_pid_get()) {
		ss.ss_sp = main_altstack;
		ss.ss_size = sizeof main_altstack;
		ss.ss_flags = 0;
		sigaltstack(&ss, NULL);
		return; /* never freed: ts.altstack stays NULL */
	}
	p = mmap(NULL, ALTSTACK_SIZE + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (p == MAP_FAILED)
		return;
	mprotect(p, 4096, PROT_NONE); /* guard page: an overflowing handler faults instead of scribbling */
	ss.ss_sp = p + 4096;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) != 0) {
		munmap(p, ALTSTACK_SIZE + 4096);
		return;
	}
	ts.altstack = p;
	ts.altstack_size = ALTSTACK_SIZE + 4096;
}

/* ---- what the program sees ---- */

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction new;
	if (act)
		signals_handler_set(sig, (const void *)act->sa_handler, act->sa_flags, old ? "sigaction+old" : "sigaction", __builtin_return_address(0));
	if (sig <= 0 || sig >= SIG_SLOTS || !atomic_load(&owned[sig]))
		return REAL(sigaction)(sig, act, old);
	if (act) { /* first: act and old may be the same struct */
		new = *act;
		act = &new;
	}
	if (old)
		program_get(sig, old);
	if (act)
		program_change(sig, act);
	return 0;
}

EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	sighandler_t prev;
	struct sigaction sa;
	signals_handler_set(sig, (const void *)handler, SA_RESTART, "signal", __builtin_return_address(0));
	if (sig <= 0 || sig >= SIG_SLOTS || !atomic_load(&owned[sig]))
		return REAL(signal)(sig, handler);
	program_get(sig, &sa);
	prev = sa.sa_flags & SA_SIGINFO ? (sighandler_t)(void *)sa.sa_sigaction : sa.sa_handler;
	/* glibc's signal(): BSD semantics */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, sig);
	program_change(sig, &sa);
	return prev;
}

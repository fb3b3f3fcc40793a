/* filter.c - what the program's own seccomp filter allows the shim (issue 14, HOSTILE17).
 * A program that sandboxes itself passes its filter, a classic BPF program, through prctl or
 * syscall(SYS_seccomp) (sandbox.c). Before it goes in, the shim runs that program itself over the
 * system calls it would make from then on (filter_check) and keeps, for the rest of the process,
 * which of its families the filter lets through; a filter that refuses one (kill, trap, errno,
 * trace, user notification: anything but ALLOW and LOG) turns that family off first, while its
 * calls are still allowed, and the trace says which call:
 *  - the trace itself (write and newfstatat of the trace's descriptor): tracing off and every
 *    signal given back to the program, as for seccomp's strict mode;
 *  - the signal path (a default-action signal re-raised, a fault's report: rt_sigaction,
 *    rt_sigprocmask, rt_sigpending, tgkill, getpid, gettid, and self_read's pipe2, read, close):
 *    every signal given back to the program (SECCOMP_RET_TRAP on getpid, a gVisor-style
 *    emulation, killed a SIGTERM at its default action by SIGSYS: the shim's re-raise, with
 *    SIGSYS blocked in its handler, made that call);
 *  - /proc (openat, getdents64, read, close): read as in any process where allowed (the
 *    watchdog's task list and each thread's state, a signal's sender), not where refused;
 *  - the hang watchdog's thread (glibc's pthread_create, then its waits and reads): where the
 *    filter lets all of them through the watchdog runs as in any process; where not, it is not
 *    started and the note names the call;
 *  - the termination handler's watcher (watchdog.c hw_make_one: its mapping, a raw clone, its
 *    clock, waits, trigger signal, /proc reads and the signal path): made as in any process where
 *    the filter lets all of them through; where not, a note names the call the first time a
 *    handler would have had one (before HOSTILE18: never made under any filter).
 * Several filters: the kernel runs every one and the strictest action wins, so a family refused
 * by one stays refused. A filter put in by a raw system call (not through libc) is not seen. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "shim.h"
#include "sys.h"

/* the families refused so far (FILTER_* of shim.h), OR'ed over every filter seen */
atomic_int filter_refused COLD_BSS;
/* the first call refused for the watchdog, for its note; NULL while none is */
static const char *watchdog_refused_call COLD_BSS;
/* the same for the termination handler's watcher; and whether its note was written */
static const char *hw_refused_call COLD_BSS;
static atomic_int hw_noted COLD_BSS;
/* filters seen (filter_check) */
static atomic_int filter_seen COLD_BSS;

/* A window of the program's instructions: classic BPF jumps only forward, so the run reads the
 * program once, front to back, 32 instructions (256 bytes of stack) at a time, through
 * self_read (a bad pointer gives no fault: the kernel would answer EFAULT) */
struct bpf_window {
	const struct sock_filter *prog; /* the program's, not read directly */
	unsigned len, base, have;
	struct sock_filter insn[32];
};

/* The action (the whole 32-bit word: SECCOMP_RET_* and its data) the filter in w answers for
 * the system call d, as Linux's kernel/seccomp.c runs it: the instructions seccomp_check_filter
 * accepts (loads of seccomp_data's 32-bit words, its length, immediates and the 16 scratch
 * words; the ALU operations; JA, JEQ, JGT, JGE, JSET; RET; TAX, TXA). A program that cannot be
 * read, leaves its end or reads outside seccomp_data answers SECCOMP_RET_KILL_PROCESS (the kernel
 * refuses such a filter: EINVAL), and so does one that divides by zero (classic BPF returns 0,
 * SECCOMP_RET_KILL_THREAD). No system call but self_read's; async-signal-safe */
COLD_TEXT static uint32_t bpf_run(struct bpf_window *w, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS];
	memset(mem, 0, sizeof mem);
	for (unsigned pc = 0; pc < w->len; pc++) {
		if (pc < w->base || pc >= w->base + w->have) {
			unsigned n = w->len - pc < 32 ? w->len - pc : 32;
			if (self_read((uintptr_t)(w->prog + pc), w->insn, n * sizeof *w->insn) != (long)(n * sizeof *w->insn))
				return SECCOMP_RET_KILL_PROCESS;
			w->base = pc, w->have = n;
		}
		const struct sock_filter *i = &w->insn[pc - w->base];
		uint32_t k = i->k, src = BPF_SRC(i->code) == BPF_X ? x : k, v = 0;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
		case BPF_LDX:
			switch (BPF_MODE(i->code)) {
			case BPF_ABS:
				if (BPF_SIZE(i->code) != BPF_W || k > sizeof *d - 4 || k & 3)
					return SECCOMP_RET_KILL_PROCESS;
				memcpy(&v, (const char *)d + k, 4);
				break;
			case BPF_LEN: v = sizeof *d; break;
			case BPF_IMM: v = k; break;
			case BPF_MEM:
				if (k >= BPF_MEMWORDS)
					return SECCOMP_RET_KILL_PROCESS;
				v = mem[k];
				break;
			default: return SECCOMP_RET_KILL_PROCESS;
			}
			if (BPF_CLASS(i->code) == BPF_LD)
				a = v;
			else
				x = v;
			break;
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return SECCOMP_RET_KILL_PROCESS;
			mem[k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV:
				if (!src)
					return SECCOMP_RET_KILL_PROCESS;
				a /= src;
				break;
			case BPF_MOD:
				if (!src)
					return SECCOMP_RET_KILL_PROCESS;
				a %= src;
				break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default: return SECCOMP_RET_KILL_PROCESS;
			}
			break;
		case BPF_JMP: {
			int t;
			switch (BPF_OP(i->code)) {
			case BPF_JA: pc += k; continue;
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			case BPF_JSET: t = (a & src) != 0; break;
			default: return SECCOMP_RET_KILL_PROCESS;
			}
			pc += t ? i->jt : i->jf;
			break;
		}
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default: return SECCOMP_RET_KILL_PROCESS;
		}
	}
	return SECCOMP_RET_KILL_PROCESS;
}

/* the calls, each with the arguments the shim passes where a filter may look at them */
struct filter_call {
	char name[16]; /* (an array: no relocation for ld.so to apply at every start) */
	unsigned short nr;
	unsigned char family; /* FILTER_* bits: the families that make the call */
	unsigned char arg_fd; /* 1: args[0] is the trace's descriptor */
	uint64_t args[4];
};
#define TRACE_FD 1
static const struct filter_call calls[] = {
	{"write", SYS_write, FILTER_TRACE, TRACE_FD, {0}},
	{"newfstatat", SYS_newfstatat, FILTER_TRACE, TRACE_FD, {0, 0, 0, AT_EMPTY_PATH}},
	{"rt_sigaction", SYS_rt_sigaction, FILTER_SIGNALS, 0, {SIGTERM, 1, 0, 8}},
	{"rt_sigprocmask", SYS_rt_sigprocmask, FILTER_SIGNALS, 0, {SIG_BLOCK, 1, 1, 8}},
	{"rt_sigpending", SYS_rt_sigpending, FILTER_SIGNALS, 0, {1, 8}},
	{"tgkill", SYS_tgkill, FILTER_SIGNALS, 0, {1, 1, SIGTERM}},
	{"getpid", SYS_getpid, FILTER_SIGNALS, 0, {0}},
	{"gettid", SYS_gettid, FILTER_SIGNALS, 0, {0}},
	{"pipe2", SYS_pipe2, FILTER_SIGNALS, 0, {1, O_CLOEXEC | O_NONBLOCK}},
	{"read", SYS_read, FILTER_SIGNALS, 0, {3, 1, 8}},
	{"close", SYS_close, FILTER_SIGNALS, 0, {3}},
	/* the watchdog's thread: nproc_room, glibc 2.36's pthread_create (allocate_stack, clone3,
	 * the new thread's start), its waits and its end (strace of a sandboxed process's hang) */
	{"getuid", SYS_getuid, FILTER_WATCHDOG | FILTER_HW, 0, {0}},
	{"prlimit64", SYS_prlimit64, FILTER_WATCHDOG | FILTER_HW, 0, {0, RLIMIT_NPROC, 0, 1}},
	{"mmap", SYS_mmap, FILTER_WATCHDOG, 0, {0, 256 << 10, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK}},
	{"mprotect", SYS_mprotect, FILTER_WATCHDOG, 0, {1, 256 << 10, PROT_READ | PROT_WRITE}},
	{"clone3", SYS_clone3, FILTER_WATCHDOG, 0, {1, sizeof(struct clone_args)}},
	{"set_robust_list", SYS_set_robust_list, FILTER_WATCHDOG, 0, {1, 24}},
	{"rseq", SYS_rseq, FILTER_WATCHDOG, 0, {1, 32, 0, 0x53053053}},
	{"futex", SYS_futex, FILTER_WATCHDOG, 0, {1, 0x80 /* FUTEX_PRIVATE_FLAG | FUTEX_WAIT */}},
	{"futex", SYS_futex, FILTER_WATCHDOG | FILTER_HW, 0, {1, 0x89 /* FUTEX_PRIVATE_FLAG | FUTEX_WAIT_BITSET */}},
	{"futex", SYS_futex, FILTER_WATCHDOG | FILTER_HW, 0, {1, 0x81 /* FUTEX_PRIVATE_FLAG | FUTEX_WAKE */}},
	{"fcntl", SYS_fcntl, FILTER_WATCHDOG, 0, {3, F_DUPFD_CLOEXEC, 1000}},
	{"fcntl", SYS_fcntl, FILTER_WATCHDOG, 0, {1000, F_SETPIPE_SZ, 65536}},
	{"nanosleep", SYS_nanosleep, FILTER_WATCHDOG, 0, {1}},
	{"clock_nanosleep", SYS_clock_nanosleep, FILTER_WATCHDOG, 0, {CLOCK_MONOTONIC, 0, 1}},
	{"madvise", SYS_madvise, FILTER_WATCHDOG, 0, {1, 256 << 10, MADV_DONTNEED}},
	{"munmap", SYS_munmap, FILTER_WATCHDOG, 0, {1, 256 << 10}},
	{"exit", SYS_exit, FILTER_WATCHDOG | FILTER_HW, 0, {0}},
	{"write", SYS_write, FILTER_WATCHDOG, 0, {3, 1, 8}}, /* (self_read's pipe) */
	/* the termination handler's watcher (watchdog.c hw_map, hw_make_one, hw_main, hw_install,
	 * watchdog_handler_end), beside the signal path, /proc and the calls marked above */
	{"mmap", SYS_mmap, FILTER_HW, 0, {0, 320 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE}},
	{"rt_sigprocmask", SYS_rt_sigprocmask, FILTER_HW, 0, {SIG_SETMASK, 1, 1, 8}},
	{"clone", SYS_clone, FILTER_HW, 0, {CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
					    CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, 1, 1, 1}},
	{"clock_gettime", SYS_clock_gettime, FILTER_HW, 0, {CLOCK_MONOTONIC, 1}},
	{"futex", SYS_futex, FILTER_HW, 0, {1, 0x9 /* FUTEX_WAIT_BITSET: the watcher's end, CLONE_CHILD_CLEARTID's word */}},
	{"rt_sigaction", SYS_rt_sigaction, FILTER_HW, 0, {34 /* a real-time signal: its snapshot's trigger */, 1, 1, 8}},
	/* /proc (proc_read, the watchdog's task list): read where these are allowed */
	{"openat", SYS_openat, FILTER_PROC, 0, {(uint64_t)AT_FDCWD, 1, O_RDONLY | O_CLOEXEC}},
	{"openat", SYS_openat, FILTER_PROC, 0, {(uint64_t)AT_FDCWD, 1, O_RDONLY | O_DIRECTORY | O_CLOEXEC}},
	{"getdents64", SYS_getdents64, FILTER_PROC, 0, {3, 1, 4096}},
	{"read", SYS_read, FILTER_PROC, 0, {3, 1, 4096}},
	{"close", SYS_close, FILTER_PROC, 0, {3}},
};

/* the note "HEAD CALL: WHAT" (or "TEXT: HEAD CALL" with text): a call's name joined to its words,
 * in a 96-byte buffer on the stack */
COLD_TEXT static void note_call(const char *text, const char *head, const char *call, const char *what)
{
	char line[96];
	size_t h = shim_strlen(head), n = shim_strlen(call);
	if (h > sizeof line / 2)
		h = sizeof line / 2;
	if (n > sizeof line - 1 - h)
		n = sizeof line - 1 - h;
	memcpy(line, head, h);
	memcpy(line + h, call, n);
	line[h + n] = 0;
	if (text)
		trace_note(text, line);
	else
		trace_note(line, what);
}

/* The program is about to put in the filter prog (a struct sock_fprog * of its own, as it passed
 * it to prctl or seccomp; not yet read): each call of the table run through it, and a family
 * with a call refused turned off before the filter goes in (above). clone3 answered ENOSYS counts
 * as allowed where clone is (glibc 2.34+ then makes the thread with clone: Docker's default
 * profile does this). Called by sandbox.c before the call passes through; a call that then fails
 * leaves the families off. One evaluation per call of the table, ~60 us for a filter of 200
 * instructions (self_read of 256-byte windows). async-signal-safe; no lock (the program makes
 * this call from one thread, before it starts any, as a sandbox does) */
COLD_TEXT void filter_check(const void *prog)
{
	struct sock_fprog fp;
	struct bpf_window w;
	struct seccomp_data d;
	int refused = 0, unread = 0, fd = trace_fd_get();
	const char *first[FILTER_HW + 1] = {0}; /* by family bit: the first call refused */
	/* (an earlier filter that refuses self_read's pipe: nothing more is read) */
	if ((atomic_load(&filter_refused) & FILTER_SIGNALS) || self_read((uintptr_t)prog, &fp, sizeof fp) != (long)sizeof fp ||
	    !fp.len || fp.len > BPF_MAXINSNS) {
		refused = FILTER_TRACE | FILTER_SIGNALS | FILTER_WATCHDOG | FILTER_PROC | FILTER_HW;
		first[FILTER_TRACE] = first[FILTER_SIGNALS] = first[FILTER_WATCHDOG] = first[FILTER_HW] = "(its program unread)";
		unread = 1;
	}
	/* (every call, not up to the first refused: a refusal of one family says nothing of the others:
	 * the watcher's clock_gettime refused ended the walk before /proc's openat, and a fork child's
	 * /proc read then died by SIGSYS: t291) */
	for (size_t c = 0; !unread && c < sizeof calls / sizeof *calls; c++) {
		uint32_t act;
		memset(&d, 0, sizeof d);
		memset(&w, 0, sizeof w);
		w.prog = fp.filter, w.len = fp.len;
		d.nr = calls[c].nr;
		d.arch = AUDIT_ARCH_X86_64;
		for (int i = 0; i < 4; i++)
			d.args[i] = calls[c].args[i];
		if (calls[c].arg_fd == TRACE_FD)
			d.args[0] = (uint64_t)(fd >= 0 ? fd : 1000);
		act = bpf_run(&w, &d) & SECCOMP_RET_ACTION_FULL;
		if (act != SECCOMP_RET_ALLOW && act != SECCOMP_RET_LOG && calls[c].nr == SYS_clone3) {
			/* the fallback glibc takes where clone3 answers ENOSYS */
			uint32_t full;
			memset(&w, 0, sizeof w);
			w.prog = fp.filter, w.len = fp.len;
			d.nr = SYS_clone;
			d.args[0] = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
				    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
			d.args[1] = 0;
			full = bpf_run(&w, &d);
			if (act == SECCOMP_RET_ERRNO && (full & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
				act = SECCOMP_RET_ALLOW;
		}
		for (int f = FILTER_TRACE; act != SECCOMP_RET_ALLOW && act != SECCOMP_RET_LOG && f <= FILTER_HW; f <<= 1)
			if ((calls[c].family & f) && !(refused & f)) {
				refused |= f;
				first[f] = calls[c].name;
			}
	}
	if ((refused & (FILTER_WATCHDOG | FILTER_SIGNALS)) && !watchdog_refused_call)
		watchdog_refused_call = first[FILTER_SIGNALS] ? first[FILTER_SIGNALS] : first[FILTER_WATCHDOG];
	if ((refused & (FILTER_HW | FILTER_SIGNALS | FILTER_PROC)) && !hw_refused_call)
		hw_refused_call = first[FILTER_SIGNALS] ? first[FILTER_SIGNALS] : first[FILTER_HW] ? first[FILTER_HW] : first[FILTER_PROC];
	atomic_fetch_add(&filter_seen, 1);
	refused &= ~atomic_fetch_or(&filter_refused, refused);
	if (atomic_load(&shim_active) != 1)
		return;
	if (refused & FILTER_TRACE) {
		note_call(NULL, "seccomp filter refuses ", first[FILTER_TRACE], "tracing off, the signals given back to the program");
		crash_give_back_all();
		atomic_store(&shim_active, 3);
	} else if (refused & FILTER_SIGNALS) {
		note_call(NULL, "seccomp filter refuses ", first[FILTER_SIGNALS], "the signals given back to the program");
		crash_give_back_all();
	}
	if ((refused & FILTER_PROC) && !(refused & FILTER_TRACE))
		note_call(NULL, "seccomp filter refuses ", first[FILTER_PROC],
			  "no /proc reads (the hang watchdog's list of threads, a signal's sender's name)");
}

/* the watchdog left out (filter_watchdog_refused not NULL): the note that says why */
COLD_TEXT void filter_watchdog_note(void)
{
	note_call("hang watchdog not started", "the program's seccomp filter refuses ", filter_watchdog_refused(), NULL);
}

/* 1 if /proc may be read although the program put in filters of its own: every one was seen
 * (filter_check) and lets openat, getdents64, read and close through. No system call */
COLD_TEXT int filter_allows_proc(void)
{
	return !(atomic_load_explicit(&filter_refused, memory_order_relaxed) & (FILTER_PROC | FILTER_UNSEEN)) &&
	       atomic_load_explicit(&filter_seen, memory_order_relaxed);
}

/* The call the program's filter refuses the hang watchdog's thread, or NULL where every filter
 * seen lets all of them through (filter_check). No system call */
COLD_TEXT const char *filter_watchdog_refused(void)
{
	int r = atomic_load_explicit(&filter_refused, memory_order_relaxed);
	if (r & FILTER_UNSEEN)
		return "clock_gettime (a filter not seen: a raw system call put it in)";
	if (!(r & (FILTER_WATCHDOG | FILTER_SIGNALS)))
		return NULL;
	return watchdog_refused_call ? watchdog_refused_call : "its calls";
}

/* The call the program's filter refuses the termination handler's watcher (hw_make_one: its own
 * calls, the signal path's and /proc's), or NULL where every filter seen lets all of them
 * through (filter_check). No system call */
COLD_TEXT const char *filter_hw_refused(void)
{
	int r = atomic_load_explicit(&filter_refused, memory_order_relaxed);
	if (r & FILTER_UNSEEN)
		return "clock_gettime (a filter not seen: a raw system call put it in)";
	if (!(r & (FILTER_HW | FILTER_SIGNALS | FILTER_PROC)))
		return NULL;
	return hw_refused_call ? hw_refused_call : "its calls";
}

/* the watcher left out (filter_hw_refused not NULL): the note that says why, once per process.
 * async-signal-safe (a termination handler's arrival) */
COLD_TEXT void filter_hw_note(void)
{
	if (!atomic_exchange(&hw_noted, 1))
		note_call("termination handler not watched", "the program's seccomp filter refuses ", filter_hw_refused(), NULL);
}

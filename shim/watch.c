/* watch.c - opt-in detection for static TLS (TLSTRACE_WATCH), where no __tls_get_addr call
 * happens: the executable's thread_locals, libraries loaded at start, -ftls-model=initial-exec,
 * TLSDESC (-mtls-dialect=gnu2) code. Off by default because both modes act on the program:
 * - poison: when a destructor returns, each 8-byte word of the object that holds a pointer into
 *   mapped memory is overwritten with 0xffffd5d5SSSS0000 (SSSS: low 16 bits of the registration
 *   seq). A pointer loaded from the dead object then points into the kernel half: dereferencing it
 *   faults with that exact address, which names the object and the member offset. Other words
 *   (integers, flags, a lock's state) keep what the destructor left, so a destroyed mutex fails as
 *   it does without the shim (EINVAL) instead of looking locked forever: poisoning every word
 *   turned c2's lock of a destroyed mutex into a hang. Catches pointer dereferences through
 *   destroyed objects; misses plain integer reads and objects whose size is unknown (no symbol);
 *   a lock word that holds a pointer (rare) can still block.
 * - hw: a hardware write/read watchpoint (perf_event_open breakpoint with sigtrap) on up to 4
 *   destroyed objects per thread; every access reports and the program continues. Probed when the
 *   first thread_local is destroyed (nothing at start: hw and auto cost nothing until then):
 *   where the kernel does not deliver breakpoint events, nothing is watched (as with off) and a
 *   `watch off` line says why. Not poison: poison turns a silent read through a destroyed pointer
 *   into a crash (t016's program: exit 0 without the shim, SIGSEGV with it), and hw and auto
 *   promise the program's outcome unchanged. The breakpoints' descriptors are moved above the
 *   range the program uses, as the trace's is. Measured 2026-11-30 on this project's VMs
 *   (Firecracker guests, kernel 6.18, no "cpu" PMU): breakpoints open but never count, in any
 *   type (W, RW, X), length or exclude_kernel setting, and gdb's hardware watchpoints never stop
 *   either: the hypervisor does not deliver debug exceptions. So hw and auto watch nothing there.
 *   Since 2026-12-01 they fire on these machines (t165 notes which); there the SIGTRAP handler
 *   holds the kernel's action (but the program's SIG_IGN while it ignores SIGTRAP, kept across
 *   exec: t288), and the program's own SIGTRAP action is kept apart (prev_trap: what sigaction
 *   and signal read and set, watch_trap_sigaction) and its signals passed on.
 *   auto is still not the default: its handler runs a program's SIGTRAP handler from inside its
 *   own (the kernel's mask and stack for it are ours, not the program's), and /proc's SigCgt
 *   shows SIGTRAP caught. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

#define POISON_TAG 0xffffd5d5ul
#define HW_SLOTS 4
#ifndef TRAP_PERF
#define TRAP_PERF 6 /* linux/siginfo.h; glibc 2.36 lacks it */
#endif

static int mode = WATCH_OFF; /* in effect: off, poison or hw */
static atomic_int decide_claimed, decide_done; /* hw, auto: the probe made (watch_decide) */
static __thread int hw_used;
static volatile long probe_var;
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* asm/signal.h: glibc sets it and its restorer on every action */
#endif
static struct sigaction prev_trap COLD_BSS; /* the program's SIGTRAP action while trap_held */
static void (*trap_restorer)(void) COLD_BSS; /* glibc's sa_restorer, read once at watch_decide */
/* 1: the program's SIGTRAP action is kept in prev_trap (hw mode), and the kernel holds
 * trap_handler, or the program's SIG_IGN exactly while it ignores SIGTRAP (watch_trap_sigaction) */
atomic_int watch_trap_held; /* (crash.c tests it before the call: no cold page touched at start) */

static long perf_open(struct perf_event_attr *a) { return shim_syscall(SYS_perf_event_open, a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC); }

static void bp_attr(struct perf_event_attr *a, uintptr_t addr, size_t len, int type)
{
	memset(a, 0, sizeof *a);
	a->type = PERF_TYPE_BREAKPOINT;
	a->size = sizeof *a;
	a->bp_type = (unsigned)type;
	a->bp_addr = addr;
	a->bp_len = len >= 8 ? HW_BREAKPOINT_LEN_8 : len >= 4 ? HW_BREAKPOINT_LEN_4 : len >= 2 ? HW_BREAKPOINT_LEN_2 : HW_BREAKPOINT_LEN_1;
	a->exclude_kernel = 1;
	a->exclude_hv = 1;
}

/* Does a breakpoint on a variable of ours count a write? Returns NULL if yes, else why not. */
static const char *hw_probe(void)
{
	struct perf_event_attr a;
	long long count = 0;
	long fd;
	/* a filter may kill perf_event_open (systemd's @debug, outside @system-service): not tried */
	switch (seccomp_filtered()) {
	case 1:
		return "seccomp filter: perf_event_open not tried";
	case 2:
		return "no /proc/self/status, a seccomp filter not ruled out: perf_event_open not tried";
	}
	bp_attr(&a, (uintptr_t)&probe_var, sizeof probe_var, HW_BREAKPOINT_W);
	fd = perf_open(&a); /* closed at once: never placed high */
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? "perf_event_open refused (perf_event_paranoid)"
							 : "perf_event_open breakpoints unsupported";
	probe_var++;
	probe_var++;
	/* raw calls: the constructor probes, maybe inside a sanitizer's initialization (str.h) */
	if (sys3(SYS_read, fd, &count, sizeof count) != sizeof count)
		count = 0;
	sys1(SYS_close, fd);
	return count > 0 ? NULL : "breakpoint events do not fire here (count 0)";
}

static struct tls_rec *rec_by_seq16(unsigned seq16)
{
	struct tls_rec *r;
	for (r = ts.destroyed; r; r = r->next_destroyed)
		if ((r->seq & 0xffff) == seq16)
			return r;
	return NULL;
}

COLD_TEXT static void emit_hit(const char *event, struct tls_rec *r, uintptr_t addr, uintptr_t ip)
{
	struct tline l;
	routine_before_finding();
	tl_begin(&l, event);
	tl_dec(&l, r->seq);
	tl_hex(&l, (uintptr_t)r->obj);
	tl_str(&l, r->sym);
	tl_hex(&l, addr);
	tl_code(&l, ip);
	tl_end(&l);
}

/* SIGTRAP from one of our breakpoints: report, continue. Others go to the previous handler. */
COLD_TEXT static void trap_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	if (si->si_code == TRAP_PERF) {
		struct tls_rec *r = (struct tls_rec *)((unsigned long *)si)[3]; /* si_perf_data */
		ucontext_t *u = uc;
		if (r && !ts.in_shim) {
			ts.in_shim = 1;
			emit_hit("poison_hit", r, (uintptr_t)r->obj, (uintptr_t)u->uc_mcontext.gregs[REG_RIP]);
			/* the program goes on: no crash line will carry the Python traceback */
			py_trace_traceback_deep("uad_py", py_state());
			ts.in_shim = 0;
		}
		errno = saved;
		return;
	}
	if (prev_trap.sa_flags & SA_SIGINFO && prev_trap.sa_sigaction) {
		prev_trap.sa_sigaction(sig, si, uc);
	} else if (prev_trap.sa_handler == SIG_DFL) {
		/* the program's own SIGTRAP (a raise, an int3) with the default action: it ends the
		 * process as without the shim, re-raised once this handler returns; its action put
		 * back exactly as it reads it (not through glibc, which adds SA_RESTORER: t287) */
		kernel_action_put_exact(SIGTRAP, &prev_trap);
		/* (the kernel's tid: shim_gettid's cache is the parent's early in a fork child) */
		shim_syscall(SYS_tgkill, (pid_t)sys0(SYS_getpid), (pid_t)sys0(SYS_gettid), SIGTRAP);
	} else if (prev_trap.sa_handler != SIG_IGN) {
		prev_trap.sa_handler(sig);
	}
	errno = saved;
}

/* trap_handler's action: the kernel's SIGTRAP in hw mode, unless the program ignores it */
COLD_TEXT static void trap_action(struct sigaction *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sa_sigaction = trap_handler;
	sa->sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
}

/* Which mode is in effect, said in a `watch` line: at start for poison, at the first destroyed
 * object for hw and auto (one thread decides; another destroying one meanwhile does not watch it). */
COLD_TEXT static void watch_decide(void) /* (only TLSTRACE_WATCH, opt-in, runs it: out of the start-up code) */
{
	struct tline l;
	const char *why = NULL;
	int no = 0;
	if (!atomic_compare_exchange_strong(&decide_claimed, &no, 1))
		return;
	if (cfg.watch == WATCH_HW || cfg.watch == WATCH_AUTO)
		why = hw_probe();
	mode = cfg.watch == WATCH_POISON ? WATCH_POISON : why ? WATCH_OFF : WATCH_HW;
	if (mode == WATCH_HW) {
		struct sigaction sa, mine;
		trap_action(&sa);
		REAL(sigaction)(SIGTRAP, &sa, &prev_trap);
		if (REAL(sigaction)(SIGTRAP, NULL, &mine) == 0) /* (glibc's restorer, on ours) */
			trap_restorer = mine.sa_restorer;
		if (prev_trap.sa_handler == SIG_IGN) /* (inherited, or set: as the kernel held it) */
			kernel_action_put_exact(SIGTRAP, &prev_trap);
		atomic_store(&watch_trap_held, 1);
	}
	tl_begin(&l, "watch");
	tl_word(&l, mode == WATCH_HW ? "hw" : mode == WATCH_POISON ? "poison" : "off");
	tl_str(&l, why ? why : cfg.watch == WATCH_POISON ? "requested" : "hardware breakpoints work");
	tl_end(&l);
	atomic_store(&decide_done, 1);
}

/* SIGTRAP as the program reads and sets it while trap_held (hw mode): its own action is
 * prev_trap, which trap_handler chains to; what it sets is kept there in the form glibc's
 * sigaction stores it (SA_RESTORER and glibc's restorer, trap_restorer, added), and what it reads
 * back is that. While it ignores SIGTRAP the kernel holds its SIG_IGN, set through glibc as it
 * would be, not trap_handler: exec keeps SIG_IGN (what it runs starts ignoring SIGTRAP, as
 * without the shim, t288), and the breakpoints' signals are discarded meanwhile (the kernel's
 * send_sig_perf: no report, the program unchanged). Not in a vfork child, whose actions are its
 * own (the caller checks). Returns 1 when sig is SIGTRAP and held (then *rc is sigaction's
 * result: 0, or -1 and errno from the kernel's refusal), else 0 and the caller goes on as without
 * the watch. The caller holds no lock: two threads setting SIGTRAP at once may leave the kernel
 * with the other's choice (a program's own race). */
COLD_TEXT int watch_trap_sigaction(int sig, const struct sigaction *act, struct sigaction *old, int *rc)
{
	struct sigaction prev, k;
	if (sig != SIGTRAP || !atomic_load_explicit(&watch_trap_held, memory_order_relaxed))
		return 0;
	prev = prev_trap;
	if (act) {
		if (act->sa_handler == SIG_IGN)
			k = *act;
		else
			trap_action(&k);
		if (REAL(sigaction)(SIGTRAP, &k, NULL) != 0) {
			*rc = -1;
			return 1;
		}
		prev_trap = *act;
		prev_trap.sa_flags |= SA_RESTORER;
		prev_trap.sa_restorer = trap_restorer;
		/* the kernel keeps 64 bits of mask; glibc reads back no more */
		memset((char *)&prev_trap.sa_mask + sizeof(uint64_t), 0, sizeof prev_trap.sa_mask - sizeof(uint64_t));
	}
	if (old)
		*old = prev;
	*rc = 0;
	return 1;
}

void watch_init(void)
{
	if (cfg.watch == WATCH_POISON)
		watch_decide();
}

/* Does v point into mapped user memory? mincore fails with ENOMEM on an unmapped page (a mapped
 * one may still be unreadable: PROT_NONE). Under a seccomp filter, which may kill mincore
 * (outside systemd's @system-service), a byte of the page read through a pipe (self_read): a
 * PROT_NONE page then counts as unmapped. async-signal-safe */
COLD_TEXT int mapped_pointer(uint64_t v)
{
	unsigned char vec;
	uintptr_t page = (uintptr_t)(v & ~(uint64_t)4095);
	if (v < 0x10000 || v >= 0x800000000000ull)
		return 0;
	if (seccomp_filtered())
		return self_read(page, &vec, 1) == 1;
	return shim_syscall(SYS_mincore, (void *)page, 1, &vec) == 0;
}

COLD_TEXT static void poison(struct tls_rec *r)
{
	uint64_t word = (POISON_TAG << 32) | ((uint64_t)(r->seq & 0xffff) << 16), v;
	size_t len = r->size - r->symoff, i;
	unsigned char *p = r->obj;
	struct tline l;
	int saved = errno;
	for (i = (size_t)(-(uintptr_t)p & 7); i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		if (mapped_pointer(v))
			memcpy(p + i, &word, 8);
	}
	errno = saved;
	tl_begin(&l, "poison");
	tl_dec(&l, r->seq);
	tl_hex(&l, (uintptr_t)r->obj);
	tl_dec(&l, (long long)len);
	tl_end(&l);
}

static void hw_watch(struct tls_rec *r)
{
	struct perf_event_attr a;
	long fd;
	if (hw_used >= HW_SLOTS)
		return;
	bp_attr(&a, (uintptr_t)r->obj, r->size > r->symoff ? r->size - r->symoff : 8, HW_BREAKPOINT_RW);
	a.sigtrap = 1;
	a.remove_on_exec = 1;
	a.sig_data = (uintptr_t)r;
	a.sample_period = 1;
	fd = perf_open(&a);
	/* not a number the program's next open() would get; none if it cannot be put past them */
	if (fd >= 0 && fd_place_high((int)fd) >= 0)
		hw_used++;
}

/* After a destructor returned (called under the shim guard). */
COLD_TEXT void watch_destroyed(struct tls_rec *r)
{
	if (cfg.watch == WATCH_OFF)
		return;
	if (!atomic_load(&decide_done)) {
		watch_decide();
		if (!atomic_load(&decide_done))
			return;
	}
	if (mode == WATCH_POISON && r->size > r->symoff)
		poison(r);
	else if (mode == WATCH_HW)
		hw_watch(r);
}

/* From the crash handler: is this fault a poisoned pointer? async-signal-safe */
COLD_TEXT int watch_fault(const siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	ucontext_t *u = uc;
	struct tls_rec *r;
	int i;
	if (mode != WATCH_POISON || si->si_signo != SIGSEGV)
		return 0;
	if ((addr >> 32) != POISON_TAG) {
		/* a general-protection fault carries no address: look for the pattern in registers */
		addr = 0;
		for (i = 0; i < NGREG && !addr; i++)
			if (((uintptr_t)u->uc_mcontext.gregs[i] >> 32) == POISON_TAG)
				addr = (uintptr_t)u->uc_mcontext.gregs[i];
		if (!addr)
			return 0;
	}
	r = rec_by_seq16((unsigned)(addr >> 16) & 0xffff);
	if (!r)
		return 0;
	emit_hit("poison_hit", r, addr, (uintptr_t)u->uc_mcontext.gregs[REG_RIP]);
	return 1;
}

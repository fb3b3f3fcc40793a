/* unwind.c - native backtraces, with gcc's DWARF unwinder linked into the shim.
 *
 * The unwinder is libgcc's _Unwind_Backtrace, from gcc's libgcc_eh.a, linked statically with
 * its symbols hidden (Makefile: -Bstatic -lgcc_eh, --exclude-libs): nothing is ever loaded, so
 * no interposed function that an allocator or libc calls during its own initialization
 * (pthread_key_create inside jemalloc's, __cxa_thread_atexit_impl) re-enters the loader or
 * malloc on our behalf; no descriptor, pthread key or mapping is taken; and, hidden, this copy
 * never takes over the host's C++ exceptions or backtrace().
 *
 * What it does on the paths used here (read in gcc 12's libgcc_eh.a with objdump; see
 * docs/unwinding.md): each frame's FDE comes from glibc's _dl_find_object (2.35+: lock-free, no
 * malloc, async-signal-safe); malloc, free and a mutex serve only frames registered with
 * __register_frame_info, which nobody does with this private copy (a fast path checks that);
 * pthread_once once, for a table of register sizes, at the first walk (glibc's pthread_once
 * takes no lock and allocates nothing; it could only wait on itself if a signal interrupted
 * that very set-up on the same thread and walked from its handler).
 *
 * It trusts the unwind tables and the stack: a return address that lies in no module makes it
 * read the bytes there (looking for a signal trampoline), and bad unwind info makes it abort().
 * Both are caught for the duration of a walk: a SIGSEGV/SIGBUS reaching the crash handler
 * (unwind_fault_escape) and abort (wrapped: -Wl,--wrap=abort) jump back out of the walk, which
 * keeps the frames found so far.
 *
 * A crash is unwound from the handler through the kernel's signal frame, skipping frames up to
 * the interrupted instruction; when that yields at most the faulting frame (code without unwind
 * tables), a frame-pointer walk is tried. An instruction in no module (a call through a bad
 * pointer) is walked from the return address at the top of the stack (walk_from_return), frame
 * pointers only if that fails. The crash_bt line says which one produced the backtrace. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <string.h>
#include <ucontext.h>
#include <unwind.h>

#include "shim.h"

/* the walk in progress on this thread, to jump out of on a fault or an abort inside it; the
 * address whose read faulted (si_addr), 0 for an abort */
static __thread sigjmp_buf *walk_escape;
static __thread uintptr_t walk_fault_addr;

/* Ends the walk in progress on this thread, if any, by a jump back into walk(): for the crash
 * handler, at a SIGSEGV or SIGBUS (the unwinder read memory that is not there; si: the kernel's,
 * for the address). Returns if no walk is in progress. async-signal-safe */
COLD_TEXT void unwind_fault_escape(int sig, const siginfo_t *si)
{
	sigjmp_buf *e = walk_escape;
	if (e && (sig == SIGSEGV || sig == SIGBUS)) {
		walk_escape = NULL;
		walk_fault_addr = (uintptr_t)si->si_addr;
		siglongjmp(*e, 1);
	}
}

/* libgcc's unwinder calls abort() on unwind information it cannot follow: inside a walk that
 * ends the walk, not the host */
extern void __real_abort(void) __attribute__((noreturn));
COLD_TEXT __attribute__((noreturn)) void __wrap_abort(void)
{
	sigjmp_buf *e = walk_escape;
	if (e) {
		walk_escape = NULL;
		walk_fault_addr = 0;
		siglongjmp(*e, 1);
	}
	__real_abort();
}

struct gcc_walk {
	uintptr_t *ips;
	int n, max;
	int skip;          /* frames still to skip: walk()'s own, or, with find_ip, all up to it */
	int find_ip;
	uintptr_t from_ip; /* with find_ip: the interrupted instruction, frame 0 */
};

static _Unwind_Reason_Code gcc_frame(struct _Unwind_Context *ctx, void *data)
{
	struct gcc_walk *w = data;
	uintptr_t ip = (uintptr_t)_Unwind_GetIP(ctx);
	if (w->skip) {
		/* the handler's own frames, up to the interrupted instruction; or walk() itself */
		if (w->find_ip ? ip != w->from_ip : w->skip-- > 0)
			return _URC_NO_REASON;
		w->skip = 0;
	} else if (ip == 0) {
		return _URC_END_OF_STACK;
	}
	w->ips[w->n++] = ip;
	return w->n < w->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

/* The frames from the caller of walk() outwards (find_ip 0), or from the frame interrupted at
 * from_ip (find_ip 1: a signal's context). Returns how many were stored in ips[0, max).
 * No malloc, no lock, no descriptor; async-signal-safe (the first walk's pthread_once aside,
 * above). Stack: ~1.3 KiB (the unwinder's context and frame state). */
COLD_TEXT __attribute__((noinline)) static int walk(int find_ip, uintptr_t from_ip, uintptr_t *ips,
							int max)
{
	sigjmp_buf env, *outer = walk_escape;
	struct gcc_walk w = {ips, 0, max, 1, find_ip, from_ip};
	int n;
	uintptr_t ret;
	/* the mask saved and restored: the fault may arrive in a handler that runs with another */
	if (sigsetjmp(env, 1) == 0) {
		walk_escape = &env;
		_Unwind_Backtrace(gcc_frame, &w);
		walk_escape = outer;
		return w.n;
	}
	walk_escape = outer;
	n = ((volatile struct gcc_walk *)&w)->n; /* as the callback left it */
	/* A return address in no module (code dlclose unmapped, its frame still on the stack): the
	 * unwinder, finding no FDE for it, reads the code there first (libgcc's x86_64 linux-unwind.h,
	 * x86_64_fallback_frame_state: *pc, looking for the sigreturn trampoline), and that read
	 * faulted at the address itself. It is the next frame: kept, for the report to name from the
	 * module that had been there. */
	ret = walk_fault_addr;
	if (n > 0 && n < max && ret && !module_of(ret) && !((volatile struct gcc_walk *)&w)->skip)
		ips[n++] = ret;
	return n;
}

COLD_TEXT int unwind_here(uintptr_t *ips, int max)
{
	if (max <= 0)
		return 0;
	return walk(0, 0, ips, max);
}

/* Frame pointers: trusted only while each saved frame lies above the last on the stack and each
 * return address falls in a loaded module. A fault ip in no module (a call through a bad
 * pointer) takes its caller from the top of the stack. async-signal-safe; the caller guards
 * against faults (walk_escape) */
static int unwind_fp(const ucontext_t *u, uintptr_t *ips, int max)
{
	uintptr_t sp = (uintptr_t)u->uc_mcontext.gregs[REG_RSP];
	uintptr_t fp = (uintptr_t)u->uc_mcontext.gregs[REG_RBP];
	uintptr_t ip = (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
	int n = 0;
	ips[n++] = ip;
	if (!module_of(ip) && n < max && !(sp & 7) && module_of(*(uintptr_t *)sp))
		ips[n++] = *(uintptr_t *)sp;
	while (n < max && fp >= sp && fp < sp + (8u << 20) && !(fp & 7)) {
		uintptr_t next = ((uintptr_t *)fp)[0], ret = ((uintptr_t *)fp)[1];
		if (!module_of(ret))
			break;
		ips[n++] = ret;
		if (next <= fp)
			break;
		sp = fp;
		fp = next;
	}
	return n;
}

COLD_TEXT __attribute__((noinline)) static int walk_fp(const ucontext_t *u, uintptr_t *ips, int max)
{
	sigjmp_buf env, *outer = walk_escape;
	volatile int n = 0;
	if (sigsetjmp(env, 1) == 0) {
		walk_escape = &env;
		n = unwind_fp(u, ips, max);
	}
	walk_escape = outer;
	return n;
}

/* A jump or call to an address in no module (a call through a dangling pointer: c5's key
 * destructor after its library's dlclose) has run no instruction there: the return address the
 * call pushed is at [sp], and the caller's frame is whole. So the context in the kernel's signal
 * frame (u, which gcc's unwinder reads at the sigreturn trampoline) is moved, for the walk only, to
 * the call's last byte ([sp] - 1, in the call instruction: its unwind rule is the caller's) with
 * sp past the return address, walked with gcc's unwinder and put back. Frame 0 stays the
 * unmapped ip, frame 1 is [sp]. Only when [sp] is mapped and holds an address in a module (a
 * fault reading it is caught: walk_escape). Returns the frames stored, 0 if none past frame 0.
 * async-signal-safe */
COLD_TEXT static int walk_from_return(ucontext_t *u, uintptr_t *ips, int max)
{
	greg_t ip = u->uc_mcontext.gregs[REG_RIP], sp = u->uc_mcontext.gregs[REG_RSP];
	uintptr_t ret;
	sigjmp_buf env, *outer = walk_escape;
	volatile uintptr_t r = 0;
	int n;
	if (max < 3 || (sp & 7) || !mapped_pointer((uint64_t)sp))
		return 0;
	if (sigsetjmp(env, 1) == 0) {
		walk_escape = &env;
		r = *(uintptr_t *)sp;
	}
	walk_escape = outer;
	ret = r;
	if (!ret || !module_of(ret))
		return 0;
	u->uc_mcontext.gregs[REG_RIP] = (greg_t)(ret - 1);
	u->uc_mcontext.gregs[REG_RSP] = sp + 8;
	n = walk(1, ret - 1, ips + 1, max - 1);
	u->uc_mcontext.gregs[REG_RIP] = ip;
	u->uc_mcontext.gregs[REG_RSP] = sp;
	if (n <= 0)
		return 0;
	ips[0] = (uintptr_t)ip;
	ips[1] = ret;
	return n + 1;
}

/* From the interrupted context of a signal: frame 0 is the faulting instruction. *how names the
 * unwinder used. async-signal-safe */
COLD_TEXT int unwind_from_signal(void *ucontext, uintptr_t *ips, int max, const char **how)
{
	ucontext_t *u = ucontext;
	uintptr_t ip = (uintptr_t)u->uc_mcontext.gregs[REG_RIP], alt[64];
	int n, k;
	if (max <= 0)
		return 0;
	if (max > 64)
		max = 64;
	*how = "libgcc";
	/* an interrupted address in no module (a jump to a bad one) has no unwind information, and
	 * gcc's unwinder would read the code there, looking for a signal trampoline */
	n = module_of(ip) ? walk(1, ip, ips, max) : walk_from_return(u, ips, max);
	if (n > 1)
		return n;
	k = walk_fp(u, alt, max);
	if (k > n) {
		*how = "framepointer";
		memcpy(ips, alt, (size_t)k * sizeof *ips);
		n = k;
	}
	return n;
}

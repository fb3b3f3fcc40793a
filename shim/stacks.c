/* stacks.c - the shim's own stacks, for its deep work on a program's thread: running the
 * unwinder, walking the loader's list, symbol lookups. A program's thread may have a 16 KiB
 * stack (PTHREAD_STACK_MIN) that it sized for itself; the shim adds only its small frames there
 * and runs the rest on one of these (STYLE.md, stack discipline).
 *
 * A small pool, made on first need: each stack is its own mapping with a PROT_NONE guard page
 * below it (an overflow faults rather than writing into something else). A stack is claimed with
 * one atomic compare-and-swap and given back after the call: no lock, nothing that blocks, usable
 * from a signal handler. When every stack is taken (more threads than DEEP_STACKS inside deep
 * work at once) the caller is told and skips the work (a backtrace is left out, a lookup waits
 * for the next event); it never waits. Work already on one of these stacks (a nested call, a
 * signal handler that interrupted it) runs where it is.
 *
 * The pool is per process, not per thread: at most 2 * DEEP_STACKS mappings, however many threads
 * the program makes. A program's signal handler that interrupts deep work runs on this stack
 * (it would have run on the thread's own); one that longjmps out of it leaves the stack taken. */
#define _GNU_SOURCE
#include <sys/mman.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h> /* Debian's valgrind package; its client requests cost nothing outside valgrind */
#else
#define VALGRIND_STACK_REGISTER(lo, hi) 0
#endif

#include "shim.h"
#include "sys.h"

#define DEEP_STACKS 16
#define DEEP_STACK_BYTES (128 * 1024)
#define GUARD_BYTES 4096
/* unused bytes above the first frame: an unwinder may read the word at a frame's CFA (the first
 * frame's CFA is the top), which would otherwise be the page beyond the mapping */
#define STACK_TOP_SLACK 64

/* stackswitch.S */
__attribute__((visibility("hidden"))) void shim_call_on_stack(void (*fn)(void *), void *arg, void *top);

struct deep_stack {
	char *_Atomic base; /* lowest usable byte (above the guard page); NULL until made */
	atomic_int busy;
};
static struct deep_stack deep[DEEP_STACKS] COLD_BSS;

static int holds(struct deep_stack *d, uintptr_t sp)
{
	char *b = atomic_load_explicit(&d->base, memory_order_acquire);
	return b && sp >= (uintptr_t)b && sp < (uintptr_t)b + DEEP_STACK_BYTES;
}

/* mmap and mprotect only, as system calls (str.h): async-signal-safe */
static char *stack_make(void)
{
	char *m = sys_mmap(GUARD_BYTES + DEEP_STACK_BYTES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1);
	if (m == MAP_FAILED)
		return NULL;
	if (sys3(SYS_mprotect, m, GUARD_BYTES, PROT_NONE) != 0) {
		sys2(SYS_munmap, m, GUARD_BYTES + DEEP_STACK_BYTES);
		return NULL;
	}
	/* under valgrind: a jump of the stack pointer onto it is a switch of stacks, not a frame
	 * that makes everything in between inaccessible (e.g. the thread's TLS when it is near) */
	(void)VALGRIND_STACK_REGISTER(m + GUARD_BYTES, m + GUARD_BYTES + DEEP_STACK_BYTES);
	return m + GUARD_BYTES;
}

/* Run fn(arg) on one of the shim's stacks. Returns 1 if it ran, 0 if no stack was free (or none
 * could be mapped): then the caller does without. async-signal-safe (as far as fn is). */
int shim_stack_run(void (*fn)(void *), void *arg)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	int i;
	for (i = 0; i < DEEP_STACKS; i++) {
		if (holds(&deep[i], sp)) {
			fn(arg);
			return 1;
		}
	}
	for (i = 0; i < DEEP_STACKS; i++) {
		struct deep_stack *d = &deep[i];
		int expected = 0;
		char *b;
		if (atomic_load_explicit(&d->busy, memory_order_relaxed) ||
		    !atomic_compare_exchange_strong(&d->busy, &expected, 1))
			continue;
		b = atomic_load(&d->base);
		if (!b && (b = stack_make()) != NULL)
			atomic_store_explicit(&d->base, b, memory_order_release);
		if (b)
			shim_call_on_stack(fn, arg, b + DEEP_STACK_BYTES - STACK_TOP_SLACK);
		atomic_store_explicit(&d->busy, 0, memory_order_release);
		return b != NULL;
	}
	return 0;
}

/* In a fork child: the stacks other threads were using are free (those threads are gone). */
void stacks_after_fork_child(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	int i;
	for (i = 0; i < DEEP_STACKS; i++)
		if (!holds(&deep[i], sp))
			atomic_store(&deep[i].busy, 0);
}

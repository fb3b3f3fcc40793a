/* checkers.h - telling Valgrind's thread checkers (helgrind, drd) to leave the shim's own memory
 * alone. The shim's structures shared between threads (the retired-thread list, the live table,
 * the start records, the arena chunks) are handed over with C11 atomics, which helgrind and drd
 * do not model: each handover is reported as a data race in the program, and
 * `valgrind --tool=helgrind --error-exitcode=99 PROGRAM` exits 99 for any program that starts a
 * thread under the shim (issue 14, ATK10's a10_vg_helgrind). */
#ifndef TLSTRACE_CHECKERS_H
#define TLSTRACE_CHECKERS_H
#include <stddef.h>
#include <stdint.h>

/* A Valgrind client request (valgrind.h 3.19, amd64's VALGRIND_DO_CLIENT_REQUEST_EXPR): a no-op
 * sequence of rotations natively (dflt is returned), recognized by Valgrind's JIT, which runs the
 * request and returns its result in rdx. No system call, no memory but args. async-signal-safe */
static inline uintptr_t checker_request(uintptr_t dflt, uintptr_t req, uintptr_t a1, uintptr_t a2)
{
	volatile uintptr_t args[6] = {req, a1, a2, 0, 0, 0};
	uintptr_t res;
	__asm__ volatile("rolq $3, %%rdi; rolq $13, %%rdi\n\t"
			 "rolq $61, %%rdi; rolq $51, %%rdi\n\t"
			 "xchgq %%rbx, %%rbx"
			 : "=d"(res)
			 : "a"(&args[0]), "0"(dflt)
			 : "cc", "memory");
	return res;
}

#define CHECKER_RUNNING_ON_VALGRIND 0x1001 /* valgrind.h VG_USERREQ__RUNNING_ON_VALGRIND */
#define CHECKER_HG_UNTRACK 0x48470127 /* helgrind.h _VG_USERREQ__HG_ARANGE_MAKE_UNTRACKED (addr, len) */
#define CHECKER_DRD_SUPPRESS 0x44520002 /* drd.h VG_USERREQ__DRD_START_SUPPRESSION (addr, len) */

/* Whether the process runs under Valgrind: natively one no-op request, inline (hot code). */
static inline int checker_running(void)
{
	return checker_request(0, CHECKER_RUNNING_ON_VALGRIND, 0, 0) != 0;
}

/* [addr, addr + len) is the shim's: helgrind and drd neither track nor report accesses to it
 * (memcheck still checks it). Two requests, each ignored by the tools it is not for; cold code
 * (init.c), called only when checker_running(). async-signal-safe */
void checker_untrack(const void *addr, size_t len);

/* checker_untrack(addr, len) if under Valgrind */
#define CHECKER_UNTRACK(addr, len)                   \
	do {                                         \
		if (unlikely(checker_running()))     \
			checker_untrack((addr), (len)); \
	} while (0)
#endif

/* rlimit.c - setrlimit, setrlimit64, prlimit, prlimit64: passed through unchanged, after telling
 * the trace writer that RLIMIT_FSIZE may become finite (a write past it would raise SIGXFSZ in
 * the program; trace.c then checks the file's size before each write). Told before the call, so
 * that no write sees the new limit unchecked; a vfork child's call, made in its parent's memory,
 * only makes the parent check too. Limits changed by another process (prlimit --pid) or by a raw
 * system call are not seen (README).
 * mlockall: tried again once with the shim's signal stack cut where RLIMIT_MEMLOCK refused it. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "shim.h"
#include "sys.h"

/* Before a call that sets a limit (resource and new limit as given): tells the writer, finds the
 * real function (left NULL if there is none: the system call will do), keeps errno. */
static void about_to_set(int resource, const void *new_limit, size_t offset)
{
	int saved = errno;
	if (resource == RLIMIT_FSIZE && new_limit)
		trace_fsize_may_change();
	real_resolve_one(offset);
	errno = saved;
}
#define BEFORE(fn, resource, new_limit) about_to_set((int)(resource), new_limit, offsetof(struct real_fns, fn))

/* prlimit64 by system call, for a libc without the function (never glibc 2.13 and later) */
static int prlimit_syscall(pid_t pid, int resource, const void *new_limit, void *old_limit)
{
	long r = sys4(SYS_prlimit64, pid, resource, new_limit, old_limit);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}

EXPORT int setrlimit(__rlimit_resource_t resource, const struct rlimit *rl)
{
	BEFORE(setrlimit, resource, rl);
	return real.setrlimit ? real.setrlimit((int)resource, rl) : prlimit_syscall(0, (int)resource, rl, NULL);
}

EXPORT int setrlimit64(__rlimit_resource_t resource, const struct rlimit64 *rl)
{
	BEFORE(setrlimit64, resource, rl);
	return real.setrlimit64 ? real.setrlimit64((int)resource, rl) : prlimit_syscall(0, (int)resource, rl, NULL);
}

EXPORT int prlimit(pid_t pid, __rlimit_resource_t resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
	BEFORE(prlimit, resource, new_limit);
	return real.prlimit ? real.prlimit(pid, (int)resource, new_limit, old_limit)
			    : prlimit_syscall(pid, (int)resource, new_limit, old_limit);
}

EXPORT int prlimit64(pid_t pid, __rlimit_resource_t resource, const struct rlimit64 *new_limit,
		     struct rlimit64 *old_limit)
{
	BEFORE(prlimit64, resource, new_limit);
	return real.prlimit64 ? real.prlimit64(pid, (int)resource, new_limit, old_limit)
			      : prlimit_syscall(pid, (int)resource, new_limit, old_limit);
}

/* mlockall, glibc's system call: where MCL_CURRENT fails with ENOMEM (RLIMIT_MEMLOCK below the
 * process's address space, which counts the shim's mappings), the main thread's 512 KiB signal
 * stack cut to 64 KiB (crash_altstack_shrink) and the call made once more: it then succeeds
 * where it would without the shim, unless the rest of the shim's mappings still tip it over
 * (HOSTILE18; t498). errno as the kernel answers the last call. */
COLD_TEXT EXPORT int mlockall(int flags)
{
	long r = sys1(SYS_mlockall, flags);
	if (r == -ENOMEM && (flags & MCL_CURRENT) && crash_altstack_shrink())
		r = sys1(SYS_mlockall, flags);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}

/* namespaces.c - unshare and setns: calls Linux refuses in a process of more than one thread
 * (issue 14: a single-threaded program must not fail one because of the shim's thread).
 *
 * unshare of CLONE_NEWUSER (which implies CLONE_THREAD), CLONE_THREAD, CLONE_SIGHAND or CLONE_VM
 * fails with EINVAL when the process has another thread (kernel/fork.c ksys_unshare,
 * check_unshare_flags); so does setns into a user namespace, or into a mount namespace (threads
 * share the fs_struct), and into a time namespace with EUSERS (kernel/user_namespace.c
 * userns_install, fs/namespace.c mntns_install, kernel/time/namespace.c timens_install). From
 * the start of teardown the hang watchdog has a thread (watchdog.c); for such a call the thread
 * ends first and is made again once the call returned (watchdog_aside, watchdog_back). Other
 * calls, and every call before teardown or with the watchdog off, go straight through: one
 * compare, no system call. The same holds for syscall(SYS_unshare) and syscall(SYS_setns)
 * (sandbox.c). A raw system call outside glibc (an inline `syscall` instruction) is not seen:
 * it fails there as before (docs/design.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <sys/syscall.h>

#include "shim.h"
#include "sys.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* linux/sched.h, Linux 5.6 */
#endif

/* the real functions, looked up on first use (NULL: none, the system call does) */
static struct {
	int (*unshare)(int);
	int (*setns)(int, int);
} ns EXIT_BSS;
#define NS_REAL(fn) ((__typeof__(ns.fn))real_lookup_once((void **)&ns.fn, COLD_NAME(#fn)))

/* 1 if the system call nr (SYS_unshare: a0 its flags; SYS_setns: a0 the descriptor, a1 the
 * namespace type, 0 any, or a pidfd's set of types) fails in a process of more than one thread */
EXIT_TEXT int ns_needs_one_thread(long nr, long a0, long a1)
{
	if (nr == SYS_unshare)
		return (a0 & (CLONE_NEWUSER | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) != 0;
	if (nr == SYS_setns)
		return !a1 || (a1 & (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWTIME)) != 0;
	return 0;
}

EXIT_TEXT EXPORT int unshare(int flags)
{
	int parked = ns_needs_one_thread(SYS_unshare, flags, 0) ? watchdog_aside(0) : 0, r;
	if (NS_REAL(unshare))
		r = ns.unshare(flags);
	else
		r = (int)shim_syscall(SYS_unshare, flags);
	if (parked)
		watchdog_back(0);
	return r;
}

EXIT_TEXT EXPORT int setns(int fd, int nstype)
{
	int parked = ns_needs_one_thread(SYS_setns, fd, nstype) ? watchdog_aside(0) : 0, r;
	if (NS_REAL(setns))
		r = ns.setns(fd, nstype);
	else
		r = (int)shim_syscall(SYS_setns, fd, nstype);
	if (parked)
		watchdog_back(0);
	return r;
}

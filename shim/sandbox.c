/* sandbox.c - a program that sandboxes itself with seccomp: prctl(PR_SET_SECCOMP) and
 * syscall(SYS_seccomp) (glibc has no seccomp(); libseccomp's seccomp_load makes that call, or
 * the prctl) are passed through unchanged, after the shim's clock has left its system call for
 * the vDSO and its /proc reads have stopped (trace_sandboxed): the program reads the time
 * through the vDSO, and its filter may kill the system call (issue 14, U8's seccomp.c). A filter inherited across exec (systemd's
 * SystemCallFilter=) is not seen: telling would take a system call of its own (docs/design.md).
 * A filter installed by a raw system call, not through libc, is not seen either. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <sys/prctl.h>

#include "shim.h"
#include "sys.h"

COLD_TEXT EXPORT int prctl(int option, ...)
{
	va_list ap;
	unsigned long a[4];
	int saved = errno;
	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long); /* (as glibc's own prctl reads them) */
	va_end(ap);
	if (option == PR_SET_SECCOMP)
		trace_sandboxed();
	if (!REAL(prctl)) {
		long r = sys6(SYS_prctl, option, (long)a[0], (long)a[1], (long)a[2], (long)a[3], 0);
		if (r < 0 && r > -4096) {
			errno = (int)-r;
			return -1;
		}
		errno = saved;
		return (int)r;
	}
	errno = saved;
	return REAL(prctl)(option, a[0], a[1], a[2], a[3]);
}

COLD_TEXT EXPORT long syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	int saved = errno;
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_seccomp)
		trace_sandboxed();
	errno = saved;
	if (!REAL(syscall))
		return shim_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

COLD_TEXT long shim_syscall(long nr, ...)
{
	va_list ap;
	long a[6], r;
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	r = sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* sandbox.c - the shim under a seccomp filter (issue 14).
 * A program that sandboxes itself: prctl(PR_SET_SECCOMP) and syscall(SYS_seccomp) (glibc has no
 * seccomp(); libseccomp's seccomp_load makes that call, or the prctl) are passed through
 * unchanged, after the shim's clock has left its system call for the vDSO and its /proc reads
 * have stopped (trace_sandboxed): the program reads the time through the vDSO, and its filter may
 * kill the system call (U8's seccomp.c).
 * A filter inherited across exec (systemd's SystemCallFilter=, a container's profile): the shim
 * asks the kernel (the `Seccomp:` line of /proc/self/status, seccomp_filtered) once, just before
 * its first system call outside those every program makes (process_vm_readv, perf_event_open,
 * mincore, rt_tgsigqueueinfo); under a filter it makes ordinary ones instead (self_read: a pipe)
 * or none (the hardware watch). Its start-up calls (docs/design.md, "A process that sandboxes
 * itself") must still be allowed; systemd's @system-service allows them.
 * A filter installed by a raw system call, not through libc, after that question is not seen. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <linux/seccomp.h>

#include "shim.h"
#include "sys.h"

/* The program is about to enter seccomp's strict mode (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)
 * or seccomp(SECCOMP_SET_MODE_STRICT)): only read, write, _exit and sigreturn from then on, and
 * rdtsc faults. The shim hands every signal it owns back to the program (crash_give_back_all),
 * says so in the trace, and goes off (shim_active 3: no line, no clock, no thread from then on),
 * while its system calls are still allowed. A call that then fails leaves the shim off. */
COLD_TEXT static void strict_mode_begins(void)
{
	trace_sandboxed();
	if (atomic_load(&shim_active) != 1)
		return;
	trace_note("seccomp strict mode", "tracing off, the signals given back to the program");
	crash_give_back_all();
	atomic_store(&shim_active, 3);
}

COLD_TEXT EXPORT int prctl(int option, ...)
{
	va_list ap;
	unsigned long a[4];
	int saved = errno;
	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long); /* (as glibc's own prctl reads them) */
	va_end(ap);
	if (option == PR_SET_SECCOMP && a[0] == SECCOMP_MODE_STRICT)
		strict_mode_begins();
	else if (option == PR_SET_SECCOMP) {
		if (a[0] == SECCOMP_MODE_FILTER)
			filter_check((const void *)a[1]);
		trace_sandboxed();
	}
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

/* (with the code most ends run, EXIT_TEXT: python3 calls it at every start, for getrandom) */
EXIT_TEXT EXPORT long syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	int saved = errno;
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	long r;
	int parked = 0;
	if (nr == SYS_seccomp && a[0] == SECCOMP_SET_MODE_STRICT)
		strict_mode_begins();
	else if (nr == SYS_seccomp) {
		if (a[0] == SECCOMP_SET_MODE_FILTER)
			filter_check((const void *)a[2]);
		trace_sandboxed();
	}
	else if (ns_needs_one_thread(nr, a[0], a[1]))
		parked = watchdog_aside(0); /* (namespaces.c) */
	errno = saved;
	/* (a raw rt_sigaction is the program's sigaction: it reads its own actions, t396) */
	if (nr == SYS_rt_sigaction && crash_raw_sigaction(a[0], (const void *)a[1], (void *)a[2], a[3], &r))
		return r;
	if (!REAL(syscall))
		r = shim_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	else
		r = REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (parked)
		watchdog_back(0);
	return r;
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

/* ---- a filter inherited across exec ---- */

/* 0 not asked yet, 1 being asked, 2 no filter, 3 a filter, 4 no answer (/proc/self/status unread) */
static atomic_int filter_state EXIT_BSS;

/* Is this process under a seccomp filter? 1: yes, through prctl or syscall (trace_sandboxed), or
 * inherited across exec: the kernel's seccomp mode, the `Seccomp:` line of /proc/self/status
 * (Linux's fs/proc/array.c task_seccomp: 0 none, 1 strict, 2 filter), is not 0. 2: the file
 * cannot be read (no /proc mounted): a filter cannot be ruled out, the caller acts as under one.
 * 0: mode 0, or no such line (a kernel without CONFIG_SECCOMP). Asked once, by the first caller;
 * one that comes while it asks gets 1 (for that call only). The first question costs the read
 * (openat, reads of 240 bytes up to the line, 4 in python3 here, close: the file is 1.4 KiB on
 * Linux 6.18; ~31 us in a fresh process, ~5 us warm, this VM), once per process, on a 300-byte
 * frame (a page of .lbss would be one more fault at a python3's end: t200); a fork child keeps
 * the answer (its filter is its parent's). Not seen: a filter the program puts in by a raw system
 * call after the question (Go, Chromium's stub). async-signal-safe (raw calls); no lock */
EXIT_TEXT int seccomp_filtered(void)
{
	char buf[256];
	size_t keep = 0;
	long fd, n = -1;
	int st = atomic_load_explicit(&filter_state, memory_order_acquire), no = 0;
	if (atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed))
		return 1;
	if (st >= 2)
		return st - 2;
	if (st == 1 || !atomic_compare_exchange_strong(&filter_state, &no, 1))
		return 1;
	st = 4;
	fd = sys4(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC, 0);
	/* the key and its value may straddle two reads: the tail of one is kept for the next */
	while (fd >= 0 && (n = sys3(SYS_read, fd, buf + keep, sizeof buf - 1 - keep)) > 0) {
		size_t len = keep + (size_t)n;
		const char *key, *v;
		buf[len] = 0;
		if ((key = shim_strstr(buf, "\nSeccomp:"))) {
			for (v = key + 9; *v == ' ' || *v == '\t'; v++)
				;
			if (*v) {
				st = *v == '0' ? 2 : 3;
				break;
			}
			keep = len - (size_t)(key - buf);
		} else {
			keep = len < 16 ? len : 16;
		}
		memmove(buf, buf + len - keep, keep);
	}
	if (st == 4 && n == 0 && keep) /* the whole file read, no such line */
		st = 2;
	if (fd >= 0)
		sys1(SYS_close, fd);
	atomic_store_explicit(&filter_state, st, memory_order_release);
	return st - 2;
}

/* Up to len bytes of this process's memory at addr into buf, never faulting: the bytes read
 * (fewer where the range runs into memory not readable), or -1 when none could be. By
 * process_vm_readv on ourselves; under a seccomp filter (seccomp_filtered: the filter may kill
 * that call: systemd's @debug held it in older releases, before it moved to @ipc, and container
 * profiles refused it until 2021-2022: moby#42083, containerd#7693), or where the kernel refused
 * it (EPERM: a filter's errno; ENOSYS), by write(2) of the range into a pipe, which stops at an
 * unreadable page the same way (EFAULT), and a read back: pipe2, write, read and two closes,
 * ~2.4 us against ~0.5 us for 8 bytes on this VM. The
 * pipe's two descriptors exist during the call (the lowest free numbers: a thread of the
 * program's that opens a file meanwhile gets another number). len at most 65536 (a pipe's
 * default capacity). errno is kept. async-signal-safe. With the exit's code (EXIT_TEXT): python.c's
 * py_peek reads the interpreter through it from the first event of a Python 3.13+ process. */
EXIT_TEXT long self_read(uintptr_t addr, void *buf, size_t len)
{
	static atomic_int by_pipe EXIT_BSS;
	long n;
	int p[2];
	if (addr < 4096 || addr + len < addr || len > 65536)
		return -1;
	if (!len)
		return 0;
	if (!atomic_load_explicit(&by_pipe, memory_order_relaxed) && !seccomp_filtered()) {
		struct iovec local = {buf, len}, remote = {(void *)addr, len};
		/* raw system calls: libc's wrappers are pages of libc python3 never runs */
		n = sys6(SYS_process_vm_readv, sys0(SYS_getpid), (long)&local, 1, (long)&remote, 1, 0);
		if (n != -ENOSYS && n != -EPERM)
			return n > 0 ? n : -1;
		atomic_store(&by_pipe, 1);
	}
	if (sys2(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	n = sys3(SYS_write, p[1], addr, len);
	if (n > 0 && sys3(SYS_read, p[0], buf, n) != n)
		n = -1;
	sys1(SYS_close, p[0]);
	sys1(SYS_close, p[1]);
	return n > 0 ? n : -1;
}

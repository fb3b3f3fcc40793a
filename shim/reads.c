/* reads.c - the read, receive, accept and lock-wait family: where python3's own Py_FinalizeEx is
 * seen blocking in a call on a descriptor, or in a wait for a signal or a file lock (issue 15).
 *
 * In /usr/bin/python3 Py_FinalizeEx is an internal call; an atexit callback, or a thread that
 * threading._shutdown joins, may block the main thread in a call that waits for a peer rather
 * than for a time or a lock (sleeps.c, python.c's sem_wait). What CPython 3.11 calls on glibc
 * (Debian's python3 imports each one; Modules/posixmodule.c, socketmodule.c, signalmodule.c,
 * fcntlmodule.c, Python/fileutils.c _Py_read): os.read, FileIO's reads (a file object's read and
 * readline; input() when stdin is no tty, which reads through sys.stdin.readline) read; os.readv
 * readv; socket.recv and recv_into recv, recvfrom and recvfrom_into recvfrom, recvmsg recvmsg
 * (glibc's recv is the recvfrom system call); socket.accept accept4; a blocking socket.connect
 * connect (one with a timeout is a non-blocking connect and a poll: sleeps.c); signal.pause
 * pause; fcntl.flock flock; fcntl.lockf and fcntl.fcntl F_SETLKW fcntl64 (Python is built with
 * _FILE_OFFSET_BITS=64). Interposed: those. signal.sigwaitinfo and sigtimedwait, os.waitpid,
 * os.wait and os.waitid are signals.c's wrappers, which ask the same (BLOCKING_PY).
 * Each wrapper, in a process whose interpreter was found and only for a call that may block
 * (MSG_DONTWAIT, LOCK_NB, an fcntl command other than F_SETLKW and F_OFD_SETLKW: not), asks
 * py_fin_blocking_fd (python.c), which on the main thread starts the hang watchdog if
 * Py_FinalizeEx runs and, for a call on a descriptor, the descriptor may wait (fd_may_block: not
 * O_NONBLOCK, not one that seeks (a regular file) unless an anonymous inode (an eventfd's,
 * timerfd's, signalfd's, inotify's)); then it calls the real function with the arguments as given.
 *
 * Not watched: stdio's own reads (fgets, getchar, fread: glibc calls its internal __read, which no
 * preloaded library can interpose; python3 reads through them only where stdin is a tty: input()
 * through readline or PyOS_StdioReadline); a callback that spins in pure Python (no call at all);
 * recvmmsg, preadv2, io_uring (CPython does not call them); accept, sigsuspend and fcntl, which
 * CPython does not call either (accept4, fcntl64: on x86-64 glibc's fcntl and fcntl64 are one
 * function) and whose exports would cost the start-up window bytes (~40 each of .dynsym,
 * .dynstr and hash, which lie before the code: t040's 64 KiB); a call from a thread other than
 * the main one (python.c: the main thread only, where Py_FinalizeEx runs).
 *
 * Cost: read and fcntl64 run in every python3 start (its imports read, and test descriptors
 * with fcntl64): their real functions' pointers are in struct real_fns (the start-up page), not
 * EXIT_BSS (t040); their code is EXIT_TEXT with the rest, which python3's start and most ends
 * fault in anyway. In every process but a Python one: three relaxed loads (hw_pending,
 * hw_put_off.sig, py_ready) and the real function's pointer, one branch, a jump (READS_ENTRY:
 * 11 instructions, callgrind);
 * fcntl64 a compare of the command first. In a Python process: its other threads a call and a
 * compare of the cached thread id; its main thread fin_memo's lookup and a coarse clock read,
 * and at a new stack depth at most once per FIN_RECHECK_NS the top of the stack (python3 3.11,
 * 3.12: fin_not_at_top), or fd_may_block and the scan (python.c).
 * Measured: bench/run reads, docs/design.md.
 *
 * Exactness: errno is kept; each wrapper calls its real function once, so cancellation (each of
 * these is a cancellation point) and EINTR behave as without the shim. For the call where
 * python3's teardown is seen to begin, if a SIGTERM, SIGINT or SIGQUIT arrived at a handler
 * meanwhile, the call returns as one that signal cut short (BLOCKING, shim.h), where the kernel
 * would: pause always (EINTR); read, readv, recv*, accept4, flock and fcntl64's lock
 * waits only where no termination handler has SA_RESTART (signal(7): they restart under it; a
 * socket with SO_RCVTIMEO would not, a case not told apart); connect never (a connect cut short
 * goes on in the background, and Python, seeing EINTR, waits for it to end: an EINTR from one
 * never made would read as one made). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/fcntl.h> /* (not <fcntl.h>: fcntl below) */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

/* the real functions but read's and fcntl64's (struct real_fns), looked up on first use */
static struct {
	ssize_t (*readv)(int, const struct iovec *, int);
	ssize_t (*recv)(int, void *, size_t, int);
	ssize_t (*recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	ssize_t (*recvmsg)(int, struct msghdr *, int);
	int (*accept4)(int, struct sockaddr *, socklen_t *, int);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	int (*pause)(void);
	int (*flock)(int, int);
} rd EXIT_BSS;

#define READS_REAL(fn) ((__typeof__(rd.fn))real_lookup_once((void **)&rd.fn, COLD_NAME(#fn)))

/* (declared again as the shim's own: a direct load each, not an address from the GOT first) */
extern atomic_uintptr_t hw_pending __attribute__((visibility("hidden")));
extern atomic_int py_ready __attribute__((visibility("hidden")));
extern struct real_fns real __attribute__((visibility("hidden")));

/* nothing to ask: no put-off handler watcher published (hw_pending) or on this thread
 * (hw_put_off), no interpreter (py_ready). One branch for the three loads. */
static inline int reads_quiet(void)
{
	return !(atomic_load_explicit(&hw_pending, memory_order_relaxed) | (uintptr_t)(unsigned)hw_put_off.sig |
		 (uintptr_t)(unsigned)atomic_load_explicit(&py_ready, memory_order_relaxed));
}

/* the interrupted return of a call a handler with SA_RESTART restarts (BLOCKING) */
#define EINTR_UNLESS_RESTARTED               \
	do {                                 \
		if (!py_fin_signal_restarts()) \
			EINTR_RETURN;        \
	} while (0)

EXIT_TEXT int fd_may_block(int fd)
{
	long fl;
	if (atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed))
		return 1;
	fl = sys3(SYS_fcntl, fd, F_GETFL, 0);
	if (fl < 0 || (fl & O_NONBLOCK))
		return 0; /* (a bad descriptor: the call fails at once) */
	/* a descriptor that seeks (a regular file, a directory, a block device, /dev/zero) never
	 * waits for a peer; a pipe, FIFO, socket or terminal does not (ESPIPE). lseek(0, SEEK_CUR)
	 * moves nothing, and needs no struct stat on the caller's stack (fstat's 144 bytes: python3's
	 * start reads here, deep in its imports, and a new stack page there was a fault more, t200).
	 * But an anonymous inode that a system call made seeks too (the kernel's noop_llseek: eventfd,
	 * timerfd, signalfd, inotify, fanotify, userfaultfd; Linux 6.18 here), and its read waits for
	 * an event: told, with no system call more, by its flags. The kernel adds O_LARGEFILE to every
	 * file a 64-bit process opens by a path (force_o_largefile: open, openat2, memfd_create,
	 * io_uring's openat, fanotify's event files), and F_SETFL cannot clear it; those system calls
	 * give their anonymous files only O_RDWR or O_RDONLY with O_NONBLOCK and O_CLOEXEC. A file
	 * without it that is no such inode (one a 32-bit process opened and passed over a socket)
	 * only costs the stack scan. Not told: a character device opened by its path that seeks and
	 * waits (/dev/random before the kernel's pool is ready, /dev/hwrng): telling it from a regular
	 * file takes a system call more at every such read, each python3 start's .pyc reads among
	 * them (t201), or a struct stat on the stack (t200) */
	return sys3(SYS_lseek, fd, 0, SEEK_CUR) < 0 || !(fl & O_LARGEFILE);
}

/* The entry of wrapper NAME (PARAMS, called with ARGS), whose real function's pointer is SLOT:
 * where reads_quiet and the pointer is known, a jump to it (no frame, no register saved: these
 * are every server's hottest calls); else NAME_watched, out of line, which asks (BLOCKING) and
 * looks the real function up on first use. */
#define READS_ENTRY(ret, name, slot, params, args)                                  \
	EXIT_TEXT EXPORT ret name params                                             \
	{                                                                            \
		__typeof__(slot) fn_ = __atomic_load_n(&(slot), __ATOMIC_RELAXED);   \
		if (unlikely(!reads_quiet() || !fn_))                                \
			return name##_watched args;                                  \
		return fn_ args;                                                     \
	}
#define WATCHED EXIT_TEXT __attribute__((noinline)) static

/* ---- read and fcntl64, which every python3 start calls: their real functions in struct
 * real_fns (the start-up page, not EXIT_BSS: t040) ---- */

WATCHED ssize_t read_watched(int fd, void *buf, size_t n)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, n != 0, EINTR_UNLESS_RESTARTED);
	return REAL(read)(fd, buf, n);
}
READS_ENTRY(ssize_t, read, real.read, (int fd, void *buf, size_t n), (fd, buf, n))

/* fcntl64 takes its third argument as glibc's own reads it, a pointer for every command
 * (sysdeps/unix/sysv/linux/fcntl64.c: va_arg (ap, void *)), and passes it on so: the real
 * function sees the same register (%rdx, all 64 bits; x86-64 passes a variadic call's integer
 * arguments as a fixed one's). Hence no <fcntl.h> in this file, which declares it variadic (and,
 * with va_start, a frame of 0x68 bytes in every call): its constants from <linux/fcntl.h>. Only
 * a lock wait, F_SETLKW or F_OFD_SETLKW, may block, on a regular file too (no fd_may_block); an
 * F_UNLCK is taken as one that may (reading the struct could fault where the call fails with
 * EFAULT). Its entry tests the command first: a server's F_GETFL and F_SETFL pay that compare. */
static inline int fcntl_waits(int cmd) { return cmd == F_SETLKW || cmd == F_OFD_SETLKW; }

WATCHED int fcntl64_watched(int fd, int cmd, void *arg)
{
	if (fcntl_waits(cmd) && !reads_quiet())
		BLOCKING(1, EINTR_UNLESS_RESTARTED);
	return REAL(fcntl64)(fd, cmd, arg);
}

EXIT_TEXT EXPORT int fcntl64(int fd, int cmd, void *arg)
{
	int (*fn)(int, int, ...) = real.fcntl64;
	if (unlikely((fcntl_waits(cmd) && !reads_quiet()) || !fn))
		return fcntl64_watched(fd, cmd, arg);
	return fn(fd, cmd, arg);
}

/* ---- the rest, which no start calls: real functions in rd ---- */

WATCHED ssize_t readv_watched(int fd, const struct iovec *iov, int n)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, n > 0, EINTR_UNLESS_RESTARTED);
	return READS_REAL(readv)(fd, iov, n);
}
READS_ENTRY(ssize_t, readv, rd.readv, (int fd, const struct iovec *iov, int n), (fd, iov, n))

WATCHED ssize_t recv_watched(int fd, void *buf, size_t n, int flags)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, !(flags & MSG_DONTWAIT), EINTR_UNLESS_RESTARTED);
	return READS_REAL(recv)(fd, buf, n, flags);
}
READS_ENTRY(ssize_t, recv, rd.recv, (int fd, void *buf, size_t n, int flags), (fd, buf, n, flags))

WATCHED ssize_t recvfrom_watched(int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *len)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, !(flags & MSG_DONTWAIT), EINTR_UNLESS_RESTARTED);
	return READS_REAL(recvfrom)(fd, buf, n, flags, from, len);
}
READS_ENTRY(ssize_t, recvfrom, rd.recvfrom, (int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *len),
	    (fd, buf, n, flags, from, len))

WATCHED ssize_t recvmsg_watched(int fd, struct msghdr *msg, int flags)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, !(flags & MSG_DONTWAIT), EINTR_UNLESS_RESTARTED);
	return READS_REAL(recvmsg)(fd, msg, flags);
}
READS_ENTRY(ssize_t, recvmsg, rd.recvmsg, (int fd, struct msghdr *msg, int flags), (fd, msg, flags))

WATCHED int accept4_watched(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, 1, EINTR_UNLESS_RESTARTED);
	return READS_REAL(accept4)(fd, addr, len, flags);
}
READS_ENTRY(int, accept4, rd.accept4, (int fd, struct sockaddr *addr, socklen_t *len, int flags), (fd, addr, len, flags))

/* never cut short (the header says why): after the test, the call made as given */
WATCHED int connect_watched(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (!reads_quiet())
		BLOCKING_FD(fd, 1, (void)0);
	return READS_REAL(connect)(fd, addr, len);
}
READS_ENTRY(int, connect, rd.connect, (int fd, const struct sockaddr *addr, socklen_t len), (fd, addr, len))

WATCHED int pause_watched(void)
{
	if (!reads_quiet())
		BLOCKING(1, EINTR_RETURN);
	return READS_REAL(pause)();
}
READS_ENTRY(int, pause, rd.pause, (void), ())

/* LOCK_UN and LOCK_NB do not wait; a lock on a regular file does (no fd_may_block) */
WATCHED int flock_watched(int fd, int op)
{
	if (!reads_quiet())
		BLOCKING(!(op & LOCK_NB) && (op & (LOCK_SH | LOCK_EX)), EINTR_UNLESS_RESTARTED);
	return READS_REAL(flock)(fd, op);
}
READS_ENTRY(int, flock, rd.flock, (int fd, int op), (fd, op))

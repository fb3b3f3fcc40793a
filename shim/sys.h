/* sys.h - raw Linux system calls for the shim's own I/O (the trace writer, init): no libc
 * wrapper, so no errno and no first-use page fault of a dozen libc functions at every process
 * start; async-signal-safe by construction. Return -errno on failure, as the kernel does. */
#ifndef TLSTRACE_SYS_H
#define TLSTRACE_SYS_H

#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* the kernel's struct sigaction on x86-64, as rt_sigaction reads and writes it with a mask of 8
 * bytes (Linux's include/linux/signal_types.h; SA_RESTORER is linux/signal.h's flag, not in
 * glibc's headers) */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
struct ksigaction {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};

/* mmap(NULL, len, prot, flags, fd, 0) as the system call: the address, or MAP_FAILED (errno
 * untouched). Not libc's mmap, which a sanitizer intercepts (str.h). */
static inline void *sys_mmap(unsigned long len, int prot, int flags, int fd)
{
	long r = sys6(SYS_mmap, 0, (long)len, prot, flags, fd, 0);
	return r < 0 && r > -4096 ? MAP_FAILED : (void *)r;
}

#endif

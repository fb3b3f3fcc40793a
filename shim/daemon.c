/* daemon.c - daemon and forkpty: glibc functions that fork inside and return in the child.
 *
 * glibc forks there with its internal __fork (misc/daemon.c, login/forkpty.c), which no
 * interposed fork sees: the child went on with its parent's pid in every trace line (its
 * _exit, its crash, its main's return read as the parent's), and daemon's parent ended with an
 * _exit of glibc's that wrote no line. Both are written again here, as glibc 2.36 writes them,
 * over the shim's fork (threads.c: the fork and forked lines, the child's own state) and _exit
 * (exitfns.c), so that each process's lines carry its own pid. What they do is glibc's, step by
 * step: daemon forks, the parent calls _exit(0), the child calls setsid, chdir("/") unless
 * nochdir, and unless noclose opens /dev/null, checks that it is the character device 1:3 (else
 * ENODEV) and dup2s it onto 0, 1 and 2; forkpty opens the pair with openpty, forks, and the child
 * makes the terminal its controlling one with login_tty (_exit(1) if that fails). openpty and
 * login_tty are glibc's own, looked up on first use. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

static struct {
	int (*openpty)(int *, int *, char *, const struct termios *, const struct winsize *);
	int (*login_tty)(int);
} pty EXIT_BSS;
#define PTY_REAL(fn) ((__typeof__(pty.fn))real_lookup_once((void **)&pty.fn, COLD_NAME(#fn)))

/* glibc's misc/daemon.c, over the shim's fork and _exit */
COLD_TEXT EXPORT int daemon(int nochdir, int noclose)
{
	struct stat st;
	long fd;
	switch (shim_fork()) {
	case -1:
		return -1;
	case 0:
		break;
	default:
		shim__exit(0);
	}
	if (shim_syscall(SYS_setsid) == -1)
		return -1;
	if (shim_enter()) { /* (the new session and group: pgrp.c) */
		pgrp_write_own("daemon");
		shim_leave();
	}
	if (!nochdir)
		(void)shim_syscall(SYS_chdir, "/");
	if (!noclose) {
		if ((fd = shim_syscall(SYS_openat, AT_FDCWD, _PATH_DEVNULL, O_RDWR, 0)) != -1 &&
		    shim_syscall(SYS_fstat, fd, &st) == 0) {
			if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) { /* (glibc: DEV_NULL_MAJOR, _MINOR) */
				(void)shim_syscall(SYS_dup2, fd, STDIN_FILENO);
				(void)shim_syscall(SYS_dup2, fd, STDOUT_FILENO);
				(void)shim_syscall(SYS_dup2, fd, STDERR_FILENO);
				if (fd > 2)
					(void)shim_syscall(SYS_close, fd);
			} else {
				int saved = ENODEV; /* (no call failed: glibc sets it) */
				(void)shim_syscall(SYS_close, fd);
				errno = saved;
				return -1;
			}
		} else {
			int saved = errno;
			if (fd != -1)
				(void)shim_syscall(SYS_close, fd);
			errno = saved;
			return -1;
		}
	}
	return 0;
}

/* glibc's login/forkpty.c, over the shim's fork */
COLD_TEXT EXPORT int forkpty(int *amaster, char *name, const struct termios *termp, const struct winsize *winp)
{
	int ptmx, terminal, pid;
	if (!PTY_REAL(openpty) || !PTY_REAL(login_tty)) {
		errno = ENOSYS;
		return -1;
	}
	if (pty.openpty(&ptmx, &terminal, name, termp, winp) == -1)
		return -1;
	switch (pid = shim_fork()) {
	case -1:
		sys1(SYS_close, ptmx);
		sys1(SYS_close, terminal);
		return -1;
	case 0:
		sys1(SYS_close, ptmx);
		if (pty.login_tty(terminal))
			shim__exit(1);
		if (shim_enter()) { /* (login_tty's setsid is glibc's own: the new session, pgrp.c) */
			pgrp_write_own("forkpty");
			shim_leave();
		}
		return 0;
	default:
		*amaster = ptmx;
		sys1(SYS_close, terminal);
		return pid;
	}
}

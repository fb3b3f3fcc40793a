/* pgrp.c - process groups and sessions: setpgid, setpgrp, setsid, and the `pgrp` line.
 *
 * A group kill (killpg(pgrp, sig), kill(-pgrp, sig), kill(0, sig)) reaches every member of the
 * group, not only its leader: Apache prefork's children and a shell job's pipeline are in a
 * group they do not lead. For the report to tie such a kill to each member, every process says
 * which group and session it is in: at its start (init.c write_header, after its config line),
 * and whenever a call of this file moves it or another process into a group. A forked child is
 * in its parent's group (POSIX: fork keeps the pgid and sid) and writes none; an exec keeps them
 * too, and the new program writes its own at its start.
 *
 * The line, `pgrp pid pgid sid call` (docs/trace-format.md): process `pid` is in process group
 * `pgid` and session `sid` (`-` where unknown: the session of another process setpgid moved)
 * since `call` returned success. Nothing for a failed call; the call's arguments, result and
 * errno pass through unchanged. Async-signal-safe, as the calls are (POSIX lists setpgid and
 * setsid): the line is written by the trace writer from the stack. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

static struct {
	int (*setpgid)(pid_t, pid_t);
	int (*setpgrp)(void);
	pid_t (*setsid)(void);
} pg EXIT_BSS;
#define PG_REAL(fn) ((__typeof__(pg.fn))real_lookup_once((void **)&pg.fn, COLD_NAME(#fn)))

/* The `pgrp` line: pid in group pgid of session sid (sid < 0: unknown, `-`) since call.
 * async-signal-safe; the caller holds nothing (it enters the shim's guard itself). */
static void pgrp_line(pid_t pid, pid_t pgid, pid_t sid, const char *call)
{
	struct tline l;
	tl_begin(&l, "pgrp");
	tl_dec(&l, pid);
	tl_dec(&l, pgid);
	if (sid < 0)
		tl_word(&l, "-");
	else
		tl_dec(&l, sid);
	tl_word(&l, call);
	tl_end(&l);
}

/* This process's group and session as the kernel has them now (getpgid(0), getsid(0): two
 * system calls), in a `pgrp` line naming call. async-signal-safe (shim.h). */
void pgrp_write_own(const char *call)
{
	long pgid = sys1(SYS_getpgid, 0), sid = sys1(SYS_getsid, 0);
	if (pgid < 0)
		return;
	pgrp_line(trace_pid_get(), (pid_t)pgid, sid < 0 ? -1 : (pid_t)sid, call);
}

COLD_TEXT EXPORT int setpgid(pid_t pid, pid_t pgid)
{
	int saved = errno, rc;
	int (*real_setpgid)(pid_t, pid_t) = PG_REAL(setpgid);
	if (!real_setpgid) {
		errno = ENOSYS;
		return -1;
	}
	errno = saved;
	rc = real_setpgid(pid, pgid);
	saved = errno;
	if (rc == 0 && shim_enter()) {
		pid_t self = trace_pid_get(), who = pid ? pid : self;
		/* (pgid 0: the group whose id is the process's pid, as the kernel reads it) */
		if (who == self)
			pgrp_write_own("setpgid");
		else /* (a shell's or supervisor's move of its child: the child's session is its own) */
			pgrp_line(who, pgid ? pgid : who, -1, "setpgid");
		shim_leave();
	}
	errno = saved;
	return rc;
}

/* glibc's setpgrp is setpgid(0, 0) through its internal __setpgid, which no interposed setpgid
 * sees (glibc 2.36 misc/setpgrp.c) */
COLD_TEXT EXPORT int setpgrp(void)
{
	int saved = errno, rc;
	int (*real_setpgrp)(void) = PG_REAL(setpgrp);
	if (!real_setpgrp) {
		errno = ENOSYS;
		return -1;
	}
	errno = saved;
	rc = real_setpgrp();
	saved = errno;
	if (rc == 0 && shim_enter()) {
		pgrp_write_own("setpgrp");
		shim_leave();
	}
	errno = saved;
	return rc;
}

COLD_TEXT EXPORT pid_t setsid(void)
{
	int saved = errno;
	pid_t rc;
	pid_t (*real_setsid)(void) = PG_REAL(setsid);
	if (!real_setsid) {
		errno = ENOSYS;
		return -1;
	}
	errno = saved;
	rc = real_setsid();
	saved = errno;
	if (rc > 0 && shim_enter()) {
		/* (a new session's leader leads its new group too: pgid = sid = its pid) */
		pgrp_line(trace_pid_get(), rc, rc, "setsid");
		shim_leave();
	}
	errno = saved;
	return rc;
}

/* spawn.c - popen, interposed only for a task limit the hang watchdog's thread may have taken the
 * last task of (RLIMIT_NPROC, a cgroup's pids.max, kernel.threads-max): the spawn is made again
 * once the thread has ended, as fork, _Fork and pthread_create are (threads.c), system()
 * (sigcompat.c) and vfork (vfork.S, threads.c tlstrace_vfork_room).
 *
 * glibc 2.36's popen spawns with its internal __posix_spawn (libio/iopopen.c), which no wrapper
 * sees, and reports any failure of it as ENOMEM (spawn_failure: __set_errno (ENOMEM)), the
 * clone's EAGAIN included; a spawn failure closes both ends of its pipe, so a second call starts
 * from the same state. posix_spawn and posix_spawnp are not interposed: glibc keeps a pre-2.15
 * version of each (posix/spawn.c __posix_spawn_compat: SPAWN_XFLAGS_TRY_SHELL) that a wrapper of
 * ours, unversioned, would replace for old programs. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include "shim.h"

static struct {
	FILE *(*popen)(const char *, const char *);
} spawn EXIT_BSS;
#define SPAWN_REAL(fn) ((__typeof__(spawn.fn))real_lookup_once((void **)&spawn.fn, COLD_NAME(#fn)))

COLD_TEXT EXPORT FILE *popen(const char *command, const char *type)
{
	FILE *(*fn)(const char *, const char *) = SPAWN_REAL(popen);
	FILE *f;
	int saved;
	if (!fn) {
		errno = ENOSYS;
		return NULL;
	}
	f = fn(command, type);
	if (f || errno != ENOMEM || !watchdog_aside(1))
		return f;
	f = fn(command, type);
	saved = errno;
	watchdog_back(py_interp_found());
	errno = saved;
	return f;
}

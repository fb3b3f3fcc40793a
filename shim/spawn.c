/* spawn.c - popen, interposed only for a task limit the hang watchdog's thread may have taken the
 * last task of (RLIMIT_NPROC, a cgroup's pids.max, kernel.threads-max): the spawn is made again
 * once the thread has ended, as fork, _Fork and pthread_create are (threads.c), system()
 * (sigcompat.c) and vfork (vfork.S, threads.c tlstrace_vfork_room).
 *
 * glibc 2.36's popen spawns with its internal __posix_spawn (libio/iopopen.c), which no wrapper
 * sees, and reports any failure of it as ENOMEM (spawn_failure: __set_errno (ENOMEM)), the
 * clone's EAGAIN included; a spawn failure closes both ends of its pipe, so a second call starts
 * from the same state.
 *
 * posix_spawn and posix_spawnp return the clone's EAGAIN (glibc 2.36 posix/spawni.c, clone3 or
 * clone in __spawnix), made again the same way. glibc keeps two versions of each: GLIBC_2.15's,
 * and the one before it (posix/spawn.c __posix_spawn_compat: SPAWN_XFLAGS_TRY_SHELL, a file that
 * is no executable run again by /bin/sh). The shim's wrappers are unversioned (tlstrace.map), so
 * they take the calls of either; each calls the version its caller was linked against: the
 * calling module's import of the name, its version read from its .gnu.version and DT_VERNEED
 * (modules.c module_import_version), found with dlvsym. HOSTILE17: in an atexit handler under a cgroup's
 * pids.max of 2 posix_spawn failed with EAGAIN under the shim (the watchdog's thread held the
 * last task), and ran its child without it (t384). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
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

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[],
			char *const[]);

/* The glibc posix_spawn (p 0) or posix_spawnp (p 1) the code at caller would have bound to:
 * GLIBC_2.2.5's where its module imports that version (linked against glibc before 2.15, or
 * asking for it by .symver), else the default (GLIBC_2.15's; a caller through a dlsym'ed pointer
 * gets that too, as dlsym gives) */
COLD_TEXT static spawn_fn spawn_real(int p, uintptr_t caller)
{
	static spawn_fn fns[2][2] EXIT_BSS;
	/* (the names with the cold code's: t040) */
	const char *name = p ? COLD_NAME("posix_spawnp") : COLD_NAME("posix_spawn"), *oldv = COLD_NAME("GLIBC_2.2.5");
	const struct module *m = module_of(caller);
	const char *v = m ? module_import_version(m, name) : NULL;
	int old = v && !shim_strcmp(v, oldv);
	if (!fns[p][old]) {
		spawn_fn f = (spawn_fn)dlvsym(RTLD_NEXT, name, old ? oldv : COLD_NAME("GLIBC_2.15"));
		if (!f)
			f = (spawn_fn)dlsym(RTLD_NEXT, name);
		fns[p][old] = f;
	}
	return fns[p][old];
}

/* a spawn that failed for want of a task (EAGAIN) made again once the watchdog's thread, or a
 * termination handler's watcher, has ended (watchdog_aside), as popen above */
COLD_TEXT static int spawn_again(int p, uintptr_t caller, pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
				 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	spawn_fn fn = spawn_real(p, caller);
	int rc, saved = errno;
	if (!fn)
		return ENOSYS;
	rc = fn(pid, path, fa, attr, argv, envp);
	if (rc != EAGAIN || !watchdog_aside(1))
		return rc;
	errno = saved;
	rc = fn(pid, path, fa, attr, argv, envp);
	saved = errno;
	watchdog_back(py_interp_found());
	errno = saved;
	return rc;
}

COLD_TEXT EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
				 char *const argv[], char *const envp[])
{
	return spawn_again(0, (uintptr_t)__builtin_return_address(0), pid, path, fa, attr, argv, envp);
}

COLD_TEXT EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
				  char *const argv[], char *const envp[])
{
	return spawn_again(1, (uintptr_t)__builtin_return_address(0), pid, file, fa, attr, argv, envp);
}

/* dl.c - dlopen and dlclose. dlopen's entry is in tga.S (it must tail-jump to keep the caller's
 * return address); this is its C half, run before the jump. dlclose may unload libpython, so the
 * Python state reads as unknown while it runs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>

#include "shim.h"

__attribute__((visibility("hidden"))) void *tlstrace_dlopen_pre(const char *file, int flags);

void *tlstrace_dlopen_pre(const char *file, int flags)
{
	int saved = errno;
	struct tline l;
	if (!REAL(dlopen))
		return NULL;
	if (shim_enter()) {
		modules_sync();
		tl_begin(&l, "dlopen");
		tl_hex(&l, (uintptr_t)(unsigned)flags);
		tl_str(&l, file);
		tl_end(&l);
		shim_leave();
	}
	errno = saved;
	return (void *)real.dlopen;
}

EXPORT int dlclose(void *handle)
{
	int traced, rc, saved;
	struct tline l;
	if (!REAL(dlclose))
		return -1;
	traced = shim_enter();
	if (traced) {
		modules_sync();
		shim_leave();
	}
	py_dlclose_begin();
	rc = REAL(dlclose)(handle);
	saved = errno;
	if (traced && shim_enter()) {
		tl_begin(&l, "dlclose");
		tl_hex(&l, (uintptr_t)handle);
		tl_dec(&l, rc);
		tl_end(&l);
		modules_sync();
		shim_leave();
	}
	py_dlclose_end();
	errno = saved;
	return rc;
}

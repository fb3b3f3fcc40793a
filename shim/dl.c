/* dl.c - dlopen and dlclose. dlopen's entry is in tga.S (it must tail-jump to keep the caller's
 * return address); this is its C half, run before the jump. dlclose may unload libpython, so the
 * Python state reads as unknown while it runs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <string.h>

#include "shim.h"

__attribute__((visibility("hidden"))) int tlstrace_dlopen_pre(const char *file, int flags, void *caller);
__attribute__((visibility("hidden"))) void tlstrace_dlopen_post(void *handle);
extern void *tlstrace_real_dlopen; /* tga.S */

/* Does glibc's dlopen need to see who called it? For a name it searches (no slash: the caller's
 * RPATH/RUNPATH), or a caller in a namespace of its own (dlmopen). */
static int caller_matters(const char *file, void *caller)
{
	struct link_map *lm = NULL;
	Dl_info info;
	Lmid_t lmid = LM_ID_BASE;
	if (!file || !shim_strchr(file, '/'))
		return 1;
	if (!dladdr1(caller, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm || dlinfo(lm, RTLD_DI_LMID, &lmid) != 0)
		return 1;
	return lmid != LM_ID_BASE;
}

int tlstrace_dlopen_pre(const char *file, int flags, void *caller)
{
	int saved = errno, call = 0;
	struct tline l;
	tlstrace_real_dlopen = (void *)REAL(dlopen);
	if (shim_enter()) {
		modules_sync();
		tl_begin(&l, "dlopen");
		tl_hex(&l, (uintptr_t)(unsigned)flags);
		tl_str(&l, file);
		tl_end(&l);
		call = !caller_matters(file, caller);
		shim_leave();
	}
	if (call)
		loader_enter(); /* until tlstrace_dlopen_post */
	errno = saved;
	return call;
}

/* after a dlopen the shim called: the new modules now (their names, Python's functions, their
 * __tls_get_addr slots) rather than at the next event */
void tlstrace_dlopen_post(void *handle)
{
	int saved = errno;
	(void)handle;
	loader_leave();
	if (shim_enter()) {
		modules_sync();
		shim_leave();
	}
	pyatexit_scan(); /* a Py_AtExit call by the new modules' constructors */
	errno = saved;
}

/* cold: an unload is rare, and costs far more than the fault of this window (t040) */
COLD_TEXT EXPORT int dlclose(void *handle)
{
	int traced, rc, saved;
	struct tline l;
	void *caller = __builtin_return_address(0);
	if (!REAL(dlclose))
		return -1;
	traced = shim_enter();
	if (traced) {
		modules_sync();
		/* a begin line: the unloaded modules' destructors run inside (the dlclose line ends it) */
		tl_begin(&l, "dlclose_begin");
		tl_hex(&l, (uintptr_t)handle);
		tl_code(&l, (uintptr_t)caller);
		tl_end(&l);
		shim_leave();
	}
	py_dlclose_begin();
	loader_enter();
	rc = REAL(dlclose)(handle);
	saved = errno;
	loader_leave();
	if (traced && shim_enter()) {
		tl_begin(&l, "dlclose");
		tl_hex(&l, (uintptr_t)handle);
		tl_dec(&l, rc);
		tl_code(&l, (uintptr_t)caller); /* its module may be gone: written as absolute */
		tl_end(&l);
		modules_sync();
		shim_leave();
	}
	py_dlclose_end();
	errno = saved;
	return rc;
}

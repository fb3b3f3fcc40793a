/* modwsgi.c - an application's signal registration that mod_wsgi ignored.
 *
 * With WSGIRestrictSignal On (its default), mod_wsgi replaces signal.signal in every interpreter
 * by wsgi_signal_intercept, which only logs "mod_wsgi (pid=%d): Callback registration for signal
 * %d ignored." through Apache's ap_log_error_ and returns: no sigaction, so nothing else of the
 * shim sees it. When a module named mod_wsgi* is loaded, its GOT slot for ap_log_error_ (a PLT
 * import: BIND_NOW under Apache, so bound at dlopen) is pointed at an entry here, as tlsaccess.c
 * does for __tls_get_addr. The entry compares the format string and jumps on to Apache's function
 * with every register as it came: the call and the log line are unchanged. On that one format it
 * writes a `sig_ignored SIG HOST` line (no Python traceback: the dumper reads the main
 * interpreter's thread state, not the sub-interpreter's the application runs in). No cost per
 * request: mod_wsgi logs on events (a process or interpreter starting, errors), not per request;
 * its other calls pay one compare.
 * Chosen over checking, at each interpreter's creation, whether signal.signal is still the
 * builtin: that needs Python calls at a moment the shim does not otherwise stop at, and says only
 * that registrations would be ignored, not that the application made one.
 * Limits: a log level below warning for mod_wsgi makes its macro skip the call (nothing to see);
 * mod_wsgi built with -fno-plt is handled the same way (GLOB_DAT slot). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "shim.h"

/* Apache's ap_log_error_, where mod_wsgi's slot pointed */
__attribute__((visibility("hidden"))) void *tlstrace_modwsgi_real COLD_BSS;

/* The entry put in mod_wsgi's slot. ap_log_error_(file, line, module_index, level, status, s,
 * fmt, ...): fmt and the first two varargs (pid, signal) are the 7th to 9th arguments, on the
 * stack at 8, 16 and 24 above the return address. Saves the argument registers (and %al, the
 * vector count, with %xmm0-7), calls tlstrace_modwsgi_logged, restores them, jumps on. */
__asm__(".section .tlstrace.cold, \"ax\", @progbits\n"
	".globl tlstrace_modwsgi_entry\n"
	".hidden tlstrace_modwsgi_entry\n"
	".type tlstrace_modwsgi_entry, @function\n"
	"tlstrace_modwsgi_entry:\n"
	"	push %rdi\n	push %rsi\n	push %rdx\n	push %rcx\n	push %r8\n	push %r9\n	push %rax\n"
	"	sub $128, %rsp\n" /* 8 + 56 + 128: %rsp is 16-byte aligned for the call */
	"	movdqu %xmm0, 0(%rsp)\n	movdqu %xmm1, 16(%rsp)\n	movdqu %xmm2, 32(%rsp)\n	movdqu %xmm3, 48(%rsp)\n"
	"	movdqu %xmm4, 64(%rsp)\n	movdqu %xmm5, 80(%rsp)\n	movdqu %xmm6, 96(%rsp)\n	movdqu %xmm7, 112(%rsp)\n"
	"	mov 192(%rsp), %rdi\n" /* fmt: 128 + 56 + 8 */
	"	mov 200(%rsp), %rsi\n"
	"	mov 208(%rsp), %rdx\n"
	"	call tlstrace_modwsgi_logged\n"
	"	movdqu 0(%rsp), %xmm0\n	movdqu 16(%rsp), %xmm1\n	movdqu 32(%rsp), %xmm2\n	movdqu 48(%rsp), %xmm3\n"
	"	movdqu 64(%rsp), %xmm4\n	movdqu 80(%rsp), %xmm5\n	movdqu 96(%rsp), %xmm6\n	movdqu 112(%rsp), %xmm7\n"
	"	add $128, %rsp\n"
	"	pop %rax\n	pop %r9\n	pop %r8\n	pop %rcx\n	pop %rdx\n	pop %rsi\n	pop %rdi\n"
	"	jmp *tlstrace_modwsgi_real(%rip)\n"
	".size tlstrace_modwsgi_entry, . - tlstrace_modwsgi_entry\n");
void tlstrace_modwsgi_entry(void);
__attribute__((visibility("hidden"))) void tlstrace_modwsgi_logged(const char *fmt, long pid, long sig);

static const char ignored_fmt[] = "mod_wsgi (pid=%d): Callback registration for signal %d ignored.";

/* mod_wsgi logs fmt with (pid, sig) as its first arguments if it is the ignored registration. */
COLD_TEXT void tlstrace_modwsgi_logged(const char *fmt, long pid, long sig)
{
	struct tline l;
	int saved = errno;
	(void)pid;
	if (!fmt || shim_strcmp(fmt, ignored_fmt) != 0 || !shim_enter())
		return;
	tl_begin(&l, "sig_ignored");
	tl_dec(&l, (int)sig);
	tl_word(&l, "mod_wsgi");
	tl_end(&l);
	shim_leave();
	errno = saved;
}

/* From modules_sync: a new module. Only mod_wsgi's ("mod_wsgi.so", pip's
 * "mod_wsgi-py311.cpython-311-x86_64-linux-gnu.so") is looked at. */
COLD_TEXT static void modwsgi_patch(struct module *m);

void modwsgi_module_added(struct module *m)
{
	const char *b = m->path ? shim_strrchr(m->path, '/') : NULL;
	b = b ? b + 1 : m->path;
	if (b && !shim_strncmp(b, "mod_wsgi", 8))
		modwsgi_patch(m);
}

/* each GOT slot of mod_wsgi for ap_log_error_ (module_got_slots) */
COLD_TEXT static void modwsgi_slot(struct module *m, void **slot, void *arg)
{
	void *bound = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	(void)arg;
	if (bound == (void *)tlstrace_modwsgi_entry)
		return;
	/* bound at load (Apache loads modules with RTLD_NOW): Apache's function; a lazy slot still
	 * points into the module's own PLT: then the loader's answer */
	if ((uintptr_t)bound >= m->lo && (uintptr_t)bound < m->hi)
		bound = dlsym(RTLD_DEFAULT, "ap_log_error_");
	if (!bound)
		return;
	tlstrace_modwsgi_real = bound; /* (the same function for every load of mod_wsgi) */
	if (module_got_store(m, slot, (void *)tlstrace_modwsgi_entry) != 0)
		shim_debug("mod_wsgi: ap_log_error_ slot not patched", m->path);
}

COLD_TEXT static void modwsgi_patch(struct module *m) { module_got_slots(m, "ap_log_error_", NULL, modwsgi_slot, NULL); }

/* init.c - constructor: read TLSTRACE_* once, open the trace, write its first lines, set up the
 * crash path; the table of real functions (each found on its first use). Also holds the shim's
 * global and per-thread state.
 *
 * Initialization runs at most once, from our constructor or from the first wrapper that another
 * library's constructor reaches before ours ran. While it runs (shim_active == 2) every wrapper
 * passes straight through, so what init itself calls is never traced. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "checkers.h"
#include "shim.h"
#include "sys.h"

struct config cfg;
const char *shim_exe = "";
static int ctor_argc;
static char **ctor_argv;
struct real_fns real;
struct proc_state proc;
atomic_int shim_active; /* 0 not started, 2 initializing, 1 active, 3 off */
__thread struct thread_state ts;
__thread int tlstrace_thread_hot;
int tlstrace_tls_watch;

/* One table of the functions we interpose or need, one resolver (real_resolve_one, with
 * dlsym(RTLD_NEXT) semantics). All exist in glibc 2.34 and later; the wrappers of
 * __cxa_thread_atexit_impl, on_exit, _Exit, quick_exit and _Fork also cope with their absence. */
static const struct {
	const char *name;
	size_t offset;
} real_table[] = {
#define R(field, sym) {sym, offsetof(struct real_fns, field)}
	R(cxa_thread_atexit_impl, "__cxa_thread_atexit_impl"),
	R(cxa_atexit, "__cxa_atexit"),
	R(cxa_finalize, "__cxa_finalize"),
	R(on_exit, "on_exit"),
	R(exit, "exit"),
	R(_exit, "_exit"),
	R(_Exit, "_Exit"),
	R(quick_exit, "quick_exit"),
	R(libc_start_main, "__libc_start_main"),
	R(pthread_create, "pthread_create"),
	R(pthread_exit, "pthread_exit"),
	R(pthread_join, "pthread_join"),
	R(pthread_key_create, "pthread_key_create"),
	R(pthread_key_delete, "pthread_key_delete"),
	R(pthread_getspecific, "pthread_getspecific"),
	R(pthread_setspecific, "pthread_setspecific"),
	R(fork, "fork"),
	R(_Fork, "_Fork"),
	R(clone, "clone"),
	R(dlopen, "dlopen"),
	R(dlclose, "dlclose"),
	R(sigaction, "sigaction"),
	R(kill, "kill"),
	R(killpg, "killpg"),
	R(tgkill, "tgkill"),
	R(pthread_kill, "pthread_kill"),
	R(raise, "raise"),
	R(sigqueue, "sigqueue"),
	R(sigprocmask, "sigprocmask"),
	R(pthread_sigmask, "pthread_sigmask"),
	R(wait, "wait"),
	R(waitpid, "waitpid"),
	R(wait3, "wait3"),
	R(wait4, "wait4"),
	R(waitid, "waitid"),
	R(sem_wait, "sem_wait"),
	R(setrlimit, "setrlimit"),
	R(setrlimit64, "setrlimit64"),
	R(prlimit, "prlimit"),
	R(prlimit64, "prlimit64"),
	R(prctl, "prctl"),
	R(syscall, "syscall"),
	R(system, "system"),
	R(read, "read"),
	R(fcntl64, "fcntl64"),
#undef R
};
/* dlsym(RTLD_NEXT): the next definition after ours, so interposers loaded after us stay in the
 * chain. Called from wrappers that an allocator or libc may reach during its own initialization
 * (pthread_key_create inside jemalloc's, holding its lock), so without dlsym where the loader's
 * tables can answer: dlsym takes the loader's lock, and a failing one mallocs its message. */
void real_resolve_one(size_t offset)
{
	size_t i;
	for (i = 0; i < sizeof real_table / sizeof real_table[0]; i++) {
		void **slot = (void **)((char *)&real + real_table[i].offset);
		void *p;
		if (real_table[i].offset != offset || *slot)
			continue;
		p = real_lookup(real_table[i].name);
		if (p)
			*slot = p;
		return;
	}
}

/* The definition of name after the shim's (the real function, for a wrapper on the program's
 * behalf), or NULL. From the module table when it is ready (cheaper than dlsym, which would page
 * in the loader's lookup code in every process); from the loader's list before that and in a
 * passive shim (AT_SECURE, TLSTRACE_DISABLE, no trace: no module table ever). Not
 * async-signal-safe where the module table is not ready (the loader's list: its lock). */
void *real_lookup(const char *name)
{
	void *p = atomic_load(&shim_active) == 1 ? next_definition(name) : next_definition_walk(name);
	/* nothing after us: the shim was dlopen'ed, after libc, and dlsym(RTLD_NEXT) would answer
	 * from our own dependencies, that is libc */
	if (!p)
		p = libc_function(name);
	/* an ifunc, or libc not in the table yet */
	if (!p)
		p = dlsym(RTLD_NEXT, name);
	return p;
}

EXIT_TEXT void *real_lookup_once(void **slot, const char *name)
{
	void *p = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (unlikely(!p)) {
		p = real_lookup(name);
		__atomic_store_n(slot, p, __ATOMIC_RELAXED);
	}
	return p;
}

/* (cold: only a failure to trace, with TLSTRACE_DEBUG set, prints) */
COLD_TEXT void shim_debug(const char *msg, const char *detail)
{
	char buf[600];
	size_t n = 0, k;
	if (!cfg.debug)
		return;
	k = shim_strlen(msg);
	memcpy(buf, "tlstrace: ", 10);
	n = 10;
	if (k > 280)
		k = 280;
	memcpy(buf + n, msg, k);
	n += k;
	if (detail) {
		k = shim_strlen(detail);
		if (k > 280)
			k = 280;
		buf[n++] = ':';
		buf[n++] = ' ';
		memcpy(buf + n, detail, k);
		n += k;
	}
	buf[n++] = '\n';
	sys3(SYS_write, 2, buf, n); /* best effort; not write(): see str.h */
}

/* ---- configuration ---- */

/* The loader's record of the initial stack: argc, then argv, NULL, then the environment
 * (exported by ld.so; set before any library's initializer runs). */
extern void *__libc_stack_end;

/* The environment the process started with, read from the initial stack: libc's environ is set
 * only by libc's own initializer, and the shim can start before it, lazily from a wrapper that an
 * earlier initializer calls (an ASan program's preinit calls pthread_key_create; a preloaded
 * allocator's first malloc). glibc 2.36 puts argc at __libc_stack_end also when ld.so runs the
 * program itself (it shifts the arguments). */
static char **initial_environ(void)
{
	long *sp = __libc_stack_end;
	if (!sp || sp[0] < 0)
		return NULL;
	return (char **)(sp + 1 + sp[0] + 1);
}

/* getenv without libc's: at start-up every page of libc code touched for the first time is a
 * page fault (10-50 us here), and /bin/true never calls getenv. Before libc's initializer ran
 * (environ still NULL), the environment on the initial stack. */
const char *shim_getenv(const char *name)
{
	char **e = environ ? environ : initial_environ();
	size_t n = 0;
	while (name[n])
		n++;
	for (; e && *e; e++) {
		const char *s = *e;
		size_t i = 0;
		while (i < n && s[i] == name[i])
			i++;
		if (i == n && s[n] == '=')
			return s + n + 1;
	}
	return NULL;
}

static char config_problems[3][200] COLD_BSS;
static int nproblems;

/* "VAR=value: expected" into the next of config_problems, value cut at 60 bytes; by hand, not
 * snprintf (a sanitizer interposes it: see str.h) */
static void problem(const char *var, const char *value, const char *expected)
{
	char *p;
	size_t n = 0;
	if (nproblems >= 3)
		return;
	p = config_problems[nproblems++];
	for (; *var && n < 100; var++)
		p[n++] = *var;
	p[n++] = '=';
	for (size_t k = 0; value[k] && k < 60; k++)
		p[n++] = value[k];
	p[n++] = ':';
	p[n++] = ' ';
	for (; *expected && n < 199; expected++)
		p[n++] = *expected;
	p[n] = 0;
}

static int env_bool(const char *var, int dflt)
{
	const char *v = shim_getenv(var);
	if (!v || !*v)
		return dflt;
	if (!shim_strcmp(v, "1") || !shim_strcmp(v, "yes") || !shim_strcmp(v, "on") || !shim_strcmp(v, "true"))
		return 1;
	if (!shim_strcmp(v, "0") || !shim_strcmp(v, "no") || !shim_strcmp(v, "off") || !shim_strcmp(v, "false"))
		return 0;
	problem(var, v, dflt ? "expected 0 or 1; using 1" : "expected 0 or 1; using 0");
	return dflt;
}

/* A size in bytes: digits and an optional K, M or G (powers of 1024); 0 is no bound. */
static unsigned long long env_size(const char *var, unsigned long long dflt)
{
	const char *v = shim_getenv(var);
	unsigned long long n = 0;
	const char *p;
	int shift = 0;
	if (!v || !*v)
		return dflt;
	for (p = v; *p >= '0' && *p <= '9' && n < (1ull << 50); p++)
		n = n * 10 + (unsigned long long)(*p - '0');
	if (*p == 'K' || *p == 'k')
		shift = 10;
	else if (*p == 'M' || *p == 'm')
		shift = 20;
	else if (*p == 'G' || *p == 'g')
		shift = 30;
	if (p == v || (shift ? p[1] != 0 : *p != 0) || n >= (1ull << 40)) {
		problem(var, v, "expected a size (digits, then K, M or G); using the default");
		return dflt;
	}
	return n << shift;
}

/* env_int's problem: "expected a number from 0 to 64; using the default, 16". Out of the
 * start's code (t040): only a bad value runs it. */
COLD_TEXT __attribute__((noinline)) static void range_problem(const char *var, const char *v, int dflt, int lo, int hi)
{
	char words[120];
	size_t n = 0;
	memcpy(words, COLD_NAME("expected a number from "), 23);
	n = 23 + fmt_dec(words + 23, lo);
	memcpy(words + n, COLD_NAME(" to "), 4);
	n += 4 + fmt_dec(words + n + 4, hi);
	memcpy(words + n, COLD_NAME("; using the default, "), 21);
	n += 21 + fmt_dec(words + n + 21, dflt);
	words[n] = 0;
	problem(var, v, words);
}

/* A decimal number in [lo, hi]; by shim_strtoll, not strtol (a sanitizer interposes it: str.h) */
static int env_int(const char *var, int dflt, int lo, int hi)
{
	const char *v = shim_getenv(var), *end;
	long long n;
	if (!v || !*v)
		return dflt;
	n = shim_strtoll(v, &end);
	if (*end || end == v || n < lo || n > hi) {
		range_problem(var, v, dflt, lo, hi);
		return dflt;
	}
	return (int)n;
}

/* Expand %p to the pid and make the path absolute against the directory at load time, since
 * hosts chdir (uWSGI --chdir, daemons to /). */
static int build_path(const char *spec, char *out, size_t outsz)
{
	size_t n = 0;
	if (spec[0] != '/') {
		if (sys2(SYS_getcwd, out, outsz) < 0)
			return -1;
		n = shim_strlen(out);
		if (n > 1) /* not "/" */
			out[n++] = '/';
	}
	for (; *spec; spec++) {
		if (n + 24 >= outsz) /* room for a pid and the NUL */
			return -1;
		if (spec[0] == '%' && spec[1] == 'p') {
			n += fmt_dec(out + n, sys0(SYS_getpid));
			spec++;
		} else {
			out[n++] = *spec;
		}
	}
	out[n] = 0;
	return 0;
}

/* (cold: an unusable cwd is rare, and its PATH_MAX buffer costs a stack page's fault anyway) */
COLD_TEXT static __attribute__((noinline)) void config_path_long(const char *spec)
{
	char buf[PATH_MAX];
	/* unusable cwd (deleted, too long): fall back to /tmp */
	if (build_path(spec, buf, sizeof buf) == 0 || build_path("/tmp/tlstrace.%p.log", buf, sizeof buf) == 0)
		cfg.path = arena_strdup(buf);
}

/* A short path in a short buffer: a PATH_MAX one reaches a stack page of its own (a fault) */
static void config_path(const char *spec)
{
	char buf[256];
	if (build_path(spec, buf, sizeof buf) == 0)
		cfg.path = arena_strdup(buf);
	else
		config_path_long(spec);
}

/* The program's file as the kernel's AT_EXECFN names it (the path given to execve), when that
 * can be trusted: it costs nothing, where readlink("/proc/self/exe") costs ~30 us at every start
 * in this VM (a process's /proc entries are built on first use). It names another file when an
 * interpreter runs the file (#! script, binfmt_misc): the kernel then passes the same path as
 * argv[1] or argv[2]. Relative paths (the cwd changes) and fexecve's /dev/fd paths are no good
 * either. The report checks the build-id of the file it opens. */
static const char *exe_from_auxv(void)
{
	const char *fn = (const char *)getauxval(AT_EXECFN);
	if (!fn || fn[0] != '/' || !ctor_argv || !shim_strncmp(fn, "/dev/fd/", 8) || !shim_strncmp(fn, "/proc/", 6))
		return NULL;
	for (int i = 1; i <= 2 && i < ctor_argc; i++)
		if (!ctor_argv[i] || !shim_strcmp(ctor_argv[i], fn))
			return NULL;
	return fn;
}

static __attribute__((noinline)) void read_exe(void)
{
	char buf[PATH_MAX];
	const char *fn = exe_from_auxv();
	char *copy;
	if (!fn) {
		long n = sys3(SYS_readlink, "/proc/self/exe", buf, sizeof buf - 1);
		buf[n > 0 ? n : 0] = 0;
		fn = buf;
	}
	/* a copy: programs that set their process title overwrite the strings at the stack's top */
	if ((copy = arena_strdup(fn)))
		shim_exe = copy;
}

static void read_config(void)
{
	const char *v;
	cfg.debug = env_bool("TLSTRACE_DEBUG", 0);
	cfg.signals = env_bool("TLSTRACE_SIGNALS", 1);
	/* ("line": the tlstrace wrapper's, which prints the report itself: the crash's first line only) */
	{
		const char *v = shim_getenv("TLSTRACE_STDERR");
		cfg.to_stderr = v && !shim_strcmp(v, "line") ? 2 : env_bool("TLSTRACE_STDERR", 1);
	}
	cfg.bt_depth = env_int("TLSTRACE_BACKTRACE", 16, 0, 64);
	cfg.hang_ms = env_int("TLSTRACE_HANG_MS", 2000, 0, 3600000);
	cfg.max_size = env_size("TLSTRACE_MAX_SIZE", 64ull << 20);
	cfg.watch = WATCH_OFF;
	v = shim_getenv("TLSTRACE_THREADS");
	if (v && *v) {
		if (!shim_strcmp(v, "all"))
			cfg.all_thread_lines = 1;
		else if (shim_strcmp(v, "summary") != 0)
			problem("TLSTRACE_THREADS", v, "expected summary or all; using summary");
	}
	v = shim_getenv("TLSTRACE_WATCH");
	if (v && *v) {
		if (!shim_strcmp(v, "off") || !shim_strcmp(v, "0"))
			cfg.watch = WATCH_OFF;
		else if (!shim_strcmp(v, "poison"))
			cfg.watch = WATCH_POISON;
		else if (!shim_strcmp(v, "hw"))
			cfg.watch = WATCH_HW;
		else if (!shim_strcmp(v, "auto"))
			cfg.watch = WATCH_AUTO;
		else
			problem("TLSTRACE_WATCH", v, "expected off, poison, hw or auto; using off");
	}
	v = shim_getenv("TLSTRACE_FILE");
	if (!v || !*v)
		v = "tlstrace.%p.log";
	config_path(v);
}

static int self_name_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (!dl_info_holds(info, (uintptr_t)&self_name_cb))
		return 0;
	*(const char **)data = info->dlpi_name;
	return 1;
}

/* The last path component of s[0, len) */
static const char *last_component(const char *s, size_t len, size_t *out_len)
{
	const char *b = s + len;
	while (b > s && b[-1] != '/')
		b--;
	*out_len = (size_t)(s + len - b);
	return b;
}

/* Whether LD_PRELOAD names this library's file: then it came with the program's start and main
 * has not run yet (a dlopen'd shim may arrive at any time). Compared by file name. */
static int preloaded(void)
{
	const char *pre = shim_getenv("LD_PRELOAD"), *self = NULL, *name;
	size_t n, len, k;
	if (!pre || !shim_dl_iterate(self_name_cb, &self) || !self)
		return 0;
	for (n = 0; self[n]; n++)
		;
	self = last_component(self, n, &n);
	while (*pre) {
		for (len = 0; pre[len] && pre[len] != ' ' && pre[len] != ':'; len++)
			;
		name = last_component(pre, len, &k);
		if (k == n && k && shim_memcmp(name, self, n) == 0)
			return 1;
		pre += len;
		while (*pre == ' ' || *pre == ':')
			pre++;
	}
	return 0;
}

/* ---- the first lines of a process ---- */

/* Each page of stack the constructor reaches for the first time costs a fault (~10 us in this
 * VM), so the buffers of the rarely taken paths live in frames of their own; their code is cold
 * (a lazy start, from an earlier library's constructor, reads /proc anyway), which leaves room
 * in the start's 64 KiB of code (t040) for the pgrp line (pgrp.c). */
COLD_TEXT static __attribute__((noinline)) void cmdline_words(struct tline *l)
{
	char args[3072];
	/* raw calls: this runs inside a sanitizer's initialization (TSan's __cxa_atexit), where its
	 * close() interceptor faults (str.h) */
	long n = proc_read("/proc/self/cmdline", args, sizeof args);
	for (long i = 0; i < n;) {
		size_t len = shim_strnlen(args + i, (size_t)(n - i));
		tl_strn(l, args + i, len);
		i += (long)len + 1;
	}
}

static void write_header(void)
{
	struct tline l;

	tl_begin(&l, TLSTRACE_MAGIC);
	tl_dec(&l, TLSTRACE_FORMAT_VERSION);
	tl_dec(&l, sys0(SYS_getppid));
	tl_str(&l, shim_exe);
	if (ctor_argv) {
		/* glibc passes constructors argc and argv; a lazy init from an earlier library's
		 * constructor has to read them from /proc */
		for (int i = 0; i < ctor_argc && ctor_argv[i]; i++)
			tl_str(&l, ctor_argv[i]);
	} else {
		cmdline_words(&l);
	}
	tl_end(&l);

	tl_begin(&l, "config");
	tl_word(&l, "signals=");
	tl_append_dec(&l, cfg.signals);
	tl_word(&l, "stderr=");
	tl_append_dec(&l, cfg.to_stderr);
	tl_word(&l, "watch=");
	tl_append(&l, (const char *[]){"off", "poison", "hw", "auto"}[cfg.watch]);
	tl_word(&l, "bt=");
	tl_append_dec(&l, cfg.bt_depth);
	tl_word(&l, "hang=");
	tl_append_dec(&l, cfg.hang_ms);
	tl_end(&l);
	pgrp_write_own("start"); /* (the group a group kill names: pgrp.c) */

	for (int i = 0; i < nproblems; i++)
		trace_note("bad setting", config_problems[i]);
}

int shim_enter(void)
{
	if (unlikely(atomic_load_explicit(&shim_active, memory_order_acquire) != 1))
		shim_init();
	if (atomic_load_explicit(&shim_active, memory_order_relaxed) != 1 || ts.in_shim || in_vfork_child())
		return 0;
	ts.in_shim = 1;
	return 1;
}

COLD_TEXT void checker_untrack(const void *addr, size_t len)
{
	checker_request(0, CHECKER_HG_UNTRACK, (uintptr_t)addr, len);
	checker_request(0, CHECKER_DRD_SUPPRESS, (uintptr_t)addr, len);
}

/* The shim's own writable segment (its .data, .bss, .lbss: the tables threads hand over with
 * atomics) is left out of helgrind's and drd's checking (checkers.h); called only under
 * Valgrind. Its bounds from the shim's own program headers (__ehdr_start, ld's symbol for the
 * ELF header of the module it is linked into). */
static COLD_TEXT void untrack_own_data(void)
{
	extern const ElfW(Ehdr) __ehdr_start;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
	for (int i = 0; i < __ehdr_start.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W))
			checker_untrack((const char *)&__ehdr_start + ph[i].p_vaddr, ph[i].p_memsz);
}

void shim_init(void)
{
	int expected = 0, pre;
	int saved = errno;
	if (!atomic_compare_exchange_strong(&shim_active, &expected, 2))
		return;
	if (unlikely(checker_running()))
		untrack_own_data();
	if (getauxval(AT_SECURE)) {
		/* set-uid/set-gid: TLSTRACE_* is not trusted, and a default trace file written with
		 * raised privileges would be a hazard; stay passive. */
		atomic_store(&shim_active, 3);
		errno = saved;
		return;
	}
	{
		const char *off = shim_getenv("TLSTRACE_DISABLE");
		if (off && *off && shim_strcmp(off, "0") != 0) {
			atomic_store(&shim_active, 3);
			errno = saved;
			return;
		}
	}
	read_config();
	if (!cfg.path || trace_open() != 0) {
		shim_debug("cannot open the trace, tracing off", cfg.path);
		atomic_store(&shim_active, 3);
		errno = saved;
		return;
	}
	read_exe();
	pre = preloaded();
	py_startup(pre);
	trace_batch_begin();
	trace_clock_hold();
	write_header();
	modules_sync();
	trace_clock_release();
	/* the header first in the file, whatever another thread writes next; the collecting goes on
	 * until main only where main is still to come */
	trace_batch_flush(!pre);
	trace_open_done();
	exitfns_init();
	crash_init();
	signals_init();
	watch_init();
	/* the main thread's sentinel comes with its first thread_local: registering it now would
	 * make glibc initialize malloc in every process */
	crash_thread_init();
	atomic_store_explicit(&shim_active, 1, memory_order_release);
	errno = saved;
}

__attribute__((constructor)) static void tlstrace_constructor(int argc, char **argv, char **envp)
{
	(void)envp;
	ctor_argc = argc;
	ctor_argv = argv;
	shim_init();
}

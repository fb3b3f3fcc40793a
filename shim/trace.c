/* trace.c - the one event writer. A line is built in the caller's struct tline (spilling into a
 * pool buffer of the shim's when long) and goes out with a single write(2) on an O_APPEND
 * descriptor, so lines of concurrent threads and processes never tear. Everything in this file is async-signal-safe: no malloc, no stdio, no
 * locks, errno preserved. Format: docs/trace-format.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

static atomic_int trace_fd = -1;
/* trace_fd when the trace holds no descriptor between writes (place_high, write_transient) */
#define TRACE_TRANSIENT (-2)
atomic_int signal_arrivals_kept; /* shim.h; here, with the writer that reads it on every line */
static atomic_ulong trace_dev, trace_ino; /* identity of the file behind trace_fd */
static atomic_int trace_pid;              /* process the lines currently belong to */
static atomic_int reopen_budget = 16;     /* a program closing our fd in a loop must not cost much */
static atomic_int trace_fresh;            /* opened by the init still running: the program has not run since */
/* The writer's state, one word (it lives in the start-up page, t040):
 * - FSIZE_CHECK: RLIMIT_FSIZE may be finite: set at open, or when the program calls setrlimit or
 *   prlimit for it (rlimit.c: before the limit changes; never cleared, so no write sees a finite
 *   limit unchecked). While it is clear, a write costs no system call more than the write;
 * - TORN: a short write left a line without its newline in the file;
 * - above: the number of lines dropped and not yet counted in a `lost` line, in LOST_ONE units. */
#define FSIZE_CHECK 1ul
#define TORN 2ul
#define LOST_ONE 4ul
static atomic_ulong write_state;

/* fstat(fd) as glibc 2.33 and later make it on x86_64 (newfstatat(fd, "", AT_EMPTY_PATH)): the
 * program's own fstat is this call, so a seccomp filter that lets the program run lets the
 * shim's through too (sandbox.c). async-signal-safe; -errno on failure */
static inline long fd_stat(int fd, struct stat *st) { return sys4(SYS_newfstatat, fd, "", st, AT_EMPTY_PATH); }

/* The clock: the first calls of a process make the system call; later ones the vDSO's
 * clock_gettime, called directly (libc's wrapper is one more page of libc to fault in). The vDSO
 * reads two pages of its own, a fault of ~11 us each in this VM on their first read: worth it
 * for a process that writes many lines, not for the few lines of a short one. A process that
 * sandboxes itself with seccomp (sandbox.c) goes to the vDSO before its filter exists: the
 * program reads the time through the vDSO, and a filter may kill clock_gettime as a system call.
 * A system call refused (a filter's errno) goes to the vDSO too, and so does a process whose
 * program has read the clock there itself (trace_clock_program_read: a Python interpreter once
 * initialized). async-signal-safe */
#define CLOCK_SYSCALLS 64
typedef int (*gettime_fn)(clockid_t, struct timespec *);
static _Atomic gettime_fn vdso_gettime;
static atomic_uint clock_calls;

/* A seccomp filter is in place, or about to be (sandbox.c), or refused the clock's system call:
 * from now on the vDSO's clock, if there is a vDSO, and no /proc reads (proc_read: what they
 * name, a signal's sender or a thread, is left out; the program makes no such read itself, and
 * a filter may kill openat). async-signal-safe */
atomic_int trace_sandboxed_flag;
COLD_TEXT void trace_sandboxed(void)
{
	atomic_store(&trace_sandboxed_flag, 1);
	if (!atomic_load_explicit(&vdso_gettime, memory_order_relaxed))
		atomic_store(&vdso_gettime, (gettime_fn)vdso_function("__vdso_clock_gettime"));
}

/* The program itself has read the clock through the vDSO, so its pages are present and a reading
 * there costs no fault: from now on the vDSO's clock, where there is one. Called where that is
 * known: python.c, once the interpreter reads as initialized (CPython's Py_Initialize reads
 * CLOCK_MONOTONIC through glibc's clock_gettime, hence the vDSO: 3.11 in PyThread_acquire_lock
 * from PyInterpreterState_New; 3.13 and 3.14 too, each seen with `perf record -e page-faults -d`
 * on the vDSO's data pages), which leaves the system call to a short process only: `python3 -c
 * pass` made 21 of them, 17 after Py_Initialize (t460). async-signal-safe */
void trace_clock_program_read(void)
{
	if (!atomic_load_explicit(&vdso_gettime, memory_order_relaxed))
		atomic_store(&vdso_gettime, (gettime_fn)vdso_function("__vdso_clock_gettime"));
}

/* the system call refused (a seccomp filter's errno): the vDSO's reading, or 0 */
COLD_TEXT __attribute__((noinline)) static void clock_refused(struct timespec *t)
{
	gettime_fn f;
	trace_sandboxed();
	atomic_fetch_or(&filter_refused, FILTER_UNSEEN); /* (a filter not seen: filter.c) */
	f = atomic_load_explicit(&vdso_gettime, memory_order_relaxed);
	if (!f || f(CLOCK_MONOTONIC, t) != 0)
		t->tv_sec = t->tv_nsec = 0;
}

uint64_t now_ns(void)
{
	struct timespec t;
	gettime_fn f = atomic_load_explicit(&vdso_gettime, memory_order_relaxed);
	if (!f) {
		unsigned k = atomic_fetch_add_explicit(&clock_calls, 1, memory_order_relaxed);
		if (k == CLOCK_SYSCALLS) {
			f = (gettime_fn)vdso_function("__vdso_clock_gettime");
			atomic_store(&vdso_gettime, f);
		}
	}
	if ((!f || f(CLOCK_MONOTONIC, &t) != 0) && sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &t) != 0)
		clock_refused(&t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* CLOCK_MONOTONIC_COARSE (ns): the time of the latest timer tick (steps of 1 to 4 ms), for a rate
 * limit where the reading's cost matters more than its precision (python.c fin_memo: ~10 ns from
 * the vDSO in this VM against ~100 ns for CLOCK_MONOTONIC); now_ns() while that makes system
 * calls. The same time base as now_ns, a tick behind at most. async-signal-safe */
EXIT_TEXT uint64_t now_coarse_ns(void)
{
	struct timespec t;
	gettime_fn f = atomic_load_explicit(&vdso_gettime, memory_order_relaxed);
	if (!f || f(CLOCK_MONOTONIC_COARSE, &t) != 0)
		return now_ns();
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Lines made at one moment (the header and module map at start) share one reading of the clock,
 * which is a system call early in a process. */
static __thread uint64_t clock_held;
void trace_clock_hold(void) { clock_held = now_ns(); }
void trace_clock_release(void) { clock_held = 0; }

/* The thread id, cached per thread; a fork child's thread has a new one, hence the pid check.
 * The pid is the one the trace knows (trace_pid), kept up to date by the fork wrappers: getpid()
 * on every line would be a syscall per line. async-signal-safe */
static __thread pid_t tid_cache, tid_cache_pid;
pid_t shim_gettid_for(pid_t pid)
{
	if (unlikely(tid_cache_pid != pid)) {
		tid_cache = (pid_t)sys0(SYS_gettid);
		tid_cache_pid = pid;
	}
	return tid_cache;
}
/* In a thread glibc made (the shim's trampoline runs in it): its tid from its thread descriptor,
 * where glibc keeps it, at the offset glibc publishes for libthread_db (_thread_db_pthread_tid:
 * bits, count, offset): a system call fewer per thread. */
void shim_tid_from_pthread(void)
{
	static atomic_int off; /* offset + 1; -1: unknown */
	int o = atomic_load_explicit(&off, memory_order_relaxed);
	pid_t pid = atomic_load_explicit(&trace_pid, memory_order_relaxed), tid;
	if (!o) {
		const uint32_t *d = libc_function("_thread_db_pthread_tid");
		o = d && d[0] == 32 && d[1] == 1 && d[2] < 4096 ? (int)d[2] + 1 : -1;
		atomic_store(&off, o);
	}
	if (o < 0)
		return;
	tid = *(const pid_t *)((const char *)pthread_self() + o - 1);
	if (tid > 0) {
		tid_cache = tid;
		tid_cache_pid = pid;
	}
}

pid_t shim_gettid(void) { return shim_gettid_for(atomic_load_explicit(&trace_pid, memory_order_relaxed)); }
pid_t trace_pid_get(void) { return atomic_load_explicit(&trace_pid, memory_order_relaxed); }

/* Until main starts, the initializing thread's lines are collected and written together: the
 * header and module map at the end of the constructor, then what other libraries' constructors
 * register (a C++ program registers an atexit handler per static object) at the start of main,
 * or earlier at fork, exit, thread creation or a crash (trace_batch_end). Lines of other threads
 * are written directly; their timestamps order them. */
#define batch_buf startup.batch
_Static_assert(sizeof startup.batch >= HELD_MAX * sizeof(struct held_slot) + sizeof(struct signal_keep),
	       "the held and kept lines fit in the batch's memory");
static atomic_int held_ok; /* the batch is over (its memory holds the held begin lines) */
static struct signal_keep keep_early EXIT_BSS; /* (until then) */
static size_t batch_len;
static atomic_int batch_tid;

void trace_batch_begin(void)
{
	batch_len = 0;
	atomic_store(&batch_tid, shim_gettid());
}

/* Write what is collected; with stop, collecting ends. Only the collecting thread calls it.
 * async-signal-safe */
void trace_batch_flush(int stop)
{
	size_t n = batch_len;
	if (stop)
		atomic_store(&batch_tid, 0);
	batch_len = 0;
	if (n)
		trace_write(batch_buf, n);
	if (stop) {
		/* its memory: the held lines' and the kept lines' now (keep_early is not read here: its
		 * page stays untouched; an arrival's handler that ran before main has returned) */
		memset(&startup.keep, 0, sizeof startup.keep);
		atomic_store_explicit(&held_ok, 1, memory_order_release);
	}
}

/* The kept lines and the latest arrival's time (shim.h): in the start-up page once the batch is
 * over, else in keep_early. signals.c's flush reads both. */
struct signal_keep *signal_keep(void)
{
	return atomic_load_explicit(&held_ok, memory_order_acquire) ? &startup.keep : &keep_early;
}
struct signal_keep *signal_keep_early(void) { return &keep_early; }

void trace_batch_end(void)
{
	if (atomic_load_explicit(&batch_tid, memory_order_relaxed) == tid_cache && tid_cache)
		trace_batch_flush(1);
}

/* A small file (of /proc) read whole into buf with raw system calls: at most cap - 1 bytes,
 * NUL-terminated; returns the bytes read (0 when the read fails), or -1 when it cannot be opened
 * or the process is sandboxed (trace_sandboxed).
 * No errno, no libc: async-signal-safe, and usable on the handler watcher's thread, which has no
 * glibc thread behind it (watchdog.c). The descriptor lives for these three calls. */
COLD_TEXT long proc_read(const char *path, char *buf, size_t cap)
{
	long fd, n;
	if (atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed) && !filter_allows_proc())
		return -1;
	fd = sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	n = sys3(SYS_read, fd, buf, cap - 1);
	sys1(SYS_close, fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	return n;
}

/* async-signal-safe; out needs 21 bytes; returns the length, no terminator */
size_t fmt_dec(char *out, long long v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[len++] = '-';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

/* async-signal-safe; out needs 19 bytes; "0x" then lowercase digits */
size_t fmt_hex(char *out, uintptr_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0, len = 0;
	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	out[len++] = '0';
	out[len++] = 'x';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

int trace_fd_get(void) { return atomic_load(&trace_fd); }

/* Move fd above the range programs use, so the trace never takes fds 0-2 or the low number a
 * program expects from its next open(). Not just past the initial table of 64 (that would save
 * the kernel growing the table, ~20 us per start here): bash numbers its process substitutions
 * down from 63 and keeps its own fds up to 255, and its output would change.
 * Where the soft RLIMIT_NOFILE is at most PLACE_AT_LIMIT_MAX, the number just at the limit, out
 * of the program's reach: the limit raised by one for the moment (within the hard limit, or past
 * it with CAP_SYS_RESOURCE) and set back; a descriptor above the limit stays usable. Fd 1000
 * under the common soft limit of 1024 (systemd's DefaultLimitNOFILE=1024:524288, a login shell)
 * was a number the program's open() reaches: a program that opens files until EMFILE got one
 * fewer (HOSTILE15, t410). A higher limit keeps 1000 (the number at the limit would make the
 * kernel's table, and the copy at every fork, as big as the limit: 8 bytes a slot, 8 MiB at
 * Docker's 1048576). Where the number at the limit cannot be had: 1000, else 3/4 of the limit.
 * A program that raises its soft limit later reaches the number again. async-signal-safe */
#define PLACE_AT_LIMIT_MAX 4096
static int place_high(int fd, int *transient)
{
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	int min = 1000, nfd = -1;
	/* (after a seccomp filter of the program's, no prlimit64 it may not allow: a reopen there
	 * takes 1000 and up, held) */
	if (atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed) ||
	    sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &rl) != 0)
		rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= PLACE_AT_LIMIT_MAX) {
		/* (a low limit: every number below it is one the program may use; RLIMIT_NOFILE=4 at
		 * exec: its first open() gets 3, or with the trace there EMFILE) */
		struct rlimit up = {rl.rlim_cur + 1, rl.rlim_max > rl.rlim_cur ? rl.rlim_max : rl.rlim_cur + 1};
		if (sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, &up, 0) == 0) {
			nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, (long)rl.rlim_cur);
			sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, 0);
		}
	}
	if (nfd < 0)
		nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, min);
	if (nfd < 0 && rl.rlim_cur != RLIM_INFINITY) {
		min = rl.rlim_cur > 16 ? (int)(rl.rlim_cur * 3 / 4) : 3;
		nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, min);
	}
	if (nfd < 0 && fd < 3)
		nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 3);
	if (nfd < 0)
		nfd = fd;
	else
		sys1(SYS_close, fd);
	/* a number the program's open() can reach, under a limit of 1000 or less it cannot be put
	 * past (the hard limit, no CAP_SYS_RESOURCE): held, it would be one descriptor fewer for the
	 * program (its last open() fails with EMFILE); the trace is then opened for each write
	 * (write_transient). Under a higher such limit (a service's LimitNOFILE=1024, soft and hard)
	 * fd 1000 is held, as before 2026-12-02: a program reaches it only past its 997th descriptor,
	 * while an open for each write costs every line four system calls, an openat a seccomp
	 * filter may kill, and a relative TLSTRACE_FILE after a chdir */
	*transient = rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= 1000 && (unsigned long)nfd < rl.rlim_cur;
	return nfd;
}

COLD_TEXT int fd_place_high(int fd)
{
	int transient = 0, nfd = place_high(fd, &transient);
	if (!transient)
		return nfd;
	sys1(SYS_close, nfd); /* held, it would be one descriptor fewer for the program */
	return -1;
}

/* What a trace file must be before the shim appends to it: a regular file (a FIFO, a socket or
 * a device could block, or be a terminal or a tape), owned by the effective user (a file another
 * user created first, in /tmp or any shared directory, would receive the program's argv and
 * everything after: that user reads it or holds it open), with a single link (a hard link
 * someone made from a shared directory to a file of this user's, e.g. one in /etc for root,
 * would be appended to). NULL if it qualifies, else why not. async-signal-safe */
static const char *trace_file_refusal(const struct stat *st, long euid)
{
	if (!S_ISREG(st->st_mode))
		return S_ISLNK(st->st_mode) ? "refused: a symbolic link" : "refused: not a regular file";
	if ((long)st->st_uid != euid)
		return "refused: owned by another user than the effective one";
	if (st->st_nlink != 1)
		return "refused: it has more than one link";
	return NULL;
}

/* Open the trace for appending: create it (O_EXCL, mode 0600) or, when it exists, look at it
 * first (lstat: a FIFO or a device is never opened) and open it only if it qualifies
 * (trace_file_refusal), then check the open file again (the name may have been replaced in
 * between). Never follows a symlink in the last component, never blocks (O_NONBLOCK), never
 * becomes a controlling terminal. Returns the descriptor, or -1 with errno set and *why saying
 * why. async-signal-safe */
static int open_trace_file(const char **why, int *transient)
{
	const int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
	struct stat st;
	long euid = -1, r;
	int fd, tries = 0;
	for (;;) {
		fd = (int)sys4(SYS_openat, AT_FDCWD, cfg.path, flags | O_CREAT | O_EXCL, 0600);
		*why = "cannot create it";
		if (fd != -EEXIST)
			break;
		euid = sys0(SYS_geteuid);
		*why = "cannot look at the existing file";
		r = sys4(SYS_newfstatat, AT_FDCWD, cfg.path, &st, AT_SYMLINK_NOFOLLOW);
		if (r == 0 && (*why = trace_file_refusal(&st, euid)) != NULL) {
			errno = EPERM;
			return -1;
		}
		if (r == 0) {
			*why = "cannot open the existing file";
			r = sys4(SYS_openat, AT_FDCWD, cfg.path, flags, 0);
		}
		fd = (int)r;
		/* removed between the calls (by its owner, or someone playing): again, a few times */
		if (fd != -ENOENT || ++tries == 4)
			break;
	}
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	/* what was opened may not be what was looked at: check the open file itself (one created
	 * here is this user's regular file) */
	*why = "cannot fstat it";
	if (fd_stat(fd, &st) != 0 || (euid >= 0 && (*why = trace_file_refusal(&st, euid)) != NULL)) {
		sys1(SYS_close, fd);
		errno = EPERM;
		return -1;
	}
	fd = place_high(fd, transient);
	atomic_store(&trace_dev, (unsigned long)st.st_dev);
	atomic_store(&trace_ino, (unsigned long)st.st_ino);
	return fd;
}

/* TLSTRACE_DEBUG's line for open_trace_file's failure why with errno err: "cannot create it:
 * PATH: no such file or directory (ENOENT)", glibc's text and the name of the usual errors of an
 * open (open(2)), the number of another; a refusal (why says "refused", errno EPERM set by the
 * shim) as it is. Out of the start's code: only a failed start runs it. */
COLD_TEXT __attribute__((noinline)) static void trace_open_failed(const char *why, int err)
{
	/* (no pointers, in the cold code's section: a table of pointers would add a relocation
	 * each, and strings .rodata, before the code a start runs: t040) */
	static const struct {
		int e;
		char name[14], text[34];
	} errs[] __attribute__((section(".tlstrace.cold.names"))) = {
		{ENOENT, "ENOENT", "no such file or directory"}, {EACCES, "EACCES", "permission denied"},
		{EROFS, "EROFS", "read-only file system"}, {ENOTDIR, "ENOTDIR", "not a directory"},
		{EISDIR, "EISDIR", "is a directory"}, {ENOSPC, "ENOSPC", "no space left on device"},
		{EDQUOT, "EDQUOT", "disk quota exceeded"}, {EMFILE, "EMFILE", "too many open files"},
		{ENFILE, "ENFILE", "too many open files in system"}, {ELOOP, "ELOOP", "too many levels of symbolic links"},
		{ENAMETOOLONG, "ENAMETOOLONG", "file name too long"}, {EPERM, "EPERM", "operation not permitted"},
		{ENXIO, "ENXIO", "no such device or address"}, {ETXTBSY, "ETXTBSY", "text file busy"},
		{EIO, "EIO", "input/output error"},
	};
	char buf[320];
	size_t n = shim_strlen(cfg.path), k;
	if (why[0] == 'r') { /* "refused: ..." */
		shim_debug(why, cfg.path);
		return;
	}
	if (n > 220)
		n = 220; /* (shim_debug cuts at 280) */
	memcpy(buf, cfg.path, n);
	buf[n++] = ':';
	buf[n++] = ' ';
	for (k = 0; k < sizeof errs / sizeof errs[0] && errs[k].e != err; k++)
		;
	if (k < sizeof errs / sizeof errs[0]) {
		size_t t = shim_strlen(errs[k].text), m = shim_strlen(errs[k].name);
		memcpy(buf + n, errs[k].text, t);
		n += t;
		buf[n++] = ' ';
		buf[n++] = '(';
		memcpy(buf + n, errs[k].name, m);
		n += m;
		buf[n++] = ')';
	} else {
		memcpy(buf + n, COLD_NAME("errno "), 6);
		n += 6 + fmt_dec(buf + n + 6, err);
	}
	buf[n] = 0;
	shim_debug(why, buf);
}

/* Called once from the constructor. Returns 0 or -1 with errno set. */
int trace_open(void)
{
	struct rlimit rl;
	const char *why;
	int transient = 0, fd = open_trace_file(&why, &transient);
	if (fd < 0) {
		int err = errno;
		trace_open_failed(why, err);
		errno = err;
		return -1;
	}
	if (sys4(SYS_prlimit64, 0, RLIMIT_FSIZE, 0, &rl) != 0 || rl.rlim_cur != RLIM_INFINITY)
		atomic_fetch_or(&write_state, FSIZE_CHECK);
	atomic_store(&trace_pid, (pid_t)sys0(SYS_getpid));
	if (transient) {
		sys1(SYS_close, fd);
		fd = TRACE_TRANSIENT;
	}
	atomic_store(&trace_fd, fd);
	atomic_store(&trace_fresh, 1);
	return 0;
}

/* The end of the init that opened the trace: from now on every write checks the descriptor */
void trace_open_done(void) { atomic_store(&trace_fresh, 0); }

/* The program may have closed our descriptor or dup2'ed its own file over it: never write into a
 * file that is not the trace. Fills *st. async-signal-safe */
static int fd_is_trace(int fd, struct stat *st)
{
	if (fd_stat(fd, st) != 0)
		return 0;
	return (unsigned long)st->st_dev == atomic_load(&trace_dev) &&
	       (unsigned long)st->st_ino == atomic_load(&trace_ino);
}

/* async-signal-safe */
static int reopen_trace(int stale)
{
	const char *why;
	int fd, transient = 0, expected = stale;
	if (atomic_fetch_sub(&reopen_budget, 1) <= 0) {
		atomic_compare_exchange_strong(&trace_fd, &expected, -1);
		return -1;
	}
	fd = open_trace_file(&why, &transient);
	if (fd >= 0 && transient) {
		sys1(SYS_close, fd); /* a limit lowered since: no descriptor held from now on */
		fd = TRACE_TRANSIENT;
	}
	if (!atomic_compare_exchange_strong(&trace_fd, &expected, fd)) {
		/* another thread reopened first */
		if (fd >= 0)
			sys1(SYS_close, fd);
		fd = atomic_load(&trace_fd);
		return fd == TRACE_TRANSIENT ? -1 : fd;
	}
	/* the stale number now belongs to the program (or nobody): never close it */
	return fd == TRACE_TRANSIENT ? -1 : fd;
}

/* ---- writing without signals or blocking ----
 * A write past RLIMIT_FSIZE makes the kernel send SIGXFSZ (default action: die with a core); a
 * full filesystem or quota fails it. The trace must cost the program neither, so a line that
 * cannot be written whole is dropped and counted, and the next line that can be written is
 * preceded by a `lost` line with the count (docs/trace-format.md). */

void trace_fsize_may_change(void) { atomic_fetch_or(&write_state, FSIZE_CHECK); }

/* Whether need more bytes fit under RLIMIT_FSIZE in the file behind fd; st: its fstat, or NULL.
 * The kernel signals a write that starts at or past the limit and shortens one that crosses it.
 * async-signal-safe */
static int fsize_room(int fd, const struct stat *st, size_t need)
{
	struct rlimit rl;
	struct stat own;
	if (sys4(SYS_prlimit64, 0, RLIMIT_FSIZE, 0, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1;
	if (!st) {
		if (fd_stat(fd, &own) != 0)
			return 0;
		st = &own;
	}
	return st->st_size >= 0 && (unsigned long long)st->st_size + need <= rl.rlim_cur;
}

/* writev with SIGXFSZ blocked in this thread: another process appending to the same file between
 * the size check and the write can still push it past the limit; then the signal the kernel
 * sends is taken back here, and the program's mask is as it was. async-signal-safe */
static long writev_no_sigxfsz(int fd, const struct iovec *iov, int niov)
{
	unsigned long bit = 1ul << (SIGXFSZ - 1), old = 0, pending = 0;
	long n;
	if (sys4(SYS_rt_sigprocmask, SIG_BLOCK, &bit, &old, sizeof bit) != 0)
		return -EFBIG; /* cannot happen; do not risk the signal */
	if (old & bit) /* the program blocks it: leave one it already has pending */
		sys2(SYS_rt_sigpending, &pending, sizeof pending);
	do
		n = sys3(SYS_writev, fd, iov, niov);
	while (n == -EINTR);
	if (n == -EFBIG && !(pending & bit)) {
		struct timespec zero = {0, 0};
		siginfo_t si;
		sys4(SYS_rt_sigtimedwait, &bit, &si, &zero, sizeof bit);
	}
	if (!(old & bit))
		sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, 0, sizeof bit);
	return n;
}

static unsigned long count_lines(const char *s, size_t n)
{
	unsigned long k = 0;
	while (n--)
		k += *s++ == '\n';
	return k;
}

/* A `lost` line for count lines into out (80 bytes), with the PID TID TIME PY of the line it
 * goes before (line). Returns its length, 0 if line has no such prefix. async-signal-safe */
static size_t lost_line(char *out, const char *line, size_t len, unsigned long count)
{
	size_t n;
	int spaces = 0;
	for (n = 0; n < len && n < 48; n++) {
		if (line[n] == ' ' && ++spaces == 4)
			break;
		out[n] = line[n];
	}
	if (spaces < 4)
		return 0;
	memcpy(out + n, " lost ", 6);
	n += 6;
	n += fmt_dec(out + n, (long long)count);
	out[n++] = '\n';
	return n;
}

/* Write buf (whole lines) at the end of the trace behind fd, after the newline a torn line needs
 * and the lost count; st: fd's fstat if the caller has one. async-signal-safe */
static void write_lines(int fd, const struct stat *st, const char *buf, size_t len)
{
	char pre[1 + 80];
	struct iovec iov[2];
	unsigned long state = atomic_load_explicit(&write_state, memory_order_relaxed), lost;
	int torn, check = state & FSIZE_CHECK;
	size_t plen = 0, lplen = 0, k;
	long n;
	if (unlikely(state & ~FSIZE_CHECK)) /* take them: a line lost or torn */
		state = atomic_fetch_and(&write_state, FSIZE_CHECK);
	torn = !!(state & TORN);
	lost = state / LOST_ONE;
	if (torn)
		pre[plen++] = '\n';
	if (lost && !(lplen = lost_line(pre + plen, buf, len, lost)))
		atomic_fetch_add(&write_state, lost * LOST_ONE); /* not a line: count it with the next one */
	plen += lplen;
	iov[0].iov_base = pre;
	iov[0].iov_len = plen;
	iov[1].iov_base = (void *)buf;
	iov[1].iov_len = len;
	if (check && !fsize_room(fd, st, plen + len))
		n = -EFBIG;
	else if (check)
		n = writev_no_sigxfsz(fd, iov + !plen, 1 + !!plen);
	else if (plen)
		do
			n = sys3(SYS_writev, fd, iov, 2);
		while (n == -EINTR);
	else
		do
			n = sys3(SYS_write, fd, buf, len);
		while (n == -EINTR);
	if (n >= (long)(plen + len))
		return;
	/* the lines not ended in the file are lost; the count is owed again if its line is not whole */
	k = n > (long)plen ? (size_t)n - plen : 0;
	atomic_fetch_add(&write_state, ((lplen && n < (long)plen ? lost : 0) + count_lines(buf + k, len - k)) * LOST_ONE);
	if (n > 0)
		torn = (n > (long)plen ? buf[n - plen - 1] : pre[n - 1]) != '\n';
	if (torn)
		atomic_fetch_or(&write_state, TORN);
}

/* ---- the size bound (TLSTRACE_MAX_SIZE) ----
 * The file is shared by every process of a run, so the bound is on the file's size, which the
 * write below reads anyway (fstat before each write). Routine records (of threads that ended
 * cleanly: routine.c) stop at the bound less a reserve; everything else (headers, module maps,
 * findings, teardown) may use the reserve, up to the bound. A process counts what it dropped and
 * says so in a `dropped` line (in the reserve), apart from the `lost` lines (lines a failed write
 * lost). Concurrent writers may each pass the check at once: the bound can be passed by what
 * they write at that moment (a few lines). A process's first lines (header, module map) are
 * written before any check. */
static atomic_ulong dropped_n[2] COLD_BSS, dropped_bytes[2] COLD_BSS; /* [0] routine, [1] other */
static atomic_int drop_told; /* something was dropped (the counters are not read before) */

static unsigned long long reserve_of(unsigned long long max)
{
	unsigned long long r = max / 8;
	return r < 16384 ? (max < 32768 ? max / 2 : 16384) : r > (8ull << 20) ? 8ull << 20 : r;
}

/* 1 if len more bytes may go to the file of *st; else counts them as dropped */
static int size_allows(const struct stat *st, const char *buf, size_t len, int routine)
{
	unsigned long long max = cfg.max_size, limit = routine ? max - reserve_of(max) : max;
	if (!max || !S_ISREG(st->st_mode) || (unsigned long long)st->st_size + len <= limit)
		return 1;
	atomic_fetch_add(&dropped_n[!routine], count_lines(buf, len));
	atomic_fetch_add(&dropped_bytes[!routine], len);
	return 0;
}

/* `dropped ROUTINE_LINES ROUTINE_BYTES OTHER_LINES OTHER_BYTES`, this process's totals so far, if
 * it dropped anything. async-signal-safe */
void trace_dropped_line(void)
{
	struct tline l;
	if (!atomic_load_explicit(&drop_told, memory_order_relaxed))
		return;
	tl_begin(&l, "dropped");
	tl_dec(&l, (long long)atomic_load(&dropped_n[0]));
	tl_dec(&l, (long long)atomic_load(&dropped_bytes[0]));
	tl_dec(&l, (long long)atomic_load(&dropped_n[1]));
	tl_dec(&l, (long long)atomic_load(&dropped_bytes[1]));
	tl_end(&l);
}

/* lines a write could not go out with: counted, told by the next `lost` line */
static void count_lost(const char *buf, size_t len) { atomic_fetch_add(&write_state, count_lines(buf, len) * LOST_ONE); }

static int size_or_drop(const struct stat *st, const char *buf, size_t len, int routine);

/* A write in a process whose trace holds no descriptor between writes (place_high): opened
 * (never created: the first open made it), checked to be the trace, written, closed. The number
 * it takes is the program's lowest free one for these four calls; at the limit, the lines are
 * lost and counted. async-signal-safe */
static void write_transient(const char *buf, size_t len, int routine)
{
	struct stat st;
	long fd = sys4(SYS_openat, AT_FDCWD, cfg.path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0) {
		count_lost(buf, len);
		return;
	}
	if (!fd_is_trace((int)fd, &st))
		count_lost(buf, len); /* removed or replaced since: not the trace any more */
	else if (size_or_drop(&st, buf, len, routine))
		write_lines((int)fd, &st, buf, len);
	sys1(SYS_close, fd);
}

static void write_class_now(const char *buf, size_t len, int routine)
{
	struct stat st;
	int fd = atomic_load(&trace_fd);
	if (fd < 0) {
		if (fd == TRACE_TRANSIENT)
			write_transient(buf, len, routine);
		return;
	}
	if (atomic_load_explicit(&trace_fresh, memory_order_relaxed)) {
		write_lines(fd, NULL, buf, len);
		return;
	}
	if (!fd_is_trace(fd, &st)) {
		/* the new descriptor may well get the same number as the stale one */
		fd = reopen_trace(fd);
		if (fd < 0)
			return;
		trace_note("the program closed or replaced the trace descriptor; trace reopened", NULL);
		write_lines(fd, NULL, buf, len);
		return;
	}
	if (size_or_drop(&st, buf, len, routine))
		write_lines(fd, &st, buf, len);
}

/* size_allows, and the first drop told at once (a process may not reach its end) */
static int size_or_drop(const struct stat *st, const char *buf, size_t len, int routine)
{
	if (size_allows(st, buf, len, routine))
		return 1;
	if (!atomic_exchange(&drop_told, 1))
		trace_dropped_line();
	return 0;
}

/* ---- begin lines held back ----
 * The begin of a bracket (dl_fini, cxa_fin) that usually holds nothing is kept here, formatted
 * with its time, and written only just before the first line that falls inside it (a line of
 * any thread written or kept as a routine record, the watchdog's snapshot, a crash, a signal's
 * arrival); its end line is written only if the begin was. Most processes end with all of them
 * empty and write neither. A process killed with nothing written inside loses only the empty
 * bracket.
 * One thread at a time holds (held_owner: the thread in _dl_fini, or a dlclose); another thread's
 * brackets meanwhile are written as they come. Slots are pushed and popped by the owner only
 * (reserved before they are filled: a signal handler of the owner's nests above); any thread
 * takes HELD ones to write them: it copies the line, then claims it with a compare-and-swap on
 * the state, whose generation changes at each push, so a copy of a slot reused meanwhile is
 * never written. No lock, no wait. The slots live in the start-up page (shim.h), in the batch's
 * memory, which is free once the batch is written (main began): a process touches no other page
 * of the shim's at its end for them. */
enum { HELD_FREE, HELD_HELD, HELD_OUT, HELD_DROP }; /* state & 3; the rest: the generation */
#define held_slots startup.held
static atomic_int held_depth;  /* slots pushed */
static atomic_int held_owner;  /* tid of the holding thread, 0 none, -1 never (a fork child) */

COLD_TEXT __attribute__((noinline)) static void held_line(const struct held_slot *h, pid_t tid, int direct)
{
	struct tline l;
	tl_begin_as(&l, h->event, tid, h->t, h->py);
	if (h->code)
		tl_code(&l, h->code);
	if (!direct) {
		tl_end(&l);
		return;
	}
	/* as tl_end_direct, but past the held lines: one of them */
	l.buf[l.len++] = '\n'; /* (never cut: a short line) */
	write_class_now(l.buf, l.len, 0);
}

/* Write every held begin now, outer first. async-signal-safe */
COLD_TEXT __attribute__((noinline)) static void held_flush(void)
{
	int i, depth = atomic_load(&held_depth);
	pid_t tid = atomic_load(&held_owner);
	for (i = 0; i < depth && i < HELD_MAX; i++) {
		unsigned s = atomic_load(&held_slots[i].state);
		struct held_slot h = held_slots[i];
		if ((s & 3) == HELD_HELD && atomic_compare_exchange_strong(&held_slots[i].state, &s, (s & ~3u) | HELD_OUT))
			held_line(&h, tid, 1);
	}
}

/* The begin line of a bracket (event, and code if not 0) held back, or written now: an outer one
 * (dl_fini) when no other is held, an inner one (cxa_fin) only inside an outer one of its thread
 * that is still held. Once something fell inside the outer one, the inner ones after it are
 * written as they come: the report names the destructor functions an event ran in by the next
 * cxa_fin line (analyze.c, dtor_window_at); so are those of a dlclose. Returns a handle for
 * trace_held_close, 0 if the line was written. The caller is inside the shim.
 * async-signal-safe */
EXIT_TEXT int trace_held_open(const char *event, uintptr_t code, int outer)
{
	pid_t me = shim_gettid(), owner = atomic_load(&held_owner);
	struct held_slot h = {0, py_state(), event, code, now_ns()};
	int i;
	unsigned s;
	if (!atomic_load_explicit(&held_ok, memory_order_acquire) || routine_thread())
		goto now;
	if (outer ? owner != 0 || !atomic_compare_exchange_strong(&held_owner, &owner, me) : owner != me)
		goto now;
	i = atomic_fetch_add(&held_depth, 1); /* reserved first: a signal handler's nests above */
	if (i >= HELD_MAX || (outer ? i != 0 : i == 0 || (atomic_load(&held_slots[i - 1].state) & 3) != HELD_HELD)) {
		if (atomic_fetch_sub(&held_depth, 1) == 1)
			atomic_compare_exchange_strong(&held_owner, &me, 0);
		goto now;
	}
	s = atomic_load(&held_slots[i].state);
	held_slots[i].py = h.py;
	held_slots[i].event = event;
	held_slots[i].code = code;
	held_slots[i].t = h.t;
	atomic_store(&held_slots[i].state, ((s & ~3u) + 4) | HELD_HELD);
	return i + 1;
now:
	held_line(&h, me, 0);
	return 0;
}

/* The end of held bracket h (from trace_held_open, on the same thread): 1 if its begin went out
 * and the end line is to be written, 0 if the bracket is dropped (h 0: the begin was written, 1).
 * async-signal-safe */
EXIT_TEXT int trace_held_close(int h)
{
	unsigned s;
	int out;
	pid_t me;
	if (!h)
		return 1;
	s = atomic_load(&held_slots[h - 1].state);
	/* once taken by a writer it is out, even if the write is still under way */
	while ((s & 3) == HELD_HELD && !atomic_compare_exchange_strong(&held_slots[h - 1].state, &s, (s & ~3u) | HELD_FREE))
		;
	out = (s & 3) == HELD_OUT;
	atomic_store(&held_slots[h - 1].state, (s & ~3u) | HELD_FREE);
	atomic_store(&held_depth, h - 1);
	me = shim_gettid();
	if (h == 1)
		atomic_compare_exchange_strong(&held_owner, &me, 0);
	return out;
}

/* A fork child: the parent's held begins are the parent's; the child writes its brackets as they
 * come (the thread that held them has another tid here). async-signal-safe */
COLD_TEXT __attribute__((noinline)) static void held_after_fork_child(void)
{
	int i;
	atomic_store(&held_owner, -1);
	for (i = 0; i < HELD_MAX; i++) {
		unsigned s = atomic_load(&held_slots[i].state);
		if ((s & 3) == HELD_HELD)
			atomic_store(&held_slots[i].state, (s & ~3u) | HELD_DROP);
	}
}

/* A line falls inside the held brackets without being written now (a routine thread's record):
 * they go out. async-signal-safe */
COLD_TEXT void trace_held_touch(void)
{
	if (unlikely(atomic_load_explicit(&held_depth, memory_order_relaxed)))
		held_flush();
}

__attribute__((noinline)) static void trace_write_class(const char *buf, size_t len, int routine)
{
	if (unlikely(atomic_load_explicit(&held_depth, memory_order_relaxed)))
		held_flush();
	write_class_now(buf, len, routine);
}

/* The one place that writes to the trace. async-signal-safe */
void trace_write(const char *buf, size_t len) { trace_write_class(buf, len, 0); }

/* Lines that may be dropped first when the trace reaches its bound. async-signal-safe */
void trace_write_routine(const char *buf, size_t len) { trace_write_class(buf, len, 1); }

/* ---- line building ---- */

#define CUT_RESERVE 6 /* " +cut\n" */

/* Long lines (a command line, a backtrace, a long path) are finished in a buffer of this pool, not
 * on the stack of the thread that writes them: a program's thread may have a 16 KiB stack. A
 * buffer is claimed with one atomic operation on the bitmap, so a signal handler that writes a
 * line while its thread builds one takes another; a line that finds the pool empty is cut.
 * Zero-filled .lbss: a page is touched only by a process writing long lines. */
#define LINE_POOL 64
/* LINE_POOL buffers of TLSTRACE_LINE_MAX, mapped at the first long line (line_pool_map), not in
 * the .lbss of every process, where RLIMIT_DATA, RLIMIT_AS and mlockall(MCL_CURRENT) counted
 * its 256 KiB (HOSTILE17, t491) */
static _Atomic(char (*)[TLSTRACE_LINE_MAX]) line_pool;
static atomic_uint_least64_t line_pool_used; /* bit i: line_pool[i] taken */
static __thread unsigned char lines_pooled;  /* pool buffers this thread holds */
_Static_assert(LINE_POOL <= 64, "one 64-bit bitmap");

/* The pool, mapped by the first caller (a raw mmap); NULL where the mapping is refused (an address
 * space or data limit; mlockall's RLIMIT_MEMLOCK): the line is cut, as where the pool is empty.
 * Two racing callers: one mapping stays. async-signal-safe */
COLD_TEXT static char (*line_pool_map(void))[TLSTRACE_LINE_MAX]
{
	char (*none)[TLSTRACE_LINE_MAX] = NULL;
	size_t len = (size_t)LINE_POOL * TLSTRACE_LINE_MAX;
	long p = sys6(SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p < 0 && p > -4096)
		return NULL;
	if (!atomic_compare_exchange_strong(&line_pool, &none, (char (*)[TLSTRACE_LINE_MAX])p)) {
		sys2(SYS_munmap, p, len);
		return none;
	}
	return (char (*)[TLSTRACE_LINE_MAX])p;
}

/* (cold: only a line longer than its inline buffer comes here) async-signal-safe */
COLD_TEXT __attribute__((noinline)) static char *line_pool_claim(void)
{
	char (*pool)[TLSTRACE_LINE_MAX] = atomic_load_explicit(&line_pool, memory_order_acquire);
	uint_least64_t used = atomic_load_explicit(&line_pool_used, memory_order_relaxed);
	if (!pool && !(pool = line_pool_map()))
		return NULL;
	while (~used) {
		int i = __builtin_ctzll(~used);
		if (atomic_compare_exchange_weak(&line_pool_used, &used, used | (1ull << i))) {
			lines_pooled++;
			return pool[i];
		}
	}
	return NULL;
}

/* async-signal-safe */
COLD_TEXT __attribute__((noinline)) static void line_pool_release(char *buf)
{
	size_t i = (size_t)(buf - atomic_load_explicit(&line_pool, memory_order_relaxed)[0]) / TLSTRACE_LINE_MAX;
	lines_pooled--;
	atomic_fetch_and(&line_pool_used, ~(1ull << i));
}

/* In a fork child: buffers other threads held at the fork are free again (those threads are
 * gone); if this thread holds one (a fork from a signal handler), the bitmap stays as it is. */
static void line_pool_after_fork_child(void)
{
	if (!lines_pooled)
		atomic_store(&line_pool_used, 0);
}

__attribute__((noinline)) static int room(struct tline *l, size_t n)
{
	char *big;
	if (l->cut)
		return 0;
	if (likely(l->len + n + CUT_RESERVE <= l->cap))
		return 1;
	if (!l->pooled && l->len + n + CUT_RESERVE <= TLSTRACE_LINE_MAX && (big = line_pool_claim())) {
		memcpy(big, l->buf, l->len);
		l->buf = big;
		l->cap = TLSTRACE_LINE_MAX;
		l->pooled = 1;
		return 1;
	}
	l->cut = 1;
	return 0;
}

void tl_append(struct tline *l, const char *s)
{
	size_t n = shim_strlen(s);
	if (!room(l, n))
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void tl_word(struct tline *l, const char *w)
{
	if (!room(l, shim_strlen(w) + 1))
		return;
	l->buf[l->len++] = ' ';
	tl_append(l, w);
}

void tl_append_dec(struct tline *l, long long v)
{
	char tmp[24];
	size_t n = fmt_dec(tmp, v);
	if (!room(l, n))
		return;
	memcpy(l->buf + l->len, tmp, n);
	l->len += n;
}

void tl_append_hex(struct tline *l, uintptr_t v)
{
	char tmp[24];
	size_t n = fmt_hex(tmp, v);
	if (!room(l, n))
		return;
	memcpy(l->buf + l->len, tmp, n);
	l->len += n;
}

void tl_dec(struct tline *l, long long v)
{
	if (!room(l, 22))
		return;
	l->buf[l->len++] = ' ';
	tl_append_dec(l, v);
}

void tl_hex(struct tline *l, uintptr_t v)
{
	if (!room(l, 20))
		return;
	l->buf[l->len++] = ' ';
	tl_append_hex(l, v);
}

/* the bytes of s escaped, glued to what precedes; 0 if the line was cut */
static int escaped(struct tline *l, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	/* room for the worst case (every byte escaped) in the buffer as it is: no room() per byte,
	 * which is as it would answer each time then (the paths and arguments of a start's header
	 * and module lines: ~12,000 instructions less in python3 -c pass, callgrind) */
	if (likely(!l->cut && n <= l->cap && l->len + 3 * n + CUT_RESERVE <= l->cap)) {
		char *b = l->buf + l->len;
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c <= 0x20 || c >= 0x7f || c == '%') {
				*b++ = '%';
				*b++ = digits[c >> 4];
				*b++ = digits[c & 15];
			} else {
				*b++ = (char)c;
			}
		}
		l->len = (size_t)(b - l->buf);
		return 1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '%') {
			if (!room(l, 3))
				return 0;
			l->buf[l->len++] = '%';
			l->buf[l->len++] = digits[c >> 4];
			l->buf[l->len++] = digits[c & 15];
		} else {
			if (!room(l, 1))
				return 0;
			l->buf[l->len++] = (char)c;
		}
	}
	return 1;
}

/* one token: s[0, n), then ": " and t[0, m) if t (a string is whole or absent) */
static void tl_strn2(struct tline *l, const char *s, size_t n, const char *t, size_t m)
{
	size_t start = l->len;
	if (!room(l, 2))
		return;
	l->buf[l->len++] = ' ';
	if (s == NULL || n == 0) {
		l->buf[l->len++] = '-';
		return;
	}
	if (n == 1 && s[0] == '-' && !t) {
		tl_append(l, "%2d");
		return;
	}
	if (!escaped(l, s, n) || (t && (!escaped(l, ": ", 2) || !escaped(l, t, m))))
		l->len = start;
}

void tl_strn(struct tline *l, const char *s, size_t n) { tl_strn2(l, s, n, NULL, 0); }

void tl_str(struct tline *l, const char *s) { tl_strn(l, s, s ? shim_strlen(s) : 0); }

void tl_append_code(struct tline *l, uintptr_t addr)
{
	struct module *m = addr ? module_of(addr) : NULL;
	if (!m) {
		tl_append_hex(l, addr);
		return;
	}
	tl_append_dec(l, m->id);
	tl_append(l, "+");
	tl_append_hex(l, addr - m->base);
}

void tl_code(struct tline *l, uintptr_t addr)
{
	if (!room(l, 32))
		return;
	l->buf[l->len++] = ' ';
	tl_append_code(l, addr);
}

void tl_frames(struct tline *l, const uintptr_t *ips, int n)
{
	int i;
	for (i = 0; i < n; i++)
		tl_code(l, ips[i]);
}

static void line_prefix(struct tline *l, pid_t pid, pid_t tid, uint64_t t, const char *event, char state)
{
	char py[2] = {state, 0};
	l->buf = l->inline_buf;
	l->cap = sizeof l->inline_buf;
	l->pooled = 0;
	l->len = 0;
	l->cut = 0;
	l->cls = TL_MATTERS;
	l->t = t;
	tl_append_dec(l, pid);
	tl_dec(l, tid);
	tl_dec(l, (long long)t);
	tl_word(l, py);
	tl_word(l, event);
}

/* a line on behalf of another thread of this process (a summary made after it ended) */
void tl_begin_as(struct tline *l, const char *event, pid_t tid, uint64_t t, char py)
{
	line_prefix(l, atomic_load_explicit(&trace_pid, memory_order_relaxed), tid, t, event, py);
}

void tl_begin(struct tline *l, const char *event) { tl_begin_py(l, event, py_state()); }

/* with a Python state the caller knows better than py_state() (see py_state_at) */
void tl_begin_py(struct tline *l, const char *event, char py)
{
	pid_t pid;
	if (unlikely(atomic_load_explicit(&signal_arrivals_kept, memory_order_relaxed)))
		signals_flush_arrivals(); /* earlier than this line, and maybe what led to it */
	pid = atomic_load_explicit(&trace_pid, memory_order_relaxed);
	line_prefix(l, pid, shim_gettid_for(pid), clock_held ? clock_held : now_ns(), event, py);
}

/* with the time t (CLOCK_MONOTONIC ns) taken earlier: a line written after a call, about the moment
 * it began (signals.c: a kill) */
COLD_TEXT void tl_begin_at(struct tline *l, const char *event, uint64_t t)
{
	pid_t pid;
	if (unlikely(atomic_load_explicit(&signal_arrivals_kept, memory_order_relaxed)))
		signals_flush_arrivals();
	pid = atomic_load_explicit(&trace_pid, memory_order_relaxed);
	line_prefix(l, pid, shim_gettid_for(pid), t, event, py_state());
}

void tl_end(struct tline *l)
{
	int saved = errno;
	if (l->cut) {
		memcpy(l->buf + l->len, " +cut", 5);
		l->len += 5;
	}
	l->buf[l->len++] = '\n';
	if (unlikely(ts.tb != NULL) && routine_keep(l)) {
		/* kept in the thread's buffer */
	} else if (unlikely(atomic_load_explicit(&batch_tid, memory_order_relaxed)) && batch_tid == tid_cache) {
		if (batch_len + l->len > sizeof batch_buf) {
			trace_write(batch_buf, batch_len);
			batch_len = 0;
		}
		if (l->len > sizeof batch_buf) {
			trace_write(l->buf, l->len);
		} else {
			memcpy(batch_buf + batch_len, l->buf, l->len);
			batch_len += l->len;
		}
	} else {
		trace_write(l->buf, l->len);
	}
	if (l->pooled)
		line_pool_release(l->buf);
	l->pooled = 0;
	watchdog_put_off_poll(); /* (a handler on another thread may be blocked: watchdog.c) */
	errno = saved;
}

/* The line written as it is, now: not collected, not kept (routine.c); routine: it may be dropped
 * first at the size bound. async-signal-safe */
void tl_end_direct(struct tline *l, int routine)
{
	int saved = errno;
	if (l->cut) {
		memcpy(l->buf + l->len, " +cut", 5);
		l->len += 5;
	}
	l->buf[l->len++] = '\n';
	trace_write_class(l->buf, l->len, routine);
	if (l->pooled)
		line_pool_release(l->buf);
	l->pooled = 0;
	errno = saved;
}

/* async-signal-safe */
void trace_note(const char *text, const char *detail)
{
	struct tline l;
	size_t n = shim_strlen(text), d = detail ? shim_strlen(detail) : 0;
	if (n > 200)
		n = 200;
	if (d > 300)
		d = 300;
	tl_begin(&l, "note");
	tl_strn2(&l, text, n, detail, d);
	tl_end(&l);
}

/* In the child of fork(): the first line under the new pid. */
void trace_after_fork_child(pid_t ppid)
{
	struct tline l;
	signals_after_fork_child(); /* before the first line: the parent's arrivals are not ours */
	if (atomic_load(&drop_told)) { /* the parent's drops are the parent's to tell */
		atomic_store(&dropped_n[0], 0), atomic_store(&dropped_n[1], 0);
		atomic_store(&dropped_bytes[0], 0), atomic_store(&dropped_bytes[1], 0);
		atomic_store(&drop_told, 0);
	}
	atomic_store(&trace_pid, (pid_t)sys0(SYS_getpid));
	atomic_fetch_and(&write_state, FSIZE_CHECK | TORN); /* the lost lines are the parent's to count */
	tid_cache_pid = 0;
	line_pool_after_fork_child();
	held_after_fork_child();
	tl_begin(&l, "forked");
	tl_dec(&l, ppid);
	tl_end(&l);
}

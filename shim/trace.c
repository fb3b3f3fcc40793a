/* trace.c - the one event writer. A line is built in the caller's struct tline (spilling into a
 * pool buffer of the shim's when long) and goes out with a single write(2) on an O_APPEND
 * descriptor, so lines of concurrent threads and processes never tear. Everything in this file is async-signal-safe: no malloc, no stdio, no
 * locks, errno preserved. Format: docs/trace-format.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

static atomic_int trace_fd = -1;
static atomic_ulong trace_dev, trace_ino; /* identity of the file behind trace_fd */
static atomic_int trace_pid;              /* process the lines currently belong to */
static atomic_int reopen_budget = 16;     /* a program closing our fd in a loop must not cost much */
static atomic_int trace_fresh;            /* opened by the init still running: the program has not run since */

/* The clock: the first calls of a process make the system call; later ones the vDSO's
 * clock_gettime, called directly (libc's wrapper is one more page of libc to fault in). The vDSO
 * reads two pages of its own, a fault of ~11 us each in this VM on their first read: worth it
 * for a process that writes many lines, not for the few lines of a short one. async-signal-safe */
#define CLOCK_SYSCALLS 64
typedef int (*gettime_fn)(clockid_t, struct timespec *);
static _Atomic gettime_fn vdso_gettime;
static atomic_uint clock_calls;

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
	if (!f || f(CLOCK_MONOTONIC, &t) != 0)
		sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
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
pid_t shim_gettid(void) { return shim_gettid_for(atomic_load_explicit(&trace_pid, memory_order_relaxed)); }
pid_t trace_pid_get(void) { return atomic_load_explicit(&trace_pid, memory_order_relaxed); }

/* Until main starts, the initializing thread's lines are collected and written together: the
 * header and module map at the end of the constructor, then what other libraries' constructors
 * register (a C++ program registers an atexit handler per static object) at the start of main,
 * or earlier at fork, exit, thread creation or a crash (trace_batch_end). Lines of other threads
 * are written directly; their timestamps order them. */
#define batch_buf startup.batch
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
}

void trace_batch_end(void)
{
	if (atomic_load_explicit(&batch_tid, memory_order_relaxed) == tid_cache && tid_cache)
		trace_batch_flush(1);
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
 * async-signal-safe */
static int place_high(int fd)
{
	struct rlimit rl;
	int min = 1000, nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, min);
	if (nfd < 0 && sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		/* a low limit: 3/4 of it */
		min = rl.rlim_cur > 16 ? (int)(rl.rlim_cur * 3 / 4) : 3;
		nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, min);
	}
	if (nfd < 0 && fd < 3)
		nfd = (int)sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 3);
	if (nfd < 0)
		return fd;
	sys1(SYS_close, fd);
	return nfd;
}

/* async-signal-safe */
static int open_trace_file(void)
{
	struct stat st;
	int fd = (int)sys4(SYS_openat, AT_FDCWD, cfg.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	if (sys2(SYS_fstat, fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		sys1(SYS_close, fd);
		errno = EINVAL;
		return -1;
	}
	fd = place_high(fd);
	atomic_store(&trace_dev, (unsigned long)st.st_dev);
	atomic_store(&trace_ino, (unsigned long)st.st_ino);
	return fd;
}

/* Called once from the constructor. Returns 0 or -1 with errno set. */
int trace_open(void)
{
	int fd = open_trace_file();
	if (fd < 0)
		return -1;
	atomic_store(&trace_pid, (pid_t)sys0(SYS_getpid));
	atomic_store(&trace_fd, fd);
	atomic_store(&trace_fresh, 1);
	return 0;
}

/* The end of the init that opened the trace: from now on every write checks the descriptor */
void trace_open_done(void) { atomic_store(&trace_fresh, 0); }

/* The program may have closed our descriptor or dup2'ed its own file over it: never write into a
 * file that is not the trace. async-signal-safe */
static int fd_is_trace(int fd)
{
	struct stat st;
	if (sys2(SYS_fstat, fd, &st) != 0)
		return 0;
	return (unsigned long)st.st_dev == atomic_load(&trace_dev) &&
	       (unsigned long)st.st_ino == atomic_load(&trace_ino);
}

/* async-signal-safe */
static int reopen_trace(int stale)
{
	int fd, expected = stale;
	if (atomic_fetch_sub(&reopen_budget, 1) <= 0) {
		atomic_compare_exchange_strong(&trace_fd, &expected, -1);
		return -1;
	}
	fd = open_trace_file();
	if (!atomic_compare_exchange_strong(&trace_fd, &expected, fd)) {
		/* another thread reopened first */
		if (fd >= 0)
			sys1(SYS_close, fd);
		return atomic_load(&trace_fd);
	}
	/* the stale number now belongs to the program (or nobody): never close it */
	return fd;
}

/* The one place that writes to the trace. async-signal-safe */
void trace_write(const char *buf, size_t len)
{
	int fd = atomic_load(&trace_fd);
	ssize_t n;
	if (fd < 0)
		return;
	if (!atomic_load_explicit(&trace_fresh, memory_order_relaxed) && !fd_is_trace(fd)) {
		/* the new descriptor may well get the same number as the stale one */
		fd = reopen_trace(fd);
		if (fd < 0)
			return;
		trace_note("the program closed or replaced the trace descriptor; trace reopened", NULL);
	}
	do
		n = sys3(SYS_write, fd, buf, len);
	while (n == -EINTR);
}

/* ---- line building ---- */

#define CUT_RESERVE 6 /* " +cut\n" */

/* Long lines (a command line, a backtrace, a long path) are finished in a buffer of this pool, not
 * on the stack of the thread that writes them: a program's thread may have a 16 KiB stack. A
 * buffer is claimed with one atomic operation on the bitmap, so a signal handler that writes a
 * line while its thread builds one takes another; a line that finds the pool empty is cut.
 * Zero-filled .lbss: a page is touched only by a process writing long lines. */
#define LINE_POOL 64
static char line_pool[LINE_POOL][TLSTRACE_LINE_MAX] COLD_BSS;
static atomic_uint_least64_t line_pool_used; /* bit i: line_pool[i] taken */
static __thread unsigned char lines_pooled;  /* pool buffers this thread holds */
_Static_assert(LINE_POOL <= 64, "one 64-bit bitmap");

/* async-signal-safe */
static char *line_pool_claim(void)
{
	uint_least64_t used = atomic_load_explicit(&line_pool_used, memory_order_relaxed);
	while (~used) {
		int i = __builtin_ctzll(~used);
		if (atomic_compare_exchange_weak(&line_pool_used, &used, used | (1ull << i))) {
			lines_pooled++;
			return line_pool[i];
		}
	}
	return NULL;
}

/* async-signal-safe */
static void line_pool_release(char *buf)
{
	size_t i = (size_t)(buf - line_pool[0]) / TLSTRACE_LINE_MAX;
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

static int room(struct tline *l, size_t n)
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
	size_t n = strlen(s);
	if (!room(l, n))
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void tl_word(struct tline *l, const char *w)
{
	if (!room(l, strlen(w) + 1))
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

void tl_str(struct tline *l, const char *s) { tl_strn(l, s, s ? strlen(s) : 0); }

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

static void line_prefix(struct tline *l, pid_t pid, const char *event, char state)
{
	char py[2] = {state, 0};
	l->buf = l->inline_buf;
	l->cap = sizeof l->inline_buf;
	l->pooled = 0;
	l->len = 0;
	l->cut = 0;
	tl_append_dec(l, pid);
	tl_dec(l, shim_gettid_for(pid));
	tl_dec(l, (long long)(clock_held ? clock_held : now_ns()));
	tl_word(l, py);
	tl_word(l, event);
}

void tl_begin(struct tline *l, const char *event) { tl_begin_py(l, event, py_state()); }

/* with a Python state the caller knows better than py_state() (see py_state_at) */
void tl_begin_py(struct tline *l, const char *event, char py)
{
	line_prefix(l, atomic_load_explicit(&trace_pid, memory_order_relaxed), event, py);
}

void tl_end(struct tline *l)
{
	int saved = errno;
	if (l->cut) {
		memcpy(l->buf + l->len, " +cut", 5);
		l->len += 5;
	}
	l->buf[l->len++] = '\n';
	if (unlikely(atomic_load_explicit(&batch_tid, memory_order_relaxed)) && batch_tid == tid_cache) {
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
	errno = saved;
}

/* async-signal-safe */
void trace_note(const char *text, const char *detail)
{
	struct tline l;
	size_t n = strlen(text), d = detail ? strlen(detail) : 0;
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
	atomic_store(&trace_pid, (pid_t)sys0(SYS_getpid));
	tid_cache_pid = 0;
	line_pool_after_fork_child();
	tl_begin(&l, "forked");
	tl_dec(&l, ppid);
	tl_end(&l);
}

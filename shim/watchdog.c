/* watchdog.c - the hang watchdog: a snapshot of every thread when teardown takes too long.
 *
 * Teardown begins at exit(), the return from main, Py_Finalize, Py_EndInterpreter, or (in
 * /usr/bin/python3, where Py_FinalizeEx is an internal call) the main thread's first blocking
 * semaphore wait with Py_FinalizeEx on its stack (threading._shutdown joining threads). Nothing
 * runs before that: the first of those events creates one detached thread (all signals blocked,
 * never joined, holding no lock the program uses, never running Python code), which sleeps
 * TLSTRACE_HANG_MS (default 2000, 0: off) and, if the process still lives, writes a snapshot;
 * again at 2x and 4x, then ends.
 *
 * A snapshot (lines hang, hang_thread, hang_py, hang_bt; docs/trace-format.md):
 * - each thread's state, wchan and system call from /proc/self/task/TID, and for a futex wait
 *   what it waits on: a glibc mutex (lll_lock_wait waits with value 2 on __lock; __owner, 8 bytes
 *   on, is the owner's tid), a join (pthread_join waits on the joined thread's tid word, whose
 *   value is that tid), the GIL (a futex inside it: python.c's py_gil, with the thread holding it),
 *   any other futex by address; for wait4/waitid the child;
 * - the Python traceback of every thread of every interpreter (_Py_DumpTracebackThreads into a
 *   pipe, as faulthandler's watchdog thread does), each block tagged with the thread's tid (the
 *   tid's offset in struct pthread is found on two known threads);
 * - each other thread's native backtrace: the thread is sent a real-time signal the program does
 *   not use (default action, no handler; chosen when the snapshot starts, restored after), whose
 *   handler copies its context and waits while the watchdog unwinds that context. Only threads
 *   whose system call restarts after a handler (futex, wait4, read, ...; or none) are signalled:
 *   a nanosleep, poll or epoll_wait would return EINTR early, so those get no native backtrace.
 * Memory: static buffers, raw system calls, no malloc (a thread may hang holding malloc's lock);
 * the unwinder is the shim's own (unwind.c), walking the copied context over the thread's stack. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "shim.h"

static atomic_int wd_armed;       /* the watchdog thread exists (or was attempted) */
static uint64_t wd_start_ns EXIT_BSS; /* when teardown began */
static const char *wd_why EXIT_BSS;
static pthread_t wd_creator EXIT_BSS; /* the thread that began teardown (for the tid offset) */
static pid_t wd_creator_tid EXIT_BSS;

static int wd_py_fin EXIT_BSS;    /* teardown began inside python3's own Py_FinalizeEx */

/* a line of the watchdog: in python3 the interpreter reads as initialized until its finalizing
 * flag is set, but Py_FinalizeEx was seen running */
COLD_TEXT static void wd_begin(struct tline *l, const char *event)
{
	char py = py_state();
	tl_begin_py(l, event, wd_py_fin && py == PY_INIT ? PY_ATEXIT : py);
}

/* ---- reading our own memory without faulting ---- */

COLD_TEXT static int read_self(uintptr_t addr, void *out, size_t n)
{
	struct iovec local = {out, n}, remote = {(void *)addr, n};
	return syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0) == (long)n ? 0 : -1;
}

COLD_TEXT static long read_file(const char *path, char *buf, size_t cap)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	long n;
	if (fd < 0)
		return -1;
	n = syscall(SYS_read, fd, buf, cap - 1);
	syscall(SYS_close, fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	return n;
}

COLD_TEXT static void task_path(char *out, pid_t tid, const char *leaf)
{
	size_t n = 0;
	memcpy(out, "/proc/self/task/", 16);
	n = 16 + fmt_dec(out + 16, tid);
	out[n++] = '/';
	strcpy(out + n, leaf);
}

COLD_TEXT static uintptr_t parse_hex(const char **p)
{
	uintptr_t v = 0;
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	for (;; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v * 16 + (uintptr_t)d;
	}
	*p = s;
	return v;
}

COLD_TEXT static long parse_dec(const char **p)
{
	long v = 0, neg = 0;
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (*s == '-')
		neg = 1, s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	*p = s;
	return neg ? -v : v;
}

/* ---- the threads ---- */

#define MAX_THREADS 256
struct task {
	pid_t tid;
	char state;
	long sys;          /* system call number, -1 none (blocked in user space), -2 running */
	uintptr_t args[6];
	int signalable;    /* its backtrace may be taken by a signal */
	const char *not_why; /* else why not: masked (it blocks the signal), asleep (a call the signal would
			      * cut short), state (stopped, uninterruptible, zombie), nosignal (none free) */
};
static struct task tasks[MAX_THREADS] COLD_BSS;
static int ntasks COLD_BSS;
static uintptr_t gil_at COLD_BSS;  /* the interpreter's GIL (python.c), 0 if not known */
static pid_t gil_holder COLD_BSS;  /* the thread holding it, 0 if none or not known */

COLD_TEXT static int list_tasks(pid_t self)
{
	static char dbuf[4096] COLD_BSS;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;
	ntasks = 0;
	if (fd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, fd, dbuf, sizeof dbuf)) > 0) {
		long off = 0;
		while (off < n) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(dbuf + off);
			const char *s = d->name;
			pid_t tid = (pid_t)parse_dec(&s);
			off += d->reclen;
			if (tid > 0 && tid != self && ntasks < MAX_THREADS)
				tasks[ntasks++].tid = tid;
		}
	}
	syscall(SYS_close, fd);
	return ntasks;
}

COLD_TEXT static int tid_alive(pid_t tid)
{
	for (int i = 0; i < ntasks; i++)
		if (tasks[i].tid == tid)
			return 1;
	return 0;
}

/* ---- native backtraces of other threads ---- */

static struct {
	atomic_int tid;      /* the thread asked for its context */
	atomic_int gen;      /* capture number */
	atomic_int captured; /* gen of the last context copied */
	atomic_int released; /* gen the watchdog is done with */
	atomic_int want_bt;  /* unwind too (not only the registers) */
	ucontext_t uc;
	uintptr_t ips[64];   /* its native backtrace, unwound by the thread itself */
	int n;
	const char *how;
} cap COLD_BSS;
static int capsig COLD_BSS;
static int cap_left_pending COLD_BSS; /* a signal may still arrive: leave the handler in place */

COLD_TEXT static long futex(atomic_int *w, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

/* on a shim stack: the unwinder finds the signal frame on the thread's own stack */
COLD_TEXT static void capture_unwind(void *uc)
{
	cap.n = unwind_from_signal(uc, cap.ips, 64, &cap.how);
}

/* async-signal-safe: copies the context and unwinds from it (on a shim stack, not the thread's),
 * then waits (at most ~2 s) for the watchdog to release it */
COLD_TEXT static void capture_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno, g;
	(void)sig;
	if (si->si_code != SI_TKILL || si->si_pid != getpid() || atomic_load(&cap.tid) != (int)syscall(SYS_gettid))
		goto out;
	g = atomic_load(&cap.gen);
	memcpy(&cap.uc, uc, sizeof cap.uc);
	cap.n = 0;
	cap.how = "nostack";
	if (atomic_load(&cap.want_bt))
		shim_stack_run(capture_unwind, uc);
	atomic_store(&cap.captured, g);
	futex(&cap.captured, FUTEX_WAKE_PRIVATE, 1, NULL);
	for (int i = 0; i < 20; i++) {
		int r = atomic_load(&cap.released);
		struct timespec ts = {0, 100000000};
		if (r >= g)
			break;
		futex(&cap.released, FUTEX_WAIT_PRIVATE, r, &ts);
	}
out:
	errno = saved;
}

/* Parks thread tid in capture_handler, its interrupted context in cap.uc: returns the capture
 * number (> 0), 0 if it could not be signalled, -1 if the signal was not taken within 0.5 s
 * (then it may come later: the handler stays). capture_end lets the thread go. */
COLD_TEXT static int capture_begin(pid_t tid)
{
	int g = atomic_fetch_add(&cap.gen, 1) + 1;
	atomic_store(&cap.tid, tid);
	if (syscall(SYS_tgkill, getpid(), tid, capsig) != 0)
		return 0;
	for (int i = 0; i < 10 && atomic_load(&cap.captured) < g; i++) {
		struct timespec ts = {0, 50000000};
		futex(&cap.captured, FUTEX_WAIT_PRIVATE, atomic_load(&cap.captured), &ts);
	}
	if (atomic_load(&cap.captured) >= g)
		return g;
	cap_left_pending = 1;
	return -1;
}

COLD_TEXT static void capture_end(int g)
{
	if (g > 0) {
		atomic_store(&cap.released, g);
		futex(&cap.released, FUTEX_WAKE_PRIVATE, 1, NULL);
	}
	atomic_store(&cap.tid, 0);
}

/* a real-time signal with the default action and no handler: the program does not use it */
COLD_TEXT static int choose_capsig(void)
{
	struct sigaction sa, old;
	for (int s = SIGRTMAX; s >= SIGRTMIN + 2; s--) {
		if (REAL(sigaction)(s, NULL, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO))
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = capture_handler;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigfillset(&sa.sa_mask);
		if (REAL(sigaction)(s, &sa, NULL) == 0)
			return s;
	}
	return 0;
}

COLD_TEXT static void release_capsig(void)
{
	struct sigaction sa, cur;
	if (capsig <= 0 || cap_left_pending)
		return;
	if (REAL(sigaction)(capsig, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == capture_handler) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		REAL(sigaction)(capsig, &sa, NULL);
	}
	capsig = 0;
}

/* System calls that a handler with SA_RESTART does not cut short (or whose EINTR every caller
 * expects: futex). nanosleep, poll, select, epoll_wait, pause, sigsuspend are not among them. */
COLD_TEXT static int restartable(long sys)
{
	static const short ok[] = {0, 1, 17, 18, 19, 20, 42, 43, 44, 45, 46, 47, 61, 72, 73, 202, 247, 288, 257, 2};
	if (sys < 0)
		return 1;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == sys)
			return 1;
	return 0;
}

/* Where /proc/self/task/TID/syscall is not readable: the system call and its arguments from the
 * thread's registers, taken by the capture signal. A call restarted after the handler shows its
 * number in rax; one that will return EINTR (a futex wait with a timeout) shows -EINTR, and then
 * the kernel's wait channel names it. */
COLD_TEXT static void syscall_from_context(struct task *t, const char *wchan)
{
	int g = capture_begin(t->tid);
	if (g > 0) {
		const greg_t *r = cap.uc.uc_mcontext.gregs;
		long nr = (long)r[REG_RAX];
		if (nr == -EINTR && !strncmp(wchan, "futex", 5))
			nr = SYS_futex;
		else if (nr == -EINTR && !strcmp(wchan, "do_wait"))
			nr = SYS_wait4;
		if (nr >= 0) {
			t->sys = nr;
			t->args[0] = (uintptr_t)r[REG_RDI];
			t->args[1] = (uintptr_t)r[REG_RSI];
			t->args[2] = (uintptr_t)r[REG_RDX];
			t->args[3] = (uintptr_t)r[REG_R10];
			t->args[4] = (uintptr_t)r[REG_R8];
			t->args[5] = (uintptr_t)r[REG_R9];
		}
	}
	capture_end(g);
}

/* t's state, name, wait channel and system call from /proc/self/task/TID (buf: scratch) */
COLD_TEXT static void read_task(struct task *t, char *comm, size_t ncomm, char *wchan, size_t nwchan, char *buf, size_t nbuf)
{
	char path[64];
	const char *s;
	t->state = '?';
	t->sys = -2;
	task_path(path, t->tid, "stat");
	if (read_file(path, buf, nbuf) > 0 && (s = strrchr(buf, ')')) && s[1] == ' ')
		t->state = s[2];
	task_path(path, t->tid, "comm");
	if (read_file(path, comm, ncomm) <= 0)
		comm[0] = 0;
	if ((s = strchr(comm, '\n')))
		*(char *)s = 0;
	task_path(path, t->tid, "wchan");
	if (read_file(path, wchan, nwchan) <= 0 || !strcmp(wchan, "0"))
		strcpy(wchan, "-");
	task_path(path, t->tid, "syscall");
	if (read_file(path, buf, nbuf) > 0) {
		s = buf;
		if (strncmp(s, "running", 7) != 0) {
			t->sys = parse_dec(&s);
			for (int i = 0; i < 6 && t->sys >= 0; i++)
				t->args[i] = parse_hex(&s);
		}
	} else if (t->state != 'R') {
		t->sys = -3; /* not ours to read (a process that changed its user is not dumpable) */
	}
}

COLD_TEXT static void describe_task(struct task *t, int capsig)
{
	static char buf[1024] COLD_BSS;
	char path[64], comm[32], wchan[64];
	const char *s;
	struct tline l;
	const char *waits = "-";
	uintptr_t addr = 0;
	long holder = 0;

	/* a thread waiting for the GIL wakes every 5 ms (take_gil's timed wait) and may be caught
	 * running: with a GIL, a running thread is looked at again, a few times, 2 ms apart */
	read_task(t, comm, sizeof comm, wchan, sizeof wchan, buf, sizeof buf);
	for (int tries = 0; gil_at && t->sys == -2 && tries < 4; tries++) {
		struct timespec pause = {0, 2000000};
		syscall(SYS_nanosleep, &pause, NULL);
		read_task(t, comm, sizeof comm, wchan, sizeof wchan, buf, sizeof buf);
	}
	t->signalable = 0;
	t->not_why = capsig <= 0 ? "nosignal" : t->state != 'S' && t->state != 'R' ? "state" : "asleep";
	if (capsig > 0 && (t->state == 'S' || t->state == 'R') &&
	    (t->sys == -3 ? !strncmp(wchan, "futex", 5) || !strcmp(wchan, "do_wait") || !strcmp(wchan, "pipe_read")
			  : restartable(t->sys))) {
		task_path(path, t->tid, "status");
		if (read_file(path, buf, sizeof buf) > 0 && (s = strstr(buf, "SigBlk:"))) {
			s += 7;
			while (*s == '\t' || *s == ' ')
				s++;
			t->signalable = !((parse_hex(&s) >> (capsig - 1)) & 1);
			t->not_why = "masked";
		}
	}

	if (t->sys == -3 && t->signalable)
		syscall_from_context(t, wchan);
	if (t->sys == SYS_futex) {
		int op = (int)(t->args[1] & FUTEX_CMD_MASK), word = 0, owner = 0;
		addr = t->args[0];
		waits = "futex";
		if (gil_at && addr >= gil_at && addr < gil_at + PY_GIL_SIZE) { /* take_gil: its condition or mutex */
			waits = "gil";
			holder = gil_holder;
		} else if ((op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) && read_self(addr, &word, sizeof word) == 0) {
			if (word > 0 && word == (int)t->args[2] && tid_alive(word)) {
				waits = "join";
				holder = word;
			} else if (op == FUTEX_WAIT && t->args[2] == 2 && read_self(addr + 8, &owner, sizeof owner) == 0 &&
				   owner > 0) {
				unsigned kind = 0;
				if (read_self(addr + 16, &kind, sizeof kind) == 0 && kind < 0x1000) {
					waits = "mutex";
					holder = owner;
				}
			}
		} else if (op == FUTEX_LOCK_PI || op == FUTEX_LOCK_PI2) {
			if (read_self(addr, &word, sizeof word) == 0 && (word & FUTEX_TID_MASK)) {
				waits = "mutex";
				holder = word & FUTEX_TID_MASK;
			}
		}
	} else if (t->sys == SYS_wait4 || t->sys == SYS_waitid) {
		waits = "child";
		holder = t->sys == SYS_wait4 ? (long)(int)t->args[0] : (long)(int)t->args[1];
	}

	wd_begin(&l, "hang_thread");
	tl_dec(&l, t->tid);
	tl_strn(&l, &t->state, 1);
	tl_str(&l, comm);
	tl_str(&l, wchan);
	if (t->sys == -2)
		tl_word(&l, "running");
	else if (t->sys == -3)
		tl_word(&l, "?");
	else
		tl_dec(&l, t->sys);
	tl_word(&l, waits);
	if (addr)
		tl_hex(&l, addr);
	else
		tl_word(&l, "-");
	if (holder)
		tl_dec(&l, holder);
	else
		tl_word(&l, "-");
	if (py_thread_name(t->tid, buf, 64) > 0)
		tl_str(&l, buf);
	tl_end(&l);
}

/* ---- struct pthread's tid, to tag Python's "Thread 0x..." blocks ---- */

static long tid_offset_plus1 COLD_BSS; /* 0: not found */

COLD_TEXT static void find_tid_offset(pid_t self)
{
	static pid_t a[1024] COLD_BSS, b[1024] COLD_BSS; /* each struct pthread's first 4 KiB, read at once */
	struct iovec la = {a, sizeof a}, ra = {(void *)pthread_self(), sizeof a};
	struct iovec lb = {b, sizeof b}, rb = {(void *)wd_creator, sizeof b};
	long na, nb;
	if (pthread_equal(pthread_self(), wd_creator))
		return;
	/* (a read that crosses into unmapped memory stops there: the words before it count) */
	na = syscall(SYS_process_vm_readv, getpid(), &la, 1, &ra, 1, 0);
	nb = syscall(SYS_process_vm_readv, getpid(), &lb, 1, &rb, 1, 0);
	for (long i = 0; i < na / 4 && i < nb / 4; i++)
		if (a[i] == self && b[i] == wd_creator_tid) {
			tid_offset_plus1 = i * 4 + 1;
			return;
		}
}

COLD_TEXT static pid_t tid_of_pthread(uintptr_t pt)
{
	pid_t tid = 0;
	if (!tid_offset_plus1 || read_self(pt + (uintptr_t)(tid_offset_plus1 - 1), &tid, sizeof tid))
		return 0;
	return tid;
}

/* ---- Python tracebacks ---- */

static char pybuf[65536] COLD_BSS;

COLD_TEXT static void python_tracebacks(void)
{
	int fds[2], hi[2] = {-1, -1};
	long n, got = 0;
	pid_t cur = 0;
	char *line, *end;
	const char *interp = "main";
	if (syscall(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return;
	/* out of the program's low descriptor numbers, as the trace is */
	for (int i = 0; i < 2; i++) {
		hi[i] = (int)syscall(SYS_fcntl, fds[i], F_DUPFD_CLOEXEC, 1000);
		syscall(SYS_close, fds[i]);
	}
	if (hi[0] < 0 || hi[1] < 0)
		goto out;
	syscall(SYS_fcntl, hi[1], F_SETPIPE_SZ, (long)sizeof pybuf);
	if (py_dump_interpreters(hi[1]) <= 0)
		goto out;
	syscall(SYS_close, hi[1]);
	hi[1] = -1;
	while (got < (long)sizeof pybuf - 1 && (n = syscall(SYS_read, hi[0], pybuf + got, sizeof pybuf - 1 - got)) > 0)
		got += n;
	pybuf[got] = 0;
	for (line = pybuf; *line; line = end) {
		struct tline l;
		const char *p;
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		else
			*end++ = 0;
		if (!*line)
			continue;
		if (line[0] == '\001') { /* which interpreter the next lines are about (python.c) */
			interp = line + 1;
			continue;
		}
		if ((p = strstr(line, "hread 0x")) && (line[0] == 'T' || line[0] == 'C')) {
			p += 6;
			cur = tid_of_pthread(parse_hex(&p));
		}
		wd_begin(&l, "hang_py");
		tl_dec(&l, cur);
		tl_str(&l, line);
		if (line[0] != ' ') /* a thread's header: its interpreter */
			tl_word(&l, interp[0] == 'm' ? "main" : interp + 4);
		tl_end(&l);
	}
out:
	for (int i = 0; i < 2; i++)
		if (hi[i] >= 0)
			syscall(SYS_close, hi[i]);
}

COLD_TEXT static void backtrace_of(struct task *t)
{
	static uintptr_t ips[64] COLD_BSS;
	struct tline l;
	const char *how = "none";
	int n = 0, g;
	if (t->signalable) {
		atomic_store(&cap.want_bt, 1);
		if ((g = capture_begin(t->tid)) > 0) {
			n = cap.n;
			how = cap.how;
			memcpy(ips, cap.ips, (size_t)n * sizeof *ips);
		} else if (g < 0) {
			how = "undelivered";
		}
		capture_end(g);
		atomic_store(&cap.want_bt, 0);
	}
	wd_begin(&l, "hang_bt");
	tl_dec(&l, t->tid);
	tl_word(&l, n > 0 || t->signalable ? how : t->not_why);
	tl_frames(&l, ips, n);
	tl_end(&l);
}

/* ---- the watchdog thread ---- */

COLD_TEXT static void snapshot(int round, pid_t self)
{
	struct tline l;
	wd_begin(&l, "hang");
	tl_dec(&l, round);
	tl_dec(&l, (long long)((now_ns() - wd_start_ns) / 1000000));
	tl_word(&l, wd_why);
	tl_dec(&l, wd_creator_tid);
	tl_end(&l);
	list_tasks(self);
	if (!py_gil(&gil_at, &gil_holder))
		gil_at = 0;
	capsig = choose_capsig();
	for (int i = 0; i < ntasks; i++)
		describe_task(&tasks[i], capsig);
	python_tracebacks();
	modules_sync();
	for (int i = 0; i < ntasks; i++)
		backtrace_of(&tasks[i]);
	release_capsig();
	wd_begin(&l, "hang_end");
	tl_dec(&l, round);
	tl_end(&l);
}

/* ms into teardown after which held begin lines are written (at most half TLSTRACE_HANG_MS) */
#define HELD_AFTER_MS 100u

COLD_TEXT static void wd_sleep_until(uint64_t at)
{
	struct timespec ts = {(time_t)(at / 1000000000u), (long)(at % 1000000000u)};
	while (syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0 && errno == EINTR)
		;
}

COLD_TEXT static void *watchdog_main(void *unused)
{
	pid_t self = (pid_t)syscall(SYS_gettid);
	(void)unused;
	ts.in_shim = 1; /* whatever this thread calls passes through the wrappers */
	/* nothing before the first deadline: most teardowns end before it, and the exiting
	 * thread must not share the CPU with this one meanwhile */
	wd_sleep_until(wd_start_ns + ((unsigned)cfg.hang_ms < 2 * HELD_AFTER_MS ? (uint64_t)cfg.hang_ms / 2 : HELD_AFTER_MS) * 1000000u);
	/* a teardown this long: the begin lines held back (trace.c) go out, so that a process
	 * killed now by a signal the shim cannot see (SIGKILL) still shows where it stood */
	trace_held_touch();
	for (int round = 1; round <= 3; round++) {
		uint64_t at = wd_start_ns + (uint64_t)cfg.hang_ms * 1000000u * (round == 3 ? 4u : (unsigned)round);
		wd_sleep_until(at);
		if (round == 1)
			find_tid_offset(self);
		snapshot(round, self);
	}
	return NULL;
}

static _Atomic uint64_t wd_arrival_ns EXIT_BSS;
static atomic_int wd_arrival_pid EXIT_BSS;
static atomic_int wd_arrival_tid EXIT_BSS;

/* 1 if the calling thread is inside the handler of the termination signal that arrived on it:
 * it is that arrival's thread, and SIGTERM, SIGINT or SIGQUIT is blocked in its mask now (the
 * kernel blocks the signal while its handler runs, unless SA_NODEFER; the mask comes back when the
 * handler returns). A handler that only set a flag has returned by the time main calls exit. */
EXIT_TEXT static int in_arrival_handler(void)
{
	uint64_t blocked = 0, term = 1ull << (SIGTERM - 1) | 1ull << (SIGINT - 1) | 1ull << (SIGQUIT - 1);
	if (atomic_load(&wd_arrival_tid) != shim_gettid())
		return 0;
	/* the raw call: the program's view of the mask, not the shim's wrapper */
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blocked, sizeof blocked) != 0)
		return 0;
	return (blocked & term) != 0;
}

/* When teardown began: now, or the arrival of a termination signal at a handler of the
 * program if that came less than TLSTRACE_HANG_MS ago and this teardown step runs inside that
 * handler (then *why becomes "signal"); an older one, or one whose handler returned first (it set
 * a flag that main acted on later), was not where the teardown began. */
EXIT_TEXT static uint64_t teardown_start(const char **why)
{
	uint64_t now = now_ns(), a = atomic_load(&wd_arrival_ns);
	if (a && a <= now && atomic_load(&wd_arrival_pid) == trace_pid_get() && now - a < (uint64_t)cfg.hang_ms * 1000000u &&
	    in_arrival_handler()) {
		*why = "signal";
		return a;
	}
	return now;
}

/* ---- a teardown that cannot hang: no thread ----
 * The watchdog's thread costs every process that ends: its creation, and the end of the process
 * waits until the thread, killed by exit_group, has run to its end (+0.5 ms of wall time per
 * /bin/true on this VM at load 8-10, up to +2.9 ms at higher load: docs/design.md). A teardown can hang
 * only where code runs that can block or loop: the program's own (an atexit or on_exit handler, a
 * C++ static or thread_local destructor, a module's destructor function, Python), a lock another
 * thread holds, or stdio writing what it buffered into a pipe nobody reads. When exit() or main's
 * return begins with none of these possible yet (no other thread the shim saw start, the shim
 * here since the start, not a fork child, no Python running), the thread is made later, at the
 * first of them that comes (before the code runs, still before any hang: watchdog_may_hang), with
 * the teardown's start as it was; a process whose end runs none (/bin/true) makes none. What is
 * not covered then: a program's signal handler that runs in that window and blocks (a handler
 * cannot make a thread). */
static atomic_int wd_deferred; /* teardown began, the thread not made yet */
static int wd_forked; /* this process is a fork child (read at every exit: not cold) */

/* The code at p is one of the pieces gcc's crt files put in every module's destructors, which
 * run nothing of the program: _fini (crti.o/crtn.o) or __do_global_dtors_aux (crtbegin.o,
 * crtbeginS.o: __cxa_finalize(__dso_handle), which at exit finds nothing left to run, then
 * deregister_tm_clones). x86-64 only; anything else counts as the program's. */
EXIT_TEXT static int crt_code(const unsigned char *p, uintptr_t end)
{
#if defined(__x86_64__)
	static const char *const pat[] = {
		"4883ec084883c408c3", /* _fini */
		"803d????????0075??5548833d????????004889e574??488b3d????????e8????????e8????????c605????????015dc3",
		"803d????????0075??554889e5e8????????c605????????015dc3",
	};
	if ((uintptr_t)p + 4 <= end && p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa) /* endbr64 */
		p += 4;
	for (size_t k = 0; k < sizeof pat / sizeof pat[0]; k++) {
		const char *s = pat[k];
		size_t i = 0;
		if ((uintptr_t)p + strlen(s) / 2 > end)
			continue;
		for (; s[0]; s += 2, i++) {
			int hi = s[0] <= '9' ? s[0] - '0' : s[0] - 'a' + 10, lo = s[1] <= '9' ? s[1] - '0' : s[1] - 'a' + 10;
			if (s[0] != '?' && p[i] != (unsigned char)(hi << 4 | lo))
				break;
		}
		if (!s[0])
			return 1;
	}
#else
	(void)p;
#endif
	return 0;
}

/* crt code at addr, which must lie in an executable, readable segment of the module */
EXIT_TEXT static int crt_at(const struct dl_phdr_info *info, uintptr_t addr)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & (PF_R | PF_X)) == (PF_R | PF_X) && addr >= lo &&
		    addr < lo + ph->p_filesz)
			return crt_code((const unsigned char *)addr, lo + ph->p_filesz);
	}
	return 0;
}

/* dl_iterate_phdr callback: stops (1) at a module whose destructors _dl_fini would run hold
 * anything but crt code */
EXIT_TEXT static int module_fini_runs_code(struct dl_phdr_info *info, size_t size, void *data)
{
	const ElfW(Dyn) *d = NULL;
	uintptr_t fini = 0, arr = 0;
	size_t arrsz = 0;
	(void)size;
	if (dl_info_holds(info, (uintptr_t)&crt_code))
		return 0; /* the shim's own */
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			d = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	for (; d && d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_FINI)
			fini = info->dlpi_addr + d->d_un.d_ptr;
		else if (d->d_tag == DT_FINI_ARRAY)
			arr = info->dlpi_addr + d->d_un.d_ptr;
		else if (d->d_tag == DT_FINI_ARRAYSZ)
			arrsz = d->d_un.d_val / sizeof(uintptr_t);
	}
	if (fini && !crt_at(info, fini))
		return *(int *)data = 1;
	for (size_t i = 0; arr && i < arrsz; i++) {
		uintptr_t f = ((const uintptr_t *)arr)[i];
		if (!crt_at(info, f))
			return *(int *)data = 1;
	}
	return 0;
}

/* stdio holds output it will write at the end of exit (_IO_cleanup, after every handler): a
 * write that may block. glibc's list of streams, read without its lock: one thread only. */
EXIT_TEXT static int stdio_pending(void)
{
	FILE **list = libc_function("_IO_list_all");
	int n = 0;
	if (!list)
		return 1;
	for (FILE *f = *list; f && n < 4096; f = f->_chain, n++)
		if (f->_IO_write_ptr > f->_IO_write_base || f->_mode > 0)
			return 1;
	return n == 4096;
}

COLD_TEXT static void wd_start_thread(void);

/* Code that may hang is about to run in a teardown whose thread is not made yet (where: dl_fini:
 * _dl_fini, whose modules' destructors are looked at; exit_done: the end of exit(), stdio's
 * flush next; NULL: anything else): the thread now. The caller is inside the shim. */
EXIT_TEXT void watchdog_may_hang(const char *where)
{
	int one = 1, runs = 0;
	if (!atomic_load(&wd_deferred))
		return;
	if (where && !strcmp(where, "dl_fini") && (shim_dl_iterate(module_fini_runs_code, &runs), !runs))
		return;
	if (where && !strcmp(where, "exit_done") && !stdio_pending())
		return;
	if (atomic_compare_exchange_strong(&wd_deferred, &one, 0))
		wd_start_thread();
}

/* Teardown began here with nothing that may hang yet (see above) */
EXIT_TEXT static int teardown_quiet(const char *why)
{
	char py = py_state();
	return (!strcmp(why, "exit") || !strcmp(why, "main_return")) && exitfns_main_seen() && !wd_forked &&
	       !threads_live_count() && (py == PY_NONE || py == PY_NOTINIT || py == PY_DEAD);
}

/* Teardown began (why: exit, main_return, py_fin, py_end_interp, py_fin_stack, signal). The
 * first call starts the watchdog, now or at the first code that may hang; the caller is inside
 * the shim (shim_enter). */
EXIT_TEXT void watchdog_teardown(const char *why)
{
	int expected = 0;
	threads_alive_line(why, 1); /* each beginning: exit, then Py_Finalize from its handler */
	if (cfg.hang_ms <= 0)
		return;
	if (atomic_load_explicit(&wd_armed, memory_order_relaxed) || !atomic_compare_exchange_strong(&wd_armed, &expected, 1)) {
		watchdog_may_hang(NULL); /* a later beginning (Py_Finalize from a handler) runs code */
		return;
	}
	wd_start_ns = teardown_start(&why);
	wd_why = why;
	wd_creator = pthread_self();
	wd_creator_tid = shim_gettid();
	/* seen on the stack, Py_FinalizeEx is running: the state the interposed call would show */
	wd_py_fin = !strcmp(why, "py_fin_stack");
	if (teardown_quiet(why))
		atomic_store(&wd_deferred, 1);
	else
		wd_start_thread();
}

/* the hang_arm line and the thread */
COLD_TEXT static void wd_start_thread(void)
{
	pthread_attr_t a;
	pthread_t t;
	sigset_t all;
	struct tline l;
	/* a sanitizer's leak check stops every thread at exit with ptrace and reads their stacks: a
	 * thread it did not see start breaks it (LeakSanitizer's tracer faults) */
	if (next_definition("__lsan_do_leak_check") || next_definition("__asan_init") || next_definition("__tsan_init"))
		return;
	wd_begin(&l, "hang_arm");
	tl_word(&l, wd_why);
	tl_dec(&l, cfg.hang_ms);
	tl_end(&l);
	if (pthread_attr_init(&a) != 0)
		return;
	sigfillset(&all);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 256 << 10);
	pthread_attr_setsigmask_np(&a, &all);
	if (REAL(pthread_create)(&t, &a, watchdog_main, NULL) != 0)
		trace_note("hang watchdog not started", "pthread_create failed");
	pthread_attr_destroy(&a);
}

EXIT_TEXT int watchdog_armed(void) { return atomic_load_explicit(&wd_armed, memory_order_relaxed); }

/* a forked child begins without the watchdog thread */
void watchdog_after_fork_child(void)
{
	if (atomic_load_explicit(&wd_armed, memory_order_relaxed))
		atomic_store(&wd_armed, 0);
	atomic_store(&wd_deferred, 0);
	wd_forked = 1;
}

/* A termination signal arrived at a handler of the program (signals.c): teardown may begin
 * here. A signal handler cannot start the watchdog (a thread creation allocates), so only the
 * time is kept: the next teardown step the shim sees (exit, the return from main, Py_Finalize,
 * Py_EndInterpreter) starts it, counting from the arrival. async-signal-safe */
void watchdog_signal_arrival(uint64_t t)
{
	atomic_store(&wd_arrival_ns, t);
	atomic_store(&wd_arrival_pid, trace_pid_get());
	atomic_store(&wd_arrival_tid, shim_gettid_for(trace_pid_get()));
}

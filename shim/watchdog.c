/* watchdog.c - the hang watchdog: a snapshot of every thread when teardown takes too long.
 *
 * Teardown begins at exit(), the return from main, Py_Finalize, Py_EndInterpreter, or (in
 * /usr/bin/python3, where Py_FinalizeEx is an internal call) the main thread's first blocking
 * semaphore wait with Py_FinalizeEx on its stack (threading._shutdown joining threads). Nothing
 * runs before that: the first of those events creates one detached thread (all signals blocked,
 * never joined, holding no lock the program uses, never running Python code), which sleeps
 * TLSTRACE_HANG_MS (default 2000, 0: off) and, if the process still lives, writes a snapshot;
 * again at 2x and 4x, then ends. A termination signal's arrival at a handler of the program
 * begins a teardown too: a handler that never returns is watched by the handler watcher (end of
 * this file, Python's handlers too), and a Python handler that blocks on a lock starts this
 * watchdog from the arrival.
 *
 * A snapshot (lines hang, hang_thread, hang_py, hang_bt; docs/trace-format.md):
 * - each thread's state, wchan and system call from /proc/self/task/TID, and for a futex wait
 *   what it waits on: a glibc mutex (lll_lock_wait waits with value 2 on __lock; __owner, 8 bytes
 *   on, is the owner's tid; a robust one's __lock is that tid with FUTEX_WAITERS; a PI one's, the
 *   tid), a join (pthread_join waits on the joined thread's tid word, whose
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
#include <stddef.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h" /* sys6: raw system calls, no errno (the handler watcher's thread has no glibc thread behind it) */
#include "checkers.h"

static atomic_int wd_armed;       /* the watchdog thread exists (or was attempted) */
static uint64_t wd_start_ns EXIT_BSS; /* when teardown began */
static const char *wd_why EXIT_BSS;
static pthread_t wd_creator EXIT_BSS; /* the thread that began teardown (for the tid offset) */
static pid_t wd_creator_tid EXIT_BSS;
static atomic_int wd_thread_tid EXIT_BSS; /* the watchdog's own thread (not in a snapshot): from its
					    * creator once pthread_create returns, or from itself once it runs */
static pthread_t wd_thread_pt EXIT_BSS;     /* its struct pthread, which glibc stores before the clone
					    * (nptl/pthread_create.c), for a snapshot in that window */

static int wd_py_fin EXIT_BSS;    /* teardown began inside python3's own Py_FinalizeEx */
static int wd_arm_written EXIT_BSS; /* the hang_arm line is in the trace (a thread made again writes none) */

/* the handler watcher (at the end of this file) */
#define HW_STACK_BYTES (64 << 10)
static struct {
	atomic_int live;    /* the watcher's tid, from the clone (CLONE_PARENT_SETTID) until the kernel
			     * clears it at its exit (CLONE_CHILD_CLEARTID); 0: none */
	atomic_int stop;    /* 1: the handler returned or a teardown step took over: the watcher ends */
	atomic_int target;  /* the thread running the handler */
	atomic_int trig;    /* the watcher's signal while its handler is installed, else 0 */
	atomic_int asked;   /* the snapshot round asked for */
	atomic_int done;    /* the last round answered */
	atomic_int making;  /* a thread is in hw_make (two handlers, or a handler and the thread that
			     * took its put-off record, may try at once; in hw: no page more to touch) */
	int sig, nodefer;   /* the arrived signal; whether its handler runs with it unblocked */
	int rtmin;          /* the lowest real-time signal glibc leaves to programs */
	int sanitized;      /* 0 not known, 1 no sanitizer, 2 one is there (then no watcher) */
	int py;             /* the arrival was at Python's C-level handler: the watcher watches the main
			     * thread while its Python handler runs (it outlives the C-level one) */
	int py_in;          /* py: the last look found the main thread in its Python handler (fin: in
			     * python3's own Py_FinalizeEx) */
	atomic_int fin;     /* py: its Python handler had returned (a look or the watcher's signal found
			     * it out of it): at the deadlines left the watcher looks for python3's own
			     * Py_FinalizeEx on the main thread's stack instead (issue 15: a flag set, then
			     * sys.exit() and an atexit callback that spins in pure Python) */
	const char *arm_word; /* the why of the hang_arm line written last for this arrival, or NULL */
	uint64_t start_ns;  /* the arrival */
	uintptr_t frame;    /* the handler's thread's stack pointer where the program's handler was called
			     * (its frames lie below it; a siglongjmp out of it leaves the stack above) */
	uintptr_t restorer; /* glibc's sa_restorer, from the arrived signal's kernel action */
} hw COLD_BSS;
/* The watcher's stack (HW_STACK_BYTES) and, above it, hw_tls: one mapping, made at the first
 * watcher (hw_map), not in the BSS: 320 KiB every process would have counted against its
 * RLIMIT_DATA and RLIMIT_AS and locked with mlockall(MCL_CURRENT), for a thread only a
 * termination handler's arrival makes (HOSTILE17) */
static char *hw_stack COLD_BSS;
/* The watcher's thread pointer points into hw_tls, HW_TCB words from its end (glibc's tcbhead_t
 * and the rest of a struct pthread above it, all zero but the self pointers). The static TLS
 * blocks lie below it (x86-64): the code a raw snapshot runs touches errno and the shim's own
 * thread variables, at the offsets they have in every thread (hw_tls_need, found at the
 * arrival); where those lie deeper than hw_tls holds, the watcher makes no raw snapshot. Pages
 * of it never touched cost nothing (an anonymous mapping's). */
#define HW_TLS_WORDS 32768 /* 256 KiB */
#define HW_TCB 512
static uintptr_t *hw_tls COLD_BSS;
static size_t hw_tls_need COLD_BSS; /* bytes below the thread pointer the raw snapshot may touch; 0: too many */
static atomic_int wd_snapping COLD_BSS; /* a snapshot is being written (watchdog thread or the handler's) */

COLD_TEXT static void hw_stop(void);
COLD_TEXT static void hw_after_fork_child(void);
COLD_TEXT static void hw_before_fork(void);
/* a handler watcher was made in this process (not cold: every fork child reads it) */
static atomic_int hw_made;
/* the last arrival was at Python's C-level handler (set at the arrival, cleared when the
 * watchdog starts or too long after it); shim.h: python.c tests it before a call here */
atomic_int wd_arrival_py;
/* Snapshots of a Python reaction (watchdog_py_handler_blocks) are taken only while the main
 * thread waits: one that blocked a moment and went on (a program that survives SIGINT) is not a
 * hang. */
static atomic_int wd_py_watch EXIT_BSS;   /* the watchdog was armed by a Python wait */
static atomic_int wd_py_waiting EXIT_BSS; /* the main thread is in a blocking sem_wait */

/* a line of the watchdog: in python3 the interpreter reads as initialized until its finalizing
 * flag is set, but Py_FinalizeEx was seen running */
COLD_TEXT static void wd_begin(struct tline *l, const char *event)
{
	char py = py_state();
	tl_begin_py(l, event, wd_py_fin && py == PY_INIT ? PY_ATEXIT : py);
}

/* ---- reading our own memory without faulting ---- */

/* (sandbox.c's self_read: process_vm_readv, or a pipe under a seccomp filter) */
COLD_TEXT static int read_self(uintptr_t addr, void *out, size_t n) { return self_read(addr, out, n) == (long)n ? 0 : -1; }

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
	uintptr_t sp;      /* its user stack pointer in the call (/proc's syscall line, or its registers), 0 unknown */
	int signalable;    /* its backtrace may be taken by a signal */
	const char *not_why; /* else why not: masked (it blocks the signal), asleep (a call the signal would
			      * cut short), state (stopped, uninterruptible, zombie), nosignal (none free) */
};
static struct task tasks[MAX_THREADS] COLD_BSS;
static int ntasks COLD_BSS;
static uintptr_t gil_at COLD_BSS;  /* the interpreter's GIL (python.c), 0 if not known */
static pid_t gil_holder COLD_BSS;  /* the thread holding it, 0 if none or not known */

COLD_TEXT static pid_t tid_of_pthread(uintptr_t pt);

/* The watchdog's thread, also when a kill's snapshot comes before it ran its first line (the
 * kernel stores its tid in struct pthread at the clone, CLONE_PARENT_SETTID: t337 under load
 * listed it as a thread of the program); 0 if none */
COLD_TEXT static pid_t wd_thread_known(void)
{
	pid_t tid = atomic_load(&wd_thread_tid);
	pthread_t pt = __atomic_load_n(&wd_thread_pt, __ATOMIC_ACQUIRE);
	if (!tid && pt && (tid = tid_of_pthread((uintptr_t)pt)) > 0)
		atomic_store(&wd_thread_tid, tid);
	return tid;
}

COLD_TEXT static int list_tasks(pid_t self)
{
	static char dbuf[4096] COLD_BSS;
	pid_t wd = wd_thread_known();
	/* (not in a sandboxed process, trace_sandboxed, unless its filters allow it: filter.c) */
	int fd = atomic_load(&trace_sandboxed_flag) && !filter_allows_proc() ? -1 : (int)shim_syscall(SYS_openat, AT_FDCWD, "/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;
	ntasks = 0;
	if (fd < 0)
		return 0;
	while ((n = shim_syscall(SYS_getdents64, fd, dbuf, sizeof dbuf)) > 0) {
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
			if (tid > 0 && tid != self && tid != atomic_load(&hw.live) && tid != wd &&
			    ntasks < MAX_THREADS)
				tasks[ntasks++].tid = tid;
		}
	}
	shim_syscall(SYS_close, fd);
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
static struct sigaction capsig_before COLD_BSS; /* capsig's action before ours, put back exactly */
static int cap_left_pending COLD_BSS; /* a signal may still arrive: leave the handler in place */

COLD_TEXT static long futex(atomic_int *w, int op, int val, const struct timespec *ts)
{
	return shim_syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

/* on a shim stack: the unwinder finds the signal frame on the thread's own stack */
COLD_TEXT static void capture_unwind(void *uc)
{
	cap.n = unwind_from_signal(uc, cap.ips, 64, &cap.how);
}

/* async-signal-safe: copies the context and unwinds from it (on a shim stack, not the thread's),
 * then waits (at most ~2 s) for the watchdog to release it */
COLD_TEXT void watchdog_capture_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno, g;
	(void)sig;
	if (si->si_code != SI_TKILL || si->si_pid != (pid_t)sys0(SYS_getpid) || atomic_load(&cap.tid) != (int)shim_syscall(SYS_gettid))
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

/* capsig still holds watchdog_capture_handler: the program has not set an action of its own on it
 * since (a program's action set during the borrow is its own from then on: the signal is not
 * sent, the snapshot goes without that thread's registers). Left: an action set between this
 * look and the tgkill. */
COLD_TEXT static int capsig_still_ours(void)
{
	struct sigaction cur;
	return REAL(sigaction)(capsig, NULL, &cur) == 0 && cur.sa_sigaction == watchdog_capture_handler;
}

/* a snapshot taken at a termination signal that ends the process (watchdog_kill_snapshot): the
 * signal, and whether the teardown's beginning is known (wd_start_ns, wd_why); 0 for the hang
 * snapshots. snap_kill_slow: a thread of that snapshot did not take the capture signal in time */
static int snap_kill_sig COLD_BSS;
static int snap_kill_began COLD_BSS;
static int snap_kill_slow COLD_BSS;

/* Parks thread tid in watchdog_capture_handler, its interrupted context in cap.uc: returns the
 * capture number (> 0), 0 if it could not be signalled (or, at a kill, after a thread that did
 * not answer), -1 if the signal was not taken within 0.5 s (at a kill 0.1 s; then it may come
 * later: the handler stays). capture_end lets the thread go. */
COLD_TEXT static int capture_begin(pid_t tid)
{
	int g;
	/* (at a kill, the process's death waits for the snapshot, and a sender's SIGKILL after its
	 * own deadline would then end it instead: each thread waited for at most 0.1 s, and none
	 * after one that did not answer: the rest go without their registers, as a thread that
	 * cannot be signalled does) */
	if (snap_kill_sig && snap_kill_slow)
		return 0;
	g = atomic_fetch_add(&cap.gen, 1) + 1;
	atomic_store(&cap.tid, tid);
	if (!capsig_still_ours() || shim_syscall(SYS_tgkill, (pid_t)sys0(SYS_getpid), tid, capsig) != 0)
		return 0;
	for (int i = 0; i < (snap_kill_sig ? 2 : 10) && atomic_load(&cap.captured) < g; i++) {
		struct timespec ts = {0, 50000000};
		futex(&cap.captured, FUTEX_WAIT_PRIVATE, atomic_load(&cap.captured), &ts);
	}
	if (atomic_load(&cap.captured) >= g)
		return g;
	cap_left_pending = 1;
	snap_kill_slow = snap_kill_sig != 0;
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
		capsig_before = old;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = watchdog_capture_handler;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigfillset(&sa.sa_mask);
		if (REAL(sigaction)(s, &sa, NULL) == 0)
			return s;
	}
	return 0;
}

COLD_TEXT static void release_capsig(void)
{
	struct sigaction cur;
	if (capsig <= 0 || cap_left_pending)
		return;
	/* the action as it was, flags, restorer and mask included: through glibc's sigaction a
	 * program that never set it (flags 0, no restorer) would read SA_RESTORER and glibc's
	 * restorer from then on, one that set SIG_DFL with SA_RESTART or a mask would lose them */
	if (REAL(sigaction)(capsig, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == watchdog_capture_handler)
		kernel_action_put_exact(capsig, &capsig_before);
	capsig = 0;
}

#if defined(__x86_64__)
COLD_TEXT static void hw_borrowed_action(struct sigaction *old);
#endif

/* shim.h: a program's sigaction on a borrowed signal reads the action the watchdog found there
 * (capsig_before, hw_trig_before), not the watchdog's handler, as glibc's sigaction hands an old
 * action over: handler, flags, restorer, the kernel's 64 mask bits (the rest of the program's
 * sa_mask untouched). async-signal-safe */
COLD_TEXT void watchdog_borrowed_action(struct sigaction *old)
{
	if (old->sa_sigaction == watchdog_capture_handler) {
		old->sa_handler = capsig_before.sa_handler;
		old->sa_flags = capsig_before.sa_flags;
		old->sa_restorer = capsig_before.sa_restorer;
		memcpy(&old->sa_mask, &capsig_before.sa_mask, sizeof(uint64_t));
	}
#if defined(__x86_64__)
	else
		hw_borrowed_action(old);
#endif
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
		if (nr == -EINTR && !shim_strncmp(wchan, "futex", 5))
			nr = SYS_futex;
		else if (nr == -EINTR && !shim_strcmp(wchan, "do_wait"))
			nr = SYS_wait4;
		if (nr >= 0) {
			t->sys = nr;
			t->args[0] = (uintptr_t)r[REG_RDI];
			t->args[1] = (uintptr_t)r[REG_RSI];
			t->args[2] = (uintptr_t)r[REG_RDX];
			t->args[3] = (uintptr_t)r[REG_R10];
			t->args[4] = (uintptr_t)r[REG_R8];
			t->args[5] = (uintptr_t)r[REG_R9];
			t->sp = (uintptr_t)r[REG_RSP];
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
	if (proc_read(path, buf, nbuf) > 0 && (s = shim_strrchr(buf, ')')) && s[1] == ' ')
		t->state = s[2];
	task_path(path, t->tid, "comm");
	if (proc_read(path, comm, ncomm) <= 0)
		comm[0] = 0;
	if ((s = shim_strchr(comm, '\n')))
		*(char *)s = 0;
	task_path(path, t->tid, "wchan");
	if (proc_read(path, wchan, nwchan) <= 0 || !shim_strcmp(wchan, "0"))
		strcpy(wchan, "-");
	task_path(path, t->tid, "syscall");
	if (proc_read(path, buf, nbuf) > 0) {
		s = buf;
		if (shim_strncmp(s, "running", 7) != 0) {
			t->sys = parse_dec(&s);
			for (int i = 0; i < 6 && t->sys >= 0; i++)
				t->args[i] = parse_hex(&s);
			t->sp = t->sys >= 0 ? parse_hex(&s) : 0; /* ("NR ARGS... SP PC") */
		}
	} else if (t->state != 'R') {
		t->sys = -3; /* not ours to read (a process that changed its user is not dumpable) */
	}
}

/* t's state, system call and whether signal capsig may interrupt it (t->signalable, else
 * t->not_why), comm[32] and wchan[64] filled; buf: 1 KiB of scratch. Raw system calls only
 * (the handler watcher's thread calls it too). */
COLD_TEXT static void look_task(struct task *t, int capsig, char *comm, char *wchan, char *buf, size_t nbuf)
{
	char path[64];
	const char *s;
	/* a thread waiting for the GIL wakes every 5 ms (take_gil's timed wait) and may be caught
	 * running: with a GIL, a running thread is looked at again, a few times, 2 ms apart */
	read_task(t, comm, 32, wchan, 64, buf, nbuf);
	for (int tries = 0; gil_at && t->sys == -2 && tries < 4; tries++) {
		struct timespec pause = {0, 2000000};
		sys6(SYS_nanosleep, (long)&pause, 0, 0, 0, 0, 0);
		read_task(t, comm, 32, wchan, 64, buf, nbuf);
	}
	t->signalable = 0;
	t->not_why = capsig <= 0 ? "nosignal" : t->state != 'S' && t->state != 'R' ? "state" : "asleep";
	if (capsig > 0 && (t->state == 'S' || t->state == 'R') &&
	    (t->sys == -3 ? !shim_strncmp(wchan, "futex", 5) || !shim_strcmp(wchan, "do_wait") || !shim_strcmp(wchan, "pipe_read")
			  : restartable(t->sys))) {
		task_path(path, t->tid, "status");
		if (proc_read(path, buf, nbuf) > 0 && (s = shim_strstr(buf, "SigBlk:"))) {
			s += 7;
			while (*s == '\t' || *s == ' ')
				s++;
			t->signalable = !((parse_hex(&s) >> (capsig - 1)) & 1);
			t->not_why = "masked";
		}
	}
}

/* a snapshot line's holder field: tid, or "-" where none is known (0 or less) */
COLD_TEXT static void tl_holder(struct tline *l, long tid)
{
	if (tid > 0)
		tl_dec(l, tid);
	else
		tl_word(l, "-");
}

/* After t's hang_thread line, where t waits on the futex word addr of a Python lock: a hang_pylock
 * line, what the lock is and who holds it (python.c py_lock_wait: a join, an RLock, a Lock) */
COLD_TEXT static void pylock_line(const struct task *t, uintptr_t addr)
{
	struct tline l;
	struct py_lock_wait w;
	if (!py_lock_wait(addr, t->sp, &w))
		return;
	wd_begin(&l, "hang_pylock");
	tl_dec(&l, t->tid);
	tl_word(&l, w.what);
	tl_hex(&l, w.lock);
	tl_holder(&l, w.holder);
	tl_end(&l);
}

/* A glibc pthread_rwlock_t whose word at addr t waits on (futex value val): glibc 2.25+'s
 * nptl/pthread_rwlock_common.c, x86_64 layout (sysdeps/x86/nptl/bits/struct_rwlock.h):
 * __readers at 0 (bit 0 WRPHASE, bit 1 WRLOCKED, the readers' count from bit 3), __wrphase_futex
 * at 8 and __writers_futex at 12 (the words its waiters sleep on, with PTHREAD_RWLOCK_FUTEX_USED,
 * 2 (nptl/pthreadP.h), set: a reader or a writer waits on __wrphase_futex for 1|USED, the end of
 * a write phase, a writer for USED alone, the end of a read phase; a writer on __writers_futex
 * for 1|USED, another writer's unlock), __cur_writer at 24 (the write owner's
 * tid), __shared at 28 (0 or 1), __flags at 48 (the kind, 0-2). 1 and *lock (its address),
 * *writer (the writer's tid where it is write-locked by a thread of this process, else 0),
 * *cur (in a write phase its __cur_writer as it is, which may name a thread that ended or was
 * cancelled holding it, or 0; -1 in a read phase), *readers (the read owners' count) where the
 * words around addr read as such a lock in such a state; 0 otherwise (any other futex). Called
 * with the task list read (tid_alive). */
COLD_TEXT static int rwlock_wait(uintptr_t addr, unsigned val, uintptr_t *lock, int *writer, int *cur, unsigned *readers)
{
	unsigned w[14]; /* __readers ... __flags: 56 bytes */
	if (val != 2 && val != 3)
		return 0;
	for (int at = 8; at <= 12; at += 4) {
		uintptr_t b = addr - (uintptr_t)at;
		if (read_self(b, w, sizeof w) || w[at / 4] != val || w[7] > 1 || w[12] > 2)
			continue;
		if (at == 12 || (val & 1)) { /* a write phase: write-locked, by __cur_writer */
			if (!(w[0] & 2) || (at == 8 && !(w[0] & 1)))
				continue;
			*writer = (int)w[6] > 0 && tid_alive((pid_t)w[6]) ? (int)w[6] : 0;
			*cur = (int)w[6] > 0 ? (int)w[6] : 0;
		} else { /* a writer waits for the read phase to end: read-locked */
			if ((w[0] & 1) || !((w[0] >> 3) & 0xfffffffu))
				continue;
			*writer = 0;
			*cur = -1;
		}
		*lock = b;
		*readers = (w[0] >> 3) & 0xfffffffu; /* (bit 31: PTHREAD_RWLOCK_READER_OVERFLOW) */
		return 1;
	}
	return 0;
}

/* After t's hang_thread line, where t waits on the futex word addr for val: a hang_rwlock line
 * if it is a pthread_rwlock_t's (rwlock_wait) */
COLD_TEXT static void rwlock_line(const struct task *t, uintptr_t addr, unsigned val)
{
	struct tline l;
	uintptr_t lock;
	int writer, cur;
	unsigned readers;
	if (!rwlock_wait(addr, val, &lock, &writer, &cur, &readers))
		return;
	wd_begin(&l, "hang_rwlock");
	tl_dec(&l, t->tid);
	tl_hex(&l, lock);
	tl_holder(&l, writer);
	tl_dec(&l, readers);
	if (cur < 0)
		tl_word(&l, "-");
	else
		tl_dec(&l, cur);
	tl_end(&l);
}

/* A stdio stream's lock whose futex word t waits on, at addr: glibc 2.36's _IO_lock_t
 * (sysdeps/nptl/stdio-lock.h: int lock, the futex word; int cnt; void *owner, the owner's
 * struct pthread, which locks it again by counting), the one stdin's, stdout's or stderr's _lock
 * points to (_IO_stdfile_N_lock), or one fopen or fdopen made (libio/iofopen.c, iofdopen.c: struct
 * locked_FILE, the lock just after the stream's struct _IO_FILE_plus, its _lock pointing to it,
 * its _flags' high half _IO_MAGIC, libio/libio.h). 1 and *file (the stream's address), *owner (the
 * owner's tid where owner names a thread of this process, else 0: no owner recorded, as between
 * the lock's lll_lock and its store of the owner, or its unlock's clearing and lll_unlock); 0
 * otherwise. Called with the task list read (tid_alive). */
COLD_TEXT static int stdio_lock_wait(uintptr_t addr, uintptr_t *file, pid_t *owner)
{
	/* (libc's stdin, stdout, stderr variables found by name, not referenced: three dynamic
	 * symbols and relocations more would grow the pages every start reads, t040) */
	static const char names[3][8] = {"stdin", "stdout", "stderr"}; /* (no pointers: no relocations) */
	struct { int lock, cnt; uintptr_t owner; } lk;
	uintptr_t f = 0, fl = 0, std;
	unsigned flags = 0;
	for (int i = 0; i < 3 && !f; i++) {
		const uintptr_t *var = libc_function(names[i]);
		if (var && read_self((uintptr_t)var, &std, sizeof std) == 0 && std &&
		    read_self(std + offsetof(FILE, _lock), &fl, sizeof fl) == 0 && fl == addr)
			f = std;
	}
	if (!f && addr > sizeof(FILE) + sizeof(void *)) { /* (struct _IO_FILE_plus: the FILE, then its vtable) */
		uintptr_t c = addr - sizeof(FILE) - sizeof(void *);
		if (read_self(c + offsetof(FILE, _lock), &fl, sizeof fl) == 0 && fl == addr &&
		    read_self(c + offsetof(FILE, _flags), &flags, sizeof flags) == 0 && (flags & 0xffff0000u) == 0xfbad0000u)
			f = c;
	}
	if (!f || read_self(addr, &lk, sizeof lk) != 0)
		return 0;
	*file = f;
	*owner = lk.owner ? tid_of_pthread(lk.owner) : 0;
	if (*owner > 0 && !tid_alive(*owner))
		*owner = 0;
	return 1;
}

/* After t's hang_thread line, where t waits on the futex word addr: a hang_stdio line if it is a
 * stdio stream's lock (stdio_lock_wait). Returns 1 if it is. */
COLD_TEXT static int stdio_line(const struct task *t, uintptr_t addr)
{
	struct tline l;
	uintptr_t file;
	pid_t owner;
	if (!stdio_lock_wait(addr, &file, &owner))
		return 0;
	wd_begin(&l, "hang_stdio");
	tl_dec(&l, t->tid);
	tl_hex(&l, file);
	tl_holder(&l, owner);
	tl_end(&l);
	return 1;
}

/* A thread blocked in a file lock's wait (flock, or fcntl's F_SETLKW or F_OFD_SETLKW), on its
 * descriptor fd (its first argument, /proc's syscall line): a hang_filelock line with the file's
 * path (its /proc/self/fd link) and the lock's holder, the pid of the first lock /proc/locks lists
 * on that file (device and inode, fstat) of the wait's kind that is not itself a waiter ("->"):
 * FLOCK for flock, POSIX or OFDLCK for fcntl (Linux fs/locks.c lock_get_status: "N: FLOCK
 * ADVISORY WRITE PID MAJ:MIN:INODE START END", the device in hex, an OFD lock's pid -1: none
 * named), and its name (/proc/PID/comm; "" where not read). "-" where none is found (the list
 * longer than the buffer, a lock just released). Its buffer is the Python tracebacks'
 * (python_tracebacks runs after the threads' lines). */
static char pybuf[65536] COLD_BSS;

COLD_TEXT static void filelock_line(const struct task *t)
{
	struct stat st;
	struct tline l;
	char path[32], target[512], *p, *e;
	int fd = (int)t->args[0], flock = t->sys == SYS_flock, k0;
	long n, holder = 0;
	if (!flock && !(t->sys == SYS_fcntl && (t->args[1] == F_SETLKW || t->args[1] == F_OFD_SETLKW)))
		return;
	if (fd < 0 || sys2(SYS_fstat, fd, &st) != 0)
		return;
	for (k0 = 0; "/proc/self/fd/"[k0]; k0++)
		path[k0] = "/proc/self/fd/"[k0];
	path[k0 + fmt_dec(path + k0, fd)] = 0;
	n = sys4(SYS_readlinkat, AT_FDCWD, path, target, sizeof target - 1);
	target[n > 0 ? n : 0] = 0;
	if (proc_read("/proc/locks", pybuf, sizeof pybuf) > 0)
		for (p = pybuf; *p && !holder; p = *e ? e + 1 : e) {
			char *f[8];
			int k = 0;
			unsigned long maj, mnr, ino;
			for (e = p; *e && *e != '\n'; e++)
				;
			/* the fields: "1:", kind (or "->" then kind), ... */
			for (char *q = p; q < e && k < 8;) {
				while (q < e && *q == ' ')
					q++;
				if (q < e)
					f[k++] = q;
				while (q < e && *q != ' ')
					q++;
			}
			if (k < 6 || *f[1] == '-')
				continue;
			if (flock ? shim_strncmp(f[1], "FLOCK", 5) : (shim_strncmp(f[1], "POSIX", 5) && shim_strncmp(f[1], "OFDLCK", 6)))
				continue;
			const char *d = f[5], *pid = f[4];
			maj = parse_hex(&d);
			mnr = *d == ':' ? (d++, parse_hex(&d)) : ~0ul;
			ino = *d == ':' ? (d++, (unsigned long)parse_dec(&d)) : ~0ul;
			if (maj == major(st.st_dev) && mnr == minor(st.st_dev) && ino == st.st_ino)
				holder = *pid == '-' ? -1 : parse_dec(&pid);
		}
	char comm[64] = "";
	if (holder > 0) { /* (its name: /proc/PID/comm, its newline cut) */
		char cpath[40];
		for (k0 = 0; "/proc/"[k0]; k0++)
			cpath[k0] = "/proc/"[k0];
		k0 += (int)fmt_dec(cpath + k0, holder);
		for (int i = 0; i < 6; i++)
			cpath[k0 + i] = "/comm"[i];
		if (proc_read(cpath, comm, sizeof comm) > 0)
			for (char *c = comm; *c; c++)
				if (*c == '\n')
					*c = 0;
	}
	wd_begin(&l, "hang_filelock");
	tl_dec(&l, t->tid);
	tl_word(&l, flock ? "flock" : "fcntl");
	tl_dec(&l, fd);
	if (holder > 0)
		tl_dec(&l, holder);
	else
		tl_word(&l, "-");
	tl_str(&l, comm);
	tl_str(&l, target);
	tl_end(&l);
}

/* the hang_thread line of t (looked at by look_task): what it waits on and who holds it */
COLD_TEXT static void task_line(struct task *t, const char *comm, const char *wchan, char *buf)
{
	struct tline l;
	const char *waits = "-";
	uintptr_t addr = 0;
	long holder = 0;
	if (t->sys == -3 && t->signalable)
		syscall_from_context(t, wchan);
	if (t->sys == SYS_futex) {
		int op = (int)(t->args[1] & FUTEX_CMD_MASK), word = 0, owner = 0;
		uintptr_t file;
		pid_t stdio_owner;
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
				   owner > 0 && !stdio_lock_wait(addr, &file, &stdio_owner)) {
				/* (a stream's lock: its owner, 8 bytes on, is a pointer, which read as a
				 * mutex's __owner named a thread 1774655168: its hang_stdio line below) */
				unsigned kind = 0;
				if (read_self(addr + 16, &kind, sizeof kind) == 0 && kind < 0x1000) {
					waits = "mutex";
					holder = owner;
				}
			} else if (op == FUTEX_WAIT && ((unsigned)word & FUTEX_WAITERS) && (word & FUTEX_TID_MASK) &&
				   (unsigned)word == (unsigned)t->args[2] && read_self(addr + 8, &owner, sizeof owner) == 0 &&
				   owner == (word & FUTEX_TID_MASK)) {
				/* a robust mutex (glibc 2.36 nptl/pthread_mutex_lock.c, PTHREAD_MUTEX_ROBUST_*:
				 * __lock holds the owner's tid with FUTEX_WAITERS, which the waiter waits on,
				 * and __owner the same tid) */
				waits = "mutex";
				holder = owner;
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
	filelock_line(t);
	if (!shim_strcmp(waits, "futex")) { /* (py_lock_wait: nothing where no interpreter runs) */
		int op = (int)(t->args[1] & FUTEX_CMD_MASK);
		pylock_line(t, addr);
		/* (a stream's lock first: the words after a fopen'd one's may read as a rwlock's) */
		if ((op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) && !stdio_line(t, addr))
			rwlock_line(t, addr, (unsigned)t->args[2]);
	}
}

COLD_TEXT static void describe_task(struct task *t, int capsig)
{
	static char buf[4096] COLD_BSS;
	char comm[32], wchan[64];
	look_task(t, capsig, comm, wchan, buf, sizeof buf);
	task_line(t, comm, wchan, buf);
}

/* ---- struct pthread's tid, to tag Python's "Thread 0x..." blocks ---- */

static long tid_offset_plus1 COLD_BSS; /* 0: not found */

COLD_TEXT static void find_tid_offset(pid_t self)
{
	static pid_t a[1024] COLD_BSS, b[1024] COLD_BSS; /* each struct pthread's first 4 KiB, read at once */
	long na, nb;
	if (pthread_equal(pthread_self(), wd_creator))
		return;
	/* (a read that crosses into unmapped memory stops there: the words before it count) */
	na = self_read((uintptr_t)pthread_self(), a, sizeof a);
	nb = self_read((uintptr_t)wd_creator, b, sizeof b);
	for (long i = 0; i < na / 4 && i < nb / 4; i++)
		if (a[i] == self && b[i] == wd_creator_tid) {
			tid_offset_plus1 = i * 4 + 1;
			return;
		}
}

COLD_TEXT static pid_t tid_of_pthread(uintptr_t pt)
{
	pid_t tid = 0;
	if (!tid_offset_plus1) { /* (the handler watcher's snapshot: the offset glibc publishes for libthread_db) */
		const uint32_t *d = libc_function("_thread_db_pthread_tid");
		if (d && d[0] == 32 && d[1] == 1 && d[2] < 4096)
			tid_offset_plus1 = (long)d[2] + 1;
	}
	if (!tid_offset_plus1 || read_self(pt + (uintptr_t)(tid_offset_plus1 - 1), &tid, sizeof tid))
		return 0;
	return tid;
}

/* ---- Python tracebacks ---- */

COLD_TEXT static void python_tracebacks(void)
{
	int fds[2], hi[2] = {-1, -1};
	long n, got = 0;
	pid_t cur = 0;
	struct py_qual q = {0, 0, 0}; /* (3.11: the frames' qualified names) */
	char *line, *end;
	const char *interp = "main";
	static char qline[768] COLD_BSS;
	if (shim_syscall(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return;
	/* out of the program's low descriptor numbers, as the trace is */
	for (int i = 0; i < 2; i++) {
		hi[i] = (int)shim_syscall(SYS_fcntl, fds[i], F_DUPFD_CLOEXEC, 1000);
		shim_syscall(SYS_close, fds[i]);
	}
	if (hi[0] < 0 || hi[1] < 0)
		goto out;
	shim_syscall(SYS_fcntl, hi[1], F_SETPIPE_SZ, (long)sizeof pybuf);
	if (py_dump_interpreters(hi[1]) <= 0)
		goto out;
	shim_syscall(SYS_close, hi[1]);
	hi[1] = -1;
	while (got < (long)sizeof pybuf - 1 && (n = shim_syscall(SYS_read, hi[0], pybuf + got, sizeof pybuf - 1 - got)) > 0)
		got += n;
	pybuf[got] = 0;
	for (line = pybuf; *line; line = end) {
		struct tline l;
		const char *p;
		end = shim_strchr(line, '\n');
		if (!end)
			end = line + shim_strlen(line);
		else
			*end++ = 0;
		if (!*line)
			continue;
		if (line[0] == '\001') { /* which interpreter the next lines are about (python.c) */
			interp = line + 1;
			continue;
		}
		if ((p = shim_strstr(line, "hread 0x")) && (line[0] == 'T' || line[0] == 'C')) {
			p += 6;
			cur = tid_of_pthread(parse_hex(&p));
		}
		wd_begin(&l, "hang_py");
		tl_dec(&l, cur);
		tl_str(&l, py_line_qualified(&q, line, qline, sizeof qline));
		if (line[0] != ' ') /* a thread's header: its interpreter */
			tl_word(&l, interp[0] == 'm' ? "main" : interp + 4);
		tl_end(&l);
	}
out:
	for (int i = 0; i < 2; i++)
		if (hi[i] >= 0)
			shim_syscall(SYS_close, hi[i]);
}

/* The code at ip follows a call instruction: a return address (the 5-byte call rel32, or an
 * indirect call ff /2 of 2 to 7 bytes), read through process_vm_readv (never faults). */
COLD_TEXT static int after_call(uintptr_t ip)
{
	unsigned char b[8];
	if (ip < 8 || read_self(ip - 8, b, sizeof b) != 0)
		return 0;
	if (b[3] == 0xe8)
		return 1;
	for (int len = 2; len <= 7; len++) /* ff with modrm reg field 2, ending at ip */
		if (b[8 - len] == 0xff && ((b[9 - len] >> 3) & 7) == 2)
			return 1;
	return 0;
}

/* ip lies in an executable segment of a known module */
COLD_TEXT static int in_code(uintptr_t ip)
{
	const struct module *m = module_of(ip);
	if (!m || !m->phdr)
		return 0;
	for (int i = 0; i < m->phnum; i++) {
		const ElfW(Phdr) *ph = &m->phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && ip >= m->base + ph->p_vaddr && ip < m->base + ph->p_vaddr + ph->p_memsz)
			return 1;
	}
	return 0;
}

/* Up to max return addresses (words that point into a module's code just after a call
 * instruction) on the stack from sp up, at most 128 KiB (select.select keeps 48 KiB of arrays on the stack), into ips from n; returns the new count. A
 * word that is the signal restorer begins a signal frame (the kernel's rt_sigframe: the restorer,
 * then a ucontext): its interrupted pc is taken and the scan goes on from its stack pointer, on
 * the stack the handler interrupted (the handler may run on an alternate one). */
COLD_TEXT static int scan_stack(uintptr_t sp, uintptr_t *ips, int n, int max, int depth)
{
	static uintptr_t words[512] COLD_BSS;
	for (uintptr_t at = sp & ~(uintptr_t)7, end = at + (128 << 10); at && at < end && n < max; at += sizeof words) {
		size_t got = 512;
		if (read_self(at, words, sizeof words) != 0) { /* the stack's top is nearer: word by word */
			for (got = 0; got < 512 && read_self(at + got * 8, &words[got], 8) == 0;)
				got++;
			end = at; /* (this block is the last) */
		}
		for (size_t k = 0; k < got && n < max; k++) {
			if (words[k] && words[k] == hw.restorer && depth < 4) {
				const uintptr_t uc = at + k * 8 + 8;
				greg_t rip = 0, rsp = 0;
				/* (a stale copy of the restorer's address in a frame, left by a sigaction
				 * call, is no signal frame: its "context" holds no code address) */
				if (read_self(uc + offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]), &rip, sizeof rip) == 0 &&
				    read_self(uc + offsetof(ucontext_t, uc_mcontext.gregs[REG_RSP]), &rsp, sizeof rsp) == 0 && rsp &&
				    in_code((uintptr_t)rip)) {
					ips[n++] = (uintptr_t)rip;
					return scan_stack((uintptr_t)rsp, ips, n, max, depth + 1);
				}
			}
			if (words[k] > 4096 && in_code(words[k]) && after_call(words[k]))
				ips[n++] = words[k];
		}
	}
	return n;
}

/* Thread tid's frames seen from outside, for a thread no signal may interrupt: the instruction
 * pointer /proc/self/task/TID/syscall gives (a thread blocked in a call), then the return
 * addresses scan_stack finds from its stack pointer. Returns the number of frames in ips. */
/* Thread tid's system call number (-1: none, blocked in user space), stack pointer and pc from
 * /proc/self/task/TID/syscall ("NR a0 .. a5 SP PC", or "-1 SP PC"); -1 if not readable or running */
COLD_TEXT static int task_syscall_sp(pid_t tid, long *nr, uintptr_t *sp, uintptr_t *pc)
{
	static char buf[256] COLD_BSS;
	char path[64];
	const char *s = buf;
	task_path(path, tid, "syscall");
	if (proc_read(path, buf, sizeof buf) <= 0 || !shim_strncmp(buf, "running", 7))
		return -1;
	if ((*nr = parse_dec(&s)) >= 0)
		for (int i = 0; i < 6; i++)
			parse_hex(&s);
	*sp = parse_hex(&s);
	*pc = parse_hex(&s);
	return 0;
}

COLD_TEXT static int scan_task(pid_t tid, uintptr_t *ips, int max)
{
	uintptr_t sp, pc;
	long nr;
	int n = 0;
	if (task_syscall_sp(tid, &nr, &sp, &pc) != 0)
		return 0;
	if (pc && in_code(pc))
		ips[n++] = pc;
	return sp ? scan_stack(sp, ips, n, max, 0) : n;
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
	} else if (t->state == 'S' && t->sys >= 0 && (n = scan_task(t->tid, ips, 32)) > 0) {
		how = "scan"; /* (asleep in a call a signal would cut short, or it blocks the signal) */
	}
	wd_begin(&l, "hang_bt");
	tl_dec(&l, t->tid);
	tl_word(&l, n > 0 || t->signalable ? how : t->not_why);
	tl_frames(&l, ips, n);
	tl_end(&l);
}

/* ---- the watchdog thread ---- */

/* the thread taking the snapshot when that is the hung one (the handler watcher's signal, below):
 * how it stood before the signal, and the signal's context; uc NULL otherwise */
static struct {
	struct task t;
	char comm[32], wchan[64];
	void *uc;
	int raw;          /* the snapshot is the handler watcher's own (no context: /proc only) */
} self_seen COLD_BSS;

/* self_seen's thread: its hang_thread line, with the system call from its registers when /proc
 * did not give it (a restarted call shows its number in rax, at the syscall instruction) */
COLD_TEXT static void self_line(void)
{
	static char buf[1024] COLD_BSS;
	const greg_t *r = ((ucontext_t *)self_seen.uc)->uc_mcontext.gregs;
	struct task *t = &self_seen.t;
	if (t->sys == -3 && (long)r[REG_RAX] >= 0) {
		t->sys = (long)r[REG_RAX];
		t->args[0] = (uintptr_t)r[REG_RDI], t->args[1] = (uintptr_t)r[REG_RSI], t->args[2] = (uintptr_t)r[REG_RDX];
		t->args[3] = (uintptr_t)r[REG_R10], t->args[4] = (uintptr_t)r[REG_R8], t->args[5] = (uintptr_t)r[REG_R9];
	}
	t->signalable = 0; /* (nothing to take: its context is at hand) */
	task_line(t, self_seen.comm, self_seen.wchan, buf);
}

/* self_seen's thread: its native backtrace from the signal's context (on a shim stack) */
COLD_TEXT static void self_unwind(void *unused)
{
	(void)unused;
	cap.n = unwind_from_signal(self_seen.uc, cap.ips, 64, &cap.how);
}

COLD_TEXT static void self_backtrace(void)
{
	struct tline l;
	cap.n = 0;
	cap.how = "nostack";
	shim_stack_run(self_unwind, NULL);
	wd_begin(&l, "hang_bt");
	tl_dec(&l, self_seen.t.tid);
	tl_word(&l, cap.how);
	tl_frames(&l, cap.ips, cap.n);
	tl_end(&l);
}

/* self_seen's thread seen from outside (the handler watcher could not signal it): its
 * hang_thread line from /proc, then its frames: the instruction pointer /proc gives, then the
 * return addresses found on its stack (scan_stack). A scan, not an unwind: a stale return address
 * left in a frame's unused slots shows too; the line says `scan`. */
COLD_TEXT static void raw_self_line(void)
{
	static char buf[1024] COLD_BSS;
	self_seen.t.signalable = 0;
	task_line(&self_seen.t, self_seen.comm, self_seen.wchan, buf);
}

COLD_TEXT static void raw_self_backtrace(void)
{
	uintptr_t ips[64];
	struct tline l;
	int n = scan_task(self_seen.t.tid, ips, 32);
	wd_begin(&l, "hang_bt");
	tl_dec(&l, self_seen.t.tid);
	tl_word(&l, n ? "scan" : self_seen.t.not_why);
	tl_frames(&l, ips, n);
	tl_end(&l);
}

/* Thread tid's stack pointer for python.c: from the watcher's signal's context where the
 * snapshot runs on that thread, else from /proc (blocked in a call); 0 while it runs */
COLD_TEXT static uintptr_t snapshot_sp(pid_t tid)
{
	uintptr_t sp = 0, pc;
	long nr;
	if (self_seen.uc && self_seen.t.tid == tid)
		return (uintptr_t)((ucontext_t *)self_seen.uc)->uc_mcontext.gregs[REG_RSP];
	return task_syscall_sp(tid, &nr, &sp, &pc) == 0 ? sp : 0;
}

/* After the Python tracebacks: which frame of the main thread's is the Python signal handler it
 * runs (python.c py_handler_frame; 3.11), a hang_pyhandler line, none where that is not known */
COLD_TEXT static void python_handler_line(void)
{
	pid_t pid = trace_pid_get();
	int place, nframes = 0;
	struct tline l;
	if ((place = py_handler_frame(pid, snapshot_sp, &nframes)) < 0)
		return;
	wd_begin(&l, "hang_pyhandler");
	tl_dec(&l, pid);
	tl_dec(&l, place);
	tl_dec(&l, nframes);
	tl_end(&l);
}


/* the hang_arm line, once */
COLD_TEXT static void arm_line(void)
{
	struct tline l;
	wd_begin(&l, "hang_arm");
	tl_word(&l, wd_why);
	tl_dec(&l, cfg.hang_ms);
	tl_end(&l);
	wd_arm_written = 1;
}

COLD_TEXT static void snapshot(int round, pid_t self)
{
	struct tline l;
	if (!wd_arm_written && wd_why && !shim_strcmp(wd_why, "py_after_handler"))
		arm_line(); /* (a sleep reaction's: wd_sleep_watch_end) */
	if (snap_kill_sig) { /* kill_snap SIG MS WHY TID (MS -1: the shim did not see the teardown begin) */
		wd_begin(&l, "kill_snap");
		tl_dec(&l, snap_kill_sig);
		tl_dec(&l, snap_kill_began ? (long long)((now_ns() - wd_start_ns) / 1000000) : -1);
	} else {
		wd_begin(&l, "hang");
		tl_dec(&l, round);
		tl_dec(&l, (long long)((now_ns() - wd_start_ns) / 1000000));
	}
	tl_word(&l, wd_why);
	tl_dec(&l, wd_creator_tid);
	tl_end(&l);
	list_tasks(self);
	if (!py_gil(&gil_at, &gil_holder))
		gil_at = 0;
	capsig = choose_capsig();
	if (self_seen.uc)
		self_line();
	else if (self_seen.raw)
		raw_self_line();
	for (int i = 0; i < ntasks; i++)
		describe_task(&tasks[i], capsig);
	python_tracebacks();
	python_handler_line();
	/* (dl_iterate_phdr takes the loader's lock: not from the watcher, nor at a kill, where a
	 * thread that hung holding it would keep the process from dying of its signal) */
	if (!self_seen.raw && !snap_kill_sig)
		modules_sync();
	if (self_seen.uc)
		self_backtrace();
	else if (self_seen.raw)
		raw_self_backtrace();
	for (int i = 0; i < ntasks; i++)
		backtrace_of(&tasks[i]);
	release_capsig();
	wd_begin(&l, snap_kill_sig ? "kill_snap_end" : "hang_end");
	tl_dec(&l, snap_kill_sig ? snap_kill_sig : round);
	tl_end(&l);
}

/* ms into teardown after which held begin lines are written (at most half TLSTRACE_HANG_MS) */
#define HELD_AFTER_MS 100u

/* 1 asks the watchdog's thread to end (watchdog_park); a futex word, its sleeps wait on it */
static atomic_int wd_park EXIT_BSS;
static int wd_held_done EXIT_BSS;   /* the held begin lines went out (trace_held_touch) */
static int wd_rounds_done EXIT_BSS; /* snapshot rounds written: a thread made again goes on after them */

/* Sleeps until at (CLOCK_MONOTONIC, ns) or until the thread is asked to end: 1 then. A futex
 * wait with an absolute timeout (FUTEX_WAIT_BITSET measures CLOCK_MONOTONIC: glibc's own timed
 * waits, sem_clockwait and pthread_cond_clockwait, make the same call, so a seccomp filter that
 * lets a threaded program run lets it through). */
COLD_TEXT static int wd_sleep_until(uint64_t at)
{
	struct timespec ts = {(time_t)(at / 1000000000u), (long)(at % 1000000000u)};
	while (!atomic_load(&wd_park)) {
		if (shim_syscall(SYS_futex, &wd_park, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &ts, NULL,
				 FUTEX_BITSET_MATCH_ANY) != 0 &&
		    errno == ETIMEDOUT)
			break;
	}
	return atomic_load(&wd_park);
}

COLD_TEXT static void *watchdog_main(void *unused)
{
	pid_t self = (pid_t)shim_syscall(SYS_gettid);
	(void)unused;
	ts.in_shim = 1; /* whatever this thread calls passes through the wrappers */
	atomic_store(&wd_thread_tid, self); /* (a snapshot at a kill leaves it out) */
	/* nothing before the first deadline: most teardowns end before it, and the exiting
	 * thread must not share the CPU with this one meanwhile */
	if (!wd_held_done) {
		if (wd_sleep_until(wd_start_ns + ((unsigned)cfg.hang_ms < 2 * HELD_AFTER_MS ? (uint64_t)cfg.hang_ms / 2 : HELD_AFTER_MS) * 1000000u))
			return NULL;
		/* a teardown this long: the begin lines held back (trace.c) go out, so that a process
		 * killed now by a signal the shim cannot see (SIGKILL) still shows where it stood */
		trace_held_touch();
		wd_held_done = 1;
	}
	for (int round = wd_rounds_done + 1; round <= 3; round++) {
		uint64_t at = wd_start_ns + (uint64_t)cfg.hang_ms * 1000000u * (round == 3 ? 4u : (unsigned)round);
		if (wd_sleep_until(at))
			return NULL;
		if (round == 1)
			find_tid_offset(self);
		/* a handler watcher's snapshot still being written (it was stopped as this began) */
		for (int i = 0; i < 200 && !atomic_compare_exchange_strong(&wd_snapping, &(int){0}, 1); i++)
			if (wd_sleep_until(now_ns() + 10000000u))
				return NULL;
		/* a Python reaction's watch: only while the main thread still waits */
		if (!atomic_load(&wd_py_watch) || atomic_load(&wd_py_waiting))
			snapshot(round, self);
		wd_rounds_done = round;
		atomic_store(&wd_snapping, 0);
	}
	return NULL;
}

/* the latest arrival at a program's handler: signal_keep() (shim.h) */
#define wd_arrival_ns (signal_keep()->arrival_ns)
#define wd_arrival_pid (signal_keep()->arrival_pid)
#define wd_arrival_tid (signal_keep()->arrival_tid)

/* The program put in a seccomp filter of its own (prctl or syscall(SYS_seccomp) through libc:
 * trace_sandboxed, sandbox.c; or a filter's errno refused the clock's system call). Its filter
 * was made for the program's own system calls, and a thread of the shim's makes others: the hang
 * watchdog's pthread_create (getuid and prlimit64 for nproc_room, rt_sigaction and rt_sigprocmask
 * for glibc's SIGCANCEL, mmap, mprotect, clone3, set_robust_list, rseq; madvise and munmap at its
 * end), the handler watcher's rt_sigaction, getuid, prlimit64, clone and futex. An allowlist with
 * a SECCOMP_RET_KILL default (OpenSSH's preauth sandbox kind) killed such a program by SIGSYS at
 * its exit, or at a SIGTERM its handler would have survived (HOSTILE15, t409). So neither thread
 * is made in such a process: a hang there is not snapshotted (the trace says so once). A filter
 * inherited across exec (systemd's, a container's) is not this: those allow thread creation.
 * No system call; async-signal-safe */
static int wd_sandbox_noted EXIT_BSS;
static inline int wd_sandboxed(void) { return atomic_load_explicit(&trace_sandboxed_flag, memory_order_relaxed); }

/* 1 if the calling thread is inside the handler of the termination signal that arrived on it:
 * it is that arrival's thread, and SIGTERM, SIGINT or SIGQUIT is blocked in its mask now (the
 * kernel blocks the signal while its handler runs, unless SA_NODEFER; the mask comes back when the
 * handler returns). A handler that only set a flag has returned by the time main calls exit. */
EXIT_TEXT static int in_arrival_handler(void)
{
	uint64_t blocked = 0, term = 1ull << (SIGTERM - 1) | 1ull << (SIGINT - 1) | 1ull << (SIGQUIT - 1);
	if (atomic_load(&wd_arrival_tid) != shim_gettid())
		return 0;
	/* (under the program's own seccomp filter no system call it may not allow: the count of its
	 * termination handlers running here, which a siglongjmp out of one leaves counted) */
	if (wd_sandboxed())
		return ts.term_handlers > 0;
	/* the raw call: the program's view of the mask, not the shim's wrapper */
	if (shim_syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blocked, sizeof blocked) != 0)
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
		if ((uintptr_t)p + shim_strlen(s) / 2 > end)
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
	if (where && !shim_strcmp(where, "dl_fini") && (shim_dl_iterate(module_fini_runs_code, &runs), !runs))
		return;
	if (where && !shim_strcmp(where, "exit_done") && !stdio_pending())
		return;
	if (atomic_compare_exchange_strong(&wd_deferred, &one, 0))
		wd_start_thread();
}

/* Teardown began here with nothing that may hang yet (see above) */
EXIT_TEXT static int teardown_quiet(const char *why)
{
	char py = py_state();
	return (!shim_strcmp(why, "exit") || !shim_strcmp(why, "main_return")) && exitfns_main_seen() && !wd_forked &&
	       !threads_live_count() && (py == PY_NONE || py == PY_NOTINIT || py == PY_DEAD);
}

COLD_TEXT static int watchdog_park(int any);
COLD_TEXT static int wd_task_alive(pid_t tid);
static int wd_remaking EXIT_BSS;    /* the thread ended for a call of the program's (watchdog_park) and is made again */

/* A sleep reaction's watch (why py_after_handler: watchdog_py_handler_blocks) that has written
 * nothing yet (its hang_arm line is written with its first snapshot), and now a teardown step
 * begins: the wait that began it was the program's loop going on after the handler (a gunicorn
 * worker's 15 s select, left at once), not a wait of its reaction. Its thread ends, and nothing
 * of it stays: the teardown's own watch begins as if it had not been (its hang_arm line, its
 * time). Where the thread cannot be ended (watchdog_park: a seccomp filter, or one still running
 * after 1 s), the watch goes on as a Python reaction's, counted from the arrival. The caller is
 * inside the shim. */
COLD_TEXT static void wd_sleep_watch_end(void)
{
	if (!watchdog_park(1) || wd_task_alive(atomic_load(&wd_thread_tid)))
		return;
	atomic_store(&wd_thread_tid, 0);
	__atomic_store_n(&wd_thread_pt, 0, __ATOMIC_RELEASE);
	wd_held_done = wd_rounds_done = wd_remaking = 0;
	atomic_store(&wd_py_watch, 0);
	atomic_store(&wd_py_waiting, 0);
	atomic_store(&wd_park, 0);
	atomic_store(&wd_armed, 0);
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
	if (atomic_load_explicit(&hw_made, memory_order_relaxed))
		hw_stop(); /* a handler watcher's watch ends: this watchdog counts from the same arrival */
	if (atomic_load(&wd_py_watch) && !wd_arm_written && wd_why && !shim_strcmp(wd_why, "py_after_handler"))
		wd_sleep_watch_end(); /* (a teardown's own watch from here, when it could end) */
	if (atomic_load(&wd_py_watch))
		atomic_store(&wd_py_watch, 0); /* (a Python reaction's watchdog: from now on every round) */
	if (atomic_load_explicit(&wd_armed, memory_order_relaxed) || !atomic_compare_exchange_strong(&wd_armed, &expected, 1)) {
		watchdog_may_hang(NULL); /* a later beginning (Py_Finalize from a handler) runs code */
		return;
	}
	wd_start_ns = teardown_start(&why);
	wd_why = why;
	wd_creator = pthread_self();
	wd_creator_tid = shim_gettid();
	/* seen on the stack, Py_FinalizeEx is running: the state the interposed call would show */
	wd_py_fin = !shim_strcmp(why, "py_fin_stack");
	if (teardown_quiet(why))
		atomic_store(&wd_deferred, 1);
	else
		wd_start_thread();
}

/* Tasks the user may have left beyond the watchdog's thread (or the handler watcher's) before
 * the program's next fork or thread fails for it: RLIMIT_NPROC counts every task of the real
 * user (threads too; not for uid 0, which the kernel exempts, kernel/fork.c copy_process). An
 * atexit handler, or a SIGHUP handler, that forks with one task to spare got EAGAIN once the
 * shim's thread took it (ATK10's `chld nproc 2`, t332). The user's count is not read cheaply;
 * the system's (/proc/loadavg's fourth field, "running/total") bounds it. 1 if there is room
 * for the thread and NPROC_SPARE more. Raw system calls only: async-signal-safe. */
#define NPROC_SPARE 64
COLD_TEXT static int nproc_room(void)
{
	struct rlimit rl;
	char buf[128], *p;
	unsigned long total = 0;
	if (sys0(SYS_getuid) == 0 || sys4(SYS_prlimit64, 0, RLIMIT_NPROC, 0, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY)
		return 1;
	if (proc_read("/proc/loadavg", buf, sizeof buf) <= 0 || !(p = shim_strchr(buf, '/')))
		return 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		total = total * 10 + (unsigned long)(*p - '0');
	return total + 1 + NPROC_SPARE <= rl.rlim_cur;
}


/* the hang_arm line (once) and the thread */
COLD_TEXT static void wd_start_thread(void)
{
	pthread_attr_t a;
	sigset_t all;
	/* a sanitizer's leak check stops every thread at exit with ptrace and reads their stacks: a
	 * thread it did not see start breaks it (LeakSanitizer's tracer faults) */
	if (next_definition("__lsan_do_leak_check") || next_definition("__asan_init") || next_definition("__tsan_init"))
		return;
	if (wd_sandboxed() && filter_watchdog_refused()) {
		if (!wd_sandbox_noted)
			filter_watchdog_note();
		wd_sandbox_noted = 1;
		return;
	}
	if (!nproc_room()) {
		trace_note("hang watchdog not started", "RLIMIT_NPROC"); /* (its thread: a task the program may need) */
		return;
	}
	/* (a sleep reaction's line: with its first snapshot, wd_sleep_watch_end) */
	if (!wd_arm_written && shim_strcmp(wd_why, "py_after_handler"))
		arm_line();
	if (pthread_attr_init(&a) != 0)
		return;
	sigfillset(&all);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 256 << 10);
	pthread_attr_setsigmask_np(&a, &all);
	int rc = REAL(pthread_create)(&wd_thread_pt, &a, watchdog_main, NULL);
	if (rc != 0) {
		__atomic_store_n(&wd_thread_pt, 0, __ATOMIC_RELEASE);
		if (rc != EAGAIN && !wd_remaking) {
			trace_note("hang watchdog not started", "pthread_create failed");
		} else {
			/* (no task for it under a task limit: ended to give a fork its task, whose task
			 * is still taken, or a first start while a child of the program's holds the
			 * last one (python3's subprocess.run in an atexit callback, FRESH14): made
			 * again at the program's next step that may hang, a reap of a child among
			 * them; said once) */
			if (wd_remaking != 2)
				trace_note("hang watchdog paused", "no task for its thread yet (a task limit): made again at the next step that may hang");
			wd_remaking = 2;
			atomic_store(&wd_deferred, 1);
		}
	} else {
		wd_thread_known();
	}
	pthread_attr_destroy(&a);
}

/* ---- calls that need a single-threaded process ----
 * Linux refuses some calls in a process of more than one thread: unshare of CLONE_NEWUSER (it
 * implies CLONE_THREAD), CLONE_THREAD, CLONE_SIGHAND or CLONE_VM (kernel/fork.c ksys_unshare,
 * check_unshare_flags: EINVAL); setns into a user namespace (kernel/user_namespace.c
 * userns_install: EINVAL), into a mount namespace while the fs_struct is shared, as threads
 * share it (fs/namespace.c mntns_install: EINVAL), into a time namespace (kernel/time/
 * namespace.c timens_install: EUSERS). A program with no thread of its own that makes one of
 * them in its teardown (an atexit handler, a destructor) would fail for the watchdog's thread
 * alone: namespaces.c ends the thread before the call and makes it again after. The rounds it
 * had written stay written; the next thread sleeps until the next deadline, counted from the
 * same start. */

/* 1 if the tid is a thread of this process still (a thread's exit clears the tid glibc's
 * pthread_join waits on in mm_release, before the kernel takes it out of the thread group in
 * release_task: only then does ESRCH come) */
COLD_TEXT static int wd_task_alive(pid_t tid) { return tid && sys3(SYS_tgkill, sys0(SYS_getpid), tid, 0) == 0; }

/* until tid is out of the thread group (wd_task_alive), or until (CLOCK_MONOTONIC ns), in steps
 * of 50 us. The caller checks seccomp_filtered first (tgkill) */
COLD_TEXT static void wd_until_gone(pid_t tid, uint64_t until)
{
	while (wd_task_alive(tid) && now_ns() < until) {
		struct timespec ts = {0, 50000};
		sys2(SYS_nanosleep, &ts, NULL);
	}
}

/* Ends the watchdog's thread, if it runs and (unless any) the shim knows of no other thread of the
 * program's (with one, a call that needs a single thread fails anyway): asks it to end and waits until it is out of the thread group,
 * at most 1 s (a snapshot being written ends first). 1 if it was asked: the caller then calls
 * watchdog_unpark after its call. Not under a seccomp filter (tgkill: a call a filter may
 * forbid): 0 there. The caller is inside the shim (shim_enter); errno is kept. */
COLD_TEXT static int watchdog_park(int any)
{
	uint64_t until;
	pid_t tid;
	int saved = errno;
	if (!atomic_load(&wd_armed) || atomic_load(&wd_deferred) || (!any && threads_live_count()) || seccomp_filtered() ||
	    !wd_task_alive(tid = wd_thread_known()))
		return 0;
	atomic_store(&wd_park, 1);
	sys3(SYS_futex, &wd_park, FUTEX_WAKE_PRIVATE, 1);
	until = now_ns() + 1000000000u;
	wd_until_gone(tid, until);
	errno = saved;
	return 1;
}

/* After the call watchdog_park allowed: the thread again, if rounds are left and the old one
 * has ended (one that has not, still writing a snapshot after 1 s, ends with no successor);
 * later: not now but at the next code that may hang (watchdog_may_hang; a blocking call of
 * Python's: watchdog_resume_deferred). The caller is inside the shim; errno is kept. */
COLD_TEXT static void watchdog_unpark(int later)
{
	int saved = errno;
	if (wd_task_alive(atomic_load(&wd_thread_tid)))
		return;
	atomic_store(&wd_thread_tid, 0);
	__atomic_store_n(&wd_thread_pt, 0, __ATOMIC_RELEASE);
	atomic_store(&wd_park, 0);
	if (!wd_remaking)
		wd_remaking = 1;
	if (wd_rounds_done < 3) {
		if (later)
			atomic_store(&wd_deferred, 1);
		else
			wd_start_thread();
	}
	errno = saved;
}

/* A blocking call in a teardown whose thread is to be made at the next code that may hang
 * (python.c's waits), or a child reaped (signals.c: its task is free again, for a thread that
 * ended to give a fork its task under a task limit): now. errno is kept. */
EXIT_TEXT void watchdog_resume_deferred(void)
{
	int saved = errno;
	if (atomic_load(&wd_deferred) && shim_enter()) {
		watchdog_may_hang(NULL);
		shim_leave();
	}
	errno = saved;
}

/* CPython 3.12+'s os.fork warns "This process (pid=N) is multi-threaded, use of fork() may lead
 * to deadlocks in the child" (a DeprecationWarning on stderr) when /proc/self/stat counts more
 * than one thread right after the fork, in the parent (Modules/posixmodule.c
 * warn_about_fork_with_threads). A python3 whose atexit callback forks after the watchdog began
 * must not be told of the shim's thread: in a process with an interpreter, the thread ends
 * before the fork and is made again at the parent's next blocking call (the child has none). */
COLD_TEXT static void wd_park_for_fork(void)
{
	if (watchdog_aside(0))
		watchdog_back(1);
}

/* Around a call of the program's that the watchdog's thread would make fail, from outside the
 * shim: aside ends the thread (watchdog_park: any, even where the program has threads of its
 * own), 1 if it did; then, after the call, back makes it again (watchdog_unpark: later, at the
 * next step that may hang). Used for the calls Linux refuses in a process of more than one
 * thread (namespaces.c: any 0, later 0), before a fork in Python (wd_park_for_fork), and for a
 * fork, thread creation or system() that failed with EAGAIN, a task limit (RLIMIT_NPROC, a
 * cgroup's pids.max, kernel.threads-max) the thread may have taken the last task of (nproc_room
 * foresees only the first, and only for users other than root): any 1, the call made again,
 * back in the parent only (not in a fork child), later where Python runs (as after
 * wd_park_for_fork); with still no room, the thread waits for the next step that may hang and
 * the trace says so ("hang watchdog paused"). errno is kept. */
static int wd_aside_parked EXIT_BSS; /* watchdog_aside parked the thread: watchdog_back makes it again */

COLD_TEXT int watchdog_aside(int any)
{
	int parked = 0;
	if (atomic_load(&wd_armed) && shim_enter()) {
		parked = wd_aside_parked = watchdog_park(any);
		shim_leave();
	}
	/* the handler watcher's thread (made at a termination signal's arrival at a C handler, for
	 * the handler's snapshots) is a task and a thread too: for a call that lacked a task (any:
	 * a fork, vfork, popen or system() in a SIGTERM handler under a cgroup's pids.max,
	 * FRESH14) or one Linux refuses with another thread (unshare, setns: where the program has
	 * none of its own), it ends, and its watch of that handler with it (a note says so); not
	 * made again */
	if (atomic_load(&hw.live) && (any || !threads_live_count()) && shim_enter()) {
		hw_stop();
		trace_note("handler watcher ended", any ? "a call of the handler's lacked a task (a task limit): no snapshot of the handler"
							: "a call of the handler's needs a process of one thread: no snapshot of the handler");
		shim_leave();
		parked = 1;
	}
	return parked;
}

COLD_TEXT void watchdog_back(int later)
{
	if (wd_aside_parked && shim_enter()) {
		wd_aside_parked = 0;
		watchdog_unpark(later);
		shim_leave();
	}
}

EXIT_TEXT int watchdog_armed(void) { return atomic_load_explicit(&wd_armed, memory_order_relaxed); }

/* a forked child begins without the watchdog thread */
void watchdog_after_fork_child(void)
{
	if (atomic_load_explicit(&wd_armed, memory_order_relaxed)) {
		atomic_store(&wd_armed, 0);
		/* (the parent's teardown's rounds and hang_arm line, not the child's; a park the
		 * parent's fork_with_room made) */
		atomic_store(&wd_park, 0);
		wd_held_done = wd_rounds_done = wd_arm_written = wd_remaking = 0;
	}
	wd_aside_parked = 0;
	atomic_store(&wd_deferred, 0);
	if (atomic_load_explicit(&wd_thread_tid, memory_order_relaxed))
		atomic_store(&wd_thread_tid, 0); /* (the parent's thread: its tid may be one of the child's) */
	if (wd_thread_pt)
		wd_thread_pt = 0;
	wd_forked = 1;
	/* (a record another thread published is of a thread the child has not; this thread's own
	 * stays in hw_put_off, made here at its next point) */
	if (atomic_load_explicit(&hw_pending, memory_order_relaxed))
		atomic_store(&hw_pending, 0);
	if (atomic_load_explicit(&hw.making, memory_order_relaxed))
		atomic_store(&hw.making, 0); /* (another thread was making one as this one forked) */
	if (atomic_load_explicit(&hw_made, memory_order_relaxed))
		hw_after_fork_child();
}


COLD_TEXT int watchdog_py_arrival_pending(void)
{
	uint64_t a = atomic_load(&wd_arrival_ns), now;
	if (!atomic_load(&wd_arrival_py) || atomic_load(&wd_arrival_pid) != trace_pid_get() || cfg.hang_ms <= 0)
		return 0;
	now = now_ns();
	if (now < a || now - a >= (uint64_t)cfg.hang_ms * 1000000u) {
		atomic_store(&wd_arrival_py, 0); /* too late to be the reaction to it */
		return 0;
	}
	return 1;
}


EXIT_TEXT int watchdog_py_wait_begin(void)
{
	if (!atomic_load(&wd_py_watch))
		return 0;
	atomic_store(&wd_py_waiting, 1);
	return 1;
}

EXIT_TEXT void watchdog_py_wait_end(void) { atomic_store(&wd_py_waiting, 0); }

/* The main thread blocks in a lock's wait (python.c), or (sleep) in a sleep, a poll or a timed
 * wait whose timeout is 4 x TLSTRACE_HANG_MS or more (sleeps.c: a gunicorn worker's worker_exit
 * hook after its SIGTERM, HANG15; why py_after_handler, in_handler not asked: a word scan of the
 * stack for the code that runs Python's handlers finds its stale return addresses there, as a
 * select that handler interrupted is retried) less than TLSTRACE_HANG_MS after a
 * termination signal arrived at Python's C-level handler: the Python handler runs in normal
 * context, after the C-level one returned, so the watchdog's thread can be made here; it counts
 * from the arrival (why "handler", as the handler watcher's) and snapshots while the main thread
 * still waits. in_handler: the wait is inside the Python handler (its caller in the interpreter
 * seen on the stack; not where python3 calls it from its eval loop's cold code). The caller is
 * inside the shim. */
COLD_TEXT int watchdog_py_handler_blocks(int in_handler, int sleep)
{
	int expected = 0;
	atomic_store(&wd_arrival_py, 0);
	if (atomic_load_explicit(&hw_made, memory_order_relaxed))
		hw_stop(); /* the handler watcher's watch of the Python handler: this watchdog's now */
	if (!atomic_compare_exchange_strong(&wd_armed, &expected, 1))
		return 0;
	wd_start_ns = atomic_load(&wd_arrival_ns);
	wd_why = sleep ? "py_after_handler" : in_handler ? "handler" : "handler_py";
	wd_creator = pthread_self();
	wd_creator_tid = shim_gettid();
	atomic_store(&wd_py_watch, 1);
	atomic_store(&wd_py_waiting, 1);
	wd_start_thread();
	return 1;
}

/* A termination signal arrived at a handler of the program (signals.c): teardown may begin
 * here. A signal handler cannot start the watchdog (a thread creation allocates), so only the
 * time is kept: the next teardown step the shim sees (exit, the return from main, Py_Finalize,
 * Py_EndInterpreter) starts it, counting from the arrival. async-signal-safe */
EXIT_TEXT void watchdog_signal_arrival(uint64_t t, const void *handler)
{
	atomic_store(&wd_arrival_py, py_owns_code((uintptr_t)handler));
	atomic_store(&wd_arrival_ns, t);
	atomic_store(&wd_arrival_pid, trace_pid_get());
	atomic_store(&wd_arrival_tid, shim_gettid_for(trace_pid_get()));
}

/* ---- a termination handler that does not return: the handler watcher ----
 * A handler of the program's for SIGTERM, SIGINT, SIGQUIT or SIGHUP may never return: it takes a lock
 * the code it interrupted holds (malloc's, stdio's, a mutex of the program's), or joins a thread
 * that waits for it. No teardown step the shim sees comes then, so the watchdog above never
 * starts; and a handler cannot make a thread with pthread_create (it allocates the thread's DTV
 * and takes glibc's stack-cache lock, which the interrupted code may hold). So at the arrival
 * (term_trampoline, before the program's handler runs) the shim makes a thread of its own with a
 * raw clone: no glibc thread, its own static stack, all signals blocked from its first
 * instruction (they are blocked around the clone), its own zeroed TLS block (CLONE_SETTLS: an
 * errno or stack-guard access would land there, not in the interrupted thread's), and it calls
 * nothing but raw system calls and the shim's own string-level code (look_task). It sleeps on
 * a futex until TLSTRACE_HANG_MS after the arrival; the handler's return (or a later teardown
 * step, whose watchdog takes over) wakes it and it ends (SYS_exit; the kernel clears its tid
 * word, after which its stack may be used again). At the deadline, if the handler's thread still
 * blocks the arrived signal (it is still in the handler: the kernel unblocks it at the handler's
 * return or a siglongjmp out), the watcher looks at that thread in /proc: only if its system call
 * restarts after a handler (a futex or wait4, a read; or it runs) and it does not block the
 * watcher's real-time signal does it send it, with tgkill; the shim's handler for it then writes
 * the snapshot in that thread (the one place with a usable libc and the interrupted context):
 * its own state as the watcher saw it and its backtrace from the signal's context, every other
 * thread as the watchdog does. A thread asleep in a call a signal would cut short (nanosleep,
 * poll, select, epoll_wait, pause: EINTR even with SA_RESTART) is looked at again every 20 ms
 * for an eighth of the time to the next deadline, and taken then only in a call that restarts
 * (seen running, it has likely woken to return): a handler that sleeps 1 s is not woken early.
 * One still asleep then, or whose mask blocks the watcher's signal, is seen from outside: the
 * watcher writes the snapshot itself (hw_raw_snapshot: /proc, a scan of its stack). Again at 2x
 * and 4x. Python's C-level handler: the watcher watches the main thread, whose Python handler
 * runs later, and snapshots while a return address into the functions that run Python's handlers
 * (or a part GCC split off them: python.c) is on its stack; a main thread seen running at every
 * look is sent the signal and looks at its own stack (watchdog_hw_trigger). Once the Python
 * handler has returned (of SIGTERM, SIGINT, SIGQUIT: not SIGHUP's, a reload), the watcher keeps
 * its deadlines and looks the same way for python3's own Py_FinalizeEx on the main thread's stack
 * (hw.fin: a flag set, then sys.exit() and an atexit callback that spins in pure Python, calling
 * nothing the shim interposes): there its snapshots say py_fin_stack, or py_fin_late once the
 * runtime is finalizing (a __del__ that spins in the modules' teardown); elsewhere (the program went
 * on) it writes none and signals only a thread that runs or waits in a call that restarts. The
 * process has its one thread more until the last deadline, not only until the handler's return.
 * A thread whose mask unblocks the signal again but waits in sigsuspend, ppoll, pselect or
 * epoll_pwait with a mask of its own below the frame the handler was called from is still in the
 * handler (hw_masked_wait). SIGHUP's handler (C or Python) is watched too, its lines saying handler_hup (often a
 * reload, not a teardown). Cost: nothing before a signal; per handled termination signal a
 * clone, two rt_sigprocmask and a futex wake at the handler's return; in a fork child the clone
 * costs ~0.1 ms of CPU here (docs/design.md: the window it adds before the handler, t122). So a C
 * handler gets it at the arrival only where every other thread blocks the signal (signals.c's
 * counts: no thread can run the handler twice, t250); elsewhere it is put off to where it widens
 * nothing: the handler sets any new action for the signal (SIG_IGN or SIG_DFL close the window; a
 * handler, itself again, keeps it open by the program's choice), waits in pthread_join past the
 * deadline (t253), or blocks in an interposed wait (the wait family, sem_wait, sigwaitinfo:
 * t258); or another thread that passes one of the shim's cold paths while the handler has run
 * 10 ms makes it (the record published in hw_pending: t257). A handler that blocks first (a
 * mutex, stdio) while no other thread runs the shim's code gets none (t235). x86-64 only. */
#if defined(__x86_64__)
/* (struct ksigaction: sys.h) */

COLD_TEXT static uint64_t hw_now(void)
{
	struct timespec t;
	sys6(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t, 0, 0, 0, 0);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Sleeps until at (ns, CLOCK_MONOTONIC) unless stop is set: returns 1 if the watcher must end. */
COLD_TEXT static int hw_wait(uint64_t at)
{
	struct timespec t = {(time_t)(at / 1000000000u), (long)(at % 1000000000u)};
	while (!atomic_load(&hw.stop) && hw_now() < at)
		sys6(SYS_futex, (long)&hw.stop, FUTEX_WAIT_BITSET_PRIVATE, 0, (long)&t, 0, (long)FUTEX_BITSET_MATCH_ANY);
	return atomic_load(&hw.stop);
}

/* the watcher's signal's action before hw_install took it (SIG_DFL, with whatever flags, restorer
 * and mask the program left there): what hw_uninstall puts back */
static struct ksigaction hw_trig_before COLD_BSS;

COLD_TEXT void watchdog_hw_trigger(int sig, siginfo_t *si, void *uc);
COLD_TEXT static int self_seen_masked(void);
COLD_TEXT static void hw_raw_snapshot(int round);

/* the watcher's signal: a real-time one with the default action, its handler
 * watchdog_hw_trigger, installed with raw rt_sigaction (glibc's restorer copied); 0 if none is
 * free */
COLD_TEXT static int hw_install(void)
{
	struct ksigaction cur, sa = {(uintptr_t)watchdog_hw_trigger, SA_SIGINFO | SA_RESTART | SA_ONSTACK | SA_RESTORER, hw.restorer, ~0ull};
	for (int s = SIGRTMAX; s >= hw.rtmin + 2; s--) {
		if (sys6(SYS_rt_sigaction, s, 0, (long)&cur, 8, 0, 0) != 0 || cur.handler != (uintptr_t)SIG_DFL)
			continue;
		hw_trig_before = cur;
		if (sys6(SYS_rt_sigaction, s, (long)&sa, 0, 8, 0, 0) == 0)
			return s;
	}
	return 0;
}

/* back to the action it had (hw_trig_before, exactly: a program reads it back as without the
 * shim): SIG_IGN first, which discards an instance still pending */
COLD_TEXT static void hw_uninstall(void)
{
	struct ksigaction cur, ign = {(uintptr_t)SIG_IGN, SA_RESTORER, hw.restorer, 0};
	int s = atomic_exchange(&hw.trig, 0);
	if (s <= 0 || sys6(SYS_rt_sigaction, s, 0, (long)&cur, 8, 0, 0) != 0 || cur.handler != (uintptr_t)watchdog_hw_trigger)
		return;
	sys6(SYS_rt_sigaction, s, (long)&ign, 0, 8, 0, 0);
	sys6(SYS_rt_sigaction, s, (long)&hw_trig_before, 0, 8, 0, 0);
}

/* watchdog_borrowed_action for the watcher's signal */
COLD_TEXT static void hw_borrowed_action(struct sigaction *old)
{
	old->sa_handler = (sighandler_t)hw_trig_before.handler;
	old->sa_flags = (int)hw_trig_before.flags;
	old->sa_restorer = (void (*)(void))hw_trig_before.restorer;
	memcpy(&old->sa_mask, &hw_trig_before.mask, sizeof hw_trig_before.mask);
}

/* the watcher's signal (s > 0) still holds watchdog_hw_trigger: the program has set no action of
 * its own on it since (then it is the program's: not sent, the watcher ends) */
COLD_TEXT static int hw_trig_still_ours(int s)
{
	struct ksigaction cur;
	return sys6(SYS_rt_sigaction, s, 0, (long)&cur, 8, 0, 0) == 0 && cur.handler == (uintptr_t)watchdog_hw_trigger;
}

/* The handler's thread t (looked at), whose mask now leaves the arrived signal unblocked, waits in
 * a call that sets a mask of its own for the wait (sigsuspend, ppoll, pselect, epoll_pwait with a
 * mask) below the frame the handler was called from: the handler is still running (the call's
 * mask unblocks the signal only while it waits). After a siglongjmp out of the handler the stack
 * pointer lies above that frame (or on another stack, away from it). */
COLD_TEXT static int hw_masked_wait(const struct task *t)
{
	uintptr_t sp, pc;
	long nr;
	if (!(t->sys == SYS_rt_sigsuspend || (t->sys == SYS_ppoll && t->args[3]) ||
	      (t->sys == SYS_pselect6 && t->args[5]) || (t->sys == SYS_epoll_pwait && t->args[4]) ||
	      (t->sys == 441 /* epoll_pwait2 */ && t->args[4])))
		return 0;
	if (task_syscall_sp(t->tid, &nr, &sp, &pc) != 0 || nr != t->sys)
		return 0;
	return sp < hw.frame && hw.frame - sp < (8u << 20);
}

/* the handler's thread, as the watcher's last look saw it, was gone (not merely out of its handler) */
COLD_TEXT static int hw_target_gone(void) { return self_seen.t.state == '?' || self_seen.t.state == 'Z' || self_seen.t.state == 'X'; }

/* the handler's thread as the watcher sees it: 1 it may take the signal now, 0 not now (asleep
 * in a call a signal cuts short), -1 not in the handler any more (or gone) */
COLD_TEXT static int hw_look(void)
{
	static char buf[4096] COLD_BSS;
	const char *s;
	char path[64];
	struct task *t = &self_seen.t;
	int trig = atomic_load(&hw.trig);
	t->tid = atomic_load(&hw.target);
	look_task(t, trig, self_seen.comm, self_seen.wchan, buf, sizeof buf);
	if (hw_target_gone())
		return -1;
	if (hw.py) { /* in its Python handler: a return address into the code that runs them (fin:
		      * into Py_FinalizeEx) */
		static uintptr_t ips[256] COLD_BSS;
		int n;
		hw.py_in = 0;
		if (t->state == 'R' || t->sys < 0)
			return 0; /* running: looked at again (a scan needs it stopped in a call) */
		n = scan_task(t->tid, ips, 256);
		hw.py_in = atomic_load(&hw.fin) ? py_fin_frames(ips, n) : py_handler_frames(ips, n);
		return hw.py_in ? t->signalable : -1;
	}
	task_path(path, t->tid, "status");
	if (!hw.nodefer && proc_read(path, buf, sizeof buf) > 0 && (s = shim_strstr(buf, "SigBlk:"))) {
		s += 7;
		while (*s == '\t' || *s == ' ')
			s++;
		if (!((parse_hex(&s) >> (hw.sig - 1)) & 1) && !hw_masked_wait(t))
			return -1; /* the arrived signal is unblocked: its handler returned or jumped out */
	}
	return t->signalable;
}

/* the watcher's thread: raw system calls and the shim's own code only (see above) */
COLD_TEXT static void hw_main(void)
{
	for (int round = 1; round <= 3; round++) {
		uint64_t at = hw.start_ns + (uint64_t)cfg.hang_ms * 1000000u * (round == 3 ? 4u : (unsigned)round);
		/* (after the last deadline: as long again, then no more) */
		uint64_t next = hw.start_ns + (uint64_t)cfg.hang_ms * 1000000u * (round == 1 ? 2u : round == 2 ? 4u : 8u);
		int r;
		if (hw_wait(at))
			break;
		if (!atomic_load(&hw.trig))
			atomic_store(&hw.trig, hw_install());
		if (atomic_load(&hw.trig) <= 0)
			break;
		/* asleep at the deadline: looked at again every 20 ms for 1/8 of the time to the next
		 * one, and taken then only when it waits in a call that restarts (a lock, a join, a
		 * read): one seen running has likely woken to return (a handler that slept 1 s);
		 * still asleep, or blocking the signal: the snapshot from this thread (hw_raw_snapshot) */
		next = at + (next - at) / 8;
	look:
		for (r = hw_look(); r == 0 && !self_seen_masked() && hw_now() < next;) {
			if (hw_wait(hw_now() + 20000000u))
				goto out;
			if ((r = hw_look()) > 0 && self_seen.t.state == 'R')
				r = 0;
		}
		if (r < 0 && hw.py && hw.sig != SIGHUP && !hw_target_gone()) {
			/* out of its Python handler (it returned): from now on the watch is of python3's
			 * own Py_FinalizeEx, looked for at once, then at the deadlines left; a main
			 * thread not in it (the program went on) gets neither snapshot nor signal. (Not
			 * after SIGHUP's: a reload, not a stop.) */
			if (atomic_exchange(&hw.fin, 1))
				continue;
			goto look;
		}
		if (r < 0)
			break;
		if (r == 0 && hw.py && !hw.py_in && !self_seen_masked() && self_seen.t.signalable) {
			/* running at every look (a scan needs it stopped in a call): only the thread can
			 * tell whether it runs its Python handler (or Py_FinalizeEx), on its own stack
			 * (watchdog_hw_trigger). Python's calls retry after EINTR (PEP 475) where the
			 * signal cuts one short */
			r = 1;
		} else if (r == 0) { /* asleep until the next deadline, or it blocks the signal: from here */
			if (hw.py && !hw.py_in) { /* (not seen in its Python handler: it likely returned) */
				if (hw.sig == SIGHUP)
					break;
				atomic_store(&hw.fin, 1);
				continue;
			}
			hw_raw_snapshot(round);
			continue;
		}
		/* the handler's return sets stop and then waits for this thread's end in the
		 * trampoline: a signal sent after this test finds it there, never in the program's
		 * code (where it could cut a call short) */
		atomic_store(&hw.asked, round);
		if (atomic_load(&hw.stop) || !hw_trig_still_ours(atomic_load(&hw.trig)) ||
		    sys6(SYS_tgkill, trace_pid_get(), self_seen.t.tid, atomic_load(&hw.trig), 0, 0, 0) != 0)
			break;
		/* the snapshot is written in that thread; at most 5 s for it (out of its Python
		 * handler there: hw.fin set, the deadlines left are Py_FinalizeEx's) */
		for (int i = 0; i < 50 && atomic_load(&hw.done) < round && !atomic_load(&hw.stop); i++)
			hw_wait(hw_now() + 100000000u);
		if (hw.sig == SIGHUP && atomic_load(&hw.fin))
			break;
	}
out:
	hw_uninstall();
}

static int hw_round COLD_BSS;

/* the handler's thread, as hw_look saw it, blocks the watcher's signal */
COLD_TEXT static int self_seen_masked(void) { return !self_seen.t.signalable && !shim_strcmp(self_seen.t.not_why, "masked"); }

/* what the watcher's lines say it watches: "handler", a termination handler (teardown began at
 * its signal's arrival), or "handler_hup", SIGHUP's (often a reload, not a teardown: a handler
 * that has not returned is a hang all the same) */
COLD_TEXT static const char *hw_word(void) { return hw.sig == SIGHUP ? "handler_hup" : "handler"; }

/* the snapshot's why: the handler's (hw_word), or python3's own Py_FinalizeEx once the Python
 * handler had returned (hw.fin), as watchdog_kill_snapshot words it: "py_fin_late" where the
 * runtime is finalizing (py_state() reads F: past the atexit callbacks, in the garbage collection
 * and the modules' teardown, where __del__ methods and weakref callbacks run; a flag test, no
 * stack scan, on whichever thread asks: the watcher's raw snapshot or the handler's thread),
 * else "py_fin_stack" (threading._shutdown's join or the atexit callbacks; the state letter A
 * through wd_py_fin). Sets wd_why and wd_py_fin for snapshot() and hw_arm_line. */
COLD_TEXT static void hw_snapshot_why(void)
{
	int fin = atomic_load(&hw.fin);
	wd_why = !fin ? (hw.sig == SIGHUP ? "handler_hup" : "signal") : py_state() == PY_FINALIZING ? "py_fin_late" : "py_fin_stack";
	wd_py_fin = fin;
}

/* the report's beginning of this teardown: the arrival before it (once per arrival and why: a
 * handler's snapshot, then Py_FinalizeEx's, each have one; an atexit callback's, then a
 * __del__'s in the modules' teardown too). After hw_snapshot_why, whose wd_why it takes once
 * the handler returned. */
COLD_TEXT static void hw_arm_line(void)
{
	struct tline l;
	const char *word = atomic_load(&hw.fin) ? wd_why : hw_word();
	if (hw.arm_word == word)
		return;
	hw.arm_word = word;
	/* (the shim's own table; it syncs the modules first, which the watcher must not: below) */
	if (!self_seen.raw)
		threads_alive_line(word, 1);
	wd_begin(&l, "hang_arm");
	tl_word(&l, word);
	tl_dec(&l, cfg.hang_ms);
	tl_end(&l);
}

/* Round round's snapshot written by the watcher itself: the handler's thread cannot take the
 * watcher's signal (its mask blocks it, or it sleeps in a call the signal would cut short), so it
 * is seen from outside: its /proc state, system call, and frames from a scan of its stack
 * (raw_self_line, raw_self_backtrace); every other thread as the watchdog does (their signal interrupts only
 * calls that restart), the Python tracebacks. Only where the TLS the writer touches fits the
 * watcher's block (hw_tls_need). The watcher's thread: the writer's code uses errno and the
 * shim's thread variables, which land in hw_tls. */
COLD_TEXT static void hw_raw_snapshot(int round)
{
	int zero = 0;
	if (!hw_tls_need || atomic_load(&hw.stop) || !atomic_compare_exchange_strong(&wd_snapping, &zero, 1))
		return;
	ts.in_shim = 1;
	wd_start_ns = hw.start_ns;
	hw_snapshot_why();
	wd_creator_tid = self_seen.t.tid;
	self_seen.raw = 1;
	hw_arm_line();
	snapshot(round, self_seen.t.tid);
	self_seen.raw = 0;
	atomic_store(&wd_snapping, 0);
}

/* watchdog_hw_trigger's work, on a shim stack (not the program's thread's) */
COLD_TEXT static void hw_snapshot(void *unused)
{
	(void)unused;
	hw_arm_line();
	snapshot(hw_round, wd_creator_tid);
}

/* The watcher's signal, in the handler's thread: the snapshot the watcher asked for, with this
 * thread's interrupted context. async-signal-safe (the snapshot is: static buffers, raw calls) */
COLD_TEXT void watchdog_hw_trigger(int sig, siginfo_t *si, void *uc)
{
	int saved = errno, in = ts.in_shim, round = atomic_load(&hw.asked), zero = 0;
	uintptr_t sp;
	(void)sig;
	/* (in: the handler interrupted the shim's own work, whose buffers the lines would go through) */
	if (si->si_code != SI_TKILL || si->si_pid != trace_pid_get() || shim_gettid() != atomic_load(&hw.target) || in ||
	    atomic_load(&hw.stop) || !atomic_compare_exchange_strong(&wd_snapping, &zero, 1))
		goto out;
	ts.in_shim = 1;
	wd_start_ns = hw.start_ns;
	wd_creator = pthread_self();
	wd_creator_tid = shim_gettid();
	self_seen.uc = uc;
	hw_round = round;
	sp = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP];
	if (hw.py) {
		int in_handler, in_fin = py_frames_in_context(uc, sp, &in_handler);
		if (atomic_load(&hw.fin) || !in_handler) {
			/* (asked while running: its Python handler had returned) python3's own
			 * Py_FinalizeEx on this stack: its snapshot; else (the program went on, or
			 * SIGHUP's reload) none */
			atomic_store(&hw.fin, 1);
			if (hw.sig == SIGHUP || !in_fin)
				goto done;
		}
	}
	hw_snapshot_why();
	shim_stack_run(hw_snapshot, NULL); /* (no stack free: no snapshot this round) */
done:
	self_seen.uc = NULL;
	ts.in_shim = in;
	atomic_store(&wd_snapping, 0);
out:
	atomic_store(&hw.done, round);
	sys6(SYS_futex, (long)&hw.done, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	errno = saved;
}

/* A termination signal sig arrived now and is about to run the program's handler (handler, with
 * flags): if it is SIGTERM, SIGINT, SIGQUIT or SIGHUP (a C handler): the watcher, unless one
 * runs, the watchdog is armed, tracing or the watchdog is off, or a sanitizer is there (its leak
 * check stops every thread with ptrace). Returns 1 if this call made it, 2 if it was put off
 * (another thread may take the signal), 0 none; the caller passes it to watchdog_handler_end
 * after the handler. No system call before a put-off return (a vfork child, which shares this
 * thread's memory, is told apart only where a watcher is made). async-signal-safe */
COLD_TEXT static int hw_make(int sig, int flags, uint64_t t, uintptr_t frame, int py, pid_t tid, uintptr_t tp);

COLD_TEXT static int hw_put_off_retract(void);

__thread struct hw_put_off hw_put_off;
/* (not cold: every trace line and the other cold paths of watchdog_put_off_poll load it) */
atomic_uintptr_t hw_pending;
/* the published record's arrival (ns), so that a thread tests its age without reading the
 * record, which may be gone until it is taken (written first; another arrival at once may
 * overwrite it: only that test reads it) */
static _Atomic uint64_t hw_pending_t;

/* this thread's thread pointer (glibc's tcbhead_t: tcb, dtv, self) */
static inline uintptr_t hw_self_tp(void)
{
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	return tp;
}

EXIT_TEXT int watchdog_handler_begin(int sig, int flags, const void *handler, uintptr_t frame)
{
	uint64_t t = now_ns();
	/* (SIGHUP's arrival is no teardown, so not noted by watchdog_signal_arrival) */
	int py = sig == SIGHUP ? py_owns_code((uintptr_t)handler) : atomic_load(&wd_arrival_py);
	/* (frame: the stack pointer where the program's handler is called, signals.c term_pre) */
	if ((sig != SIGTERM && sig != SIGINT && sig != SIGQUIT && sig != SIGHUP) || cfg.hang_ms <= 0)
		return 0;
	/* A C handler at once only where every other thread blocks the signal (signals.c), tested
	 * first, before anything that takes time: else a second signal sent while the handler has not
	 * yet set SIG_IGN goes to another thread, and the clone (~0.1 ms of CPU in a fork child)
	 * widens that window: t122, Apache's child, crashed in just_die 2 of ~30 runs with it
	 * (docs/design.md). Then the watcher is put off (stores in this thread's TLS and one
	 * compare-and-swap, no system call) to the first point where it widens nothing: the
	 * handler sets a new action for the signal (watchdog_handler_action), waits in
	 * pthread_join past the deadline (watchdog_handler_join) or blocks in an interposed wait
	 * (watchdog_handler_blocks); or another thread makes it (watchdog_put_off_take). Python's
	 * C-level handler only trips a flag: a second signal on another thread does no harm. */
	if (!py && !signals_others_block(sig)) {
		uintptr_t none = 0;
		if (hw_put_off.sig)
			return 0; /* (nested in a handler whose watcher is put off: that one's) */
		hw_put_off.flags = flags;
		hw_put_off.t = t;
		hw_put_off.frame = frame;
		hw_put_off.made = 0;
		atomic_store_explicit(&hw_put_off.taken, 0, memory_order_relaxed);
		hw_put_off.tid = shim_gettid(); /* (cached: the arrival's line just used it) */
		hw_put_off.tp = hw_self_tp();
		hw_put_off.sig = sig;
		/* published for the other threads (one word; none if another handler's is): one that
		 * passes a cold path while this handler blocks makes the watcher (hw_put_off_take) */
		if (!atomic_load_explicit(&hw_pending, memory_order_relaxed)) {
			atomic_store_explicit(&hw_pending_t, t, memory_order_relaxed);
			atomic_compare_exchange_strong(&hw_pending, &none, (uintptr_t)&hw_put_off);
		}
		return 2;
	}
	return in_vfork_child() ? 0 : hw_make(sig, flags, t, frame, py, shim_gettid(), hw_self_tp());
}

/* The watcher of the handler of sig (flags) that arrived at t (ns) on thread tid (thread pointer
 * tp: this thread's, or another's that runs the handler), its handler called with the stack
 * pointer at frame; py: Python's C-level handler. 1 if made. One maker at a time. async-signal-safe */
COLD_TEXT static int hw_make_one(int sig, int flags, uint64_t t, uintptr_t frame, int py, pid_t tid, uintptr_t tp);
COLD_TEXT static int hw_make(int sig, int flags, uint64_t t, uintptr_t frame, int py, pid_t tid, uintptr_t tp)
{
	int zero = 0, made;
	if (!atomic_compare_exchange_strong(&hw.making, &zero, 1))
		return 0;
	made = hw_make_one(sig, flags, t, frame, py, tid, tp);
	atomic_store(&hw.making, 0);
	return made;
}

/* Under Valgrind, a handler running on a signal stack (the program's or the shim's): memcheck,
 * seeing the watcher's clone made from there, took the main thread's own stack for dead once the
 * handler returned (19 "Invalid write/read" errors in main's printf after a SIGTERM handler on
 * the program's signal stack, LD_BIND_NOW=1; 2, or none, without it: HOSTILE15). No watcher
 * there. Natively one no-op request. async-signal-safe */
COLD_TEXT static int hw_valgrind_sigstack(void)
{
	stack_t ss;
	return checker_running() && sys2(SYS_sigaltstack, NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK);
}

/* hw_stack and hw_tls, mapped once (a raw mmap: async-signal-safe); kept for the process and its
 * fork children. 0 where the mapping is refused (RLIMIT_AS, RLIMIT_DATA, mlockall's
 * RLIMIT_MEMLOCK): no watcher then. Two handlers racing here: one mapping stays, the other goes */
COLD_TEXT static int hw_map(void)
{
	static _Atomic(char *) base COLD_BSS;
	char *none = NULL;
	size_t len = HW_STACK_BYTES + HW_TLS_WORDS * sizeof(uintptr_t);
	long p;
	if (atomic_load(&base))
		return 1;
	p = sys6(SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p < 0 && p > -4096)
		return 0;
	if (!atomic_compare_exchange_strong(&base, &none, (char *)p)) {
		sys2(SYS_munmap, p, len);
		p = (long)none;
	}
	hw_tls = (uintptr_t *)(p + HW_STACK_BYTES);
	hw_stack = (char *)p;
	return 1;
}

COLD_TEXT static int hw_make_one(int sig, int flags, uint64_t t, uintptr_t frame, int py, pid_t tid, uintptr_t tp)
{
	struct ksigaction cur;
	uint64_t all = ~0ull, old = 0;
	long rc;
	if (atomic_load(&shim_active) != 1 || atomic_load(&hw.live) || atomic_load_explicit(&wd_armed, memory_order_relaxed) ||
	    hw_valgrind_sigstack())
		return 0;
	/* under the program's own seccomp filter: made where it lets every call of the watcher
	 * through (filter.c ran it over them before it went in), else a note names the call */
	if (wd_sandboxed() && filter_hw_refused()) {
		filter_hw_note();
		return 0;
	}
	if (!hw.sanitized)
		hw.sanitized = next_definition("__lsan_do_leak_check") || next_definition("__asan_init") ||
			       next_definition("__tsan_init") ? 2 : 1;
	if (hw.sanitized != 1 || sys6(SYS_rt_sigaction, sig, 0, (long)&cur, 8, 0, 0) != 0 || !(cur.flags & SA_RESTORER))
		return 0;
	if (!nproc_room())
		return 0; /* (its task: the one a handler that forks for a reload may need, t332) */
	if (!hw_map())
		return 0;
	/* Python's C-level handler returns at once; its Python function runs later on the main
	 * thread, watched by a watcher that outlives this handler (a lock's sem_wait in it starts
	 * the ordinary watchdog instead: python.c) */
	hw.py = py;
	hw.py_in = 0;
	atomic_store(&hw.fin, 0);
	if (hw.py)
		py_handler_prepare();
	hw.restorer = cur.restorer;
	hw.rtmin = SIGRTMIN;
	hw.sig = sig;
	/* (the kernel's record holds the program's SA_NODEFER: crash.c keeps its flags there) */
	hw.nodefer = !!((flags | (long)cur.flags) & SA_NODEFER);
	hw.start_ns = t;
	hw.frame = frame;
	atomic_store(&hw.target, hw.py ? trace_pid_get() : tid); /* (Python's handlers: the main thread) */
	atomic_store(&hw.stop, 0);
	atomic_store(&hw.asked, 0);
	atomic_store(&hw.done, 0);
	hw.arm_word = NULL;
	{
		/* the TLS a raw snapshot touches: errno and the shim's own variables (ts and the
		 * others of its block, which modules.c measured), below this thread's pointer */
		uintptr_t tp, lo = (uintptr_t)__errno_location(), self_tls = (uintptr_t)&ts;
		const struct module *me = module_of((uintptr_t)&watchdog_handler_begin);
		size_t need;
		__asm__("mov %%fs:0, %0" : "=r"(tp));
		if (self_tls < lo)
			lo = self_tls;
		need = tp > lo ? tp - lo + (me ? me->tls_memsz : 0) + 512 : 0;
		hw_tls_need = need && need <= (HW_TLS_WORDS - HW_TCB) * sizeof(uintptr_t) - 64 ? need : 0;
	}
	/* (a block no watcher used is still the zeroed BSS: nothing written, which in a fork child
	 * saves page faults before the program's handler: ~25 us here; else only what it used) */
	if (atomic_load_explicit(&hw_made, memory_order_relaxed)) {
		size_t below = hw_tls_need ? hw_tls_need : 2048;
		memset((char *)&hw_tls[HW_TLS_WORDS - HW_TCB] - below, 0, below + HW_TCB * sizeof(uintptr_t));
	}
	hw_tls[HW_TLS_WORDS - HW_TCB] = (uintptr_t)&hw_tls[HW_TLS_WORDS - HW_TCB]; /* tcbhead_t's tcb and self */
	hw_tls[HW_TLS_WORDS - HW_TCB + 2] = (uintptr_t)&hw_tls[HW_TLS_WORDS - HW_TCB];
	{
		/* its dtv: the handler thread's, so that a dynamic TLS access in what a snapshot calls
		 * (__tls_get_addr, dl_iterate_phdr's dlpi_tls_data) reads valid memory, not NULL (that
		 * thread runs the handler: its dtv stays) */
		hw_tls[HW_TLS_WORDS - HW_TCB + 1] = ((const uintptr_t *)tp)[1];
	}
	sys6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8, 0, 0);
	{
		unsigned long cf = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
				   CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
		register long r10 __asm__("r10") = (long)&hw.live, r8 __asm__("r8") = (long)&hw_tls[HW_TLS_WORDS - HW_TCB],
			     r9 __asm__("r9") = (long)hw_main;
		/* the child: on its own stack (16-aligned at the call), calls hw_main, then exit(2) */
		__asm__ volatile("syscall\n\t"
				 "test %%rax, %%rax\n\t"
				 "jnz 1f\n\t"
				 "xor %%ebp, %%ebp\n\t"
				 "call *%%r9\n\t"
				 "mov $60, %%eax\n\t"
				 "xor %%edi, %%edi\n\t"
				 "syscall\n\t"
				 "ud2\n"
				 "1:"
				 : "=a"(rc)
				 : "a"(SYS_clone), "D"(cf), "S"(hw_stack + HW_STACK_BYTES), "d"(&hw.live), "r"(r10), "r"(r8), "r"(r9)
				 : "rcx", "r11", "memory");
	}
	sys6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8, 0, 0);
	if (rc > 0)
		atomic_store(&hw_made, 1);
	return rc > 0 && !hw.py; /* (py: not ended at this handler's return) */
}

/* The program's handler returned: the watcher made for it ends, and is waited for (at most
 * 1 s, which only a watcher kept off the CPU that long reaches), so that the code the handler
 * interrupted finds the threads it left and no late signal of the watcher reaches it there.
 * async-signal-safe */
COLD_TEXT void watchdog_handler_end(int made)
{
	uint64_t until;
	struct timespec at;
	int tid;
	if (made == 2) { /* put off: the watcher if one was made since (here or by another thread) */
		hw_put_off_retract();
		made = hw_put_off.made;
		hw_put_off.sig = 0;
		hw_put_off.made = 0;
	}
	if (!made)
		return;
	atomic_store(&hw.stop, 1);
	sys6(SYS_futex, (long)&hw.stop, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	/* the kernel clears the word and wakes it as the watcher exits (CLONE_CHILD_CLEARTID; a
	 * shared futex: not FUTEX_PRIVATE); a signal's handler may cut a wait short: again */
	until = now_ns() + 1000000000u; /* (the shim's clock: CLOCK_MONOTONIC, through the vDSO) */
	at.tv_sec = (time_t)(until / 1000000000u);
	at.tv_nsec = (long)(until % 1000000000u);
	int gone = atomic_load(&hw.live);
	while ((tid = atomic_load(&hw.live)) != 0 && now_ns() < until)
		sys6(SYS_futex, (long)&hw.live, FUTEX_WAIT_BITSET, tid, (long)&at, 0, (long)FUTEX_BITSET_MATCH_ANY);
	/* and until the kernel has taken it out of the thread group (release_task, after it cleared
	 * the word in mm_release): a handler that returns and then counts its threads
	 * (/proc/self/status) found the watcher still there on a busy machine (t206, a CI run) */
	/* (tgkill: a call a filter may forbid; one of the program's that allows the watcher's allows it) */
	if (gone && (!seccomp_filtered() || (wd_sandboxed() && !filter_hw_refused())))
		wd_until_gone(gone, until);
}

/* This thread's put-off record leaves hw_pending (the handler reached a point where it makes its
 * watcher itself, or ended). Returns 1 if another thread had taken it: hw_put_off.made then says
 * whether that thread made the watcher, once it is done (waited for, at most 1 s: it runs with
 * all signals blocked from its take to its answer). async-signal-safe */
COLD_TEXT static int hw_put_off_retract(void)
{
	uintptr_t mine = (uintptr_t)&hw_put_off, cur = mine;
	uint64_t until;
	if (atomic_compare_exchange_strong(&hw_pending, &cur, 0) || cur != (mine | 1))
		return 0; /* (retracted before any took it; or never published: another's was) */
	until = now_ns() + 1000000000u;
	while (atomic_load(&hw_put_off.taken) == 0 && now_ns() < until) {
		struct timespec ms = {0, 1000000};
		sys6(SYS_futex, (long)&hw_put_off.taken, FUTEX_WAIT_PRIVATE, 0, (long)&ms, 0, 0);
	}
	hw_put_off.made = atomic_load(&hw_put_off.taken) == 2;
	atomic_compare_exchange_strong(&hw_pending, &cur, 0);
	return 1;
}

/* The put-off watcher of this thread's handler (watchdog_handler_begin), now: the handler has
 * not returned (the signal still blocked in this thread, unless SA_NODEFER); none if another
 * thread took it meanwhile (it made the watcher). async-signal-safe */
COLD_TEXT static void hw_put_off_make(void)
{
	uint64_t blocked = 0;
	int sig = hw_put_off.sig;
	if (!sig || hw_put_off.made || in_vfork_child() || (!(hw_put_off.flags & SA_NODEFER) &&
	    (sys6(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&blocked, 8, 0, 0) != 0 || !((blocked >> (sig - 1)) & 1))))
		return; /* (a siglongjmp left the handler: no watcher) */
	if (hw_put_off_retract())
		return;
	hw_put_off.made = hw_make(sig, hw_put_off.flags, hw_put_off.t, hw_put_off.frame, 0, shim_gettid(), hw_self_tp());
}

/* The program set sig's action to handler (crash.c, through signals.c): inside the handler of
 * sig, where that took effect, the program has decided what a second sig does: SIG_IGN or
 * SIG_DFL close the window in which it runs the handler on another thread (Apache's just_die
 * sets SIG_IGN first); a handler (itself again, the SysV idiom, or after SA_RESETHAND) keeps it
 * open for as long as the handler runs, whatever the watcher's clone costs. So the put-off
 * watcher is made now, counting from the arrival. async-signal-safe */
COLD_TEXT void watchdog_handler_action(int sig, const void *handler)
{
	int flags;
	if (hw_put_off.sig == sig && crash_program_handler(sig, &flags) == handler)
		hw_put_off_make();
}

/* Inside a handler whose watcher was put off, an interposed call that blocks by the program's
 * choice, for as long as it takes (a wait for a child that has not ended, sem_wait, sigwaitinfo):
 * the window it leaves open is that long, which makes the clone's ~0.1 ms before it irrelevant;
 * the watcher is made now. async-signal-safe */
COLD_TEXT void watchdog_handler_blocks(void) { hw_put_off_make(); }

/* A siglongjmp (or longjmp) of this thread to stack pointer sp, with a put-off record: one that
 * leaves the handler (sp above the frame it was called from, or away from it on another stack,
 * as hw_masked_wait tells) never reaches its end (watchdog_handler_end): its record goes now,
 * and the watcher made for it, so that it neither blocks another handler's publication nor
 * keeps this thread from a put-off of its own at its next arrival. async-signal-safe */
COLD_TEXT void watchdog_handler_left(uintptr_t sp)
{
	if (hw_put_off.sig && !(sp < hw_put_off.frame && hw_put_off.frame - sp < (8u << 20)))
		watchdog_handler_end(2);
}

/* The least time a handler has run before another thread makes its put-off watcher (ns): half
 * of TLSTRACE_HANG_MS (the watcher counts from the arrival, so its snapshots come at the same
 * times), at least 10 ms. Most handlers return sooner and get none. 10 ms alone was reached by
 * handlers that are slow, not hung: one that changed its ids on a loaded machine (setuid's
 * SIGSETXID round waits for every thread) had the watcher made by a thread's start line 10.7 ms
 * after the arrival, and found it in /proc/self/task (review's h15_setid_handler, HOSTILE18; t496) */
static inline uint64_t hw_take_after_ns(void)
{
	uint64_t half = (uint64_t)cfg.hang_ms * 500000u;
	return half > 10000000u ? half : 10000000u;
}

/* A cold path of this thread (watchdog_put_off_poll) found a put-off record published: if it is
 * another thread's, whose handler has run hw_take_after_ns(), this thread takes it and makes the
 * watcher, counting from that arrival, watching that thread (the clone costs the handler's thread
 * nothing). All signals blocked from the take to the answer, so that no handler of this thread
 * keeps the handler's thread waiting at its end. Not in the watcher, the watchdog's thread or a
 * vfork child, nor in a termination handler (a second signal's, whose own window the clone
 * would widen). errno kept. async-signal-safe */
COLD_TEXT void watchdog_put_off_take(void)
{
	uintptr_t p = atomic_load(&hw_pending);
	struct hw_put_off *r = (struct hw_put_off *)p;
	uint64_t all = ~0ull, old = 0;
	int saved = errno;
	if (!p || (p & 1) || r == &hw_put_off || hw_put_off.sig || ts.term_handlers || cfg.hang_ms <= 0 || atomic_load(&hw.live) ||
	    atomic_load_explicit(&wd_armed, memory_order_relaxed) || atomic_load(&shim_active) != 1 ||
	    now_ns() - atomic_load_explicit(&hw_pending_t, memory_order_relaxed) < hw_take_after_ns() || in_vfork_child())
		return;
	sys6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8, 0, 0);
	if (atomic_compare_exchange_strong(&hw_pending, &p, p | 1)) {
		int made = hw_make(r->sig, r->flags, r->t, r->frame, 0, r->tid, r->tp);
		atomic_store(&r->taken, made ? 2 : 3);
		sys6(SYS_futex, (long)&r->taken, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	}
	sys6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8, 0, 0);
	errno = saved;
}

/* pthread_join(t) inside a handler whose watcher was put off: a join with the watcher's deadline
 * (TLSTRACE_HANG_MS after the arrival) first; past it, the watcher (long after the arrival: it
 * widens nothing), then the join as the program asked for it. Returns what the join returns. */
COLD_TEXT int watchdog_handler_join(pthread_t t, void **retval)
{
	uint64_t at = hw_put_off.t + (uint64_t)cfg.hang_ms * 1000000u;
	struct timespec ts_at = {(time_t)(at / 1000000000u), (long)(at % 1000000000u)};
	int rc = pthread_clockjoin_np(t, retval, CLOCK_MONOTONIC, &ts_at);
	if (rc != ETIMEDOUT)
		return rc;
	hw_put_off_make();
	return REAL(pthread_join)(t, retval);
}

/* a teardown step: its watchdog replaces the watcher */
COLD_TEXT static void hw_stop(void)
{
	if (atomic_load(&hw.live))
		watchdog_handler_end(1);
}

/* Before a fork: a watcher of a Python handler ends first (the handler is running code, not
 * hung, if it forks). Python 3.12+ counts the process's threads at os.fork (/proc/self/stat) and
 * warns of a fork with threads: the watcher must not be one of them. A C handler's watcher stays
 * (a handler that forks and then waits for its child forever is a hang it watches; C programs
 * are not told). async-signal-safe */
COLD_TEXT static void hw_before_fork(void)
{
	if (atomic_load(&hw.live) && hw.py)
		watchdog_handler_end(1);
}

/* A fork child (of a handler that forked while watched) has no watcher: the parent's word says
 * otherwise, and the watcher's signal handler may be installed. */
COLD_TEXT static void hw_after_fork_child(void)
{
	atomic_store(&hw.live, 0);
	atomic_store(&hw.stop, 1);
	hw_uninstall();
}

/* ---- a snapshot at a kill in teardown ---- */

/* This thread, for a snapshot at a kill, in self_seen: its /proc files would describe the
 * handler, not the code the signal interrupted, so its state comes from the signal's context uc:
 * in a system call the kernel restarts after the handler (SA_RESTART: the pc back on the syscall
 * instruction, the call's number back in rax), S and that call; one cut short (-EINTR in rax just
 * after a syscall instruction), S and a call not known (-3: the line says `?`); else running (R,
 * no call). async-signal-safe */
COLD_TEXT static void kill_self_task(void *uc)
{
	const greg_t *r = ((ucontext_t *)uc)->uc_mcontext.gregs;
	struct task *t = &self_seen.t;
	uintptr_t pc = (uintptr_t)r[REG_RIP];
	unsigned char b[4];
	char path[64], *nl;
	memset(t, 0, sizeof *t);
	t->tid = shim_gettid();
	t->state = 'R';
	t->sys = -2;
	task_path(path, t->tid, "comm");
	if (proc_read(path, self_seen.comm, sizeof self_seen.comm) <= 0)
		self_seen.comm[0] = 0;
	if ((nl = shim_strchr(self_seen.comm, '\n')))
		*nl = 0;
	strcpy(self_seen.wchan, "-");
	if (pc >= 2 && read_self(pc - 2, b, sizeof b) == 0) {
		if (b[2] == 0x0f && b[3] == 0x05 && (long)r[REG_RAX] >= 0) {
			t->state = 'S';
			t->sys = (long)r[REG_RAX];
			t->args[0] = (uintptr_t)r[REG_RDI], t->args[1] = (uintptr_t)r[REG_RSI], t->args[2] = (uintptr_t)r[REG_RDX];
			t->args[3] = (uintptr_t)r[REG_R10], t->args[4] = (uintptr_t)r[REG_R8], t->args[5] = (uintptr_t)r[REG_R9];
			t->sp = (uintptr_t)r[REG_RSP];
		} else if (b[0] == 0x0f && b[1] == 0x05 && (long)r[REG_RAX] == -EINTR) {
			t->state = 'S';
			t->sys = -3;
		}
	}
}

/* watchdog_kill_snapshot's work, on a shim stack (not the program's thread's) */
COLD_TEXT static void kill_snapshot_run(void *unused)
{
	(void)unused;
	snapshot(0, wd_creator_tid);
}

/* A termination signal sig (or a SIGABRT or SIGSEGV another process sent) about to end the
 * process with its default action, taken by this thread, interrupted with context uc
 * (signals.c term_default_handler, crash.c crash_handler: after its sig_arrive line, before the
 * signal is re-sent to take its course): if the process is in its teardown, one snapshot of every
 * thread, as the watchdog's (hang_thread, hang_pylock, hang_rwlock, hang_stdio, hang_py, hang_pyhandler, hang_bt lines;
 * this thread's state and frames from uc), between a `kill_snap` and a `kill_snap_end` line.
 * In its teardown: exit() or main's return began, Py_Finalize or Py_EndInterpreter ran (the
 * watchdog's beginning, its thread made or deferred: wd_armed), or python3's own Py_FinalizeEx
 * is on the stack the signal interrupted (state A or F: the caller set ts.interrupted_sp), which
 * the shim may not have seen begin (a callback that spins in pure Python calls nothing it
 * interposes). Outside a teardown it costs a load, and in a Python process the state letter
 * (a stack scan, which the arrival line just made too; not timed): nothing else delays the
 * death, and a signal handled by the program's own handler does not come here.
 * Nothing with TLSTRACE_HANG_MS=0, under a sanitizer (no watchdog thread either), while the
 * handler watcher watches a handler (it owns self_seen; one past a Python handler's return, which
 * looks for Py_FinalizeEx, is ended first, at most 1 s: watchdog_handler_end), or when the
 * signal interrupted the shim's own work (its buffers). A snapshot the watchdog's thread is writing is waited for, at most 0.2 s. No
 * modules_sync (the loader's lock: a thread hung holding it would keep the process alive).
 * The caller's signal stays blocked on this thread meanwhile (the kernel's action has no
 * SA_NODEFER), so the process dies of it only after the snapshot: the same signal, status and
 * core, later by the snapshot's time (~ms; at most 0.1 s more for a thread that does not take
 * the capture signal, none after it: capture_begin). async-signal-safe: static buffers, raw
 * system calls. */
COLD_TEXT void watchdog_kill_snapshot(int sig, void *uc)
{
	int saved = errno, in = ts.in_shim, zero = 0, got, began = atomic_load(&wd_armed) != 0;
	char py = 0;
	/* (a watcher of a Python handler that returned looks only for Py_FinalizeEx: see below) */
	if (cfg.hang_ms <= 0 || in || (atomic_load(&hw.live) && !(hw.py && atomic_load(&hw.fin))))
		return;
	if (!began && (py = py_state()) != PY_ATEXIT && py != PY_FINALIZING)
		return;
	if (atomic_load(&hw.live)) { /* it ends (its snapshots would come after this one, the last) */
		hw_stop();
		if (atomic_load(&hw.live))
			return;
	}
	if (!hw.sanitized)
		hw.sanitized = next_definition("__lsan_do_leak_check") || next_definition("__asan_init") ||
				       next_definition("__tsan_init") ? 2 : 1;
	if (hw.sanitized != 1)
		return;
	for (int i = 0; !(got = atomic_compare_exchange_strong(&wd_snapping, &zero, 1)) && i < 20; i++, zero = 0) {
		struct timespec pause = {0, 10000000};
		sys6(SYS_nanosleep, (long)&pause, 0, 0, 0, 0, 0);
	}
	if (!got) /* (still a snapshot of the watchdog's after 0.2 s: it is the process's last) */
		goto out;
	ts.in_shim = 1;
	if (!began) { /* python3's own Py_FinalizeEx: its beginning unseen (its atexit callbacks, or after them) */
		wd_why = py == PY_FINALIZING ? "py_fin_late" : "py_fin_stack";
		wd_py_fin = 1;
	}
	snap_kill_sig = sig;
	snap_kill_began = began;
	wd_creator = pthread_self();
	wd_creator_tid = shim_gettid();
	self_seen.uc = uc;
	kill_self_task(uc);
	shim_stack_run(kill_snapshot_run, NULL); /* (no stack free: no snapshot) */
	self_seen.uc = NULL;
	snap_kill_sig = snap_kill_slow = 0;
	ts.in_shim = in;
	atomic_store(&wd_snapping, 0);
out:
	errno = saved;
}

#else
COLD_TEXT int watchdog_handler_begin(int sig, int flags, const void *handler, uintptr_t frame)
{
	(void)sig, (void)flags, (void)handler, (void)frame;
	return 0;
}
COLD_TEXT void watchdog_handler_end(int made) { (void)made; }
COLD_TEXT void watchdog_handler_action(int sig, const void *handler) { (void)sig, (void)handler; }
COLD_TEXT void watchdog_handler_blocks(void) {}
COLD_TEXT void watchdog_handler_left(uintptr_t sp) { (void)sp; }
atomic_uintptr_t hw_pending;
COLD_TEXT void watchdog_put_off_take(void) {}
COLD_TEXT int watchdog_handler_join(pthread_t t, void **retval) { return REAL(pthread_join)(t, retval); }
COLD_TEXT static void hw_stop(void) {}
COLD_TEXT static void hw_after_fork_child(void) {}
COLD_TEXT static void hw_before_fork(void) {}
COLD_TEXT void watchdog_kill_snapshot(int sig, void *uc) { (void)sig, (void)uc; }
#endif

/* (not cold: every fork runs it; the watcher's state is looked at only where one was made) */
void watchdog_before_fork(void)
{
	if (atomic_load_explicit(&hw_made, memory_order_relaxed))
		hw_before_fork();
	if (unlikely(atomic_load_explicit(&wd_armed, memory_order_relaxed)) && py_interp_found())
		wd_park_for_fork();
}

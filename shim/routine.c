/* routine.c - what a routine thread costs the trace: the lines of a thread the shim saw start
 * (pthread_create) are kept in a buffer of the thread's while they are routine (its start,
 * thread_local registrations that are not late, its exit, destructor runs). If the thread ends
 * with nothing that matters, one `thread_quiet` line sums it up (parent, start routine, how long
 * it ran, what it registered and destroyed, how it ended), collected with other threads' in one
 * buffer of the process and written a buffer at a time. The first line of the thread that
 * matters (a late registration, a use-after-destroy, a crash, an exit, a fork, anything not marked
 * routine) writes the kept lines out first, verbatim, and the thread writes directly from then
 * on: a finding has its whole context in the trace, in order.
 *
 * A kept line is a record (event, time, values) formatted only if it is written after all. So a
 * thread that starts and ends cleanly costs no system call and no formatting for the trace, and
 * ~70 bytes of it rather than ~700. What is kept in memory is out of the trace until it is written: at the
 * end of the process (exit, a return from main, _exit), at a crash, at a fork, when the process
 * buffer is full or holds lines older than a second. A SIGKILL, or another uncaught signal that
 * kills the process, loses at most those: the summaries of the last second, and the routine
 * lines of threads still running (never a finding, a header, a module map or a teardown line,
 * which are written as they happen).
 *
 * Only a process that makes threads runs this (COLD_TEXT: out of the pages a start touches), but
 * routine_line, which every thread event goes through.
 *
 * Locks here are try-locks with a bounded wait: a signal handler or an end of the process never
 * waits for a thread that holds one (it writes its line directly, or leaves a buffer unwritten).
 * All functions are async-signal-safe unless they say otherwise. */
#define _GNU_SOURCE
#include <string.h>

#include "shim.h"

#define TBUF_RECS 32       /* records kept per thread before they spill into the trace */
#define LIVE_SLOTS 1024    /* routine threads alive at once; more start writing directly */
#define PROC_BUF 8192      /* the process's buffer of summaries */
#define PROC_BUF_AGE 1000000000ull /* ns: older summaries go out with the next one */

struct rrec {
	const char *event;
	line_fmt fmt;
	uint64_t t;
	char py;
	uintptr_t a[4];
};

struct tbuf {
	atomic_int lock;
	int loud;              /* its lines go to the trace directly */
	int spilled;           /* kept records were written when the buffer filled */
	int slot;              /* in live[] */
	pid_t tid, parent;
	char py;               /* Python state at its start */
	const char *how;       /* "return", "pthread_exit", or NULL if its end was not seen */
	uintptr_t routine;
	uint64_t t_start, t_end;
	unsigned regs, dtors, keys;
	unsigned n;
	struct rrec rec[TBUF_RECS];
};

static struct tbuf *_Atomic live[LIVE_SLOTS] COLD_BSS;
int routine_used; /* a routine thread started in this process: something may be kept */

static int try_lock(atomic_int *lock)
{
	int expected = 0;
	return atomic_compare_exchange_strong(lock, &expected, 1);
}

/* a holder on another thread copies a record at most: a short wait */
COLD_TEXT static int wait_lock(atomic_int *lock)
{
	int i;
	for (i = 0; i < 100000; i++) {
		if (try_lock(lock))
			return 1;
		__builtin_ia32_pause();
	}
	return 0;
}

static void unlock(atomic_int *lock) { atomic_store(lock, 0); }

/* ---- the process's buffer of summaries ---- */

static char proc_buf[PROC_BUF] COLD_BSS;
static size_t proc_len COLD_BSS;
static uint64_t proc_first COLD_BSS;
static atomic_int proc_lock COLD_BSS;

COLD_TEXT static void proc_flush_locked(void)
{
	if (proc_len)
		trace_write_routine(proc_buf, proc_len);
	proc_len = 0;
}

COLD_TEXT static void proc_add(const char *line, size_t len)
{
	uint64_t now = now_ns();
	if (!try_lock(&proc_lock)) {
		trace_write_routine(line, len);
		return;
	}
	if (proc_len + len > sizeof proc_buf)
		proc_flush_locked();
	if (!proc_len)
		proc_first = now;
	memcpy(proc_buf + proc_len, line, len);
	proc_len += len;
	if (now - proc_first > PROC_BUF_AGE)
		proc_flush_locked();
	unlock(&proc_lock);
}

/* ---- a thread's buffer ---- */

/* Called at the start of a thread the shim created (its trampoline), before its first line. */
COLD_TEXT void routine_thread_start(pid_t parent, uintptr_t routine)
{
	struct tbuf *b;
	int i;
	ts.tb = NULL;
	shim_tid_from_pthread();
	if (cfg.all_thread_lines)
		return;
	b = arena_thread_take(sizeof *b);
	if (!b)
		return;
	memset(b, 0, offsetof(struct tbuf, rec)); /* the records are written before they are read */
	for (i = 0; i < LIVE_SLOTS; i++) {
		struct tbuf *none = NULL;
		if (!atomic_load_explicit(&live[i], memory_order_relaxed) &&
		    atomic_compare_exchange_strong(&live[i], &none, b))
			break;
	}
	if (i == LIVE_SLOTS)
		return; /* too many at once: this one writes directly, as any other thread */
	b->slot = i;
	routine_used = 1;
	b->tid = shim_gettid();
	b->parent = parent;
	b->routine = routine;
	b->py = py_state();
	b->t_start = now_ns();
	ts.tb = b;
}

COLD_TEXT void routine_thread_exit(const char *how)
{
	if (ts.tb)
		ts.tb->how = how;
}

int routine_thread(void) { return ts.tb && !ts.tb->loud; }

/* b's records as the lines they stand for, one write each (this is for the rare thread that
 * turns out to matter), as lines that matter or routine ones. The caller holds b's lock. */
COLD_TEXT static void tbuf_write(struct tbuf *b, int routine)
{
	unsigned i;
	for (i = 0; i < b->n; i++) {
		struct rrec *r = &b->rec[i];
		struct tline l;
		tl_begin_as(&l, r->event, b->tid, r->t, r->py);
		r->fmt(&l, r->a);
		tl_end_direct(&l, routine);
	}
	b->n = 0;
}

/* Write what b keeps (as lines that matter) and make its thread write directly. The caller holds
 * b's lock. */
COLD_TEXT static void tbuf_out(struct tbuf *b)
{
	tbuf_write(b, 0);
	b->loud = 1;
}

COLD_TEXT void routine_thread_loud(void)
{
	struct tbuf *b = ts.tb;
	if (!b || b->loud || !try_lock(&b->lock))
		return; /* held: a signal handler interrupted this thread keeping a record; it stays kept */
	tbuf_out(b);
	unlock(&b->lock);
}

/* From tl_end, for a thread with a buffer: a line about to be written directly. One that matters
 * writes the thread's records first. Returns 0: the line is written. */
COLD_TEXT int routine_keep(struct tline *l)
{
	if (l->cls == TL_MATTERS)
		routine_thread_loud();
	return 0;
}

void fmt_nothing(struct tline *l, const uintptr_t *a) { (void)l, (void)a; }
void fmt_word(struct tline *l, const uintptr_t *a) { tl_word(l, (const char *)a[0]); }
void fmt_dec1(struct tline *l, const uintptr_t *a) { tl_dec(l, (long long)a[0]); }

void routine_line(const char *event, enum tl_class cls, char py, line_fmt fmt, uintptr_t a0, uintptr_t a1,
		  uintptr_t a2, uintptr_t a3)
{
	struct tbuf *b = ts.tb;
	struct tline l;
	if (cls != TL_MATTERS && b && !b->loud && try_lock(&b->lock)) {
		if (!b->loud) {
			struct rrec *r;
			if (b->n == TBUF_RECS) {
				/* a thread with many: they go out a buffer at a time */
				tbuf_write(b, 0);
				b->spilled = 1;
			}
			trace_held_touch(); /* it falls inside a held bracket, written or not */
			r = &b->rec[b->n++];
			r->event = event;
			r->fmt = fmt;
			r->t = b->t_end = now_ns();
			r->py = py;
			r->a[0] = a0;
			r->a[1] = a1;
			r->a[2] = a2;
			r->a[3] = a3;
			b->regs += cls == TL_ROUTINE_REG;
			b->dtors += cls == TL_ROUTINE_DTOR;
			b->keys += cls == TL_ROUTINE_KEY;
			unlock(&b->lock);
			return;
		}
		unlock(&b->lock);
	}
	{
		uintptr_t a[4] = {a0, a1, a2, a3};
		tl_begin_py(&l, event, py);
		fmt(&l, a);
		l.cls = cls;
		tl_end(&l);
	}
}

/* b's thread no longer exists (threads.c saw it gone): its one line, or its kept lines if it did
 * not end as a routine thread does. Normal context. */
COLD_TEXT void routine_summary(struct tbuf *b)
{
	struct tline l;
	if (!b)
		return;
	atomic_store(&live[b->slot], NULL);
	if (!wait_lock(&b->lock))
		return;
	if (b->loud || b->spilled || !b->how) {
		/* (a thread whose end was not seen is not summed up as a clean one) */
		tbuf_write(b, 1);
	} else {
		tl_begin_as(&l, "thread_quiet", b->tid, b->t_start, b->py);
		tl_dec(&l, b->parent);
		tl_code(&l, b->routine);
		tl_dec(&l, (long long)(b->t_end > b->t_start ? b->t_end - b->t_start : 0));
		tl_dec(&l, b->regs);
		tl_dec(&l, b->dtors);
		tl_dec(&l, b->keys);
		tl_word(&l, b->how);
		l.buf[l.len++] = '\n'; /* room: a line is cut CUT_RESERVE short of its capacity */
		proc_add(l.buf, l.len); /* (not tl_end: the calling thread's own buffer is not for it) */
	}
	b->n = 0;
	b->loud = 1;
	unlock(&b->lock);
}

/* Everything kept goes out: the summaries, and the kept lines of the threads not yet found gone
 * (they write directly from then on: a thread alive when teardown begins is not routine, nor one
 * that ended just before: a crash may follow from it). reclaim (not in a signal handler): threads
 * found gone are summed up first. Then this process's `dropped` totals, if it dropped anything. */
COLD_TEXT void routine_flush_all(int reclaim)
{
	int i;
	if (reclaim)
		threads_reclaim(1);
	for (i = 0; i < LIVE_SLOTS; i++) {
		struct tbuf *b = atomic_load_explicit(&live[i], memory_order_acquire);
		if (!b || b->loud)
			continue;
		if (b == ts.tb) {
			routine_thread_loud();
		} else if (wait_lock(&b->lock)) {
			tbuf_out(b);
			unlock(&b->lock);
		}
	}
	if (wait_lock(&proc_lock)) {
		proc_flush_locked();
		unlock(&proc_lock);
	}
	trace_dropped_line();
}

/* In the parent, before fork: the child must not write again what the parent keeps. */
COLD_TEXT void routine_before_fork(void)
{
	/* every live thread's kept lines too: a child's hang on a lock one of them held names that
	 * thread from the parent's trace (its start line), and the fork is a point of the timeline */
	routine_flush_all(0);
}

/* In a fork child: the other threads are gone, and what they kept is the parent's to write. */
COLD_TEXT void routine_after_fork_child(void)
{
	int i;
	proc_len = 0;
	unlock(&proc_lock);
	for (i = 0; i < LIVE_SLOTS; i++) {
		struct tbuf *b = atomic_load(&live[i]);
		if (b && b != ts.tb)
			atomic_store(&live[i], NULL);
	}
	if (ts.tb) {
		ts.tb->n = 0;
		ts.tb->loud = 1;
		unlock(&ts.tb->lock);
	}
}

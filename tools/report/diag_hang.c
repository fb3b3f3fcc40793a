/* diag_hang.c - the hang finding, from the watchdog's snapshots (hang, hang_thread, hang_bt,
 * hang_py lines; shim/watchdog.c):
 *   hang  a process still in teardown TLSTRACE_HANG_MS after it began: every thread of its last
 *         snapshot with what it waits on and who holds that, and the root cause in the host's
 *         terms: a mutex whose owner is not a thread of the process (held at fork by a thread of
 *         the parent), Python joining a non-daemon thread before the atexit callbacks, a
 *         sub-interpreter's destruction waiting for its thread, a join, a lock held by a thread
 *         that itself waits.
 * Runs after diag_outcome (report_end), so a kill that ended the hang is known. */

/* the fix of a hang inside a signal handler (a termination handler's, or SIGHUP's) */
#define HANDLER_FIX                                                                                            \
	"a signal handler must end the process or return at once: do not sleep, wait or take locks in it "    \
	"(the code it interrupted, or another thread, may hold them); set a flag the main loop checks, take "  \
	"the signal in a thread of its own with sigwait or signalfd, or end the process from the handler (in " \
	"Python: raise SystemExit or call sys.exit() in the handler; in C: _exit() after async-signal-safe "    \
	"cleanup), and bound any cleanup it does with a timeout"
/* the fix of a hang in Python's main thread after its termination handler returned (handler_py) */
#define PY_AFTER_HANDLER_FIX                                                                               \
	"the code that acts on the handler's flag must not wait without a bound: give the wait a timeout "   \
	"(lock.acquire(timeout=...), thread.join(timeout=...), queue.get(timeout=...), event.wait(timeout)) " \
	"and end the process when it passes, and make sure what it waits for still happens once the signal " \
	"came (the thread that would release the lock, set the event or end may itself have stopped)"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void name_py_lock_holders(const struct proc *p, struct finding *f, const struct index *pylock);
static char *started_as(const struct proc *q, int tid);
static char *cond_wait_words(const struct finding *f, const struct hang_thread *h, int *kind);


/* What sleeps in kernel function wchan (a hang_thread line's wchan, /proc/TID/wchan; Linux 6.x),
 * in words ("an epoll_wait"), NULL for one not in the table. A compiler's clone suffix
 * (".constprop.0", ".isra.0") is not part of the name. */
static const char *wchan_wait(const char *wchan)
{
	static const char *const waits[][2] = { /* wchan -> what sleeps there */
		{"hrtimer_nanosleep", "a sleep: sleep, usleep, nanosleep, clock_nanosleep"},
		{"do_nanosleep", "a sleep: sleep, usleep, nanosleep, clock_nanosleep"},
		{"futex_wait", "a futex wait: a mutex, condition variable or semaphore"},
		{"futex_wait_queue", "a futex wait: a mutex, condition variable or semaphore"},
		{"futex_do_wait", "a futex wait: a mutex, condition variable or semaphore"},
		{"do_sys_poll", "a poll"},
		{"poll_schedule_timeout", "a poll or select"},
		{"do_select", "a select"},
		{"ep_poll", "an epoll_wait"},
		{"do_epoll_wait", "an epoll_wait"},
		{"do_wait", "a wait for a child"},
		{"do_sigtimedwait", "a sigwait"},
		{"sigsuspend", "a sigsuspend or pause"},
	};
	size_t n = strcspn(wchan, ".");
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++)
		if (strlen(waits[i][0]) == n && !strncmp(wchan, waits[i][0], n))
			return waits[i][1];
	return NULL;
}

/* The system call of a thread whose hang_thread line has `?` for it (/proc/TID/syscall not
 * readable: a process that changed its user) but a wchan (/proc/TID/wchan is readable by all):
 * what the wchan says it sleeps in, and that /proc did not name the call (FRESH15b: "a system
 * call /proc does not show" sat next to the wchan /proc showed). malloc'd, NULL if no wchan. */
static char *syscall_from_wchan(const char *wchan)
{
	const char *w;
	if (!wchan || !*wchan || !strcmp(wchan, "0") || !strcmp(wchan, "-"))
		return NULL;
	w = wchan_wait(wchan);
	return w ? xasprintf("%s (as its wchan %s says: /proc did not give the system call)", w, wchan)
		 : xasprintf("a system call /proc did not give, asleep in the kernel's %s (its wchan)", wchan);
}

/* a hang_thread line's system call field, in words: the x86-64 call's name (syscalls.c; "vfork"
 * for 58), "system call 999" for a number the table lacks; static storage for those */
static const char *syscall_words(const char *f)
{
	static char buf[40];
	char *end;
	long nr;
	if (!strcmp(f, "-1"))
		return "user space (not in a system call)";
	if (!strcmp(f, "?"))
		return "a system call /proc does not show";
	if (!strcmp(f, "running"))
		return "no system call (running)";
	nr = strtol(f, &end, 10);
	if (*f && !*end && syscall_name(nr))
		return syscall_name(nr);
	snprintf(buf, sizeof buf, "system call %.20s", f);
	return buf;
}

static struct hang_thread *thread_in(struct finding *f, int tid)
{
	for (int i = 0; i < detail_of(f)->nthreads; i++)
		if (detail_of(f)->threads[i].tid == tid)
			return &detail_of(f)->threads[i];
	return NULL;
}

/* thread_in for read_snapshot's thousands of lines: by an index of tid -> place + 1 in threads
 * (the first of a tid, as thread_in finds) */
static struct hang_thread *snapshot_thread(struct finding *f, const struct index *by_tid, int tid)
{
	intptr_t k = (intptr_t)index_get(by_tid, tid);
	return k ? &finding_detail(f)->threads[k - 1] : NULL;
}

/* the snapshot's threads from the events after proc_ev(p, at) (its hang line) up to its hang_end */
static void read_snapshot(struct finding *f, const struct proc *p, int at)
{
	struct index by_tid = {0}, pylock = {0}; /* pylock: the threads a hang_pylock line describes */
	int i, cap = 0;
	for (i = at + 1; i < p->nev && proc_ev(p, i)->type != EV_HANG_END && proc_ev(p, i)->type != EV_HANG &&
			 proc_ev(p, i)->type != EV_KILL_SNAP && proc_ev(p, i)->type != EV_KILL_SNAP_END; i++) {
		const struct event *e = proc_ev(p, i);
		struct hang_thread *h;
		const char *s;
		if (e->type == EV_HANG_THREAD) {
			struct finding_detail *d = finding_detail(f);
			if (d->nthreads == cap) {
				cap = cap ? cap * 2 : 8;
				d->threads = xrealloc(d->threads, (size_t)cap * sizeof *d->threads);
			}
			h = &d->threads[d->nthreads++];
			memset(h, 0, sizeof *h);
			h->tid = (int)ev_dec(e, 0);
			if (!index_get(&by_tid, h->tid))
				index_put(&by_tid, h->tid, (void *)(intptr_t)d->nthreads);
			h->state = ev_field(e, 1)[0];
			h->name = decode_str(ev_field(e, 2));
			h->wchan = decode_str(ev_field(e, 3));
			h->syscall = !strcmp(ev_field(e, 4), "?") ? syscall_from_wchan(h->wchan) : NULL;
			if (!h->syscall)
				h->syscall = xstrdup(syscall_words(ev_field(e, 4)));
			h->syscall_unknown = !strcmp(ev_field(e, 4), "?");
			h->waits = strcmp(ev_field(e, 5), "-") ? ev_field(e, 5) : NULL;
			h->addr = strcmp(ev_field(e, 6), "-") ? ev_hex(e, 6) : 0;
			h->holder = strcmp(ev_field(e, 7), "-") ? (int)ev_dec(e, 7) : 0;
			h->py_name = e->nf > 8 ? decode_str(ev_field(e, 8)) : NULL;
			if (h->waits && !strcmp(h->waits, "gil"))
				h->object = xstrdup("the GIL");
			else if (h->addr && (s = sym_data_at(p, h->addr)))
				h->object = xstrdup(s);
		} else if (e->type == EV_HANG_BT && (h = snapshot_thread(f, &by_tid, (int)ev_dec(e, 0)))) {
			h->unwinder = ev_field(e, 1);
			h->bt = frames_of(p, e, 2, 1, &h->nbt);
		} else if (e->type == EV_HANG_PYLOCK && (h = snapshot_thread(f, &by_tid, (int)ev_dec(e, 0))) &&
			   h->waits && !strcmp(h->waits, "futex")) {
			/* the Python lock behind that futex (shim/python.c py_lock_wait): a join of the
			 * thread holder, an RLock its holder owns, a Lock (no owner) */
			const char *what = ev_field(e, 1);
			if (!strcmp(what, "join") || !strcmp(what, "rlock") || !strcmp(what, "lock")) {
				h->waits = !strcmp(what, "join") ? "join" : !strcmp(what, "rlock") ? "rlock" : "lock";
				index_put(&pylock, h->tid, h);
				h->holder = strcmp(ev_field(e, 3), "-") ? (int)ev_dec(e, 3) : 0;
				free(h->object);
				h->object = h->waits[0] == 'j' ? NULL
					    : xasprintf("threading.%s %s", h->waits[0] == 'r' ? "RLock" : "Lock", ev_field(e, 2));
			}
		} else if (e->type == EV_HANG_RWLOCK && (h = snapshot_thread(f, &by_tid, (int)ev_dec(e, 0))) &&
			   h->waits && !strcmp(h->waits, "futex")) {
			/* the pthread_rwlock_t behind that futex (shim/watchdog.c rwlock_wait): its
			 * writer, or (none) its readers, who record no owner */
			h->waits = "rwlock";
			h->addr = ev_hex(e, 1);
			h->holder = strcmp(ev_field(e, 2), "-") ? (int)ev_dec(e, 2) : 0;
			free(h->object);
			h->object = (s = sym_data_at(p, h->addr)) ? xstrdup(s) : NULL;
			/* (its fifth field, written since HANG15: the __cur_writer of a write phase, which
			 * may name a thread that ended or was cancelled holding it; "-" a read phase. In
			 * a write phase the readers counted wait, they do not hold it) */
			int wphase = e->nf > 4 && strcmp(ev_field(e, 4), "-");
			if (!h->holder && wphase && ev_dec(e, 4) > 0) {
				char *r = started_as(p, (int)ev_dec(e, 4));
				h->holder = (int)ev_dec(e, 4);
				h->holder_text = xasprintf("thread %d%s%s%s, for writing: not a thread of this process any more (it "
							   "ended, or was cancelled, without unlocking it)", h->holder,
							   r ? " (started at " : "", r ? r : "", r ? ")" : "");
				free(r);
			} else if (!h->holder && !wphase && ev_dec(e, 3) > 0)
				h->holder_text = xasprintf("%lld reader%s (a read lock records no owner)", ev_dec(e, 3),
							   ev_dec(e, 3) > 1 ? "s" : "");
		} else if (e->type == EV_HANG_FILELOCK && e->nf > 5 && (h = snapshot_thread(f, &by_tid, (int)ev_dec(e, 0))) &&
			   !h->lock_call) {
			/* a file lock's wait (shim/watchdog.c filelock_line): the file, and the holder
			 * /proc/locks names; flock's lock belongs to an open file description, so the
			 * holder may be this process itself (another open of the file), or a child that
			 * inherited the descriptor */
			char *path = decode_str(ev_field(e, 5)), *comm = decode_str(ev_field(e, 4));
			h->lock_call = !strcmp(ev_field(e, 1), "flock") ? "flock" : "fcntl";
			h->lock_path = path;
			h->lock_holder = strcmp(ev_field(e, 3), "-") ? (int)ev_dec(e, 3) : 0;
			h->lock_text = !h->lock_holder
				? xasprintf("on %s, whose holder /proc/locks did not name", path)
				: h->lock_holder == p->pid
				? xasprintf("on %s, held by this process itself (%s: another open of the file holds it)", path,
					    !strcmp(h->lock_call, "flock") ? "an flock lock belongs to the open file, not the process"
									   : "a lock of another open file description")
				: xasprintf("on %s, held by process %d%s%s%s", path, h->lock_holder, *comm ? " (" : "", comm,
					    *comm ? ")" : "");
			free(comm);
		} else if (e->type == EV_HANG_STDIO && (h = snapshot_thread(f, &by_tid, (int)ev_dec(e, 0))) &&
			   h->waits && !strcmp(h->waits, "futex")) {
			/* a stdio stream's lock (shim/watchdog.c stdio_lock_wait): the stream, named where
			 * it is one of glibc's own (_IO_2_1_stdout_: stdout), and its owner where recorded */
			uint64_t file = ev_hex(e, 1);
			s = sym_data_at(p, file);
			h->waits = "stdio";
			h->holder = strcmp(ev_field(e, 2), "-") ? (int)ev_dec(e, 2) : 0;
			free(h->object);
			h->object = s && !strncmp(s, "_IO_2_1_", 8) ? xasprintf("%.*s", (int)strcspn(s + 8, "_"), s + 8)
				    : xasprintf("the stream at 0x%llx", (unsigned long long)file);
			if (!h->holder)
				h->holder_text = xstrdup("no thread recorded as its owner (glibc's stream lock stores its owner "
							 "just after taking the lock and clears it just before releasing it)");
		} else if (e->type == EV_HANG_PY && (h = snapshot_thread(f, &by_tid, (int)ev_dec(e, 0)))) {
			char *text = decode_str(ev_field(e, 1));
			h->py = xrealloc(h->py, (size_t)(h->npy + 1) * sizeof *h->py);
			if (e->nf > 2) { /* a thread's header names its interpreter */
				h->py[h->npy++] = xasprintf("%s [%s]", text, !strcmp(ev_field(e, 2), "main") ? "main interpreter"
								: "sub-interpreter");
				free(text);
			} else {
				h->py[h->npy++] = text;
			}
		}
	}
	for (i = 0; i < detail_of(f)->nthreads; i++) {
		struct hang_thread *h = &detail_of(f)->threads[i];
		h->holder_alive = h->holder && snapshot_thread(f, &by_tid, h->holder) != NULL;
	}
	for (i = 0; i < detail_of(f)->nthreads; i++) /* (once_runner reads the others' frames) */
		finding_detail(f)->threads[i].wait_text = cond_wait_words(f, &detail_of(f)->threads[i], NULL);
	index_free(&by_tid);
	name_py_lock_holders(p, f, &pylock);
	index_free(&pylock);
}

/* h waits for a lock whose owner the shim read: a glibc mutex, or a pthread_rwlock_t held for
 * writing (its __cur_writer); h->holder says who, 0 if not known */
static int held_lock(const struct hang_thread *h)
{
	return h->waits && (!strcmp(h->waits, "mutex") || !strcmp(h->waits, "rwlock") || !strcmp(h->waits, "stdio"));
}

/* what a held lock h waits on is, before its name: "mutex", "rwlock", "stream lock of" (a stdio
 * stream's: its name is the stream's, "stdout") */
static const char *lock_kind_words(const struct hang_thread *h)
{
	return !strcmp(h->waits, "stdio") ? "stream lock of" : h->waits;
}

/* "log_lock (0x5581c0a040c0)" or "at 0x7f..." (static storage) */
static const char *mutex_name(const struct hang_thread *h)
{
	static char buf[400];
	if (h->object)
		snprintf(buf, sizeof buf, "%s (0x%llx)", h->object, (unsigned long long)h->addr);
	else
		snprintf(buf, sizeof buf, "at 0x%llx", (unsigned long long)h->addr);
	return buf;
}

/* a thread_start line of process q for thread tid, or the thread_quiet line that stands for it
 * (routine.c; both have the routine in field 1): its routine's name, malloc'd; NULL if none */
static char *started_as(const struct proc *q, int tid)
{
	for (int i = 0; q && i < q->nev; i++)
		if ((proc_ev(q, i)->type == EV_THREAD_START || proc_ev(q, i)->type == EV_THREAD_QUIET) && proc_ev(q, i)->tid == tid)
			return code_func_name(q, ev_field(proc_ev(q, i), 1));
	/* a thread whose start line was kept and never written (routine.c): a threads_alive line
	 * (TID ROUTINE NAME triples from field 2) names its routine */
	for (int i = 0; q && i < q->nev; i++)
		if (proc_ev(q, i)->type == EV_THREADS_ALIVE)
			for (int k = 2; k + 1 < proc_ev(q, i)->nf; k += 3)
				if (ev_dec(proc_ev(q, i), k) == tid)
					return code_func_name(q, ev_field(proc_ev(q, i), k + 1));
	return NULL;
}

/* For a forked p: its parent's other threads alive at that fork (the parent's last threads_alive
 * line of a fork before p's first line, read with alive_thread: its names decoded), in words, "its
 * parent had 1 other thread at the fork: 2262 (holder, started at Thread.run)"; NULL if it had
 * none, or p is not a forked child of a traced parent. malloc'd */
static char *threads_at_fork(const struct proc *p)
{
	const struct proc *parent = p->forked ? proc_parent(p) : NULL;
	const struct event *a = NULL;
	char buf[600], *r, *nm;
	size_t n = 0;
	int count = 0;
	for (int i = 0; parent && i < parent->nev && proc_ev(parent, i)->t <= proc_t_first(p); i++)
		if (proc_ev(parent, i)->type == EV_THREADS_ALIVE && !strcmp(ev_field(proc_ev(parent, i), 0), "fork"))
			a = proc_ev(parent, i);
	if (!a)
		return NULL;
	for (int tid; n < sizeof buf - 200 && alive_thread(parent, a, count, &tid, &r, &nm); count++) {
		if (!nm)
			nm = thread_name_later(parent, a, tid);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%sthread %d (%s%sstarted at %s)", count ? ", " : "", tid,
				      nm ? nm : "", nm ? ", " : "", r);
		free(r);
		free(nm);
	}
	return count ? xasprintf("its parent had %d other thread%s at the fork: %s", count, count == 1 ? "" : "s", buf)
		     : NULL;
}

/* h waits on a glibc mutex whose owner (its __owner, read by shim/watchdog.c) is not a thread in
 * p's snapshot: its holder_text says who that owner is, as the hang's and the killed finding's
 * thread lines and messages say it: in a forked process, a thread of its parent, which fork (it
 * copies only the calling thread: POSIX fork, glibc nptl/fork.c) did not copy. Nothing if h waits
 * on something else or its holder_text is already said. */
static void name_gone_mutex_holder(const struct proc *p, struct hang_thread *h)
{
	const struct proc *parent = p->forked ? proc_parent(p) : NULL;
	char *routine;
	if (!h->waits || strcmp(h->waits, "mutex") || !h->holder || h->holder_alive || h->holder_text)
		return;
	routine = parent ? started_as(parent, h->holder) : NULL;
	h->holder_text = xasprintf("thread %d, not a thread of this process%s%s%s%s", h->holder,
				   parent ? ": a thread of its parent" : "", routine ? ", started at " : "",
				   routine ? routine : "", parent ? ", which fork did not copy" : "");
	free(routine);
}

/* the innermost Python frame that is not the standard library's threading machinery, else the
 * innermost: '"repro.py", line 12 in background'; malloc'd, NULL without a traceback */
static char *py_where(const struct hang_thread *h)
{
	int i, pick = -1;
	for (i = 0; i < h->npy; i++) {
		const char *s = h->py[i];
		if (!strstr(s, "File \""))
			continue;
		if (pick < 0)
			pick = i;
		/* (runpy's frozen frames, python3 -m's, are no code of the program's: HANG15) */
		if (!strstr(s, "/threading.py\"") && !strstr(s, "/lib/python3") && !strstr(s, "File \"<frozen ")) {
			pick = i;
			break;
		}
	}
	if (pick < 0)
		return NULL;
	return xstrdup(strstr(h->py[pick], "File \"") + 5);
}

/* 1 if traceback line s is a frame of function func ("File "...", line N in func") */
/* a traceback line's function name (what follows its last " in ") is func: func itself, or a
 * qualified name whose last part is func (the shim writes co_qualname, CPython 3.11+: "Thread.join",
 * "Conn.__del__", "main.<locals>.stop"; faulthandler's own text, and the shim's before it, co_name) */
static int py_in_line(const char *s, const char *func)
{
	const char *in = NULL, *name;
	size_t n = strlen(s), k = strlen(func);
	for (const char *p = s; (p = strstr(p, " in ")) != NULL; p++)
		in = p;
	if (!in || n < k || strcmp(s + n - k, func))
		return 0;
	name = in + 4;
	return s + n - k == name || (s + n - k > name && s[n - k - 1] == '.');
}

/* 1 if a native frame of h is in the function named func (its symbol: a program's exported name,
 * "gracefully_kill" in uwsgi-core) */
static int native_in(const struct hang_thread *h, const char *func)
{
	for (int i = 0; i < h->nbt; i++) {
		struct symres sr;
		if (sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) == 0 && sr.func && !strcmp(sr.func, func))
			return 1;
	}
	return 0;
}

static int py_in(const struct hang_thread *h, const char *func)
{
	for (int i = 0; i < h->npy; i++)
		if (py_in_line(h->py[i], func))
			return 1;
	return 0;
}

/* The hang watchdog names each thread state's interpreter at its traceback's header ("...: [main
 * interpreter]" or "[sub-interpreter]": hang_py's interp, diag_hang.c snapshot reading). 1 if func
 * is a frame of h's inside a sub-interpreter's block (a thread has a state in each interpreter it
 * ran in: python3's main thread ending one runs threading._shutdown there) */
static int header_is(const char *line, const char *tag)
{
	size_t n = strlen(line), k = strlen(tag);
	return n >= k && !strcmp(line + n - k, tag);
}

static int py_in_sub(const struct hang_thread *h, const char *func)
{
	int sub = 0;
	for (int i = 0; i < h->npy; i++)
		if (header_is(h->py[i], "[sub-interpreter]"))
			sub = 1;
		else if (header_is(h->py[i], "[main interpreter]"))
			sub = 0;
		else if (sub && py_in_line(h->py[i], func))
			return 1;
	return 0;
}

/* 1 if h's thread states are all in sub-interpreters (a thread a sub-interpreter's code started) */
static int py_only_sub(const struct hang_thread *h)
{
	int any = 0;
	for (int i = 0; i < h->npy; i++)
		if (header_is(h->py[i], "[main interpreter]"))
			return 0;
		else if (header_is(h->py[i], "[sub-interpreter]"))
			any = 1;
	return any;
}

/* for a fix whose teardown is uWSGI's Py_Finalize at a worker's or a mule's exit()
 * (uwsgi_plugins_atexit; a mule: uwsgi_mule on h's stack, core/mule.c), what that means under
 * uWSGI; for a gunicorn worker (p's program), what its arbiter does; "" otherwise. what: what the
 * stop waits for ("the thread", "the callback"). malloc'd */
static char *uwsgi_mercy_words(const struct proc *p, const struct finding *f, const struct hang_thread *h,
			       const char *what)
{
	/* (a gunicorn worker: its arbiter's SIGKILL after --graceful-timeout, gunicorn/arbiter.py
	 * stop and murder_workers; FRESH14: no fix said it). The value it ran with where its
	 * command line gives it (a worker's is its arbiter's: forked, no exec) */
	/* (the arbiter itself: not forked from a gunicorn process; nothing of gunicorn's kills it,
	 * and with --preload the application's import, and so a thread it starts, runs there:
	 * gunicorn/arbiter.py setup, app.wsgi() before the workers fork; HANG15, where the fix said
	 * the arbiter would kill it) */
	const struct proc *parent = p->forked ? proc_parent(p) : NULL;
	if (!strncmp(prog_of(p), "gunicorn", 8) && !(parent && !strncmp(prog_of(parent), "gunicorn", 8))) {
		const char *argv = proc_prog(p)->argv;
		int preload = argv && strstr(argv, "--preload");
		return xasprintf("; this is gunicorn's arbiter (its master process), not a worker: no SIGKILL of gunicorn's ends "
				 "it, only its own supervisor's (systemd's TimeoutStopSec, a container's stop timeout)%s",
				 preload ? "; with --preload the application is imported in the arbiter, and a thread it starts "
					   "at import runs there (each worker is forked without it): start such threads in "
					   "each worker instead (a post_worker_init hook, or on the first request)" : "");
	}
	/* (a worker that no SIGTERM reached ended by itself: --max-requests, its parent gone; it
	 * stops notifying the arbiter, whose check after --timeout sends SIGABRT, then SIGKILL:
	 * gunicorn/arbiter.py murder_workers; HANG15) */
	int termed = 0;
	for (int i = 0; i < p->nev && !termed; i++)
		termed = proc_ev(p, i)->type == EV_SIG_ARRIVE && (ev_dec(proc_ev(p, i), 0) == SIGTERM || ev_dec(proc_ev(p, i), 0) == SIGQUIT ||
								  ev_dec(proc_ev(p, i), 0) == SIGINT);
	if (!strncmp(prog_of(p), "gunicorn", 8) && !termed) {
		char *t = option_words(p, "--timeout", "30 s");
		char *s = xasprintf("; this gunicorn worker ended by itself (no SIGTERM reached it: --max-requests, or its "
				    "arbiter gone), and a worker in its exit stops notifying the arbiter, which after "
				    "%s sends it SIGABRT (the worker timeout) and, at its next check, "
				    "SIGKILL: every such restart waits for %s that long", t, what);
		free(t);
		return s;
	}
	if (!strncmp(prog_of(p), "gunicorn", 8)) {
		char *g = option_words(p, "--graceful-timeout", "30 s");
		char *s = xasprintf("; under gunicorn the arbiter sends a worker still running %s after its SIGTERM a "
				    "SIGKILL, so every stop and restart waits for %s that long", g, what);
		free(g);
		return s;
	}
	if (!f->phase || !strstr(f->phase, "uwsgi_plugins_atexit"))
		return xstrdup("");
	int mule = h && native_in(h, "uwsgi_mule");
	char *mercy = option_words(p, mule ? "--mule-reload-mercy" : "--worker-reload-mercy", "60 s");
	char *s = xasprintf("; under uWSGI %s exit() runs Py_Finalize (uwsgi_plugins_atexit), so every reload and stop "
			    "waits for %s until the master's mercy (%s, which only shortens the wait) ends in SIGKILL",
			    mule ? "a mule's" : "the worker's", what, mercy);
	free(mercy);
	return s;
}

/* 1 if h is in concurrent.futures' exit hook (Lib/concurrent/futures/thread.py _python_exit,
 * registered with threading._register_atexit: threading._shutdown runs it before it joins the
 * non-daemon threads), joining its executors' workers */
static int py_in_executor_exit(const struct hang_thread *h)
{
	for (int i = 0; i < h->npy; i++)
		if (strstr(h->py[i], "/concurrent/futures/thread.py\"") && py_in_line(h->py[i], "_python_exit"))
			return 1;
	return 0;
}

/* 1 if h is in concurrent.futures' exit hook for process pools (Lib/concurrent/futures/process.py
 * _python_exit, 3.9+: it joins each ProcessPoolExecutor's manager thread) */
static int py_in_process_executor_exit(const struct hang_thread *h)
{
	for (int i = 0; i < h->npy; i++)
		if (strstr(h->py[i], "/concurrent/futures/process.py\"") && py_in_line(h->py[i], "_python_exit"))
			return 1;
	return 0;
}

/* The traced children p forked that had no end by time t (no exit, no reap, no death seen before
 * t): "19231 (python3), 19240 (python3)", at most 8; NULL if none. malloc'd */
static char *live_children_words(const struct report *r, const struct proc *p, uint64_t t)
{
	char buf[400] = "";
	size_t n = 0;
	int k = 0;
	for (int i = 0; i < r->nprocs && k < 8; i++) {
		const struct proc *c = r->procs[i];
		if (c == p || c->ppid != p->pid || !c->forked || !c->nev || proc_t_first(c) > t ||
		    (c->exit_known && proc_t_last(c) <= t))
			continue;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%d (%s)", k++ ? ", " : "", c->pid,
				      proc_prog(c)->exe ? base_name(proc_prog(c)->exe) : "?");
		if (n >= sizeof buf - 60)
			break;
	}
	return k ? xstrdup(buf) : NULL;
}

/* the outermost Python frame of h that is not the standard library's: the function Python called
 * from C, an atexit callback, or from threading._shutdown, a threading._register_atexit callback
 * ('"app.py", line 30 in flush_metrics'); malloc'd, NULL if none */
static char *py_outermost_own(const struct hang_thread *h)
{
	for (int i = h->npy - 1; i >= 0; i--) {
		const char *s = strstr(h->py[i], "File \"");
		if (s && !strstr(s, "/threading.py\"") && !strstr(s, "/lib/python3"))
			return xstrdup(s + 5);
	}
	return NULL;
}

/* what a thread asleep in system call sc (syscall_words) waits in, in Python's terms: what CPython
 * 3.11 to 3.14 call on glibc (shim/sleeps.c); NULL for another call */
static const char *py_wait_words(const char *sc)
{
	static const char *const words[][2] = {
		{"clock_nanosleep", "asleep in clock_nanosleep (time.sleep)"},
		{"nanosleep", "asleep in nanosleep"},
		{"pselect6", "polling in select (select.select)"},
		{"select", "polling in select (select.select)"},
		{"poll", "polling in poll (select.poll)"},
		{"ppoll", "polling in ppoll"},
		{"epoll_wait", "polling in epoll_wait (select.epoll, selectors)"},
		{"epoll_pwait", "polling in epoll_pwait (select.epoll, selectors)"},
		{"epoll_pwait2", "polling in epoll_pwait2"},
		{"futex", "waiting on a lock (a futex: Lock.acquire, with a timeout or not, Event.wait, Condition.wait, "
			  "Thread.join, queue.Queue.get)"},
		/* (shim/reads.c: what each reaches; glibc's recv is the recvfrom system call) */
		{"read", "reading in read (os.read; io's read and readline; input() from a pipe)"},
		{"readv", "reading in readv (os.readv)"},
		{"recvfrom", "receiving in recvfrom (socket.recv, recv_into, recvfrom)"},
		{"recvmsg", "receiving in recvmsg (socket.recvmsg)"},
		{"accept4", "waiting for a connection in accept4 (socket.accept)"},
		{"accept", "waiting for a connection in accept"},
		{"connect", "connecting in connect (socket.connect)"},
		{"pause", "waiting for a signal in pause (signal.pause)"},
		{"rt_sigsuspend", "waiting for a signal in rt_sigsuspend"},
		{"rt_sigtimedwait", "waiting for a signal in rt_sigtimedwait (signal.sigwaitinfo, sigtimedwait, sigwait)"},
		{"flock", "waiting for a file lock in flock (fcntl.flock)"},
		{"fcntl", "waiting for a file lock in fcntl (fcntl.lockf, fcntl.fcntl F_SETLKW)"},
		{"wait4", "waiting for a child in wait4 (os.waitpid, os.wait)"},
		{"waitid", "waiting for a child in waitid (os.waitid)"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(sc, words[i][0]))
			return words[i][1];
	return NULL;
}

/* 1 if h waits on a Python lock the shim named (hang_pylock: a join, an RLock, a Lock), which the
 * rules for those explain (its holder), not the atexit callback's */
static int py_lock_named(const struct hang_thread *h)
{
	return h->waits && (!strcmp(h->waits, "join") || !strcmp(h->waits, "rlock") || !strcmp(h->waits, "lock"));
}

/* 1 if h is in threading._shutdown's own wait (joining the non-daemon threads) or in the standard
 * library's code it calls (concurrent.futures joining its workers): no frame of the program's
 * under it, as a threading._register_atexit callback of its would be */
static int py_in_join(const struct hang_thread *h)
{
	int sd = -1;
	for (int i = 0; i < h->npy && sd < 0; i++)
		if (py_in_line(h->py[i], "_shutdown"))
			sd = i;
	if (sd < 0)
		return 0;
	/* (only the frames inside threading._shutdown, innermost first: those outside it are the
	 * code an embedder's Py_Finalize interrupted, a uWSGI mule's script whose time.sleep the
	 * master's signal cut into: end_me, exit(), uwsgi_plugins_atexit) */
	for (int i = 0; i < sd; i++) {
		const char *s = strstr(h->py[i], "File \"");
		if (s && !strstr(s, "/threading.py\"") && !strstr(s, "/lib/python3"))
			return 0;
	}
	return 1;
}

/* The outermost frame of the task a concurrent.futures worker h runs (the frame just inside
 * Lib/concurrent/futures/thread.py's _WorkItem.run, 3.11: "result = self.fn(...)"), as its
 * traceback line ("File "/srv/app.py", line 9 in fetch"), or NULL if h runs none; h's lines are
 * innermost first. malloc'd */
static char *executor_task(const struct hang_thread *h)
{
	for (int i = 1; i < h->npy; i++)
		if (strstr(h->py[i], "/concurrent/futures/thread.py\"") && py_in_line(h->py[i], "run")) {
			const char *s = strstr(h->py[i - 1], "File \"");
			return s ? xstrdup(s) : NULL;
		}
	return NULL;
}

/* 1 if h's innermost Python frame is function func of a file whose name ends in file ("/threading.py\"") */
static int py_in_innermost(const struct hang_thread *h, const char *file, const char *func)
{
	for (int i = 0; i < h->npy; i++) {
		const char *s = strstr(h->py[i], "File \""), *in;
		if (!s)
			continue;
		in = strstr(s, "\", line ");
		return in && in - s >= (ptrdiff_t)strlen(file) - 1 && !strncmp(in + 1 - strlen(file), file, strlen(file)) &&
		       py_in_line(in, func);
	}
	return 0;
}

/* Where a thread that is not running is, for a hang_thread line whose system call field says
 * "running" while its state is S or D: /proc's stat, wchan and syscall files are read at
 * different moments (shim/watchdog.c), and a thread between two sleeps of a loop is asleep in
 * its state and wchan but was running when its syscall file was read. Then wchan (the kernel
 * function it sleeps in) says where: "asleep in hrtimer_nanosleep (a sleep: sleep, nanosleep,
 * clock_nanosleep)"; NULL for another thread. malloc'd. */
static char *wchan_words(const struct hang_thread *h)
{
	if (h->lock_text && h->state != 'R') /* (a file lock's wait, its file and holder: hang_filelock) */
		return h->npy && py_wait_words(h->syscall) ? xasprintf("%s %s", py_wait_words(h->syscall), h->lock_text)
							   : xasprintf("waiting in %s for the file lock %s", h->lock_call, h->lock_text);
	if ((h->state == 'S' || h->state == 'D') && !strcmp(h->syscall, syscall_words("running")) && h->wchan &&
	    *h->wchan && strcmp(h->wchan, "0") && strcmp(h->wchan, "-")) {
		const char *w = wchan_wait(h->wchan);
		return w ? xasprintf("asleep in %s (%s)", h->wchan, w)
			 : xasprintf("asleep in %s (its wchan: the kernel function it sleeps in)", h->wchan);
	}
	return NULL;
}

/* wchan_words, else "sleeping in clock_nanosleep" or "running in ..." from the line; malloc'd */
static char *asleep_words(const struct hang_thread *h)
{
	char *w = wchan_words(h);
	return w ? w : xasprintf("%s in %s", h->state == 'R' ? "running" : "sleeping", h->syscall);
}

/* "thread 812 (python3)" then at, then "\"repro.py\", line 12 in background", or its wait */
/* 1 if h waits on a futex the snapshot names nothing for: not a glibc mutex (normal, robust, PI),
 * rwlock, condition, semaphore, stream lock or join, not the GIL nor a Python lock (shim/
 * watchdog.c task_line, hang_pylock; h->object, where set, only names the symbol holding the
 * word): a futex word is only an int, with no owner unless its user
 * stores one, so who would wake it is not known */
static int raw_futex(const struct hang_thread *h)
{
	return h->state != 'R' && h->waits && !strcmp(h->waits, "futex") && !h->holder && !h->wait_text && h->addr;
}
#define RAW_FUTEX_WORDS \
	"a raw futex: not a glibc mutex, rwlock, condition, semaphore or stream lock, nor a join, so it records no " \
	"holder; the thread that should wake it (FUTEX_WAKE on that word) is not known"

/* 1 if h was running code at the snapshot (state R, in no system call): busy in a loop of its
 * own, not waiting on anything (a Python `while True:` that calls nothing that blocks; where the
 * GIL is wanted by another thread it gives it up every 5 ms, sys.getswitchinterval, and may be
 * seen waiting for it instead) */
static int busy(const struct hang_thread *h)
{
	return h->state == 'R' && (!strcmp(h->syscall, syscall_words("running")) || !strcmp(h->syscall, syscall_words("-1")));
}

static char *thread_words_at(const struct proc *p, const struct hang_thread *h, const char *at)
{
	char *w = py_where(h), *r = started_as(p, h->tid), *s;
	if (r && strstr(r, "+0x")) { /* no function name: says nothing more than the thread's name */
		free(r);
		r = NULL;
	}
	char *named = h->py_name && strcmp(h->py_name, h->name) ? xasprintf("\"%s\" ", h->py_name) : xstrdup("");
	char *who = r ? xasprintf("thread %d %s(%s, started at %s)", h->tid, named, h->name, r)
		      : xasprintf("thread %d %s(%s)", h->tid, named, h->name);
	if (w)
		s = xasprintf("%s%s%s%s", who, at, w, busy(h) ? ", running there (busy: state R, in no system call)" : "");
	else if (h->wait_text)
		s = xasprintf("%s, %s", who, h->wait_text);
	else if (raw_futex(h))
		s = xasprintf("%s, waiting on the raw futex %s%s0x%llx%s in %s (%s)", who, h->object ? h->object : "",
			      h->object ? " (" : "at ", (unsigned long long)h->addr, h->object ? ")" : "", h->syscall,
			      RAW_FUTEX_WORDS);
	else if (h->waits)
		s = xasprintf("%s, waiting on a %s in %s", who, h->waits, h->syscall);
	else {
		char *a = asleep_words(h);
		s = xasprintf("%s, %s", who, a);
		free(a);
	}
	free(w);
	free(r);
	free(who);
	free(named);
	return s;
}

/* "thread 812 (python3), at "repro.py", line 12 in background" or its wait */
static char *thread_words(const struct proc *p, const struct hang_thread *h) { return thread_words_at(p, h, ", at "); }

/* Where the code of a Python process p can stop its threads before Python's join of the
 * non-daemon threads, in its host's terms: uWSGI's uwsgi.atexit (plugins/python/python_plugin.c
 * uwsgi_python_atexit calls it before Py_Finalize), gunicorn's worker_exit server hook (run in the
 * worker by Arbiter.spawn_worker before the worker's sys.exit), else the end of the main code
 * (a WSGI application has none: FRESH16b) */
static const char *host_shutdown_hook(const struct proc *p)
{
	if (host_is_uwsgi(p, NULL))
		return "under uWSGI, a function set as uwsgi.atexit (uWSGI calls it before Py_Finalize)";
	if (!strncmp(prog_of(p), "gunicorn", 8))
		return "under gunicorn, its worker_exit server hook (it runs in the worker before the worker exits)";
	return "at the end of the main code";
}

/* Thread tid of p's parent, alive there at a fork (the parent's threads_alive lines of its forks),
 * in words: "thread 30193 "listener" of its parent 30174 (uwsgi), which was running when this
 * process was forked: fork copied its thread state, not the thread"; NULL if p is no forked child
 * of a traced parent or tid was not such a thread. malloc'd (FRESH16b: h3 without --lazy-apps said
 * "which is not in the snapshot") */
static char *parent_thread_at_fork(const struct proc *p, int tid)
{
	const struct proc *parent = p->forked ? proc_parent(p) : NULL;
	char *r, *nm, *s = NULL;
	for (int i = 0; parent && i < parent->nev && !s; i++) {
		const struct event *a = proc_ev(parent, i);
		if (a->type != EV_THREADS_ALIVE || strcmp(ev_field(a, 0), "fork"))
			continue;
		for (int c = 0, t; !s && alive_thread(parent, a, c, &t, &r, &nm); c++) {
			if (t == tid && !nm)
				nm = thread_name_later(parent, a, tid);
			if (t == tid)
				s = xasprintf("thread %d%s%s%s of its parent %d (%s), which was running when this process was "
					      "forked: fork copied its thread state, not the thread", tid, nm ? " \"" : "",
					      nm ? nm : "", nm ? "\"" : "", parent->pid, prog_of(parent));
			free(r);
			free(nm);
		}
	}
	return s;
}

/* The holder of each Python lock a thread of f's snapshot waits on (hang_pylock), in words, for
 * the thread lines and the JSON: the joined thread and where it is, an RLock's owner, a Lock's
 * lack of one */
static void name_py_lock_holders(const struct proc *p, struct finding *f, const struct index *pylock)
{
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		struct hang_thread *h = &finding_detail(f)->threads[i], *o;
		if (!index_get(pylock, h->tid) || h->holder_text)
			continue;
		o = h->holder ? thread_in(f, h->holder) : NULL;
		char *inferred = NULL;
		int guess = 0;
		if (!strcmp(h->waits, "lock") && (guess = py_lock_inferred_holder(f, h, &inferred)) != 0)
			h->holder_text = xasprintf("whoever acquired it: likely thread %d %s", guess, inferred);
		else if (!strcmp(h->waits, "lock"))
			h->holder_text = xstrdup("whoever acquired it (a threading.Lock has no owner: not known)");
		else if (o)
			h->holder_text = thread_words_at(p, o, ", which is at ");
		else if (h->holder && !(h->holder_text = parent_thread_at_fork(p, h->holder)))
			h->holder_text = xasprintf("thread %d, which is not in the snapshot", h->holder);
		else if (!strcmp(h->waits, "rlock"))
			h->holder_text = xstrdup("no Python thread of this process (the RLock's owner is none of their "
						 "thread states, or it was released as the snapshot was taken)");
		free(inferred);
	}
}

/* the other Python threads (those with a Python frame) but self and also, in words, joined by "; " */
static char *other_py_threads_but(const struct proc *p, const struct finding *f, const struct hang_thread *self,
				  const struct hang_thread *also)
{
	char buf[2048];
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		const struct hang_thread *h = &detail_of(f)->threads[i];
		char *w;
		if (h == self || h == also || !(w = py_where(h)))
			continue;
		free(w);
		w = thread_words(p, h);
		n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s", n ? "; " : "", w);
		free(w);
	}
	return n ? xstrdup(buf) : NULL;
}

static char *other_py_threads(const struct proc *p, const struct finding *f, const struct hang_thread *self)
{
	return other_py_threads_but(p, f, self, NULL);
}

/* what thread j, joined by a thread of the snapshot, itself waits on, in words ("", or "; it waits
 * for ..."): a Python RLock's owner or a Lock, a mutex's owner, another join. malloc'd */
static char *joined_waits(const struct proc *p, struct finding *f, const struct hang_thread *j)
{
	const struct hang_thread *o;
	if (j && j->waits && !j->holder_text && j->holder && j->holder != j->tid && held_lock(j) &&
	    (o = thread_in(f, j->holder)) != NULL) {
		/* a native lock's owner, read by the shim (glibc's __data.__owner: shim/watchdog.c), in
		 * the snapshot: the thread it waits for, and what that one does (a chain of two: a
		 * destructor joins a thread that waits on a mutex a third thread keeps) */
		char *ow = thread_words_at(p, o, ", which is at "), *s;
		s = xasprintf("; it waits for the %s %s, held by %s", lock_kind_words(j), mutex_name(j), ow);
		free(ow);
		return s;
	}
	if (!j || !j->waits || !j->holder_text || !strcmp(j->waits, "child"))
		return xstrdup("");
	if (!strcmp(j->waits, "lock") && py_in_innermost(j, "/threading.py\"", "wait"))
		return xasprintf("; it waits in threading's Condition.wait (Event.wait and queue.Queue.get wait "
				 "there too) until another thread notifies it, on a threading.Lock (0x%llx), which has "
				 "no owner", (unsigned long long)j->addr);
	if (!strcmp(j->waits, "lock"))
		return xasprintf("; it waits on a threading.Lock (0x%llx: a Condition's, an Event's or a queue's "
				 "wait is one), which has no owner", (unsigned long long)j->addr);
	if (!strcmp(j->waits, "join"))
		return xasprintf("; it waits on the join of %s", j->holder_text);
	if (!strcmp(j->waits, "rlock"))
		return xasprintf("; it waits for the %s, held by %s", j->object, j->holder_text);
	return xasprintf("; it waits for the %s %s, held by %s", j->waits, mutex_name(j), j->holder_text);
}

/* The application thread a sub-interpreter's destruction (on thread h) waits for, for its fix:
 * 'thread 812 ("refresher")', the thread h's join waits on (hang_pylock) if it runs a
 * threading.Thread, else the one other Python thread of f's snapshot; else "the thread" (several,
 * or none known). malloc'd */
static char *interp_joined_name(const struct finding *f, const struct hang_thread *h)
{
	const struct hang_thread *j = h && h->waits && !strcmp(h->waits, "join") && h->holder ? thread_in((struct finding *)f, h->holder) : NULL;
	char *w;
	if (!j || !py_in(j, "_bootstrap")) {
		j = NULL; /* (a joined thread that runs no threading.Thread: interp_join_words) */
		for (int i = 0, n = 0; i < detail_of(f)->nthreads; i++) {
			const struct hang_thread *o = &detail_of(f)->threads[i];
			if (o == h || !(w = py_where(o)))
				continue;
			free(w);
			j = n++ ? NULL : o;
			if (n > 1)
				break;
		}
	}
	if (!j)
		return xstrdup("the thread");
	return j->py_name ? xasprintf("thread %d (\"%s\")", j->tid, j->py_name) : xasprintf("thread %d (%s)", j->tid, j->name);
}

/* The thread of f's snapshot that a sub-interpreter's destruction (on thread h) waits for whatever
 * the application's threads do: one with a thread state in a sub-interpreter that runs no
 * threading.Thread (no _bootstrap frame), in 3.11 that interpreter's threading._main_thread, the
 * thread that imported threading there (interp_join_words). The thread h joins if it is one
 * (*joined 1); else the only other such thread of the snapshot, which threading._shutdown joins
 * after the one it waits on now (its set has no order: mod_wsgi's daemon mode, h5, gives either
 * first; *joined 0); NULL if none, or several (a process with several application groups: which
 * one is this interpreter's is not known). joined may be NULL. */
static struct hang_thread *interp_importer(const struct finding *f, const struct hang_thread *h, int *joined)
{
	struct hang_thread *j = h && h->waits && !strcmp(h->waits, "join") && h->holder ? thread_in((struct finding *)f, h->holder) : NULL, *o = NULL;
	if (joined)
		*joined = 1;
	if (j && !py_in(j, "_bootstrap"))
		return j;
	if (!h)
		return NULL;
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		struct hang_thread *t = &finding_detail((struct finding *)f)->threads[i];
		if (t == h || t->tid == h->tid || !py_only_sub(t) || py_in(t, "_bootstrap"))
			continue;
		if (o)
			return NULL;
		o = t;
	}
	if (joined)
		*joined = 0;
	return o;
}

/* For a sub-interpreter's destruction whose thread h joins (hang_pylock): "; the join waits now
 * for ..." naming the joined thread, or "" (malloc'd). A joined thread that runs no
 * threading.Thread (no _bootstrap frame) is, in 3.11, that interpreter's threading._main_thread:
 * the thread that imported threading there; _shutdown, run by another thread, does not release
 * its lock but waits on it as on a non-daemon thread's (Lib/threading.py 3.11, _shutdown: "ignore
 * _main_thread"), and the lock is released only when that thread's thread state there is
 * deleted. */
static char *interp_join_words(const struct proc *p, const struct finding *f, const struct hang_thread *h)
{
	struct hang_thread *j = h && h->waits && !strcmp(h->waits, "join") && h->holder ? thread_in((struct finding *)f, h->holder) : NULL;
	char *w, *s;
	if (!j)
		return xstrdup("");
	if (py_in(j, "_bootstrap")) /* (one of the threads the caller lists) */
		return j->py_name ? xasprintf("; the join waits now for thread %d \"%s\"", j->tid, j->py_name)
				  : xasprintf("; the join waits now for thread %d", j->tid);
	w = thread_words(p, j);
	s = xasprintf("; the join waits now for %s, which runs no threading.Thread: the thread that imported "
		      "threading in that interpreter (its threading._main_thread, whose lock threading._shutdown "
		      "waits on like a non-daemon thread's when another thread ends the interpreter), which "
		      "holds it until its thread state there is deleted: so the destruction would wait for it "
		      "even without the application's threads", w);
	free(w);
	return s;
}

/* 1 if h, a thread whose episode of WNOHANG polls is open (no later wait call of its ended it),
 * is where a poll loop is between two polls: asleep in a call such a loop sleeps in (usleep,
 * time.sleep, select or poll with a timeout), in the wait call itself, or running; not blocked
 * in anything else (a read after one poll: it stopped polling) */
static int between_polls(const struct hang_thread *h)
{
	static const char *const calls[] = {"nanosleep", "clock_nanosleep", "select", "pselect6", "poll", "ppoll",
					    "epoll_wait", "epoll_pwait", "epoll_pwait2", "wait4", "waitid"};
	if (h->state == 'R' || !strcmp(h->syscall, syscall_words("running")) || !strcmp(h->syscall, syscall_words("-1")))
		return 1;
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
		if (!strcmp(h->syscall, calls[i]))
			return 1;
	return 0;
}

/* The glibc call a frame of thread h shows it is in, where h is blocked on a futex (waits
 * "futex"): FW_COND (pthread_cond_*wait: glibc nptl/pthread_cond_wait.c, the futex word it sleeps
 * on is one of the condition's __g_signals, so the snapshot's object is "c+0x28"), FW_SEM
 * (sem_wait, sem_timedwait, sem_clockwait: nptl/sem_waitcommon.c's __new_sem_wait_slow64),
 * FW_ONCE (pthread_once waiting for another thread's init routine: nptl/pthread_once.c's
 * __pthread_once_slow as the innermost frame; a thread that runs the routine has it deeper), or
 * FW_NONE (another futex wait, or frames with no symbols); *call its name ("pthread_cond_wait") */
enum { FW_NONE, FW_COND, FW_SEM, FW_ONCE };
static int futex_call(const struct hang_thread *h, char *call, size_t n)
{
	struct symres sr;
	if (!h->waits || strcmp(h->waits, "futex"))
		return FW_NONE;
	for (int i = 0; i < h->nbt; i++) {
		if (sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) != 0 || !sr.func)
			continue;
		if (strstr(sr.func, "pthread_cond_") && strstr(sr.func, "wait")) {
			snprintf(call, n, "%.*s", (int)strcspn(sr.func, "@"), sr.func);
			return FW_COND;
		}
		if (strstr(sr.func, "sem_wait") || strstr(sr.func, "sem_timedwait") || strstr(sr.func, "sem_clockwait")) {
			snprintf(call, n, "sem_wait");
			return FW_SEM;
		}
		if (strstr(sr.func, "pthread_once")) {
			snprintf(call, n, "pthread_once");
			return i == 0 ? FW_ONCE : FW_NONE;
		}
	}
	return FW_NONE;
}

/* Where h's frames show a dlclose (glibc's dlclose, _dl_close) below a frame of a program's module
 * (not the system's, not the shim's): that frame in words, "pl_stop (plugin.c:22) in
 * libplugin.so, a destructor of that module run by dlclose"; NULL otherwise. malloc'd */
static char *dlclose_frame_words(const struct hang_thread *h)
{
	int own = -1;
	char buf[800];
	struct symres sr;
	for (int i = 0; i < h->nbt; i++) {
		if (own < 0 && !is_system_module(h->bt[i].code.mod))
			own = i;
		else if (own >= 0 && sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) == 0 && sr.func &&
			 (!strncmp(sr.func, "dlclose", 7) || !strcmp(sr.func, "_dl_close") || !strcmp(sr.func, "__dlclose"))) {
			char *s;
			sym_describe(&h->bt[own].code, h->bt[own].is_return, buf, sizeof buf);
			s = short_name(buf);
			char *r = xasprintf("%s, a destructor of that module run by dlclose", s);
			free(s);
			return r;
		}
	}
	return NULL;
}

/* the other thread of f's snapshot inside a pthread_once init routine (__pthread_once_slow below
 * its innermost frame): the one a FW_ONCE wait waits for, where there is exactly one (which
 * pthread_once_t a routine runs for is not in its frames: two such threads name none); NULL if
 * none or more */
static const struct hang_thread *once_runner(const struct finding *f, const struct hang_thread *h)
{
	const struct hang_thread *found = NULL;
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		const struct hang_thread *o = &detail_of(f)->threads[i];
		struct symres sr;
		for (int k = 1; o != h && k < o->nbt; k++)
			if (sym_lookup(&o->bt[k].code, o->bt[k].is_return, &sr) == 0 && sr.func && strstr(sr.func, "pthread_once")) {
				if (found)
					return NULL;
				found = o;
				break;
			}
	}
	return found;
}

/* For thread h of f's snapshot blocked on a futex inside a glibc wait (futex_call), in words:
 * "waiting on the condition variable c in pthread_cond_wait (the futex word c+0x28 (0x55...)),
 * and no other thread is alive to signal it (the snapshot shows none)", the last clause only when
 * the snapshot has no other thread (hang_thread lines: every thread but the watchdog's); "waiting
 * on the semaphore s in sem_wait (...)"; "waiting in pthread_once on o (...) for the init routine
 * thread N runs". NULL for another futex wait, or frames with no symbols; *kind the FW_ kind (if
 * kind). malloc'd */
static char *cond_wait_words(const struct finding *f, const struct hang_thread *h, int *kind)
{
	char name[200];
	int k = futex_call(h, name, sizeof name);
	char *obj, *s;
	if (kind)
		*kind = k;
	if (k == FW_NONE)
		return NULL;
	/* the object's own name: its symbol without the futex word's offset in it */
	obj = h->object ? xasprintf("%.*s", (int)strcspn(h->object, "+"), h->object) : NULL;
	if (k == FW_ONCE) {
		const struct hang_thread *o = once_runner(f, h);
		char ocall[200];
		/* what that thread waits on in the routine (a condition or a semaphore: no further once) */
		int ok = o ? futex_call(o, ocall, sizeof ocall) : FW_NONE;
		char *ow = ok == FW_COND || ok == FW_SEM ? cond_wait_words(f, o, NULL) : NULL;
		char *by = o ? xasprintf("thread %d (%s) runs%s%s", o->tid, o->name, ow ? ", " : "", ow ? ow : "")
			     : xstrdup("another thread runs (not one the snapshot can tell: none of its threads, or more "
				       "than one, is inside a pthread_once routine; one that ran it may have been cancelled, "
				       "or left it by a longjmp)");
		s = xasprintf("waiting in pthread_once on %s (0x%llx) for its init routine to return, which %s",
			      obj ? obj : "a pthread_once_t", (unsigned long long)h->addr, by);
		free(by);
		free(ow);
	} else {
		char *what = obj ? xasprintf("the %s %s", k == FW_COND ? "condition variable" : "semaphore", obj)
				 : xstrdup(k == FW_COND ? "a condition variable" : "a semaphore");
		s = xasprintf("waiting on %s in %s (the futex word %s)%s", what, name, mutex_name(h),
			      detail_of(f)->nthreads > 1 ? ""
			      : k == FW_COND     ? ", and no other thread is alive to signal it (the snapshot shows none)"
						 : ", and no other thread is alive to post it (the snapshot shows none)");
		free(what);
	}
	free(obj);
	return s;
}

/* A function of the program's (a teardown step's routine, a signal handler), where a thread
 * whose frames are bt[0, nbt) is inside it, named as the report names a frame (symbolize.c
 * sym_describe): "wait_forever (atexit_sleep.c:6) in atexit_sleep", the file:line that of the
 * thread's frame in it (where in it the thread is: a snapshot's hang_bt), else its name and module
 * alone ("wait_forever in atexit_sleep"), else its module and offset ("prog+0x1139", under
 * --no-symbols); at != 0, for text inside parentheses: "wait_forever at atexit_sleep.c:6 in
 * atexit_sleep". NULL for an address in no module (it names nothing). tok: a code field of the
 * trace (an atexit_run's fn, a tls_dtor's dtor, a sig_arrive's handler). malloc'd */
char *code_where(const struct proc *p, const char *tok, const struct frame *bt, int nbt, int at)
{
	struct code c;
	const char *nm;
	char *fn, *s = NULL;
	if (code_parse(p, tok, &c) != 0 || !c.mod)
		return NULL;
	if (!(nm = sym_func(&c)))
		return code_func_name(p, tok);
	fn = xstrdup(nm);
	for (int i = 0; !s && i < nbt; i++) {
		struct symres sr;
		if (sym_lookup(&bt[i].code, bt[i].is_return, &sr) == 0 && sr.func && sr.file && !strcmp(sr.func, fn))
			s = xasprintf(at ? "%s at %s:%d in %s" : "%s (%s:%d) in %s", fn, base_name(sr.file), sr.line,
				      base_name(c.mod->path));
	}
	if (!s)
		s = xasprintf("%s in %s", fn, base_name(c.mod->path));
	free(fn);
	return s;
}

static char *routine_where(const struct proc *p, const char *tok, const struct hang_thread *h)
{
	return code_where(p, tok, h->bt, h->nbt, 0);
}

/* Thread tid's native frames in p's last complete hang snapshot (its hang_bt line), malloc'd and
 * *n their number; NULL (*n 0) if it has none */
struct frame *hang_last_frames(const struct proc *p, int tid, int *n)
{
	const struct event *bt = NULL;
	*n = 0;
	for (int i = 0; i < p->nev; i++) {
		if (proc_ev(p, i)->type != EV_HANG || !hang_snapshot_complete(p, proc_ev(p, i)))
			continue;
		for (int k = i + 1; k < p->nev && proc_ev(p, k)->type != EV_HANG; k++)
			if (proc_ev(p, k)->type == EV_HANG_BT && ev_dec(proc_ev(p, k), 0) == tid)
				bt = proc_ev(p, k);
	}
	return bt ? frames_of(p, bt, 2, 1, n) : NULL;
}

static char *step_routine(const struct proc *p, const struct hang_thread *h, const struct event *step);

/* 1 if thread tid of p is inside an interposed Py_Finalize at the snapshot hang: its py_fin line
 * came before it and had not returned then */
static int py_fin_open(const struct proc *p, int tid, const struct event *hang)
{
	for (int i = 0; i < p->nev && proc_ev(p, i) != hang; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->type == EV_PY_FIN && e->tid == tid && (!ev_match(e) || ev_match(e)->t > hang->t))
			return 1;
	}
	return 0;
}

/* 1 if h, the thread that began p's teardown, is in exit()'s flush of the stdio streams at the
 * snapshot hang: its exit_done line (the shim's last atexit handler: after it glibc's exit() runs
 * _IO_cleanup, then _exit; stdlib/exit.c) came before the snapshot, and it is blocked in a write
 * (or _IO_cleanup is on its stack, where libc's symbols name it) */
static int exit_flushing(const struct proc *p, const struct hang_thread *h, const struct event *hang)
{
	int done = 0;
	for (int i = 0; i < p->nev && proc_ev(p, i) != hang; i++)
		if (proc_ev(p, i)->type == EV_EXIT_DONE && proc_ev(p, i)->tid == h->tid)
			done = 1;
	return done && ((h->syscall && strstr(h->syscall, "write")) || native_in(h, "_IO_cleanup"));
}

/* The named routine of the program's that thread h (the one that began the teardown) is inside at
 * the snapshot whose hang line is hang: the innermost teardown step open on it then (begun before
 * the snapshot, not ended by then: analyze.c's phase has the same steps), in words: "the atexit
 * handler wait_forever (atexit_sleep.c:6) in atexit_sleep", "the static destructor of log_file,
 * Logger::~Logger() (log.cc:20) in liblog.so", "the TLS destructor of tls_buf, ...", "the
 * destructor of pthread key 2, ...", "the Py_AtExit function ...", "the destructor function ...
 * (DT_FINI_ARRAY)" (inside _dl_fini: h's frame that ld.so called, dtor_function_frame); *type
 * the step's event type (EV_ATEXIT_RUN ...). NULL when no step with a routine is open there, or
 * (_dl_fini) h's frames do not show it. A Python callback's and a Python signal handler's names
 * come from the traceback instead (explain). An embedder's Py_Finalize open inside the step is
 * named first: "Py_Finalize, in the atexit handler uwsgi_plugins_atexit in uwsgi-core" (*type
 * EV_PY_FIN). Also for a joined thread h in its exit (its TLS or key destructor). malloc'd */
static char *teardown_routine(const struct proc *p, const struct hang_thread *h, const struct event *hang, int *type)
{
	const struct event *step = NULL, *fin = NULL;
	char *s;
	if (!h)
		return NULL;
	for (int i = 0; i < p->nev && proc_ev(p, i)->t <= hang->t; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->tid != h->tid || (e->type != EV_ATEXIT_RUN && e->type != EV_TLS_DTOR && e->type != EV_KEY_DTOR &&
					 e->type != EV_PY_ATEXIT_RUN && e->type != EV_DL_FINI && e->type != EV_CXA_FIN &&
					 e->type != EV_PY_FIN))
			continue;
		if (ev_match(e) && ev_match(e)->t <= hang->t)
			continue;
		if (e->type == EV_PY_FIN)
			fin = e;
		else
			step = e, fin = NULL; /* (a Py_Finalize before it is not the innermost) */
	}
	if (!step && exit_flushing(p, h, hang)) {
		*type = EV_EXIT_DONE;
		return xstrdup("exit()'s flush of the stdio streams (glibc's _IO_cleanup, after the atexit handlers)");
	}
	if (!step || step->type == EV_CXA_FIN) /* (its frame that ld.so called is __do_global_dtors_aux) */
		return NULL;
	if (!(s = step_routine(p, h, step)))
		return NULL;
	*type = step->type;
	if (fin) { /* an embedder's Py_Finalize inside it (uWSGI's uwsgi_plugins_atexit): that is where */
		char *in = xasprintf("%s, in %s", ev_field(fin, 0), s);
		free(s);
		s = in;
		*type = EV_PY_FIN;
	}
	return s;
}

/* Inside _dl_fini, h's frame that ld.so called (_dl_call_fini) is not a destructor function of
 * its module but a function one called as its last act, a tail call (`jmp`: the destructor's own
 * frame was replaced by the callee's; gcc -O2): the shim's wrapper (its pthread_join), or a
 * function of libc's or the module's own. Which destructor function it was is found from the
 * modules' files (sym_fini_functions): the one whose code ends in a jump to that callee, by its
 * name, if exactly one does (file and line of its start); else the one module whose destructor
 * functions end in any tail call (the callee's name may be another alias: __pthread_clockjoin_ex
 * for pthread_join without the shim's wrapper), by the module; else none named. NULL when h's
 * frame that ld.so called is a destructor function (dtor_function_frame's case) or no frame
 * shows ld.so calling. malloc'd */
static char *dtor_tail_call(const struct proc *p, const struct hang_thread *h)
{
	enum { FINI_MAX = 64 };
	uint64_t fns[FINI_MAX];
	const char *callees[FINI_MAX], *callee;
	const struct module *mods = proc_mods(p), *fmod = NULL, *tmod = NULL;
	const struct frame *f = NULL;
	uint64_t fn = 0;
	int nmods = proc_nmods(p), k, found = 0, tail_mods = 0;
	for (k = 0; k + 1 < h->nbt && !f; k++) {
		const struct module *m = h->bt[k].code.mod, *up = h->bt[k + 1].code.mod;
		if (m && up && !strncmp(base_name(up->path), "ld-linux", 8) && strncmp(base_name(m->path), "ld-linux", 8))
			f = &h->bt[k];
	}
	if (!f)
		return NULL;
	{
		struct code c = f->code; /* (a return address: the call before it) */
		c.off -= f->is_return && c.off;
		if (!(callee = sym_func(&c)))
			return NULL;
	}
	if (!is_shim_module(f->code.mod)) {
		/* the frame ld.so called is a destructor function of its module's: not a tail call */
		int n = sym_fini_functions(f->code.mod, fns, callees, FINI_MAX);
		struct symres sr;
		if (n < 0 || sym_lookup(&f->code, f->is_return, &sr) != 0)
			return NULL;
		for (k = 0; k < n; k++)
			if (sr.func && f->code.off - sr.funcoff == fns[k])
				return NULL;
	}
	for (int i = 0; i < nmods; i++) {
		const struct module *m = &mods[i];
		int n;
		if (!m->path || is_shim_module(m) || !strncmp(base_name(m->path), "ld-linux", 8) ||
		    (n = sym_fini_functions(m, fns, callees, FINI_MAX)) <= 0)
			continue;
		for (k = 0; k < n; k++) {
			if (!callees[k])
				continue;
			if (tmod != m)
				tail_mods++, tmod = m;
			if (!strcmp(callees[k], callee))
				found++, fmod = m, fn = fns[k];
		}
	}
	if (found == 1) {
		struct code c = {fmod, fn};
		struct symres sr;
		char *s;
		if (sym_lookup(&c, 0, &sr) != 0 || !sr.func)
			return xasprintf("a destructor function of %s (DT_FINI_ARRAY, run by _dl_fini), which called %s directly "
					 "(a tail call: its own frame was gone)", base_name(fmod->path), callee);
		s = sr.file ? xasprintf("the destructor function %s (%s:%d) in %s (DT_FINI_ARRAY, run by _dl_fini), which "
					"called %s directly (a tail call: its own frame was gone)", sr.func, base_name(sr.file),
					sr.line, base_name(fmod->path), callee)
			    : xasprintf("the destructor function %s in %s (DT_FINI_ARRAY, run by _dl_fini), which called %s "
					"directly (a tail call: its own frame was gone)", sr.func, base_name(fmod->path), callee);
		return s;
	}
	if (tail_mods == 1)
		return xasprintf("a destructor function of %s (DT_FINI_ARRAY, run by _dl_fini), which called %s directly "
				 "(a tail call: its own frame was gone)", base_name(tmod->path), callee);
	return xasprintf("a destructor function (DT_FINI_ARRAY, run by _dl_fini) that called %s directly (a tail call: "
			 "its own frame was gone)", callee);
}

/* teardown_routine's words for the open step (its routine where h is in it); NULL if none */
static char *step_routine(const struct proc *p, const struct hang_thread *h, const struct event *step)
{
	char *w, *s, *what;
	int i;
	w = NULL;
	switch (step->type) {
	case EV_ATEXIT_RUN: { /* atexit_run seq fn */
		uint64_t obj;
		if (!(w = routine_where(p, ev_field(step, 1), h)))
			return NULL;
		if (atexit_is_static_dtor(p, ev_dec(step, 0), &obj)) {
			char *o = object_name(p, obj);
			s = xasprintf("the static destructor of %s, %s", o, w);
			free(o);
		} else {
			s = xasprintf("the atexit handler %s", w);
		}
		break;
	}
	case EV_TLS_DTOR: /* tls_dtor seq obj dtor */
		if (!(w = routine_where(p, ev_field(step, 2), h)))
			return NULL;
		what = tls_display_name(p, ev_dec(step, 0));
		s = xasprintf("the TLS destructor of %s, %s", what, w);
		free(what);
		break;
	case EV_KEY_DTOR: /* key_dtor key value dtor round */
		if (!(w = routine_where(p, ev_field(step, 2), h)))
			return NULL;
		s = xasprintf("the destructor of pthread key %lld, %s", ev_dec(step, 0), w);
		break;
	case EV_PY_ATEXIT_RUN: /* py_atexit_run seq fn */
		if (!(w = routine_where(p, ev_field(step, 1), h)))
			return NULL;
		s = xasprintf("the Py_AtExit function %s", w);
		break;
	default: /* _dl_fini: the destructor function ld.so called, where h's frames show it */
		if ((s = dtor_tail_call(p, h)) != NULL)
			return s;
		i = dtor_function_frame(h->bt, h->nbt);
		if (i < 0)
			return NULL;
		{
			struct symres sr;
			if (sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) != 0 || !sr.func)
				return NULL;
			w = sr.file ? xasprintf("%s (%s:%d) in %s", sr.func, base_name(sr.file), sr.line,
						base_name(h->bt[i].code.mod->path))
				    : xasprintf("%s in %s", sr.func, base_name(h->bt[i].code.mod->path));
		}
		s = xasprintf("the destructor function %s (DT_FINI_ARRAY, run by _dl_fini)", w);
		break;
	}
	free(w);
	return s;
}

/* the class a __del__ frame's line (py_outermost_own's text) belongs to, from its qualified name
 * (CPython 3.11+'s co_qualname, which the shim writes: "Conn.__del__" -> "Conn",
 * "make.<locals>.Conn.__del__" -> "make.<locals>.Conn"); malloc'd, NULL where the line has only
 * co_name (faulthandler's text: a trace of a shim before this one) */
static char *py_del_class(const char *line)
{
	const char *in = NULL, *end = line + strlen(line);
	for (const char *p = line; (p = strstr(p, " in ")) != NULL; p++)
		in = p;
	if (!in || end - (in + 4) <= 8 || strcmp(end - 8, ".__del__"))
		return NULL;
	return xasprintf("%.*s", (int)(end - 8 - (in + 4)), in + 4);
}

/* A hang in python3's Py_FinalizeEx after the atexit callbacks (hang_arm py_fin_late, by the
 * watchdog at a wait or by the handler watcher on the stack): the program's outermost Python frame
 * on h, the thread that blocks or loops, is the finalizer Python called (CPython 3.11
 * Python/pylifecycle.c: _PyGC_CollectNoFail, then finalize_modules, run __del__ methods and
 * weakref callbacks there), named before the root cause the rules gave its wait, with a fix of its
 * own before theirs: a __del__ by its class where its qualified name gives it; *rt (malloc'd)
 * names it where no rule named a routine */
static void name_py_finalizer(struct finding *f, const struct hang_thread *h, char **rt)
{
	char pycb[600], *cb = py_outermost_own(h), *s, *cls, *who;
	int del;
	if (!cb)
		return;
	del = py_in_line(cb, "__del__");
	cls = del ? py_del_class(cb) : NULL;
	if (!finding_py_callback(f, pycb, sizeof pycb))
		snprintf(pycb, sizeof pycb, "(%s)", cb);
	who = cls ? xasprintf("the __del__ of %s, %s,", cls, pycb)
		  : xasprintf("%s %s", del ? "the __del__ method" : "the function", pycb);
	s = xasprintf("%s does not return: Python ran it in Py_FinalizeEx after the atexit callbacks, while it "
		      "finalized (the garbage collection and the modules' teardown, where the objects still alive are "
		      "freed), on the main thread; %s", who, f->root_cause);
	free(f->root_cause);
	f->root_cause = s;
	s = xasprintf("a __del__ method must not block or loop: the ones Python runs at its end come after the "
		      "atexit callbacks, with daemon threads stopped and modules half torn down (a module's globals "
		      "may already be None there); release what the object holds (a child, a lock, a thread, a "
		      "connection) explicitly before the end (a close() method the main code calls, a with block, or "
		      "weakref.finalize or atexit.register, which run earlier) or give the wait a timeout; %s",
		      f->fix);
	free(f->fix);
	f->fix = s;
	if (!*rt)
		*rt = cls ? xasprintf("the __del__ of %s, %s", cls, pycb)
			  : xasprintf("%s %s", del ? "the __del__ method" : "the function", pycb);
	free(who);
	free(cls);
	free(cb);
}

/* The thread of f's snapshot that thread t waits for, where the snapshot names it: the holder of
 * the lock t waits on (a glibc mutex's __owner, a rwlock's writer: shim/watchdog.c; a
 * threading.RLock's owner, the GIL's holder: hang_pylock) or the thread t joins (pthread_join's,
 * or Thread.join's named by hang_pylock), by by_tid (tid -> its hang_thread). NULL if none, if t
 * waits for itself (explain's self-lock branch says that) or for a thread that is not in the
 * snapshot. */
static struct hang_thread *waits_for(const struct index *by_tid, const struct hang_thread *t)
{
	static const char *const kinds[] = {"mutex", "rwlock", "rlock", "join", "gil"};
	if (!t->waits || !t->holder || t->holder == t->tid)
		return NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(t->waits, kinds[i]))
			return index_get(by_tid, t->holder);
	return NULL;
}

/* the lock t waits on, in words ("the mutex conn_lock (0x55..)"), malloc'd; t waits on a lock */
static char *lock_words(const struct hang_thread *t)
{
	if (!strcmp(t->waits, "gil"))
		return xstrdup("the GIL");
	if (!strcmp(t->waits, "rlock"))
		return xasprintf("the threading.RLock (0x%llx)", (unsigned long long)t->addr);
	return xasprintf("the %s %s", t->waits, mutex_name(t));
}

/* the lock's short name for a fix: its data symbol ("conn_lock"), else its words (lock_words) */
static char *lock_short(const struct hang_thread *t)
{
	return t->object && strcmp(t->waits, "gil") && strcmp(t->waits, "rlock") ? xstrdup(t->object) : lock_words(t);
}

/* "thread 7713 (t7, started at io_loop)": who, without what it does (the cycle's edges say that) */
static char *thread_name_words(const struct proc *p, const struct hang_thread *t)
{
	char *r = started_as(p, t->tid), *s;
	char *named = t->py_name && strcmp(t->py_name, t->name) ? xasprintf("\"%s\" ", t->py_name) : xstrdup("");
	s = r && !strstr(r, "+0x") ? xasprintf("thread %d %s(%s, started at %s)", t->tid, named, t->name, r)
				   : xasprintf("thread %d %s(%s)", t->tid, named, t->name);
	free(r);
	free(named);
	return s;
}

/* append to buf (its length *used, its size cap: grown) */
static void cause_add(char **buf, size_t *used, size_t *cap, const char *s)
{
	size_t k = strlen(s);
	while (*used + k + 1 > *cap)
		*buf = xrealloc(*buf, *cap *= 2);
	memcpy(*buf + *used, s, k + 1);
	*used += k;
}

/* a's edge to b in words: "joins thread 7713 (...)", "waits on the mutex conn_lock (0x..) held by
 * thread 7711"; b named whole unless said before (then "thread N") */
static char *edge_words(const struct proc *p, const struct hang_thread *a, const struct hang_thread *b, int b_named)
{
	char *bn = b_named ? xasprintf("thread %d", b->tid) : thread_name_words(p, b), *s;
	if (!strcmp(a->waits, "join"))
		s = xasprintf("joins %s", bn);
	else {
		char *lw = lock_words(a);
		s = xasprintf("waits on %s held%s by %s", lw, !strcmp(a->waits, "rwlock") ? " for writing" : "", bn);
		free(lw);
	}
	free(bn);
	return s;
}

/* the fix that breaks the cycle cyc[0..k) (cyc[i] waits for cyc[(i + 1) % k]), malloc'd: by the
 * kinds of its edges (a join and a lock: release the lock before the join; locks only: one order;
 * joins only: one side joins; the GIL: release it around the wait) */
static char *deadlock_fix(struct hang_thread **cyc, int k)
{
	int joins = 0, locks = 0;
	for (int i = 0; i < k; i++) {
		if (!strcmp(cyc[i]->waits, "gil"))
			return xstrdup("break the deadlock: a thread must not hold the GIL while it waits for a lock or a "
				       "thread (release it around the blocking call: Py_BEGIN_ALLOW_THREADS in C, "
				       "ctypes.CDLL rather than PyDLL), so the thread that holds what it waits for can "
				       "run and release it");
		joins += !strcmp(cyc[i]->waits, "join");
		locks += !!strcmp(cyc[i]->waits, "join");
	}
	if (joins && locks)
		for (int i = 0; i < k; i++) {
			/* a waits on a lock held by b, which joins c: b must release it before the join */
			struct hang_thread *a = cyc[i], *b = cyc[(i + 1) % k], *c = cyc[(i + 2) % k];
			if (!strcmp(a->waits, "join") || strcmp(b->waits, "join"))
				continue;
			char *l = lock_short(a), *s;
			s = xasprintf("break the deadlock: release %s before the join (a lock the joined thread needs): "
				      "thread %d holds it while it joins thread %d, which %s; unlock it before "
				      "pthread_join (Thread.join, std::thread::join) and lock it again after the join if "
				      "the code still needs it; a thread must not hold a lock across a join of a thread "
				      "that may take it",
				      l, b->tid, c->tid, c == a ? "waits for it" : "waits, through the other threads of the cycle, for it");
			free(l);
			return s;
		}
	if (!joins) {
		/* each thread holds the lock the one before it waits on, and waits on its own */
		char order[1200];
		size_t u = 0;
		order[0] = 0;
		for (int i = 0; i < k && i < 4 && u + 200 < sizeof order; i++) {
			char *held = lock_short(cyc[(i + k - 1) % k]), *want = lock_short(cyc[i]);
			u += (size_t)snprintf(order + u, sizeof order - u, "%sthread %d takes %s, then %s", i ? "; " : "",
					      cyc[i]->tid, held, want);
			free(held);
			free(want);
		}
		if (k > 4 && u < sizeof order)
			snprintf(order + u, sizeof order - u, "; and %d more threads alike", k - 4);
		return xasprintf("break the deadlock: take the locks in one order in every thread (%s: make them all "
				 "take them in the same order), or take the second with a timeout (pthread_mutex_timedlock, "
				 "lock.acquire(timeout=...)) and on failure release the first and try again", order);
	}
	return xstrdup("break the deadlock: a thread must not join a thread that joins it (or waits for it): let only "
		       "the one that ends last join the other, and detach the other (pthread_detach) or let it end "
		       "without a join");
}

/* A deadlock: a cycle in the wait-for graph of f's snapshot (waits_for) that h's waits lead into:
 * h joins B and B waits on a mutex h holds; h holds mutex X and waits on Y while B holds Y and
 * waits on X; h joins B, which joins h. None of its threads can go on whatever else happens (a
 * lock merely held by a busy thread is not one). Sets f's root cause (the cycle and each edge:
 * "joins", "waits on the mutex NAME held by"; the first DEADLOCK_SHOWN edges of a longer one, then
 * their count) and fix (deadlock_fix); 0, nothing set, if h's waits lead to no cycle. O(threads):
 * one index of the snapshot's threads by tid, each thread visited once (t227: a cycle of 40000) */
#define DEADLOCK_SHOWN 8
static int explain_deadlock(const struct proc *p, struct finding *f, struct hang_thread *h)
{
	int n = detail_of(f)->nthreads, len = 0, start = -1;
	struct index by_tid = {0}, seen = {0}; /* tid -> its thread; tid -> its place in path + 1 */
	struct hang_thread **path, *t = h;
	if (!h->waits || !h->holder || h->holder == h->tid || !thread_in(f, h->holder))
		return 0; /* (most hangs: no thread of the snapshot to follow) */
	for (int i = n - 1; i >= 0; i--) /* (the first of a tid, as thread_in finds) */
		index_put(&by_tid, finding_detail(f)->threads[i].tid, &finding_detail(f)->threads[i]);
	path = xmalloc((size_t)(n + 1) * sizeof *path);
	while (t && len <= n) {
		intptr_t at = (intptr_t)index_get(&seen, t->tid);
		if (at) {
			start = (int)at - 1;
			break;
		}
		index_put(&seen, t->tid, (void *)(intptr_t)(len + 1));
		path[len++] = t;
		t = waits_for(&by_tid, t);
	}
	index_free(&by_tid);
	index_free(&seen);
	if (start < 0) {
		free(path);
		return 0;
	}
	size_t cap = 512, used = 0;
	char *cause = xmalloc(cap), *s;
	cause[0] = 0;
	/* the way in (h waits for a thread of the cycle without being in it), then the cycle */
	for (int i = 0; i < start && i < DEADLOCK_SHOWN; i++) {
		char *an = i ? xasprintf("thread %d", path[i]->tid) : thread_name_words(p, path[i]);
		char *e = edge_words(p, path[i], path[i + 1], 0);
		s = xasprintf("%s %s; ", an, e);
		cause_add(&cause, &used, &cap, s);
		free(s);
		free(an);
		free(e);
	}
	if (start > DEADLOCK_SHOWN) {
		s = xasprintf("(%d more threads, each waiting for the next); ", start - DEADLOCK_SHOWN);
		cause_add(&cause, &used, &cap, s);
		free(s);
	}
	s = xasprintf("%s deadlock (a wait cycle of %d threads: none of them can go on, and the teardown waits until "
		      "the process is killed): ", start ? "that thread is in a" : "a", len - start);
	cause_add(&cause, &used, &cap, s);
	free(s);
	for (int i = start; i < len; i++) {
		if (i - start == DEADLOCK_SHOWN && len - i > 1) { /* (a long cycle: its first edges, then its end) */
			s = xasprintf(", ... (%d more threads, each waiting for the next)", len - i - 1);
			cause_add(&cause, &used, &cap, s);
			free(s);
			i = len - 1;
		}
		char *an = i == start ? (start ? xasprintf("thread %d", path[i]->tid) : thread_name_words(p, path[i]))
			   : i - start == DEADLOCK_SHOWN || (i + 1 == len && len - start > DEADLOCK_SHOWN + 1)
				   ? xasprintf("thread %d", path[i]->tid) : NULL;
		char *e = edge_words(p, path[i], i + 1 < len ? path[i + 1] : path[start], i + 1 == len);
		s = xasprintf("%s%s %s", i == start ? "" : an ? ", then " : ", which", an ? an : "", e);
		cause_add(&cause, &used, &cap, s);
		free(s);
		free(an);
		free(e);
	}
	f->root_cause = cause;
	f->fix = deadlock_fix(path + start, len - start);
	free(path);
	return 1;
}

/* A hang finding f of p whose phase ends in python3's own Py_FinalizeEx before its runtime
 * finalizes (the state A: "threading shutdown, Python atexit callbacks", analyze.c): the part the
 * main thread's traceback in the snapshot shows, after " > " (CPython 3.11+ Lib/threading.py
 * _shutdown, which runs the threading._register_atexit callbacks and then joins the non-daemon
 * threads; Python/pylifecycle.c Py_FinalizeEx, which calls it before the atexit callbacks):
 * within threading._shutdown a frame of the program's own is such a callback, without one the
 * join; outside it, a frame of the program's own is an atexit callback. Unchanged where the
 * traceback tells none (no Python frame of the program's, another thread). */
static void py_fin_part(struct finding *f, const struct proc *p)
{
	static const char a_phase[] = "Py_FinalizeEx (threading shutdown, Python atexit callbacks)";
	const struct hang_thread *h = thread_in(f, f->tid);
	size_t n = strlen(f->phase), k = sizeof a_phase - 1;
	char *own, *s, cb[600];
	const char *part;
	/* the main thread in threading._shutdown inside a sub-interpreter: python3 ending the ones the
	 * program left open (3.13+, Python/pylifecycle.c finalize_subinterpreters; 3.13 after the
	 * runtime began finalizing, the state F, 3.14 before) */
	if (h && h->tid == p->pid && !strncmp(f->phase, "Py_FinalizeEx (", 15) && py_in_sub(h, "_shutdown")) {
		s = xasprintf("%s > ending the sub-interpreters left open (Py_EndInterpreter, which joins each one's "
			      "non-daemon threads)", f->phase);
		free(f->phase);
		f->phase = s;
		return;
	}
	if (!h || h->tid != p->pid || n < k || strcmp(f->phase + n - k, a_phase))
		return;
	own = py_outermost_own(h);
	/* (outside it, a standard-library function given to atexit.register itself too: logging's
	 * shutdown, a queue's join; groups.c stdlib_atexit_callback) */
	part = py_in(h, "_shutdown") ? (own ? "a threading._register_atexit callback (threading._shutdown, before its join)"
					    : "joining the non-daemon threads (threading._shutdown)")
	       : own || finding_py_callback(f, cb, sizeof cb) ? "the Python atexit callbacks" : NULL;
	free(own);
	if (!part)
		return;
	s = xasprintf("%s > %s", f->phase, part);
	free(f->phase);
	f->phase = s;
}

/* ---- a handler that waits on a lock the code it interrupted holds ---- */

/* glibc's locks a handler may wait on, told apart by the functions that take them (glibc 2.36):
 * malloc's arena lock (malloc/arena.c, a __libc_lock: an lll lock that records no owner),
 * a stdio stream's lock (libio/libio.h, sysdeps/nptl/stdio-lock.h: _IO_lock_t, whose owner field
 * lets its owner lock it again, counted), syslog's (misc/syslog.c syslog_lock) and the exit
 * functions' (stdlib/cxa_atexit.c __exit_funcs_lock), both lll locks with no owner; and a
 * pthread mutex, whose owner the shim read (hang_thread's holder). */
enum { GL_NONE, GL_MALLOC, GL_STDIO, GL_SYSLOG, GL_EXIT, GL_MUTEX };
static const struct {
	const char *lock;   /* the lock in words */
	const char *family; /* what takes it, in words */
	const char *calls;  /* what a handler does that takes it */
	const char *const *funcs;
} glibc_locks[] = {
	[GL_MALLOC] = {"malloc's arena lock", "malloc", "calls malloc",
		       (const char *const[]){"malloc", "free", "calloc", "realloc", "__libc_malloc", "__libc_free",
					     "__libc_calloc", "__libc_realloc", "__libc_memalign", "_mid_memalign",
					     "_int_malloc", "_int_free", "_int_realloc", "_int_memalign",
					     "malloc_consolidate", "arena_get2", "tcache_init", NULL}},
	[GL_STDIO] = {"a stdio stream's lock", "stdio", "calls stdio",
		      (const char *const[]){"_IO_", "__vfprintf_internal", "__vfwprintf_internal", "printf", "fprintf",
					    "vfprintf", "puts", "fputs", "fwrite", "fflush", "fputc", "putc", "putchar",
					    "flockfile", "buffered_vfprintf", NULL}},
	[GL_SYSLOG] = {"syslog's lock", "syslog", "calls syslog",
		       (const char *const[]){"__vsyslog_internal", "__syslog", "__vsyslog", "syslog", "vsyslog",
					     "openlog", "closelog", NULL}},
	[GL_MUTEX] = {"a mutex", "a mutex", "locks a mutex",
		      (const char *const[]){"pthread_mutex_lock", "___pthread_mutex_lock", "__pthread_mutex_lock",
					    "pthread_mutex_timedlock", "pthread_mutex_clocklock", NULL}},
	[GL_EXIT] = {"the exit functions' lock", "exit", "calls exit() (or atexit)",
		     (const char *const[]){"__run_exit_handlers", "exit", "__new_exitfn", "__internal_atexit",
					   "__cxa_atexit", "__cxa_finalize", "atexit", "on_exit", NULL}},
};

/* the glibc lock family (GL_*) of function name func (its version suffix ignored): GL_NONE if none */
static int glibc_lock_of(const char *func)
{
	size_t n = strcspn(func, "@");
	for (int k = GL_MALLOC; k <= GL_MUTEX; k++)
		for (const char *const *s = glibc_locks[k].funcs; *s; s++)
			if ((!strcmp(*s, "_IO_") && !strncmp(func, "_IO_", 4)) || (strlen(*s) == n && !strncmp(func, *s, n)))
				return k;
	return GL_NONE;
}

/* frame i of h in words, "on_term (handler.c:31)", "_int_malloc (malloc.c:3766) in libc.so.6"
 * (a library's named); NULL where it has no symbol. malloc'd */
static char *frame_words(const struct hang_thread *h, int i)
{
	struct symres sr;
	const struct module *m = h->bt[i].code.mod;
	if (sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) != 0 || !sr.func)
		return NULL;
	char *fn = xasprintf("%.*s", (int)strcspn(sr.func, "@"), sr.func), *s = short_name(fn);
	char *where = sr.file ? xasprintf(" (%s:%d)", base_name(sr.file), sr.line) : xstrdup("");
	char *r = xasprintf("%s%s%s%s", s, where, m && is_system_module(m) ? " in " : "",
			    m && is_system_module(m) ? base_name(m->path) : "");
	free(fn);
	free(s);
	free(where);
	return r;
}

/* the name a program calls frame i of h by ("malloc" for glibc's __libc_malloc, "puts" for
 * _IO_puts, "pthread_mutex_lock" for ___pthread_mutex_lock), malloc'd; NULL without a symbol */
static char *user_call_name(const struct hang_thread *h, int i)
{
	struct symres sr;
	const char *fn;
	if (sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) != 0 || !(fn = sr.func))
		return NULL;
	if (!strncmp(fn, "__libc_", 7))
		fn += 7;
	else if (!strncmp(fn, "_IO_", 4))
		fn += 4;
	while (*fn == '_')
		fn++;
	return xasprintf("%.*s", (int)strcspn(fn, "@"), fn);
}

/* The frame of the program's C signal handler that h runs, h's frames going through glibc's signal
 * return trampoline (__restore_rt: sysdeps/unix/sysv/linux/x86_64/libc_sigaction.c): its index (the
 * frame nearest the trampoline, inside it, that is not the shim's), the trampoline's in *sigat; -1
 * where there is no trampoline or that frame is the system's (no handler of the program's) */
static int handler_frame(const struct hang_thread *h, int *sigat)
{
	int handler = -1;
	struct symres sr;
	*sigat = -1;
	for (int i = 0; i < h->nbt && *sigat < 0; i++)
		if (sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) == 0 && sr.func && !strcmp(sr.func, "__restore_rt"))
			*sigat = i;
	for (int i = *sigat - 1; i >= 0 && handler < 0; i--)
		if (!is_shim_module(h->bt[i].code.mod))
			handler = i;
	return *sigat < 0 || handler < 0 || is_system_module(h->bt[handler].code.mod) ? -1 : handler;
}

/* Another thread of f's snapshot that is in a C handler of the program's (its frames run through
 * glibc's signal return trampoline, __restore_rt) and waits on a mutex or rwlock that h, the
 * thread of the teardown, holds: a termination signal taken there cannot end the process while
 * the teardown hangs. Its words are added to f's root cause ("; thread 812 took SIGTERM, whose
 * handler on_term (app.c:7) in app waits on the mutex m (0x...) held by this thread: ..."); the
 * signal from p's last arrival line on that thread before the snapshot. Nothing where there is
 * none. */
static void handler_waits_on_teardown(const struct proc *p, struct finding *f, const struct hang_thread *h,
				      const struct event *hang)
{
	for (int k = 0; k < detail_of(f)->nthreads; k++) {
		const struct hang_thread *o = &detail_of(f)->threads[k];
		const struct event *a = NULL;
		int sigat, handler;
		char where[512], *s;
		if (o == h || !held_lock(o) || o->holder != h->tid)
			continue;
		if ((handler = handler_frame(o, &sigat)) < 0)
			continue;
		for (int i = 0; i < p->nev && proc_ev(p, i)->t <= hang->t; i++)
			if (proc_ev(p, i)->type == EV_SIG_ARRIVE && proc_ev(p, i)->tid == o->tid)
				a = proc_ev(p, i);
		sym_describe(&o->bt[handler].code, o->bt[handler].is_return, where, sizeof where);
		s = xasprintf("%s; thread %d took %s, whose handler %s waits on the %s %s held by thread %d, which "
			      "runs the teardown: that signal cannot end the process until the teardown goes on (a "
			      "handler must not take a lock the code it may interrupt, or the teardown, holds)",
			      f->root_cause, o->tid, a ? signal_name((int)ev_dec(a, 0)) : "a signal", where,
			      lock_kind_words(o), mutex_name(o), h->tid);
		free(f->root_cause);
		f->root_cause = s;
		return;
	}
}

/* the family (GL_*) of frame i of h, GL_NONE without a symbol */
static int frame_lock(const struct hang_thread *h, int i)
{
	struct symres sr;
	return sym_lookup(&h->bt[i].code, h->bt[i].is_return, &sr) == 0 && sr.func ? glibc_lock_of(sr.func) : GL_NONE;
}

/* The frame of h's that handler's frames (above it, innermost first) called into one of glibc's
 * families that take a lock (frame_lock), the outermost of the innermost run, its family in *lock;
 * -1 (and GL_NONE) where none */
static int handler_lock_call(const struct hang_thread *h, int handler, int *lock)
{
	int call = -1;
	*lock = GL_NONE;
	for (int i = 0; i < handler; i++) {
		int k = frame_lock(h, i);
		if (k != GL_NONE && *lock == GL_NONE)
			*lock = k;
		if (k != GL_NONE && k == *lock)
			call = i; /* (the outermost of its run: what the handler called) */
		else if (*lock != GL_NONE)
			break;
	}
	return call;
}

/* Thread h, in a C handler of the program's (handler_frame), waiting inside one of glibc's calls
 * that take a lock (frame_lock: malloc, stdio, syslog, exit, a mutex) that another thread holds:
 * "the handler on_term (srv.c:36) calls printf, which is not async-signal-safe (signal-safety(7))";
 * NULL where the frames do not show it. malloc'd */
static char *handler_unsafe_call(const struct hang_thread *h)
{
	int sigat, handler = handler_frame(h, &sigat), lock = GL_NONE, call = -1;
	char *hw, *called, *s;
	call = handler_lock_call(h, handler, &lock);
	if (handler < 0 || call < 0 || !(called = user_call_name(h, call)))
		return NULL;
	hw = frame_words(h, handler);
	s = xasprintf("the handler %s calls %s, which is not async-signal-safe (signal-safety(7))", hw, called);
	free(hw);
	free(called);
	return s;
}
#define HANDLER_SAFE_FIX                                                                                       \
	"a signal handler must do only async-signal-safe work (signal-safety(7)): no printf, malloc, syslog or " \
	"locks in it (another thread, or the code it interrupted, may hold their locks); set a volatile "      \
	"sig_atomic_t flag the program's loop checks, or write a byte to a self-pipe (or take the signal in a " \
	"thread of its own with sigwait or signalfd), and end the process with _exit(), not exit()"

/* Thread h, in the program's handler of signal sig (a C one: its frames run through glibc's
 * signal return trampoline, __restore_rt: sysdeps/unix/sysv/linux/x86_64/libc_sigaction.c), waits
 * on a lock: malloc's, stdio's, syslog's, the exit functions' (the innermost frame above the
 * trampoline of one of those families: a printf that mallocs waits on malloc's), or a mutex
 * (h->waits "mutex"). Sets f's root cause and fix: the handler (its frame nearest the trampoline
 * that is not the shim's), what it called, and what the code the signal interrupted held: the
 * same thread's (a self-deadlock) where the mutex's owner is h, or where the interrupted frames
 * are inside the same family (malloc's lock records no owner: that is what the frames say, and
 * said so); else only what is known. Returns 0 (nothing set) where the frames have no
 * trampoline, no handler frame or no such lock. */
static int handler_lock_explain(struct finding *f, struct hang_thread *h, int sig)
{
	int sigat, handler = handler_frame(h, &sigat), lock = GL_NONE, call = -1, below = -1, own_below = -1;
	struct symres sr;
	if (handler < 0 || sigat + 1 >= h->nbt || sym_lookup(&h->bt[handler].code, h->bt[handler].is_return, &sr) != 0 || !sr.func)
		return 0; /* (a handler with no name: the words below would say nothing) */
	call = handler_lock_call(h, handler, &lock);
	if (h->waits && !strcmp(h->waits, "mutex") && h->holder == h->tid)
		lock = GL_MUTEX; /* (another thread's: the held-lock words name it) */
	else if (h->waits && !strcmp(h->waits, "stdio") && !h->holder)
		lock = GL_STDIO; /* (one with an owner recorded: the held-lock words name it) */
	else if (lock == GL_NONE || lock == GL_MUTEX || lock == GL_STDIO || !h->waits || strcmp(h->waits, "futex"))
		return 0; /* (a stream's lock read as such: hang_stdio) */
	/* exit() called by the handler, whose atexit handler (a program's frame above it) takes the
	 * lock: the frames of both */
	int exit_at = -1, atexit_fn = -1;
	for (int i = call + 1; call >= 0 && i < handler; i++)
		if (frame_lock(h, i) == GL_EXIT)
			exit_at = i;
	for (int i = exit_at - 1; i > call && atexit_fn < 0; i--)
		if (!is_system_module(h->bt[i].code.mod) && !is_shim_module(h->bt[i].code.mod))
			atexit_fn = i;
	/* the interrupted code: its innermost frame, and where it is in the same family, the frame of
	 * the program's below it (who called malloc) */
	below = sigat + 1;
	for (int i = below; i < h->nbt && own_below < 0; i++)
		if (!is_system_module(h->bt[i].code.mod) && !is_shim_module(h->bt[i].code.mod))
			own_below = i;
	int same = lock == GL_MUTEX, fam_below = -1;
	for (int i = below; i < h->nbt && (own_below < 0 || i < own_below) && !same; i++)
		if ((same = frame_lock(h, i) == lock))
			fam_below = i;
	char *hw = frame_words(h, handler), *iw = frame_words(h, below);
	char *ow = own_below > below ? frame_words(h, own_below) : NULL;
	char *fw = fam_below > below ? frame_words(h, fam_below) : NULL;
	char *cw = call >= 0 ? frame_words(h, call) : NULL;
	char obj[440];
	if (lock == GL_MUTEX)
		snprintf(obj, sizeof obj, "the mutex %s", mutex_name(h));
	else if (lock == GL_STDIO && h->object)
		snprintf(obj, sizeof obj, "the stream lock of %s", mutex_name(h));
	else if (h->addr)
		snprintf(obj, sizeof obj, "%s (%s)", glibc_locks[lock].lock, mutex_name(h));
	else
		snprintf(obj, sizeof obj, "%s", glibc_locks[lock].lock);
	const char *fam = glibc_locks[lock].family;
	char *called = call >= 0 ? user_call_name(h, call) : NULL;
	char *calls = cw && called ? xasprintf("calls %s, in %s", called, cw) : xstrdup(glibc_locks[lock].calls);
	char *aw = atexit_fn >= 0 ? frame_words(h, atexit_fn) : NULL;
	char *in = aw ? xasprintf("it is in the program's %s handler %s, which calls exit(), whose atexit handler %s %s",
				  signal_name(sig), hw, aw, calls)
		      : xasprintf("it is in the program's %s handler %s, which %s", signal_name(sig), hw, calls);
	char *from = xasprintf("%s%s%s%s", fw ? ", in " : "", fw ? fw : "", ow ? ", called from " : "", ow ? ow : "");
	free(h->holder_text); /* (hang_stdio's "no thread recorded" is said better below) */
	h->holder_text = NULL;
	if (same && lock == GL_MUTEX) {
		h->holder_text = xasprintf("thread %d itself", h->tid);
		f->root_cause = xasprintf("thread %d waits for %s, which it holds itself: %s, and the code the signal "
					  "interrupted on that thread (%s%s) had locked it before the signal arrived "
					  "and not unlocked it (the mutex's owner is this thread): a self-deadlock, so "
					  "the handler never returns", h->tid, obj, in, iw ? iw : "?", from);
	} else if (same && lock == GL_STDIO) {
		/* (stdio-lock.h: _IO_lock_lock locks again for its owner, so a wait with no owner
		 * recorded and the interrupted code inside stdio is that code's own hold) */
		h->holder_text = xasprintf("thread %d itself (no owner recorded: the code the signal interrupted was "
					   "inside stdio, between taking the lock and storing its owner, or between "
					   "clearing it and releasing the lock)", h->tid);
		f->root_cause = xasprintf("thread %d waits for %s, which it holds itself: %s, and the code the signal "
					  "interrupted on that thread was itself inside stdio (%s%s), caught where the "
					  "lock was taken but no owner recorded (glibc's stream lock, "
					  "sysdeps/nptl/stdio-lock.h, lets its recorded owner lock it again, and records "
					  "none just after lll_lock and just before lll_unlock): a self-deadlock, so the "
					  "handler never returns", h->tid, obj, in, iw ? iw : "?", from);
	} else if (same) {
		h->holder_text = xasprintf("thread %d itself (inferred: the code the signal interrupted was inside %s; "
					   "the lock records no owner)", h->tid, glibc_locks[lock].family);
		f->root_cause = xasprintf("thread %d waits for %s, which it holds itself: %s, and the code the signal "
					  "interrupted on that thread was itself inside %s (%s%s), which holds that lock "
					  "while it runs: a self-deadlock, so the handler never returns (glibc's lock "
					  "records no owner: that this thread holds it is read from its frames)",
					  h->tid, obj, in, glibc_locks[lock].family, iw ? iw : "?", from);
	} else {
		f->root_cause = xasprintf("thread %d waits for %s: %s; the code the signal interrupted on that thread "
					  "(%s%s) was not inside %s, so %s; the handler cannot go on until it is released",
					  h->tid, obj, in, iw ? iw : "?", from, fam,
					  lock == GL_STDIO ? "it is held by another thread, caught between taking it and "
							     "recording itself as its owner (the snapshot does not say which)"
					  : "its holder is not known (the lock records no owner): another thread, most likely");
	}
	f->fix = xasprintf("a signal handler must end the process or return at once, doing only async-signal-safe "
			   "work (signal-safety(7)): %s %s%s%s, which is not async-signal-safe (the code it "
			   "interrupted, or another thread, may hold its lock); set a volatile sig_atomic_t flag the "
			   "program's loop checks, or write a byte to a self-pipe (or take the signal in a thread of "
			   "its own with sigwait or signalfd), and end the process with _exit(), not exit() (exit runs the atexit handlers and "
			   "flushes stdio, which take locks)", hw,
			   aw ? "calls exit() (which runs the atexit handler " : called ? "calls " : glibc_locks[lock].calls,
			   aw ? aw : called ? called : "", aw ? ")" : ""); /* (three %s: the format's) */
	free(hw);
	free(iw);
	free(ow);
	free(cw);
	free(fw);
	free(called);
	free(calls);
	free(aw);
	free(in);
	free(from);
	return 1;
}

/* ---- one cause, one verdict line: a hang waiting for a child that never got its stop ----
 * The parent's hang finding's fix names why the child never got the signal (its SIG_IGN, its
 * mask) and what to do on both sides; the child's own findings of it (signal-handler: the signal
 * that never arrived; unfinished: its trace has no end, as its parent was waiting) follow from
 * that one story, so they are caused by the hang (JSON caused_by; out of the verdict, which says
 * it once: FRESH17b item 3). The pairs are kept while the hangs are made, linked at the end of
 * the rule (hang_link_lost_children), once all findings exist: one pass over them. */
static struct lost_link {
	struct finding *hang;
	const struct proc *child;
} *lost_links;
static int nlost_links;

static void child_lost_link(struct finding *hang, const struct proc *child)
{
	if (!child)
		return;
	lost_links = xrealloc(lost_links, (size_t)(nlost_links + 1) * sizeof *lost_links);
	lost_links[nlost_links++] = (struct lost_link){hang, child};
}

static void hang_link_lost_children(struct report *r)
{
	struct finding **by_proc;
	char buf[MESSAGE_MAX];
	if (!nlost_links)
		return;
	by_proc = xmalloc((size_t)r->nprocs * sizeof *by_proc);
	memset(by_proc, 0, (size_t)r->nprocs * sizeof *by_proc);
	for (int i = 0; i < nlost_links; i++)
		by_proc[lost_links[i].child->index] = lost_links[i].hang;
	for (int i = 0; i < r->nfindings; i++) {
		struct finding *g, *h;
		if (finding_folded(r, i) || !(h = by_proc[finding_proc(r, i)->index]))
			continue;
		g = finding_at(r, i);
		if (g == h || detail_of(g)->cause)
			continue;
		if (!strcmp(g->kind, "unfinished") ||
		    (!strcmp(g->kind, "signal-handler") && strstr(finding_message(g, buf, sizeof buf), " never arrived")))
			finding_detail(g)->cause = h;
	}
	free(by_proc);
	free(lost_links);
	lost_links = NULL;
	nlost_links = 0;
}

/* f's root cause and fix from its snapshot; *routine (malloc'd, or NULL) the named routine of the
 * program's where the thread that began the teardown is (teardown_routine, or a Python atexit
 * callback's name), for the message */
static void explain(struct report *r, struct finding *f, const struct proc *p, const struct event *hang,
		    const struct event *interp, const struct event *arm, char **routine)
{
	/* the watchdog was armed by a signal handler that had not returned (hang_arm handler,
	 * handler_hup), or (handler_py) by Python's main thread blocking on a lock soon after a
	 * termination signal's arrival with no frame of the code that runs Python's handlers on its
	 * stack: not in the handler (shim/python.c py_in_signal_handler) */
	int after_py_handler = arm && why_py_after(ev_field(arm, 0));
	int in_handler = arm && why_handler(ev_field(arm, 0)) && !after_py_handler;
	const char *why = ev_field(hang, 2);
	struct hang_thread *h = thread_in(f, (int)ev_dec(hang, 3));
	char *others = other_py_threads(p, f, h), *cb;
	/* the routine of the program's the teardown's own step runs (not a signal handler's: the
	 * message names that one from the arrival) */
	int rtype = 0;
	char *rt = !in_handler && !hang_hup_arrival(p) && h && h->tid == f->tid ? teardown_routine(p, h, hang, &rtype) : NULL;
	int cwk = FW_NONE;
	/* (a condition, semaphore or pthread_once wait: its words, for an atexit handler's) */
	char *cw = h ? cond_wait_words(f, h, &cwk) : NULL;
	char pycb[600];
	/* the teardown began in Py_Finalize: python3's own, seen at a wait on its stack, or an
	 * interposed one (uWSGI, mod_wsgi), on the thread that blocks */
	int py_fin = (!strcmp(arm ? ev_field(arm, 0) : why, "py_fin_stack") || !strcmp(arm ? ev_field(arm, 0) : why, "py_fin") ||
		      /* (an embedder's Py_Finalize, uWSGI's uwsgi_plugins_atexit, in its atexit
		       * callbacks: state A, FRESH14; its message named the callback, its fix said
		       * "see what the snapshot's threads wait for") */
		      (rtype == EV_PY_FIN && hang->py == PY_ATEXIT) ||
		      /* (a termination signal's arrival began the teardown, and the handler called
		       * Py_Finalize, still open: an Apache child's graceful stop under mod_wsgi in
		       * embedded mode, wsgi_python_child_cleanup; HANG15: "did not get further") */
		      (!strcmp(why, "signal") && hang->py == PY_ATEXIT && h && py_fin_open(p, h->tid, hang))) &&
		     h && h->tid == (int)ev_dec(hang, 3);
	/* python3's own Py_FinalizeEx after its atexit callbacks (the runtime finalizing), seen at a
	 * wait on the main thread: a __del__ method or a weakref callback the modules' teardown or
	 * the collection before it runs (shim/python.c py_fin_blocking_fd) */
	int py_late = !strcmp(arm ? ev_field(arm, 0) : why, "py_fin_late") && h && h->tid == (int)ev_dec(hang, 3);
	/* the sub-interpreter's name where the shim read it (mod_wsgi's application group) */
	char *iname = interp && interp->nf > 1 ? decode_str(ev_field(interp, 1)) : NULL;
	char *which = iname ? xasprintf("; mod_wsgi's application group '%s'", iname) : xstrdup("");
	char *forkw = NULL; /* (a forked child's parent's threads at the fork: threads_at_fork) */
	char *inf_words = NULL; /* (a Lock's likely holder, inferred: pylock_infer.c) */
	int inferred;
	/* threads waiting for a child: the child's fate, from the wait_begin line (diag_wait.c); a
	 * thread between two polls of an episode (wait_poll: asleep, or anything but another wait)
	 * waits for a child too */
	struct index open = {0}; /* tid -> its open wait line */
	wait_open_all(p, hang->t, &open);
	for (int i = 0; i < detail_of(f)->nthreads; i++) {
		struct hang_thread *c = &finding_detail(f)->threads[i];
		const struct event *w = c->tid ? index_get(&open, c->tid) : wait_open(p, 0, hang->t);
		if (w && w->type == EV_WAIT_POLL && !c->waits && between_polls(c))
			c->waits = "child";
		if (w && c->waits && !strcmp(c->waits, "child")) {
			char *ww = wait_words(r, p, w, f->t);
			c->holder_text = w->type == EV_WAIT_POLL ? xstrdup(ww) : xstrdup(strstr(ww, " for ") + 5);
			free(ww);
		}
	}
	index_free(&open);
	if (h && explain_deadlock(p, f, h)) {
		/* (said first: a cycle is the cause, whatever its first wait is) */
	} else if (h && h->waits && !strcmp(h->waits, "child")) {
		const struct event *w = wait_open(p, h->tid, hang->t);
		char *ww = w ? wait_words(r, p, w, f->t) : xasprintf("waiting in %s for its child %d", h->syscall, h->holder);
		/* python3's Py_FinalizeEx: the atexit callback that waits named first (os.waitpid in
		 * one, shim/signals.c), as for its other waits, or the threading._register_atexit one
		 * (threading._shutdown runs it); the message names it too (finding_py_callback) */
		int early = py_fin && py_in(h, "_shutdown");
		char *acb = py_fin ? py_outermost_own(h) : NULL, *hw = acb ? thread_words(p, h) : NULL;
		const char *kind = early ? "threading._register_atexit" : "atexit";
		char *who = acb ? xasprintf("a%s %s callback (%s) does not return: %s", early ? "" : "n", kind, acb, hw)
				: xasprintf("thread %d", h->tid);
		if (acb && finding_py_callback(f, pycb, sizeof pycb)) {
			free(rt);
			rt = xasprintf("the %s callback %s", kind, pycb);
		}
		/* the child's own trace may say why: the stop it was sent never arrived (FRESH17) */
		int lost_sig = 0;
		const struct proc *lost_child = NULL;
		char *lost = child_stop_lost(r, p, h->holder, hang->t, &lost_sig, &lost_child);
		explain_finding(f, w && w->type == EV_WAIT_POLL
				? "find why the child does not end (its own trace: its hang finding or its last step; a "
				  "child that ignores or blocks the signal it was sent), and bound the polling in a "
				  "teardown: after a deadline, SIGKILL what is left and reap it"
				: "find why the child does not end (its own trace: its hang finding or its last step), "
				  "and do not wait for children without a bound in a teardown: signal them first, then "
				  "wait with a timeout (WNOHANG and a deadline; subprocess: Popen.wait(timeout=N)), and "
				  "SIGKILL what is left",
				"%s%s%s", who, acb ? ", " : " is ", ww);
		if (lost) {
			char *fx = f->fix;
			f->fix = xasprintf("the child %d never got the %s it was sent (%s): do not wait for it without a "
					   "bound in a teardown: wait with a timeout (WNOHANG and a deadline; subprocess: "
					   "Popen.wait(timeout=N)), then SIGKILL it (Popen.kill()) and reap it; or make the "
					   "child handle %s", h->holder, signal_name(lost_sig), lost, signal_name(lost_sig));
			free(fx);
			child_lost_link(f, lost_child);
		}
		free(lost);
		free(ww);
		free(acb);
		free(hw);
		free(who);
	} else if (h && h->waits && !strcmp(h->waits, "mutex") && h->holder && !h->holder_alive) {
		const struct proc *parent = p->forked ? proc_parent(p) : NULL;
		char *routine = parent ? started_as(parent, h->holder) : NULL;
		char *where = !parent ? xstrdup("")
			      : routine ? xasprintf(" (it was forked from process %d, where that thread ran %s)", p->ppid, routine)
					: xasprintf(" (it was forked from process %d)", p->ppid);
		name_gone_mutex_holder(p, h);
		explain_finding(f, "do not fork while other threads may hold locks the child uses: take the lock around "
				"fork (pthread_atfork handlers that lock it before fork and unlock it in both processes), "
				"exec right after fork, or end the child with _exit() so that the parent's atexit "
				"handlers do not run in it",
				"thread %d waits for the mutex %s, owned by thread %d, which is not a thread of this "
				"process%s: the mutex was locked when the process was forked, and fork copies only the "
				"forking thread, so nobody will ever unlock it here",
				h->tid, mutex_name(h), h->holder, where);
		free(where);
		free(routine);
	} else if ((interp || !strcmp(why, "py_end_interp")) && !others && !interp_importer(f, h, NULL)) {
		/* no non-daemon thread to blame (mod_wsgi's daemon mode stalls there without one, h5):
		 * say what the snapshot shows, not a thread it does not */
		char *w = h ? thread_words(p, h) : xstrdup("the thread that destroys it"), *jw = interp_join_words(p, f, h);
		explain_finding(f, "under mod_wsgi, `WSGIDestroyInterpreter Off` (mod_wsgi 4.9.1 and later) skips "
				"destroying interpreters at shutdown; else find what the waiting thread waits for",
				"destroying a sub-interpreter (Py_EndInterpreter%s) did not return: %s, and the snapshot "
				"shows no other Python thread running (no application thread to join)%s; the process's "
				"shutdown stops there until it is killed", which, w, jw);
		free(w);
		free(jw);
	} else if ((interp || !strcmp(why, "py_end_interp")) && interp_importer(f, h, NULL)) {
		/* the join waits for the thread that imported threading in the interpreter, which no
		 * application thread's end releases (mod_wsgi's daemon mode, h5: mod_wsgi 4.9.1's release
		 * notes): the application's threads come after it, and making them daemon threads would
		 * not end the stall (FRESH15b: the verdict waited on one thread, its fix named another) */
		int joined;
		struct hang_thread *j = interp_importer(f, h, &joined);
		char *jw = thread_words(p, j), *app = !others ? xstrdup("")
						     : joined ? xasprintf("; the application's threads are running too, and the "
									  "join would wait for them next: %s", others)
							      : xasprintf("; the join waits now for an application thread (%s), and "
									  "would wait for that one next", others);
		int wsgi = strstr(which, "mod_wsgi") != NULL;
		if (joined) {
			free(h->holder_text); /* (the message's join: which thread it is, as the verdict shows it) */
			h->holder_text = xasprintf("thread %d (%s), the thread that imported threading in the sub-interpreter, "
						   "not an application thread", j->tid, j->name);
		}
		explain_finding(f, wsgi ? "set `WSGIDestroyInterpreter Off` (mod_wsgi 4.9.1 and later: mod_wsgi then does "
					  "not destroy interpreters at shutdown), the only fix here: the destruction "
					  "waits for the thread that imported threading in the interpreter, whose thread "
					  "state there mod_wsgi never deletes (mod_wsgi 4.9.1's release notes), not for an "
					  "application thread, so making the application's threads daemon threads would "
					  "not end it"
					: "delete the thread state of the thread that imported threading in the "
					  "sub-interpreter (PyThreadState_Clear and PyThreadState_Delete, with the GIL) "
					  "before Py_EndInterpreter, or do not end the sub-interpreter at shutdown: the "
					  "destruction waits for that thread, not for an application thread",
				"destroying a sub-interpreter (Py_EndInterpreter%s) first joins its non-daemon threads "
				"(threading._shutdown), and the join waits%s for %s, which runs no threading.Thread: the thread "
				"that imported threading in that interpreter (its threading._main_thread, whose lock "
				"threading._shutdown waits on like a non-daemon thread's when another thread ends the "
				"interpreter), which holds it until its thread state there is deleted%s: so the destruction "
				"waits for it whatever the application's threads do%s; Py_EndInterpreter does not return, "
				"and the process's shutdown stops there until it is killed",
				which, joined ? "" : " (after the thread it waits on now)", jw, wsgi ? ", which mod_wsgi does not do before it destroys the interpreter (mod_wsgi "
						  "4.9.1's release notes: a stall at shutdown in daemon mode)" : "", app);
		free(jw);
		free(app);
	} else if (interp || !strcmp(why, "py_end_interp")) {
		char *jw = interp_join_words(p, f, h), *jt = interp_joined_name(f, h), *fix;
		/* (an atexit.register callback comes too late: Py_EndInterpreter joins the threads
		 * (wait_for_thread_shutdown) before it runs the interpreter's atexit callbacks, CPython
		 * 3.11-3.14 Python/pylifecycle.c, and mod_wsgi's own shutdown runs them after the join too;
		 * threading._register_atexit's run inside threading._shutdown, before it: FRESH16b) */
		fix = xasprintf("make %s a daemon thread (threading.Thread(daemon=True)) or stop it from a "
				"threading._register_atexit callback (Python 3.9+; it runs before the join, where an "
				"atexit.register callback runs only after it, too late); under mod_wsgi, "
				"`WSGIDestroyInterpreter Off` (mod_wsgi 4.9.1 and later) skips destroying interpreters at "
				"shutdown", jt);
		explain_finding(f, fix,
				"destroying a sub-interpreter (Py_EndInterpreter%s) first joins its non-daemon threads "
				"(threading._shutdown), and its thread is still running%s%s%s; Py_EndInterpreter does not "
				"return, and the process's shutdown stops there until it is killed",
				which, others ? ": " : "", others ? others : "", jw);
		free(jw);
		free(jt);
		free(fix);
	} else if (h && py_in_sub(h, "_shutdown") && h->waits && !strcmp(h->waits, "join") && h->holder &&
		   thread_in(f, h->holder) && py_only_sub(thread_in(f, h->holder))) {
		/* python3's own end of the sub-interpreters the program left open (3.13+,
		 * Python/pylifecycle.c finalize_subinterpreters: "remaining subinterpreters" on stderr, then
		 * Py_EndInterpreter for each, an internal call the shim does not see), joining a thread of
		 * one (concurrent.interpreters, 3.14) */
		struct hang_thread *j = thread_in(f, h->holder);
		char *jw = thread_words(p, j), *jj = joined_waits(p, f, j);
		char *jname = j->py_name ? xasprintf("\"%s\"", j->py_name) : xstrdup(j->name);
		char *fix = xasprintf("stop thread %d (%s) and close its interpreter before the main code ends: tell the "
				      "thread to stop, join it, then Interpreter.close() (concurrent.interpreters); an "
				      "isolated sub-interpreter does not allow daemon threads",
				      j->tid, jname);
		explain_finding(f, fix,
				"at exit Python ends the sub-interpreters the program left open (Py_FinalizeEx, 3.13+: "
				"\"remaining subinterpreters\" on stderr), and ending one (Py_EndInterpreter) first joins "
				"its non-daemon threads (threading._shutdown in that interpreter); a thread of a "
				"sub-interpreter is still running: %s, the thread the join waits for%s; so the join "
				"never returns", jw, jj);
		free(fix);
		free(jname);
		free(jw);
		free(jj);
	} else if (h && h->tid == p->pid && py_in_sub(h, "_shutdown") && !others) {
		/* the same with no thread of the sub-interpreter left to join: 3.13 ends a thread that
		 * takes the GIL once the runtime is finalizing (Python/ceval_gil.c take_gil:
		 * PyThread_exit_thread), which never releases the lock its join waits on */
		char *w = thread_words(p, h);
		explain_finding(f, "stop the sub-interpreter's threads and close it before the main code ends: tell "
				"each thread to stop, join it, then destroy the interpreter (Interpreter.close(), "
				"concurrent.interpreters; _interpreters.destroy() in 3.13); an isolated "
				"sub-interpreter does not allow daemon threads",
				"at exit Python ends the sub-interpreters the program left open (Py_FinalizeEx, 3.13+: "
				"\"remaining subinterpreters\" on stderr), and ending one (Py_EndInterpreter) first joins "
				"its non-daemon threads (threading._shutdown in that interpreter): %s, and the snapshot "
				"shows no thread of that interpreter still running: a thread that takes the GIL once "
				"the runtime is finalizing is ended at once (3.13), without telling its join, which "
				"never returns", w);
		free(w);
	} else if (h && py_in_join(h) && detail_of(f)->nthreads == 1 && p->forked) {
		explain_finding(f, "start threads after fork, in each worker (under uWSGI: --lazy-apps, or start them "
				"from a postfork hook), or make them daemon threads",
				"Python joins every non-daemon thread (threading._shutdown, in Py_FinalizeEx) before it runs "
				"the atexit callbacks, but this process has no other thread: it was forked from process %d "
				"while a non-daemon Python thread ran there, fork copied that thread's state but not the "
				"thread, and the join waits for a thread that does not exist here", p->ppid);
	} else if (h && py_in_join(h) && py_in_process_executor_exit(h) && h->waits && !strcmp(h->waits, "join") &&
		   h->holder && thread_in(f, h->holder)) {
		/* a ProcessPoolExecutor's manager thread, joined by concurrent.futures' own exit hook
		 * (Lib/concurrent/futures/process.py _python_exit, 3.9+): it ends when the worker
		 * processes have finished their running tasks */
		struct hang_thread *j = thread_in(f, h->holder);
		char *jw = thread_words(p, j), *kids = live_children_words(r, p, hang->t);
		explain_finding(f, "make the task return: give what it waits for a timeout, or make it happen, before the "
				"end of the main code; executor.shutdown(wait=False, cancel_futures=True) drops the tasks "
				"not yet started, but concurrent.futures still waits for a running one at exit; a task "
				"that may hang needs its own bound (or a process you can terminate: "
				"multiprocessing.Pool.terminate())",
				"concurrent.futures waits at shutdown for each ProcessPoolExecutor's manager thread (its "
				"_python_exit, registered with threading._register_atexit: threading._shutdown runs it in "
				"Py_FinalizeEx), and that thread ends only when the worker processes have finished their "
				"running tasks: %s, the executor's manager thread, still waits for a result%s%s; so the "
				"join never returns", jw, kids ? "; worker processes still running (forked by this "
				"process, not reaped): " : "", kids ? kids : "");
		free(jw);
		free(kids);
	} else if (h && py_in_join(h) && py_in_executor_exit(h) && h->waits && !strcmp(h->waits, "join") && h->holder &&
		   thread_in(f, h->holder)) {
		/* a ThreadPoolExecutor's worker, joined by concurrent.futures' own exit hook: it ends
		 * when its running task returns (3.9+: its threads are not daemon threads, and
		 * _python_exit wakes them with None, which a worker reads only between tasks) */
		struct hang_thread *j = thread_in(f, h->holder);
		char *jw = thread_words(p, j), *jj = joined_waits(p, f, j), *task = executor_task(j);
		explain_finding(f, "make the task return: give what it waits for a timeout, or make it happen (set the "
				"event, put the item, close the connection) before the end of the main code; "
				"executor.shutdown(wait=False, cancel_futures=True) drops the tasks not yet started, but "
				"concurrent.futures still joins a worker until its running task returns (the worker "
				"threads are not daemon threads, and daemon=True is not theirs to set)",
				"concurrent.futures joins the worker threads of its executors at shutdown (its "
				"_python_exit, registered with threading._register_atexit: threading._shutdown runs it "
				"in Py_FinalizeEx before it joins the other non-daemon threads), and a worker ends only "
				"when its running task returns: %s, a worker of a ThreadPoolExecutor%s%s, has not "
				"returned%s; so the join never returns",
				jw, task ? ", in the task at " : "", task ? task : "", jj);
		free(jw);
		free(jj);
		free(task);
	} else if (h && py_in_join(h) && h->waits && !strcmp(h->waits, "join") && h->holder &&
		   thread_in(f, h->holder)) {
		/* the join's thread named by the shim (hang_pylock: the thread holding the _tstate_lock
		 * the join waits on) */
		struct hang_thread *j = thread_in(f, h->holder);
		char *jw = thread_words(p, j), *jj = joined_waits(p, f, j);
		char *rest = other_py_threads_but(p, f, h, j);
		char *jname = j->py_name ? xasprintf("\"%s\"", j->py_name) : xstrdup(j->name);
		f->root_cause = xasprintf(
			"Python joins every non-daemon thread (threading._shutdown, in Py_FinalizeEx) before it runs "
			"the atexit callbacks; a non-daemon thread is still running: %s, the thread the join waits "
			"for%s; so the join never returns, %s%s%s",
			jw, jj, busy(j) ? "as that thread is busy in a loop that does not end (it was running, not waiting "
					  "on anything: nothing it waits for would release it; its loop must test a stop flag)"
					: "and if that thread waits for something an atexit callback would do (set a stop flag, "
					  "notify a condition) it never will",
			rest ? "; other Python threads: " : "", rest ? rest : "");
		/* a join chain: the joined thread joins another that does not end, so it ends only when
		 * that one does (said in the fix's first clause, which the verdict shows) */
		struct hang_thread *k = j->waits && !strcmp(j->waits, "join") && j->holder ? thread_in(f, j->holder) : NULL;
		char *kname = !k ? NULL : k->py_name ? xasprintf("\"%s\"", k->py_name) : xstrdup(k->name);
		char *chain = k ? xasprintf(", or make it end before the join: it joins thread %d (%s), which does not end, so "
					    "join %s with a timeout (Thread.join(timeout=...)) or tell %s to stop, from",
					    k->tid, kname, kname, kname)
				: xstrdup(", or stop it from");
		free(kname);
		char *host = uwsgi_mercy_words(p, f, h, "the thread");
		f->fix = xasprintf("make thread %d (%s) a daemon thread (threading.Thread(daemon=True))%s "
				   "a shutdown hook that runs before the join: %s, or with "
				   "threading._register_atexit (Python 3.9+), not atexit.register%s",
				   j->tid, jname, chain, host_shutdown_hook(p), host);
		free(host);
		free(jw);
		free(jj);
		free(rest);
		free(jname);
		free(chain);
	} else if (h && py_in_join(h)) {
		f->root_cause = xasprintf(
			"Python joins every non-daemon thread (threading._shutdown, in Py_FinalizeEx) before it runs "
			"the atexit callbacks; a non-daemon thread is still running%s%s, so the join never returns, "
			"and if that thread waits for something an atexit callback would do (set a stop flag, notify "
			"a condition) it never will",
			others ? ": " : "", others ? others : "");
		char *host = uwsgi_mercy_words(p, f, h, "the thread");
		f->fix = xasprintf("make the thread a daemon thread (threading.Thread(daemon=True)), or stop it from a "
				   "shutdown hook that runs before the join: %s, or with "
				   "threading._register_atexit (Python 3.9+), not atexit.register%s", host_shutdown_hook(p), host);
		free(host);
	} else if (h && py_fin && !py_lock_named(h) && (cb = py_outermost_own(h))) {
		/* python3's main thread in Py_FinalizeEx, in code of the program's that Python called: an
		 * atexit callback (Python/pylifecycle.c: wait_for_thread_shutdown, then _PyAtExit_Call),
		 * or one threading._shutdown runs before its join (threading._register_atexit) */
		int early = py_in(h, "_shutdown");
		char *w = thread_words(p, h);
		/* (a thread between two sleeps, seen "running" by /proc's syscall file: its wchan) */
		char *slept = wchan_words(h);
		const char *how = slept ? slept : py_wait_words(h->syscall);
		if (finding_py_callback(f, pycb, sizeof pycb)) { /* (inside an embedder's atexit handler, the callback: innermost) */
			free(rt);
			rt = xasprintf("the %s callback %s", early ? "threading._register_atexit" : "atexit", pycb);
		}
		char *host = uwsgi_mercy_words(p, f, h, "the callback");
		char *fx = xasprintf("%s%s", early
				? "a callback registered with threading._register_atexit must return promptly: give its "
				  "wait or loop a deadline (time.monotonic()) and return when it passes; it runs before "
				  "the non-daemon threads are joined, so it may tell them to stop, but must not wait for "
				  "them or for what they do without a bound"
				: "an atexit callback that waits must have a bound: give its wait or loop a deadline "
				  "(time.monotonic(), a timeout) and return when it passes; Python runs atexit callbacks "
				  "after joining the non-daemon threads, so only daemon threads still run then and what "
				  "the callback waits for may never come: stop that work from the main code, or from a "
				  "threading._register_atexit callback, which runs before the join", host);
		free(host);
		explain_finding(f, fx,
				"%s (%s) does not return: %s%s%s; %s, so the process's shutdown stops there until the "
				"callback returns or the process is killed%s%s",
				early ? "a threading._register_atexit callback" : "an atexit callback", cb, w,
				how ? ", " : "", how ? how : "",
				early ? "threading._shutdown runs such callbacks in Py_FinalizeEx on the main thread, before "
					"it joins the non-daemon threads and before the atexit callbacks"
				      : "Python runs the atexit callbacks one after another on the main thread in "
					"Py_FinalizeEx, after it joined the non-daemon threads (threading._shutdown)",
				others ? "; other Python threads: " : "", others ? others : "");
		free(fx);
		free(w);
		free(cb);
		free(slept);
	} else if (h && h->waits && !strcmp(h->waits, "gil")) {
		struct hang_thread *o = h->holder ? thread_in(f, h->holder) : NULL;
		char *ow = o ? thread_words(p, o) : NULL;
		char *w = ow ? xasprintf("%s (now %s in %s)", ow, o->state == 'R' ? "running" : "sleeping", o->syscall)
			     : h->holder ? xasprintf("thread %d", h->holder) : NULL;
		explain_finding(f, "a thread must not hold the GIL across a blocking call (release it: "
				"Py_BEGIN_ALLOW_THREADS in C, ctypes.CDLL rather than PyDLL), and native code that enters "
				"Python during teardown (an atexit handler, a destructor) must not wait for other threads' "
				"Python code: stop those threads first, or finalize Python before exit()",
				"thread %d waits for the GIL (the interpreter's lock, to run Python code)%s%s; it "
				"cannot go on until that thread releases it",
				h->tid, w ? ", held by " : " (its holder is not known)", w ? w : "");
		free(ow);
		free(w);
	} else if (h && h->waits && !strcmp(h->waits, "join") && h->holder && !(after_py_handler && teardown_signal(p))) {
		struct hang_thread *j = thread_in(f, h->holder);
		char *w = j ? thread_words(p, j) : xasprintf("thread %d", h->holder), *jj = joined_waits(p, f, j), *hw = py_where(h);
		/* an atexit callback's join (Python/pylifecycle.c: _PyAtExit_Call after
		 * wait_for_thread_shutdown): the non-daemon threads were joined, so the joined thread
		 * is a daemon one, or one started after that join */
		char *acb = py_fin && !in_handler && !py_in(h, "_shutdown") ? py_outermost_own(h) : NULL, *jr;
		int jtype = 0;
		if (acb && finding_py_callback(f, pycb, sizeof pycb)) {
			free(rt);
			rt = xasprintf("the atexit callback %s", pycb);
		}
		if (acb)
			explain_finding(f, "join with a timeout (thread.join(timeout=...)) and return when it passes (not in a "
					"loop that joins again), or tell the thread to stop first (set the event or flag it "
					"waits for) and then join it with a bound: an atexit callback must return promptly",
					"an atexit callback (%s) joins %s, which has not ended (Thread.join: a wait on the lock "
					"that thread holds until it ends)%s; Python runs the atexit callbacks after it joined the "
					"non-daemon threads (threading._shutdown), so that thread is a daemon thread (or one "
					"started after that join) that nothing tells to stop, and the callback's join waits "
					"until the process is killed", acb, w, jj);
		else if (j && (jr = teardown_routine(p, j, hang, &jtype)) != NULL) {
			/* the joined thread is in its own exit: a destructor its exit runs does not return */
			char *fix = xasprintf("%s must return promptly: do not sleep, wait or loop in it without a bound "
					      "(it runs at the thread's exit, and the join waits for its end); or stop what it "
					      "waits for before the thread ends", jr);
			char *who = rt ? xasprintf("%s, on thread %d,", rt, h->tid) : xasprintf("thread %d", h->tid);
			explain_finding(f, fix, "%s joins %s, which has not ended: that thread is in its exit, inside %s, "
					"which does not return%s", who, w, jr, jj);
			free(who);
			free(fix);
			free(jr);
		} else if ((jr = dlclose_frame_words(h)) != NULL) {
			/* the join is in a module's destructor that a dlclose runs (a plugin unloaded in
			 * the teardown): named, as the teardown step is the dlclose's caller */
			explain_finding(f, "a library's destructor must not join a thread that may not end: stop the "
					"thread first (set what it waits for: a flag and its condition, a pipe), from the "
					"destructor before the join or before dlclose, or detach it and keep the library "
					"loaded (RTLD_NODELETE) while it runs",
					"thread %d, in %s, joins %s, which has not ended%s", h->tid, jr, w, jj);
			free(jr);
		} else if (j && native_in(h, "gracefully_kill") && native_in(j, "simple_loop_run") &&
			   (native_in(j, "wsgi_req_recv") || native_in(j, "uwsgi_request_wsgi"))) {
			char *mercy = option_words(p, "--worker-reload-mercy", "60 s");
			/* a threaded uWSGI worker's graceful reload or stop (core/uwsgi.c gracefully_kill, 2.0:
			 * with --threads it waits for the worker's core threads, wait_for_threads) joins a
			 * core thread that is still serving a request (core/loop.c simple_loop_run, then
			 * wsgi_req_recv into the plugin's request handler): the master ends the wait with
			 * SIGKILL after --worker-reload-mercy (default 60 s) */
			explain_finding(f, "bound the request: give what it waits for a timeout, or set uWSGI's --harakiri "
					"(seconds) so that a request stuck longer is ended; if such requests are legitimate, "
					"raise --worker-reload-mercy above the longest one; --no-threads-wait makes the "
					"worker go without waiting for its threads (the request is cut off)",
					"uWSGI's graceful reload or stop of a worker (its handler gracefully_kill) waits for "
					"each core thread of the worker (--threads) to end its request, and thread %d joins %s, "
					"still serving a request (wsgi_req_recv: the app's request handler has not returned)%s; "
					"the master ends that wait with SIGKILL when %s passes", h->tid, w, jj, mercy);
			free(mercy);
		} else
		explain_finding(f, "tell the thread to stop before joining it (and make sure what it waits for still "
				"happens at that point of the teardown), or detach it (in Python: a daemon thread, "
				"or join with a timeout)",
				"thread %d joins %s, which has not ended%s%s", h->tid, w,
				hw ? " (Thread.join: a wait on the lock that thread holds until it ends)" : "", jj);
		free(acb);
		free(w);
		free(jj);
		free(hw);
	} else if (h && (in_handler || (arm && !strcmp(ev_field(arm, 0), "signal"))) && h->tid == f->tid && teardown_signal(p) &&
		   handler_lock_explain(f, h, (int)ev_dec(teardown_signal(p), 0))) {
		/* (the program's handler waits on a lock, or its exit()'s atexit handler does: its words
		 * set there) */
	} else if (h && h->waits && !strcmp(h->waits, "mutex") && h->holder == h->tid) {
		h->holder_text = xasprintf("thread %d itself", h->tid);
		explain_finding(f, in_handler ? HANDLER_FIX
					      : "do not lock a mutex the thread may already hold (a teardown step that locks "
						"what the code that called exit() or the handler's caller holds): release it "
						"first, or make it a recursive mutex",
				"thread %d waits for the mutex %s, which it holds itself: a non-recursive mutex locked "
				"again by its owner never becomes free", h->tid, mutex_name(h));
	} else if (h && held_lock(h) && h->holder && !in_handler && thread_in(f, h->holder) && !thread_in(f, h->holder)->waits) {
		/* the holder waits for nothing the snapshot names (asleep in pause, a sleep, a read):
		 * it keeps the lock while it does something else, not while it waits for the teardown */
		struct hang_thread *o = thread_in(f, h->holder);
		char *w = thread_words(p, o), *a = asleep_words(o);
		char *who = rt ? xasprintf("%s, on thread %d,", rt, h->tid) : xasprintf("thread %d", h->tid);
		int rw = !strcmp(h->waits, "rwlock");
		char *fix = xasprintf("thread %d holds %s while it is %s, and nothing makes it unlock it: hold the lock "
				      "only around the work it guards (unlock it before the thread sleeps or waits), stop "
				      "that thread before exit(), or take the lock in the teardown with a timeout "
				      "(%s) and skip that work when it passes",
				      o->tid, h->object ? h->object : rw ? "the rwlock" : "the mutex", a,
				      rw ? "pthread_rwlock_timedrdlock, pthread_rwlock_timedwrlock" : "pthread_mutex_timedlock");
		explain_finding(f, fix,
				"%s waits for the %s %s held%s by %s: that thread does not wait for the teardown, it "
				"keeps the %s while it is %s, so the teardown waits for as long as that lasts", who,
				lock_kind_words(h), mutex_name(h), rw ? " for writing" : "", w,
				!strcmp(h->waits, "stdio") ? "stream lock" : h->waits, a);
		free(w);
		free(a);
		free(who);
		free(fix);
	} else if (h && h->waits && !strcmp(h->waits, "rwlock") && h->holder && !h->holder_alive && h->holder_text) {
		/* write-locked by a thread that is gone: glibc's rwlock has no owner-death handling
		 * (nptl/pthread_rwlock_common.c), so nothing will unlock it */
		explain_finding(f, in_handler ? HANDLER_FIX
					      : "a thread must unlock what it holds before it ends: push a cleanup handler "
						"(pthread_cleanup_push with pthread_rwlock_unlock) around the cancellation "
						"points it passes while it holds the lock, or disable cancellation while it holds "
						"it (pthread_setcancelstate), and never return or pthread_exit with it held",
				"thread %d waits for the rwlock %s, held by %s: glibc's rwlock records its writer but "
				"does nothing when it dies, so nobody will ever unlock it", h->tid, mutex_name(h),
				h->holder_text);
	} else if (h && held_lock(h) && h->holder) {
		struct hang_thread *o = thread_in(f, h->holder);
		char *w = o ? thread_words(p, o) : xasprintf("thread %d", h->holder);
		char *unsafe = in_handler ? handler_unsafe_call(h) : NULL;
		explain_finding(f, unsafe ? HANDLER_SAFE_FIX : in_handler ? HANDLER_FIX
					      : "a lock the teardown needs must not be held by a thread that waits for the "
						"teardown: release it before waiting, or stop that thread first",
				"thread %d waits for the %s %s held%s by %s%s%s%s", h->tid, lock_kind_words(h), mutex_name(h),
				!strcmp(h->waits, "rwlock") ? " for writing" : "", w,
				in_handler ? ", inside a signal handler: the handler cannot go on until that thread "
					     "unlocks it, and the thread it interrupted may be the one that would" : "",
				unsafe ? "; " : "", unsafe ? unsafe : "");
		free(unsafe);
		free(w);
	} else if (h && h->waits && !strcmp(h->waits, "rwlock") && !h->holder && h->holder_text) {
		/* read-locked: glibc counts its readers, and records none of them (rwlock_wait) */
		explain_finding(f, in_handler ? HANDLER_FIX
					      : "a lock the teardown needs must not be kept by a thread that does not end: "
						"unlock a read lock as soon as the read is done (never across a wait), stop the "
						"threads that read before the teardown takes the lock, or take it with a timeout "
						"(pthread_rwlock_timedwrlock) and skip that work when it passes",
				"thread %d waits for the rwlock %s, read-locked by %s: a thread that took a read lock has "
				"not unlocked it (which one is not recorded: see what the snapshot's threads do)",
				h->tid, mutex_name(h), h->holder_text);
	} else if (h && h->waits && !strcmp(h->waits, "rlock") && h->holder && !(after_py_handler && teardown_signal(p))) {
		struct hang_thread *o = thread_in(f, h->holder);
		char *w = o ? thread_words(p, o) : xasprintf("thread %d", h->holder);
		/* the owner blocked in a call of its own (not a lock: a write to a full pipe, a read):
		 * what it waits for is what keeps the lock (HANG15: logging.shutdown, an atexit
		 * callback, waits for a StreamHandler's lock, which a daemon thread holds while its
		 * emit writes to a pipe nobody reads) */
		char *ow = o && !in_handler && !o->waits && o->state != 'R' && o->syscall && strcmp(o->syscall, "-") ? asleep_words(o) : NULL;
		const char *pipe = ow && o->wchan && strstr(o->wchan, "pipe_write") ? ": a full pipe, whose reader does not read it" : "";
		int logging = ow && py_in(h, "shutdown") && py_in(h, "Handler.acquire") && py_in(o, "emit");
		char *kept = ow ? xasprintf("; that thread does not wait for the teardown, it keeps the RLock while it is %s%s%s", ow, pipe,
					    logging ? " (logging holds a handler's lock while its emit writes a record; logging.shutdown, "
						      "which Python's atexit runs, flushes and closes every handler under that lock)" : "")
				: xstrdup("");
		explain_finding(f, in_handler ? HANDLER_FIX
				   : logging ? "a logging handler's stream must not block: its reader (a pipe to a logger or a "
					       "supervisor) must keep reading, or make the handler not wait for it (a "
					       "logging.handlers.QueueHandler with a QueueListener, whose thread alone writes, stopped "
					       "before exit; or a stream opened non-blocking); and a daemon thread that logs may hold a "
					       "handler's lock at exit: stop it before the end of the main code"
				   : ow ? "a lock the teardown needs must not be kept across a call that can block without a bound: "
					  "release it before that call (or bound the call: a timeout, a non-blocking descriptor), "
					  "stop that thread before the teardown takes the lock, or take it with a timeout "
					  "(lock.acquire(timeout=...))"
					: "a lock the teardown needs must not be kept by a thread that does not end: "
					  "hold it only around the work it guards (with lock: ...), never across a wait, "
					  "stop that thread before the teardown takes the lock, or take it with a timeout "
					  "(lock.acquire(timeout=...))",
				"thread %d waits for the %s (0x%llx), held by %s%s%s", h->tid, h->object,
				(unsigned long long)h->addr, w,
				in_handler ? ", inside a signal handler: the handler cannot go on until that thread "
					     "releases it" : "", kept);
		free(w);
		free(ow);
		free(kept);
	} else if (h && after_py_handler && teardown_signal(p) && !strcmp(ev_field(arm, 0), "py_after_handler")) {
		/* the main thread went on to a long sleep, poll or timed wait soon after the arrival
		 * (shim/python.c py_reaction_sleeps): in the Python handler, or in what the program
		 * runs once it saw the handler's flag (a gunicorn worker's worker_exit hook, in
		 * Arbiter.spawn_worker's finally after its loop ended: gunicorn/arbiter.py 20.x) */
		const struct event *a = teardown_signal(p);
		char *w = thread_words(p, h), *pyh = py_arrival_handler(p, a), *slept = wchan_words(h);
		char *hn = pyh ? xasprintf("Python's handler %s", pyh) : xstrdup("Python's handler");
		const char *how = slept ? slept : py_wait_words(h->syscall);
		/* (gunicorn 20.x: the worker_exit hook runs in Arbiter.spawn_worker's finally, after the
		 * worker's init_process returned; the gthread worker, its loop ended, waits in
		 * concurrent.futures.wait up to --graceful-timeout for the requests its threads serve,
		 * gunicorn/workers/gthread.py ThreadWorker.run) */
		int gunicorn = !strncmp(prog_of(p), "gunicorn", 8) && py_in(h, "spawn_worker") && !py_in(h, "init_process");
		int gthread = 0;
		for (int i = 0; i < h->npy && !strncmp(prog_of(p), "gunicorn", 8) && py_in(h, "ThreadWorker.run"); i++)
			gthread |= strstr(h->py[i], "/concurrent/futures/_base.py\"") && py_in_line(h->py[i], "wait");
		if (gthread) {
			explain_finding(f, "a request must end within --graceful-timeout (default 30 s) for a stop or restart to be "
					   "graceful: bound what it waits for (a timeout on its calls), or raise "
					   "--graceful-timeout; the arbiter sends SIGKILL when it passes",
					"%s arrived at %s: gunicorn's gthread worker left its loop and waits (concurrent.futures.wait "
					"in ThreadWorker.run, up to --graceful-timeout) for the requests its threads still serve%s%s; "
					"the arbiter's SIGKILL comes at the same --graceful-timeout after its SIGTERM",
					signal_name((int)ev_dec(a, 0)), hn, others ? ": " : "", others ? others : "");
		} else
		explain_finding(f, gunicorn
				? "a worker's exit work (the worker_exit hook, and what the worker runs after its loop) must end "
				  "well within --graceful-timeout (default 30 s), after which the arbiter sends SIGKILL: give "
				  "its waits a timeout, or move that work to the arbiter (the child_exit hook runs there, "
				  "after the worker has exited)"
				: "the code that runs once the signal came (the handler, a shutdown hook, a finally block) must "
				  "not wait without a bound: give the wait a timeout well within the time the sender gives "
				  "before it kills the process, and end the process when it passes",
				"%s arrived at %s, and soon after the main thread went on to a wait that did not end: %s%s%s%s; "
				"the process's stop waits there until it ends or is killed", signal_name((int)ev_dec(a, 0)), hn,
				w, how && !strstr(w, how) ? ", " : "", how && !strstr(w, how) ? how : "",
				gunicorn ? "; under gunicorn a worker runs its worker_exit hook (Arbiter.spawn_worker, after "
					   "\"Worker exiting\") once its loop has ended" : "");
		free(w);
		free(hn);
		free(pyh);
		free(slept);
	} else if (h && after_py_handler && teardown_signal(p)) {
		/* the main thread blocked in a sem_wait (the shim arms handler_py there only, and
		 * snapshots while that wait lasts): a Python lock, which records no owner */
		const struct event *a = teardown_signal(p);
		char *w = thread_words(p, h);
		/* (a Python lock's object is no name of the futex word: hang_pylock) */
		int pylock = h->waits && (!strcmp(h->waits, "lock") || !strcmp(h->waits, "rlock") || !strcmp(h->waits, "join"));
		char *word = !h->addr ? xstrdup("") : h->object && !pylock ? xasprintf(" on the futex word %s", mutex_name(h))
							 : xasprintf(" on the futex word 0x%llx", (unsigned long long)h->addr);
		/* Thread.join waits on the joined thread's tstate lock, which that thread holds until it
		 * ends (Lib/threading.py, 3.11: _wait_for_tstate_lock) */
		int join = py_in(h, "_wait_for_tstate_lock") || (h->waits && !strcmp(h->waits, "join"));
		int rlock = h->waits && !strcmp(h->waits, "rlock") && h->holder;
		/* the joined thread where the shim named it (hang_pylock): the others without it */
		struct hang_thread *j = join && h->holder ? thread_in(f, h->holder) : NULL;
		char *rest = j ? other_py_threads_but(p, f, h, j) : NULL;
		char *joining = join && h->holder_text ? xasprintf("joining %s (Thread.join: a wait on the lock that "
								   "thread holds until it ends", h->holder_text)
						       : xstrdup("joining a thread (Thread.join: a wait on the lock the joined "
								 "thread holds until it ends");
		if (!h->holder_text && !h->holder) /* (the snapshot's thread line and JSON say it too) */
			h->holder_text = xstrdup(join ? "the joined thread until it ends (Thread.join)"
						      : "a thread not known (a Python lock records no owner)");
		explain_finding(f, PY_AFTER_HANDLER_FIX,
				"the %s handler is not where the process stopped: the main thread was not in its Python "
				"handler when it blocked (no frame of the code that runs Python's signal handlers on its "
				"stack), so that handler returned, or had not yet run; the main thread blocks after it: "
				"%s, %s%s%s%s%s%s; the process's shutdown stops there until it is killed",
				signal_name((int)ev_dec(a, 0)), w,
				join ? joining : rlock ? "waiting on a threading.RLock (a sem_wait" : "waiting on a Python lock (a sem_wait",
				word,
				join ? "), which has not ended"
				     : rlock ? "), held by its owner, "
				     : ": threading.Lock, or what waits on one: RLock, Condition, Event, Semaphore, "
				       "queue.Queue), whose holder is not known (a Python lock records no owner)",
				rlock ? h->holder_text : "",
				j ? rest ? "; other Python threads: " : ""
				  : others ? join ? "; the other Python threads, one of them the joined one: "
						  : "; other Python threads: " : "",
				j ? rest ? rest : "" : others ? others : "");
		free(word);
		free(w);
		free(joining);
		free(rest);
	} else if (h && in_handler && teardown_signal(p)) {
		/* no teardown step came: the termination handler itself did not return */
		const struct event *a = teardown_signal(p);
		char *w = thread_words(p, h), *hw = arrival_handler_words(p, a), *py = py_handler_named(p, a);
		char *slept = py ? wchan_words(h) : NULL;
		const char *how = slept ? slept : py ? py_wait_words(h->syscall) : NULL;
		if (py) /* CPython's C-level handler returned at once: its Python-level handler did not */
			explain_finding(f, HANDLER_FIX,
					"the Python-level %s handler (given to signal.signal)%s%s did not return: %s%s%s; "
					"CPython's C-level handler only marked the signal at its arrival, and the main "
					"thread ran the Python one at its next check (PyErr_CheckSignals); the process "
					"neither ends nor goes back to its work, and its shutdown stops there until it is "
					"killed%s%s",
					signal_name((int)ev_dec(a, 0)), *py ? " " : "", py, w, how ? ", " : "",
					how ? how : "", others ? "; other Python threads: " : "", others ? others : "");
		else
		explain_finding(f, HANDLER_FIX,
				"the %s handler that ran at its arrival (%s) did not return: %s; the process neither ends "
				"nor goes back to its work, and its shutdown stops there until it is killed%s%s",
				signal_name((int)ev_dec(a, 0)), hw, w, others ? "; other Python threads: " : "",
				others ? others : "");
		free(hw);
		free(py);
		free(slept);
		free(w);
	} else if (h && h->waits && !strcmp(h->waits, "lock") && !in_handler && py_in_innermost(h, "/threading.py\"", "wait") &&
		   py_in(h, "Queue.join")) {
		/* queue.Queue.join (Lib/queue.py): waits on its all_tasks_done condition until
		 * unfinished_tasks is 0, which only task_done() lowers, one per item put: an item whose
		 * consumer died (an exception in the loop) or never calls task_done keeps it waiting;
		 * put() does not wake it (HANG15: "until another thread notifies it (..., Queue.put)") */
		char *acb = py_fin ? py_outermost_own(h) : NULL, *w;
		int alone = !others, outer = -1;
		for (int i = 0; i < h->npy; i++) /* (its outermost frame: Queue.join itself, given to atexit.register) */
			if (strstr(h->py[i], "File \""))
				outer = i;
		int itself = py_fin && !acb && outer >= 0 && py_in_line(h->py[outer], "Queue.join");
		w = xasprintf("thread %d (%s)%s", h->tid, h->name, itself ? ", in the atexit callback queue.Queue.join (a queue's "
									     "join given to atexit.register)," : acb ? "," : "");
		explain_finding(f, "call task_done() once for every item taken with get(), in a finally block so that an item "
				   "whose work fails still counts, and keep the consumer threads alive while items are "
				   "left (catch what their work raises); at exit, do not join the queue without a bound: "
				   "wait for q.unfinished_tasks to reach 0 with a deadline (time.monotonic()), or drop "
				   "the work left",
				"%s%s%s%s waits in queue.Queue.join until task_done() has been called once for every item put "
				"(Lib/queue.py: unfinished_tasks must reach 0; put() does not wake it): an item was taken by a "
				"consumer that did not call task_done() for it, or is still in the queue with no consumer "
				"left to take it%s%s", acb ? "the atexit callback " : "", acb ? acb : "", acb ? ", on " : "", w,
				alone ? "; no other Python thread is left, so it never returns (a consumer that died on an "
					"exception leaves its items unfinished: the program's stderr shows its traceback)"
				      : "; other Python threads: ",
				alone ? "" : others);
		free(w);
		free(acb);
	} else if (h && h->waits && !strcmp(h->waits, "lock") && !in_handler && py_in_innermost(h, "/threading.py\"", "wait")) {
		/* threading's Condition.wait (Lib/threading.py, 3.11: it acquires a new Lock, then acquires
		 * it again to block until notify() releases it): an Event's wait, a queue's get. Nothing
		 * re-entered a Lock, and no thread keeps one: the wait is for a notify that does not come.
		 * In an atexit callback (python3's Py_FinalizeEx, or an embedder's Py_Finalize: mod_wsgi,
		 * uWSGI), the non-daemon threads were joined before it (Python/pylifecycle.c: _PyAtExit_Call
		 * after wait_for_thread_shutdown) */
		/* (threading._shutdown runs a threading._register_atexit callback before its join: the
		 * non-daemon threads still run then) */
		int early = py_fin && py_in(h, "_shutdown");
		const char *kind = early ? "threading._register_atexit" : "atexit";
		char *w = thread_words(p, h), *acb = py_fin ? py_outermost_own(h) : NULL, *who;
		if (acb && finding_py_callback(f, pycb, sizeof pycb)) {
			free(rt);
			rt = xasprintf("the %s callback %s", kind, pycb);
			who = xasprintf("the %s callback %s, on thread %d (%s),", kind, pycb, h->tid, h->name);
		} else
			who = acb ? xasprintf("the %s callback %s, on %s,", kind, acb, w)
				  : xasprintf("the thread that began the teardown, %s,", w);
		explain_finding(f, acb ? "a shutdown callback must not wait for other threads' work without a bound: give the wait a "
					 "deadline (a timeout on it: event.wait(timeout=...), cond.wait(timeout=...), "
					 "queue.get(timeout=...), and a loop around it that ends when time.monotonic() passes "
					 "the deadline) and go on when it passes, or do that work, or stop the threads that do "
					 "it, from the main code before it ends (or a threading._register_atexit callback, which "
					 "runs before the join)"
				       : "give the wait a deadline (a timeout on it: event.wait(timeout=...), "
					 "cond.wait(timeout=...), queue.get(timeout=...), and a loop around it that ends when "
					 "time.monotonic() passes the deadline) and go on when it passes, and make sure the "
					 "thread meant to notify it still runs at that point of the teardown",
				"%s waits in threading's Condition.wait (an Event's wait and a queue's get wait there too) "
				"until another thread notifies it (Event.set, Condition.notify, Queue.put), on a threading.Lock "
				"(0x%llx) that no thread keeps: the wait is for a notify that has not come%s%s%s",
				who, (unsigned long long)h->addr,
				acb && early ? "; threading._shutdown runs such callbacks before it joins the non-daemon "
					       "threads, so any thread can still notify it"
				: acb ? "; Python runs the atexit callbacks after it joined the non-daemon threads, so only "
					"daemon threads can still notify it" : "",
				others ? "; other Python threads: " : acb ? ", and no other Python thread is left: it never returns" : "",
				others ? others : "");
		free(w);
		free(who);
		free(acb);
	} else if (h && h->waits && !strcmp(h->waits, "lock") && detail_of(f)->nthreads == 1 &&
		   (forkw = threads_at_fork(p)) != NULL) {
		/* (a forked child, alone: its parent had other threads at the fork, one of which may
		 * have held the lock; fork copies the lock's state, not the thread: FRESH14b, h6's
		 * kind in Python) */
		char *w = thread_words(p, h);
		/* (a server that loads the app before it forks its workers: the threads the app starts
		 * at import run in the master, the workers are its forks: FRESH17) */
		const char *host = host_is_uwsgi(p, NULL)
					   ? "under uWSGI, load the app in each worker after its fork (--lazy-apps) or "
					     "start such threads from a postfork hook (uwsgidecorators.postfork), so that "
					     "the master has no thread at the fork; else "
				   : !strncmp(prog_of(p), "gunicorn", 8)
					   ? "under gunicorn, do not --preload an app that starts threads at import (or "
					     "start them in a post_fork server hook), so that the arbiter has no thread at "
					     "the fork; else "
					   : "";
		char *fx = xasprintf("%sdo not fork while other threads may hold locks the child uses: take the lock "
				     "around the fork (os.register_at_fork(before=lock.acquire, after_in_parent=lock.release, "
				     "after_in_child=lock.release)), start those threads after the fork, exec right "
				     "after it (subprocess), or end the child with os._exit() so that its atexit "
				     "callbacks do not run in it", host);
		explain_finding(f, fx,
				"the thread that began the teardown, %s, waits on a %s (0x%llx) in a process forked from "
				"process %d while %s: fork copies the lock's state but only the forking thread, so a lock "
				"another thread held at the fork stays held in the child, by nobody (a Lock has no owner "
				"the snapshot could name)",
				w, h->object, (unsigned long long)h->addr, p->ppid, forkw);
		free(fx);
		free(w);
	} else if (h && h->waits && !strcmp(h->waits, "lock") && detail_of(f)->nthreads == 1) {
		/* (no other thread in the snapshot: the lock was taken and kept by this one, or by a thread
		 * that has ended since without releasing it) */
		char *w = thread_words(p, h);
		explain_finding(f, "a threading.Lock is not re-entrant: a thread that acquires one it holds waits for "
				"ever; release it before (with lock: ...), use a threading.RLock where the same thread "
				"takes it again, or take it with a timeout (lock.acquire(timeout=...))",
				"the thread that began the teardown, %s, waits on a %s (0x%llx), and it is the process's only "
				"thread: the lock was acquired earlier by this thread (a threading.Lock is not re-entrant) "
				"or by a thread that ended without releasing it; a Lock has no owner the snapshot could name",
				w, h->object, (unsigned long long)h->addr);
		free(w);
	} else if (h && h->waits && !strcmp(h->waits, "lock") && (inferred = py_lock_inferred_holder(f, h, &inf_words)) &&
		   thread_in(f, inferred)) {
		/* (a likely holder, inferred from the source: pylock_infer.c) */
		char *w = thread_words(p, h), *o = thread_words_at(p, thread_in(f, inferred), ", which is at ");
		explain_finding(f, "a lock the teardown needs must not be kept by a thread that does not end: "
				"release it where it was acquired before a wait without a bound (with lock: around the "
				"work it guards, not around a sleep, a read or a join), stop the threads that use it "
				"before the teardown takes it, or take it with a timeout (lock.acquire(timeout=...))",
				"the thread that began the teardown, %s, waits on a %s (0x%llx); a threading.Lock has no "
				"owner, but the source names a likely holder: %s %s",
				w, h->object, (unsigned long long)h->addr, o, inf_words);
		free(w);
		free(o);
	} else if (h && h->waits && !strcmp(h->waits, "lock")) {
		char *w = thread_words(p, h);
		explain_finding(f, "a lock the teardown needs must not be kept by a thread that does not end: "
				"release it where it was acquired (with lock: ...), stop the threads that use it before "
				"the teardown takes it, or take it with a timeout (lock.acquire(timeout=...)); the "
				"snapshot's other threads' tracebacks show which of them is inside the lock",
				"the thread that began the teardown, %s, waits on a %s (0x%llx), and a threading.Lock has no "
				"owner: whoever acquired it holds it, and the snapshot cannot say who (a Condition's, an "
				"Event's, a Semaphore's or a queue's wait is such a lock too)%s%s", w, h->object,
				(unsigned long long)h->addr, others ? "; other Python threads: " : "", others ? others : "");
		free(w);
	} else if (h && !h->waits && rt && rtype == EV_EXIT_DONE) {
		/* exit() after its atexit handlers: glibc's _IO_cleanup writes every stream's buffer
		 * (stdlib/exit.c, libio/genops.c _IO_flush_all), a write that blocks while the file
		 * takes no more: a full pipe or socket whose reader does not read */
		char *w = xasprintf("thread %d (%s)", h->tid, h->name);
		const char *into = !h->wchan ? NULL
				   : strstr(h->wchan, "pipe") ? "a pipe that is full: the process at its other end (the reader) does not read it"
				   : strstr(h->wchan, "sk_stream") || strstr(h->wchan, "sock") || strstr(h->wchan, "unix_")
				   ? "a socket whose peer does not read"
				   : strstr(h->wchan, "tty") ? "a terminal that takes no output (stopped with Ctrl-S, or a full pty nobody reads)"
							     : NULL;
		explain_finding(f, "the reader of this process's output (the stdout or a file it writes, often a pipe to a "
				   "logger or a supervisor) must read it to its end, or close it (the write then fails with "
				   "EPIPE or SIGPIPE); in the program, write the buffered output before exit(), where the "
				   "write can be bounded (fflush with a deadline: a non-blocking descriptor and poll), or end "
				   "with _exit() where that output may be lost",
				"exit() had run all its atexit handlers (the timeline's \"process ends\" line, written before "
				"this last step) and was flushing the stdio streams' buffers (glibc's _IO_cleanup): %s is "
				"blocked in %s to %s; the flush waits until that file takes the data, and the process does "
				"not end before it", w, h->syscall, into ? into : "a file that takes no more data now");
		free(w);
	} else if (h && (!h->waits || cw) && rt && rtype == EV_ATEXIT_RUN) {
		/* exit() (glibc stdlib/exit.c __run_exit_handlers) runs the atexit handlers (and the
		 * static destructors __cxa_atexit registered) one after another on the thread that
		 * called it: one that never returns stops the teardown (a condition wait in it too:
		 * cond_wait_words) */
		char *w = cw ? xasprintf("thread %d (%s), %s", h->tid, h->name, cw) : thread_words(p, h);
		int dtor = !strncmp(rt, "the static destructor", 21);
		const char *cond = cwk == FW_COND ? " (a condition wait: pthread_cond_timedwait with a deadline, and signal "
						    "the condition before exit() from a thread that is still alive then)"
				   : cwk == FW_SEM ? " (a semaphore wait: sem_timedwait with a deadline, and post it before "
						     "exit() from a thread that is still alive then)"
				   : cwk == FW_ONCE ? " (pthread_once has none: it waits for as long as the init routine runs, so "
						      "call it in a teardown step only for a routine that cannot be stuck, or test a "
						      "flag the routine sets instead)"
						    : "";
		char *fix = xasprintf(dtor ? "a static object's destructor must return promptly: do not sleep, wait or loop in it "
					     "without a bound; give its wait a deadline and return when it passes%s, and stop "
					     "the work it waits for before exit() (or end the process with _exit() where "
					     "nothing is left to flush)"
					   : "an atexit handler must return promptly: do not sleep, wait or loop in it without a "
					     "bound; give its wait a deadline and return when it passes%s, and stop the work it waits "
					     "for before exit() (or end the process with _exit() where nothing is left to flush)",
				      cond);
		explain_finding(f, fix,
				"%s does not return: %s; exit() runs the atexit handlers%s one after another on the thread "
				"that called it, so the process's teardown stops there until the %s returns or the "
				"process is killed", rt, w, dtor ? " (and the static destructors __cxa_atexit registered)" : "",
				dtor ? "destructor" : "handler");
		free(w);
		free(fix);
	} else if (h && !h->waits && rt && rtype != EV_PY_FIN) {
		/* a TLS or key destructor (glibc: __call_tls_dtors, then __nptl_deallocate_tsd, at the
		 * thread's exit), a Py_AtExit function, a module's destructor function (_dl_fini) */
		char *w = thread_words(p, h);
		explain_finding(f, "a destructor or exit function must return promptly: do not sleep, wait or loop in it "
				"without a bound; give its wait a deadline and return when it passes, and stop the work "
				"it waits for before the teardown begins",
				"%s does not return: %s; the teardown runs it on the thread that began it and goes no "
				"further until it returns or the process is killed", rt, w);
		free(w);
	} else if (h) {
		char *w = thread_words(p, h);
		explain_finding(f, in_handler ? HANDLER_FIX : "see what the snapshot's threads wait for",
				"the thread that %s, %s, did not get further; the watchdog's snapshot (its threads) shows every thread%s%s",
				hang_hup_arrival(p) ? "runs the SIGHUP handler" : "began the teardown", w, others ? ": " : "",
				others ? others : "");
		free(w);
	} else if (!f->fix) {
		/* no thread written: the process ended as the snapshot began (a kill at
		 * TLSTRACE_HANG_MS; FRESH14b: an empty fix, and a killed fix pointing at no thread) */
		explain_finding(f, "no thread was written before the process ended, as the snapshot began: to see where "
				   "its teardown waits, set TLSTRACE_HANG_MS well below the time it has before the kill "
				   "(half of it)",
				"the snapshot was cut short before its first thread (the process ended as it began): "
				"where the teardown was is not known from it");
	}
	if (h && f->root_cause && !in_handler)
		handler_waits_on_teardown(p, f, h, hang);
	if (py_late && f->root_cause)
		name_py_finalizer(f, h, &rt);
	free(others);
	free(cw);
	free(iname);
	free(which);
	free(forkw);
	free(inf_words);
	*routine = rt;
}

/* A thread of the shim's own: it wrote a snapshot's `hang` line and is neither the main thread
 * nor one of the threads a snapshot lists (hang_thread: every thread but the watchdog's; a
 * handler watcher's snapshot written in the program's thread lists that thread). The last
 * process asked about is remembered (a timeline asks once per line); at most 4 such threads. */
int shim_thread(const struct proc *p, int tid)
{
	static const struct proc *cached;
	static int cpid, cnev, n, tids[4];
	if (!tid || tid == p->pid)
		return 0;
	if (cached != p || cpid != p->pid || cnev != p->nev) {
		cached = p, cpid = p->pid, cnev = p->nev, n = 0;
		for (int i = 0; i < p->nev; i++) {
			const struct event *e = proc_ev(p, i);
			int k = 0;
			if (e->type == EV_HANG) {
				while (k < n && tids[k] != e->tid)
					k++;
				if (k == n && n < 4)
					tids[n++] = e->tid;
			}
		}
		for (int i = 0; n && i < p->nev; i++)
			if (proc_ev(p, i)->type == EV_HANG_THREAD)
				for (int k = 0; k < n; k++)
					if (tids[k] == ev_dec(proc_ev(p, i), 0))
						tids[k--] = tids[--n];
	}
	for (int k = 0; k < n; k++)
		if (tids[k] == tid)
			return 1;
	return 0;
}

const struct event *hang_hup_arrival(const struct proc *p)
{
	const struct event *a = NULL;
	for (int i = 0; i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->type == EV_SIG_ARRIVE && !strcmp(ev_field(e, 5), "fn"))
			a = e;
		else if (e->type == EV_HANG_ARM)
			return !strcmp(ev_field(e, 0), "handler_hup") ? a : NULL;
	}
	return NULL;
}

/* 1 if the snapshot whose hang line is e (of p) has its hang_end: the process's end (a SIGKILL, an
 * exit on another thread) may cut one short, leaving its hang line and some or none of its threads */
int hang_snapshot_complete(const struct proc *p, const struct event *e)
{
	int i = 0;
	while (i < p->nev && proc_ev(p, i) != e)
		i++;
	for (i++; i < p->nev && proc_ev(p, i)->type != EV_HANG && proc_ev(p, i)->type != EV_KILL_SNAP; i++)
		if (proc_ev(p, i)->type == EV_HANG_END && ev_dec(proc_ev(p, i), 0) == ev_dec(e, 0))
			return 1;
	return 0;
}

/* hang_pyhandler_place (report.h) */
int hang_pyhandler_place(const struct proc *p, const struct event *snap, int tid, int nframes)
{
	int i = 0, place = -1, frames = -1;
	while (i < p->nev && proc_ev(p, i) != snap)
		i++;
	/* (the last such line of the snapshot: the shim writes one a thread) */
	for (i++; i < p->nev && proc_ev(p, i)->type != EV_HANG && proc_ev(p, i)->type != EV_KILL_SNAP; i++)
		if (proc_ev(p, i)->type == EV_HANG_PYHANDLER && ev_dec(proc_ev(p, i), 0) == tid)
			place = (int)ev_dec(proc_ev(p, i), 1), frames = (int)ev_dec(proc_ev(p, i), 2);
	return place >= 0 && frames == nframes ? place : -1;
}

/* "; snapshot 2 (at 4.0 s) was cut short by the process's end 15.742 ms after it began: the threads
 * are snapshot 1's, the last complete one": the last snapshot cut, when an earlier complete one is the finding's; ""
 * if none was cut. The end is the kill that ended it where a traced process sent one, else its
 * last line. malloc'd */
static char *cut_words(const struct proc *p, const struct event *shown, const struct event *cut, int nthreads)
{
	const struct proc_fate *fate = fate_of(p);
	uint64_t end = proc_t_last(p);
	char *d, *s;
	if (!cut)
		return xstrdup("");
	if (fate->killed_by && fate->killer != p && fate->killed_by->t > end)
		end = fate->killed_by->t;
	d = duration_text(end - cut->t);
	int gaps = routine_of(p) && (routine_of(p)->dropped_other_lines > 0 || routine_of(p)->lines_lost > 0);
	if (gaps && shown != cut) /* the trace's size bound, a failed write */
		s = xasprintf("; snapshot %lld (at %.1f s) is not complete in the trace, which dropped or lost lines (its "
			      "size bound, a failed write; or the process's end cut it): the threads are snapshot %lld's, "
			      "the last complete one", ev_dec(cut, 0), (double)ev_dec(cut, 1) / 1e3, ev_dec(shown, 0));
	else if (gaps)
		s = xasprintf("; it is not complete in the trace, which dropped or lost lines (its size bound, a "
			      "failed write; or the process's end cut it)");
	else if (!p->exit_known && shown != cut)
		s = xasprintf("; snapshot %lld (at %.1f s) is not complete where its trace ends: the threads are "
			      "snapshot %lld's, the last complete one", ev_dec(cut, 0), (double)ev_dec(cut, 1) / 1e3,
			      ev_dec(shown, 0));
	else if (!p->exit_known)
		s = xasprintf("; it is not complete where its trace ends (%s after it began)", d);
	else if (shown != cut)
		s = xasprintf("; snapshot %lld (at %.1f s) was cut short by the process's end %s after it began: the "
			      "threads are snapshot %lld's, the last complete one", ev_dec(cut, 0),
			      (double)ev_dec(cut, 1) / 1e3, d, ev_dec(shown, 0));
	else
		s = xasprintf("; it was cut short by the process's end %s after it began: %s", d,
			      nthreads ? "it shows the threads written before that" : "no thread was written before that");
	free(d);
	return s;
}

int kill_snap_line(const struct proc *p, int k)
{
	int t = proc_ev(p, k)->type;
	if (t == EV_KILL_SNAP || t == EV_KILL_SNAP_END)
		return 1;
	if (t != EV_HANG_THREAD && t != EV_HANG_BT && t != EV_HANG_PY && t != EV_HANG_PYLOCK && t != EV_HANG_PYHANDLER &&
	    t != EV_HANG_RWLOCK && t != EV_HANG_STDIO && t != EV_HANG_FILELOCK)
		return 0;
	for (int i = k - 1; i >= 0; i--) {
		t = proc_ev(p, i)->type;
		if (t == EV_KILL_SNAP)
			return 1;
		if (t == EV_KILL_SNAP_END || t == EV_HANG || t == EV_HANG_END)
			return 0;
	}
	return 0;
}

const struct event *kill_snapshot_of(const struct proc *p, int *at)
{
	const struct event *snap = NULL;
	int here = -1;
	if (!at)
		at = &here;
	for (int k = 0; k < p->nev; k++) {
		const struct event *e = proc_ev(p, k);
		if (e->type == EV_KILL_SNAP)
			snap = e, *at = k;
		else if (e->type == EV_KILL_SNAP_END && snap && ev_dec(e, 0) == ev_dec(snap, 0) && e->tid == snap->tid)
			return snap; /* (one per process: the signal ends it) */
	}
	return NULL;
}

/* The snapshot the shim took as a signal was about to end a process in its teardown (kill_snap ...
 * kill_snap_end: shim/watchdog.c watchdog_kill_snapshot) goes into that process's killed finding:
 * its threads (rendered as a hang's), and in the message and root cause what the thread that took
 * the signal was doing: the routine of the program's its teardown was inside, named as a hang's
 * message names it (a Python atexit callback from its traceback, a C atexit handler or destructor
 * from the open teardown step and its frames), and whether it was running or waiting. */
/* h's Python traceback runs threading._shutdown (python3's join of the non-daemon threads at the
 * start of Py_FinalizeEx, before the atexit callbacks; Lib/threading.py) */
static int py_frames_in_shutdown(const struct hang_thread *h)
{
	for (int i = 0; i < h->npy; i++)
		if (strstr(h->py[i], "/threading.py\"") && strstr(h->py[i], " in _shutdown"))
			return 1;
	return 0;
}

/* What thread h of f's snapshot was doing there, in words after a routine's name (malloc'd):
 * ", running (no system call)", ", waiting in wait4 for its child 812", ", waiting on the join
 * of thread 813 (...)", ", waiting on m held by thread 812", a glibc wait with no holder named by
 * its call and object (cond_wait_words: the hang's own words), else ", in SYSCALL". The killed
 * finding's snapshot at the signal and the hang's message (hang_waits_words) say it alike. */
static char *thread_wait_brief(struct finding *f, const struct hang_thread *h)
{
	char *cw = h->state != 'R' && h->waits && !h->holder ? cond_wait_words(f, h, NULL) : NULL, *s;
	s = h->state == 'R' ? xstrdup(", running (no system call)")
	    : h->lock_text ? xasprintf(", waiting in %s for the file lock %s", h->lock_call, h->lock_text)
	    : h->waits && !strcmp(h->waits, "child") && h->holder ? xasprintf(", waiting in %s for its child %d", h->syscall, h->holder)
	    /* (a join is of a thread, not a lock it holds: as the thread line says it) */
	    : h->waits && !strcmp(h->waits, "join") && h->holder && h->holder_text
		? xasprintf(", waiting on the join of %s", h->holder_text)
	    : h->waits && !strcmp(h->waits, "join") && h->holder ? xasprintf(", waiting on the join of thread %d", h->holder)
	    : h->waits && (!strcmp(h->waits, "mutex") || !strcmp(h->waits, "rwlock")) && h->holder && !h->holder_alive && h->holder_text
		? xasprintf(", waiting on %s held by %s", h->object ? h->object : h->waits, h->holder_text)
	    : h->waits && h->holder ? xasprintf(", waiting on %s held by thread %d", h->object ? h->object : h->waits, h->holder)
	    : cw ? xasprintf(", %s", cw)
	    /* (a Python lock, which has no owner: what it is, FRESH14b's "in futex") */
	    : h->waits && !strcmp(h->waits, "lock") && h->object ? xasprintf(", waiting on a %s", h->object)
	    : raw_futex(h) ? xasprintf(", waiting on the raw futex %s%s0x%llx%s (no holder recorded)", h->object ? h->object : "",
				       h->object ? " (" : "at ", (unsigned long long)h->addr, h->object ? ")" : "")
	    : xasprintf(", in %s", h->syscall);
	free(cw);
	return s;
}

/* For the hang's message, after "inside ROUTINE": what the thread that began the teardown waited
 * on at the snapshot, where it is a wait the snapshot names (a join, a lock and its holder, a
 * child, a condition variable), so that the verdict's one line says it (FRESH14: "inside the
 * atexit handler stop_worker: snapshot 2", the join and its condition variable in the root cause
 * only); "" otherwise (running, a sleep, a read: the routine says enough). malloc'd */
static char *hang_waits_words(struct finding *f, const struct event *hang)
{
	const struct hang_thread *h = thread_in(f, (int)ev_dec(hang, 3));
	const char *py = h && h->state != 'R' && !h->waits && h->npy ? py_wait_words(h->syscall) : NULL;
	if (h && h->lock_text && h->state != 'R') {
		char *w = wchan_words(h), *s = xasprintf(", %s", w);
		free(w);
		return s;
	}
	if (py) /* (a Python wait in a call: "receiving in recvfrom (socket.recv, ...)", FRESH14b) */
		return xasprintf(", %s", py);
	return h && h->state != 'R' && h->waits ? thread_wait_brief(f, h) : xstrdup("");
}

/* The kill line (EV_KILL) with which p sent itself the signal it died by, if the thread tid that
 * took it was still inside that call when the snapshot began (at: the kill_snap line's place):
 * the shim writes a kill line before the call (shim/signals.c), and that thread wrote nothing
 * after it but the signal's arrival, so the signal reached it on the call's way back to user
 * space (the kernel delivers a pending unblocked signal on every return from a system call, so
 * one a thread sends its own process is taken there, before kill(2) returns to its caller; for
 * glibc's raise(), as it restores the mask it blocked around tgkill, sysdeps/unix/sysv/linux/
 * raise.c). *handler: 1 if a handler's arrival on that thread ran the call (the re-raise after
 * cleanup: the signal came first from elsewhere). NULL if the signal is another's, or the thread
 * went on to other lines. */
static const struct event *own_kill_open(const struct proc *p, int tid, int at, int *handler)
{
	const struct proc_fate *fate = fate_of(p);
	const struct event *k = fate->killer == p ? fate->killed_by : NULL, *last = NULL;
	int ki = -1;
	*handler = 0;
	if (!k || k->tid != tid)
		return NULL;
	for (int i = 0; i < at && i < p->nev; i++)
		if (proc_ev(p, i)->tid == tid && proc_ev(p, i)->type != EV_SIG_ARRIVE)
			last = proc_ev(p, i), ki = last == k ? i : ki;
	if (last != k)
		return NULL; /* (a sig_where line after it: the handler returned first, reraised_late) */
	/* (back over the handler's own signal lines, its signal(sig, SIG_DFL), to its arrival) */
	for (int i = ki - 1; i >= 0; i--) {
		const struct event *e = proc_ev(p, i);
		if (e->tid != tid || e->type == EV_SIG_HANDLER || e->type == EV_SIG_MASK)
			continue;
		*handler = e->type == EV_SIG_ARRIVE && !strcmp(ev_field(e, 5), "fn");
		break;
	}
	return k;
}

/* 1 if the signal thread tid took (its snapshot before place at) is its own re-raise from a handler
 * that returned before taking it: the thread's last lines are its own kill (the killer's killed_by)
 * then the sig_where lines the shim writes after a handler of a signal another process sent has
 * returned (shim/signals.c signals_arrival_where). A handler's raise() of its own signal, which the
 * kernel blocks while the handler runs (no SA_NODEFER, as signal() sets it), stays pending until
 * the handler returns: it is taken back in the code the first signal interrupted, not in raise(). */
static int reraised_late(const struct proc *p, int tid, int at)
{
	const struct proc_fate *fate = fate_of(p);
	const struct event *k = fate->killer == p ? fate->killed_by : NULL;
	int seen = 0, where = 0;
	for (int i = 0; k && k->tid == tid && i < at && i < p->nev; i++) {
		const struct event *e = proc_ev(p, i);
		if (e->tid != tid || e->type == EV_SIG_ARRIVE)
			continue;
		if (e == k)
			seen = 1, where = 0;
		else if (seen && (e->type == EV_SIG_WHERE || e->type == EV_SIG_WHERE_PY))
			where = 1;
		else
			seen = where = 0;
	}
	return where;
}

static void killed_snapshots(struct report *r)
{
	for (int i = 0; i < r->nfindings; i++) {
		const struct proc *p = finding_proc(r, i);
		const struct event *snap;
		struct hang_thread *h;
		struct finding *f;
		char pycb[600], buf[4096], *rt = NULL, *doing, *s;
		int at = -1, type = 0;
		if (strcmp(finding_at(r, i)->kind, "killed") || !(snap = kill_snapshot_of(p, &at)))
			continue;
		f = finding_kept(r, i);
		if (detail_of(f)->nthreads)
			continue;
		read_snapshot(f, p, at);
		/* the finding is the thread's that took the signal (its line's tid may be the sender's:
		 * a thread's pthread_kill), whose Python code finding_py_callback then reads */
		f->tid = (int)ev_dec(snap, 3);
		h = thread_in(f, f->tid);
		/* (a mutex whose owner is not here: who it is, as the hang says; the thread lines too) */
		for (int k = 0; k < detail_of(f)->nthreads; k++)
			name_gone_mutex_holder(p, &finding_detail(f)->threads[k]);
		/* (another thread whose last line is that kill, running: it may be in the call or past it,
		 * as the shim writes no line after a kill of its own process) */
		for (int k = 0; k < detail_of(f)->nthreads; k++) {
			struct hang_thread *o = &finding_detail(f)->threads[k];
			int hnd;
			const struct event *ok = o != h && o->state == 'R' ? own_kill_open(p, o->tid, at, &hnd) : NULL;
			if (ok) {
				free(o->syscall);
				o->syscall = xasprintf("no system call (running), its last traced call its own %s(), which sent "
						       "the signal thread %d took", ev_field(ok, 0), f->tid);
			}
		}
		/* (a thread that sent the signal to its own process, snapshot running: it is in that
		 * kill, which the signal came back to as it returned; the thread line says so too) */
		int in_handler = 0;
		const struct event *ownk = h && h->state == 'R' ? own_kill_open(p, f->tid, at, &in_handler) : NULL;
		if (ownk) {
			free(h->syscall);
			h->syscall = xasprintf("its own %s() call%s, which sent the signal: taken on the call's way out of "
					       "the kernel, before it returned to its caller", ev_field(ownk, 0),
					       in_handler ? " in its signal handler" : "");
		} else if (h && h->syscall && h->syscall_unknown) {
			/* (the taking thread's own `?` at a kill: a call the signal cut short, -EINTR in
			 * its context, kill_self_task; its frame #0 names the call) */
			free(h->syscall);
			h->syscall = xstrdup("a system call the signal cut short");
		}
		/* (within threading._shutdown, a frame of the program's own is a
		 * threading._register_atexit callback, which runs before its join: py_fin_part) */
		int in_shutdown = h && h->npy && f->tid == p->pid && snap->py == PY_ATEXIT && py_frames_in_shutdown(h);
		char *own = in_shutdown ? py_outermost_own(h) : NULL;
		if (in_shutdown && !own)
			rt = xstrdup("threading._shutdown, joining the non-daemon threads (before the atexit callbacks)");
		else if (in_shutdown && finding_py_callback(f, pycb, sizeof pycb))
			rt = xasprintf("the threading._register_atexit callback %s (threading._shutdown, before its join)", pycb);
		else if (h && h->npy && finding_py_callback(f, pycb, sizeof pycb))
			/* (state A: the atexit callbacks, on the main thread; F: after them, a __del__ in the
			 * modules' teardown; another thread's code is its own, not a callback) */
			rt = f->tid != p->pid ? xasprintf("the Python code %s on thread %d (not the main thread, which ran the teardown)", pycb, f->tid)
			     : snap->py == PY_ATEXIT ? xasprintf("the atexit callback %s", pycb)
			     : xasprintf("the Python code %s%s", pycb, snap->py == PY_FINALIZING ? " (after the atexit callbacks)" : "");
		else if (h)
			rt = teardown_routine(p, h, snap, &type);
		free(own);
		/* (a wait for a child its trace has open, which the snapshot saw running, in no call: the
		 * wait had returned, its line not yet written as the signal came, or was between two
		 * tries; its thread's "was waiting in waitpid" in the message is from the trace's lines) */
		const struct event *ow = h && h->state == 'R' ? wait_open(p, h->tid, snap->t) : NULL;
		doing = !h ? xstrdup("")
			: ownk ? xasprintf(", in its own %s() call%s, which sent %s%s: the signal was taken on the call's way "
					   "out of the kernel, before it returned to its caller", ev_field(ownk, 0),
					   in_handler ? " in the handler that ran there" : "", signal_name(finding_signal(f)),
					   in_handler ? " again" : "")
			: h->state == 'R' && reraised_late(p, f->tid, at)
				? xasprintf(", running (no system call): its handler's raise() sent %s again while the handler "
					    "blocked it, so it was taken as the handler returned, back in this code",
					    signal_name(finding_signal(f)))
			: ow && ow->type == EV_WAIT_BEGIN
				? xasprintf(", running (no system call): its %s for its child, open in the trace, was not in "
					    "the kernel then (it had returned, or was between two tries)", ev_field(ow, 0))
			: thread_wait_brief(f, h);
		s = xasprintf("%s; killed in %s%s (the snapshot at the signal: %d thread%s)", finding_message(f, buf, sizeof buf),
			      rt ? rt : "code the trace does not name", doing, detail_of(f)->nthreads,
			      detail_of(f)->nthreads == 1 ? "" : "s");
		f->say = NULL;
		str_free(f->message);
		f->message = str_settle(s);
		if (f->root_cause) {
			s = xasprintf("%s; when the signal arrived, thread %lld was in %s%s (the threads at that moment are listed "
				      "below, as a hang's snapshot lists them)", f->root_cause, ev_dec(snap, 3),
				      rt ? rt : "code the trace does not name", doing);
			str_free(f->root_cause);
			f->root_cause = str_settle(s);
		}
		/* the fix, unless a hang's (killed_fix_from_hang: what it hung on). A signal the process
		 * sent itself keeps its own (killed_fix: see why it raised it): its sender is no victim
		 * of a sender's timeout; what the thread that took it was in is added, unless that
		 * thread is the sender, in its kill (the fix's site names it) */
		if (fate_of(p)->killer == p && fate_of(p)->killed_by && !(ownk && in_handler)) {
			if (rt && !ownk && f->fix) {
				s = xasprintf("%s; when it came, thread %d was in %s%s", f->fix, f->tid, rt, doing);
				str_free(f->fix);
				f->fix = str_settle(s);
			}
		} else if (rt && (!f->fix || !killed_while_hung(f->fix))) {
			/* a signal the kernel sent (its arrival's sender "-": a terminal's Ctrl-C, Ctrl-\)
			 * has no sender whose timeout could be longer: a person stopped it */
			const struct event *a = NULL;
			for (int k = 0; k < at && k < p->nev; k++)
				if (proc_ev(p, k)->type == EV_SIG_ARRIVE && ev_dec(proc_ev(p, k), 0) == finding_signal(f))
					a = proc_ev(p, k);
			int kernel = a && !strcmp(ev_field(a, 2), "-");
			s = xasprintf("%s was still under way (%s) when %s came: if it does not end by itself, make it end "
				      "promptly (a deadline on its loop or wait, then return); if it does, %s", rt,
				      ownk ? "running; the handler the signal ran there raised it again" : doing + 2,
				      signal_name(finding_signal(f)),
				      kernel ? "wait for it to end before interrupting it (the kernel sent the signal: a "
					       "terminal's Ctrl-C or Ctrl-\\, to its foreground process group)"
					     : "give the process longer before the signal (the sender's timeout)");
			str_free(f->fix);
			f->fix = str_settle(s);
		}
		free(rt);
		free(doing);
	}
}

/* The killed finding of p (killed: proc index -> its place in r->findings + 1), whose fix is then
 * the hang's: the kill ended a teardown that hung, so what to mend is what it hung on, not the
 * kill (a handler to install, a supervisor's patience). (An unfinished one keeps its own: how it
 * ended is what it lacks.) */
int killed_while_hung(const char *fix)
{
	return fix && (!strncmp(fix, "it was killed while its teardown hung", 37) ||
		       !strncmp(fix, "it was killed while its SIGHUP handler hung", 43));
}

static void killed_fix_from_hang(struct report *r, const struct index *killed, const struct proc *p,
			      const struct finding *hang)
{
	intptr_t k = (intptr_t)index_get(killed, p->index);
	const char *fix = hang->fix ? hang->fix : "see what its threads wait for there";
	struct finding *f;
	if (!k)
		return;
	f = finding_kept(r, (int)k - 1);
	/* its time from the hang message's origin: the arrival where the handler watcher found
	 * python3's own Py_FinalizeEx (FIX13 P8) */
	const struct event *arm = NULL, *pa = NULL;
	for (int i = 0; i < p->nev && !arm; i++)
		if (proc_ev(p, i)->type == EV_HANG_ARM)
			arm = proc_ev(p, i);
	if (arm)
		pa = py_fin_arm_arrival(p, arm);
	str_free(f->fix);
	/* (a SIGHUP handler that has not returned is no teardown: the hang finding says so too) */
	int hup = hang_hup_arrival(p) != NULL;
	f->fix = str_settle(xasprintf("it was killed while %s hung (the hang finding: %.1f s after %s%s, "
				      "snapshot %lld): %s", hup ? "its SIGHUP handler" : "its teardown",
				      (double)ev_dec(hang->ev, 1) / 1e3, pa ? signal_name((int)ev_dec(pa, 0)) : hup ? "SIGHUP" : "it began",
				      pa || hup ? "'s arrival" : "", ev_dec(hang->ev, 0), fix));
}

/* Whether thread tid of p went on after the snapshot at time t (ns): a step of its own came later
 * (not a signal's arrival, a handler's or mask's line, nor the watchdog's): the process's end
 * phase (proc_end_phase) is then a later one than the hang's (python3's C main returns after
 * Py_FinalizeEx: "main returned 0"; a teardown that got past its slow step) */
static int hang_moved_on(const struct proc *p, int tid, uint64_t t)
{
	for (int k = p->nev - 1; k >= 0 && proc_ev(p, k)->t > t; k--) {
		const struct event *e = proc_ev(p, k);
		switch (e->type) {
		case EV_SIG_ARRIVE: case EV_SIG_HANDLER: case EV_SIG_MASK: case EV_SIG_HANDLED:
		case EV_KILL_SNAP: case EV_KILL_SNAP_END: case EV_HANG: case EV_HANG_THREAD: case EV_HANG_BT:
		case EV_HANG_PY: case EV_HANG_END: case EV_HANG_PYLOCK: case EV_HANG_PYHANDLER: case EV_HANG_RWLOCK:
		case EV_HANG_FILELOCK:
			break; /* (a snapshot at a kill is written by the thread that took the signal) */
		default:
			if (e->tid == tid)
				return 1;
		}
	}
	return 0;
}

/* The hang finding f's phase (malloc'd): where its thread was at the snapshot. The process's end
 * phase where the thread did not go on after it; else, and where none is known, from the watch's
 * arming (arm, else the hang line's why): python3's Py_FinalizeEx (its part by the snapshot's
 * Python frames: py_fin_part), its module teardown; a handler still running;
 * else "in its teardown (exit())" (hang_report_end adds the step explain names). Never "?". */
static char *hang_phase(const struct proc *p, struct finding *f, const struct event *arm, const struct event *hang,
			int moved_on)
{
	const char *why = arm ? ev_field(arm, 0) : ev_field(hang, 2);
	const struct hang_thread *h = thread_in(f, f->tid);
	if (!moved_on && proc_end_tid(p) == f->tid && proc_end_phase(p))
		return xstrdup(proc_end_phase(p));
	if (!strcmp(why, "py_fin_late"))
		return xstrdup(PY_FIN_LATE_PHASE);
	/* (python3's own: the state A phase, whose part py_fin_part then reads from the main thread's
	 * traceback; without a traceback of the program's, the threading shutdown the arming saw) */
	if (!strcmp(why, "py_fin_stack") || !strcmp(why, "py_fin") || !strcmp(why, "handler_py"))
		return xstrdup(moved_on && h && h->npy ? "Py_FinalizeEx (threading shutdown, Python atexit callbacks)"
						       : "Py_FinalizeEx (threading shutdown)");
	if (why_handler(why)) /* ("a SIGHUP handler still running (not a teardown)") */
		return xstrdup(teardown_words(why));
	return xasprintf("in its teardown (%s)", teardown_words(why));
}

/* How p's hang ended, in words for its message (malloc'd): killed (by whom), ended (its exit
 * status), or its trace ends. A stop signal that arrived at a handler after the snapshot (hang)
 * and before an end by exit interrupted the wait: said, with its sender (the kernel's "-": a
 * terminal's Ctrl-C, whose SIGINT CPython's default handler turns into KeyboardInterrupt in the
 * main thread's wait) and what it interrupted (the join of threading._shutdown, the atexit
 * callback, the step routine names) */
/* The arrival of a termination signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) at a handler of p's less
 * than 1 s before its teardown began at arm (a hang_arm line that does not count from a signal:
 * mod_wsgi's daemon process, whose SIGTERM handler only wakes the thread that then runs
 * Py_EndInterpreter), so that the hang's line names who stopped it; NULL if none */
static const struct event *arrival_before_teardown(const struct proc *p, const struct event *arm)
{
	const struct event *a = NULL;
	for (int k = 0; k < p->nev && proc_ev(p, k) != arm; k++) {
		const struct event *e = proc_ev(p, k);
		int sig = e->type == EV_SIG_ARRIVE ? (int)ev_dec(e, 0) : 0;
		if ((sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT) && !strcmp(ev_field(e, 5), "fn") &&
		    e->t <= arm->t && arm->t - e->t < 1000000000ull)
			a = e;
	}
	return a;
}

/* The stop signals (SIGTERM, SIGINT, SIGHUP, SIGQUIT) killer sent p by kill() after p's teardown
 * began (at began, ns) and before kill line k (its SIGKILL), of the first one's signal, in words
 * for hang_ended_words (" sent SIGTERM 4 more times ..., then"; "" if none; malloc'd). Those within
 * 1 s after a killpg (or kill of a group) of the same signal by killer are counted apart: a
 * server's stop signals its group and then each child (Apache prefork: ap_reclaim_child_processes'
 * first round, 3 ms after the killpg, which its log does not show; then SIGTERMs at ~3, 5, 7 s,
 * each logged "still did not exit, sending a SIGTERM", httpd 2.4 server/mpm_common.c), and a
 * child that took the group's (its arrival before that kill) had had that SIGTERM already. */
static char *repeated_stops_words(const struct proc *p, const struct proc *killer, uint64_t began, const struct event *k)
{
	const struct event *group = NULL, *a = NULL;
	uint64_t near_t = 0, t0 = 0, t1 = 0;
	int n = 0, near = 0, sig = 0;
	char *s, *dn, *apart;
	for (int i = 0; k && i < killer->nev; i++) {
		const struct event *e = proc_ev(killer, i);
		int x = e->type == EV_KILL ? (int)ev_dec(e, 1) : 0;
		if (!(x == SIGTERM || x == SIGINT || x == SIGHUP || x == SIGQUIT) || e->t >= k->t || (sig && x != sig))
			continue;
		if (!strcmp(ev_field(e, 0), "killpg") || (!strcmp(ev_field(e, 0), "kill") && ev_dec(e, 2) <= 0)) {
			if (!n)
				group = e; /* (the latest before the first counted kill) */
			continue;
		}
		if (strcmp(ev_field(e, 0), "kill") || ev_dec(e, 2) != p->pid || e->t <= began)
			continue;
		sig = x;
		if (group && n == near && e->t - group->t < 1000000000ull)
			near++, near_t = e->t; /* (right after the group's, before any later one) */
		else
			t1 = e->t, t0 = t0 ? t0 : e->t;
		n++;
	}
	if (!near || near == n)
		return n ? xasprintf(" sent %s %d more time%s, then", signal_name(sig), n, n == 1 ? "" : "s") : xstrdup("");
	/* (whether the group's own delivery began the teardown: p's arrival of it before the kill) */
	for (int i = 0; i < p->nev && !a; i++)
		if (proc_ev(p, i)->type == EV_SIG_ARRIVE && ev_dec(proc_ev(p, i), 0) == sig && proc_ev(p, i)->t >= group->t &&
		    proc_ev(p, i)->t < near_t)
			a = proc_ev(p, i);
	dn = duration_text(near_t - group->t);
	int apache = strstr(prog_of(killer), "apache") || strstr(prog_of(killer), "httpd");
	apart = xasprintf("%d %s %s after the %s(%s) of its group%s%s; %d from %.1f s to %.1f s after it%s", near,
			  near == 1 ? "of them" : "within", dn, ev_field(group, 0), signal_name(sig),
			  a ? " whose own delivery began its teardown" : "", apache ? ", not in Apache's log" : "",
			  n - near, (double)(t0 - group->t) / 1e9, (double)(t1 - group->t) / 1e9,
			  apache ? ", its log's \"still did not exit, sending a SIGTERM\"" : "");
	s = xasprintf(" sent %s %d more time%s by kill() (%s), then", signal_name(sig), n, n == 1 ? "" : "s", apart);
	free(dn);
	free(apart);
	return s;
}

static char *hang_ended_words(const struct report *r, const struct proc *p, struct finding *f, const struct event *hang,
			       const char *routine, const char *origin)
{
	const struct event *a = NULL, *k = fate_of(p)->killed_by;
	/* the origin of the hang's time (its field 1, ms): the teardown's start, or the signal's
	 * arrival where the message counts from it (origin says which, as the message does) */
	uint64_t began = hang->t - (uint64_t)ev_dec(hang, 1) * 1000000ull;
	if (p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal") && fate_of(p)->killer && fate_of(p)->killer != p) {
		/* (as the killed finding names it; with when, and the killer's gentler signals to it
		 * after its teardown began: Apache's three more SIGTERMs, FRESH15b item 6, the
		 * verdict's one line) */
		const struct proc *killer = fate_of(p)->killer;
		char when[128] = "";
		char *more;
		if (k && k->t > began)
			snprintf(when, sizeof when, " %.1f s after %s", (double)(k->t - began) / 1e9, origin);
		more = repeated_stops_words(p, killer, began, k);
		char *s = xasprintf("; it was then%s killed by %s from process %d (%s)%s", more, signal_name(p->exit_signal),
				    killer->pid, prog_of(killer), when);
		free(more);
		return s;
	}
	if (p->exit_known && proc_how(p) && !strcmp(proc_how(p), "signal"))
		return xasprintf("; it was then killed by %s", signal_name(p->exit_signal));
	if (!p->exit_known)
		return xstrdup("; its trace ends there (it was then killed by a signal the shim cannot see, SIGKILL, or still "
			       "runs: its unfinished finding)");
	for (int k = 0; k < p->nev && !a; k++) {
		const struct event *e = proc_ev(p, k);
		int sig = e->type == EV_SIG_ARRIVE ? (int)ev_dec(e, 0) : 0;
		/* (and a SIGABRT another process sent to a handler: gunicorn's worker timeout, whose
		 * handle_abort calls sys.exit(1), HANG15: a worker hung in its exit after --max-requests) */
		if (e->t > hang->t && (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT ||
				       (sig == SIGABRT && strcmp(ev_field(e, 2), "-") && atoi(ev_field(e, 2)) != p->pid)) &&
		    !strcmp(ev_field(e, 5), "fn"))
			a = e;
	}
	const char *reap = proc_how(p) && !strcmp(proc_how(p), "reap") ? " (known from its parent's wait)" : "";
	if (!a)
		return xasprintf("; it then ended with exit status %d%s", p->exit_status, reap);
	struct hang_thread *h = thread_in(f, f->tid);
	char cb[600], *what, *from;
	if (h && py_in_join(h) && h->waits && !strcmp(h->waits, "join") && h->holder)
		what = xasprintf("the join of thread %d (threading._shutdown's Thread.join)", h->holder);
	else if (h && py_in_join(h))
		what = xstrdup("the join (threading._shutdown's Thread.join)");
	else if (h && h->npy && finding_py_callback(f, cb, sizeof cb))
		what = xasprintf("the atexit callback %s", cb);
	else
		what = routine ? xstrdup(routine) : xstrdup("the teardown's wait");
	int sig = (int)ev_dec(a, 0);
	from = arrival_from_words(r, p, a);
	char *d = duration_text(a->t - hang->t);
	char *s = xasprintf("; %s %s then interrupted %s, %s after the snapshot%s, and the process then ended with "
			    "exit status %d%s",
		      signal_name(sig), from, what, d,
		      sig == SIGINT && h && h->npy ? " (in Python, under the default SIGINT handler: a KeyboardInterrupt "
						     "raised in the main thread's wait)" : "",
		      p->exit_status, reap);
	free(d);
	free(what);
	free(from);
	return s;
}

static void hang_report_end(struct report *r)
{
	struct index killed = {0};
	int indexed = 0;
	for (int i = 0; i < r->nprocs; i++) {
		struct proc *p = r->procs[i];
		const struct event *hang = NULL, *arm = NULL, *interp = NULL, *last = NULL, *cut = NULL;
		struct finding *f;
		int at = -1, last_at = -1;
		char *ended, *began, *cutw, *routine;
		if (opt.pid && p->pid != opt.pid)
			continue;
		for (int k = 0; k < p->nev; k++) {
			const struct event *e = proc_ev(p, k);
			if (e->type == EV_HANG) {
				last = e, last_at = k;
				if (hang_snapshot_complete(p, e))
					hang = e, at = k;
			} else if (e->type == EV_HANG_ARM && !arm)
				arm = e;
			else if (e->type == EV_PY_END_INTERP && !ev_match(e))
				interp = e;
		}
		if (!last)
			continue;
		/* the last complete snapshot, and the one after it the process's end cut short (the
		 * cut one alone if none is complete); the message's time is the shown one's, which its
		 * number names (a cut one's is in cut_words: FIX13 P7) */
		if (!hang)
			hang = last, at = last_at, cut = last;
		else if (last != hang)
			cut = last;
		/* a teardown that got to its end after all was slow, not hung */
		f = add_finding(r, "hang", p->exit_known && strcmp(proc_how(p), "signal") ? SEV_WARNING : SEV_ERROR, p, hang);
		f->tid = (int)ev_dec(hang, 3);
		read_snapshot(f, p, at);
		int moved_on = hang_moved_on(p, f->tid, hang->t);
		f->phase = hang_phase(p, f, arm, hang, moved_on);
		py_fin_part(f, p);
		/* begun by a signal's arrival: named as the killed finding names it */
		began = arm && (!strcmp(ev_field(arm, 0), "signal") || why_handler(ev_field(arm, 0)) ||
				teardown_step_after_signal(p)) ? teardown_began_sent(p) : NULL;
		/* (not where the time counts from the arrival already: python3's own Py_FinalizeEx
		 * after its Python handler, py_fin_arm_arrival) */
		const struct event *pre = !began && arm && !py_fin_arm_arrival(p, arm) ? arrival_before_teardown(p, arm) : NULL;
		if (pre) {
			char *from = arrival_sender_brief(p, pre);
			began = xasprintf("%s, after %s from %s arrived at its handler", teardown_words(ev_field(arm, 0)),
					  signal_name((int)ev_dec(pre, 0)), from);
			free(from);
		}
		/* a sub-interpreter being destroyed, by its name (mod_wsgi's application group) */
		char *iname = interp && interp->nf > 1 ? decode_str(ev_field(interp, 1)) : NULL;
		cutw = cut_words(p, hang, cut, detail_of(f)->nthreads);
		/* the root cause first: the routine it names goes into the message, which the verdict
		 * shows (the one line a person on call reads first) */
		explain(r, f, p, hang, interp, arm, &routine);
		if (moved_on && routine && !strncmp(f->phase, "in its teardown", 15)) {
			/* (the end's phase is a later one: the teardown's own step, as the message names it) */
			char *ph = xasprintf("%s > %s", teardown_words(arm ? ev_field(arm, 0) : ev_field(hang, 2)), routine);
			free(f->phase);
			f->phase = ph;
		}
		{
			const struct event *pa = arm ? py_fin_arm_arrival(p, arm) : NULL;
			char origin[64];
			if (hang_hup_arrival(p))
				snprintf(origin, sizeof origin, "the signal arrived");
			else if (pa)
				snprintf(origin, sizeof origin, "%s's arrival", signal_name((int)ev_dec(pa, 0)));
			else
				snprintf(origin, sizeof origin, "its teardown began");
			ended = hang_ended_words(r, p, f, hang, routine, origin);
		}
		if (hang_hup_arrival(p)) { /* (often a reload: not called a teardown) */
			char *fn = arrival_handler_named(p, hang_hup_arrival(p), 0);
			if (!strncmp(fn, "Python handler", 14)) { /* "the Python SIGHUP handler on_hup (app.py:5)" */
				char *py = xasprintf("Python SIGHUP handler%s", fn + 14);
				free(fn);
				fn = py;
			} else {
				char *c = xasprintf("SIGHUP handler %s", fn);
				free(fn);
				fn = c;
			}
			f->message = xasprintf("process %d (%s): the %s has not returned %.1f s after the signal "
					       "arrived (thread %lld): snapshot %lld of the hang watchdog, %d thread%s%s%s",
					       p->pid, base_name(proc_prog(p)->exe), fn, (double)ev_dec(hang, 1) / 1e3,
					       ev_dec(hang, 3), ev_dec(hang, 0), detail_of(f)->nthreads,
					       detail_of(f)->nthreads == 1 ? "" : "s", cutw, ended);
			free(fn);
		} else {
		/* python3's own Py_FinalizeEx seen by the handler watcher after the Python handler
		 * returned: its times count from the arrival, before Py_FinalizeEx began */
		const struct event *pa = arm ? py_fin_arm_arrival(p, arm) : NULL;
		char since[64];
		snprintf(since, sizeof since, pa ? "%s's arrival" : "it began", pa ? signal_name((int)ev_dec(pa, 0)) : "");
		if (pa && !began)
			began = xstrdup(!strcmp(ev_field(arm, 0), "py_fin_late")
						? "python3's own Py_FinalizeEx in its module teardown, after the atexit callbacks, "
						  "seen on the main thread's stack after the Python handler returned"
						: "python3's own Py_FinalizeEx, seen on the main thread's stack after the Python handler returned");
		char *waits = hang_waits_words(f, hang);
		f->message = xasprintf("process %d (%s) was still in its teardown %.1f s after %s (%s, thread %lld)%s%s%s: "
				       "snapshot %lld of the hang watchdog, %d thread%s%s%s%s%s%s",
				       p->pid, prog_of(p), (double)ev_dec(hang, 1) / 1e3, since,
				       began ? began : teardown_words(arm ? ev_field(arm, 0) : ev_field(hang, 2)), ev_dec(hang, 3),
				       routine ? ", inside " : "", routine ? routine : "", waits, ev_dec(hang, 0), detail_of(f)->nthreads, detail_of(f)->nthreads == 1 ? "" : "s",
				       iname ? ", destroying sub-interpreter '" : "", iname ? iname : "", iname ? "'" : "", cutw, ended);
		free(waits);
		}
		free(cutw);
		free(iname);
		free(began);
		free(ended);
		free(routine);
		for (int i = 0; !indexed && i < r->nfindings; i++) /* (made at the first hang: most traces have none) */
			if (!strcmp(finding_at(r, i)->kind, "killed"))
				index_put(&killed, finding_proc(r, i)->index, (void *)(intptr_t)(i + 1));
		indexed = 1;
		killed_fix_from_hang(r, &killed, p, f);
	}
	index_free(&killed);
	killed_snapshots(r);
	hang_link_lost_children(r);
}

const struct diag_rule diag_hang = {"hang", NULL, NULL, hang_report_end};

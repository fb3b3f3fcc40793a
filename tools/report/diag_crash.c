/* diag_crash.c - diagnoses of fatal signals the shim's crash handler reported: the crash (kind
 * crash) with its backtrace and Python traceback, tied to what explains it on that thread (a
 * use-after-destroy, a late construction, a destroyed thread_local of the faulting module; the
 * order family's rules explain the others: diag_unload.c, diag_pyfin.c, diag_exitrun.c,
 * diag_order.c) and the process's outcome when the signal's default action ended it. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Whether the crash line e reports a signal another process sent (kill, sigqueue, tgkill from
 * outside: si_code SI_USER 0, SI_QUEUE -1, SI_TKILL -6; the line's address field then holds
 * si_pid in its low 32 bits, si_uid above), not a fault or the process's own raise/abort. */
static int sent_from_outside(const struct proc *p, const struct event *e)
{
	int code = (int)ev_dec(e, 1);
	unsigned pid = (unsigned)(ev_hex(e, 2) & 0xffffffffu);
	return (code == 0 || code == -1 || code == -6) && pid && pid != (unsigned)p->pid;
}

/* passed_on_from (report.h). Not any earlier child's death: a process whose last child exited, or
 * died of another signal, raising this one does so for reasons of its own (an abort()). The
 * outcome's rule then names it (diag_outcome.c deliberate_stop). */
const struct event *passed_on_from(const struct proc *p, const struct event *e)
{
	int code = (int)ev_dec(e, 1), i;
	const struct event *r = NULL;
	if ((code != 0 && code != -1 && code != -6) || (unsigned)(ev_hex(e, 2) & 0xffffffffu) != (unsigned)p->pid)
		return NULL;
	for (i = 0; i < p->nev && proc_ev(p, i) != e; i++)
		if (proc_ev(p, i)->type == EV_REAP)
			r = proc_ev(p, i);
	return r && !strcmp(ev_field(r, 2), "signal") && ev_dec(r, 3) == ev_dec(e, 0) ? r : NULL;
}

/* A crash_bt line's frames added to f (frames_from); a frame-pointer walk's ("framepointer")
 * end before the first frame past the fault that lies in a data object of its module: a stale
 * saved rbp (code built without frame pointers) can point at a word that holds an address of a
 * module's data, where no call returns (c5 under shims that walked a jump to an unmapped address
 * with frame pointers: "_nl_C_LC_CTYPE_tolower+0x200", libc's .rodata) */
static void crash_frames(struct finding *f, const struct proc *p, const struct event *bt)
{
	struct finding_detail *d;
	frames_from(f, p, bt, 1, 1);
	if (strcmp(ev_field(bt, 0), "framepointer") != 0 || !(d = finding_detail(f))->bt)
		return;
	for (int i = 1; i < d->nbt; i++) {
		struct code at = d->bt[i].code;
		uint64_t off, size;
		char *obj;
		at.off -= at.off > 0; /* (a return address: the call before it) */
		if ((obj = sym_data(&at, &off, &size)) != NULL) {
			free(obj);
			d->nbt = i;
			break;
		}
	}
}

/* The backtrace and Python lines of the crash report that followed the arrival of signal sig sent
 * from outside (the thread that took it, what it was doing) added to f, a `killed` finding of
 * process p (diag_outcome.c). Returns 1 if there was such a report. */
int received_signal_frames(struct finding *f, const struct proc *p, int sig)
{
	int at, i;
	for (at = 0; at < p->nev; at++)
		if (proc_ev(p, at)->type == EV_CRASH && ev_dec(proc_ev(p, at), 0) == sig && sent_from_outside(p, proc_ev(p, at)))
			break;
	if (at == p->nev)
		return 0;
	for (i = at + 1; i < p->nev; i++) {
		const struct event *x = proc_ev(p, i);
		if (x->tid != proc_ev(p, at)->tid)
			continue;
		if (x->type == EV_CRASH_BT)
			crash_frames(f, p, x);
		else if (x->type == EV_CRASH_PY)
			finding_add_pyline(f, x);
		else if (x->type != EV_CRASH_PHASE && x->type != EV_NOTE && x->type != EV_CRASH_TLS && x->type != EV_CRASH_EXC)
			break;
	}
	return 1;
}

/* A frame in words: "Late::~Late() (dtor.cc:7)", "f" without a source line, or as sym_describe
 * names it without a function name. malloc'd */
static char *frame_words(const struct frame *fr)
{
	struct symres sr;
	char where[800];
	if (sym_lookup(&fr->code, fr->is_return, &sr) == 0 && sr.func)
		return sr.file ? xasprintf("%s (%s:%d)", sr.func, base_name(sr.file), sr.line) : xstrdup(sr.func);
	sym_describe(&fr->code, fr->is_return, where, sizeof where);
	return xstrdup(where);
}

/* A fault whose pc is in no module and is its fault address too (SIGSEGV/SIGBUS at pc: the fetch
 * of the instruction faulted): a call or jump through a bad function pointer, made by the first
 * frame of the backtrace in a module (its return address: the caller). f's root cause and fix say
 * so, naming that caller ("main (dangling.c:11)"), and its message that pc is in no module; 1 if
 * so, else 0. A pc in a module dlclose had unloaded is not (diag_unload.c, which comes after,
 * names it from the module's file and explains the crash). */
static int bad_pointer_call(const struct proc *p, const struct event *e, struct finding *f)
{
	const struct finding_detail *d = detail_of(f);
	char *caller = NULL, *m;
	int i, k = -1;
	if (d->si_code <= 0 || !d->nbt || d->bt[0].code.mod || d->bt[0].code.off != d->fault_addr ||
	    module_holding(p, d->fault_addr, e->t, 1, NULL))
		return 0;
	for (i = 1; i < d->nbt && k < 0; i++)
		if (d->bt[i].code.mod && !is_shim_module(d->bt[i].code.mod))
			k = i;
	if (k > 0)
		caller = frame_words(&d->bt[k]);
	char *by = caller ? xasprintf(", made by %s (the backtrace's frame #%d)", caller, k) : xstrdup("");
	f->root_cause = xasprintf("pc 0x%llx is in no module and is the fault address itself (the instruction "
				  "fetch faulted): a call or jump through a bad function pointer (never set, freed, "
				  "overwritten, or into a library since unloaded)%s, during: %s",
				  (unsigned long long)d->fault_addr, by, f->phase);
	free(by);
	m = f->message;
	f->message = xasprintf("%s, in no module (pc is the fault address: a bad function pointer)", m);
	free(m);
	f->fix = caller ? xasprintf("fix the function pointer %s calls or jumps through: it does not point at code "
				    "(set it before the call; do not keep it past free, dlclose or the object's end)", caller)
			: xstrdup("find the call through a bad function pointer (the backtrace has no caller in a "
				  "module): it does not point at code");
	free(caller);
	return 1;
}

/* glibc's functions that a signal the thread raises itself goes through on its way to the kernel
 * (glibc 2.36 and later: abort -> raise -> __pthread_kill_implementation, which makes the tgkill;
 * pthread_kill jumps to it: nptl/pthread_kill.c, signal/raise.c, stdlib/abort.c), as sym_lookup
 * names them (an @version left out): frames that say nothing of the program. The public function
 * fn stands for ("pthread_kill" for __pthread_kill_implementation), NULL if fn is none of them. */
static const char *raise_machinery(const char *fn)
{
	static const char *const names[][2] = {
		{"__pthread_kill_implementation", "pthread_kill"}, {"__pthread_kill_internal", "pthread_kill"},
		{"__pthread_kill", "pthread_kill"}, {"pthread_kill", "pthread_kill"}, {"raise", "raise"},
		{"gsignal", "raise"}, {"__GI_raise", "raise"}, {"abort", "abort"}, {"__GI_abort", "abort"}};
	size_t n = strcspn(fn, "@");
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i][0]) == n && !strncmp(fn, names[i][0], n))
			return names[i][1];
	return NULL;
}

/* After an abort's frames, libstdc++'s std::terminate and its handler (libsupc++
 * vterminate.cc __verbose_terminate_handler, eh_terminate.cc __cxxabiv1::__terminate and
 * std::terminate; some frames unnamed without its debug file): the place of the first frame
 * past them, the one that called std::terminate (a destructor of a joinable std::thread, a
 * noexcept function an exception left), or -1 where bt[k] is not such a frame */
static int past_terminate(const struct frame *bt, int nbt, int k)
{
	int named = 0;
	for (; k < nbt && bt[k].code.mod && !strncmp(base_name(bt[k].code.mod->path), "libstdc++.so", 12); k++) {
		const char *fn = sym_func(&bt[k].code);
		named |= fn && strstr(fn, "terminate") != NULL;
	}
	return named && k < nbt ? k : -1;
}

/* raised_where (report.h) */
char *raised_where(const struct frame *bt, int nbt)
{
	const char *fn, *call, *last = NULL;
	char where[800];
	int k, t;
	for (k = 0; k < nbt; k++) {
		const struct module *m = bt[k].code.mod;
		if (!m || strncmp(base_name(m->path), "libc.so", 7) || !(fn = sym_func(&bt[k].code)) ||
		    !(call = raise_machinery(fn)))
			break;
		last = call;
	}
	if (last && !strcmp(last, "abort") && (t = past_terminate(bt, nbt, k)) >= 0)
		k = t, last = "std::terminate";
	if (!last || k == nbt || (bt[k].code.mod && is_shim_module(bt[k].code.mod)))
		return NULL; /* (the program's frame left by a tail call: none to name) */
	sym_describe(&bt[k].code, bt[k].is_return, where, sizeof where);
	return xasprintf("by %s() in %s%s", last, where, bt[k].unloaded ? " (unloaded)" : "");
}

/* crash_raised_where (report.h) */
char *crash_raised_where(const struct proc *p, int i)
{
	const struct event *e = proc_ev(p, i);
	char *s = NULL;
	/* (the crash's lines on its thread, up to its crash_end: on_crash reads them so) */
	for (int k = i + 1; k < p->nev; k++) {
		const struct event *x = proc_ev(p, k);
		int n;
		if (x->tid != e->tid || x->type == EV_CRASH_PHASE || x->type == EV_NOTE || x->type == EV_CRASH_TLS || x->type == EV_CRASH_EXC ||
		    x->type == EV_CRASH_PY || x->type == EV_POISON_HIT)
			continue;
		if (x->type == EV_CRASH_BT) {
			struct frame *bt = frames_of(p, x, 1, 1, &n);
			s = raised_where(bt, n);
			free(bt);
		}
		break;
	}
	return s;
}

/* A SIGABRT from std::terminate (raised_where: "by std::terminate() in ..."): why C++ calls it,
 * and for a joinable std::thread destroyed (std::thread::~thread, libstdc++ std_thread.h: it
 * calls std::terminate when joinable()), the object and what to do; 0 where the crash is not
 * one (f's texts untouched) */
static int cxx_terminated(struct finding *f, const struct event *exc)
{
	const char *m = strstr(f->message, " by std::terminate() in "), *obj;
	if (!m)
		return 0;
	if (exc && !strstr(m, "std::thread::~thread()")) {
		/* (the exception the thread had thrown: the shim's crash_exc line, shim/crash.c) */
		char *type = type_demangled(ev_field(exc, 0)), *old = f->message;
		f->message = xasprintf("%s, for an uncaught exception of type %s", old, type);
		free(old);
		f->root_cause = xasprintf("an exception of type %s was thrown and no handler caught it, so C++ called "
					  "std::terminate, which aborts (its what() text is in libstdc++'s message on "
					  "standard error: \"terminate called after throwing an instance of '%s'\", then "
					  "\"what(): ...\"); during: %s", type, type, f->phase ? f->phase : "?");
		f->fix = xasprintf("catch %s where it is thrown (the frame after libstdc++'s in the backtrace) or "
				   "prevent its cause; a function that must not throw (a destructor, a thread's body) "
				   "should catch what it calls may throw", type);
		free(type);
		return 1;
	}
	if (strstr(m, "std::thread::~thread()")) {
		obj = f->phase ? strstr(f->phase, "std::thread::~thread() of ") : NULL;
		f->root_cause = xasprintf(
			"a std::thread was destroyed while still joinable (its thread neither joined nor detached): "
			"its destructor calls std::terminate, which aborts%s%s%s; during: %s",
			obj ? " (the object: " : "", obj ? obj + 26 : "", obj ? ", a static one, destroyed by exit())" : "",
			f->phase ? f->phase : "?");
		f->fix = xstrdup("stop the thread and join it (or detach it) before its std::thread object is destroyed: "
				 "for a static or global one, before main returns or exit() is called (tell it to stop, "
				 "then join()); or use std::jthread (C++20), whose destructor asks the thread to stop and "
				 "joins it");
		return 1;
	}
	f->root_cause = xasprintf("std::terminate ran during: %s; C++ calls it for an exception no handler catches "
				  "(one thrown out of a destructor or another noexcept function), a joinable "
				  "std::thread destroyed, or a rethrow with no exception; libstdc++'s message on "
				  "standard error (\"terminate called after throwing an instance of ...\") names the "
				  "exception (the shim records its type where libstdc++'s current exception names one: "
				  "none for a joinable std::thread or a rethrow with no exception)", f->phase ? f->phase : "?");
	f->fix = xstrdup("catch the exception in the function that called std::terminate (the frame after "
			 "libstdc++'s in the backtrace), or, in a destructor that runs at exit, do not let it throw");
	return 1;
}

/* a source file of the system's headers (libstdc++'s templates, inlined into the program: its
 * vector.tcc is not where the program went wrong) */
static int system_header(const char *file)
{
	return file && (!strncmp(file, "/usr/include/", 13) || strstr(file, "/include/c++/") != NULL);
}

/* The frame of f's backtrace that stands for the program: the first outside the system's modules
 * (libc's strcpy is not where the program went wrong: its caller is), else frame #0; NULL if
 * none. Named as "Late::~Late() (dtor.cc:7)", or as sym_describe does without a function name;
 * the caller frees it. */
static char *program_frame(const struct finding *f)
{
	const struct finding_detail *d = detail_of(f);
	struct symres sr;
	int k, first = -1;
	if (!d->nbt)
		return NULL;
	for (k = 0; k < d->nbt; k++) {
		if (is_system_module(d->bt[k].code.mod))
			continue;
		if (first < 0)
			first = k;
		if (sym_lookup(&d->bt[k].code, d->bt[k].is_return, &sr) != 0 || !system_header(sr.file))
			break;
	}
	if (k == d->nbt)
		k = first >= 0 ? first : 0;
	return frame_words(&d->bt[k]);
}

/* A fatal fault nothing else explains (no destroyed thread_local, late construction, bad
 * function pointer or std::terminate): f's root cause says what kind of fault the kernel's
 * si_code makes it (the signal's si_code and si_addr: sigaction(2)), where in the program, and
 * during which teardown step; its fix says what to look at there. Addresses below 4096 are a
 * null pointer's (Linux maps nothing there: vm.mmap_min_addr is 4096 or more by default). */
static void fault_explained(struct finding *f)
{
	const struct finding_detail *d = detail_of(f);
	int sig = finding_signal(f), code = d->si_code;
	unsigned long long a = (unsigned long long)d->fault_addr;
	char *at = program_frame(f), *what = NULL, *look = NULL, *in;
	const char *dtor = f->phase && strstr(f->phase, "static destructor")
		? " Static objects are destroyed in the reverse order of their construction, after main returns "
		  "or exit() is called: one this destructor uses may be destroyed already (see the timeline)."
		: "";
	in = at ? xasprintf(" in %s", at) : xstrdup("");
	if (sig == SIGSEGV && code == SEGV_MAPERR && a < 4096) {
		what = a ? xasprintf("a null pointer dereference (address 0x%llx: a member at that offset of an object "
				     "reached through a null pointer)%s", a, in)
			 : xasprintf("a null pointer dereference (address 0x0)%s", in);
		look = xasprintf("the pointer used%s is null there: set it before this step runs, or check it "
				 "before use.%s", in, dtor);
	} else if (sig == SIGSEGV && code == SEGV_MAPERR) {
		what = xasprintf("an access to unmapped memory at 0x%llx%s: a pointer to memory freed, unmapped "
				 "(munmap, dlclose) or never valid, or a stack overflow", a, in);
		look = xasprintf("find where the memory the pointer used%s points to went: run the program under "
				 "valgrind or build it with -fsanitize=address, which name the free.%s", in, dtor);
	} else if (sig == SIGSEGV && code == SEGV_ACCERR) {
		what = xasprintf("an access its mapping forbids at 0x%llx%s: a write to read-only memory (a string "
				 "literal, a const object) or a jump into data", a, in);
		look = xasprintf("the memory written or jumped to%s is not writable or not code: find where the "
				 "pointer came from", in);
	} else if (sig == SIGBUS && code == BUS_ADRERR) {
		what = xasprintf("an access past the end of a mapped file at 0x%llx%s (the file was truncated "
				 "after mmap)", a, in);
		look = xasprintf("do not truncate a file while it is mapped, or map only what it holds (%s)", at ? at : "?");
	} else if (sig == SIGFPE && (code == FPE_INTDIV || code == FPE_INTOVF)) {
		what = xasprintf("an integer %s%s", code == FPE_INTDIV ? "division by zero" : "division overflow (INT_MIN / -1)", in);
		look = xasprintf("check the divisor%s before the division", in);
	} else if (sig == SIGILL) {
		what = xasprintf("an illegal instruction%s: ud2 from __builtin_trap(), or __builtin_unreachable() "
				 "reached (gcc emits it for undefined behaviour, such as a non-void function that "
				 "ends without return), or code built for another CPU (-march)", in);
		look = xasprintf("look at the code%s: build with -Wall -Wreturn-type and -fsanitize=undefined", in);
	}
	/* an abort() of glibc's own: its malloc's heap checks (malloc_printerr), _FORTIFY_SOURCE's
	 * (__chk_fail, __fortify_fail), a failed assert() (__assert_fail); glibc 2.36 malloc/malloc.c,
	 * debug/chk_fail.c, assert/assert.c: each writes its message on stderr first */
	const char *by = NULL;
	int libc_message = 0;
	for (int k = 0; sig == SIGABRT && k < d->nbt && !by; k++) {
		struct symres sr;
		const char *fn = d->bt[k].code.mod && !strncmp(base_name(d->bt[k].code.mod->path), "libc.so", 7) &&
				 sym_lookup(&d->bt[k].code, d->bt[k].is_return, &sr) == 0 ? sr.func : NULL;
		if (!fn)
			continue;
		/* (malloc_printerr is static: named only with glibc's debug file; without it, the
		 * malloc function __libc_message was called under) */
		if (!strncmp(fn, "__libc_message", 14)) {
			libc_message = 1;
			continue;
		}
		if (!strncmp(fn, "malloc_printerr", 15) ||
		    (libc_message && (!strncmp(fn, "_int_", 5) || !strncmp(fn, "free", 4) || !strncmp(fn, "malloc", 6) ||
				      !strncmp(fn, "realloc", 7) || !strncmp(fn, "calloc", 6) || !strncmp(fn, "__libc_", 7))))
			by = "malloc";
		else if (!strncmp(fn, "__chk_fail", 10) || !strncmp(fn, "__fortify_fail", 14))
			by = "fortify";
		else if (!strncmp(fn, "__assert_fail", 13))
			by = "assert";
	}
	if (by && !strcmp(by, "malloc")) {
		what = xasprintf("glibc's malloc found its heap corrupted%s: a double free, a free of a pointer malloc did "
				 "not return, or a write past the end of an allocation (glibc's message on standard "
				 "error, such as \"free(): double free detected in tcache 2\", says which)", in);
		look = xasprintf("run the program under valgrind, or build it with -fsanitize=address: they name the "
				 "bad free or write%s and where the memory was allocated and freed", in);
	} else if (by && !strcmp(by, "fortify")) {
		what = xasprintf("glibc's _FORTIFY_SOURCE check found a buffer overflow%s (\"*** buffer overflow detected "
				 "***\" on standard error)", in);
		look = xasprintf("the copy or format%s writes past the end of its buffer: give it the buffer's size", in);
	} else if (by) {
		what = xasprintf("an assert() failed%s (its condition, file and line are on standard error)", in);
		look = xasprintf("see why the asserted condition%s does not hold here", in);
	}
	if (what) {
		f->root_cause = xasprintf("%s, during: %s", what, f->phase ? f->phase : "?");
		f->fix = look;
	} else {
		f->root_cause = xasprintf("a fatal signal%s, during: %s", in, f->phase ? f->phase : "?");
		f->fix = at ? xasprintf("see the backtrace, from %s; the program's standard error just before it "
					"(abort() is called by a failed assert(), or by glibc on heap corruption: "
					"\"free(): invalid pointer\", \"double free\")", at)
			    : xstrdup("see the backtrace");
	}
	free(what);
	free(at);
	free(in);
}

/* A crash: crash, crash_phase, crash_bt, crash_tls..., crash_py..., crash_end, all by one thread.
 * A signal another process sent (a supervisor's SIGABRT or SIGSEGV) is not a crash: the process
 * was killed (diag_outcome.c's `killed`, with this report's backtrace), or its handler ran; nor is
 * one it raised again after its child died of it (passed_on_from): its header says so. */
static void on_crash(struct report *r, struct proc *p, struct tstate *t, int at)
{
	struct event *e = proc_ev(p, at);
	struct finding *f;
	const struct event *owner_tls = NULL;
	const char *action = NULL;
	const struct event *exc = NULL; /* (its crash_exc line: the C++ exception std::terminate was called for) */
	int i;
	char *where;

	if (sent_from_outside(p, e) || passed_on_from(p, e)) {
		for (i = at + 1; i < p->nev && !action; i++)
			if (proc_ev(p, i)->tid == e->tid && proc_ev(p, i)->type == EV_CRASH_END)
				action = ev_field(proc_ev(p, i), 0);
		if (!action || !strcmp(action, "default")) {
			p->exit_known = 1;
			p->exit_signal = (int)ev_dec(e, 0);
			proc_set_how(p, "signal");
		}
		return;
	}
	f = add_finding(r, "crash", SEV_ERROR, p, e);

	finding_set_signal(f, (int)ev_dec(e, 0));
	finding_detail(f)->si_code = (int)ev_dec(e, 1);
	finding_detail(f)->fault_addr = ev_hex(e, 2);
	f->phase = phase_of(p, t, e->py);
	for (i = at + 1; i < p->nev; i++) {
		struct event *x = proc_ev(p, i);
		if (x->tid != e->tid)
			continue;
		if (x->type == EV_CRASH_BT) {
			crash_frames(f, p, x);
		} else if (x->type == EV_CRASH_TLS) {
			if (ev_dec(x, 4) == 1 && !owner_tls)
				owner_tls = x;
		} else if (x->type == EV_CRASH_PY) {
			finding_add_pyline(f, x);
		} else if (x->type == EV_CRASH_EXC) {
			exc = x;
		} else if (x->type == EV_CRASH_END) {
			action = ev_field(x, 0);
			break;
		} else if (x->type != EV_CRASH_PHASE && x->type != EV_NOTE && x->type != EV_POISON_HIT) {
			break;
		}
	}
	if (!detail_of(f)->nbt) {
		frames_from(f, p, e, 3, 1);
		if (f->detail && f->detail->nbt > 1)
			f->detail->nbt = 1;
	}
	/* (a pc in a module dlclose had unloaded: named from its file, as frame #0 is) */
	where = detail_of(f)->nbt ? code_full_name_at(p, ev_field(e, 3), 0, e->t) : xstrdup("?");
	if (detail_of(f)->si_code > 0)
		f->message = xasprintf("%s (%s) at 0x%llx in %s", signal_name(finding_signal(f)), si_code_name(finding_signal(f), detail_of(f)->si_code),
				       (unsigned long long)detail_of(f)->fault_addr, where);
	else { /* sent (kill, raise, abort): si_addr holds the sender's pid, not an address */
		char *raised = raised_where(detail_of(f)->bt, detail_of(f)->nbt);
		f->message = raised ? xasprintf("%s sent (%s) %s", signal_name(finding_signal(f)), si_code_name(finding_signal(f), detail_of(f)->si_code), raised)
				    : xasprintf("%s sent (%s) in %s", signal_name(finding_signal(f)), si_code_name(finding_signal(f), detail_of(f)->si_code), where);
		free(raised);
	}
	free(where);
	if (tfx(t)->last_uad) {
		finding_detail(f)->cause = tfx(t)->last_uad;
		finding_detail(f)->has_tls = 1;
		finding_detail(f)->tls_symbol = xstrdup(detail_of(tfx(t)->last_uad)->tls_symbol);
		finding_detail(f)->tls_mod = detail_of(tfx(t)->last_uad)->tls_mod;
		finding_detail(f)->tls_address = detail_of(tfx(t)->last_uad)->tls_address;
		char said[MESSAGE_MAX];
		f->root_cause = xasprintf("it follows the use-after-destroy of %s on this thread: %s",
					  detail_of(tfx(t)->last_uad)->tls_symbol, finding_root_cause(tfx(t)->last_uad, said, sizeof said));
		f->fix = xstrdup(finding_fix(tfx(t)->last_uad, said, sizeof said));
	} else if (tfx(t)->last_late && detail_of(tfx(t)->last_late)->tls_mod && detail_of(f)->nbt && detail_of(f)->bt[0].code.mod == detail_of(tfx(t)->last_late)->tls_mod) {
		/* the faulting module just constructed a thread_local here, too late */
		struct finding *late = tfx(t)->last_late;
		finding_detail(f)->cause = late;
		finding_detail(f)->has_tls = 1;
		finding_detail(f)->tls_symbol = xstrdup(detail_of(late)->tls_symbol);
		finding_detail(f)->tls_mod = detail_of(late)->tls_mod;
		finding_detail(f)->tls_address = detail_of(late)->tls_address;
		f->root_cause = xasprintf("it follows the construction of %s on this thread during teardown (%s): %s", detail_of(late)->tls_symbol,
					  late->phase, late->root_cause);
		f->fix = xstrdup(late->fix);
	} else if (owner_tls) {
		long long seq = ev_dec(owner_tls, 0);
		char *confirm = watch_confirm(p, seq);
		finding_detail(f)->has_tls = 1;
		finding_detail(f)->tls_symbol = tls_display_name(p, seq);
		finding_detail(f)->tls_mod = tls_reg_module(p, seq);
		finding_detail(f)->tls_address = ev_hex(owner_tls, 1);
		finding_detail(f)->destroyed_ns = ev_dec(owner_tls, 3);
		f->root_cause = xasprintf("the faulting code's module owns thread_local %s, destroyed %.3f ms before "
					  "on this thread: most likely a use after destruction not seen through "
					  "__tls_get_addr (static TLS); %s",
					  detail_of(f)->tls_symbol, (double)detail_of(f)->destroyed_ns / 1e6, confirm);
		free(confirm);
		f->fix = xasprintf("do not use %s after this thread's thread_local destructors ran", detail_of(f)->tls_symbol);
	} else if (!bad_pointer_call(p, e, f) && !cxx_terminated(f, exc)) {
		fault_explained(f);
	}
	if (action && !strcmp(action, "chain")) {
		char *c = f->root_cause;
		f->root_cause = xasprintf("%s. The program's own handler for %s ran afterwards", c, signal_name(finding_signal(f)));
		free(c);
	}
	p->crashed = 1;
	/* no crash_end (the report was cut short) counts as dying by the signal until an exit follows */
	if (!action || !strcmp(action, "default")) {
		p->exit_known = 1;
		p->exit_signal = finding_signal(f);
		proc_set_how(p, "signal");
	}
}

static void crash_event(struct report *r, struct proc *p, struct tstate *t, int at)
{
	if (proc_ev(p, at)->type == EV_CRASH)
		on_crash(r, p, t, at);
}

const struct diag_rule diag_crash = {"crash", crash_event, NULL, NULL};

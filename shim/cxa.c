/* cxa.c - C++ thread_local destructors: __cxa_thread_atexit_impl is interposed (libstdc++ calls it
 * through its PLT, Rust std through its GOT; both find ours first). Each registration gets a record
 * and glibc is handed our trampoline with the record as its argument, so each destructor run is
 * seen; the DSO handle goes to glibc unchanged (it keeps the DSO loaded while destructors are
 * pending). The records of destroyed objects stay on a per-thread list: __tls_get_addr and the
 * crash handler consult it. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "shim.h"

static atomic_uint tls_seq;

/* Which module's TLS block holds obj on this thread. dl_iterate_phdr reports the calling thread's
 * block of each module (dlpi_tls_data); the last hit is cached per thread. */
struct tls_find {
	uintptr_t obj;
	size_t modid, off;
};
static __thread struct {
	size_t modid;
	uintptr_t lo, hi;
} tls_cache;

static int tls_find_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct tls_find *f = data;
	uintptr_t blk;
	int i;
	if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof info->dlpi_tls_data)
		return 1;
	if (!info->dlpi_tls_modid || !info->dlpi_tls_data)
		return 0;
	blk = (uintptr_t)info->dlpi_tls_data;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_TLS && f->obj >= blk && f->obj < blk + ph->p_memsz) {
			f->modid = info->dlpi_tls_modid;
			f->off = f->obj - blk;
			tls_cache.modid = f->modid;
			tls_cache.lo = blk;
			tls_cache.hi = blk + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

static void tls_identify(struct tls_rec *r)
{
	struct tls_find f = {(uintptr_t)r->obj, 0, 0};
	if (tls_cache.modid && f.obj >= tls_cache.lo && f.obj < tls_cache.hi) {
		f.modid = tls_cache.modid;
		f.off = f.obj - tls_cache.lo;
	} else {
		shim_dl_iterate(tls_find_cb, &f);
	}
	if (!f.modid)
		return;
	r->tls_modid = f.modid;
	r->tls_off = f.off;
	r->mod = module_by_tls_modid(f.modid);
	r->sym = module_tls_symbol(r->mod, f.off, &r->symoff, &r->size);
}

/* Why a registration now comes too late, or NULL; *py is the Python state to record. */
const char *thread_late_reason(char *py)
{
	*py = py_state_here();
	if (ts.teardown & TD_TLS_DTORS)
		return "dtors";
	if (ts.teardown & (TD_EXIT | TD_THREAD_EXIT))
		return "exit";
	if (*py == PY_ATEXIT || *py == PY_FINALIZING)
		return "pyfin";
	return NULL;
}

static void fmt_tls_dtor(struct tline *l, const uintptr_t *a)
{
	tl_dec(l, (long long)a[0]);
	tl_hex(l, a[1]);
	tl_code(l, a[2]);
}

static void tls_dtor_trampoline(void *p)
{
	struct tls_rec *r = p;
	struct tls_rec *prev = ts.cur_dtor;
	int saved = errno;

	if (!(ts.teardown & TD_TLS_DTORS)) {
		ts.teardown |= TD_TLS_DTORS;
		tlsaccess_thread_hot();
	}
	ts.tls_dtors_run++;
	atomic_store(&r->state, 1);
	if (shim_enter()) {
		if (!routine_thread())
			modules_sync();
		routine_line("tls_dtor", TL_ROUTINE_DTOR, py_state(), fmt_tls_dtor, r->seq, (uintptr_t)r->obj,
			     (uintptr_t)r->dtor, 0);
		watchdog_may_hang(NULL);
		shim_leave();
	}
	ts.cur_dtor = r;
	errno = saved;
	r->dtor(r->obj);
	saved = errno;
	ts.cur_dtor = prev;
	r->destroyed_ns = now_ns();
	r->next_destroyed = ts.destroyed;
	atomic_store(&r->state, 2);
	ts.destroyed = r; /* after the record is complete: a signal may read the list any time */
	ts.ndestroyed++;
	tlsaccess_thread_hot();
	if (shim_enter()) {
		routine_line("tls_dtor_end", TL_ROUTINE, py_state(), fmt_dec1, r->seq, 0, 0, 0);
		watch_destroyed(r);
		shim_leave();
	}
	errno = saved;
}

/* The fields that say where an object lives: its module's id (or -), its offset in the module's
 * TLS block, its variable's name (or -) */
void tl_tls_place(struct tline *l, const struct tls_rec *r)
{
	if (r->mod)
		tl_dec(l, r->mod->id);
	else
		tl_word(l, "-");
	tl_hex(l, r->tls_off);
	tl_str(l, r->sym);
}

/* a[0]: the record, a[1]: why it comes late, or 0 */
static void fmt_tls_reg(struct tline *l, const uintptr_t *a)
{
	const struct tls_rec *r = (const struct tls_rec *)a[0];
	tl_dec(l, r->seq);
	tl_hex(l, (uintptr_t)r->obj);
	tl_code(l, (uintptr_t)r->dtor);
	tl_hex(l, (uintptr_t)r->dso);
	tl_tls_place(l, r);
	tl_hex(l, r->symoff);
	tl_dec(l, (long long)r->size);
	tl_word(l, a[1] ? (const char *)a[1] : "-");
}

EXPORT int __cxa_thread_atexit_impl(void (*dtor)(void *), void *obj, void *dso)
{
	int saved = errno;
	struct tls_rec *r;
	const char *late;
	char py;

	if (!REAL(cxa_thread_atexit_impl))
		return -1; /* glibc < 2.18: libstdc++ falls back to its own list */
	if (!dtor || !shim_enter())
		goto passthrough;
	modules_sync();
	r = arena_thread_alloc(sizeof *r);
	if (!r) {
		shim_leave();
		goto passthrough;
	}
	memset(r, 0, sizeof *r);
	r->dtor = dtor;
	r->obj = obj;
	r->dso = dso;
	r->seq = atomic_fetch_add(&tls_seq, 1) + 1;
	tls_identify(r);
	thread_note();
	late = thread_late_reason(&py);

	if (late)
		routine_before_finding();
	routine_line("tls_reg", late ? TL_MATTERS : TL_ROUTINE_REG, py, fmt_tls_reg, (uintptr_t)r, (uintptr_t)late, 0, 0);
	if (late)
		py_trace_traceback_deep("late_py", py);
	shim_leave();
	errno = saved;
	return REAL(cxa_thread_atexit_impl)(tls_dtor_trampoline, r, dso);

passthrough:
	errno = saved;
	return REAL(cxa_thread_atexit_impl)(dtor, obj, dso);
}

/* The destroyed object of this thread that covers byte off of TLS module modid. An object whose
 * size is unknown (no symbol) covers its first byte only. async-signal-safe */
struct tls_rec *tls_destroyed_at(size_t modid, size_t off, int *exact)
{
	struct tls_rec *r;
	for (r = ts.destroyed; r; r = r->next_destroyed) {
		size_t sz = r->size > r->symoff ? r->size - r->symoff : 1;
		if (r->tls_modid != modid)
			continue;
		if (off >= r->tls_off && off < r->tls_off + sz) {
			if (exact)
				*exact = off == r->tls_off;
			return r;
		}
	}
	return NULL;
}

int tls_module_has_destroyed(size_t modid)
{
	struct tls_rec *r;
	for (r = ts.destroyed; r; r = r->next_destroyed)
		if (r->tls_modid == modid)
			return 1;
	return 0;
}

/* Totals of repeated use-after-destroy hits on this thread. */
void tls_flush_counts(void)
{
	struct tls_rec *r;
	struct tline l;
	int i;
	for (r = ts.destroyed; r; r = r->next_destroyed) {
		for (i = 0; i < TLS_SITES && r->site[i]; i++) {
			if (r->site_hits[i] <= 1)
				continue;
			tl_begin(&l, "uad_count");
			tl_dec(&l, r->seq);
			tl_code(&l, r->site[i]);
			tl_dec(&l, r->site_hits[i]);
			tl_end(&l);
			r->site_hits[i] = 1;
		}
		if (r->other_hits) {
			tl_begin(&l, "uad_count");
			tl_dec(&l, r->seq);
			tl_word(&l, "0x0");
			tl_dec(&l, r->other_hits);
			tl_end(&l);
			r->other_hits = 0;
		}
	}
}

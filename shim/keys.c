/* keys.c - pthread keys: each key created with a destructor gets a numbered trampoline
 * (tramps.S) in its place, so each per-thread destructor run is seen with its key and value.
 * pthread_getspecific/setspecific are interposed to flag use of a key during or after its
 * destructor ran on the calling thread; until a key destructor has run on a thread they cost one
 * test of a thread-local. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "shim.h"

#define KEY_SLOTS 1024

struct key_slot {
	atomic_int used;
	pthread_key_t key;
	void (*dtor)(void *);
};
static struct key_slot slots[KEY_SLOTS] COLD_BSS;
static atomic_int slot_of_key[PTHREAD_KEYS_MAX] COLD_BSS; /* slot + 1, 0 if the key is not ours */
static atomic_int keys_wrapped; /* ever: while 0, a key delete need not look at slot_of_key's page */

extern char tlstrace_key_tramps[];
__attribute__((visibility("hidden"))) void tlstrace_key_common(void *value, int slot);

static void (*tramp(int slot))(void *)
{
	return (void (*)(void *))(tlstrace_key_tramps + 16 * slot);
}

static int slot_alloc(void)
{
	int i;
	for (i = 0; i < KEY_SLOTS; i++) {
		int expected = 0;
		if (atomic_compare_exchange_strong(&slots[i].used, &expected, 1))
			return i;
	}
	return -1;
}

/* The calling thread's key bits (shim.h), made on first need; NULL if no memory */
static unsigned char *key_bits(void)
{
	if (!ts.key_bits)
		ts.key_bits = arena_thread_alloc(2 * PTHREAD_KEYS_MAX / 8);
	return ts.key_bits;
}

static void mark_ran(pthread_key_t key)
{
	unsigned char *b = key_bits();
	if (key < PTHREAD_KEYS_MAX && b)
		b[key >> 3] |= (unsigned char)(1u << (key & 7));
}

static int has_run(pthread_key_t key)
{
	return key < PTHREAD_KEYS_MAX && ts.key_bits && (ts.key_bits[key >> 3] & (1u << (key & 7)));
}

static void fmt_key_dtor(struct tline *l, const uintptr_t *a)
{
	tl_dec(l, (long long)a[0]);
	tl_hex(l, a[1]);
	tl_code(l, a[2]);
	tl_dec(l, (long long)a[3]);
}

void tlstrace_key_common(void *value, int slot)
{
	struct key_slot *s = &slots[slot];
	pthread_key_t key = s->key;
	void (*dtor)(void *) = s->dtor;
	int prev = ts.cur_key, saved = errno;

	/* glibc runs keys in index order within a round: a key not above the last one starts a new
	 * round */
	if ((int)key + 1 <= ts.last_key || ts.key_round == 0)
		ts.key_round++;
	ts.last_key = (int)key + 1;
	ts.key_rounds++;
	mark_ran(key);
	if (shim_enter()) {
		if (!routine_thread())
			modules_sync();
		routine_line("key_dtor", TL_ROUTINE_KEY, py_state(), fmt_key_dtor, key, (uintptr_t)value,
			     (uintptr_t)dtor, ts.key_round);
		shim_leave();
	}
	ts.cur_key = (int)key + 1;
	errno = saved;
	dtor(value);
	saved = errno;
	ts.cur_key = prev;
	if (shim_enter()) {
		routine_line("key_dtor_end", TL_ROUTINE, py_state(), fmt_dec1, key, 0, 0, 0);
		shim_leave();
	}
	errno = saved;
}

EXPORT int pthread_key_create(pthread_key_t *keyp, void (*dtor)(void *))
{
	int saved = errno, slot, rc;
	struct tline l;
	if (!REAL(pthread_key_create) || !dtor || !shim_enter())
		goto passthrough;
	slot = slot_alloc();
	if (slot < 0) {
		shim_leave();
		goto passthrough;
	}
	slots[slot].dtor = dtor;
	errno = saved;
	rc = REAL(pthread_key_create)(keyp, tramp(slot));
	saved = errno;
	if (rc != 0) {
		atomic_store(&slots[slot].used, 0);
	} else {
		slots[slot].key = *keyp;
		if (*keyp < PTHREAD_KEYS_MAX) {
			atomic_store(&keys_wrapped, 1);
			atomic_store(&slot_of_key[*keyp], slot + 1);
		}
		modules_sync();
		tl_begin(&l, "key_create");
		tl_dec(&l, *keyp);
		tl_code(&l, (uintptr_t)dtor);
		tl_end(&l);
	}
	shim_leave();
	errno = saved;
	return rc;
passthrough:
	errno = saved;
	return REAL(pthread_key_create)(keyp, dtor);
}

EXPORT int pthread_key_delete(pthread_key_t key)
{
	int rc = REAL(pthread_key_delete)(key), saved = errno, slot;
	struct tline l;
	pyatexit_finalizing(); /* python3 3.11 deletes its GIL state key before its Py_AtExit functions */
	if (rc == 0 && key < PTHREAD_KEYS_MAX && atomic_load(&keys_wrapped) &&
	    (slot = atomic_exchange(&slot_of_key[key], 0)) > 0) {
		atomic_store(&slots[slot - 1].used, 0);
		if (shim_enter()) {
			tl_begin(&l, "key_delete");
			tl_dec(&l, key);
			tl_end(&l);
			shim_leave();
		}
	}
	errno = saved;
	return rc;
}

static void key_late(pthread_key_t key, const char *op, uintptr_t value, uintptr_t site)
{
	struct tline l;
	int saved = errno;
	char py;
	unsigned char *seen = ts.key_bits + PTHREAD_KEYS_MAX / 8; /* has_run: key_bits is there */
	if (seen[key >> 3] & (1u << (key & 7)))
		return;
	if (!shim_enter())
		return;
	seen[key >> 3] |= (unsigned char)(1u << (key & 7));
	modules_sync();
	routine_before_finding();
	py = py_state();
	tl_begin_py(&l, "key_late", py);
	tl_dec(&l, key);
	tl_word(&l, op);
	tl_hex(&l, value);
	tl_code(&l, site);
	tl_end(&l);
	py_trace_traceback_deep("key_late_py", py);
	shim_leave();
	errno = saved;
}

EXPORT void *pthread_getspecific(pthread_key_t key)
{
	void *v = REAL(pthread_getspecific)(key);
	if (unlikely(ts.key_rounds) && has_run(key))
		key_late(key, "get", (uintptr_t)v, (uintptr_t)__builtin_return_address(0));
	return v;
}

/* glibc declares the value __attr_access((__none__, 2)); GCC then calls reading the pointer itself
 * (not what it points to) a use of uninitialized memory. */
#ifndef __clang__ /* clang has no such warning, and warns about the unknown name */
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
EXPORT int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (unlikely(ts.key_rounds) && has_run(key))
		key_late(key, "set", (uintptr_t)value, (uintptr_t)__builtin_return_address(0));
	return REAL(pthread_setspecific)(key, value);
}

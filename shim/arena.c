/* arena.c - memory for the shim's records without malloc: the host's allocator may be the one
 * calling us (jemalloc registering an atexit handler during its own init), and some records are
 * made in signal context. Two bump allocators over mmap'd chunks:
 * - global: lock-free, never freed (atexit records, paths, symbol indexes);
 * - per thread: thread_local destructor records, unmapped when the thread ends (the first
 *   thread's first chunk is static).
 * All functions are async-signal-safe. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>

#include "shim.h"

#define CHUNK_BYTES (64 * 1024)

struct global_chunk {
	struct global_chunk *next;
	size_t cap;
	atomic_size_t used;
	_Alignas(16) char data[];
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t bytes; /* mapping size */
	size_t cap, used;
	_Alignas(16) char data[];
};

struct startup_page startup;
_Static_assert(sizeof startup.arena >= 768, "the start-up page's arena: the exe and trace paths at least");

/* the first chunk is static, in the start-up page: an mmap at every start would cost more. Its
 * header is zero (it stays in .bss): where its data lies and how much is implied. */
static struct global_chunk first_chunk;
static struct global_chunk *_Atomic global_cur = &first_chunk;

static size_t round_up(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

void *arena_global_alloc(size_t size)
{
	size = round_up(size ? size : 1, 16);
	for (;;) {
		struct global_chunk *c = atomic_load(&global_cur), *n;
		size_t bytes;
		if (c) {
			size_t off = atomic_fetch_add(&c->used, size);
			if (c == &first_chunk && off + size <= sizeof startup.arena)
				return startup.arena + off;
			if (c != &first_chunk && off + size <= c->cap)
				return c->data + off;
		}
		bytes = round_up(sizeof *n + size, CHUNK_BYTES);
		n = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (n == MAP_FAILED)
			return NULL;
		n->next = c;
		n->cap = bytes - sizeof *n;
		atomic_store(&n->used, 0);
		if (!atomic_compare_exchange_strong(&global_cur, &c, n))
			munmap(n, bytes);
	}
}

char *arena_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_global_alloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* The first chunk of the first thread that needs one (the main thread, mostly) is static: no
 * mapping appears at a process's first registration. Never reused once its thread is gone. */
static _Alignas(16) char first_thread_chunk[16 * 1024] COLD_BSS;
static atomic_int first_thread_chunk_taken;

/* Only the owning thread touches its chunks (a signal handler on that thread included: it
 * allocates nothing from here). */
void *arena_thread_alloc(size_t size)
{
	struct arena_chunk *c = ts.chunks;
	size = round_up(size ? size : 1, 16);
	if (!c || c->used + size > c->cap) {
		size_t bytes = round_up(sizeof *c + size, CHUNK_BYTES);
		struct arena_chunk *n;
		int expected = 0;
		if (!c && sizeof *c + size <= sizeof first_thread_chunk &&
		    atomic_compare_exchange_strong(&first_thread_chunk_taken, &expected, 1)) {
			n = (struct arena_chunk *)first_thread_chunk;
			bytes = sizeof first_thread_chunk;
		} else {
			n = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (n == MAP_FAILED)
				return NULL;
		}
		n->next = c;
		n->bytes = (char *)n == first_thread_chunk ? 0 : bytes; /* 0: static, not unmapped */
		n->cap = bytes - sizeof *n;
		n->used = 0;
		ts.chunks = c = n;
	}
	c->used += size;
	return c->data + c->used - size;
}

/* The chunks of the calling thread, to be freed by another thread once this one is gone. A chunk
 * the thread still adds after this is not freed (a registration during its key destructors). */
struct arena_chunk *arena_thread_detach(void) { return ts.chunks; }

void arena_chunks_free(struct arena_chunk *c)
{
	struct arena_chunk *next;
	for (; c; c = next) {
		next = c->next;
		if (c->bytes)
			munmap(c, c->bytes);
	}
}

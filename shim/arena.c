/* arena.c - memory for the shim's records without malloc: the host's allocator may be the one
 * calling us (jemalloc registering an atexit handler during its own init), and some records are
 * made in signal context. Two allocators:
 * - global: a lock-free bump allocator over mmap'd chunks, never freed (atexit records, paths,
 *   symbol indexes);
 * - per thread: thread_local destructor records and the like, in 4 KiB chunks (the first few
 *   static, the others carved from 1 MiB mappings) shared by all threads. A thread takes a chunk when it first needs one; when it has
 *   ended, its chunks go back on a lock-free free list for other threads. No mapping per
 *   thread: a program under a map-count limit creates as many threads as without the shim.
 * All functions are async-signal-safe; none takes a lock, so a fork child finds nothing held (a
 * chunk another thread was taking at the fork is lost to the child, no more). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>

#include "checkers.h"
#include "shim.h"
#include "sys.h"

#define CHUNK_BYTES (64 * 1024)

struct global_chunk {
	struct global_chunk *next;
	size_t cap;
	atomic_size_t used;
	_Alignas(16) char data[];
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	_Alignas(16) char data[];
};
#define THREAD_CHUNK 4096 /* bytes per chunk, header included; chunks are aligned to it */
#define THREAD_REGION (1024 * 1024)

struct startup_page startup;
_Static_assert(sizeof startup.arena >= 640, "the start-up page's arena: the exe and trace paths at least");

/* The first two chunks are static, so that no mapping appears at a process's first records
 * (t049: a program counting its mappings sees none more after its first thread_local than without
 * the shim, but the module file named): the first in the start-up page, the second (CHUNK_BYTES)
 * in .lbss, whose pages cost nothing until written. Their headers are zero (they stay in .bss):
 * where their data lies and how much is implied. An mmap'd chunk would be a mapping more about
 * one run in three on Linux 6.18: the kernel merges a new anonymous mapping with an anonymous
 * neighbour when the hole it lands in (the slack of a 2 MiB-aligned library, random with ASLR)
 * is directly below one, and makes a new one otherwise. */
static struct global_chunk first_chunk;
static struct global_chunk cold_chunk COLD_BSS;
static _Alignas(16) char cold_data[CHUNK_BYTES] COLD_BSS;
static struct global_chunk *_Atomic global_cur = &first_chunk;

static size_t round_up(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

void *arena_global_alloc(size_t size)
{
	size = round_up(size ? size : 1, 16);
	for (;;) {
		struct global_chunk *c = atomic_load(&global_cur), *n;
		size_t bytes;
		if (c == &first_chunk) {
			size_t off = atomic_fetch_add(&c->used, size);
			if (off + size <= sizeof startup.arena)
				return startup.arena + off;
			/* full: the static second chunk next (its next pointer is never read) */
			atomic_compare_exchange_strong(&global_cur, &c, &cold_chunk);
			continue;
		}
		if (c == &cold_chunk) {
			size_t off = atomic_fetch_add(&c->used, size);
			if (off + size <= sizeof cold_data)
				return cold_data + off;
		} else if (c) {
			size_t off = atomic_fetch_add(&c->used, size);
			if (off + size <= c->cap)
				return c->data + off;
		}
		bytes = round_up(sizeof *n + size, CHUNK_BYTES);
		n = sys_mmap(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1); /* (str.h) */
		if (n == MAP_FAILED)
			return NULL;
		CHECKER_UNTRACK(n, bytes);
		n->next = c;
		n->cap = bytes - sizeof *n;
		atomic_store(&n->used, 0);
		if (!atomic_compare_exchange_strong(&global_cur, &c, n))
			sys2(SYS_munmap, n, bytes);
	}
}

char *arena_strdup(const char *s)
{
	size_t n = shim_strlen(s) + 1;
	char *p = arena_global_alloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* ---- per-thread chunks ---- */

/* Free chunks: a stack whose head carries a tag in the bits the alignment leaves zero, so that a
 * pop that raced with a pop and a push of the same chunk (ABA) fails its compare-and-swap. A
 * chunk's memory is never unmapped, so reading the next pointer of a chunk just taken by another
 * thread is harmless. */
#define TAG_MASK ((uintptr_t)THREAD_CHUNK - 1)
static atomic_uintptr_t free_chunks;
/* The region chunks are carved from. Its first chunk's place holds the count of bytes carved,
 * so a region and its count are published together. */
struct region {
	atomic_size_t used;
};
static struct region *_Atomic region;

static struct arena_chunk *chunk_pop(void)
{
	uintptr_t h = atomic_load(&free_chunks), nh;
	struct arena_chunk *c;
	do {
		c = (struct arena_chunk *)(h & ~TAG_MASK);
		if (!c)
			return NULL;
		nh = (uintptr_t)c->next | ((h + 1) & TAG_MASK);
	} while (!atomic_compare_exchange_weak(&free_chunks, &h, nh));
	return c;
}

static void chunk_push(struct arena_chunk *c)
{
	uintptr_t h = atomic_load(&free_chunks);
	do
		c->next = (struct arena_chunk *)(h & ~TAG_MASK);
	while (!atomic_compare_exchange_weak(&free_chunks, &h, (uintptr_t)c | ((h + 1) & TAG_MASK)));
}

/* The first chunks are static (zero-filled, touched only when used): no mapping appears at a
 * process's first registrations, nor, while fewer than 32 threads have run at once, a 1 MiB
 * region at a thread's start (routine_thread_start takes a chunk in each thread): a program that
 * reads its VmSize around making 10 threads saw 1 MiB more, 102 KiB "per thread" (review/vmsize.c,
 * res_vmsize). 128 KiB of .lbss: the process's VmSize from its start, no page until used. */
#define STATIC_CHUNKS 32
static _Alignas(THREAD_CHUNK) char static_chunks[STATIC_CHUNKS][THREAD_CHUNK] COLD_BSS;
static atomic_int static_used;

static struct arena_chunk *chunk_new(void)
{
	if (atomic_load_explicit(&static_used, memory_order_relaxed) < STATIC_CHUNKS) {
		int i = atomic_fetch_add(&static_used, 1);
		if (i < STATIC_CHUNKS)
			return (struct arena_chunk *)static_chunks[i];
	}
	for (;;) {
		struct region *r = atomic_load(&region), *n;
		if (r) {
			size_t off = atomic_fetch_add(&r->used, THREAD_CHUNK);
			if (off + THREAD_CHUNK <= THREAD_REGION)
				return (struct arena_chunk *)((char *)r + off);
		}
		/* none yet, or full: the first to publish a new one wins, the others unmap theirs */
		n = sys_mmap(THREAD_REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1); /* (str.h) */
		if (n == MAP_FAILED)
			return NULL;
		CHECKER_UNTRACK(n, THREAD_REGION);
		atomic_store(&n->used, THREAD_CHUNK);
		if (!atomic_compare_exchange_strong(&region, &r, n))
			sys2(SYS_munmap, n, THREAD_REGION);
	}
}

/* Memory for the calling thread's records, freed when the thread has ended (at most
 * THREAD_CHUNK minus a header per call), not zeroed. Only the owning thread allocates from its
 * chunks; a signal handler on that thread may too: the new block is taken before it is counted. */
void *arena_thread_take(size_t size)
{
	struct arena_chunk *c = ts.chunks;
	size_t cap = THREAD_CHUNK - sizeof *c, off;
	size = round_up(size ? size : 1, 16);
	if (size > cap)
		return NULL;
	if (!c || c->used + size > cap) {
		struct arena_chunk *n = chunk_pop();
		if (!n && !(n = chunk_new()))
			return NULL;
		n->used = 0;
		n->next = c;
		ts.chunks = c = n;
		if (ts.chunks_out)
			*ts.chunks_out = n; /* after retirement: the reclaimer frees it too */
	}
	off = c->used;
	c->used = off + size;
	return c->data + off;
}

/* The same, zeroed */
void *arena_thread_alloc(size_t size)
{
	void *p = arena_thread_take(size);
	if (p)
		memset(p, 0, size);
	return p;
}

/* The chunks of the calling thread go to *out, to be freed by another thread once this one is
 * gone; *out follows the chunks it still adds (its key destructors run after this). The
 * reclaimer reads *out only after the thread has ended. */
void arena_thread_detach(struct arena_chunk **out)
{
	*out = ts.chunks;
	ts.chunks_out = out;
}

void arena_chunks_free(struct arena_chunk *c)
{
	struct arena_chunk *next;
	for (; c; c = next) {
		next = c->next;
		chunk_push(c);
	}
}

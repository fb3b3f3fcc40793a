/* modules.c - the module map: which loaded object holds an address, its build-id, and its
 * symbols (the in-memory .dynsym, and the file's .symtab for STT_TLS variable names).
 *
 * The table is append-only: entries are filled and then published by bumping nmods, unloaded ones
 * are only flagged, so readers (module_of, from signal handlers too) need no lock. Writers are
 * serialized by a try-lock: a thread that finds a sync in progress uses the table as it is rather
 * than wait, which keeps modules_sync free of lock-order problems with the loader lock and fork. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

#define MOD_MAX 1024

/* the first MOD_HOT modules in the start-up page, the others here (mostly untouched) */
static struct module mods_cold[MOD_MAX - MOD_HOT] COLD_BSS;
static inline struct module *mod_at(int i) { return i < MOD_HOT ? &startup.mods[i] : &mods_cold[i - MOD_HOT]; }
static atomic_int nmods;
static atomic_int sync_lock;
static unsigned long long seen_adds = ~0ull, seen_subs = ~0ull;
static int sync_gen;

/* ---- the loader's list ----
 * glibc 2.36 does not reset the loader's write lock in a fork child: a child forked while another
 * thread held it (inside dl_iterate_phdr, or dlopen/dlclose adding or removing a module) blocks
 * in its first dl_iterate_phdr. The shim counts its own calls and the program's dlopen/dlclose
 * that it sees; a child forked during one of them keeps the module table it inherited. */
static atomic_int loader_busy;
static int loader_stale; /* in a fork child: the lock may be held by a thread that is gone */

void loader_enter(void) { atomic_fetch_add(&loader_busy, 1); }
void loader_leave(void) { atomic_fetch_sub(&loader_busy, 1); }

typedef int dl_iterate_fn(int (*)(struct dl_phdr_info *, size_t, void *), void *);
static dl_iterate_fn *libc_dl_iterate_phdr;
static dl_iterate_fn *find_libc_dl_iterate_phdr(void);

int shim_dl_iterate(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	dl_iterate_fn *it = __atomic_load_n(&libc_dl_iterate_phdr, __ATOMIC_ACQUIRE);
	int r;
	if (loader_stale)
		return 0;
	if (!it) {
		it = find_libc_dl_iterate_phdr();
		__atomic_store_n(&libc_dl_iterate_phdr, it, __ATOMIC_RELEASE);
	}
	loader_enter();
	r = it(cb, data);
	loader_leave();
	return r;
}

/* ---- lookups, all async-signal-safe ---- */

struct module *module_of(uintptr_t addr)
{
	int i, n = atomic_load_explicit(&nmods, memory_order_acquire);
	for (i = n - 1; i >= 0; i--) {
		struct module *m = mod_at(i);
		if (addr >= m->lo && addr < m->hi && atomic_load_explicit(&m->loaded, memory_order_relaxed))
			return m;
	}
	return NULL;
}

struct module *module_by_tls_modid(size_t modid)
{
	int i, n = atomic_load_explicit(&nmods, memory_order_acquire);
	if (!modid)
		return NULL;
	for (i = n - 1; i >= 0; i--) {
		struct module *m = mod_at(i);
		if (m->tls_modid == modid && atomic_load(&m->loaded))
			return m;
	}
	return NULL;
}

struct module *module_by_id(int id)
{
	int n = atomic_load_explicit(&nmods, memory_order_acquire);
	return id >= 0 && id < n ? mod_at(id) : NULL;
}

int module_count(void) { return atomic_load_explicit(&nmods, memory_order_acquire); }

int module_self_addr(uintptr_t addr)
{
	struct module *m = module_of(addr);
	return m && m->is_self;
}

/* ---- the in-memory dynamic symbol table ---- */

struct dynview {
	uintptr_t base;
	const ElfW(Sym) *sym;
	const char *str;
	const uint32_t *gnu_hash;
	const uint32_t *sysv_hash;
	const ElfW(Versym) *versym;
};

/* ld.so relocates the d_ptr entries of .dynamic in place on x86-64; the vdso's are not. */
static uintptr_t dyn_ptr(uintptr_t base, uintptr_t p) { return base && p < base ? p + base : p; }

/* The view from the module's .dynamic at d (base: its load bias). async-signal-safe */
static int dyn_view_at(uintptr_t base, const ElfW(Dyn) *d, struct dynview *v)
{
	memset(v, 0, sizeof *v);
	v->base = base;
	if (!d)
		return -1;
	for (; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB: v->sym = (const ElfW(Sym) *)dyn_ptr(base, d->d_un.d_ptr); break;
		case DT_STRTAB: v->str = (const char *)dyn_ptr(base, d->d_un.d_ptr); break;
		case DT_GNU_HASH: v->gnu_hash = (const uint32_t *)dyn_ptr(base, d->d_un.d_ptr); break;
		case DT_HASH: v->sysv_hash = (const uint32_t *)dyn_ptr(base, d->d_un.d_ptr); break;
		case DT_VERSYM: v->versym = (const ElfW(Versym) *)dyn_ptr(base, d->d_un.d_ptr); break;
		}
	}
	return v->sym && v->str && (v->gnu_hash || v->sysv_hash) ? 0 : -1;
}

/* async-signal-safe */
static int dyn_view(uintptr_t base, const ElfW(Phdr) *ph, int phnum, struct dynview *v)
{
	const ElfW(Dyn) *d = NULL;
	int i;
	for (i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			d = (const ElfW(Dyn) *)(base + ph[i].p_vaddr);
	return dyn_view_at(base, d, v);
}

/* The module's view, read from its .dynamic when it was added (dyn_save) */
static int module_dyn(const struct module *m, struct dynview *v)
{
	if (!m->dyn_ok)
		return dyn_view(m->base, m->phdr, m->phnum, v);
	v->base = m->base;
	v->sym = m->dyn_sym;
	v->str = m->dyn_str;
	v->gnu_hash = m->dyn_ok == 2 ? m->dyn_hash : NULL;
	v->sysv_hash = m->dyn_ok == 1 ? m->dyn_hash : NULL;
	v->versym = m->dyn_versym;
	return 0;
}

static void dyn_save(struct module *m)
{
	struct dynview v;
	if (dyn_view(m->base, m->phdr, m->phnum, &v) != 0)
		return;
	m->dyn_sym = v.sym;
	m->dyn_str = v.str;
	m->dyn_hash = v.gnu_hash ? (const void *)v.gnu_hash : (const void *)v.sysv_hash;
	m->dyn_versym = v.versym;
	m->dyn_ok = v.gnu_hash ? 2 : 1;
}

/* ---- a module's imports ---- */

/* Call each(m, slot, arg) for every GOT slot of m that a JUMP_SLOT (PLT) or GLOB_DAT (-fno-plt,
 * a function pointer) relocation binds to name, a symbol m imports (undefined in it). keep(dyn,
 * dynstr), if given, can rule the module out first from its .dynamic. Reads the loaded image only
 * (.dynamic, the relocations, .dynsym, .dynstr). Called from modules_sync. */
void module_got_slots(struct module *m, const char *name, int (*keep)(const ElfW(Dyn) *, const char *),
		      void (*each)(struct module *, void **, void *), void *arg)
{
	const ElfW(Dyn) *d = NULL, *dyn;
	const ElfW(Rela) *rel[2] = {NULL, NULL};
	size_t relsz[2] = {0, 0}, k, j;
	const ElfW(Sym) *sym = NULL;
	const char *str = NULL;
	int i;
	for (i = 0; i < m->phnum; i++)
		if (m->phdr[i].p_type == PT_DYNAMIC)
			d = (const ElfW(Dyn) *)(m->base + m->phdr[i].p_vaddr);
	if (!d)
		return;
	for (dyn = d; d->d_tag != DT_NULL; d++) {
		uintptr_t p = d->d_un.d_ptr;
		switch (d->d_tag) {
		case DT_JMPREL: rel[0] = (const ElfW(Rela) *)dyn_ptr(m->base, p); break;
		case DT_PLTRELSZ: relsz[0] = d->d_un.d_val; break;
		case DT_RELA: rel[1] = (const ElfW(Rela) *)dyn_ptr(m->base, p); break;
		case DT_RELASZ: relsz[1] = d->d_un.d_val; break;
		case DT_SYMTAB: sym = (const ElfW(Sym) *)dyn_ptr(m->base, p); break;
		case DT_STRTAB: str = (const char *)dyn_ptr(m->base, p); break;
		}
	}
	if (!sym || !str || (keep && !keep(dyn, str)))
		return;
	for (k = 0; k < 2; k++) {
		for (j = 0; rel[k] && j < relsz[k] / sizeof(ElfW(Rela)); j++) {
			unsigned type = ELF64_R_TYPE(rel[k][j].r_info);
			const ElfW(Sym) *s = &sym[ELF64_R_SYM(rel[k][j].r_info)];
			if ((type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) || s->st_shndx != SHN_UNDEF ||
			    shim_strcmp(str + s->st_name, name) != 0)
				continue;
			each(m, (void **)(m->base + rel[k][j].r_offset), arg);
		}
	}
}

/* Store value in m's GOT slot; a slot in RELRO (read-only after relocation) is made writable for
 * the store only. An aligned pointer store is atomic: a thread calling through the slot sees
 * either value. Returns 0, or -1 if mprotect refused (the slot keeps its value). */
int module_got_store(struct module *m, void **slot, void *value)
{
	uintptr_t a = (uintptr_t)slot, lo = 0, hi = 0, page = a & ~(uintptr_t)4095;
	int i, ro;
	for (i = 0; i < m->phnum; i++)
		if (m->phdr[i].p_type == PT_GNU_RELRO) {
			lo = m->base + m->phdr[i].p_vaddr;
			hi = lo + m->phdr[i].p_memsz;
		}
	ro = a >= lo && a < hi;
	/* raw calls, as everywhere on the shim's own behalf (str.h) */
	if (ro && sys3(SYS_mprotect, page, 4096, PROT_READ | PROT_WRITE) != 0)
		return -1;
	__atomic_store_n(slot, value, __ATOMIC_RELEASE);
	if (ro)
		sys3(SYS_mprotect, page, 4096, PROT_READ);
	return 0;
}

/* Number of .dynsym entries: DT_HASH says it; with only DT_GNU_HASH, walk to the last chain's end.
 * async-signal-safe */
static size_t dyn_count(const struct dynview *v)
{
	const uint32_t *gh = v->gnu_hash, *buckets, *chain;
	uint32_t nb, symoff, bloom, i, last = 0;
	if (v->sysv_hash)
		return v->sysv_hash[1];
	nb = gh[0];
	symoff = gh[1];
	bloom = gh[2];
	buckets = (const uint32_t *)((const ElfW(Addr) *)(gh + 4) + bloom);
	chain = buckets + nb;
	for (i = 0; i < nb; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoff)
		return symoff;
	while (!(chain[last - symoff] & 1))
		last++;
	return last + 1;
}

static __thread const ElfW(Sym) *last_sym;

/* async-signal-safe */
static uintptr_t dyn_lookup_size(const struct dynview *v, const char *name, size_t *size)
{
	const ElfW(Sym) *s;
	last_sym = NULL;
	if (v->gnu_hash) {
		const uint32_t *gh = v->gnu_hash, *buckets, *chain;
		const ElfW(Addr) *bloom = (const ElfW(Addr) *)(gh + 4);
		const unsigned bits = 8 * sizeof(ElfW(Addr));
		uint32_t h = 5381, nb = gh[0], symoff = gh[1], idx;
		const unsigned char *c;
		ElfW(Addr) word;
		for (c = (const unsigned char *)name; *c; c++)
			h = h * 33 + *c;
		/* the Bloom filter answers most misses from one word (cold pages at start-up) */
		word = gh[2] ? bloom[(h / bits) & (gh[2] - 1)] : ~(ElfW(Addr))0;
		if (!((word >> (h % bits)) & (word >> ((h >> gh[3]) % bits)) & 1))
			return 0;
		buckets = (const uint32_t *)(bloom + gh[2]);
		chain = buckets + nb;
		idx = buckets[h % nb];
		if (idx < symoff)
			return 0;
		for (;; idx++) {
			uint32_t ch = chain[idx - symoff];
			s = &v->sym[idx];
			if ((h | 1) == (ch | 1) && s->st_shndx != SHN_UNDEF && !(v->versym && (v->versym[idx] & 0x8000)) &&
			    !shim_strcmp(name, v->str + s->st_name)) {
				*size = s->st_size;
				last_sym = s;
				return v->base + s->st_value;
			}
			if (ch & 1)
				return 0;
		}
	} else {
		size_t i, n = dyn_count(v);
		for (i = 1; i < n; i++) {
			s = &v->sym[i];
			if (s->st_shndx != SHN_UNDEF && !(v->versym && (v->versym[i] & 0x8000)) &&
			    !shim_strcmp(name, v->str + s->st_name)) {
				*size = s->st_size;
				last_sym = s;
				return v->base + s->st_value;
			}
		}
	}
	return 0;
}

static uintptr_t dyn_lookup_type(const struct dynview *v, const char *name, size_t *size)
{
	uintptr_t a = dyn_lookup_size(v, name, size);
	/* dyn_lookup_size leaves the symbol it found in last_sym */
	if (a && last_sym && ELF64_ST_TYPE(last_sym->st_info) == STT_GNU_IFUNC)
		return (uintptr_t)-1;
	return a;
}

/* The address of a defined dynamic symbol, and its size. async-signal-safe */
uintptr_t module_dynsym_lookup_size(struct module *m, const char *name, size_t *size)
{
	struct dynview v;
	size_t dummy;
	if (!m || !atomic_load(&m->loaded) || module_dyn(m, &v) != 0)
		return 0;
	return dyn_lookup_size(&v, name, size ? size : &dummy);
}

uintptr_t module_dynsym_lookup(struct module *m, const char *name) { return module_dynsym_lookup_size(m, name, NULL); }

/* The version m's import of name binds to (the name of the Elf64_Vernaux of its DT_VERNEED whose
 * index its .gnu.version gives the symbol a JUMP_SLOT or GLOB_DAT relocation binds: "GLIBC_2.15"),
 * or NULL where m imports name without a version, or not at all. A symbol glibc versioned twice
 * (posix_spawn: GLIBC_2.2.5 and GLIBC_2.15) binds to the one m was linked against (spawn.c).
 * Reads the loaded image only. No system call */
COLD_TEXT const char *module_import_version(const struct module *m, const char *name)
{
	const ElfW(Dyn) *d = NULL;
	const ElfW(Rela) *rel[2] = {NULL, NULL};
	size_t relsz[2] = {0, 0}, num = 0;
	const ElfW(Sym) *sym = NULL;
	const ElfW(Versym) *versym = NULL;
	const char *str = NULL;
	uintptr_t vn = 0;
	unsigned ver = 0;
	for (int i = 0; i < m->phnum; i++)
		if (m->phdr[i].p_type == PT_DYNAMIC)
			d = (const ElfW(Dyn) *)(m->base + m->phdr[i].p_vaddr);
	/* (tests, not a switch: gcc's jump table would go to the read-only data a start reads, t040) */
	for (; d && d->d_tag != DT_NULL; d++) {
		uintptr_t p = d->d_un.d_ptr;
		if (d->d_tag == DT_JMPREL)
			rel[0] = (const ElfW(Rela) *)dyn_ptr(m->base, p);
		else if (d->d_tag == DT_PLTRELSZ)
			relsz[0] = d->d_un.d_val;
		else if (d->d_tag == DT_RELA)
			rel[1] = (const ElfW(Rela) *)dyn_ptr(m->base, p);
		else if (d->d_tag == DT_RELASZ)
			relsz[1] = d->d_un.d_val;
		else if (d->d_tag == DT_SYMTAB)
			sym = (const ElfW(Sym) *)dyn_ptr(m->base, p);
		else if (d->d_tag == DT_STRTAB)
			str = (const char *)dyn_ptr(m->base, p);
		else if (d->d_tag == DT_VERSYM)
			versym = (const ElfW(Versym) *)dyn_ptr(m->base, p);
		else if (d->d_tag == DT_VERNEED)
			vn = dyn_ptr(m->base, p);
		else if (d->d_tag == DT_VERNEEDNUM)
			num = d->d_un.d_val;
	}
	if (!sym || !str || !versym || !vn)
		return NULL;
	for (size_t k = 0; k < 2 && !ver; k++)
		for (size_t j = 0; rel[k] && j < relsz[k] / sizeof(ElfW(Rela)) && !ver; j++) {
			unsigned type = ELF64_R_TYPE(rel[k][j].r_info), idx = (unsigned)ELF64_R_SYM(rel[k][j].r_info);
			if ((type == R_X86_64_JUMP_SLOT || type == R_X86_64_GLOB_DAT) && sym[idx].st_shndx == SHN_UNDEF &&
			    !shim_strcmp(str + sym[idx].st_name, name))
				ver = versym[idx] & 0x7fff;
		}
	for (size_t i = 0; ver > 1 && i < num; i++) {
		const ElfW(Verneed) *n = (const ElfW(Verneed) *)vn;
		uintptr_t ax = vn + n->vn_aux;
		for (unsigned j = 0; j < n->vn_cnt; j++) {
			const ElfW(Vernaux) *a = (const ElfW(Vernaux) *)ax;
			if (a->vna_other == ver)
				return str + a->vna_name;
			ax += a->vna_next;
		}
		vn += n->vn_next;
	}
	return NULL;
}

/* A function of the vDSO, found through the auxiliary vector; NULL without one.
 * async-signal-safe */
void *vdso_function(const char *name)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Phdr) *ph;
	struct dynview v;
	uintptr_t bias = 0;
	size_t size;
	int i;
	if (!eh)
		return NULL;
	ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			bias = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
			break;
		}
	if (dyn_view(bias, ph, eh->e_phnum, &v) != 0)
		return NULL;
	return (void *)dyn_lookup_size(&v, name, &size);
}

/* What dlsym(RTLD_NEXT, name) would answer for the shim: the default-version definition in the
 * first module loaded after it, in the loader's order (which is its global search order). NULL
 * if the table cannot tell (then the caller asks dlsym). Functions and ifunc-free symbols only:
 * an STT_GNU_IFUNC would need calling its resolver. */
void *next_definition(const char *name)
{
	int i, n = atomic_load_explicit(&nmods, memory_order_acquire), after = 0;
	for (i = 0; i < n; i++) {
		struct module *m = mod_at(i);
		struct dynview v;
		size_t size;
		uintptr_t a;
		if (m->is_self) {
			after = 1;
			continue;
		}
		if (!after || !atomic_load(&m->loaded) || module_dyn(m, &v) != 0)
			continue;
		a = dyn_lookup_type(&v, name, &size);
		if (a == (uintptr_t)-1)
			return NULL; /* an ifunc: let dlsym resolve it */
		if (a)
			return (void *)a;
	}
	return NULL;
}

/* Whether one of the module's loaded segments holds addr */
int dl_info_holds(const struct dl_phdr_info *info, uintptr_t addr)
{
	int i;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && addr >= info->dlpi_addr + ph->p_vaddr &&
		    addr < info->dlpi_addr + ph->p_vaddr + ph->p_memsz)
			return 1;
	}
	return 0;
}

/* Whether path's last component (a soname, or a file name after the last '/') is name. Without
 * libc: async-signal-safe, and no page of libc's string code to fault in at start-up. */
int file_name_is(const char *path, const char *name)
{
	const char *b = path, *c;
	for (c = path; *c; c++)
		if (*c == '/')
			b = c + 1;
	while (*b && *b == *name)
		b++, name++;
	return *b == *name;
}

/* The same without the module table (the shim off, or not initialized yet): the loader's list
 * walked directly, our own object recognized by the address of this function. */
struct next_ctx {
	const char *name;
	int after;
	void *found;
};

static int next_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct next_ctx *c = data;
	uintptr_t here = (uintptr_t)&next_cb;
	struct dynview v;
	size_t sz;
	uintptr_t a;
	(void)size;
	if (dl_info_holds(info, here)) {
		c->after = 1;
		return 0;
	}
	if (!c->after || dyn_view(info->dlpi_addr, info->dlpi_phdr, info->dlpi_phnum, &v) != 0)
		return 0;
	a = dyn_lookup_type(&v, c->name, &sz);
	if (a == (uintptr_t)-1)
		return 1; /* an ifunc: not found here, let dlsym do it */
	c->found = (void *)a;
	return a != 0;
}

void *next_definition_walk(const char *name)
{
	struct next_ctx c = {name, 0, NULL};
	shim_dl_iterate(next_cb, &c);
	return c.found;
}

/* libc's dl_iterate_phdr, not the first definition of the name: a sanitizer intercepts it (TSan,
 * MSan: compiler-rt sanitizer_common_interceptors.inc), and the shim iterates while the
 * sanitizer's own initialization calls it (__cxa_atexit, pthread_create; str.h). Found in libc's
 * .dynsym through ld.so's list of link_maps (_r_debug, <link.h>; complete before any initializer
 * runs; libc is near its head, and a dlopen only appends). Where libc cannot be found there
 * (another libc's file name), the function by name. */
static dl_iterate_fn *find_libc_dl_iterate_phdr(void)
{
	const struct link_map *l;
	for (l = _r_debug.r_map; l; l = l->l_next) {
		struct dynview v;
		size_t size;
		uintptr_t a;
		if (!l->l_name || !file_name_is(l->l_name, "libc.so.6"))
			continue;
		if (dyn_view_at(l->l_addr, l->l_ld, &v) == 0 && (a = dyn_lookup_type(&v, "dl_iterate_phdr", &size)) &&
		    a != (uintptr_t)-1)
			return (dl_iterate_fn *)a;
		break;
	}
	return dl_iterate_phdr;
}

/* A libc function for the shim's own use (not on the program's behalf, where dlsym(RTLD_NEXT)
 * keeps other interposers in the chain): read from libc's .dynsym, which costs no dlsym. NULL
 * if libc is not in the table yet or the symbol is an ifunc (its address is the resolver's). */
void *libc_function(const char *name)
{
	int i, n = atomic_load_explicit(&nmods, memory_order_acquire);
	for (i = 0; i < n; i++) {
		struct module *m = mod_at(i);
		struct dynview v;
		size_t size;
		uintptr_t a;
		if (m->path && file_name_is(m->path, "libc.so.6") && atomic_load(&m->loaded)) {
			if (module_dyn(m, &v) != 0 || (a = dyn_lookup_type(&v, name, &size)) == (uintptr_t)-1)
				return NULL;
			return (void *)a;
		}
	}
	return NULL;
}

/* ---- the file's symbol tables, mapped on first need ---- */

struct elf_symtab {
	const ElfW(Sym) *sym[2]; /* .symtab, .dynsym */
	const char *str[2];
	size_t count[2];
	uint32_t *tls[2];        /* indexes of STT_TLS symbols */
	size_t ntls[2];
};
static struct elf_symtab no_symtab COLD_BSS; /* "tried, nothing usable" (out of the start-up page: rarely looked at) */

static struct elf_symtab *load_symtab(const char *path)
{
	struct stat st;
	const unsigned char *map;
	const ElfW(Ehdr) *eh;
	const ElfW(Shdr) *sh;
	struct elf_symtab *t;
	int fd, i, k;

	if (!path || path[0] != '/')
		return &no_symtab;
	/* raw calls: a sanitizer's interceptors of open/mmap/close may not be ready (str.h) */
	fd = (int)sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return &no_symtab;
	if (sys2(SYS_fstat, fd, &st) != 0 || st.st_size < (off_t)sizeof(ElfW(Ehdr))) {
		sys1(SYS_close, fd);
		return &no_symtab;
	}
	map = sys_mmap((unsigned long)st.st_size, PROT_READ, MAP_PRIVATE, fd);
	sys1(SYS_close, fd);
	if (map == MAP_FAILED)
		return &no_symtab;
	eh = (const ElfW(Ehdr) *)map;
	if (shim_memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff == 0 || eh->e_shentsize != sizeof(ElfW(Shdr)) ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(ElfW(Shdr)) > (size_t)st.st_size)
		goto bad;
	t = arena_global_alloc(sizeof *t);
	if (!t)
		goto bad;
	memset(t, 0, sizeof *t);
	sh = (const ElfW(Shdr) *)(map + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		const ElfW(Shdr) *strs;
		int slot = sh[i].sh_type == SHT_SYMTAB ? 0 : sh[i].sh_type == SHT_DYNSYM ? 1 : -1;
		if (slot < 0 || sh[i].sh_link >= eh->e_shnum || sh[i].sh_entsize != sizeof(ElfW(Sym)))
			continue;
		strs = &sh[sh[i].sh_link];
		if (sh[i].sh_offset + sh[i].sh_size > (size_t)st.st_size ||
		    strs->sh_offset + strs->sh_size > (size_t)st.st_size || strs->sh_size == 0 ||
		    map[strs->sh_offset + strs->sh_size - 1] != 0)
			continue;
		t->sym[slot] = (const ElfW(Sym) *)(map + sh[i].sh_offset);
		t->str[slot] = (const char *)(map + strs->sh_offset);
		t->count[slot] = sh[i].sh_size / sizeof(ElfW(Sym));
	}
	for (k = 0; k < 2; k++) {
		size_t j, n = 0;
		for (j = 0; j < t->count[k]; j++)
			if (ELF64_ST_TYPE(t->sym[k][j].st_info) == STT_TLS && t->sym[k][j].st_shndx != SHN_UNDEF)
				n++;
		if (!n)
			continue;
		t->tls[k] = arena_global_alloc(n * sizeof(uint32_t));
		if (!t->tls[k])
			continue;
		for (j = 0; j < t->count[k]; j++)
			if (ELF64_ST_TYPE(t->sym[k][j].st_info) == STT_TLS && t->sym[k][j].st_shndx != SHN_UNDEF)
				t->tls[k][t->ntls[k]++] = (uint32_t)j;
	}
	return t;
bad:
	sys2(SYS_munmap, map, st.st_size);
	return &no_symtab;
}

static struct elf_symtab *module_symtab(struct module *m)
{
	struct elf_symtab *t = atomic_load(&m->symtab), *expected = NULL;
	if (t)
		return t;
	t = load_symtab(m->path);
	if (!atomic_compare_exchange_strong(&m->symtab, &expected, t))
		return expected; /* another thread won; its mapping stays, ours leaks (rare) */
	return t;
}

/* The STT_TLS symbol whose [st_value, st_value + st_size) holds offset off of the module's TLS
 * block, the smallest if several do. */
COLD_TEXT const char *module_tls_symbol(struct module *m, size_t off, size_t *symoff, size_t *size)
{
	struct elf_symtab *t;
	const ElfW(Sym) *best = NULL;
	const char *best_name = NULL;
	int k;
	size_t j;
	if (!m)
		return NULL;
	t = module_symtab(m);
	for (k = 0; k < 2 && !best; k++) {
		for (j = 0; j < t->ntls[k]; j++) {
			const ElfW(Sym) *s = &t->sym[k][t->tls[k][j]];
			size_t sz = s->st_size ? s->st_size : 1;
			if (off >= s->st_value && off < s->st_value + sz && (!best || sz < best->st_size)) {
				best = s;
				best_name = t->str[k] + s->st_name;
			}
		}
	}
	if (!best)
		return NULL;
	*symoff = off - best->st_value;
	*size = best->st_size;
	return best_name;
}

/* The function symbol whose [st_value, st_value + st_size) holds addr, the nearest below if
 * several do, for the crash report on stderr (the report symbolizes properly offline). A symbol
 * of size 0 (_init, _fini, assembly without .size) names only its own address, as glibc's
 * dladdr matches (elf/dl-addr.c, DL_ADDR_SYM_MATCH): else _init, placed before .text, named
 * every address above it that no sized symbol holds. A caller's frame is looked up by its return
 * address - 1 (the caller's job: a noreturn call's return address is one past its function).
 * Uses only memory already mapped and syscalls. NULL when no symbol holds addr.
 * async-signal-safe */
COLD_TEXT const char *module_func_name(struct module *m, uintptr_t addr, uintptr_t *symoff)
{
	struct elf_symtab *t;
	struct dynview v;
	uintptr_t off = addr - m->base, best_val = 0;
	const char *best = NULL;
	size_t j, n;
	int k;

	t = atomic_load(&m->symtab);
	for (k = 0; t && k < 2; k++) {
		for (j = 0; j < t->count[k]; j++) {
			const ElfW(Sym) *s = &t->sym[k][j];
			if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
				continue;
			if (off >= s->st_value && off < s->st_value + (s->st_size ? s->st_size : 1) &&
			    (!best || s->st_value > best_val)) {
				best = t->str[k] + s->st_name;
				best_val = s->st_value;
			}
		}
		if (best)
			break;
	}
	if (!best && module_dyn(m, &v) == 0) {
		n = dyn_count(&v);
		for (j = 1; j < n; j++) {
			const ElfW(Sym) *s = &v.sym[j];
			if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
				continue;
			if (off >= s->st_value && off < s->st_value + (s->st_size ? s->st_size : 1) &&
			    (!best || s->st_value > best_val)) {
				best = v.str + s->st_name;
				best_val = s->st_value;
			}
		}
	}
	if (best)
		*symoff = off - best_val;
	return best;
}

/* ---- build-id ---- */

static size_t build_id(uintptr_t base, const ElfW(Phdr) *ph, int phnum, char *out, size_t outsz)
{
	static const char digits[] = "0123456789abcdef";
	int i;
	for (i = 0; i < phnum; i++) {
		const unsigned char *p, *end;
		if (ph[i].p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(base + ph[i].p_vaddr);
		end = p + ph[i].p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = p + sizeof *nh + ((nh->n_namesz + 3) & ~3u);
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !shim_memcmp(p + sizeof *nh, "GNU", 4) &&
			    desc + nh->n_descsz <= end && nh->n_descsz * 2 + 1 <= outsz) {
				size_t j;
				for (j = 0; j < nh->n_descsz; j++) {
					out[2 * j] = digits[desc[j] >> 4];
					out[2 * j + 1] = digits[desc[j] & 15];
				}
				out[2 * j] = 0;
				return 2 * j;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 0;
}

/* ---- sync with the loader ---- */

struct sync_ctx {
	int changed;
	unsigned long long adds, subs;
};

static int check_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct sync_ctx *c = data;
	if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
		c->changed = 1;
		return 1;
	}
	c->adds = info->dlpi_adds;
	c->subs = info->dlpi_subs;
	c->changed = c->adds != seen_adds || c->subs != seen_subs;
	return 1;
}

static void emit_mod(struct module *m)
{
	struct tline l;
	char bid[130];
	tl_begin(&l, "mod");
	tl_dec(&l, m->id);
	tl_hex(&l, m->base);
	tl_dec(&l, (long long)m->tls_modid);
	if (build_id(m->base, m->phdr, m->phnum, bid, sizeof bid))
		tl_word(&l, bid);
	else
		tl_word(&l, "-");
	tl_str(&l, m->path);
	l.cls = TL_NEUTRAL;
	tl_end(&l);
}

/* The loader keeps a name dlopen'ed by a relative path ("./libx.so", "lib/x.so") as given: it is
 * relative to the working directory of that moment, which the report's cannot know. Made absolute
 * here, right after the dlopen (tlstrace_dlopen_post), before the program can chdir. A frame of its
 * own: the directory buffer lives only while it runs. */
static __attribute__((noinline)) const char *copy_path(const char *name)
{
	char cwd[1024];
	size_t nc, nn;
	char *out;
	if (!name || !name[0])
		return shim_exe; /* the main program */
	if (name[0] == '/' || !shim_strchr(name, '/') || sys2(SYS_getcwd, cwd, sizeof cwd) < 0)
		return arena_strdup(name); /* absolute, "linux-vdso.so.1", or no directory to join */
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	nc = shim_strlen(cwd);
	nn = shim_strlen(name);
	out = arena_global_alloc(nc + nn + 2);
	if (!out)
		return arena_strdup(name);
	memcpy(out, cwd, nc);
	out[nc] = nc && cwd[nc - 1] == '/' ? 0 : '/';
	memcpy(out + nc + (out[nc] != 0), name, nn + 1);
	return out;
}

static int add_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	int i, n = atomic_load(&nmods);
	struct module *m;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	(void)size;
	(void)data;
	for (i = n - 1; i >= 0; i--) {
		m = mod_at(i);
		if (m->phdr == info->dlpi_phdr && m->base == info->dlpi_addr && atomic_load(&m->loaded)) {
			m->seen_gen = sync_gen;
			return 0;
		}
	}
	if (n >= MOD_MAX)
		return 0;
	m = mod_at(n);
	memset(m, 0, sizeof *m);
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD) {
			if (info->dlpi_addr + ph->p_vaddr < lo)
				lo = info->dlpi_addr + ph->p_vaddr;
			if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi)
				hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		} else if (ph->p_type == PT_TLS) {
			m->tls_memsz = ph->p_memsz;
		}
	}
	if (hi == 0)
		return 0;
	m->base = info->dlpi_addr;
	m->lo = lo;
	m->hi = hi;
	m->phdr = info->dlpi_phdr;
	m->phnum = info->dlpi_phnum;
	m->tls_modid = info->dlpi_tls_modid;
	m->id = n;
	m->seen_gen = sync_gen;
	m->is_self = (uintptr_t)&add_cb >= lo && (uintptr_t)&add_cb < hi;
	m->path = copy_path(info->dlpi_name);
	dyn_save(m);
	atomic_store(&m->loaded, 1);
	atomic_store_explicit(&nmods, n + 1, memory_order_release);
	emit_mod(m);
	py_resolve_from(m);
	return 0;
}

/* a frame of its own: its line buffer would deepen every sync's stack (see init.c) */
static __attribute__((noinline)) void module_gone(struct module *m)
{
	struct tline l;
	atomic_store(&m->loaded, 0);
	py_module_gone(m);
	tl_begin(&l, "unmod");
	tl_dec(&l, m->id);
	l.cls = TL_NEUTRAL;
	tl_end(&l);
}

/* Bring the table up to date with the loader. Cheap when nothing changed (the loader's add/sub
 * counters are compared first). Not async-signal-safe: takes the loader's lock. */

void modules_sync(void)
{
	struct sync_ctx c = {0};
	int expected = 0, i, n;
	if (!atomic_compare_exchange_strong(&sync_lock, &expected, 1))
		return;
	shim_dl_iterate(check_cb, &c);
	if (c.changed) {
		int before = atomic_load(&nmods);
		sync_gen++;
		shim_dl_iterate(add_cb, &c);
		/* now that the table is complete (ld.so included): GOT slots of the new modules */
		n = atomic_load(&nmods);
		for (i = before; i < n; i++) {
			tlsaccess_module_added(mod_at(i));
			pyatexit_module_added(mod_at(i));
			modwsgi_module_added(mod_at(i));
		}
		n = atomic_load(&nmods);
		for (i = 0; i < n; i++) {
			struct module *m = mod_at(i);
			if (atomic_load(&m->loaded) && m->seen_gen != sync_gen)
				module_gone(m);
		}
		seen_adds = c.adds;
		seen_subs = c.subs;
	}
	atomic_store(&sync_lock, 0);
}

/* In a fork child the thread that held the lock does not exist: the entries below nmods are
 * complete, so the table is usable; only the lock needs releasing. */
void modules_after_fork_child(void)
{
	atomic_store(&sync_lock, 0);
	if (atomic_load(&loader_busy))
		loader_stale = 1;
	atomic_store(&loader_busy, 0);
}

/* ---- code ranges from .eh_frame ----
 * The pointer encodings of the DWARF exception-frame format (LSB's "Exception Frames", the
 * DW_EH_PE_* constants of GCC's unwind-pe.h): the low nibble the value's format, 0x70 what it is
 * relative to. Only the formats GCC and the linkers emit on x86-64 are read. */
enum { EH_ABSPTR = 0x00, EH_UDATA4 = 0x03, EH_UDATA8 = 0x04, EH_SDATA4 = 0x0b, EH_SDATA8 = 0x0c,
       EH_PCREL = 0x10, EH_DATAREL = 0x30, EH_OMIT = 0xff };

/* bytes of a value of encoding enc's format, 0 for one not read here */
COLD_TEXT static int eh_size(int enc)
{
	switch (enc & 0x0f) {
	case EH_ABSPTR: case EH_UDATA8: case EH_SDATA8: return 8;
	case EH_UDATA4: case EH_SDATA4: return 4;
	default: return 0;
	}
}

/* the value of encoding enc at p; data: the base of DW_EH_PE_datarel. 0 with *ok cleared for an
 * encoding not read here */
COLD_TEXT static uintptr_t eh_read(const unsigned char *p, int enc, uintptr_t data, int *ok)
{
	uintptr_t v;
	int32_t s4;
	uint32_t u4;
	switch (enc & 0x0f) {
	case EH_ABSPTR: case EH_UDATA8: case EH_SDATA8: memcpy(&v, p, 8); break;
	case EH_UDATA4: memcpy(&u4, p, 4); v = u4; break;
	case EH_SDATA4: memcpy(&s4, p, 4); v = (uintptr_t)(intptr_t)s4; break;
	default: *ok = 0; return 0;
	}
	switch (enc & 0x70) {
	case 0: return v;
	case EH_PCREL: return v + (uintptr_t)p;
	case EH_DATAREL: return v + data;
	default: *ok = 0; return 0;
	}
}

COLD_TEXT static const unsigned char *uleb_skip(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (*p & 0x80))
		p++;
	return p < end ? p + 1 : NULL;
}

/* the FDE pointer encoding ('R' augmentation) of the CIE at cie; -1 if it cannot be read */
COLD_TEXT static int cie_fde_encoding(const struct module *m, const unsigned char *cie)
{
	uint32_t len, id;
	const unsigned char *p, *end, *aug;
	if ((uintptr_t)cie < m->lo || (uintptr_t)cie + 8 > m->hi)
		return -1;
	memcpy(&len, cie, 4);
	memcpy(&id, cie + 4, 4);
	if (len == 0 || len == 0xffffffffu || id != 0 || (uintptr_t)cie + 4 + len > m->hi)
		return -1;
	end = cie + 4 + len;
	aug = cie + 9; /* (after the version byte) */
	for (p = aug; p < end && *p; p++)
		;
	if (p >= end || aug[0] != 'z')
		return aug[0] == 0 ? EH_ABSPTR : -1;
	p = uleb_skip(p + 1, end); /* code alignment */
	p = p ? uleb_skip(p, end) : NULL; /* data alignment (an sleb128 is skipped as a uleb128) */
	if (p && cie[8] == 1)
		p++; /* return address column: a byte in version 1 */
	else if (p)
		p = uleb_skip(p, end);
	p = p ? uleb_skip(p, end) : NULL; /* augmentation data's length */
	for (const unsigned char *a = aug + 1; p && p < end && *a; a++)
		if (*a == 'R')
			return *p;
		else if (*a == 'P' && eh_size(*p))
			p += 1 + eh_size(*p);
		else if (*a == 'L')
			p++;
		else if (*a != 'S' && *a != 'B')
			return -1; /* (a personality of an encoding not read here, or one not known) */
	return -1;
}

/* [*lo, *hi): the code m's .eh_frame describes with the one FDE covering addr, found through
 * PT_GNU_EH_FRAME's sorted table as the unwinders of libgcc and glibc look it up. This names
 * code no symbol names: the `.cold` part GCC splits off a function (-freorder-blocks-and-
 * partition) has an FDE of its own. Returns 0, or -1 if m has no table in the one layout the
 * linkers emit (datarel sdata4 pairs), or none covers addr. Reads m's mapped segments only,
 * checked against its bounds: async-signal-safe. */
COLD_TEXT int module_fde_range(const struct module *m, uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	const unsigned char *hdr = NULL, *p, *fde;
	uintptr_t count, begin, range;
	const int32_t *table;
	int ok = 1, enc;
	size_t a = 0, b;
	int32_t cie_off;
	for (int i = 0; m && i < m->phnum; i++)
		if (m->phdr[i].p_type == PT_GNU_EH_FRAME)
			hdr = (const unsigned char *)(m->base + m->phdr[i].p_vaddr);
	if (!hdr || (uintptr_t)hdr < m->lo || (uintptr_t)hdr + 12 > m->hi || hdr[0] != 1 ||
	    hdr[3] != (EH_DATAREL | EH_SDATA4) || !eh_size(hdr[1]) || !eh_size(hdr[2]))
		return -1;
	p = hdr + 4 + eh_size(hdr[1]);
	count = eh_read(p, hdr[2], 0, &ok);
	table = (const int32_t *)(p + eh_size(hdr[2]));
	if (!ok || count == 0 || (uintptr_t)(table + 2 * count) > m->hi)
		return -1;
	/* the last entry whose initial location is at or below addr */
	for (b = count; b - a > 1;) {
		size_t mid = a + (b - a) / 2;
		if ((uintptr_t)hdr + (intptr_t)table[2 * mid] <= addr)
			a = mid;
		else
			b = mid;
	}
	begin = (uintptr_t)hdr + (intptr_t)table[2 * a];
	fde = hdr + (intptr_t)table[2 * a + 1];
	if (begin > addr || (uintptr_t)fde < m->lo || (uintptr_t)fde + 8 > m->hi)
		return -1;
	memcpy(&cie_off, fde + 4, 4);
	enc = cie_fde_encoding(m, fde + 4 - cie_off);
	if (enc < 0 || !eh_size(enc) || (uintptr_t)fde + 8 + 2 * eh_size(enc) > m->hi)
		return -1;
	range = eh_read(fde + 8 + eh_size(enc), enc & 0x0f, 0, &ok); /* (the range: the format alone) */
	if (!ok || addr >= begin + range)
		return -1;
	*lo = begin;
	*hi = begin + range;
	return 0;
}

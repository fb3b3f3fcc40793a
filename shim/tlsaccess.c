/* tlsaccess.c - the slow path of __tls_get_addr (fast path: tga.S): does this lookup reach a
 * thread_local whose destructor already ran on this thread?
 *
 * A general-dynamic lookup names the variable: (module, offset of the variable). A local-dynamic
 * one (static or hidden thread_locals in -fPIC code) asks for (module, 0) and adds the variable's
 * offset in the instruction that follows, e.g. `mov 0x80(%rax),%ebp`; that operand is decoded here
 * (a few common x86-64 forms; the result is marked "ld?" when it cannot be decoded). Also notices a
 * module's TLS block being allocated on a thread whose teardown began: a first construction after
 * the destructors ran. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "shim.h"

struct tls_index {
	unsigned long module;
	unsigned long offset;
};

extern void *tlstrace_real_tga;
extern void *_Atomic tlstrace_tga_target;
extern char tlstrace_tga_check[];
__attribute__((visibility("hidden"))) void tlstrace_tga_resolve(void);
__attribute__((visibility("hidden"))) void *tlstrace_tga_slow(struct tls_index *ti, uintptr_t site);

void tlstrace_tga_resolve(void)
{
	/* as real_resolve_one: dlsym only where the loader's list cannot answer (it takes the
	 * loader's lock; a first TLS access may come from inside another library's initialization) */
	void *p = atomic_load(&shim_active) == 1 ? next_definition("__tls_get_addr") : next_definition_walk("__tls_get_addr");
	if (!p)
		p = dlsym(RTLD_NEXT, "__tls_get_addr");
	if (p) {
		void *first = atomic_load(&tlstrace_tga_target);
		tlstrace_real_tga = p;
		/* straight to ld.so from now on, unless checking started meanwhile */
		if (first != (void *)tlstrace_tga_check)
			atomic_compare_exchange_strong(&tlstrace_tga_target, &first, p);
	}
}

static void *real_tga(struct tls_index *ti) { return ((void *(*)(struct tls_index *))tlstrace_real_tga)(ti); }

extern char tlstrace_tga_first_call[];

/* ld.so's __tls_get_addr, found now if it was not yet (the module table is complete) */
static int tga_resolved(void)
{
	if (tlstrace_real_tga == (void *)tlstrace_tga_first_call)
		tlstrace_tga_resolve();
	return tlstrace_real_tga != (void *)tlstrace_tga_first_call;
}

/* ---- skipping the shim while nothing can be found ----
 *
 * Until the first thread_local is destroyed anywhere in the process, there is nothing for a
 * lookup to find, so each module's GOT slot for __tls_get_addr is pointed straight at ld.so's:
 * zero cost. When watching starts, the slots are pointed back at our entry. A slot in RELRO is
 * made writable only for the store; a slot that cannot be patched keeps our entry (one jump).
 * Stores of aligned pointers are atomic: a thread sees either function, both correct. */

struct got_node {
	void **slot;
	struct got_node *next;
};
static struct got_node *_Atomic got_head; /* pushed lock-free, never freed */

extern void *tlstrace_entry_tga; /* our __tls_get_addr, see tga.S */

/* Whether the module names ld.so among its DT_NEEDED: the static linker records it in every
 * module that imports __tls_get_addr (ld.so defines it). The others need no scan of their
 * relocations (a start-up cost: python3 has 500). Should one import it all the same, its slot
 * keeps our entry: checked always, never missed. */
static int needs_ldso(const ElfW(Dyn) *d, const char *str)
{
	for (; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_NEEDED && file_name_is(str + d->d_un.d_val, "ld-linux-x86-64.so.2"))
			return 1; /* named by soname or by path */
	return 0;
}

/* A module's GOT slot for __tls_get_addr (PLT and -fno-plt relocations): remembered; while
 * nothing is watched, pointed at ld.so. */
static void tga_slot(struct module *m, void **slot, void *arg)
{
	struct got_node *node = arena_global_alloc(sizeof *node);
	(void)m;
	(void)arg;
	if (!node)
		return;
	node->slot = slot;
	node->next = atomic_load(&got_head);
	while (!atomic_compare_exchange_weak(&got_head, &node->next, node))
		;
	/* only a slot already bound to our entry: a lazy one is still the PLT's, and the
	 * loader binding it later would give it our entry anyway */
	if (!__atomic_load_n(&tlstrace_tls_watch, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(slot, __ATOMIC_RELAXED) == (void *)&tlstrace_entry_tga && tga_resolved())
		module_got_store(m, slot, tlstrace_real_tga);
}

void tlsaccess_module_added(struct module *m)
{
	if (!m->is_self)
		module_got_slots(m, "__tls_get_addr", needs_ldso, tga_slot, NULL);
}

static void got_watch_all(void)
{
	struct got_node *node;
	for (node = atomic_load(&got_head); node; node = node->next) {
		void **slot = node->slot;
		struct module *m = module_of((uintptr_t)slot);
		if (!m)
			continue; /* unloaded */
		if (__atomic_load_n(slot, __ATOMIC_RELAXED) == tlstrace_real_tga)
			module_got_store(m, slot, (void *)&tlstrace_entry_tga);
	}
}

void tlsaccess_thread_hot(void)
{
	tlstrace_thread_hot = 1;
	if (!__atomic_load_n(&tlstrace_tls_watch, __ATOMIC_RELAXED)) {
		__atomic_store_n(&tlstrace_tls_watch, 1, __ATOMIC_RELEASE);
		atomic_store(&tlstrace_tga_target, (void *)tlstrace_tga_check);
		got_watch_all();
	}
}

/* glibc's x86-64 TCB: %fs:8 is the DTV; dtv[-1] holds its length, dtv[m] the block of module m or
 * TLS_DTV_UNALLOCATED (-1) / NULL. The layout is fixed ABI for libthread_db. async-signal-safe */
int tls_dtv_allocated(size_t modid)
{
	struct dtv_entry {
		void *val;
		void *to_free;
	} *dtv;
	__asm__("movq %%fs:8, %0" : "=r"(dtv));
	if (!dtv || modid == 0 || modid > (size_t)dtv[-1].val)
		return 0;
	return dtv[modid].val != NULL && dtv[modid].val != (void *)-1l;
}

/* ---- decoding the use of %rax after the call ---- */

enum { RAX = 0 };

/* Length of a one-byte-opcode instruction's immediate, or -1 if the opcode has no ModRM. */
static int imm_one(unsigned char op, int reg, int opsize16)
{
	switch (op) {
	case 0x00 ... 0x03: case 0x08 ... 0x0b: case 0x10 ... 0x13: case 0x18 ... 0x1b:
	case 0x20 ... 0x23: case 0x28 ... 0x2b: case 0x30 ... 0x33: case 0x38 ... 0x3b:
	case 0x63: case 0x84 ... 0x8b: case 0x8d: case 0xd0 ... 0xd3: case 0xfe: case 0xff:
		return 0;
	case 0x80: case 0x82: case 0x83: case 0x6b: case 0xc0: case 0xc1: case 0xc6:
		return 1;
	case 0x81: case 0x69: case 0xc7:
		return opsize16 ? 2 : 4;
	case 0xf6:
		return reg <= 1 ? 1 : 0;
	case 0xf7:
		return reg <= 1 ? (opsize16 ? 2 : 4) : 0;
	}
	return -1;
}

static int imm_two(unsigned char op)
{
	switch (op) {
	case 0x10 ... 0x17: case 0x18 ... 0x1f: case 0x28 ... 0x2f: case 0x40 ... 0x4f:
	case 0x51 ... 0x6f: case 0x74 ... 0x76: case 0x7e: case 0x7f: case 0xa3: case 0xab:
	case 0xaf: case 0xb0: case 0xb1: case 0xb3: case 0xb6: case 0xb7: case 0xbb:
	case 0xbe: case 0xbf: case 0xc0: case 0xc1: case 0xd0 ... 0xfe:
		return 0;
	case 0x70 ... 0x73: case 0xba: case 0xc2: case 0xc4 ... 0xc6:
		return 1;
	}
	return -1;
}

/* Scan up to six instructions at pc for memory operands based on %rax (or a register %rax was
 * copied into) and store the displacements of up to max of them in disp[]; returns how many.
 * A compare or test of such an operand does not end the scan, nor does a conditional jump (the
 * fall-through path is followed): GCC 16 tests a thread_local's init guard and reads the variable
 * through one local-dynamic lookup (`cmpb $0,0(%rax); je ...; mov 0x8(%rax),%rax`). Any other use
 * of the operand ends it, and so does anything not understood. Async-signal-safe. */
static int decode_rax_disp(const unsigned char *pc, long *disp, int max)
{
	int alias = -1, n, nd = 0;
	for (n = 0; n < 6; n++) {
		int rex = 0, opsize16 = 0, two = 0, imm, mod, reg, rm, base, len, is_cmp;
		unsigned char op, modrm;
		const unsigned char *p = pc;
		long d = 0;
		while (*p == 0x66 || *p == 0xf2 || *p == 0xf3 || *p == 0x2e || *p == 0x3e || *p == 0x26 ||
		       *p == 0x64 || *p == 0x65 || *p == 0x36 || *p == 0xf0) {
			if (*p == 0x66)
				opsize16 = 1;
			p++;
		}
		if ((*p & 0xf0) == 0x40)
			rex = *p++;
		op = *p++;
		if (op >= 0x70 && op <= 0x7f) { /* jcc rel8: fall through */
			pc = p + 1;
			continue;
		}
		if (op == 0x0f) {
			two = 1;
			op = *p++;
			if (op >= 0x80 && op <= 0x8f) { /* jcc rel32: fall through */
				pc = p + 4;
				continue;
			}
			imm = imm_two(op);
		} else {
			imm = imm_one(op, (*p >> 3) & 7, opsize16);
		}
		if (imm < 0)
			return nd;
		modrm = *p++;
		mod = modrm >> 6;
		reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
		rm = (modrm & 7) | ((rex & 1) << 3);
		if (mod == 3) {
			/* mov %rax,%reg keeps the pointer in another register */
			if (!two && op == 0x89 && reg == RAX && (rex & 8))
				alias = rm;
			else if (rm == RAX || (alias >= 0 && rm == alias))
				return nd; /* overwritten */
			pc = p + imm;
			continue;
		}
		base = rm;
		if ((modrm & 7) == 4) { /* SIB */
			unsigned char sib = *p++;
			base = (sib & 7) | ((rex & 1) << 3);
			if ((sib & 7) == 5 && mod == 0)
				base = -1, d = *(const int32_t *)p, p += 4;
		} else if ((modrm & 7) == 5 && mod == 0) {
			base = -1, p += 4; /* rip-relative */
		}
		if (mod == 1)
			d = *(const int8_t *)p, p += 1;
		else if (mod == 2)
			d = *(const int32_t *)p, p += 4;
		len = (int)(p - pc) + imm;
		if (base == RAX || (alias >= 0 && base == alias)) {
			/* cmp r/m,imm (80/81/83 /7), cmp r/m,reg and reg,r/m (38-3b), test (84, 85, f6 /0, f7 /0) */
			is_cmp = !two && (((op == 0x80 || op == 0x81 || op == 0x83) && (reg & 7) == 7) ||
					  (op >= 0x38 && op <= 0x3b) || op == 0x84 || op == 0x85 ||
					  ((op == 0xf6 || op == 0xf7) && (reg & 7) == 0));
			if (nd < max)
				disp[nd++] = d;
			if (!is_cmp || nd == max)
				return nd;
			pc += len;
			continue;
		}
		/* a load into %rax from elsewhere ends the trail */
		if (reg == RAX && !two && (op == 0x8b || op == 0x8d || op == 0x03 || op == 0x33))
			return nd;
		pc += len;
	}
	return nd;
}

struct uad {
	struct tls_rec *r;
	uintptr_t site;
	const char *how;
};

/* the uad line; ips[0, n) the backtrace from the access site on, py the Python state */
static void uad_line(const struct uad *u, const uintptr_t *ips, int n, char py)
{
	struct tline l;
	struct tls_rec *r = u->r;
	routine_before_finding();
	tl_begin_py(&l, "uad", py);
	tl_dec(&l, r->seq);
	tl_hex(&l, (uintptr_t)r->obj);
	tl_tls_place(&l, r);
	tl_dec(&l, (long long)(now_ns() - r->destroyed_ns));
	tl_code(&l, u->site);
	tl_word(&l, u->how);
	tl_frames(&l, ips, n > cfg.bt_depth ? cfg.bt_depth : n);
	tl_end(&l);
	py_trace_traceback("uad_py", py, 0);
}

/* on a shim stack (stacks.c): the unwinding */
static void uad_deep(void *p)
{
	const struct uad *u = p;
	uintptr_t ips[64];
	int i, n, first = 0;
	/* the whole stack (up to 64) to tell the Python state, the first bt_depth frames recorded */
	n = unwind_here(ips, 64);
	for (i = 0; i < n; i++)
		if (ips[i] == u->site) {
			first = i; /* drop our own frames: start at the access site */
			break;
		}
	if (i == n)
		first = n > 2 ? 2 : 0;
	uad_line(u, ips + first, n - first, py_state_at(ips + first, n - first));
}

static void report_uad(struct tls_rec *r, uintptr_t site, const char *how)
{
	struct uad u = {r, site, how};
	int i;

	for (i = 0; i < TLS_SITES && r->site[i]; i++) {
		if (r->site[i] == site) {
			r->site_hits[i]++;
			return; /* reported once per (object, site): counted from here on */
		}
	}
	if (i == TLS_SITES) {
		r->other_hits++;
		return;
	}
	r->site[i] = site;
	r->site_hits[i] = 1;

	modules_sync();
	if (!shim_stack_run(uad_deep, &u))
		uad_line(&u, NULL, 0, py_state()); /* no stack free: no backtrace */
}

COLD_TEXT void *tlstrace_tga_slow(struct tls_index *ti, uintptr_t site)
{
	int saved, was_allocated = 1, exact = 0;
	struct tls_rec *r = NULL;
	const char *how = "gd";
	long disp[2];
	void *p;

	if (ts.in_shim || ts.in_crash || atomic_load_explicit(&shim_active, memory_order_relaxed) != 1)
		return real_tga(ti);
	saved = errno;
	ts.in_shim = 1;
	if (ts.teardown)
		was_allocated = tls_dtv_allocated(ti->module);
	p = real_tga(ti);
	if (!was_allocated && tls_dtv_allocated(ti->module)) {
		struct tline l;
		struct module *m = module_by_tls_modid(ti->module);
		modules_sync();
		routine_before_finding();
		tl_begin(&l, "tls_late_alloc");
		if (m)
			tl_dec(&l, m->id);
		else
			tl_word(&l, "-");
		tl_code(&l, site);
		tl_end(&l);
	}
	if (ts.destroyed) {
		int nd = decode_rax_disp((const unsigned char *)site, disp, 2), k, decoded = 0;
		for (k = 0; k < nd && !r; k++) {
			if (disp[k] >= 0) {
				decoded = 1;
				r = tls_destroyed_at(ti->module, ti->offset + (size_t)disp[k], &exact);
			}
		}
		if (decoded) {
			how = ti->offset ? "gd" : "ld";
		} else if (ti->offset) {
			r = tls_destroyed_at(ti->module, ti->offset, &exact);
		} else if ((r = tls_destroyed_at(ti->module, 0, &exact)) == NULL &&
			   tls_module_has_destroyed(ti->module)) {
			/* an undecoded local-dynamic lookup into a module with destroyed objects:
			 * name the most recently destroyed one, as a possibility */
			for (r = ts.destroyed; r && r->tls_modid != ti->module; r = r->next_destroyed)
				;
			how = "ld?";
		}
		if (r)
			report_uad(r, site, how);
	}
	ts.in_shim = 0;
	errno = saved;
	return p;
}

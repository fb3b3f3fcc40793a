/* symbolize.c - code addresses to names, offline, with elfutils libdw: the trace gives each
 * module's path and build-id and each address as an offset from the module's load base, which is
 * the ELF virtual address libdw expects for a module reported at its file addresses. Function
 * names come from the symbol tables (.symtab, else .dynsym), file:line from DWARF (the file's own
 * or separate debug info found by build-id under /usr/lib/debug). If the file on disk no longer has
 * the build-id the trace recorded, it is not used. Falls back to symbol+offset, then
 * module+offset.
 *
 * A trace is input, and the paths in it may name anything: a FIFO (whose open blocks), a device
 * (whose open may act: a tape, a watchdog), /proc files. Every file read here is opened by
 * open_regular, which never opens anything but a regular file of at least an ELF header's size;
 * libdw is given the descriptor and never opens a path of its own (our find_debuginfo). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_PATH */
#endif
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"


struct symfile {
	char *path, *buildid;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	int usable;
	struct symfile *next;
};

struct symcache {
	const struct symfile *sf;
	uint64_t off;
	int is_return;
	int ok;
	struct symres res;
};

static struct symfile *files;
static struct symcache *cache;
static size_t cache_cap, cache_n;
/* A descriptor (O_RDONLY, O_CLOEXEC) for path if it is a regular file of at least 64 bytes (an
 * ELF header; /proc files say 0), else -1 with errno set. The file is first looked at through an
 * O_PATH descriptor, which opens nothing (no FIFO wait, no device driver's open), and only a
 * regular file is then opened, through /proc/self/fd: the same inode, whatever happens to the
 * path meanwhile. Without /proc: stat, then an O_NONBLOCK open checked again with fstat. */
static int open_regular(const char *path)
{
	struct stat st;
	char self[64];
	int pfd, fd;
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 64) {
		close(pfd);
		errno = EINVAL;
		return -1;
	}
	snprintf(self, sizeof self, "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 && errno == ENOENT)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	close(pfd);
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* libdw's find_debuginfo, opening only what open_regular allows: the separate debug file named
 * by the module's build-id under /usr/lib/debug/.build-id, and for a dwz alternate file (asked
 * with a CRC of 0) its absolute path. Returns a descriptor libdw takes, or -1 (none: libdw then
 * uses the module's own DWARF, if any). */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink, GElf_Word crc, char **found)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	char path[4200];
	int n, i, k, fd;
	(void)userdata, (void)modname, (void)base, (void)file_name;
	if (debuglink && crc == 0 && debuglink[0] == '/') {
		fd = open_regular(debuglink);
		if (fd >= 0)
			*found = xstrdup(debuglink);
		return fd;
	}
	n = dwfl_module_build_id(mod, &bits, &vaddr);
	if (n < 2)
		return -1;
	k = snprintf(path, sizeof path, "/usr/lib/debug/.build-id/%02x/", bits[0]);
	for (i = 1; i < n; i++)
		k += snprintf(path + k, sizeof path - (size_t)k, "%02x", bits[i]);
	snprintf(path + k, sizeof path - (size_t)k, ".debug");
	fd = open_regular(path);
	if (fd < 0) {
		/* debuginfod's client cache (debuginfod-find, gdb, elfutils): $DEBUGINFOD_CACHE_PATH,
		 * else $XDG_CACHE_HOME/debuginfod_client, else ~/.cache/debuginfod_client; the file is
		 * <build-id hex>/debuginfo (elfutils debuginfod/debuginfod-client.c). Only read, never
		 * asked for over the network. */
		const char *env = getenv("DEBUGINFOD_CACHE_PATH"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
		char hex[2 * 64 + 1];
		for (i = 0; i < n && i < 64; i++)
			snprintf(hex + 2 * i, 3, "%02x", bits[i]);
		if (env && *env)
			snprintf(path, sizeof path, "%s/%s/debuginfo", env, hex);
		else if (xdg && *xdg)
			snprintf(path, sizeof path, "%s/debuginfod_client/%s/debuginfo", xdg, hex);
		else if (home && *home)
			snprintf(path, sizeof path, "%s/.cache/debuginfod_client/%s/debuginfo", home, hex);
		else
			return -1;
		fd = open_regular(path);
	}
	if (fd >= 0)
		*found = xstrdup(path);
	return fd;
}

/* never asked for: every module is reported with its descriptor */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base, char **file_name,
		    Elf **elfp)
{
	(void)mod, (void)userdata, (void)modname, (void)base, (void)file_name, (void)elfp;
	return -1;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

void sym_init(void) {}

static int same_buildid(Dwfl_Module *mod, const char *hex)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n, i;
	if (!hex)
		return 1;
	n = dwfl_module_build_id(mod, &bits, &vaddr);
	if (n <= 0)
		return 1; /* the file has none: nothing to compare */
	if ((size_t)n * 2 != strlen(hex))
		return 0;
	for (i = 0; i < n; i++) {
		char b[3];
		snprintf(b, sizeof b, "%02x", bits[i]);
		if (b[0] != hex[2 * i] || b[1] != hex[2 * i + 1])
			return 0;
	}
	return 1;
}

static struct symfile *symfile_get(const struct module *m)
{
	struct symfile *sf;
	int fd;
	for (sf = files; sf; sf = sf->next)
		if (!strcmp(sf->path, m->path) && !strcmp(sf->buildid ? sf->buildid : "", m->buildid ? m->buildid : ""))
			return sf;
	sf = xmalloc(sizeof *sf);
	memset(sf, 0, sizeof *sf);
	sf->path = xstrdup(m->path);
	sf->buildid = m->buildid ? xstrdup(m->buildid) : NULL;
	sf->next = files;
	files = sf;
	if (m->path[0] != '/')
		return sf; /* the vdso and such: no file */
	fd = open_regular(m->path);
	if (fd < 0)
		return sf; /* missing, or not a regular file: like missing */
	sf->dwfl = dwfl_begin(&callbacks);
	if (!sf->dwfl) {
		close(fd);
		return sf;
	}
	dwfl_report_begin(sf->dwfl);
	sf->mod = dwfl_report_elf(sf->dwfl, base_name(m->path), m->path, fd, 0, true); /* takes fd if it succeeds */
	dwfl_report_end(sf->dwfl, NULL, NULL);
	if (!sf->mod) {
		close(fd);
		return sf;
	}
	/* make sure the main ELF is loaded before asking for its build-id */
	{
		GElf_Addr bias;
		if (!dwfl_module_getelf(sf->mod, &bias))
			return sf;
	}
	if (!same_buildid(sf->mod, m->buildid)) {
		if (!opt.quiet)
			fprintf(stderr, "tlstrace-report: %s changed since the trace was written (build-id differs); not symbolized\n", m->path);
		return sf;
	}
	sf->usable = 1;
	return sf;
}

static size_t hash(const struct symfile *sf, uint64_t off, int r)
{
	uint64_t h = (uint64_t)(uintptr_t)sf * 0x9e3779b97f4a7c15ull ^ off * 0xff51afd7ed558ccdull ^ (uint64_t)r;
	return (size_t)(h ^ (h >> 29));
}

static struct symcache *cache_slot(const struct symfile *sf, uint64_t off, int r, int *found)
{
	size_t i;
	if (cache_n * 2 >= cache_cap) {
		struct symcache *old = cache;
		size_t oldcap = cache_cap, k;
		cache_cap = cache_cap ? cache_cap * 2 : 1024;
		cache = xmalloc(cache_cap * sizeof *cache);
		memset(cache, 0, cache_cap * sizeof *cache);
		cache_n = 0;
		for (k = 0; k < oldcap; k++)
			if (old[k].sf) {
				int f;
				*cache_slot(old[k].sf, old[k].off, old[k].is_return, &f) = old[k];
			}
		free(old);
	}
	for (i = hash(sf, off, r) & (cache_cap - 1); cache[i].sf; i = (i + 1) & (cache_cap - 1))
		if (cache[i].sf == sf && cache[i].off == off && cache[i].is_return == r) {
			*found = 1;
			return &cache[i];
		}
	*found = 0;
	cache_n++;
	cache[i].sf = sf;
	cache[i].off = off;
	cache[i].is_return = r;
	return &cache[i];
}

/* A return address points after the call: look up the byte before it. */
/* A source file of the system's, not the program's: a C/C++ library header (libstdc++'s
 * <bits/invoke.h>, glibc's), whose inlined functions are not what a reader looks for */
static int system_source(const char *file)
{
	return file && (!strncmp(file, "/usr/include/", 13) || !strncmp(file, "/usr/lib/gcc/", 13) ||
			strstr(file, "/include/c++/"));
}

/* The name of a function's DIE (a subprogram or an inlined instance: through its abstract origin
 * and specification), demangled from its linkage name where it has one ("Logger::link_to_db()::
 * {lambda()#1}::operator()() const"), else its DW_AT_name; malloc'd, NULL if none */
static char *die_function_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	Dwarf_Die d = *die, next;
	const char *nm = NULL;
	for (int hops = 0; hops < 4; hops++) { /* (an instance -> its abstract -> its declaration) */
		const char *ln = dwarf_formstring(dwarf_attr(&d, DW_AT_linkage_name, &a));
		if (!ln)
			ln = dwarf_formstring(dwarf_attr(&d, DW_AT_MIPS_linkage_name, &a));
		if (ln)
			return demangled(ln);
		if (!nm)
			nm = dwarf_diename(&d);
		if (!((dwarf_attr(&d, DW_AT_abstract_origin, &a) || dwarf_attr(&d, DW_AT_specification, &a)) &&
		      dwarf_formref_die(&a, &next)))
			break;
		d = next;
	}
	if (!nm)
		return NULL;
	{
		/* (no linkage name: a lambda in main has none; qualified by its DIE's enclosing
		 * functions, classes and namespaces: "main::<lambda()>::operator()") */
		Dwarf_Die *sc = NULL;
		int ns = dwarf_getscopes_die(&d, &sc);
		char *q = xstrdup(nm), *t;
		for (int i = 1; i < ns; i++) {
			int tag = dwarf_tag(&sc[i]);
			const char *pn = dwarf_diename(&sc[i]);
			if (!pn && (tag == DW_TAG_class_type || tag == DW_TAG_structure_type)) /* (a closure type is unnamed) */
				pn = "<lambda>";
			if (!pn || (tag != DW_TAG_subprogram && tag != DW_TAG_class_type && tag != DW_TAG_structure_type &&
				    tag != DW_TAG_namespace))
				continue;
			t = xasprintf("%s::%s", pn, q);
			free(q);
			q = t;
		}
		free(sc);
		return q;
	}
}

/* For addr (a file address of sf; its own line file:line already in res) inside inlined code:
 * res->call_file/call_line, the call site of the outermost DW_TAG_inlined_subroutine enclosing it
 * (a line of the function it was inlined into: the symbol's), res->inlined, the name of the
 * function inlined at the innermost level, and res->prog_func/prog_file/prog_line, the innermost
 * of those functions written in the program's own source (not a system header's: a std::thread's
 * lambda, inlined into libstdc++'s _M_run through std::__invoke) and the line in it (malloc'd name,
 * kept by the cache; NULL where that is the symbol's function itself). The concrete chain of
 * scopes is dwarf_getscopes_die's of the innermost instance (dwarf_getscopes alone gives, past
 * the innermost inlined instance, the scopes of its abstract definition: eu-addr2line -i does the
 * same). Nothing if there is no debug info. */
static void inline_site(const struct symfile *sf, uint64_t addr, struct symres *res)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(sf->mod, addr, &bias), *scopes = NULL, *chain = NULL;
	Dwarf_Files *files;
	size_t nfiles = 0;
	int n, i, k, outer = -1, have_files, settled = 0;
	const char *file;
	int line;
	if (!cu)
		return;
	n = dwarf_getscopes(cu, addr - bias, &scopes);
	for (i = 0; i < n && dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			i = n;
	if (i >= n) { /* (not in inlined code) */
		free(scopes);
		return;
	}
	{
		Dwarf_Die inner = scopes[i];
		free(scopes);
		n = dwarf_getscopes_die(&inner, &chain);
	}
	have_files = dwarf_getsrcfiles(cu, &files, &nfiles) == 0;
	file = res->file;
	line = res->line;
	for (k = 0; k < n; k++) {
		int tag = dwarf_tag(&chain[k]);
		Dwarf_Attribute a;
		Dwarf_Word fi = 0, ln = 0;
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		if (!res->inlined && tag == DW_TAG_inlined_subroutine) {
			Dwarf_Die origin;
			const char *nm = dwarf_diename(&chain[k]);
			if (!nm && dwarf_attr(&chain[k], DW_AT_abstract_origin, &a) && dwarf_formref_die(&a, &origin))
				nm = dwarf_diename(&origin);
			res->inlined = nm;
		}
		/* (file:line is where the code of this function is: the address's for the innermost,
		 * else the call site the inner instance records) */
		if (!settled && file && !system_source(file)) {
			settled = 1; /* (the symbol's own function, a subprogram: nothing to add) */
			if (tag == DW_TAG_inlined_subroutine && (res->prog_func = die_function_name(&chain[k])) != NULL) {
				res->prog_file = file;
				res->prog_line = line;
			}
		}
		if (tag == DW_TAG_subprogram)
			break;
		outer = k;
		file = NULL;
		line = 0;
		if (have_files && dwarf_formudata(dwarf_attr(&chain[k], DW_AT_call_file, &a), &fi) == 0 &&
		    dwarf_formudata(dwarf_attr(&chain[k], DW_AT_call_line, &a), &ln) == 0 && fi < nfiles && ln > 0) {
			file = dwarf_filesrc(files, fi, NULL, NULL);
			line = (int)ln;
		}
	}
	if (outer >= 0 && file) { /* (the call site in the subprogram) */
		res->call_file = file;
		res->call_line = line;
	}
	free(chain);
}

/* The code of a function symbolized by file address start, size bytes; NULL if not in the file. */
static const unsigned char *func_code(const struct symfile *sf, uint64_t start, uint64_t size)
{
	GElf_Addr a = start, bias = 0;
	GElf_Shdr sh;
	Elf_Data *d;
	Elf_Scn *scn = dwfl_module_address_section(sf->mod, &a, &bias);
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(d = elf_getdata(scn, NULL)) ||
	    !d->d_buf || a + size > d->d_size)
		return NULL;
	return (const unsigned char *)d->d_buf + a;
}

/* Whether code (size bytes at file address start) has a jmp or jcc with a 32-bit displacement
 * (x86-64: e9 rel32, 0f 8x rel32) whose target is in [lo, hi). Every byte is tried as an opcode, as
 * sym_func_refers does: a false match needs the opcode bytes and a displacement landing in a part
 * of a few hundred bytes. */
static int branches_into(const unsigned char *code, uint64_t start, uint64_t size, uint64_t lo, uint64_t hi)
{
	uint64_t i;
	for (i = 0; i + 5 <= size; i++) {
		int32_t rel;
		uint64_t next;
		if (code[i] == 0xe9) {
			next = i + 5;
			memcpy(&rel, code + i + 1, 4);
		} else if (code[i] == 0x0f && (code[i + 1] & 0xf0) == 0x80 && i + 6 <= size) {
			next = i + 6;
			memcpy(&rel, code + i + 2, 4);
		} else {
			continue;
		}
		if (start + next + (uint64_t)(int64_t)rel >= lo && start + next + (uint64_t)(int64_t)rel < hi)
			return 1;
	}
	return 0;
}

/* The start of the .eh_frame FDE that covers file address addr (the function or part it is in), from
 * the sorted table of .eh_frame_hdr (version 1, its entries datarel sdata4 as GCC and ld write
 * them on x86-64); 0 if the file has none of that form. dwarf_frame_info gives the range of one
 * row of the CFI only, not the FDE's. */
static uint64_t fde_start(const struct symfile *sf, uint64_t addr)
{
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(sf->mod, &bias);
	Elf_Scn *scn = NULL;
	size_t shstr;
	if (!elf || elf_getshdrstrndx(elf, &shstr) != 0)
		return 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;
		const unsigned char *b;
		uint32_t count;
		size_t lo = 0, hi;
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstr, sh.sh_name)) || strcmp(name, ".eh_frame_hdr"))
			continue;
		if (!(d = elf_getdata(scn, NULL)) || d->d_size < 12 || !(b = d->d_buf) || b[0] != 1 || b[2] != 0x03 ||
		    b[3] != 0x3b)
			return 0; /* (fde_count udata4, table datarel sdata4) */
		memcpy(&count, b + 8, 4);
		if (12 + (uint64_t)count * 8 > d->d_size)
			return 0;
		hi = count;
		while (lo < hi) { /* the last entry whose start is <= addr */
			size_t mid = (lo + hi) / 2;
			int32_t loc;
			memcpy(&loc, b + 12 + mid * 8, 4);
			if (sh.sh_addr + (uint64_t)(int64_t)loc <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!lo)
			return 0;
		{
			int32_t loc;
			memcpy(&loc, b + 12 + (lo - 1) * 8, 4);
			return sh.sh_addr + (uint64_t)(int64_t)loc;
		}
	}
	return 0;
}

/* 1 if code (size bytes at file address at) is only a jump to target: `endbr64; jmp rel32` or the
 * jmp alone, a function whose body is a tail call */
static int tail_jump_to(const unsigned char *code, uint64_t at, uint64_t size, uint64_t target)
{
	size_t k = size >= 9 && code[0] == 0xf3 && code[1] == 0x0f && code[2] == 0x1e && code[3] == 0xfa ? 4 : 0;
	int32_t rel;
	if (size < k + 5 || size > 16 || code[k] != 0xe9)
		return 0;
	memcpy(&rel, code + k + 1, 4);
	return at + k + 5 + (uint64_t)(int64_t)rel == target;
}

/* An address no symbol holds may be in a part GCC split off a function into .text.unlikely (code
 * it takes for rarely run: an error path), named "f.cold" only in .symtab, which Debian strips
 * (python3's PyGILState_Ensure.cold). Its own FDE in .eh_frame bounds the part; the function it
 * belongs to is the one whose code branches into it. Named "f.cold", with *off from the part's
 * start, when exactly one function of the symbol table does (aliases at one address count once),
 * as .symtab would name it; else NULL. Checked on python3 3.11 against its disassembly (t166).
 * Or it is in a static function that an exported one's body only jumps to (tail_jump_to): Debian
 * trixie's python3.13 and sid's 3.14 build Py_FinalizeEx (and Py_Finalize) as a jump to the static
 * _Py_Finalize (3.13's Python/pylifecycle.c), where every frame of its finalization lies: named
 * "_Py_Finalize (Py_FinalizeEx's body)" (CPython's name for it), "F's body" for another F. */
static char *cold_part_name(const struct symfile *sf, uint64_t addr, GElf_Off *off)
{
	Dwarf_Addr bias = 0, lo = 0, hi = 0;
	Dwarf_CFI *cfi = dwfl_module_eh_cfi(sf->mod, &bias);
	Dwarf_Frame *frame = NULL;
	const char *found = NULL, *tail = NULL;
	const unsigned char *part;
	GElf_Addr found_at = 0, found_size = 0;
	int n, i, entry_like, twice = 0;
	uint64_t fs;
	if (!cfi || dwarf_cfi_addrframe(cfi, addr - bias, &frame) != 0 || !frame)
		return NULL;
	fs = fde_start(sf, addr - bias);
	fs = fs ? fs + bias : 0;
	if (dwarf_frame_info(frame, &lo, &hi, NULL) < 0 || hi <= lo || hi - lo > (1u << 20)) {
		free(frame);
		return NULL;
	}
	free(frame);
	/* a function's own first instruction has the CFA at rsp+8 (only the return address pushed);
	 * a cold part starts inside its function's frame, or, when the function had pushed nothing
	 * yet, jumps back into it (below). A static function reached by a tail call (a jmp too)
	 * does neither: not named. */
	frame = NULL;
	if (dwarf_cfi_addrframe(cfi, lo, &frame) != 0 || !frame)
		return NULL;
	{
		Dwarf_Op *ops = NULL;
		size_t nops = 0;
		entry_like = dwarf_frame_cfa(frame, &ops, &nops) != 0 ||
			     (nops == 1 && ops[0].atom == DW_OP_bregx && ops[0].number == 7 && ops[0].number2 == 8) ||
			     (nops == 1 && ops[0].atom == DW_OP_breg7 && ops[0].number == 8);
		free(frame);
	}
	lo += bias;
	hi += bias;
	n = dwfl_module_getsymtab(sf->mod);
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr at;
		const char *name = dwfl_module_getsym_info(sf->mod, i, &sym, &at, NULL, NULL, NULL);
		const unsigned char *code;
		if (!name || GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_size || (at >= lo && at < hi) ||
		    !(code = func_code(sf, at, sym.st_size)))
			continue;
		if (fs && tail_jump_to(code, at, sym.st_size, fs) && (!tail || !strcmp(name, "Py_FinalizeEx")))
			tail = name;
		if (!branches_into(code, at, sym.st_size, lo, hi))
			continue;
		if (found && at != found_at)
			twice = 1; /* two functions lead there: not one's part */
		else if (!found) {
			found = name;
			found_at = at;
			found_size = sym.st_size;
		}
	}
	if (tail) {
		*off = addr - fs;
		return !strcmp(tail, "Py_FinalizeEx") ? xstrdup("_Py_Finalize (Py_FinalizeEx's body)")
						      : xasprintf("%s's body", tail);
	}
	*off = addr - lo;
	if (!found || twice || (entry_like && (!(part = func_code(sf, lo, hi - lo)) ||
					       !branches_into(part, lo, hi - lo, found_at, found_at + found_size))))
		return NULL;
	{
		char *d = demangled(found), *r = xasprintf("%s.cold", d);
		free(d);
		return r;
	}
}

int sym_lookup(const struct code *c, int is_return, struct symres *out)
{
	struct symfile *sf;
	struct symcache *slot;
	GElf_Off off;
	GElf_Sym sym;
	Dwfl_Line *line;
	const char *name;
	uint64_t addr;
	int found;

	memset(out, 0, sizeof *out);
	if (!opt.symbols || !c->mod || !c->mod->path)
		return -1;
	sf = symfile_get(c->mod);
	if (!sf->usable)
		return -1;
	slot = cache_slot(sf, c->off, is_return, &found);
	if (found) {
		*out = slot->res;
		return slot->ok ? 0 : -1;
	}
	addr = c->off - (is_return && c->off ? 1 : 0);
	name = dwfl_module_addrinfo(sf->mod, addr, &off, &sym, NULL, NULL, NULL);
	if (!name && addr != c->off && (name = dwfl_module_addrinfo(sf->mod, c->off, &off, &sym, NULL, NULL, NULL)))
		addr = c->off; /* a signal frame's "return address" is the restorer's first byte (glibc's
				* __restore_rt, a symbol of size 0): no call before it */
	if (name) {
		slot->res.func = demangled(name);
		slot->res.funcoff = off + (addr != c->off);
	} else if ((slot->res.func = cold_part_name(sf, addr, &off)) != NULL) {
		slot->res.funcoff = off + (addr != c->off);
	}
	line = dwfl_module_getsrc(sf->mod, addr);
	if (line) {
		int lineno = 0;
		const char *file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
		if (file && lineno > 0) {
			slot->res.file = file;
			slot->res.line = lineno;
			inline_site(sf, addr, &slot->res);
			if (slot->res.prog_func && is_system_module(c->mod)) {
				/* (a system library's own inlined functions, glibc's futex_wait in
				 * __lll_lock_wait: not the program's, and its frame's symbol says enough) */
				free((char *)slot->res.prog_func);
				slot->res.prog_func = NULL;
			}
		}
	}
	slot->ok = slot->res.func || slot->res.file;
	*out = slot->res;
	return slot->ok ? 0 : -1;
}

const char *sym_func(const struct code *c)
{
	struct symres s;
	return sym_lookup(c, 0, &s) == 0 ? s.func : NULL;
}

/* "func+0x1c (file.cc:14) in module" / "func+0x1c (file.h:9, inlined into file.cc:14) in module" /
 * "module+0x120c" / "0x7f..." */
void sym_describe(const struct code *c, int is_return, char *buf, size_t n)
{
	struct symres s;
	size_t k = 0;
	if (sym_lookup(c, is_return, &s) == 0 && s.func && s.prog_func) {
		/* (the program's function inlined there first: a std::thread's lambda, then libstdc++'s
		 * _M_run it was inlined into) */
		k = (size_t)snprintf(buf, n, "%s (%s:%d), inlined into %s+0x%llx", s.prog_func, base_name(s.prog_file),
				     s.prog_line, s.func, (unsigned long long)s.funcoff);
		if (k < n && s.call_file)
			k += (size_t)snprintf(buf + k, n - k, " (%s:%d)", base_name(s.call_file), s.call_line);
		if (k < n && c->mod)
			snprintf(buf + k, n - k, " in %s", base_name(c->mod->path));
		return;
	} else if (s.func)
		k = (size_t)snprintf(buf, n, "%s+0x%llx", s.func, (unsigned long long)s.funcoff);
	else if (c->mod)
		k = (size_t)snprintf(buf, n, "%s+0x%llx", base_name(c->mod->path), (unsigned long long)c->off);
	else
		k = (size_t)snprintf(buf, n, "0x%llx", (unsigned long long)c->off);
	if (k < n && s.file && s.call_file)
		/* no inlined function's name: "note inlined at" read as a note, and the innermost name
		 * with the outermost call site was wrong for nested inlining */
		k += (size_t)snprintf(buf + k, n - k, " (%s:%d, inlined into %s:%d)", base_name(s.file), s.line,
				      base_name(s.call_file), s.call_line);
	else if (k < n && s.file)
		k += (size_t)snprintf(buf + k, n - k, " (%s:%d)", base_name(s.file), s.line);
	if (k < n && s.func && c->mod)
		snprintf(buf + k, n - k, " in %s", base_name(c->mod->path));
}

/* The file's address span [0, *end) (its PT_LOAD segments, file addresses = offsets from the load
 * base); -1 when the file cannot be read or changed since the trace (never under --no-symbols). */
int sym_module_span(const struct module *m, uint64_t *end)
{
	struct symfile *sf;
	Dwarf_Addr lo = 0, hi = 0;
	if (!opt.symbols || !m || !m->path)
		return -1;
	sf = symfile_get(m);
	if (!sf->usable || !dwfl_module_info(sf->mod, NULL, &lo, &hi, NULL, NULL, NULL, NULL) || hi <= lo)
		return -1;
	*end = hi;
	return 0;
}

/* 1 if module m's file was read (not under --no-symbols, same build-id) and neither it nor a
 * debug file for it (/usr/lib/debug/.build-id, debuginfod's cache) has a symbol table (.symtab):
 * its static functions have no names (Debian's python3: CPython's signal_handler). 0 otherwise. */
int sym_module_stripped(const struct module *m)
{
	struct symfile *sf;
	GElf_Addr bias;
	Elf *elf;
	Elf_Scn *scn = NULL;
	const char *debugfile = NULL;
	if (!opt.symbols || !m || !m->path)
		return 0;
	sf = symfile_get(m);
	if (!sf->usable || !(elf = dwfl_module_getelf(sf->mod, &bias)))
		return 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			return 0;
	}
	dwfl_module_getsymtab(sf->mod); /* (looks for the debug file's table) */
	dwfl_module_info(sf->mod, NULL, NULL, NULL, NULL, NULL, NULL, &debugfile);
	return debugfile == NULL;
}

/* 1 if module m's symbol table has a symbol named name (as written, not demangled), 0 if not or
 * the file cannot be read (never under --no-symbols). A walk of the table: for a few asks per
 * report (diag_keys.c: does a program hold a sanitizer's runtime, linked in statically) */
int sym_module_defines(const struct module *m, const char *name)
{
	struct symfile *sf;
	int i, n;
	if (!opt.symbols || !m || !m->path)
		return 0;
	sf = symfile_get(m);
	if (!sf->usable || (n = dwfl_module_getsymtab(sf->mod)) <= 0)
		return 0;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *nm = dwfl_module_getsym(sf->mod, i, &sym, NULL);
		if (nm && sym.st_shndx != SHN_UNDEF && !strcmp(nm, name))
			return 1;
	}
	return 0;
}

/* The data symbol (a static object: STT_OBJECT) holding c, its offset in it and its size; NULL if
 * none. The name is demangled, malloc'd. */
char *sym_data(const struct code *c, uint64_t *off, uint64_t *size)
{
	struct symfile *sf;
	GElf_Off o;
	GElf_Sym sym;
	const char *name;
	if (!opt.symbols || !c->mod || !c->mod->path)
		return NULL;
	sf = symfile_get(c->mod);
	if (!sf->usable)
		return NULL;
	name = dwfl_module_addrinfo(sf->mod, c->off, &o, &sym, NULL, NULL, NULL);
	if (!name || GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
		return NULL;
	*off = o;
	*size = sym.st_size;
	return demangled(name);
}

/* Whether the function holding c refers to [lo, hi) of its own module (file addresses) through a
 * RIP-relative operand (x86-64: mov/lea/cmp disp32(%rip), the displacement the last 4 bytes of
 * the instruction): every 4-byte window of its code is tried as one. A heuristic that finds the
 * static objects a function reads directly; objects reached through a pointer or the GOT are not
 * seen. 1 yes, 0 no or unknown. */
int sym_func_refers(const struct code *c, uint64_t lo, uint64_t hi)
{
	struct symfile *sf;
	GElf_Off o;
	GElf_Sym sym;
	GElf_Addr a, bias = 0;
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;
	uint64_t i, start;
	if (!opt.symbols || !c->mod || !c->mod->path)
		return 0;
	sf = symfile_get(c->mod);
	if (!sf->usable || !dwfl_module_addrinfo(sf->mod, c->off, &o, &sym, NULL, NULL, NULL) || !sym.st_size)
		return 0;
	start = c->off - o;
	a = start;
	if (!(scn = dwfl_module_address_section(sf->mod, &a, &bias)) || !gelf_getshdr(scn, &sh) ||
	    !(d = elf_getdata(scn, NULL)) || !d->d_buf || a + sym.st_size > d->d_size)
		return 0;
	for (i = 0; i + 4 <= sym.st_size; i++) {
		int32_t disp;
		uint64_t target;
		memcpy(&disp, (const char *)d->d_buf + a + i, 4);
		target = start + i + 4 + (uint64_t)(int64_t)disp;
		if (target >= lo && target < hi)
			return 1;
	}
	return 0;
}

/* The name of the function a GOT slot (file address slot) of sf's module is relocated to: the
 * symbol of its R_X86_64_JUMP_SLOT or R_X86_64_GLOB_DAT relocation (.rela.plt, .rela.dyn); NULL
 * if none. Static storage (the file's string table). */
static const char *got_slot_symbol(const struct symfile *sf, uint64_t slot)
{
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(sf->mod, &bias);
	Elf_Scn *scn = NULL;
	while (elf && (scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh, symsh;
		Elf_Data *d, *syms;
		Elf_Scn *symscn;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !sh.sh_entsize || !(d = elf_getdata(scn, NULL)) ||
		    !(symscn = elf_getscn(elf, sh.sh_link)) || !gelf_getshdr(symscn, &symsh) ||
		    !(syms = elf_getdata(symscn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;
			GElf_Sym sym;
			if (!gelf_getrela(d, (int)i, &r) || r.r_offset != slot ||
			    (GELF_R_TYPE(r.r_info) != R_X86_64_JUMP_SLOT && GELF_R_TYPE(r.r_info) != R_X86_64_GLOB_DAT) ||
			    !gelf_getsym(syms, (int)GELF_R_SYM(r.r_info), &sym))
				continue;
			return elf_strptr(elf, symsh.sh_link, sym.st_name);
		}
	}
	return NULL;
}

/* The function code at file address at (size bytes, whole) jumps to as its last instruction (a
 * tail call: x86-64 `jmp rel32` to a PLT entry or a function of its own module, or `jmp
 * *disp32(%rip)` through the GOT, gcc's -fno-plt): the callee's name ("pthread_join", through
 * the PLT entry's or the instruction's GOT slot, got_slot_symbol; a function of the module by
 * its symbol); NULL if the code does not end in such a jump or the target has no name. A PLT
 * entry is `jmp *disp32(%rip)` at its start (.plt's lazy entries, .plt.got), or after endbr64,
 * with or without a bnd prefix (.plt.sec, -fcf-protection). Static storage. */
static const char *tail_callee(const struct symfile *sf, const unsigned char *code, uint64_t at, uint64_t size)
{
	uint64_t target;
	const unsigned char *t;
	int32_t rel;
	if (size >= 6 && code[size - 6] == 0xff && code[size - 5] == 0x25) {
		memcpy(&rel, code + size - 4, 4);
		return got_slot_symbol(sf, at + size + (uint64_t)(int64_t)rel);
	}
	if (size < 5 || code[size - 5] != 0xe9)
		return NULL;
	memcpy(&rel, code + size - 4, 4);
	target = at + size + (uint64_t)(int64_t)rel;
	if (target >= at && target < at + size)
		return NULL; /* a loop's jump back */
	if ((t = func_code(sf, target, 16)) != NULL) {
		size_t k = t[0] == 0xf3 && t[1] == 0x0f && t[2] == 0x1e && t[3] == 0xfa ? 4 : 0;
		k += t[k] == 0xf2; /* bnd */
		if (t[k] == 0xff && t[k + 1] == 0x25) {
			memcpy(&rel, t + k + 2, 4);
			return got_slot_symbol(sf, target + k + 6 + (uint64_t)(int64_t)rel);
		}
	}
	{
		GElf_Off o = 0;
		GElf_Sym sym;
		const char *name = dwfl_module_addrinfo(sf->mod, target, &o, &sym, NULL, NULL, NULL);
		return name && !o && GELF_ST_TYPE(sym.st_info) == STT_FUNC ? name : NULL;
	}
}

/* Module m's destructor functions (its .fini_array's entries, file addresses as the linker wrote
 * them: x86-64 GNU ld writes the value a RELATIVE relocation also sets) other than gcc's
 * __do_global_dtors_aux (crtbegin's, which ends in __cxa_finalize: the cxa_fin lines), at most
 * max into fns, and for each the function its code tail-calls (tail_callee) into callees (NULL if
 * none); their number, or -1 if the file cannot be read (never under --no-symbols). */
int sym_fini_functions(const struct module *m, uint64_t *fns, const char **callees, int max)
{
	struct symfile *sf;
	GElf_Addr bias = 0;
	Elf *elf;
	Elf_Scn *scn = NULL;
	int n = 0;
	if (!opt.symbols || !m || !m->path)
		return -1;
	sf = symfile_get(m);
	if (!sf->usable || !(elf = dwfl_module_getelf(sf->mod, &bias)))
		return -1;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_FINI_ARRAY || !(d = elf_getdata(scn, NULL)) || !d->d_buf)
			continue;
		for (size_t i = 0; i + 8 <= d->d_size && n < max; i += 8) {
			uint64_t fn;
			GElf_Off o = 0;
			GElf_Sym sym;
			const char *name;
			const unsigned char *code;
			memcpy(&fn, (const char *)d->d_buf + i, 8);
			name = fn ? dwfl_module_addrinfo(sf->mod, fn, &o, &sym, NULL, NULL, NULL) : NULL;
			if (!fn || (name && !strcmp(name, "__do_global_dtors_aux")))
				continue;
			fns[n] = fn;
			callees[n++] = name && !o && sym.st_size && (code = func_code(sf, fn, sym.st_size)) != NULL
					       ? tail_callee(sf, code, fn, sym.st_size) : NULL;
		}
	}
	return n;
}

void sym_finish(void)
{
	struct symfile *sf;
	for (sf = files; sf; sf = sf->next)
		if (sf->dwfl)
			dwfl_end(sf->dwfl);
}

/* The data object of p's modules that holds the absolute address addr (a mutex's futex word):
 * "log_lock" or "logger+0x40", or NULL (heap, stack, no symbol). Only inside a module's extent
 * as its ELF file lays it out (the heap begins right after a PIE's .bss). Static storage. */
const char *sym_data_at(const struct proc *p, uint64_t addr)
{
	static char buf[300];
	for (int i = 0; i < proc_nmods(p); i++) {
		const struct module *m = &proc_mods(p)[i];
		struct code c = {m, addr - m->base};
		uint64_t end, off, size;
		char *name;
		if (!m->loaded || addr < m->base || sym_module_span(m, &end) != 0 || c.off >= end)
			continue;
		if (!(name = sym_data(&c, &off, &size)))
			continue;
		if (off < size) {
			if (off)
				snprintf(buf, sizeof buf, "%s+0x%llx", name, (unsigned long long)off);
			else
				snprintf(buf, sizeof buf, "%s", name);
		}
		free(name);
		if (off < size)
			return buf;
	}
	return NULL;
}

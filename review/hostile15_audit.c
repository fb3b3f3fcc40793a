/* hostile15_audit.c: an rtld-audit module that binds every symbol through la_symbind64 and
 * la_x86_64_gnu_pltenter (PLT calls through _dl_runtime_profile). review/run-hostile15.sh */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
unsigned int la_version(unsigned int v) { return v; }
unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) { (void)map; (void)lmid; (void)cookie; return LA_FLG_BINDTO | LA_FLG_BINDFROM; }
uintptr_t la_symbind64(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook, unsigned int *flags, const char *symname)
{ (void)ndx; (void)refcook; (void)defcook; (void)flags; (void)symname; return sym->st_value; }
char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag) { (void)cookie; (void)flag; return (char *)name; }
void la_preinit(uintptr_t *cookie) { (void)cookie; }
Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook, La_x86_64_regs *regs, unsigned int *flags, const char *symname, long int *framesizep)
{ (void)ndx; (void)refcook; (void)defcook; (void)regs; (void)flags; (void)symname; *framesizep = 0; return sym->st_value; }

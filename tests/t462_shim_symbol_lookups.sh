#!/bin/bash
# t462: the symbols ld.so looks up for the shim at every process start (COST16). The shim is linked
# with -z now (no lazy binding: its first call of a function in a signal handler or on a 16 KiB
# thread stack would run ld.so's resolver there), so each symbol relocation is a lookup in the
# global scope at load: ~850 instructions each in python3 (callgrind: _dl_relocate_object with the
# shim against an empty preloaded library, +46,000 for 55 of them), and for libc's string functions
# (ifuncs) a resolver run as well. Gone: memcpy, memmove, memset and strlen (the shim's own,
# hidden: shim/str.c), getpid, getpgrp, close, write, pipe2 and sigpending (raw system calls,
# shim/sys.h). Before: 59 symbol relocations; now 49 (Debian 12's gcc 12; trixie's package build,
# gcc 14 with Debian's hardening flags, adds __stack_chk_fail and its unwinder's pthread_cond_*:
# the count is noted, not bounded).
. "$(dirname "$0")/lib.sh"
command -v readelf >/dev/null || skip "no readelf"
readelf -rW "$SHIM" | awk '$3 ~ /^R_X86_64_(GLOB_DAT|JUMP_SLOT|64)$/ { print $5 }' | sort >"$W/lookups"
n=$(wc -l <"$W/lookups")
note "$n symbol relocations: $(tr '\n' ' ' <"$W/lookups")"
# an ifunc of libc's: a lookup and a resolver run (and its page of libc's code to fault in)
for f in memcpy memmove memset strlen strcmp strchr memcmp; do
	grep -q "^$f\(@\|$\)" "$W/lookups" && fail "the shim imports libc's $f (an ifunc): $(tr '\n' ' ' <"$W/lookups")"
done
# plain system calls: sys.h's raw calls instead
for f in getpid getpgrp close write pipe2 sigpending read; do
	grep -q "^$f\(@\|$\)" "$W/lookups" && fail "the shim imports libc's $f (sys.h has it raw): $(tr '\n' ' ' <"$W/lookups")"
done
# and the program still gets libc's own: nothing of the shim's exported by these names
readelf --dyn-syms -W "$SHIM" | awk '$7 != "UND" { sub(/@.*/, "", $8); print $8 }' | grep -xE 'memcpy|memmove|memset|strlen' &&
	fail "libtlstrace.so exports its own string functions"
echo "ok"

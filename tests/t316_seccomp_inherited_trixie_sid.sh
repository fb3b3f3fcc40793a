#!/bin/bash
# parallel: chroot
# t316: t315 (python3 under a seccomp filter inherited across exec: the same outcome with and
# without the shim) and t314 (C programs) on Debian 13 "trixie", Python 3.13, and unstable "sid",
# Python 3.14, where the shim reads the interpreter's memory from the process's first event
# (python.c pyx_resolve): before the fix, under a filter killing process_vm_readv, python3 died
# by SIGSYS at its start. Runs in the releases' chroots (tests/lib.sh chroot_cases); skipped
# where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
for rel in trixie sid; do
	chroot_cases $rel t315 t314
	[ $RC = 0 ] || fail "cases failed in $rel: $(tail -5 "$W/chroot.log")"
	cp "$W/chroot.log" "$W/chroot-$rel.log"
done
exit 0

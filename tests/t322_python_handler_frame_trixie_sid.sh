#!/bin/bash
# t322: t321 (a Python SIGTERM handler named in the hang finding whatever code it interrupted:
# the shim finds the handler's frame) on Debian 13 "trixie", Python 3.13, and unstable "sid",
# Python 3.14, where the frame is found through the debug offsets (the entry frame CPython's eval
# loop pushes on the C stack). Runs in the releases' chroots (tests/lib.sh chroot_cases); skipped
# where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
for rel in trixie sid; do
	chroot_cases $rel t321
	[ $RC = 0 ] || fail "cases failed in $rel: $(tail -5 "$W/chroot.log")"
	cp "$W/chroot.log" "$W/chroot-$rel.log"
done
exit 0

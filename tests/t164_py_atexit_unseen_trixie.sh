#!/bin/bash
# parallel: chroot
# t164: t163 and t160 (Py_AtExit functions: registered from a constructor or through ctypes, read
# from the interpreter's list; registered through the shim) on Debian 13 "trixie", Python 3.13,
# where the list sits behind a mutex at another offset of _PyRuntime. Runs in the release's chroot
# (tests/lib.sh chroot_cases); skipped where there is none.
# timeout: 900
. "$(dirname "$0")/lib.sh"
chroot_cases trixie t160 t163
[ $RC = 0 ] || fail "cases failed in trixie"

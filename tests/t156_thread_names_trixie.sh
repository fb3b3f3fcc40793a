#!/bin/bash
# parallel: chroot
# t156: t157 (Python thread names in the hang snapshot and the threads alive at exit) and t121
# (field case h1: thread "poller" named in the hang's root cause) on Debian 13 "trixie",
# Python 3.13, whose threads have no OS name: the shim reads threading.Thread._name through
# _Py_DebugOffsets; with t153 (a parent's blocked wait, glibc 2.41), t154 (c5's dlclose in the
# timeline) and t158 (a sub-interpreter's name, Python 3.13's C API) there too. Runs in the
# release's chroot (tests/lib.sh chroot_cases); skipped where there is none.
# timeout: 900
. "$(dirname "$0")/lib.sh"
chroot_cases trixie t157 t121 t153 t154 t158
[ $RC = 0 ] || fail "cases failed in trixie: $(tail -5 "$W/chroot.log")"

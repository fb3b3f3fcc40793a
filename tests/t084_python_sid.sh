#!/bin/bash
# parallel: chroot
# t084: t080-t082, t170, t171 (Python state letters; tracebacks of a crash, a use-after-destroy, a late
# construction, a key used after its destructor; in a child forked without PyOS_AfterFork_Child) on Debian
# unstable "sid", Python 3.14, which exports neither _Py_IsFinalizing nor _Py_DumpTraceback: the states
# come from Py_IsFinalizing and the interpreter's memory, the tracebacks from _Py_DebugOffsets.
# Runs in the release's chroot (tests/lib.sh chroot_cases); skipped where there is none.
# timeout: 900
. "$(dirname "$0")/lib.sh"
chroot_cases sid t080 t081 t082 t170 t171
[ $RC = 0 ] || fail "cases failed in sid"

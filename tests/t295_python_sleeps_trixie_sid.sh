#!/bin/bash
# parallel: chroot
# t295: t292-t294 (python3's own Py_FinalizeEx seen where an atexit or threading._register_atexit
# callback sleeps, polls or waits with a timeout; the wrappers change nothing a caller sees), t283
# (a SIGTERM handled while such a callback sleeps), t317-t319 (one that reads, receives, accepts,
# connects, or waits for a signal, a file lock or a child; those wrappers change nothing either:
# PY10; t333: a read of an eventfd, timerfd or inotify descriptor, which seek
# too), t347 (a __del__ that waits after the atexit callbacks: the runtime's finalizing flag,
# Py_IsFinalizing there) and t121 (h1; the main thread's
# "_Py_Finalize (Py_FinalizeEx's body)" frame) on Debian 13 "trixie", Python 3.13, and unstable
# "sid", Python 3.14: there the atexit phase is read from the main interpreter's finalizing flag
# (no stack scan), timed lock waits go through the parking lot (sem_clockwait still), and
# Py_FinalizeEx is a jump to the static _Py_Finalize. Runs in the releases' chroots (tests/lib.sh
# chroot_cases); skipped where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
for rel in trixie sid; do
	chroot_cases $rel t292 t293 t294 t283 t317 t318 t319 t333 t347 t121
	[ $RC = 0 ] || fail "cases failed in $rel: $(tail -5 "$W/chroot.log")"
	cp "$W/chroot.log" "$W/chroot-$rel.log"
done
exit 0

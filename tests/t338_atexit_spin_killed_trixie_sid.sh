#!/bin/bash
# t338: t336 (python3 killed by SIGTERM while an atexit callback spins in pure Python: the snapshot
# at the signal names the callback and its line, the outcome as without the shim) and t337 (the C
# atexit handler's) on Debian 13 "trixie", Python 3.13, and unstable "sid", Python 3.14, where the
# atexit phase is read from the main interpreter's finalizing flag (no stack scan). Runs in the
# releases' chroots (tests/lib.sh chroot_cases); skipped where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
chroot_trixie_sid t336 t337
exit 0

#!/bin/bash
# t360: t359 (a Python SIGTERM handler that sets a flag and returns, then sys.exit() and an atexit
# callback that spins in pure Python: the handler watcher's snapshots of python3's own
# Py_FinalizeEx, named py_fin_stack, the callback and its line in the hang finding; none for a
# program that goes on; the kill snapshot after SIG_DFL) on Debian 13 "trixie", Python 3.13, and
# unstable "sid", Python 3.14. Runs in the releases' chroots (tests/lib.sh chroot_cases); skipped
# where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
chroot_trixie_sid t359
exit 0

#!/bin/bash
# parallel: chroot
# t322: the Python teardown cases on Debian 13 "trixie", Python 3.13, and unstable "sid", Python
# 3.14, in one package build per release (each was its own test with its own builds: t338, t360,
# t365, t370 and t382 until stop 31, which took 4 min of CI more). Runs in the releases' chroots
# (tests/lib.sh chroot_cases); skipped where there are none. The cases and what each shows there:
# - t321: a Python SIGTERM handler named in the hang finding whatever code it interrupted (the
#   handler's frame found through the debug offsets: the entry frame CPython's eval loop pushes on
#   the C stack);
# - t336, t337: a Python atexit callback, and a C one, that spin, killed: the kill snapshot
#   (3.13 and 3.14 read the interpreter's own finalizing flag);
# - t359: a SIGTERM handler that sets a flag and returns, then sys.exit() and an atexit callback
#   that spins: the handler watcher's snapshots of python3's own Py_FinalizeEx;
# - t364: os.fork in an atexit callback after the watchdog began: no "multi-threaded" warning
#   (CPython 3.12+ warns when /proc/self/stat counts another thread);
# - t369: a __del__ that loops or blocks during finalization, named by its class;
# - t381: a SIGTERM handler replaced by an imported module's signal.signal, named with both places;
# - t390: an arrival that ran CPython's C-level handler named by the Python function, and one set
#   by a direct _signal.signal call by where it was set (no function read from the wrong frame);
# - t429: a sub-interpreter left open with a thread running: its end at exit hangs, named.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
chroot_trixie_sid t321 t336 t337 t359 t364 t369 t381 t390 t429
exit 0

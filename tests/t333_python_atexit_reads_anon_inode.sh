#!/bin/bash
# t333: python3's Py_FinalizeEx blocked in an atexit callback's os.read of a descriptor that seeks
# but waits: an eventfd whose count is 0, a timerfd never armed, an inotify instance watching
# nothing (anonymous inodes: the kernel's noop_llseek lets lseek(fd, 0, SEEK_CUR) succeed;
# tests/src/py_blocks_in_call.py). shim/reads.c's fd_may_block tells them from a regular file by
# their flags (no O_LARGEFILE) and the hang watchdog starts, as for a pipe (t317).
# Before (lseek alone since c130918): "cannot wait", no hang_arm, no snapshot.
# Not tested: a character device that seeks and waits (/dev/random before the kernel's pool is
# ready, /dev/hwrng): none here waits for a user without root (the pool is ready after boot; the
# hwrng is 0600 root's), and fd_may_block does not tell them (shim/reads.c).
. "$(dirname "$0")/lib.sh"
H=300
HOW='reading in read (os.read; io.s read and readline; input() from a pipe)'
for k in eventfd timerfd inotify; do
	py_call_block $k
done
exit 0

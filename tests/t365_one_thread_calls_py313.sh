#!/bin/bash
# t365: t364 on Debian 13 "trixie" (Python 3.13) and unstable "sid" (3.14), where os.fork warns
# "This process (pid=N) is multi-threaded, use of fork() may lead to deadlocks in the child"
# when /proc/self/stat counts another thread (CPython 3.12+, Modules/posixmodule.c
# warn_about_fork_with_threads): an atexit callback that forks after the watchdog began writes
# nothing to stderr under the shim, as without. In the chroots only the Python part runs (Linux
# refuses a new user namespace to a chrooted process). Skipped where there are no chroots.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
chroot_trixie_sid t364
exit 0

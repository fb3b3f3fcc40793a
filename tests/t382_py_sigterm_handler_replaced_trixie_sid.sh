#!/bin/bash
# t382: t381 (a Python module that replaces the application's SIGTERM handler; SIG_IGN set on
# import; a handler that returns before a SIGKILL; the handler's name read from Lib/signal.py's
# frame) on Debian 13 "trixie", Python 3.13, and unstable "sid", Python 3.14, where the traceback
# and the handler are read through the debug offsets (3.14: a tagged _PyStackRef). Runs in the
# releases' chroots (tests/lib.sh chroot_cases); skipped where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
chroot_trixie_sid t381
exit 0

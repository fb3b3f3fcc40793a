#!/bin/bash
# t370: t369 (a __del__ that loops or blocks while Python finalizes after the atexit callbacks,
# after SIGTERM to a handler that sets a flag or calls sys.exit(), SIGINT's KeyboardInterrupt
# caught or not: `py_fin_late` from the handler watcher and the watchdog, frames by their
# qualified names, the report's __del__ of Conn) on Debian 13 "trixie", Python 3.13, and unstable
# "sid", Python 3.14, where the frames' names come from the shim's own reader (co_qualname
# through _Py_DebugOffsets). Runs in the releases' chroots (tests/lib.sh chroot_cases); skipped
# where there are none.
# timeout: 1800
. "$(dirname "$0")/lib.sh"
chroot_trixie_sid t369
exit 0

#!/bin/bash
# t235: a C termination handler that never returns in a multi-threaded process whose other thread
# does not block the signal (issue 15): no handler watcher there (a second SIGTERM the clone's
# delay lets reach another thread changed t122's outcome: docs/design.md), so no snapshot, and
# nothing else changes: a second thread in pause() with the handler locking the mutex main holds
# (mtmutex), with a full sa_mask (mtfill): no other thread runs the shim's code while it blocks
# (t257); SIGKILL after 3x TLSTRACE_HANG_MS=300 ends each, status 137. (Other threads that all
# block it: t250; a handler that sets SIG_IGN first, installs itself again, or joins a thread:
# t253.)
. "$(dirname "$0")/lib.sh"
build handler_hang handler_hang.c -- -pthread -O1
H=300
handler_hang_none mtmutex mtfill
exit 0

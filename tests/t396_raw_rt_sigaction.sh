#!/bin/bash
# t396: a program that reads and sets its signal actions with syscall(SYS_rt_sigaction, ...)
# (libc's syscall(), which the shim interposes) reads what it would without the shim, and
# sigaction reads what it set that way (issue 14, hostile14). Before, a raw read of an owned
# signal at its default gave the shim's handler and flags ("other flags 0x1c000004" for "DFL flags
# 0"), and after a raw SIG_IGN sigaction still said SIG_DFL. The restorer of a raw handler gives
# way to glibc's (shim/crash.c crash_raw_sigaction), so restorers are compared as set/null only.
. "$(dirname "$0")/lib.sh"
build raw_sigaction raw_sigaction.c
plain_and_traced raw "$BIN/raw_sigaction"
[ "$PLAIN_RC" = 0 ] || fail "status $PLAIN_RC without the shim"
grep -q "handler ran for 15" "$W/raw.out" || fail "the raw handler did not run"
exit 0

#!/bin/bash
# t332: under an RLIMIT_NPROC the user has reached but for one task, an atexit handler's fork
# succeeds as without the shim: the hang watchdog, whose thread would take that task, is not
# started (a note in the trace says so; watchdog.c nproc_room); and so does a SIGHUP handler's
# (a reload): no handler watcher thread then. Before, each fork failed with EAGAIN. A user of
# its own (an unused uid), so that no other process of it counts.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (setuid to an unused uid)"
build nproc_atexit_fork nproc_atexit_fork.c
uid=$((50000 + $$ % 10000))
getent passwd $uid >/dev/null && skip "uid $uid is taken"
[ -z "$(ps -u $uid -o pid= 2>/dev/null)" ] || skip "uid $uid has processes"
chmod 755 "$BIN/nproc_atexit_fork"
plain np "$BIN/nproc_atexit_fork" $uid
[ "$RC" = 2 ] && skip "cannot become uid $uid here"
[ "$RC" = 3 ] && grep -q 'atexit fork: child exited' "$W/np.plain.out" || fail "without the shim: exit $RC, $(cat "$W/np.plain.out")"
# the trace in a directory the user can write to
mkdir -p "$W/tr" && chmod 1777 "$W/tr"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/tr/np.trace "$BIN/nproc_atexit_fork" $uid >"$W/np.out" 2>"$W/np.err"
RC=$?
[ "$RC" = 3 ] || fail "exit $RC under the shim"
cmp -s "$W/np.plain.out" "$W/np.out" || fail "output under the shim: $(cat "$W/np.out")"
grep -q 'note hang%20watchdog%20not%20started:%20RLIMIT_NPROC' "$W/tr/np.trace" || fail "no note of the watchdog left out: $(grep -v ' mod ' "$W/tr/np.trace")"
plain hup "$BIN/nproc_atexit_fork" $uid hup
[ "$RC" = 3 ] && [ "$(grep -c 'atexit fork: child exited' "$W/hup.plain.out")" = 2 ] || fail "hup without the shim: exit $RC, $(cat "$W/hup.plain.out")"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/tr/hup.trace "$BIN/nproc_atexit_fork" $uid hup >"$W/hup.out" 2>"$W/hup.err"
RC=$?
[ "$RC" = 3 ] || fail "hup: exit $RC under the shim"
cmp -s "$W/hup.plain.out" "$W/hup.out" || fail "hup: output under the shim: $(cat "$W/hup.out")"
exit 0

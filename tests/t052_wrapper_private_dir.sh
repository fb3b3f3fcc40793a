#!/bin/bash
# t052: the tlstrace wrapper never hands a trace to another user: case 14 (another user's
# watcher re-creates the wrapper's temporary name, empty or as a trace naming a FIFO: the wrapper
# keeps its trace in a mktemp -d directory of its own, so it neither writes nor reads that file);
# -k keeps the trace in that 0700 directory; -o naming a file another user created first in a
# sticky directory: that user's file never receives the trace (root's wrapper removes it and the
# shim creates its own, 0600), the command's status kept.
# A TMPDIR that cannot hold the directory (missing, /proc): it goes in /tmp, said on stderr; with
# /tmp read-only as well (a read-only bind mount in a mount namespace) the command still runs,
# untraced, said, its status kept (U8: the wrapper exited 2 and never ran it).
# (Case 14's second part would also block in the report if the wrapper read the planted trace;
# the report's own guard against FIFO module paths is case 15's.)
. "$(dirname "$0")/lib.sh"
build exits exits.c
[ "$(id -u)" = 0 ] || skip "needs root (case 14 creates a user)"
reliability_case 14
cd "$W" || fail "no $W"

mkdir -m 1777 sticky
TMPDIR=$W/sticky "$ROOT/tlstrace" -k -- "$BIN/exits" _exit >k.out 2>k.err; rc=$?
[ $rc = 5 ] || fail "-k: status $rc"
kept=$(sed -n 's/^tlstrace: trace kept in //p' k.err)
[ -s "$kept" ] || { cat k.err; fail "-k: no trace kept"; }
dir=$(dirname "$kept")
[ "$(dirname "$dir")" = "$W/sticky" ] && [ "$(stat -c %a "$dir")" = 700 ] || fail "-k: $kept is not in a private directory"
[ "$(stat -c %a "$kept")" = 600 ] || fail "-k: the trace has mode $(stat -c %a "$kept")"
rm -rf "$dir"
TMPDIR=$W/sticky "$ROOT/tlstrace" -- "$BIN/exits" _exit >/dev/null 2>&1
[ -z "$(ls sticky)" ] || fail "the wrapper left $(ls sticky)"

setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c "umask 0; : >'$W/sticky/planted.trace'"
"$ROOT/tlstrace" -o "$W/sticky/planted.trace" -- "$BIN/exits" _exit >o.out 2>o.err; rc=$?
# an existing -o file is refused (issue 17: never replaced silently), the command not run
[ $rc = 2 ] && grep -q "exists" o.err || fail "-o on another user's file: status $rc"
[ ! -s sticky/planted.trace ] || fail "-o: the other user's file got the trace ($(stat -c %U:%a sticky/planted.trace))"
for t in "$W/none" /proc; do
	TMPDIR=$t "$ROOT/tlstrace" -- "$BIN/exits" _exit >n.out 2>n.err; rc=$?
	[ $rc = 5 ] || { cat n.err; fail "TMPDIR=$t: status $rc"; }
	grep -q "^tlstrace: TMPDIR=$t cannot hold the trace's directory: it is in /tmp" n.err || { cat n.err; fail "TMPDIR=$t: not said"; }
	grep -q "_exit(5)" n.err || fail "TMPDIR=$t: no report"
done
if unshare -m true 2>/dev/null; then
	unshare -m sh -c "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp && TMPDIR=/proc '$ROOT/tlstrace' -- '$BIN/exits' _exit" >u.out 2>u.err; rc=$?
	[ $rc = 5 ] || { cat u.err; fail "read-only /tmp: status $rc"; }
	grep -q "^tlstrace: no directory for the trace (TMPDIR=/proc, /tmp): running the command untraced" u.err || { cat u.err; fail "read-only /tmp: not said"; }
else
	note "no mount namespace here: the untraced fallback is not tried"
fi
echo "ok"

#!/bin/bash
# t052: the tlstrace wrapper never hands a trace to another user: case 14 (another user's
# watcher re-creates the wrapper's temporary name, empty or as a trace naming a FIFO: the wrapper
# keeps its trace in a mktemp -d directory of its own, so it neither writes nor reads that file);
# -k keeps the trace in that 0700 directory; -o naming a file another user created first in a
# sticky directory: that user's file never receives the trace (root's wrapper removes it and the
# shim creates its own, 0600), the command's status kept.
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
echo "ok"

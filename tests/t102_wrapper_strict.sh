#!/bin/bash
# t102: the tlstrace wrapper's rough edges (issue 17): -o never replaces an existing file unless
# -f; arguments with spaces reach the command and the report intact; a missing command gets the
# shell's message and 127, with no "no trace" noise; -e exits 1 on findings when the command
# exited 0, and otherwise the command's status is kept; Ctrl-C (SIGINT to the whole process
# group, as a terminal sends it) ends the command, the wrapper survives it, prints the report,
# keeps the command's status and names the trace it kept.
. "$(dirname "$0")/lib.sh"
T=$ROOT/tlstrace
cd "$W"
echo precious >exists.trace
"$T" -o exists.trace -- /bin/true 2>err.txt; rc=$?
[ $rc = 2 ] && [ "$(cat exists.trace)" = precious ] && grep -q "exists" err.txt || fail "-o on an existing file: status $rc, $(cat err.txt)"
"$T" -f -o exists.trace -- /bin/true 2>/dev/null || fail "-f -o failed"
grep -q " tlstrace " exists.trace || fail "-f -o did not write the trace"

"$T" --chrome "$W/a b.json" -- "$PY" -c 'import sys; print(repr(sys.argv[1:]))' "x  y" "" z >args.txt 2>/dev/null
[ "$(cat args.txt)" = "['x  y', '', 'z']" ] || fail "arguments: $(cat args.txt)"
[ -s "$W/a b.json" ] || fail "a report option with a space was split"

"$T" -- no-such-command-tlstrace >out.txt 2>err.txt; rc=$?
[ $rc = 127 ] || fail "missing command: status $rc"
grep -q "no-such-command-tlstrace: command not found" err.txt || fail "missing command: $(cat err.txt)"
grep -q "no trace" err.txt && fail "missing command: the no-trace message is noise here"

build crashers crashers.c -- -O0 -pthread
ulimit -c 0
"$T" -o f1.trace -- "$BIN/crashers" abort >/dev/null 2>&1; rc=$?
[ $rc = 134 ] || fail "without -e the status is the command's: $rc"
"$T" -e -- /bin/true 2>/dev/null || fail "-e without findings: not 0"
build keys keys.c -- -pthread
"$T" -- "$BIN/keys" >/dev/null 2>&1 || fail "keys: status $? without -e"
"$T" -e -- "$BIN/keys" >/dev/null 2>&1; rc=$?
[ $rc = 1 ] || fail "-e: findings after a status of 0 gave $rc"
"$T" -e -- "$BIN/crashers" abort >/dev/null 2>&1; rc=$?
[ $rc = 134 ] || fail "-e keeps a non-zero status: $rc"
"$T" -e -- "$PY" -c 'import os, signal; os.kill(os.getpid(), signal.SIGKILL)' >/dev/null 2>&1; rc=$?
[ $rc = 137 ] || fail "-e: status $rc"

# Ctrl-C: the wrapper in its own session with SIGINT at its default (as from a terminal)
"$PY" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execv(sys.argv[1], sys.argv[1:])' \
	"$T" -- "$PY" -c 'import time; print("up", flush=True); time.sleep(30)' >int.out 2>int.err &
pid=$!
for i in $(seq 1 100); do grep -q up int.out 2>/dev/null && break; sleep 0.1; done
kill -INT -- -$pid
wait $pid; rc=$?
[ $rc = 130 ] || { cat int.err; fail "Ctrl-C: status $rc, expected the command's 130"; }
grep -q "^tlstrace-report: " int.err || { cat int.err; fail "Ctrl-C: no report"; }
kept=$(sed -n 's/^tlstrace: trace kept in //p' int.err)
[ -s "$kept" ] || { cat int.err; fail "Ctrl-C: the kept trace is not named"; }
rm -rf "$(dirname "$kept")"

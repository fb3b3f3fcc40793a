#!/bin/bash
# t102: the tlstrace wrapper's rough edges (issue 17): -o never replaces an existing file unless
# -f; arguments with spaces reach the command and the report intact; a missing command gets the
# shell's message and 127, with no "no trace" noise; -e exits 1 on findings when the command
# exited 0, and otherwise the command's status is kept; Ctrl-C (SIGINT to the whole process
# group, as a terminal sends it) ends the command, the wrapper survives it, prints the report,
# keeps the command's status and names the trace it kept. Late (a new user's try): a shell builtin's
# name runs the program (true is /usr/bin/true); unknown options, -o DIR and -o in a missing
# directory are refused before the command runs; no wrapper internals (bash's "line N:" or
# "Segmentation fault" notices) on stderr; a command that exits 130 by itself is no Ctrl-C;
# every option tlstrace-report's --help lists reaches it.
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
grep -qx "tlstrace: no-such-command-tlstrace: command not found" err.txt || fail "missing command: $(cat err.txt)"
grep -q "no trace" err.txt && fail "missing command: the no-trace message is noise here"
echo data >notexec
"$T" -- ./notexec 2>err.txt; rc=$?
[ $rc = 126 ] && grep -q "^tlstrace: ./notexec: " err.txt || fail "not executable: status $rc, $(cat err.txt)"

# builtin names run the program, traced
"$T" -o true.trace -- true 2>err.txt; rc=$?
[ $rc = 0 ] && [ -s true.trace ] || fail "tlstrace -- true: status $rc, no trace: $(cat err.txt)"
grep -q "no trace" err.txt && fail "tlstrace -- true: $(cat err.txt)"
[ "$("$T" -- echo hi 2>err.txt)" = hi ] && grep -q "process .* echo: exit status 0" err.txt || fail "tlstrace -- echo: $(cat err.txt)"
[ "$("$T" -- sh -c 'echo $0' 2>/dev/null)" = sh ] || fail "argv[0] is not the name given"
# the command inherits the caller's descriptors, no more and no fewer
"$T" -- sh -c 'echo x >&3' 3>fd3.txt 2>/dev/null
[ "$(cat fd3.txt)" = x ] || fail "the caller's descriptor 3 did not reach the command"
fds='import os; print(sorted(os.listdir("/proc/self/fd")))'
a=$("$T" -- "$PY" -c "$fds" 2>/dev/null 3>/dev/null)
b=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/fds.trace "$PY" -c "$fds" 3>/dev/null)
[ "$a" = "$b" ] || fail "descriptors under the wrapper: $a, with the shim alone: $b"

# unknown options and bad -o: refused before the command runs
"$T" -z -- touch ran 2>err.txt; rc=$?
[ $rc = 2 ] && [ ! -e ran ] && grep -q "unknown option -z" err.txt || fail "-z: status $rc, ran: $(ls ran 2>&1), $(cat err.txt)"
# (what was wrong, the usage line and where the rest is: not the whole help, FRESH16)
grep -q "^Try 'tlstrace --help' for more information.$" err.txt && [ "$(wc -l <err.txt)" = 3 ] ||
	fail "-z: $(wc -l <err.txt) lines: $(cat err.txt)"
for o in $($REPORT --help | grep -o -- '^ *-[-a-z]*' | grep -vx -- ' *\(--diff\|-h\|--help\|--version\)'); do
	case $o in --chrome) a=(--chrome "$W/o.json") ;; --frames | --pid) a=("$o" 1) ;; *) a=("$o") ;; esac
	"$T" "${a[@]}" -- true >/dev/null 2>err.txt; rc=$?
	[ $rc = 0 ] || fail "report option $o: status $rc, $(cat err.txt)"
done
mkdir outdir && echo other >outdir/other.log
for f in "" -f; do
	"$T" $f -o outdir -- touch ran 2>err.txt; rc=$?
	[ $rc = 2 ] && [ ! -e ran ] && [ "$(cat outdir/other.log)" = other ] && grep -q "directory" err.txt || fail "-o DIR $f: status $rc, $(cat err.txt)"
done
"$T" -o "$W/nonexistent/dir/t.log" -- touch ran 2>err.txt; rc=$?
[ $rc = 2 ] && [ ! -e ran ] && grep -q "does not exist" err.txt || fail "-o in a missing directory: status $rc, $(cat err.txt)"

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
# killed by a signal: its own stderr and the report, no bash notice naming the wrapper's line
"$T" -- "$PY" -c 'import os, sys, signal; print("own", file=sys.stderr, flush=True); os.kill(os.getpid(), signal.SIGSEGV)' >/dev/null 2>err.txt; rc=$?
[ $rc = 139 ] && grep -qx own err.txt || fail "SIGSEGV: status $rc, $(cat err.txt)"
grep -E "line [0-9]+:|Segmentation fault|LD_PRELOAD=" err.txt && fail "SIGSEGV: wrapper internals on stderr"
# exit 130 without a signal: not an interruption, the temporary trace is removed
mkdir tmp130
TMPDIR=$W/tmp130 "$T" -- "$PY" -c 'raise SystemExit(130)' 2>err.txt; rc=$?
[ $rc = 130 ] || fail "exit 130: status $rc"
grep -q "trace kept" err.txt && fail "exit 130 by itself taken for Ctrl-C: $(cat err.txt)"
[ -z "$(ls tmp130)" ] || fail "exit 130: the temporary trace was left: $(ls tmp130)"

# Ctrl-C: the wrapper in its own session with SIGINT at its default (as from a terminal)
"$PY" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execv(sys.argv[1], sys.argv[1:])' \
	"$T" -- "$PY" -c 'import time; print("up", flush=True); time.sleep(30)' >int.out 2>int.err &
pid=$!
wait_for $pid 30 "the command's \"up\"" has_lines int.out 1 '^up$' || fail "Ctrl-C: the wrapper ended: $(cat int.err)"
kill -INT -- -$pid
wait $pid; rc=$?
[ $rc = 130 ] || { cat int.err; fail "Ctrl-C: status $rc, expected the command's 130"; }
grep -q "^tlstrace-report: " int.err || { cat int.err; fail "Ctrl-C: no report"; }
kept=$(sed -n 's/^tlstrace: trace kept in //p' int.err)
[ -s "$kept" ] || { cat int.err; fail "Ctrl-C: the kept trace is not named"; }
rm -rf "$(dirname "$kept")"

# A script without a #! line: exec fails with ENOEXEC and the wrapper's bash runs it itself, so
# no program starts and no trace is written; the hint says so, not "a statically linked
# program?" (FRESH15). A static program keeps that hint.
printf 'echo no shebang\n' >noshebang.sh
chmod +x noshebang.sh
"$T" -- ./noshebang.sh >ns.out 2>ns.err; rc=$?
[ $rc = 0 ] && [ "$(cat ns.out)" = "no shebang" ] || fail "script without #!: status $rc, $(cat ns.out)"
grep -q "^tlstrace: no trace was written: ./noshebang.sh is a script without a #! line, which the wrapper's bash ran itself" ns.err ||
	fail "script without #!: $(cat ns.err)"
grep -q "statically linked" ns.err && fail "script without #!: blamed a static program: $(cat ns.err)"
printf 'int main(void) { return 0; }\n' >static.c
if gcc -static -o static static.c 2>/dev/null; then
	"$T" -- ./static 2>st.err
	grep -q "no trace was written (a statically linked program" st.err || fail "static program: $(cat st.err)"
fi
exit 0

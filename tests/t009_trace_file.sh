#!/bin/bash
# t009: the trace file: a relative TLSTRACE_FILE is resolved when the shim loads (the program
# chdirs, its forked child still writes there); the default name tlstrace.<pid>.log in the
# starting directory; %p; bad TLSTRACE_* values noted in the trace, not fatal; a symlink is refused
# (O_NOFOLLOW) and the program is unaffected; fds 0-2 stay the program's, and the trace descriptor
# is close-on-exec.
. "$(dirname "$0")/lib.sh"
build chdir_fork chdir_fork.c
build fdcheck fdcheck.c -- -pthread
cd "$W" || fail "no $W"

# relative path, then chdir
mkdir -p elsewhere
LD_PRELOAD=$SHIM TLSTRACE_FILE=rel.trace "$BIN/chdir_fork" "$W/elsewhere" >/dev/null || fail "chdir_fork failed"
[ -s rel.trace ] || fail "relative trace not written in the starting directory"
[ ! -e elsewhere/rel.trace ] || fail "trace written after chdir"
[ "$(awk '$5 == "forked" || $5 == "tlstrace"' rel.trace | wc -l)" = 2 ] || fail "the child did not write to the same file"

# default name
rm -f tlstrace.*.log
env -u TLSTRACE_FILE LD_PRELOAD=$SHIM "$BIN/chdir_fork" "$W" >/dev/null
f=$(ls tlstrace.*.log 2>/dev/null | head -1)
[ -n "$f" ] || fail "no default trace tlstrace.<pid>.log"
[ "$f" = "tlstrace.$(awk 'NR == 1 { print $1 }' "$f").log" ] || fail "default name $f does not carry the pid"
rm -f tlstrace.*.log

# %p
rm -f p.*.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/p.%p.trace "$BIN/chdir_fork" "$W" >/dev/null
f=$(ls p.*.trace | head -1)
[ "$f" = "p.$(awk 'NR == 1 { print $1 }' "$f").trace" ] || fail "%p not expanded: $f"

# bad values
rm -f bad.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/bad.trace TLSTRACE_WATCH=bogus TLSTRACE_BACKTRACE=abc "$BIN/chdir_fork" "$W" >/dev/null || fail "bad settings broke the program"
grep -q " note bad%20setting:%20TLSTRACE_WATCH=bogus:%20expected%20off,%20poison,%20hw%20or%20auto" bad.trace || fail "no note for TLSTRACE_WATCH"
grep -q " note bad%20setting:%20TLSTRACE_BACKTRACE=abc" bad.trace || fail "no note for TLSTRACE_BACKTRACE"
grep -q " config .* watch=off bt=16 " bad.trace || fail "defaults not used"
# a number out of range: the note names the range and the default (FRESH15: "in range")
rm -f bad.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/bad.trace TLSTRACE_BACKTRACE=99 "$BIN/chdir_fork" "$W" >/dev/null || fail "a bad number broke the program"
grep -q " note bad%20setting:%20TLSTRACE_BACKTRACE=99:%20expected%20a%20number%20from%200%20to%2064;%20using%20the%20default,%2016$" bad.trace ||
	fail "TLSTRACE_BACKTRACE=99: $(grep ' note ' bad.trace)"

# a symlink is refused
rm -f target link
echo keep >target
ln -s target link
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/link "$BIN/chdir_fork" "$W" >out.txt; rc=$?
[ $rc = 0 ] && grep -q done out.txt || fail "the program failed with a symlinked trace path"
[ "$(cat target)" = keep ] || fail "the shim wrote through a symlink"

# descriptors
"$BIN/fdcheck" "$W/fd.plain" || fail "fdcheck failed without the shim"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/fd.trace "$BIN/fdcheck" "$W/fd.traced" || fail "fdcheck failed with the shim"
cmp -s fd.plain fd.traced || { cat fd.plain fd.traced; fail "descriptors differ with the shim"; }
grep -q "^reopened 0 1 2;" fd.traced || { cat fd.traced; fail "the program did not get 0, 1, 2 back"; }
grep -Eq " thread_exit return| thread_quiet .* return$" fd.trace || fail "nothing traced after the program closed 0-2"

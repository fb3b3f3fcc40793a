#!/bin/bash
# t051: no other user can receive, redirect or block a trace: cases 13 (a name another user
# created first in /tmp: a file, a FIFO) and 20 (a hard link to a root-only file); and what the
# shim opens: a FIFO (without and with a reader), a character device, a directory, a file of
# another user, a file of one's own with two links are refused at once (the program unaffected,
# nothing written, TLSTRACE_DEBUG says why); a file of one's own with one link is appended to; a
# new file is created with mode 0600; a process whose effective user does not own the trace (a
# daemon that re-execs after switching users) refuses it.
. "$(dirname "$0")/lib.sh"
build exits exits.c
[ "$(id -u)" = 0 ] || skip "needs root (cases 13 and 20 create a user)"
reliability_case 13
reliability_case 20
cd "$W" || fail "no $W"

# refused NAME PATH: the program exits as without the shim, in time, writes nothing there, and
# TLSTRACE_DEBUG names the reason
refused() {
	local name=$1 path=$2 rc
	timeout 5 env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$path" TLSTRACE_DEBUG=1 "$BIN/exits" _exit >"$name.out" 2>"$name.err"
	rc=$?
	[ $rc = 5 ] || fail "$name: exit status $rc, expected 5 (124: blocked)"
	grep -q "^tlstrace: refused: .*: $path$" "$name.err" || { cat "$name.err"; fail "$name: TLSTRACE_DEBUG does not say why"; }
	grep -q "^tlstrace: refused: $3" "$name.err" || { cat "$name.err"; fail "$name: expected the reason '$3'"; }
}
"$BIN/exits" _exit >/dev/null; [ $? = 5 ] || fail "exits _exit does not exit 5"

mkfifo fifo
refused fifo "$W/fifo" "not a regular file"
timeout 10 cat fifo >fifo.read &
reader=$!
# reader_waits: timeout's cat is blocked opening the FIFO (openat, 257): a reader is there (was:
# a fixed 0.2 s)
reader_waits() { local c; c=$(cat "/proc/$reader/task/$reader/children" 2>/dev/null); [ -n "$c" ] && in_syscall $c 257; }
wait_for $reader 30 "the FIFO's reader" reader_waits || fail "the FIFO's reader ended"
refused fifo_reader "$W/fifo" "not a regular file"
exec 3>fifo; exec 3>&- # ends the reader
wait $reader
[ ! -s fifo.read ] || fail "the FIFO's reader got: $(head -c 200 fifo.read)"
refused chardev /dev/null "not a regular file"
mkdir dir
refused directory "$W/dir" "not a regular file"

echo mine >other
chown nobody other && chmod 666 other
refused other_user "$W/other" "owned by another user"
[ "$(cat other)" = mine ] || fail "another user's file was written to"

echo keep >linked && ln linked link2
refused two_links "$W/link2" "it has more than one link"
[ "$(cat linked)" = keep ] || fail "a file with two links was written to"

# one's own file with one link: appended to; a new one is created 0600 whatever the umask
(umask 000 && LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/own.trace "$BIN/exits" _exit >/dev/null)
[ "$(stat -c %a own.trace)" = 600 ] || fail "a new trace has mode $(stat -c %a own.trace)"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/own.trace "$BIN/exits" _exit >/dev/null
[ "$(awk '$5 == "tlstrace"' own.trace | wc -l)" = 2 ] || fail "the second run did not append to the trace"

# a process of another effective user (a daemon re-exec'd after setuid) does not append to it
chmod 777 "$W"
setpriv --reuid=nobody --regid=nogroup --clear-groups env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/own.trace" TLSTRACE_DEBUG=1 \
	"$BIN/exits" _exit >euid.out 2>euid.err
rc=$?
chmod 755 "$W"
[ $rc = 5 ] || fail "the other user's process: exit status $rc"
grep -q "^tlstrace: refused: owned by another user than the effective one: $W/own.trace$" euid.err || { cat euid.err; fail "no TLSTRACE_DEBUG reason for the other user"; }
[ "$(awk '$5 == "tlstrace"' own.trace | wc -l)" = 2 ] || fail "the other user's process wrote to the trace"
# a trace that cannot be created: TLSTRACE_DEBUG says the error, not only that (FRESH15)
LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/no-such-dir/x.trace" TLSTRACE_DEBUG=1 "$BIN/exits" _exit >nodir.out 2>nodir.err
grep -q "^tlstrace: cannot create it: $W/no-such-dir/x.trace: no such file or directory (ENOENT)$" nodir.err ||
	{ cat nodir.err; fail "no errno for a trace in a missing directory"; }
echo "ok"

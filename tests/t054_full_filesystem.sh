#!/bin/bash
# t054: the trace on a full filesystem (a 64 KiB tmpfs): the program ends as without the shim,
# whether the trace cannot grow at all or a write is cut short; once the program frees space, the
# shim ends the torn line (the header, cut short), says how many lines were lost (a `lost`
# line), and the report reads the file and shows the count in the process's header.
. "$(dirname "$0")/lib.sh"
build fsize_limits fsize_limits.c -- -pthread
[ "$(id -u)" = 0 ] || skip "needs root (mounts a tmpfs)"
FS=$W/fs
mkdir -p "$FS"
mount -t tmpfs -o size=64k tlstrace-t054 "$FS" || skip "cannot mount a tmpfs"
trap 'umount "$FS"' EXIT
plain ref "$BIN/fsize_limits" full "$FS/none"; PLAIN_RC=$RC
[ $PLAIN_RC = 8 ] || fail "fsize_limits full: exit status $PLAIN_RC"

# fill FILE: the rest of the filesystem into FILE
fill() { dd if=/dev/zero of="$1" bs=4k 2>/dev/null; [ "$(stat -f -c %a "$FS")" = 0 ] || fail "$FS not full"; }

# 1: no room at all, the space never comes back: every line is lost, quietly
fill "$FS/fill1"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$FS/t1.trace "$BIN/fsize_limits" full "$FS/none" >"$W/t1.out" 2>"$W/t1.err"
TRACED_RC=$?; cp "$W/t1.out" "$W/full1.out"; cp "$W/ref.plain.out" "$W/full1.plain.out"
same_outcome full1
[ ! -s "$W/t1.err" ] || fail "stderr: $(head -3 "$W/t1.err")"
[ ! -s "$FS/t1.trace" ] || fail "a trace on a full filesystem: $(head -c 200 "$FS/t1.trace")"
rm -f "$FS"/*

# 2: a trace of two runs (the page it ends in part full), the rest filled: the third run's first
# write is cut short; the program then removes the filler and its later lines go in
for i in 1 2; do LD_PRELOAD=$SHIM TLSTRACE_FILE=$FS/t2.trace "$BIN/fsize_limits" full "$FS/none" >/dev/null; done
# a config line of the second process leaves 100 bytes free in the file's last page
room=$((4096 - $(stat -c %s "$FS/t2.trace") % 4096 - 100))
[ $room -gt 40 ] || room=$((room + 4096))
awk -v room=$room 'END { s = $1 " " $2 " " $3 " - config pad="; printf "%s", s; for (i = length(s) + 1; i < room; i++) printf "x"; print "" }' \
	"$FS/t2.trace" >"$W/pad" && cat "$W/pad" >>"$FS/t2.trace"
fill "$FS/fill2"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$FS/t2.trace "$BIN/fsize_limits" full "$FS/fill2" >"$W/full2.out" 2>"$W/t2.err"
TRACED_RC=$?; cp "$W/ref.plain.out" "$W/full2.plain.out"
same_outcome full2
cp "$FS/t2.trace" "$W/t2.trace"
n=$(awk '$5 == "lost" { print $6 }' "$W/t2.trace")
[ -n "$n" ] && [ "$n" -gt 0 ] || fail "no lost line in the trace"
pid=$(awk '$5 == "lost" { print $1 }' "$W/t2.trace")
# the line before the lost line is the torn one, ended by the shim
awk -v p="$pid" '$5 == "lost" { exit !(prev ~ ("^" p " ") && prev !~ /fill2$/) } { prev = $0 }' "$W/t2.trace" || fail "no torn line before the lost line"
"$REPORT" --no-symbols "$W/t2.trace" >"$W/t2.report" 2>"$W/t2.report.err"
[ "$(grep -c '^process [0-9]* ' "$W/t2.report")" = 3 ] || { cat "$W/t2.report"; fail "the report does not show the three processes"; }
grep -q "^process $pid .*: exit status 8; $n trace lines lost$" "$W/t2.report" || { cat "$W/t2.report"; fail "no lost count in the header of process $pid"; }
echo "ok"

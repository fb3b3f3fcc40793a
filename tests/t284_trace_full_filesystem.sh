#!/bin/bash
# t284: a trace on a filesystem that fills up and frees again (issue 14: "a write that fails
# loses that line quietly; the trace says afterwards how many lines were lost"). A 64 KiB tmpfs
# with one free page: the shim's write that crosses into the next page comes back short (a torn
# line), the next ones fail; once the test frees the space, a `lost` line counts them. The
# program's outcome is its own (exit 42, "done"); the report reads the torn line as the start
# of a lost one, not as a bad line (before: "not an event line ... skipped"), and says nothing
# of a process that "died while writing". Also synthetic traces: a torn line with no `lost` line
# after it is still warned of.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (mounts a tmpfs)"
build keys_until keys_until.c -- -pthread
d=$W/fs
mkdir -p "$d"
mount -t tmpfs -o size=64k tlstrace-t284 "$d" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'umount "$d" 2>/dev/null' EXIT
head -c $((60 * 1024)) /dev/zero >"$d/fill" 2>/dev/null
LD_PRELOAD=$SHIM TLSTRACE_FILE=$d/t.trace "$BIN/keys_until" 400 "$W/go" 5 >"$W/out" 2>"$W/err" &
pid=$!
# until its first lines are all written or lost: it sleeps in its wait for the go file
# (clock_nanosleep; was: the trace at 4 KiB, then a fixed 0.2 s)
wait_for $pid 30 "keys_until's wait for $W/go" in_syscall $pid 230
rm -f "$d/fill"
touch "$W/go"
wait $pid
rc=$?
[ $rc = 42 ] && [ "$(cat "$W/out")" = done ] && [ ! -s "$W/err" ] || fail "the program's outcome: $rc, $(cat "$W/out" "$W/err")"
cp "$d/t.trace" "$W/t.trace"
grep -Eq "^$pid [0-9]+ [0-9]+ . lost [0-9]+$" "$W/t.trace" || { tail -5 "$W/t.trace"; fail "no lost line"; }
if awk 'NR > 1 && !/^[0-9]+ [0-9]+ [0-9]+ . [a-z_]+( |$)/ { bad = 1 } END { exit !bad }' "$W/t.trace"; then
	note "a torn line: $(awk 'NR > 1 && !/^[0-9]+ [0-9]+ [0-9]+ . [a-z_]+( |$)/' "$W/t.trace" | head -c 80)"
else
	note "no torn line this time (a line ended at the page's end)"
fi
"$REPORT" --no-symbols --color=never "$W/t.trace" >"$W/t.txt" 2>"$W/t.err"
! grep -q "not an event line\|died while writing" "$W/t.err" || { cat "$W/t.err"; fail "the torn line warned of as a bad line"; }
grep -q "exit status 42" "$W/t.txt" || fail "the report does not have the exit status"

# synthetic: a torn line then the process's lost line (no warning); a torn line then another
# line of the process (warned: not the shim's failed write)
hdr="100 100 1000 - tlstrace 3 ppid=1 prog=x"
# synth NAME warned|quiet PATTERN LINE...: a trace of hdr and the lines, whose report's warnings
# have (warned) or lack (quiet) PATTERN
synth() {
	local n=$1 want=$2 pat=$3
	shift 3
	printf '%s\n' "$hdr" "$@" >"$W/$n.trace"
	"$REPORT" --no-symbols "$W/$n.trace" >/dev/null 2>"$W/$n.err"
	if grep -q "$pat" "$W/$n.err"; then [ $want = warned ]; else [ $want = quiet ]; fi ||
		{ cat "$W/$n.err"; fail "$n: expected $want of '$pat'"; }
}
synth s1 quiet "not an event line\\|unknown event type" "100 100 2000 - key_cr" "200 200 2500 - tlstrace 3 ppid=1 prog=y" \
	"100 100 3000 - lost 2" "100 100 3001 - exit_done"
synth s2 warned ':2: unknown event type "key_cr"' "100 100 2000 - key_cr" "100 100 3001 - exit_done"
synth s4 quiet "not an event line\\|unknown event type" "100 100 20" "100 100 3000 - lost 1" "100 100 3001 - exit_done"
synth s5 warned ":2: not an event line" "100 100 20" "100 100 3001 - exit_done"
printf '%s\n100 100 2000 - key_cr' "$hdr" >"$W/s3.trace"
"$REPORT" --no-symbols "$W/s3.trace" >/dev/null 2>"$W/s3.err"
grep -q "last line cut short (no newline: the process died while writing it, or its write failed part-way" "$W/s3.err" ||
	{ cat "$W/s3.err"; fail "s3: the last line's words"; }
exit 0

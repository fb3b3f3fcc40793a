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
for i in $(seq 500); do [ "$(stat -c %s "$d/t.trace" 2>/dev/null || echo 0)" -ge 4096 ] && break; sleep 0.01; done
sleep 0.2
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
printf '%s\n100 100 2000 - key_cr\n200 200 2500 - tlstrace 3 ppid=1 prog=y\n100 100 3000 - lost 2\n100 100 3001 - exit_done\n' "$hdr" >"$W/s1.trace"
"$REPORT" --no-symbols "$W/s1.trace" >/dev/null 2>"$W/s1.err"
! grep -q "not an event line" "$W/s1.err" || { cat "$W/s1.err"; fail "s1: a torn line counted by a lost line warned of"; }
printf '%s\n100 100 2000 - key_cr\n100 100 3001 - exit_done\n' "$hdr" >"$W/s2.trace"
"$REPORT" --no-symbols "$W/s2.trace" >/dev/null 2>"$W/s2.err"
grep -q ':2: unknown event type "key_cr"' "$W/s2.err" || { cat "$W/s2.err"; fail "s2: a cut line with no lost line not warned of"; }
printf '%s\n100 100 20\n100 100 3000 - lost 1\n100 100 3001 - exit_done\n' "$hdr" >"$W/s4.trace"
"$REPORT" --no-symbols "$W/s4.trace" >/dev/null 2>"$W/s4.err"
! grep -q "not an event line" "$W/s4.err" || { cat "$W/s4.err"; fail "s4: a torn line counted by a lost line warned of"; }
printf '%s\n100 100 20\n100 100 3001 - exit_done\n' "$hdr" >"$W/s5.trace"
"$REPORT" --no-symbols "$W/s5.trace" >/dev/null 2>"$W/s5.err"
grep -q ":2: not an event line" "$W/s5.err" || { cat "$W/s5.err"; fail "s5: a bad line with no lost line not warned of"; }
printf '%s\n100 100 2000 - key_cr' "$hdr" >"$W/s3.trace"
"$REPORT" --no-symbols "$W/s3.trace" >/dev/null 2>"$W/s3.err"
grep -q "last line cut short (no newline: the process died while writing it, or its write failed part-way" "$W/s3.err" ||
	{ cat "$W/s3.err"; fail "s3: the last line's words"; }
exit 0

#!/bin/bash
# t280: a hang snapshot names the system call each thread is blocked in from the kernel's whole
# x86-64 table (tools/report/syscalls.c, from asm/unistd_64.h), not a short list: a thread
# blocked in vfork() (its child waits in pause()) while exit()'s atexit handler joins it reads
# "in vfork", not "in 58" (issue 15, U7 F13).
. "$(dirname "$0")/lib.sh"
build vfork_hang vfork_hang.c -- -pthread
rm -f "$W/v.trace"
TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/v.trace "$BIN/vfork_hang" >"$W/v.out" 2>"$W/v.err" &
pid=$!
# until the watchdog's first snapshot is complete (a safety net of 20 s, not a timed assertion)
for i in $(seq 400); do grep -q ' hang_end 1' "$W/v.trace" 2>/dev/null && break; sleep 0.05; done
child=$(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/v.out")
kill -KILL $pid 2>/dev/null
wait $pid
[ -n "$child" ] && kill -KILL "$child" 2>/dev/null
grep -q ' hang_end 1' "$W/v.trace" || fail "no snapshot: $(tail -3 "$W/v.trace")"
"$REPORT" --color=never "$W/v.trace" >"$W/v.txt" 2>&1
grep -Eq "^      thread [0-9]+ .*state [A-Z], in vfork, " "$W/v.txt" || { sed -n '/threads:/,/^$/p' "$W/v.txt" | grep '^      thread'; fail "vfork is not named"; }
! grep -Eq "(in|sleeping in) [0-9]+([,;]|$)" "$W/v.txt" || { grep -E "(in|sleeping in) [0-9]+([,;]|$)" "$W/v.txt"; fail "a raw system call number"; }
exit 0

#!/bin/bash
# t415: exit() blocked in stdio's flush (after its atexit handlers: glibc's _IO_cleanup) on a pipe
# whose reader never reads, then ended by SIGTERM from its supervisor (HANG15). The shim's
# exit_done line (the end of the atexit handlers) came before the flush, and the report took it
# as the end: "exit status 0" in the verdict, the process header and the hang finding ("it then
# ended with exit status 0"), though the arrival line says SIGTERM's default action killed it.
# Now: killed by SIGTERM. The hang's root cause said only "the thread that began the teardown,
# ..., sleeping in write, did not get further" and its fix "see what the snapshot's threads wait
# for"; the killed finding "killed in code the trace does not name". Now both name exit()'s flush
# of the stdio streams (after the atexit handlers), the hang a full pipe whose reader does not
# read, with a fix about that reader and the program's flush. The reader: a fifo opened by a
# sleep that never reads it.
. "$(dirname "$0")/lib.sh"
build exit_flush_pipe exit_flush_pipe.c
# (the first snapshot: the flush is blocked, the write of a full pipe)
unread_pipe_run TERM 1 "$BIN/exit_flush_pipe"
[ $RC = 143 ] || fail "status $RC, expected 143 (SIGTERM): $(cat "$W/err")"
grep -q ' exit_done$' "$W/t.trace" || fail "no exit_done line before the flush (the case does not show what it tests)"
grep -q "exit status 0" "$W/report" && fail "an exit status it did not have: $(grep -n 'exit status 0' "$W/report")"
grep -Eq "^process $PID exit_flush_pipe: killed by SIGTERM" "$W/report" || fail "process header: $(grep "^process $PID" "$W/report")"
grep -Eq "error killed +process $PID " "$W/report" || fail "no killed finding: $(cat "$W/report")"
grep -Eq "killed in exit\(\)'s flush of the stdio streams \(glibc's _IO_cleanup, after the atexit handlers\), in write" "$W/report" ||
	fail "killed: where: $(grep -A1 'error killed' "$W/report")"
root=$(grep -A4 "error hang" "$W/report" | grep "root cause:")
echo "$root" | grep -q "was flushing the stdio streams' buffers (glibc's _IO_cleanup): thread $PID (exit_flush_pipe) is blocked in write to a pipe that is full: the process at its other end (the reader) does not read it" ||
	fail "hang: root cause: $root"
fix=$(grep -A4 "error hang" "$W/report" | grep "fix:")
echo "$fix" | grep -q "fix: *the reader of this process's output .* must read it to its end, or close it" || fail "hang: fix: $fix"
exit 0

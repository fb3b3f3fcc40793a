#!/bin/bash
# t350: a child started with SIGTERM blocked by the thread of its traced parent that forked it,
# and reaped after SIGKILL (a synthetic trace): its signal-handler finding names that thread's
# sig_mask line whichever thread of the parent it was. The parent here has 17 threads that each
# block SIGTERM, in turn, and the 17th and the 1st each fork a child. Before (mend12): the fork
# index kept the last sig_mask line of only the first 16 threads of a process that blocked
# anything (masks[16]), so the 17th thread's child had no "its parent ... blocked it" words.
. "$(dirname "$0")/lib.sh"
cd "$W"
$PY - <<'PY'
with open("threads.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /sup sup\n")
    for k in range(17):
        f.write(f"1 {101 + k} {10 + k} - sig_mask pthread_sigmask 0x8000 0x{0x1000 + 0x10 * k:x}\n")
    f.write("1 117 100 - fork 2\n1 101 101 - fork 3\n")
    for c in (2, 3):
        f.write(f"{c} {c} {200 + c} - forked 1\n{c} {c} {200 + c} - sig_inherit 0x8000 0x0\n")
    f.write("1 1 300 - reap waitpid 2 signal 9 0 0\n1 1 301 - reap waitpid 3 signal 9 0 0\n")
    f.write("1 1 400 - exit 0\n1 1 401 - exit_done\n")
PY
"$REPORT" --no-symbols threads.trace >threads.txt 2>threads.err
rc=$?
[ $rc -le 1 ] || { cat threads.err; fail "status $rc"; }
for c in "2 117 0x1100" "3 101 0x1000"; do
	set -- $c
	grep -q "its parent 1 (sup): thread $2 blocked it with pthread_sigmask() from $3 and forked it" threads.txt ||
		{ grep -n "root cause" threads.txt; fail "child $1: its parent's thread $2 not named"; }
done
echo ok

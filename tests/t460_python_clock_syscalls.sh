#!/bin/bash
# t460: the clock_gettime system calls the shim makes in `python3 -c pass` (COST16). The shim's
# clock is a system call for a process's first 64 readings (~1 us each here), since the vDSO's two
# data pages cost a fault of ~14 us each on their first read (shim/trace.c now_ns); but python3
# reads CLOCK_MONOTONIC through the vDSO itself in Py_Initialize, and from then on a reading there
# costs the shim nothing: trace_clock_program_read, from python.c's py_flags once the interpreter
# reads as initialized. Before, `python3 -c pass` made 21 of these calls (17 after Py_Initialize:
# the main thread's .pyc reads asking py_fin_blocking_fd, its end's lines); then the header's and
# those of the signal handlers Py_Initialize installs before "initialized" is set (3); now, under
# 3.11, the header's only: 3.11 read the clock before it put the interpreter on the runtime's list,
# which py_flags reads too (1).
# A count, not a time (strace -f). /bin/true keeps its system calls (6): the vDSO would be two
# faults of its own there (t201 bounds its total).
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip "no strace"

# clock_calls CMD...: the clock_gettime system calls of a run under the shim
clock_calls() {
	rm -f "$W/clock.trace"
	strace -f -qq -e trace=clock_gettime -o "$W/clock.st" -E LD_PRELOAD="$SHIM" -E TLSTRACE_FILE="$W/clock.trace" \
		"$@" >/dev/null 2>&1 || fail "strace $*"
	grep -c 'clock_gettime(' "$W/clock.st"
}
n=$(clock_calls $PY -c pass)
without=$(strace -f -qq -e trace=clock_gettime -o /dev/stdout $PY -c pass 2>/dev/null | grep -c 'clock_gettime(')
note "python3 -c pass: $n clock_gettime system calls with the shim, $without without"
# (bound 6: Python 3.13 and 3.14 have no runtime list read directly, py.rt311, so the handlers'
# lines before "initialized" keep theirs there: trixie's python3 -B -c pass 20 -> 5, sid's 22 -> 4,
# strace from outside the chroot)
[ "$n" -le 6 ] || fail "python3 -c pass: $n clock_gettime system calls with the shim (bound 6): $(cat "$W/clock.st")"
# the trace's times still in order and from the same clock: the header's (a system call) no later
# than main_return's and exit_done's (the vDSO's)
awk '$5 == "tlstrace" { h = $3 } $5 == "main_return" { m = $3 } $5 == "exit_done" { e = $3 }
     END { exit !(h && m && e && h + 0 <= m + 0 && m + 0 <= e + 0) }' "$W/clock.trace" ||
	fail "the trace's times out of order: $(grep -E ' - (tlstrace|main_return|exit_done)' "$W/clock.trace")"
# a process that never initializes Python keeps the system call (no vDSO page of its own)
n=$(clock_calls /bin/true)
note "/bin/true: $n clock_gettime system calls with the shim"
[ "$n" -ge 1 ] || fail "/bin/true: no clock_gettime system call: the vDSO's pages, two faults, in a process that reads no clock"
echo "ok"

#!/bin/bash
# t201: the system calls the shim adds to a whole run of /bin/true and python3 -c pass (issue 18:
# start-up back where it was), counted with strace -f -c against the same run without it: a count,
# not a time. python3 queries the action of each of the 64 signals at its start; a query of one the
# shim owns asked getpid() each time (is this a vfork child?), 12 system calls, until a query
# needed that only after a vfork child set an action of its own (shim/crash.c, owned_sigaction).
# Bounds: the day's figures (46 and 62 added, a new trace file each) plus a little; before, python3 added 74.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip "no strace"

# calls [shim] CMD...: the number of system calls of a run
calls() {
	local pre=()
	if [ "$1" = shim ]; then
		pre=(-E LD_PRELOAD="$SHIM" -E TLSTRACE_FILE="$W/calls.trace")
	fi
	shift
	rm -f "$W/calls.trace"
	strace -f -c -U name,calls -o "$W/calls.txt" "${pre[@]}" "$@" >/dev/null 2>&1 || fail "strace $*"
	awk '$1 == "total" { print $2 }' "$W/calls.txt"
}
check() {
	local name=$1 bound=$2 with without
	shift 2
	without=$(calls none "$@")
	with=$(calls shim "$@")
	cp "$W/calls.txt" "$W/$name.calls"
	note "$name: $without system calls, $with with the shim (+$((with - without)))"
	[ $((with - without)) -le "$bound" ] || fail "$name: the shim adds $((with - without)) system calls (bound $bound): $(cat "$W/$name.calls")"
}
check true 50 /bin/true
# python 50 since COST16 (80 since stop 28, 65 before): the read family's watch (shim/reads.c,
# PY10) asked, for a read at a stack depth not seen in 100 ms on python3's main thread after
# Py_Initialize, whether its descriptor can wait (fd_may_block: fcntl F_GETFL and lseek), 6 calls
# in `python3 -c pass` (16 in a slowed-down run); python3's own Py_FinalizeEx now answers from the top of the stack first
# (t463), and the clock goes to the vDSO once Python is initialized (t460): +40 (2026-12-02)
check python 50 $PY -c pass
# the queries alone: getpid at most at the ends (exit's wrappers, the interpreter's reads)
n=$(awk '$1 == "getpid" { print $2 }' "$W/python.calls")
[ "${n:-0}" -le 12 ] || fail "python3 -c pass: $n getpid calls with the shim"
# no /proc read at python3's end: the Py_AtExit list inside /usr/bin/python3 is read directly, not
# through process_vm_readv, whose first use reads /proc/self/status for a seccomp filter (~31 us
# in a fresh process: shim/pyatexit.c list_read)
n=$(awk '$1 == "process_vm_readv" { print $2 }' "$W/python.calls")
[ "${n:-0}" = 0 ] || fail "python3 -c pass: $n process_vm_readv calls with the shim"
rm -f "$W/calls.trace"
strace -f -e trace=openat -o "$W/opens.txt" -E LD_PRELOAD="$SHIM" -E TLSTRACE_FILE="$W/calls.trace" $PY -c pass >/dev/null 2>&1
! grep -q '"/proc/' "$W/opens.txt" || fail "python3 -c pass: the shim read /proc: $(grep /proc "$W/opens.txt")"
echo "ok"

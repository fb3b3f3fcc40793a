#!/bin/bash
# t463: what the reads of python3's start cost in system calls (COST16). Each read on python3's
# main thread after Py_Initialize asks py_fin_blocking_fd (shim/reads.c, python.c) whether
# Py_FinalizeEx is running and the call may block; at each new stack depth that was
# fd_may_block's fcntl(F_GETFL) and lseek(SEEK_CUR) (~1 us each here), then py_state's scan of
# the whole stack: 6 system calls in `python3 -c pass` (its .pth and .pyc reads; 16 in a run
# slowed down by strace -k, where fin_memo's 100 ms run out), ~110 with json and argparse imported. python3 runs its own Py_FinalizeEx in the first frames of its main
# thread's stack (main, Py_BytesMain, Py_RunMain): fin_not_at_top reads the top 4 KiB of it first,
# and a start's reads, none of them there, need neither. Counted: F_GETFL and lseek calls with the
# shim against without (python3 makes no F_GETFL of its own, and its lseeks are its own); the
# reads of an atexit callback still begin the teardown (t317, t333).
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip "no strace"

# calls NAME [shim] CMD...: "F_GETFL-calls lseek-calls" of a run
calls() {
	local name=$1 pre=()
	shift
	if [ "$1" = shim ]; then
		pre=(-E LD_PRELOAD="$SHIM" -E TLSTRACE_FILE="$W/$name.trace")
		shift
	fi
	rm -f "$W/$name.trace"
	strace -f -qq -e trace=fcntl,lseek -o "$W/$name.st" "${pre[@]}" "$@" >/dev/null 2>&1 || fail "strace $*"
	echo "$(grep -c 'F_GETFL' "$W/$name.st") $(grep -c 'lseek(' "$W/$name.st")"
}
check() {
	local name=$1 with without
	shift
	without=$(calls "$name.plain" "$@")
	with=$(calls "$name" shim "$@")
	note "$*: F_GETFL and lseek calls: $without without the shim, $with with it"
	[ "$with" = "$without" ] || fail "$*: the shim adds F_GETFL or lseek calls ($without without, $with with): $(grep -E 'F_GETFL|lseek' "$W/$name.st" | head -20)"
}
check pass $PY -c pass
check imports $PY -c 'import json, argparse'
echo "ok"

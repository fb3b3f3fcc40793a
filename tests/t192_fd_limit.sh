#!/bin/bash
# t192: no descriptor number taken under a low RLIMIT_NOFILE: a program started with a soft limit
# of 4, 5 or 20 (hard limit higher), or lowering its own limit to 3, 4 or 8, opens as many
# descriptors with the same numbers as without the shim (fd_limit.c), and the trace is written:
# the shim puts its descriptor at the soft limit (raised by one for that moment), where the
# program cannot open one.
. "$(dirname "$0")/lib.sh"
build fd_limit fd_limit.c -- -pthread
run_both() { # NAME SOFT ARG...
	local name=$1 soft=$2
	shift 2
	(ulimit -Sn "$soft" && exec "$BIN/fd_limit" "$@") >"$W/$name.plain" 2>&1
	local a=$?
	(ulimit -Sn "$soft" && LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$name.trace exec "$BIN/fd_limit" "$@") >"$W/$name.shim" 2>&1
	local b=$?
	[ $a = $b ] || fail "$name: exit $a without the shim, $b with it"
	cmp -s "$W/$name.plain" "$W/$name.shim" || fail "$name: without the shim:
$(cat "$W/$name.plain")
with it:
$(cat "$W/$name.shim")"
	grep -q ' exit_done$' "$W/$name.trace" || fail "$name: no trace"
	note "$name: $(tail -1 "$W/$name.shim")"
}
for soft in 4 5 20; do run_both soft$soft $soft; done
for own in 3 4 8; do run_both own$own 1024 $own; done
echo ok

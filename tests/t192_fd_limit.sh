#!/bin/bash
# t192: no descriptor number taken under a low RLIMIT_NOFILE: a program started with a soft limit
# of 4, 5 or 20 (hard limit higher), or lowering its own limit to 3, 4 or 8, opens as many
# descriptors with the same numbers as without the shim (fd_limit.c), and the trace is written:
# the shim puts its descriptor at the soft limit (raised by one for that moment), where the
# program cannot open one; where it cannot (hard limit = soft, no CAP_SYS_RESOURCE) it holds none.
. "$(dirname "$0")/lib.sh"
build fd_limit fd_limit.c -- -pthread
# same_runs DIR/NAME A B: the runs' statuses A and B and their outputs (NAME.plain, NAME.shim) alike
same_runs() {
	local n=$1
	[ "$2" = "$3" ] || fail "${n##*/}: exit $2 without the shim, $3 with it"
	cmp -s "$n.plain" "$n.shim" || fail "${n##*/}: without the shim:
$(cat "$n.plain")
with it:
$(cat "$n.shim")"
	note "${n##*/}: $(tail -1 "$n.shim")"
}
run_both() { # NAME SOFT ARG...
	local name=$1 soft=$2 a b
	shift 2
	(ulimit -Sn "$soft" && exec "$BIN/fd_limit" "$@") >"$W/$name.plain" 2>&1
	a=$?
	(ulimit -Sn "$soft" && LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$name.trace exec "$BIN/fd_limit" "$@") >"$W/$name.shim" 2>&1
	b=$?
	same_runs "$W/$name" $a $b
	grep -q ' exit_done$' "$W/$name.trace" || fail "$name: no trace"
}
for soft in 4 5 20; do run_both soft$soft $soft; done
for own in 3 4 8; do run_both own$own 1024 $own; done

# The hard limit equal to the soft one, and no CAP_SYS_RESOURCE (user nobody): no number is out
# of the program's reach, so the trace holds no descriptor between writes (it is opened for each).
# The program gets every number, as without the shim; with all of them taken, the shim's lines
# are lost, and written again once it closed them (FD_LIMIT_CLOSE).
command -v setpriv >/dev/null || skip "no setpriv"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
nobody true 2>/dev/null || skip "cannot run as nobody"
D=$W/nobody && mkdir -p "$D" && chmod 777 "$D"
nobody test -x "$BIN/fd_limit" -a -r "$SHIM" || skip "nobody cannot run $BIN/fd_limit or read the shim"
for lim in 4 8 64; do
	for close in "" 1; do
		n=hard$lim${close:+close}
		(ulimit -n "$lim" && FD_LIMIT_CLOSE=$close nobody "$BIN/fd_limit") >"$D/$n.plain" 2>&1
		a=$?
		(ulimit -n "$lim" && FD_LIMIT_CLOSE=$close nobody env LD_PRELOAD=$SHIM TLSTRACE_FILE=$D/$n.trace "$BIN/fd_limit") >"$D/$n.shim" 2>&1
		b=$?
		same_runs "$D/$n" $a $b
		grep -q ' tlstrace ' "$D/$n.trace" || fail "$n: no trace"
		if [ -n "$close" ]; then
			grep -q ' exit_done$' "$D/$n.trace" || fail "$n: the end not in the trace"
		fi
	done
done
echo ok

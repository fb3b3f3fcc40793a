#!/bin/bash
# t063: no memory mapping per thread: 200 live threads, each with a thread_local with a destructor
# and a pthread key with a destructor, make the process count about as many /proc/self/maps lines
# with the shim as without it (each mapping a thread costs is a thread fewer under
# vm.max_map_count). The shim's own mappings are a constant few, not one per thread: its records
# come from shared 1 MiB mappings, its deep work runs on a small pool of stacks.
. "$(dirname "$0")/lib.sh"
build threadmaps threadmaps.cc -- -pthread
count() { "$@" | awk '$1 == "maps" { print $2 }'; }
for n in 0 200; do
	p=$(count "$BIN/threadmaps" $n)
	for mode in default nosignals; do
		env=(LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/maps.trace")
		[ $mode = nosignals ] && env+=(TLSTRACE_SIGNALS=0)
		s=$(count env "${env[@]}" "$BIN/threadmaps" $n)
		[ -n "$p" ] && [ -n "$s" ] || fail "threadmaps $n: no count"
		note "$n threads ($mode): $p mappings without the shim, $s with it"
		eval "extra_${mode}_$n=$((s - p))"
	done
done
for mode in nosignals default; do
	a=$(eval echo \$extra_${mode}_0) b=$(eval echo \$extra_${mode}_200)
	[ "$b" -le $((a + 10)) ] || fail "$mode: the shim's mappings grow with the threads: +$a with none, +$b with 200"
	[ "$b" -le 40 ] || fail "$mode: the shim adds $b mappings"
done
echo ok

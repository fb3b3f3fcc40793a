#!/bin/bash
# t190: a program's first records add no anonymous mapping, not even one the kernel merges with a
# neighbour (t049 counts /proc/self/maps lines, which such a merge hides): after its first
# thread_local with a destructor, its first pthread key with a destructor and 100 atexit
# handlers, the only new line of /proc/self/maps is the program's own file (mapped read-only to
# name its thread_local, modules.c), and no anonymous mapping grew. Twenty runs: whether a new
# anonymous mapping shows as a line of its own depends on where ASLR put the holes next to
# 2 MiB-aligned libraries (about one run in three, with the global arena's first chunk mmap'd).
. "$(dirname "$0")/lib.sh"
build maps_added maps_added.cc -- -O2 -pthread
# short paths (the program's, the trace's, its argv): the shim keeps them in the start-up page's
# arena, which long ones fill before main, and then the mapping this case looks for is made before
# the first look
S=$(mktemp -d /tmp/t190.XXXX) || fail "mktemp"
trap 'rm -rf "$S"' EXIT
cp "$BIN/maps_added" "$S/m"
cd "$S" || fail "cd $S"
for i in $(seq 1 20); do
	m=$i
	./m "$m.plain" || fail "run $i: the program failed"
	d=$(diff "$m.plain.before" "$m.plain.after" | grep '^[<>]')
	[ -z "$d" ] || fail "run $i: the maps changed without the shim: $d"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=t ./m "$m.shim" || fail "run $i: the program failed under the shim"
	d=$(diff "$m.shim.before" "$m.shim.after" | grep '^[<>]' |
		awk -v exe="$S/m" '!($1 == ">" && $3 == "r--p" && $NF == exe)')
	[ -z "$d" ] || cp "$m".* "$W/"
	[ -z "$d" ] || fail "run $i: with the shim, lines other than the program's file added or changed:
$d"
done
note "20 runs: only the program's file added"
echo ok

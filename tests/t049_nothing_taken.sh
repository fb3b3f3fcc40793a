#!/bin/bash
# t049: a program's first registrations take nothing from it: after its first thread_local with
# a destructor, its first pthread key with a destructor, and a thread doing the same, it has the
# same descriptors open and gets the same next descriptor and pthread key as without the shim, and
# after the main thread's registrations no mapping appeared that it would not have had
# (first_reg.cc; the shim loads nothing at that moment). One exception, counted apart: the file
# of the module holding a thread_local is mapped read-only once to name the variable (modules.c,
# once per module). Two runs of each: a new anonymous mapping is a line more only when ASLR puts
# it next to no anonymous neighbour (t190 looks at the lines themselves). A thread's mappings
# (the shim's record chunk) are only shown, not checked here.
# Also: valgrind finds no more errors with the shim than without in crashes the shim unwinds
# (abort, a jump to a bad address); t065 covers programs that register and exit.
. "$(dirname "$0")/lib.sh"
build first_reg first_reg.cc -- -O2 -pthread
build crashers crashers.c -- -O0 -pthread
build crashers_count crashers.c -- -O0 -pthread -DCOUNT_MALLOC
mkdir -p "$W"
# stage lines: "NAME: fds N, maps N, next key K, next fd F"; compared as deltas from "before"
# (the shim's own trace descriptor and mappings are there from the start)
deltas() {
	awk -F'[:,] *' '{ split($2, f, " "); split($3, m, " ") }
		NR == 1 { f0 = f[2]; m0 = m[2] }
		{ print $1 ": fds +" f[2] - f0 ", maps +" m[2] - m0 ", " $4 ", " $5 }' "$1"
}
for mode in tls key all; do
	"$BIN/first_reg" $mode >"$W/$mode.plain" || fail "$mode: the program failed"
	for unwind in 1 2; do
		LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$mode.$unwind.trace "$BIN/first_reg" $mode >"$W/$mode.$unwind" ||
			fail "$mode run $unwind: the program failed under the shim"
		[ -s "$W/$mode.$unwind.trace" ] || fail "$mode run $unwind: no trace"
		want=$(deltas "$W/$mode.plain")
		got=$(deltas "$W/$mode.$unwind")
		if [ $mode = all ]; then
			note "$mode run $unwind, with a thread: $(echo "$got" | tail -1) (without the shim: $(echo "$want" | tail -1))"
			want=$(echo "$want" | sed '$s/maps +[0-9]*, //')
			got=$(echo "$got" | sed '$s/maps +[0-9]*, //')
		fi
		if [ $mode != key ] && [ "$got" != "$want" ]; then
			# the one allowed mapping: the program's file, to name its thread_local
			got=$(echo "$got" | awk -v w="$(echo "$want" | tr '\n' '|')" '
				BEGIN { n = split(w, wl, "|") }
				{ split($0, g, "maps \\+"); split(wl[NR], x, "maps \\+"); if (g[2] + 0 == x[2] + 1) sub("maps \\+" g[2] + 0, "maps +" x[2] + 0); print }')
			note "$mode run $unwind: one mapping more, the program's file (its thread_local named)"
		fi
		[ "$got" = "$want" ] || fail "$mode run $unwind: without the shim:
$want
with it:
$got"
	done
done
note "$(deltas "$W/all.1" | tr '\n' ';')"

if ! command -v valgrind >/dev/null; then
	note "valgrind missing (tests/deps installs it): that part not run"
	echo ok
	exit 0
fi
ulimit -c 0
# errors valgrind counts for CMD, without and with the shim
vg_errors() {
	local name=$1; shift
	(LD_PRELOAD=${PRE:-} TLSTRACE_FILE=$W/vg.$name.trace valgrind "$@" >"$W/vg.$name.out" 2>&1) 2>/dev/null
	sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$W/vg.$name.out" | tail -1
}
for prog in "crashers abort" "crashers_count badcall"; do
	n=${prog// /_}
	a=$(vg_errors $n.plain "$BIN/"$prog)
	b=$(PRE=$SHIM vg_errors $n.shim "$BIN/"$prog)
	[ -n "$a" ] && [ -n "$b" ] || fail "valgrind $prog: no error summary (see $W/vg.$n.*.out)"
	[ "$b" = "$a" ] || { grep -v "^tlstrace" "$W/vg.$n.shim.out" | head -40; fail "valgrind $prog: $a errors without the shim, $b with it"; }
	note "valgrind $prog: $a errors without and with the shim"
done
grep -q "^tlstrace: backtrace (libgcc)" "$W/vg.crashers_abort.shim.out" || fail "valgrind crashers abort: no backtrace from the shim's unwinder"
echo ok

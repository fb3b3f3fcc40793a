#!/bin/bash
# t064: an ASan program whose main ends with pthread_exit (ASan destroys the main thread from its
# key destructor, LeakSanitizer checks at exit) ends as without the shim, libasan first in
# LD_PRELOAD as ASan requires: same status, same output (stdout lines sorted: two threads print;
# stderr with pids and addresses masked, and the frames of LSan's report reduced to their number:
# once main has exited, ASan's symbolizer may or may not name them, depending on whether its
# module list was read while it could). Frames in no module or in [stack] are dropped: past main, ASan's
# frame-pointer walk follows whatever glibc's start code left in %rbp into the environment's
# strings, so their number depends on where ASLR put the stack (seen once in a full run: a third
# frame "0x73747365742f6e68", the text "hn/tests"; 0 of 100 runs each way reproduced it).
# Without and with a leak for LSan to report.
. "$(dirname "$0")/lib.sh"
asan=$(gcc -print-file-name=libasan.so)
asan=$(readlink -f "$asan")
[ -e "$asan" ] || skip "no libasan"
out=$BIN/asan_pthread_exit
if [ ! -e "$out" ] || [ "$ROOT/tests/src/asan_pthread_exit.c" -nt "$out" ]; then
	gcc -fsanitize=address -g -O1 -o "$out" "$ROOT/tests/src/asan_pthread_exit.c" -pthread || fail "cannot build $out"
fi
mask() { sed -E '/\((<unknown module>|\[stack\]\+0x[0-9a-f]+)\)$/d; s/==[0-9]+==/==PID==/g; s/0x[0-9a-f]+/0xADDR/g; s/ T[0-9]+/ Tn/g; s/^( +#[0-9]+) .*/\1/' "$1"; }
cd "$W" || fail "no $W"
for m in clean leak; do
	timeout 60 "$out" $m >$m.a.out 2>$m.a.err; a=$?
	timeout 60 env LD_PRELOAD="$asan:$SHIM" TLSTRACE_FILE="$W/$m.trace" "$out" $m >$m.b.out 2>$m.b.err; b=$?
	note "$m: exit $a without the shim, $b with it"
	[ "$a" = "$b" ] || { head -5 $m.b.err; fail "$m: exit $a without the shim, $b with it"; }
	cmp -s <(sort $m.a.out) <(sort $m.b.out) || fail "$m: stdout differs"
	cmp -s <(mask $m.a.err) <(mask $m.b.err) || { diff <(mask $m.a.err) <(mask $m.b.err) | head; fail "$m: stderr differs"; }
done
echo ok

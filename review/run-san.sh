#!/bin/bash
# kind 21: sanitizers and checkers with the shim (review/san_prog.c)
cd "$(dirname "$0")" || exit 2
SHIM=$PWD/../libtlstrace.so ASAN=/usr/lib/x86_64-linux-gnu/libasan.so.8
gcc -O1 -g -o san_plain san_prog.c -lpthread && gcc -O1 -g -fsanitize=address -o san_asan san_prog.c -lpthread &&
gcc -O1 -g -fsanitize=undefined -o san_ubsan san_prog.c -lpthread && clang -O1 -g -fsanitize=thread -o san_tsan san_prog.c -lpthread || exit 2
# the trace's shape: lines, event names (sorted, unique)
shape() { [ -f "$1" ] && echo "$(grep -c . "$1") lines, $(awk '{print $5}' "$1" | sort -u | tr '\n' ' ')" || echo "no trace"; }
d=$(mktemp -d /tmp/u8san.XXXXXX)
# ASan first in LD_PRELOAD (as ASan requires) with each TLSTRACE_* variable: the ASan build under
# libasan alone against libasan:libtlstrace.so: status, stdout (and stderr for exit; ASan's own
# report of the crash holds addresses); then where the trace went
for v in "" TLSTRACE_DISABLE=1 TLSTRACE_SIGNALS=0 TLSTRACE_STDERR=0 TLSTRACE_THREADS=all TLSTRACE_MAX_SIZE=1K TLSTRACE_HANG_MS=0 TLSTRACE_HANG_MS=500 TLSTRACE_BACKTRACE=0 TLSTRACE_WATCH=poison TLSTRACE_DEBUG=1; do
	for m in exit crash; do
		n=san_asan_first_${v:-novar}_$m
		r=$(ASAN_OPTIONS=detect_leaks=0 ./cmp.sh $n --env ${v:-U8=1} $([ $m = crash ] && echo --nostderr) --pre $ASAN -- ./san_asan $m)
		echo "$r; trace: $(shape out/$n.trace)"
	done
done
ASAN_OPTIONS=detect_leaks=0 ./cmp.sh san_asan_pexit --pre $ASAN -- ./san_asan pexit
ASAN_OPTIONS=detect_leaks=0 ./cmp.sh san_asan_pexit_leaks --pre $ASAN -- env ASAN_OPTIONS=detect_leaks=1 ./san_asan pexit
./cmp.sh san_asan_crash --crash --filter "sed -E s/0x[0-9a-f]+/ADDR/g;s/==[0-9]+==/==PID==/g" --nostderr --pre $ASAN -- ./san_asan crash
./cmp.sh san_ubsan --filter cat -- ./san_ubsan ub
./cmp.sh san_ubsan_exit -- ./san_ubsan exit
./cmp.sh san_plain_pexit -- ./san_plain pexit
# TSan: status, stdout, and the number of warnings
for m in race exit pexit; do
	./cmp.sh san_tsan_$m --nostderr -- ./san_tsan $m
	echo "  tsan $m warnings: $(grep -c 'WARNING: ThreadSanitizer' out/san_tsan_$m.0.err) -> $(grep -c 'WARNING: ThreadSanitizer' out/san_tsan_$m.1.err); first lines differ: $(diff <(grep -v '^ \|^$\|==' out/san_tsan_$m.0.err | sed -E 's/[0-9]+//g' | head -5) <(grep -v '^ \|^$\|==' out/san_tsan_$m.1.err | sed -E 's/[0-9]+//g' | head -5) >/dev/null && echo no || echo yes)"
done
# valgrind
for p in "./san_plain exit" "./san_plain pexit" "/usr/bin/python3 -c pass"; do
	n=valgrind_$(echo $p | tr -c 'a-z0-9\n' _)
	./cmp.sh $n --nostderr --timeout 120 -- valgrind -q --error-exitcode=99 --trace-children=no $p
	echo "  $n: $(grep -c '^==[0-9]*== [A-Z]' out/$n.1.err) valgrind lines with the shim (first: $(grep -m1 '^==[0-9]*== [A-Z]' out/$n.1.err | cut -c1-120))"
done
rm -rf $d
# clang builds (sanitizer runtimes linked into the executable: their interceptors of close(),
# strtol() come before libc for the shim too) and gcc's static libasan, shim alone in LD_PRELOAD
clang -O1 -g -fsanitize=address -o san_clang_asan san_prog.c -lpthread && gcc -O1 -g -fsanitize=address -static-libasan -o san_asan_static san_prog.c -lpthread &&
gcc -O1 -g -fsanitize=thread -o san_tsan_gcc san_prog.c -lpthread && clang -O1 -g -fsanitize=memory -o san_clang_msan san_prog.c -lpthread || exit 2
for p in san_clang_asan san_asan_static san_tsan_gcc san_clang_msan; do
	for v in U8=1 TLSTRACE_HANG_MS=500; do
		ASAN_OPTIONS=detect_leaks=0 ./cmp.sh ${p}_${v%%=*} --nostderr --env $v -- ./$p exit
	done
done

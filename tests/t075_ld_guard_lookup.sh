#!/bin/bash
# t075: a local-dynamic lookup that serves a thread_local's init guard and the variable itself
# (`call __tls_get_addr; cmpb $0,G(%rax); je init; mov V(%rax),%rax`: GCC 16 at -O2, clang at -O2,
# also through a copy of %rax) is checked against the variable, not only the guard: the atexit
# handler of plugin_atexit.cc reading the destroyed hidden_tls is flagged as `ld`, with its name,
# whichever compiler and level built the plugin (t014 checks GCC's default build in full).
. "$(dirname "$0")/lib.sh"
build dlopen_main dlopen_main.c -- -ldl
builds=("g++ -O1" "g++ -O2" "g++ -Os")
command -v clang++ >/dev/null && builds+=("clang++ -O2") || note "no clang++: GCC only"
for b in "${builds[@]}"; do
	n=$(echo "$b" | tr -c 'a-zA-Z0-9\n' _)
	$b -g -Wall -shared -fPIC -o "$BIN/pa_$n.so" "$ROOT/tests/src/plugin_atexit.cc" || fail "$b: build"
	traced "$n" "$BIN/dlopen_main" "$BIN/pa_$n.so"
	[ "$RC" = 0 ] || fail "$b: exit status $RC"
	main=$(pids "$n" '^tlstrace$')
	expect_order "$n" "$main" "^$main . atexit_run [0-9]+ pa_$n\\.so\\+0x" \
		"^$main . uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ _ZL10hidden_tls [0-9]+ pa_$n\\.so\\+0x[0-9a-f]+ ld "
done

#!/bin/bash
# t074: the shim and the report build with the other compilers installed (clang on Debian 12,
# gcc-15 in the Debian unstable chroot; `make CC=...`) under the Makefile's -Wall -Wextra
# -Werror, each in a copy of the tree, and the shim so built traces a C++ program. The default
# compiler builds them in every other case (GCC 12 here, the releases' GCC in t070 and t071).
. "$(dirname "$0")/lib.sh"
ccs=()
for c in clang gcc-15; do command -v "$c" >/dev/null && ccs+=("$c"); done
[ ${#ccs[@]} -gt 0 ] || skip "no other compiler (clang, gcc-15) installed"
build cxx_threads cxx_threads.cc -- -pthread
for c in "${ccs[@]}"; do
	t=$W/tree-$c
	mkdir -p "$t"
	tar -C "$ROOT" --exclude=./build --exclude=./tests/out --exclude=./.git --exclude=./libtlstrace.so \
		--exclude=./tlstrace-report --exclude=./tlstrace -cf - . | tar -C "$t" -xf -
	make -C "$t" CC="$c" all >"$W/build-$c.log" 2>&1 || { tail -30 "$W/build-$c.log"; fail "make CC=$c failed"; }
	! grep -i "warning" "$W/build-$c.log" || fail "$c: warnings"
	[ -e "$t/libtlstrace.so" ] && [ -x "$t/tlstrace-report" ] || fail "$c: nothing built"
	SHIM=$t/libtlstrace.so traced "run-$c" "$BIN/cxx_threads"
	[ "$RC" = 3 ] || fail "cxx_threads under the $c-built shim: exit status $RC"
	expect_line "run-$c" " tls_dtor_end "
done

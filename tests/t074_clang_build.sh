#!/bin/bash
# t074: the shim and the report build with clang (`make CC=clang`) under the Makefile's
# -Wall -Wextra -Werror, in a copy of the tree; GCC builds them in every other case, and the
# chroots (t070, t071) build them with their releases' GCC.
. "$(dirname "$0")/lib.sh"
command -v clang >/dev/null || skip "clang not installed"
mkdir -p "$W/tree"
tar -C "$ROOT" --exclude=./build --exclude=./tests/out --exclude=./.git --exclude=./libtlstrace.so \
	--exclude=./tlstrace-report --exclude=./tlstrace -cf - . | tar -C "$W/tree" -xf -
make -C "$W/tree" CC=clang all >"$W/build.log" 2>&1 || { tail -30 "$W/build.log"; fail "make CC=clang failed"; }
! grep -i "warning" "$W/build.log" || fail "clang warnings"
[ -e "$W/tree/libtlstrace.so" ] && [ -x "$W/tree/tlstrace-report" ] || fail "nothing built"
# the clang-built shim works: a C++ program's thread_locals traced, the same outcome
build cxx_threads cxx_threads.cc -- -pthread
SHIM=$W/tree/libtlstrace.so traced run "$BIN/cxx_threads"
[ "$RC" = 3 ] || fail "cxx_threads under the clang-built shim: exit status $RC"
expect_line run " tls_dtor_end "

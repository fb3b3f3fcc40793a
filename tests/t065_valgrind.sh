#!/bin/bash
# t065: valgrind (memcheck, --error-exitcode=99, definite leaks counted as errors) reports no error
# on programs under the shim: C++ thread_locals in threads, pthread keys, a use-after-destroy with
# its backtrace and a thread's exit() (tests/src/stackuse.cc), python3 -c
# pass, the seed extension under python3. Each program's own status is compared with its run
# without the shim, under valgrind too. Skipped without valgrind (tests/deps installs it).
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "no valgrind"
build cxx_threads cxx_threads.cc -- -pthread
build keys keys.c -- -pthread
mkdir -p "$BIN/stackuse.d"
lib=$BIN/stackuse.d/libstackuse_lib.so
if [ ! -e "$lib" ] || [ "$ROOT/tests/src/stackuse_lib.cc" -nt "$lib" ]; then
	g++ -O2 -fPIC -shared -o "$lib" "$ROOT/tests/src/stackuse_lib.cc" || fail "cannot build $lib"
fi
build stackuse.d/stackuse stackuse.cc -- -L"$BIN/stackuse.d" -lstackuse_lib -Wl,-rpath,'$ORIGIN' -pthread -ldl
ext=$(build_pyext seedext seedext.cc)
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
i=0
check() {
	local n=v$((i += 1)) a b
	timeout 600 "${VG[@]}" "$@" >"$W/$n.a.out" 2>"$W/$n.a.err"; a=$?
	timeout 600 env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/$n.trace" "${VG[@]}" "$@" >"$W/$n.b.out" 2>"$W/$n.b.err"; b=$?
	note "$*: exit $a without the shim, $b with it"
	[ "$b" != 99 ] || { grep '^==' "$W/$n.b.err" | head -40; fail "valgrind errors under the shim: $*"; }
	[ "$a" = "$b" ] || { head -20 "$W/$n.b.err"; fail "$*: exit $a without the shim, $b with it"; }
	[ -s "$W/$n.trace" ] || fail "$*: no trace"
}
check "$BIN/cxx_threads"
check "$BIN/keys"
# (with a size: no measuring, whose scan of the stack would read below a dead thread's stack
# pointer, an error of the program's own)
check "$BIN/stackuse.d/stackuse" uad 65536
check "$BIN/stackuse.d/stackuse" exit 65536
check "$PY" -c pass
PYTHONPATH=$ext:$ROOT/tests/apps check "$PY" -X faulthandler=0 "$ROOT/tests/apps/seed_main.py"
grep -q " uad " "$W/v3.trace" || fail "no uad line in the valgrind run of stackuse uad"
echo ok

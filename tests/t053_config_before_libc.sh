#!/bin/bash
# t053: TLSTRACE_* is honoured whatever initializes first: case 21 (an ASan program, libasan first
# in LD_PRELOAD: its runtime calls pthread_key_create before libc's initializer set environ); a
# plain program whose .preinit_array calls into the shim; jemalloc or tcmalloc preloaded first;
# under valgrind; the program started by ld.so itself. Each time: the trace goes to
# TLSTRACE_FILE, TLSTRACE_WATCH=bogus is noted, TLSTRACE_DISABLE=1 writes nothing.
. "$(dirname "$0")/lib.sh"
build preinit_key preinit_key.c -- -pthread
reliability_case 21
cd "$W" || fail "no $W"

# honoured NAME PRELOAD CMD...: run in an empty directory of its own, with and without
# TLSTRACE_DISABLE=1
honoured() {
	local name=$1 pre=$2 rc
	shift 2
	mkdir -p "$name.cwd"
	(cd "$name.cwd" && env LD_PRELOAD="$pre" TLSTRACE_FILE="$W/$name.trace" TLSTRACE_WATCH=bogus "$@" >"$W/$name.out" 2>"$W/$name.err")
	rc=$?
	[ $rc = 4 ] || { cat "$name.err"; fail "$name: exit status $rc"; }
	[ -s "$name.trace" ] || fail "$name: no trace in TLSTRACE_FILE (in the directory: $(ls "$name.cwd"))"
	grep -q " note bad%20setting:%20TLSTRACE_WATCH=bogus" "$name.trace" || fail "$name: TLSTRACE_WATCH not read"
	grep -q " key_create " "$name.trace" || fail "$name: the key created before libc's init is not in the trace"
	(cd "$name.cwd" && env LD_PRELOAD="$pre" TLSTRACE_DISABLE=1 "$@" >/dev/null 2>&1)
	[ -z "$(ls "$name.cwd")" ] || fail "$name: TLSTRACE_DISABLE=1 ignored: $(ls "$name.cwd")"
}
honoured preinit "$SHIM" "$BIN/preinit_key"
honoured ldso "$SHIM" /lib64/ld-linux-x86-64.so.2 "$BIN/preinit_key"
for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4; do
	if [ -e "$lib" ]; then
		honoured "$(basename "$lib" | cut -d. -f1)" "$lib:$SHIM" "$BIN/preinit_key"
	else
		note "$lib not installed: not tried"
	fi
done
if command -v valgrind >/dev/null; then
	honoured valgrind "$SHIM" valgrind -q "$BIN/preinit_key"
else
	note "valgrind not installed: not tried"
fi
echo "ok"

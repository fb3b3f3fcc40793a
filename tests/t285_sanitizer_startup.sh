#!/bin/bash
# t285: sanitizer runtimes initialize through the shim's wrappers (TSan calls __cxa_atexit and
# pthread_create, ASan pthread_key_create) before their interceptors of libc can be called, so
# nothing the shim runs then may call a libc function by a name they intercept (close, strtol...)
# (issue 14). tests/src/asan_pthread_exit.c built four ways: clang -fsanitize=thread, clang
# -fsanitize=address, gcc -fsanitize=address run with libasan first in LD_PRELOAD (as ASan
# requires; the shim after it), gcc -fsanitize=address -static-libasan. Each is run without the
# shim, then with it once with no variable and once with each TLSTRACE_* variable the README lists:
# the same exit status, stdout (sorted: two threads print) and stderr (less the shim's own
# "tlstrace: " lines); and the trace honours the variable: the config line's fields;
# TLSTRACE_DISABLE: no trace; TLSTRACE_MAX_SIZE: lines dropped; TLSTRACE_FILE's %p;
# TLSTRACE_DEBUG: the reason the trace cannot be opened, on stderr; bad values of
# TLSTRACE_THREADS, TLSTRACE_HANG_MS, TLSTRACE_BACKTRACE: noted, the defaults used. Also the
# pthread_exit end (mode clean) with no variable set, but for TSan: its background thread never
# ends, so there the process outlives main's pthread_exit with or without the shim.
. "$(dirname "$0")/lib.sh"
# first, what the shim imports: none of the functions its start-up path used to call by name
# (docs/design.md says what is still imported, and why that is safe)
bad=$(nm -D --undefined-only "$SHIM" | awk '{sub(/@.*/, "", $2); print $2}' |
	grep -xE 'strto[a-z]*|ato[a-z]*|[a-z]*printf|str(len|n?cmp|chr|rchr|str|nlen|dup)|memcmp|qsort|open(at)?(64)?|fstat(64)?|mmap(64)?|munmap|mprotect|getcwd|readlink|lseek|fcntl|clock_gettime|getenv' |
	grep -vx strlen) # (strlen: libgcc_eh's unwinder's, never run at start-up)
[ -z "$bad" ] || fail "the shim imports $(echo $bad)"
command -v clang >/dev/null || skip "no clang (tests/deps)"
asan=$(readlink -f "$(gcc -print-file-name=libasan.so)")
[ -e "$asan" ] || skip "no libasan"
src=$ROOT/tests/src/asan_pthread_exit.c
# build NAME COMPILER FLAGS...: skipped (a note) where the sanitizer's runtime is missing
builds=()
san_build() {
	local n=$1 out=$BIN/san_$1
	shift
	if [ ! -e "$out" ] || [ "$src" -nt "$out" ]; then
		"$@" -g -O1 -o "$out.tmp" "$src" -pthread 2>"$W/build_$n.err" && mv "$out.tmp" "$out" || {
			note "$n: cannot build ($(head -1 "$W/build_$n.err")): not tried"
			return
		}
	fi
	builds+=("$n")
}
mkdir -p "$W" && cd "$W" || fail "no $W"
rm -f ./*.rc ./*.trace # (the runs without the shim are made once per build and mode, below)
san_build tsan clang -fsanitize=thread
san_build clang_asan clang -fsanitize=address
san_build gcc_asan gcc -fsanitize=address
san_build gcc_static_asan gcc -fsanitize=address -static-libasan
[ ${#builds[@]} -gt 0 ] || skip "no sanitizer build"
export ASAN_OPTIONS=detect_leaks=0
# pre NAME: what LD_PRELOAD holds before the shim (and alone without it)
pre() { [ "$1" = gcc_asan ] && echo "$asan:"; }

# run NAME MODE TAG [VAR=VALUE]: with the shim, compared with the run without it
run() {
	local n=$1 m=$2 tag=$3 v=${4:-} p a b
	p=$(pre "$n")
	if [ ! -e "$n.$m.a.rc" ]; then
		(timeout -k 2 30 env ${p:+LD_PRELOAD=${p%:}} "$BIN/san_$n" "$m" >"$n.$m.a.out" 2>"$n.$m.a.err"; echo $? >"$n.$m.a.rc") 2>/dev/null
	fi
	rm -f "$n.$tag.trace"
	(timeout -k 2 30 env LD_PRELOAD="$p$SHIM" TLSTRACE_FILE="$W/$n.$tag.trace" $v "$BIN/san_$n" "$m" >"$n.$tag.b.out" 2>"$n.$tag.b.err"; echo $? >"$n.$tag.b.rc") 2>/dev/null
	a=$(cat "$n.$m.a.rc"); b=$(cat "$n.$tag.b.rc")
	[ "$a" = "$b" ] || { head -5 "$n.$tag.b.err"; fail "$n $m ${v:-(no variable)}: exit $a without the shim, $b with it"; }
	cmp -s <(sort "$n.$m.a.out") <(sort "$n.$tag.b.out") || fail "$n $m ${v:-(no variable)}: stdout differs"
	cmp -s "$n.$m.a.err" <(grep -v '^tlstrace: ' "$n.$tag.b.err") ||
		{ diff "$n.$m.a.err" "$n.$tag.b.err" | head; fail "$n $m ${v:-(no variable)}: stderr differs"; }
}
# config NAME TAG FIELD=VALUE: the trace's config line says it
config() {
	[ -s "$1.$2.trace" ] || fail "$1 $2: no trace"
	grep " config " "$1.$2.trace" | grep -q " $3\( \|$\)" || fail "$1 $2: no $3 in $(grep " config " "$1.$2.trace")"
}
for n in "${builds[@]}"; do
	run "$n" exit none
	config "$n" none hang=2000
	grep -q " exit 42$" "$n.none.trace" || fail "$n: the exit is not in the trace"
	if [ "$n" != tsan ]; then
		run "$n" clean pexit
		grep -q " pthread_exit" "$n.pexit.trace" || fail "$n: main's pthread_exit is not in the trace"
	fi
	run "$n" exit file TLSTRACE_FILE="$W/$n.file.%p.trace"
	ls "$n".file.[0-9]*.trace >/dev/null 2>&1 || fail "$n: TLSTRACE_FILE with %p not honoured"
	rm -f "$n".file.[0-9]*.trace
	run "$n" exit disable TLSTRACE_DISABLE=1
	[ ! -e "$n.disable.trace" ] || fail "$n: TLSTRACE_DISABLE=1 wrote a trace"
	run "$n" exit signals TLSTRACE_SIGNALS=0
	config "$n" signals signals=0
	run "$n" exit stderr TLSTRACE_STDERR=0
	config "$n" stderr stderr=0
	run "$n" exit bt TLSTRACE_BACKTRACE=3
	config "$n" bt bt=3
	run "$n" exit watch TLSTRACE_WATCH=poison
	config "$n" watch watch=poison
	run "$n" exit hang TLSTRACE_HANG_MS=0
	config "$n" hang hang=0
	run "$n" exit hang500 TLSTRACE_HANG_MS=500
	config "$n" hang500 hang=500
	run "$n" exit size TLSTRACE_MAX_SIZE=1K
	# (a process's first lines are written before any check: docs/trace-format.md)
	[ -s "$n.size.trace" ] && [ "$(stat -c %s "$n.size.trace")" -lt "$(stat -c %s "$n.none.trace")" ] &&
		! grep -q " exit_done" "$n.size.trace" || fail "$n: TLSTRACE_MAX_SIZE=1K not honoured"
	# (the program's thread is not a quiet one: its lines are the same with "all")
	run "$n" exit threads TLSTRACE_THREADS=all
	grep -q " thread_exit " "$n.threads.trace" || fail "$n: TLSTRACE_THREADS=all: no thread_exit line"
	run "$n" exit badthreads TLSTRACE_THREADS=bogus
	grep -q " note bad%20setting:%20TLSTRACE_THREADS=bogus:%20expected%20summary%20or%20all;%20using%20summary$" \
		"$n.badthreads.trace" || fail "$n: TLSTRACE_THREADS=bogus not noted"
	run "$n" exit badhang "TLSTRACE_HANG_MS=12x TLSTRACE_BACKTRACE=-1"
	config "$n" badhang hang=2000
	config "$n" badhang bt=16
	grep -q " note bad%20setting:%20TLSTRACE_HANG_MS=12x:%20expected%20a%20number%20from%200%20to%203600000;%20using%20the%20default,%202000$" \
		"$n.badhang.trace" || fail "$n: TLSTRACE_HANG_MS=12x not noted"
	grep -q " note bad%20setting:%20TLSTRACE_BACKTRACE=-1:" "$n.badhang.trace" || fail "$n: TLSTRACE_BACKTRACE=-1 not noted"
	run "$n" exit debug "TLSTRACE_DEBUG=1 TLSTRACE_FILE=$W/no/such/dir/t"
	grep -q "^tlstrace: cannot open the trace" "$n.debug.b.err" || fail "$n: TLSTRACE_DEBUG=1 said nothing"
	note "$n: the same with each variable"
done
echo ok

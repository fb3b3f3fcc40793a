#!/bin/bash
# t305: the report speaks words, not the trace's tokens. A use of a destroyed thread_local that
# crashed a thread at its exit says so in the verdict ("when its thread N exited"), not "at exit"
# (field case c10: a Rust thread's TLS destructor); a slow atexit handler's hang finding ends
# "it then ended with exit status 7", not "it ended later (main_return)"; no text report of the
# golden traces (nor these) shows an event type's name (main_return, hang_end, tls_dtors_done,
# exit_done...): the watchdog's start "(main returned)", at the nesting where the teardown began
# (not inside the step it was written from), an unfinished process's last line "a hang
# snapshot's end". And a key whose destructor is a sanitizer runtime's is not warned about: TSan's
# thread_finalize sets its own key again on purpose (clang: the runtime linked into the program;
# gcc: libtsan.so.2), while the program's own keys (tests/src/keys.c: d2 sets key 2 again, d3
# reads key 1 after its destructor) still are.
. "$(dirname "$0")/lib.sh"
TYPES='main_return|exit_done|hang_end|hang_thread|hang_arm|hang_bt|tls_dtors_done|thread_exit|thread_start|thread_quiet|key_dtor|key_dtor_end|tls_dtor|tls_dtor_end|atexit_run|atexit_end|sig_arrive|sig_handler|wait_poll|wait_begin|wait_end|py_fin|py_fin_end|py_fin_stack|crash_end|crash_phase|dlclose_begin|threads_alive|dl_fini|cxa_fin|py_end_interp'
no_types() { ! grep -owE "$TYPES" "$1" >"$W/types" || fail "$1: event type names shown: $(sort -u "$W/types" | tr '\n' ' ')"; }
# c10: the crash at a thread's exit
if command -v rustc >/dev/null; then
	field_case c10 c10_relative_dlopen_rust_names relative
	v=$(sed -n '/^verdict/,/^$/p' "$F")
	echo "$v" | grep -Eq "crashed when its thread [0-9]+ exited because it read thread_local tlsorder::THREAD_GUARD" ||
		fail "c10 verdict: $v"
	echo "$v" | grep -q "at exit" && fail "c10 verdict says at exit: $v"
	no_types "$F"
else
	note "no rustc: c10 not run"
fi
# a slow atexit handler (slow_teardown: 400 ms, the watchdog at 50 ms), then status 7
build slow_teardown slow_teardown.c -- -pthread
rm -f "$W/slow.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/slow.trace TLSTRACE_HANG_MS=50 "$BIN/slow_teardown" sleepers >/dev/null 2>&1
[ $? = 7 ] || fail "slow_teardown: status"
"$REPORT" --color=never "$W/slow.trace" >"$W/slow.txt"
grep -q "^    process [0-9]* (slow_teardown) was still in its teardown .*; it then ended with exit status 7$" "$W/slow.txt" ||
	fail "hang finding: $(grep -A1 'error hang\|warning hang' "$W/slow.txt")"
grep -q "teardown began (main returned): hang watchdog armed" "$W/slow.txt" || fail "timeline: $(grep 'teardown began' "$W/slow.txt")"
no_types "$W/slow.txt"
# the watchdog's start is written from inside the first teardown step after main's return (here
# a TLS destructor): shown where the teardown began, at main's return's nesting, not inside it
build atexit_tls_sleep atexit_tls_sleep.cc
rm -f "$W/nest.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/nest.trace "$BIN/atexit_tls_sleep" 0 >/dev/null 2>&1 || fail "atexit_tls_sleep 0 failed"
"$REPORT" --color=never "$W/nest.trace" >"$W/nest.txt"
ind() { grep -m1 "$1" "$W/nest.txt" | awk -v s="$1" '{ print index($0, s) }'; } # (its column: fixed-width time and tid before it)
[ -n "$(ind 'teardown began (main returned)')" ] || fail "no watchdog line: $(cat "$W/nest.txt")"
[ "$(ind 'teardown began (main returned)')" = "$(ind 'main returned 0')" ] ||
	fail "the watchdog's line nested: $(sed -n '/^process/,/^$/p' "$W/nest.txt")"
for t in "$ROOT"/tests/golden/*.trace; do
	"$REPORT" --no-symbols --color=never "$t" >"$W/g.txt" 2>/dev/null
	no_types "$W/g.txt"
done
for cc in clang gcc; do
	command -v $cc >/dev/null || { note "no $cc: its TSan build not tried"; continue; }
	$cc -g -O1 -fsanitize=thread -pthread -o "$BIN/keys_tsan_$cc" "$ROOT/tests/src/keys.c" 2>"$W/$cc.build" ||
		{ note "$cc -fsanitize=thread: cannot build ($(head -1 "$W/$cc.build")): not tried"; continue; }
	rm -f "$W/tsan_$cc.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/tsan_$cc.trace "$BIN/keys_tsan_$cc" >/dev/null 2>&1 || fail "$cc tsan: status $?"
	grep -q " key_late 0 set " "$W/tsan_$cc.trace" || fail "$cc tsan: TSan's key 0 was not set again: $(grep key_ "$W/tsan_$cc.trace")"
	"$REPORT" --color=never "$W/tsan_$cc.trace" >"$W/tsan_$cc.txt"
	grep -q "pthread_setspecific(key 0)" "$W/tsan_$cc.txt" && ! grep -q "pthread_setspecific(key 0) .*a sanitizer runtime's own key" "$W/tsan_$cc.txt" &&
		fail "$cc tsan: TSan's own key warned about: $(grep 'key 0' "$W/tsan_$cc.txt")"
	grep -q "key-after-destroy: .*pthread_setspecific(key 0)" "$W/tsan_$cc.txt" && fail "$cc tsan: a finding for TSan's key"
	grep -q "key-after-destroy: .*pthread_setspecific(key 2) while its destructor ran, from d2" "$W/tsan_$cc.txt" ||
		fail "$cc tsan: the program's key 2: $(sed -n '/^verdict/,/^$/p' "$W/tsan_$cc.txt")"
	grep -q "key-after-destroy: .*pthread_getspecific(key 1) after its destructor ran, from d3" "$W/tsan_$cc.txt" ||
		fail "$cc tsan: the program's key 1: $(sed -n '/^verdict/,/^$/p' "$W/tsan_$cc.txt")"
done
exit 0

#!/bin/bash
# t062: what the shim costs a program's thread in stack, measured (tests/src/stackuse.cc: a thread
# on a pattern-filled stack of ours, how deep it went), for each traced thing a thread does: a
# thread_local with a destructor (in the program and in a -fPIC library), a pthread key with a
# destructor, a use-after-destroy (reported with a backtrace), pthread_exit, exit() from the
# thread, a dlopen. The shim may add at most 1 KiB (its static TLS, which glibc carves from the
# thread's stack, included; measured: ~600 bytes). Then each on a 16 KiB stack (PTHREAD_STACK_MIN):
# same output and status as without the shim, and the events are in the trace.
. "$(dirname "$0")/lib.sh"
mkdir -p "$BIN/stackuse.d"
lib=$BIN/stackuse.d/libstackuse_lib.so
if [ ! -e "$lib" ] || [ "$ROOT/tests/src/stackuse_lib.cc" -nt "$lib" ]; then
	g++ -O2 -fPIC -shared -o "$lib" "$ROOT/tests/src/stackuse_lib.cc" || fail "cannot build $lib"
fi
build stackuse.d/stackuse stackuse.cc -- -L"$BIN/stackuse.d" -lstackuse_lib -Wl,-rpath,'$ORIGIN' -pthread -ldl
prog=$BIN/stackuse.d/stackuse
# 1088 since stop 28 (1024 before): PY10's python3 main-thread memo (python.c fin_memo, packed to
# 32 bytes) went into the shim's static TLS (752 bytes), so that python3's start touches no page
# more (t040, t200; the start-up page's .bss had no room for it); a thread_local's thread
# measured +1088 (+1024 before; glibc rounds the static TLS it carves from the stack).
MAX_EXTRA=1088
for m in plain tls tlslib key uad pthread_exit exit dlopen; do
	plain "$m" "$prog" "$m"; a=$(awk '{ print $3 }' "$W/$m.plain.out")
	traced "$m" "$prog" "$m"; b=$(awk '{ print $3 }' "$W/$m.out")
	[ -n "$a" ] && [ -n "$b" ] || fail "$m: no measurement ($(cat "$W/$m.plain.out" "$W/$m.out"))"
	note "$m: $a bytes without the shim, $b with it: +$((b - a))"
	[ $((b - a)) -le $MAX_EXTRA ] || fail "$m: the shim adds $((b - a)) bytes of stack (at most $MAX_EXTRA)"
done
expect_line uad " uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ victim [0-9]+ [^ ]+ [a-z?]+( [^ ]+\\+0x[0-9a-f]+){3,}"
for m in plain tls tlslib key uad pthread_exit exit dlopen; do
	n=small_$m
	plain "$n" "$prog" "$m" 16384; PLAIN_RC=$RC
	traced "$n" "$prog" "$m" 16384; TRACED_RC=$RC
	same_outcome "$n"
	[ "$RC" = 0 ] || fail "$n: exit $RC"
done
expect_line small_uad " uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ victim [0-9]+ [^ ]+ [a-z?]+( [^ ]+\\+0x[0-9a-f]+){3,}"
# (a thread that ended cleanly is summed up: its registrations, TLS and key destructor runs)
expect_line small_key " (key_dtor_end |thread_quiet [0-9]+ [^ ]+ [0-9]+ [0-9]+ [0-9]+ [1-9])"
expect_line small_tls " (tls_dtors_done$|thread_quiet [0-9]+ [^ ]+ [0-9]+ [1-9][0-9]* [1-9])"
expect_line small_exit " exit 0$"
echo ok

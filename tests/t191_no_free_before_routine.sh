#!/bin/bash
# t191: the shim frees nothing on a new thread before its start routine runs (there the
# program's signals are unblocked, and a handler of the program's that mallocs would deadlock in
# a free the program never made): 100 threads created before any runs (early_free.c: SCHED_FIFO,
# one CPU), more than the shim's 64 start records, so that it mallocs the rest; the program
# counts the free() calls made on a thread before its routine, and the allocations made inside
# its pthread_create calls: the same with the shim as without (its records beyond the 64 are its
# own memory, not the program's malloc: issue 14). Also: the sigstorm program of t032
# (a 50 us SIGALRM whose handler uses dynamic TLS) ends with 7, 20 times, without and with the
# shim (it hung about one run in 20 before, without the shim: its handler made a worker's first
# dynamic-TLS use, a malloc, while the worker was inside malloc).
. "$(dirname "$0")/lib.sh"
build early_free early_free.c -- -O2 -pthread -rdynamic
plain early "$BIN/early_free"
[ $RC = 77 ] && skip "$(cat "$W/early.plain.out")"
[ $RC = 0 ] || fail "early_free: exit $RC without the shim"
want=$(cat "$W/early.plain.out")
[ "$(echo "$want" | head -1)" = "early frees 0" ] || fail "without the shim: $want"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/early.trace "$BIN/early_free" >"$W/early.out" 2>&1
rc=$?
[ $rc = 77 ] && skip "$(cat "$W/early.out")"
[ $rc = 0 ] || fail "early_free: exit $rc with the shim"
[ "$(cat "$W/early.out")" = "$want" ] || fail "with the shim: $(cat "$W/early.out") (without: $want)"
grep -c ' thread_start \| thread_quiet ' "$W/early.trace" >/dev/null || fail "no thread lines in the trace"
note "early_free: no free before a routine, with and without the shim; $(echo "$want" | tail -1), both"

build sigstorm sigstorm.cc -- -O1 -pthread -ldl
build plugin_quiet.so plugin.cc -- -shared -fPIC -DQUIET
for i in $(seq 1 20); do
	timeout 20 "$BIN/sigstorm" "$BIN/plugin_quiet.so" >/dev/null 2>&1
	rc=$?
	[ $rc = 7 ] || fail "sigstorm run $i without the shim: exit $rc"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/storm.trace timeout 20 "$BIN/sigstorm" "$BIN/plugin_quiet.so" >/dev/null 2>&1
	rc=$?
	[ $rc = 7 ] || fail "sigstorm run $i with the shim: exit $rc"
	rm -f "$W/storm.trace"
done
note "sigstorm: 20 runs each, exit 7"
echo ok

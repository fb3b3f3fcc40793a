#!/bin/bash
# t311: the fix of a likely use of a destroyed static-TLS object takes the watch mode the trace
# ran under into account (its `watch` line): field case c2 (tests/cases/c2_static_tls_sigtrap)
# in mode poison (TLSTRACE_WATCH=poison) does not say to run with poison; it says the object was
# poisoned (its poison line) and no dereference through its pointers faulted, and offers hw. The
# same trace with its watch line saying hw (breakpoints armed, none fired: lines changed so) does
# not say to run with hw. Before: every mode's fix said "to confirm, run again with
# TLSTRACE_WATCH=hw ... TLSTRACE_WATCH=poison". (t130: the default mode's fix, unchanged.)
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/c2_static_tls_sigtrap
"$C/run" "$ROOT" "$W/poison" poison >"$W/poison.txt" 2>&1 || { cat "$W/poison.txt"; fail "poison: run failed"; }
f=$W/poison.txt
grep -q " watch poison " "$W/poison/trace.log" || fail "poison: no watch poison line"
grep -q " poison 1 0x" "$W/poison/trace.log" || fail "poison: the object was not poisoned"
fix=$(grep "^    fix: .*this_thread" "$f")
[ -n "$fix" ] || { cat "$f"; fail "poison: no fix naming this_thread"; }
! grep -q "run again with TLSTRACE_WATCH\|TLSTRACE_WATCH=poison:" <<<"$fix" || fail "poison: the fix suggests a run: $fix"
grep -q "this run had TLSTRACE_WATCH=poison (its watch line), and the object was poisoned after its destructor (its poison line) but no dereference through its pointers faulted" <<<"$fix" ||
	fail "poison: fix: $fix"
grep -q "run with TLSTRACE_WATCH=hw where breakpoints fire" <<<"$fix" || fail "poison: fix offers no hw: $fix"

sed -E 's/ watch poison .*/ watch hw armed/; / poison [0-9]+ 0x/d; s/ watch=poison / watch=hw /' "$W/poison/trace.log" >"$W/hw.trace"
"$REPORT" --color=never "$W/hw.trace" >"$W/hw.txt"
fix=$(grep "^    fix: .*this_thread" "$W/hw.txt")
[ -n "$fix" ] || { cat "$W/hw.txt"; fail "hw: no fix naming this_thread"; }
! grep -q "run again with TLSTRACE_WATCH=hw" <<<"$fix" || fail "hw: the fix suggests hw: $fix"
grep -q "this run had TLSTRACE_WATCH=hw (its watch line), and no breakpoint on the object fired" <<<"$fix" || fail "hw: fix: $fix"
exit 0

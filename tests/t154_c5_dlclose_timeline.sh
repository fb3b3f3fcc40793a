#!/bin/bash
# t154: field case c5 (tests/cases/c5_dlclose_pending_key_dtor): the dlclose that unloaded
# libclient.so is a step of the timeline (not only named inside the finding): with its caller
# (main in host.c), its duration and the module it unloaded, before the thread's exit and the key
# destructor that then crashes. A dlclose that unloads nothing (the library still referenced)
# stays out of the timeline.
. "$(dirname "$0")/lib.sh"
field_case c5 c5_dlclose_pending_key_dtor
f=$F
field_outcome "killed by SIGSEGV" "killed by SIGSEGV"
tl=$(sed -n '/^process [0-9]* host: killed by SIGSEGV/,/^$/p' "$f")
echo "$tl" | grep -Eq "^ +\\+[0-9.]+ ms +[0-9]+ +dlclose\\(0x[0-9a-f]+\\) from main\\+0x[0-9a-f]+ \\(host.c:[0-9]+\\) in host  \\[[0-9.]+ ms\\]: unloaded libclient.so$" ||
	fail "no dlclose in the timeline: $tl"
# the unload comes before the key destructor in the timeline
echo "$tl" | grep -E "dlclose|key 0 destructor" | head -1 | grep -q dlclose || fail "order: $tl"

# a dlclose that unloads nothing (opened twice, closed once) is not shown
build dlclose_twice dlclose_twice.c -- -ldl
build plugin_noop.so plugin_noop.c -- -shared -fPIC
rm -f "$W/t.log"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.log "$BIN/dlclose_twice" "$BIN/plugin_noop.so" || fail "dlclose_twice failed"
"$REPORT" --color=never "$W/t.log" >"$W/t.txt"
grep -c "dlclose_begin" "$W/t.log" | grep -qx 2 || fail "expected two dlclose lines: $(grep dlclose "$W/t.log")"
n=$(grep -c "dlclose(" "$W/t.txt")
[ "$n" = 1 ] || fail "$n dlclose steps, expected 1 (the one that unloaded): $(cat "$W/t.txt")"
grep -q "dlclose(.*: unloaded plugin_noop.so" "$W/t.txt" || fail "the unloading dlclose: $(cat "$W/t.txt")"
exit 0

#!/bin/bash
# t423: a hung destructor function (__attribute__((destructor))) whose last call, pthread_join,
# gcc -O2 makes a tail call (jmp: the function's frame is gone; ld.so's _dl_call_fini calls the
# shim's pthread_join directly) is named: the report finds, in the modules' .fini_array, the one
# destructor function whose code ends in a jump to pthread_join (through its PLT entry's GOT slot)
# and says it called pthread_join directly. Before: "killed in code the trace does not name" and
# no routine in the hang's verdict. dtor_join_tail.c; TLSTRACE_HANG_MS=300; SIGKILL once two
# snapshots are in the trace. (-O0 keeps the frame: t320's fini case.)
. "$(dirname "$0")/lib.sh"
build dtor_join_tail dtor_join_tail.c -- -O2 -pthread
objdump -d --no-show-raw-insn "$BIN/dtor_join_tail" | awk '/<stop_flusher>:/ { f = 1; next } f && /^$/ { exit } f' |
	grep -q "jmp .*<pthread_join@plt>" || skip "gcc did not make stop_flusher's pthread_join a tail call"
H=300
hung_run dtor "$BIN/dtor_join_tail"
d="the destructor function stop_flusher \(dtor_join_tail\.c:[0-9]+\) in dtor_join_tail \(DT_FINI_ARRAY, run by _dl_fini\), which called pthread_join directly \(a tail call: its own frame was gone\)"
v=$(grep -A1 "^verdict" "$W/dtor.txt" | tail -1)
echo "$v" | grep -Eq "inside $d, waiting on the join of thread [0-9]+: snapshot" || fail "verdict: $v"
exit 0

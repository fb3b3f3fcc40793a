#!/bin/bash
# t461: the shim's cold code (COLD_TEXT, shim.h: after __tlstrace_cold_begin in shim/layout.ld)
# that `python3 -c pass` and `python3 -S -c pass` run, start to end (COST16). Each first touch of a
# 16-page window of the shim's code is a page fault of ~14 us in this VM; what a python3 start and
# end run beyond the hot code lies in EXIT_TEXT, one window (or two, by the load address). Before,
# every python3 start ran two functions far into the cold code, a window more (perf's page-fault
# events showed one at either, by the load address): the syscall() wrapper (python3 3.11 calls
# syscall(SYS_getrandom) at every start; now EXIT_TEXT) and watch_trap_sigaction (python3 queries
# the action of SIGTRAP; now not called unless TLSTRACE_WATCH=hw holds SIGTRAP), and its end
# term_dfl_mask_put (Python puts SIGINT's default back; now EXIT_TEXT).
# Counted with gdb: a breakpoint at each cold function, none of which may be hit.
. "$(dirname "$0")/lib.sh"
command -v gdb >/dev/null || skip "no gdb"
begin=$(nm "$SHIM" 2>/dev/null | awk '$3 == "__tlstrace_cold_begin" { print $1 }')
[ -n "$begin" ] || skip "no __tlstrace_cold_begin in $SHIM's symbols (stripped?)"
read -r text_addr cold_addr cold_size < <(readelf -SW "$SHIM" | sed 's/^ *\[ *[0-9]*\] *//' |
	awk '$1 == ".text" { t = $3 } $1 == ".tlstrace.cold" { c = $3; s = $5 } END { print t, c, s }')
[ -n "$cold_size" ] || fail "no .text or .tlstrace.cold section in $SHIM"
# the functions from __tlstrace_cold_begin to the section's end (its unwinder from libgcc_eh too)
readelf -sW "$SHIM" | $PY -c '
import sys
lo, hi, seen = int(sys.argv[1], 16), int(sys.argv[2], 16) + int(sys.argv[3], 16), set()
for l in sys.stdin:
    f = l.split()
    if len(f) >= 8 and f[3] == "FUNC" and f[6] != "UND" and lo <= int(f[1], 16) < hi and f[1] not in seen:
        seen.add(f[1])
        print("%x %s" % (int(f[1], 16), f[7]))' $begin $cold_addr $cold_size >"$W/cold.funcs"
n=$(wc -l <"$W/cold.funcs")
[ "$n" -gt 100 ] || fail "only $n functions in the cold code: $(head -3 "$W/cold.funcs")"
note "$n functions in the cold code (from 0x$begin)"

# hits NAME CMD...: the cold functions CMD runs under the shim
hits() {
	local name=$1
	shift
	rm -f "$W/$name.trace"
	timeout 300 gdb -batch -nx -ex "python SHIM='$SHIM'; TRACE='$W/$name.trace'; TEXT=0x$text_addr; FUNCS='$W/cold.funcs'" \
		-x "$ROOT/tests/src/cold_code_hits.py" --args "$@" >"$W/$name.gdb" 2>&1
	grep -q '^hits ' "$W/$name.gdb" || fail "$name: gdb: $(tail -5 "$W/$name.gdb")"
	[ -s "$W/$name.trace" ] || fail "$name: no trace written under gdb"
	sed -n '/^hits /,$p' "$W/$name.gdb"
}
for c in "python:$PY -c pass" "python_S:$PY -S -c pass"; do
	out=$(hits ${c%%:*} ${c#*:})
	note "${c#*:}: $(echo $out)"
	[ "$(echo "$out" | head -1)" = "hits 0" ] || fail "${c#*:} ran cold code of the shim: $(echo $out)"
done
# the check sees a hit: a python3 that calls prctl (COLD_TEXT: sandbox.c), which the shim interposes
# (a file: gdb would split a -c program's words)
echo 'import ctypes; ctypes.CDLL(None).prctl(15, b"t461", 0, 0, 0)' >"$W/prctl.py"
out=$(hits prctl $PY -S "$W/prctl.py")
note "python3 calling prctl: $(echo $out)"
echo "$out" | grep -qx prctl || fail "the check did not see prctl (cold code) run: $(echo $out)"
echo "ok"

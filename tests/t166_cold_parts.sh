#!/bin/bash
# t166: frames in a part GCC split off a function (f.cold, .text.unlikely), which only .symtab
# names: a stripped binary's report names it as .symtab would ("process.cold+0x5"), from the part's
# FDE and the one function that branches into it; a static function reached by a tail jump (also
# unnamed, entered by a jmp from one function) is not taken for a cold part. Both compared with the
# report on the unstripped binary (its .symtab names "process.cold" and "helper").
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build cold_parts cold_parts.c -- -fno-toplevel-reorder -rdynamic
nm "$BIN/cold_parts" | grep -q " process.cold$" || skip "gcc made no process.cold here"
cp "$BIN/cold_parts" "$W/cold_parts.stripped" && strip --strip-all "$W/cold_parts.stripped" || fail "strip"
for m in cold tail; do
	for b in "$BIN/cold_parts" "$W/cold_parts.stripped"; do
		n=$m-$(basename "$b")
		traced $n "$b" $m
		[ $RC = 139 ] || fail "$n: exit status $RC"
		"$REPORT" "$W/$n.trace" >"$W/$n.report" 2>&1
		sed -n '/backtrace:/,/^$/p' "$W/$n.report" | sed -n 2,3p | sed 's/ in cold_parts[^ ]*$//; s/ ([^)]*)$//' >"$W/$n.frames"
	done
	cmp -s "$W/$m-cold_parts.frames" "$W/$m-cold_parts.stripped.frames" || [ $m = tail ] ||
		{ diff "$W/$m-cold_parts.frames" "$W/$m-cold_parts.stripped.frames"; fail "$m: frames differ from the unstripped binary's"; }
done
grep -Eq "^ +#1 +process\.cold\+0x[0-9a-f]+$" "$W/cold-cold_parts.stripped.frames" || fail "cold: $(cat "$W/cold-cold_parts.stripped.frames")"
grep -Eq "^ +#0 +helper\+0x" "$W/tail-cold_parts.frames" || fail "tail, unstripped: $(cat "$W/tail-cold_parts.frames")"
grep -Eq "^ +#0 +cold_parts.stripped\+0x[0-9a-f]+$" "$W/tail-cold_parts.stripped.frames" ||
	fail "tail: the helper reached by a tail jump was named: $(cat "$W/tail-cold_parts.stripped.frames")"
exit 0

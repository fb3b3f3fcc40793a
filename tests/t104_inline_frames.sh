#!/bin/bash
# t104: source lines through inlining: a crash inside a header function inlined into an atexit
# handler (-O2 -g) names the header's line and the caller's line it was inlined at (libdw's
# DW_TAG_inlined_subroutine call_file/call_line), in text and JSON (`inlined_at`); the frame
# numbers are consecutive, and the shim's own frame is a marked line, not a gap.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build inline_use inline_use.c -- -I"$ROOT/tests/src"
rm -f "$W/t.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$BIN/inline_use" 2>/dev/null
[ -s "$W/t.trace" ] || fail "no trace"
$REPORT --color=never "$W/t.trace" >"$W/t.txt"
# (the inlined function first, by name: REPORT17 item 3)
grep -q "#0  read_slot (inline_use.h:[0-9]*), inlined into at_end+0x[0-9a-f]* (inline_use.c:[0-9]*) in inline_use" "$W/t.txt" ||
	{ cat "$W/t.txt"; fail "frame #0 does not name the inlined header line and its caller's line"; }
hl=$(grep -n 'int v = \*slot;' "$ROOT/tests/src/inline_use.h" | cut -d: -f1)
cl=$(grep -n 'read_slot(slot_ptr)' "$ROOT/tests/src/inline_use.c" | cut -d: -f1)
grep -q "(inline_use.h:\($hl\|$((hl + 1))\)), inlined into at_end+0x[0-9a-f]* (inline_use.c:$cl)" "$W/t.txt" || fail "wrong lines (want h:$hl c:$cl)" # the body of read_slot
grep -q "#1  \[tlstrace\] libtlstrace.so (1 frame)" "$W/t.txt" || fail "the shim's frame is not marked"
nums=$(sed -n '/^    backtrace:/,/^    [a-zA-Z]/p' "$W/t.txt" | grep -o '^      #[0-9]*' | tr -d ' #' | tr '\n' ' ')
exp=$(seq -s ' ' 0 $(($(echo $nums | wc -w) - 1)))
[ "$nums" = "$exp " ] || fail "frame numbers not consecutive: $nums"
$REPORT --json "$W/t.trace" >"$W/t.json"
$PY - "$W/t.json" "$cl" <<'PYEOF' || fail "JSON inlined_at"
import json, sys
f = json.load(open(sys.argv[1]))["findings"][0]
assert f["backtrace"][0]["inlined_at"].endswith("inline_use.c:" + sys.argv[2]), f["backtrace"][0]
PYEOF

# system frames without names: said once, with the Debian 12 package that gives them
$REPORT --color=never "$ROOT/tests/golden/uwsgi_4workers.trace" >"$W/u.txt"
if grep -q "^      #[0-9]* *libpython3.11.so.1.0+0x" "$W/u.txt"; then
	[ "$(grep -c '^names missing for frames in' "$W/u.txt")" = 1 ] || fail "no single note on missing names"
	grep "^names missing" "$W/u.txt" | grep -q "apt-get install libpython3.11-dbg" || fail "the note does not name libpython3.11-dbg"
fi

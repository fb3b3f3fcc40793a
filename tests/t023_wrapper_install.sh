#!/bin/bash
# t023: the tlstrace wrapper (runs a command under the shim, report on stderr, the command's exit
# status, -o keeps the trace, options pass to the report), and make install / uninstall with
# PREFIX and DESTDIR (the installed wrapper finds the installed shim and report).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build crashers crashers.c -- -O0 -pthread
cd "$W"
"$ROOT/tlstrace" -- "$BIN/crashers" abort >out.txt 2>err.txt; rc=$?
[ $rc = 134 ] || fail "wrapper: expected the command's status 134, got $rc"
grep -q "^mode abort$" out.txt || fail "wrapper: the command's stdout was not kept"
grep -q "error crash" err.txt && grep -q "killed by SIGABRT" err.txt || { cat err.txt; fail "wrapper: no report on stderr"; }
ls "${TMPDIR:-/tmp}"/tlstrace.?????? 2>/dev/null | while read -r f; do [ "$f" -nt out.txt ] && fail "wrapper left $f"; done
"$ROOT/tlstrace" -o kept.trace --json -- /bin/true >/dev/null 2>json.txt || fail "wrapper: /bin/true failed"
[ -s kept.trace ] || fail "wrapper -o: no trace kept"
$PY -c 'import json,sys; json.load(open(sys.argv[1]))' json.txt || fail "wrapper: --json not passed to the report"
# -r FILE: the report there, not on stderr with the command's (FRESH14: --json mixed with it)
"$ROOT/tlstrace" -r rep.json --json -- sh -c 'echo to-stderr >&2; exit 3' 2>r.err; rc=$?
[ $rc = 3 ] || fail "wrapper -r: status $rc"
$PY -c 'import json,sys; json.load(open(sys.argv[1]))' rep.json || fail "wrapper -r: not JSON: $(head -3 rep.json)"
[ "$(cat r.err)" = to-stderr ] || fail "wrapper -r: stderr: $(cat r.err)"
"$ROOT/tlstrace" -r rep.json -- /bin/true 2>/dev/null; [ $? = 2 ] || fail "wrapper -r: an existing file replaced without -f"
# a report that cannot be made leaves no empty -r file; --chrome - with -r is refused (FRESH14b)
"$ROOT/tlstrace" -k -r none.json --json --pid 1 -- /bin/true 2>none.err
[ ! -e none.json ] || fail "wrapper -r: an empty file left after a failed report"
rm -rf "$(sed -n 's/^tlstrace: trace kept in \(.*\)\/trace$/\1/p' none.err)"
"$ROOT/tlstrace" -r k.txt --chrome - -- /bin/true 2>/dev/null; [ $? = 2 ] || fail "wrapper: -r with --chrome - not refused"
"$ROOT/tlstrace" 2>/dev/null; [ $? = 2 ] || fail "wrapper without a command should exit 2"

make -s -C "$ROOT" install PREFIX="$W/prefix" >/dev/null || fail "make install failed"
for f in lib/libtlstrace.so bin/tlstrace-report bin/tlstrace share/doc/tlstrace/README.md share/doc/tlstrace/trace-format.md; do
	[ -e "$W/prefix/$f" ] || fail "make install: no $f"
done
(cd / && "$W/prefix/bin/tlstrace" -o "$W/inst.trace" -- /bin/true 2>"$W/inst.err") || fail "installed wrapper failed"
grep -q " mod [0-9]* 0x[0-9a-f]* [0-9]* [0-9a-f-]* $W/prefix/lib/libtlstrace.so$" "$W/inst.trace" || fail "installed wrapper did not use the installed shim"
make -s -C "$ROOT" install PREFIX=/usr/local DESTDIR="$W/dest" >/dev/null || fail "make install DESTDIR failed"
[ -e "$W/dest/usr/local/lib/libtlstrace.so" ] && [ -x "$W/dest/usr/local/bin/tlstrace-report" ] || fail "DESTDIR install incomplete"
grep -q "^lib=/usr/local/lib/libtlstrace.so$" "$W/dest/usr/local/bin/tlstrace" || fail "DESTDIR leaked into the installed wrapper"
make -s -C "$ROOT" uninstall PREFIX=/usr/local DESTDIR="$W/dest" >/dev/null
[ -z "$(find "$W/dest" -type f)" ] || fail "make uninstall left: $(find "$W/dest" -type f)"

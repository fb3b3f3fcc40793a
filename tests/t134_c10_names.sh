#!/bin/bash
# t134: field case c10 (tests/cases/c10_relative_dlopen_rust_names): a Rust thread_local!'s Drop
# reads another thread_local! destroyed before it; AccessError, abort. Whatever the dlopen path
# (./libtlsorder.so, absolute) or the executable itself, the report has the same finding:
# WRITER's destructor read THREAD_GUARD after it was destroyed, with frames symbolized in
# libtlsorder.so (or tlsorder) and Rust names demangled by libiberty (no "17h<hash>E", no
# "$u7b$", no "thread_local #N at 0x"); the executable's are static TLS, whose read the default
# mode cannot see: its crash names THREAD_GUARD as the likely cause. Then the same library built with v0 mangling
# (-C symbol-mangling-version=v0), loaded by a relative path: the same names. The construction of
# std's THREAD_INFO by the panic the use started is caused by the use, not a second root cause
# (an info); a fix said once is referred to where it was printed.
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/c10_relative_dlopen_rust_names
RUSTC=/usr/bin/rustc; [ -x "$RUSTC" ] || skip "no /usr/bin/rustc"
check() { # check FILE MODULE
	local f=$1 m=$2
	grep -q "^with the shim: *killed by SIGABRT" "$f" || grep -q "^process .*: killed by SIGABRT" "$f" || fail "$m: outcome"
	if [ $m = tlsorder ]; then # static TLS: no lookup to see; the crash names the likely cause
		grep -q "root cause: the destructor of tlsorder::WRITER failed .* after this thread's thread_local tlsorder::THREAD_GUARD (tlsorder, static TLS: the executable's own) was destroyed, and most likely reads it" "$f" ||
			{ cat "$f"; fail "$f: root cause"; }
		# the verdict's line says it too: where it failed and the likely cause (FRESH15b item 6:
		# it said only "SIGABRT sent (SI_TKILL) by abort() in ...abort_internal")
		sed -n '/^verdict/,/^$/p' "$f" | grep -q "crash: SIGABRT .*; in the TLS destructor of tlsorder::WRITER, which ran after thread_local tlsorder::THREAD_GUARD (tlsorder) was destroyed: a likely use after destruction" ||
			fail "$f: the verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
	else
		grep -Eq "^\[[0-9]+\] error use-after-destroy " "$f" || { cat "$f"; fail "$f: no use-after-destroy"; }
		grep -q "read thread_local tlsorder::THREAD_GUARD of $m, " "$f" || fail "$f: the object's name: $(grep 'read thread_local' "$f" | head -1)"
		grep -q "root cause: the destructor of tlsorder::WRITER reads tlsorder::THREAD_GUARD, which was destroyed before it" "$f" || fail "$f: root cause"
	fi
	grep -q "<tlsorder::LogWriter as core::ops::drop::Drop>::drop+0x[0-9a-f]* (.*) in $m" "$f" || fail "$f: the Drop frame"
	! grep -Eq '17h[0-9a-f]{16}E|\$u7b\$|\$LT\$|thread_local #[0-9]+ at 0x|_ZN|_R[A-Z]' "$f" || fail "$f: mangled or unnamed: $(grep -Eo '17h[0-9a-f]{16}E|\$u7b\$|\$LT\$|thread_local #[0-9]+ at 0x|_ZN[^ ]*|_R[A-Z][^ ]*' "$f" | head -3)"
}
for mode in relative absolute exe; do
	"$C/run" "$ROOT" "$W/$mode" "$mode" >"$W/$mode.txt" 2>&1; rc=$?
	[ $rc = 77 ] && skip "c10: $(tail -1 "$W/$mode.txt")"
	[ $rc = 0 ] || { cat "$W/$mode.txt"; fail "$mode: run failed"; }
	m=libtlsorder.so; [ $mode = exe ] && m=tlsorder
	check "$W/$mode.txt" $m
done
# the panic the use started constructs std's THREAD_INFO (for the thread's name in its message):
# that construction is caused by the use (JSON caused_by), said so, and is no second root cause
# in the verdict
f=$W/relative.txt
# (an info, not a warning: the runtime's own object, nothing to fix beyond the use: FRESH17b item 7)
grep -q "^\[[0-9]*\] info construct-during-teardown" "$f" || { cat "$f"; fail "relative: no construction during the panic as an info (the case changed?): $(grep construct-during "$f")"; }
# a fix said once is referred to where it was printed, never to a finding that itself refers on
# ("[3] fix: as in finding [2]" whose fix was "as in finding [1]")
$PY - "$f" <<'PYEOF' || fail "relative: a reference to a reference"
import re, sys
fix, cur = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"\[(\d+)\] ", line)
    if m:
        cur = int(m.group(1))
    m = re.match(r"    fix: +(.*)", line)
    if m and cur:
        fix[cur] = m.group(1)
for n, said in fix.items():
    m = re.fullmatch(r"as in finding \[(\d+)\]", said)
    assert not m or not fix[int(m.group(1))].startswith("as in finding"), (n, said, fix)
assert any(v.startswith("as in finding") for v in fix.values()), fix
PYEOF
[ "$(sed -n '/^verdict/,/^$/p' "$f" | grep -c '^      fix:')" = 1 ] || fail "relative: not one root cause in the verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
sed -n '/^verdict/,/^$/p' "$f" | grep -q 'construct-during-teardown' && fail "relative: the construction in the verdict"
# the fix is Rust's: a thread_local!'s destructor is registered at its first use, so the guard must
# be used first (FRESH15b: GCC's "swap their declarations" was given, and THREAD_GUARD is already
# declared first; used first, it outlives WRITER)
sed -n '/^verdict/,/^$/p' "$f" | grep -q "fix: use tlsorder::THREAD_GUARD before tlsorder::WRITER on each thread .*Rust registers a thread_local's destructor at its first use" ||
	fail "relative: the verdict's fix: $(sed -n '/^verdict/,/^$/p' "$f" | grep 'fix:')"
grep -q "swap their declarations" "$f" && fail "relative: C++'s declaration order advice for Rust thread_locals"
grep -q "root cause: it follows the use-after-destroy of tlsorder::THREAD_GUARD on this thread: the TLS destructor of tlsorder::WRITER it happened in never returned .*std::sys_common::thread_info::THREAD_INFO was constructed on the way, by the language runtime for its own use (not the program's to fix)" "$f" ||
	fail "relative: the construction's root cause: $(grep -A3 'warning construct-during-teardown' "$f")"
$PY - "$W/relative/report.json" <<'PYEOF' || fail "relative: JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
c = next(x for x in f if x["kind"] == "construct-during-teardown")
assert c["caused_by"] is not None and f[c["caused_by"]]["kind"] == "use-after-destroy", c
PYEOF
# v0 mangling, relative path
mkdir -p "$W/v0"
"$RUSTC" -g -O --crate-type cdylib -C symbol-mangling-version=v0 -o "$W/v0/libtlsorder.so" "$C/tlsorder.rs" 2>"$W/v0/rustc.err" ||
	skip "rustc cannot build v0 mangling: $(head -1 "$W/v0/rustc.err")"
nm "$W/v0/libtlsorder.so" | grep -q " _R" || fail "v0: no _R symbols"
cp "$W/relative/host" "$W/v0/host"
(cd "$W/v0" && LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/v0/trace.log timeout 20 ./host ./libtlsorder.so >/dev/null 2>&1)
$REPORT --color=never "$W/v0/trace.log" >"$W/v0.txt" 2>&1
check "$W/v0.txt" libtlsorder.so
exit 0
